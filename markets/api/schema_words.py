"""What the API's docs call each group of endpoints and each standard operation.

Lazy, so that each is worded in the language the schema is drawn in; the standard
operations are worded from their model's own names (``%(record)s``, ``%(records)s``,
``%(key)s``), so a new viewset reads well in Chinese without a line here.
"""

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def filled_in(wording: str, values: dict[str, object]) -> str:
    """``wording % values``, worded when read rather than at import: a help text
    with a number in it is then in the language the schema is drawn in."""
    return lazy(lambda: str(wording) % values, str)()


#: Each group of endpoints, by the first segment of its address after /api/: its name
#: in the docs and what it holds. The docs list the groups in this order.
TAGS = {
    "status": (
        pgettext_lazy("API docs group", "Status"),
        _(
            "The answer: every market's status in each mode on a day, and the events "
            "deciding it."
        ),
    ),
    "changes": (
        pgettext_lazy("API docs group", "Changes"),
        _(
            "What changed between two days (or two days of knowledge), and the events "
            "and quotes that changed it."
        ),
    ),
    "markets": (
        pgettext_lazy("API docs group", "Markets"),
        _(
            "Countries where TikTok Shop runs, or may run, one of its modes; "
            "addressed by ISO code."
        ),
    ),
    "mode-events": (
        pgettext_lazy("API docs group", "Mode events"),
        _(
            "Launches, betas, closures and shortlists of a mode in some markets, each "
            "with its fuzzy date and verbatim evidence."
        ),
    ),
    "disputes": (
        pgettext_lazy("API docs group", "Disputes"),
        _(
            "Claims that disagree (on a date, a number), tied once with one note; a "
            "claim names its dispute by slug."
        ),
    ),
    "sources": (
        pgettext_lazy("API docs group", "Sources"),
        _(
            "Articles, and the outlets they relay, with their fuzzy publication "
            "dates; their archived texts, and the facts suggested from them."
        ),
    ),
    "market-figures": (
        pgettext_lazy("API docs group", "Market figures"),
        _(
            "Numbers about markets, a region, or TikTok Shop as a whole, each with its "
            "evidence."
        ),
    ),
    "seller-cases": (
        pgettext_lazy("API docs group", "Seller cases"),
        _(
            "Named sellers' stories around a mode change, with their figures before "
            "and after."
        ),
    ),
    "seller-figures": (
        pgettext_lazy("API docs group", "Seller figures"),
        _("A seller's numbers before and after, each with its evidence."),
    ),
    "webhooks": (
        pgettext_lazy("API docs group", "Webhooks"),
        _(
            "Your webhooks, five at most: each published event of the list one "
            "follows, and each change of one, is POSTed to its address as JSON, "
            "signed, at least once (drop a repeat by its delivery id); the answer must "
            "come within 10 s and redirects are not followed. After a failed attempt "
            "the address rests 30 s, then each rest twice the last, its deliveries "
            "waiting in order; a delivery is given up after five retries, and a "
            "webhook whose deliveries failed three times in a row is disabled."
        ),
    ),
    "token": (
        pgettext_lazy("API docs group", "Token"),
        _("An analyst's API token, for their user name and password."),
    ),
}

#: The summary of each standard action of a viewset over a model.
ACTION_SUMMARIES = {
    "list": _("List %(records)s"),
    "retrieve": _("A %(record)s, by %(key)s"),
    "create": _("Add a %(record)s"),
    "update": _("Replace a %(record)s"),
    "partial_update": _("Change some fields of a %(record)s"),
    "destroy": _("Delete a %(record)s"),
}

#: What each standard action does, for the records that are drafted and published.
ACTION_DESCRIPTIONS = {
    "list": _(
        "Published %(records)s, for everyone; analysts who may view drafts, signed "
        "in with their token, see drafts too. Takes the filters below, ?search=, "
        "?ordering= and ?page_size=; follow next and previous for more (keyset "
        "pages: a deep page costs what the first does). ?format=csv answers a "
        "spreadsheet."
    ),
    "retrieve": _(
        "One of the %(records)s, by its %(key)s: a published one for everyone, a "
        "draft too for analysts who may view drafts. ?format=csv answers a "
        "spreadsheet."
    ),
    "create": _(
        "For signed-in users with the permission to add %(records)s (the Analyst "
        "group): adds one. Adding it published needs the permission to publish "
        "(403 otherwise)."
    ),
    "update": _(
        "For signed-in users with the permission to change %(records)s: replaces "
        "every field, given the version it was read at (428 without it, 409 if it "
        "changed since). Changing its publication needs the permission to publish."
    ),
    "partial_update": _(
        "For signed-in users with the permission to change %(records)s: changes only "
        "the fields given, with the version it was read at (428 without it, 409 if it "
        "changed since). Changing its publication needs the permission to publish."
    ),
    "destroy": _(
        "For signed-in users with the permission to delete %(records)s (the Analyst "
        "group has not): one that other records still refer to is refused with 409, "
        "naming them."
    ),
}

#: drf-spectacular words these itself, in English only: named here so that the
#: catalogue holds their Chinese (Django reads one catalogue for every app).
SPECTACULAR_WORDING = (
    _("No response body"),
    _("Unspecified response body"),
    _('Token-based authentication with required prefix "%s"'),
)
