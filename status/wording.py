"""The answer in words: the one place that says what a cell's answer is, per language
and per length.

Every surface that states an answer takes its words from here: the grid's cells and
the market pages (``label`` and ``detail``), the line naming the markets and modes no
source speaks of yet (``no_evidence_yet``), the badges (``brief``), the map's and the
colour matrix's titles and the API's ``in_words`` (``title``), and the reasons an
answer is uncertain (``why``). What they word is one value, the cell
(status.grid.ModeStatus): its status, whether it is uncertain, implied or only
scheduled, its start as the deciding claims date it (status.starts.Start), and whether
its newest evidence is stale.

Two rules hold for every length:
- The start reads as the sources put it ("beta since Feb 2024"), never as a day no
  source gives; the first day an answer is certain is said only where something
  reported can make it certain.
- What was only announced ahead is called scheduled, never done.

The words depend on the language active when asked, and on nothing of the market, so a
title kept per cell (caching.kept.drawn_once) is right for every market sharing it.
"""

from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING

from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from markets.vocabulary import SCHEDULED, UNCERTAIN, Status, look_of

if TYPE_CHECKING:
    from status.grid import ModeStatus


class AnswerWords:
    """One cell's answer, worded in the active language at every length."""

    def __init__(self, cell: "ModeStatus") -> None:
        self.cell = cell

    @cached_property
    def label(self) -> str:
        """The status as a pill says it: "Beta", "Uncertain", "Live (implied)",
        "Scheduled to go live"."""
        cell = self.cell
        if cell.span is None:
            return _("No evidence")
        if cell.uncertain:
            return str(look_of(UNCERTAIN).short_label)
        status = cell.get_status_display()
        if cell.implied:
            return _("%(status)s (implied)") % {"status": status}
        if cell.scheduled:
            return capfirst(Status(cell.status).announced)
        return status

    @cached_property
    def detail(self) -> str:
        """What the pill leaves out: between what an uncertain answer lies, since when
        the answer holds, or why it is only implied or scheduled."""
        cell = self.cell
        if cell.span is None:
            return ""
        start = cell.start
        if cell.uncertain:
            if cell.certain_from is None:
                return self._between
            return _("%(between)s; certain from %(day)s") % {
                "between": self._between,
                "day": cell.certain_from.isoformat(),
            }
        if cell.implied:
            return _(
                "since a day no source gives: the %(kind)s of %(date)s implies it "
                "ran before"
            ) % {
                "kind": cell.event.get_kind_display().lower(),
                "date": cell.event.date_display,
            }
        if cell.scheduled:
            return _("in %(date)s, as announced; no source reports it done") % {
                "date": start.text
            }
        return _("since %(date)s") % {"date": start.text}

    @cached_property
    def brief(self) -> str:
        """The answer in a few words, for a badge: "beta since Feb 2024", "uncertain:
        no evidence or live", "scheduled to go live in Oct 2024, not reported done"."""
        cell = self.cell
        if cell.span is None:
            return _("no evidence")
        if cell.uncertain:
            return _("uncertain: %(between)s") % {"between": self._between}
        status = cell.get_status_display().lower()
        if cell.implied:
            return _("%(status)s (implied)") % {"status": status}
        if cell.scheduled:
            return _("%(announced)s in %(date)s, not reported done") % {
                "announced": Status(cell.status).announced,
                "date": cell.start.text,
            }
        return _("%(status)s since %(since)s") % {
            "status": status,
            "since": cell.start.text,
        }

    @cached_property
    def stale_note(self) -> str:
        """Why the answer may no longer hold, where its newest evidence is too old."""
        cell = self.cell
        if not cell.stale:
            return ""
        if cell.evidence_on is None:
            return _("stale: no dated source")
        return _("stale: newest evidence of %(day)s") % {
            "day": cell.evidence_on.isoformat()
        }

    @cached_property
    def title(self) -> str:
        """The answer in one line, for a title attribute: every length's facts."""
        cell = self.cell
        if cell.span is None:
            return _("No evidence")
        words = self.label
        if self.detail:
            words = _("%(label)s, %(detail)s") % {"label": words, "detail": self.detail}
        return self.with_stale_note(words)

    def with_stale_note(self, words: str) -> str:
        """``words``, followed by why the answer may no longer hold where it is
        stale: every one-line wording ends so (titles, badges)."""
        if not self.stale_note:
            return words
        return _("%(answer)s; %(stale)s") % {"answer": words, "stale": self.stale_note}

    @cached_property
    def why(self) -> str:
        """Why an uncertain answer cannot be told on its day; empty for any other."""
        cell = self.cell
        if not cell.uncertain:
            return ""
        facts = {
            "day": cell.day.isoformat(),
            "before": cell.get_previous_status_display().lower(),
            "date": cell.start.text,
            "kind": cell.event.get_kind_display(),
        }
        if cell.scheduled:
            return (
                _(
                    "A source announced “%(kind)s” ahead for %(date)s, and none reports it "
                    "done: on %(day)s it may still be %(before)s, and nothing reported yet "
                    "makes it certain."
                )
                % facts
            )
        facts["after"] = cell.certain_from.isoformat()
        if cell.start.disputed or len(cell.claims) > 1:
            facts["last"] = cell.span.end.isoformat()
            return (
                _(
                    "The sources disagree on when this happened: the claims span the days "
                    "up to %(last)s, so on %(day)s it may still be %(before)s. It is "
                    "certain from %(after)s."
                )
                % facts
            )
        return (
            _(
                "The source dates “%(kind)s” only to %(date)s, not to the day, so on "
                "%(day)s it may not have happened yet. It is certain from %(after)s."
            )
            % facts
        )

    @cached_property
    def _between(self) -> str:
        """The two answers an uncertain day lies between: "no evidence or beta", the
        second scheduled where it was only announced."""
        cell = self.cell
        after = (
            Status(cell.status).announced
            if cell.scheduled
            else cell.get_status_display()
        )
        return _("%(before)s or %(after)s") % {
            "before": cell.get_previous_status_display().lower(),
            "after": str(after).lower(),
        }


def no_evidence_yet(names: Iterable[str]) -> SafeString:
    """The answer of every market, or every mode of a market, no source speaks of yet,
    said once for them all: "No evidence yet: Canada, Japan". ``names`` are text, or
    HTML already safe (links to the markets)."""
    listed = format_html_join(", ", "{}", ((name,) for name in names))
    sentence = conditional_escape(_("No evidence yet: %(names)s"))
    # The translation is escaped, the names are escaped or safe already.
    return mark_safe(sentence % {"names": listed})  # noqa: S308


def shown_as(cell: "ModeStatus") -> str:
    """How a cell is drawn (its colour and glyph, markets.vocabulary.look_of):
    uncertain, scheduled, or its status."""
    if cell.uncertain:
        return UNCERTAIN
    if cell.scheduled:
        return SCHEDULED
    return cell.status if cell.span else Status.NO_EVIDENCE
