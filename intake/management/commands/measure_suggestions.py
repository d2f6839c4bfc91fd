"""Measure the suggestions engine on the article data."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from intake.suggestions.measuring import (
    EVENT_FIELDS,
    KINDS,
    SourceScore,
    measure,
    measure_corpus,
)


class Command(BaseCommand):
    help = (
        "Run the suggestions engine on the articles (fixtures/articles/*.txt) and "
        "compare with what the fixtures record from them: per kind (dates, markets, "
        "figures) the facts found and missed, the suggestions matching no fact, "
        "recall and precision. Reads files only; writes nothing."
    )

    def add_arguments(self, parser) -> None:
        fixtures = Path(settings.FIXTURE_DIRS[0])
        parser.add_argument("--fixtures", type=Path, default=fixtures)
        parser.add_argument("--articles", type=Path, default=fixtures / "articles")
        parser.add_argument(
            "--corpus",
            type=Path,
            default=Path(settings.BASE_DIR) / "tests" / "intake" / "corpus",
            help="A directory of further sources, each <slug>.txt and the facts read "
            "in it, <slug>.json: measured per source, events judged as drafts.",
        )
        parser.add_argument(
            "--unmatched",
            action="store_true",
            help="Also list the suggestions that match no fixture fact, for a human "
            "to judge: some are facts the fixtures do not record.",
        )

    def handle(
        self,
        *args,
        fixtures: Path,
        articles: Path,
        corpus: Path,
        unmatched: bool,
        **options,
    ):
        self._fixtures(fixtures, articles, unmatched)
        if corpus.is_dir():
            self._corpus(corpus)

    def _corpus(self, corpus: Path) -> None:
        """The corpus table: per source, then overall, the dated events found and how
        many of the found events' drafts give each field right."""
        scores, total = measure_corpus(corpus)
        write = self.stdout.write
        write(f"\nCorpus {corpus}:")
        write(
            f"{'source':<44} {'events':>6} {'found':>5} {'recall':>6} "
            + " ".join(f"{_SHORT[name]:>5}" for name in EVENT_FIELDS)
            + f" {'as-is':>5} {'figures':>7}"
        )
        for score in [*scores, total]:
            write(_corpus_row(score))
        write(
            "found: events a date suggestion on their quote matches; each field column: "
            "share of found events whose draft gives the fact's value; as-is: share "
            "needing no field changed; figures: found/recorded."
        )
        for score in scores:
            for fact in score.missed:
                write(f"  missed {score.source.slug}: {fact['date']} «{fact['quote']}»")
            for fact, drafted in score.changed:
                values = ", ".join(f"{k}={v!s}" for k, v in drafted.items())
                write(f"  changed {score.source.slug}: {values} «{fact['quote']}»")

    def _fixtures(self, fixtures: Path, articles: Path, unmatched: bool) -> None:
        """Long because it writes the fixtures' whole report: table, misses and, if
        asked, the unmatched suggestions."""
        result = measure(fixtures, articles)
        write = self.stdout.write
        write(
            "Articles: "
            + ", ".join(
                f"{a.name} ({a.language}, published {a.published_on})"
                for a in result.articles
            )
        )
        header = (
            f"{'kind':<8} {'facts':>5} {'TP':>4} {'FN':>4} {'sugg.':>5} "
            f"{'match':>5} {'FP':>4} {'recall':>7} {'precision':>9}"
        )
        write(header)
        for kind in KINDS:
            score = result.scores[kind]
            write(
                f"{kind:<8} {len(score.facts):>5} {len(score.found):>4} "
                f"{len(score.missed):>4} {score.suggestions:>5} {score.matching:>5} "
                f"{len(score.unmatched):>4} {score.recall:>7.2f} {score.precision:>9.2f}"
            )
        write(
            "TP: facts a suggestion matches; FN: facts none matches; sugg.: "
            "suggestions; match: suggestions matching a fact; FP: suggestions "
            "matching none (precision = match / sugg.)."
        )
        for kind in KINDS:
            score = result.scores[kind]
            if score.missed:
                write(f"\nMissed {kind}:")
                for fact in score.missed:
                    write(f"  - {fact.describe()}")
        if result.unstated:
            write(
                "\nEvent dates the text does not state (inferred by analysts; not counted):"
            )
            for fact in result.unstated:
                write(f"  - {fact.describe()}")
        if unmatched:
            for kind in KINDS:
                score = result.scores[kind]
                write(
                    f"\nSuggested {kind} matching no fixture fact ({len(score.unmatched)}):"
                )
                for name, suggestion in score.unmatched:
                    value = getattr(suggestion, "display", None) or _value(suggestion)
                    write(
                        f"  - {name}: {suggestion.wording!r} → {value} «{suggestion.quote}»"
                    )


_SHORT = {
    "mode": "mode",
    "kind": "kind",
    "date": "date",
    "date_precision": "prec.",
    "markets": "mkts",
    "is_scheduled": "sched",
}


def _corpus_row(score: SourceScore) -> str:
    return (
        f"{score.source.slug:<44} {score.events:>6} {score.found:>5} "
        f"{score.recall:>6.2f} "
        + " ".join(f"{score.share_right(name):>5.2f}" for name in EVENT_FIELDS)
        + f" {score.share_unchanged:>5.2f} "
        + f"{score.figures_found:>3}/{score.figures:<3}"
    )


def _value(suggestion) -> str:
    for name in ("code", "region"):
        if getattr(suggestion, name, ""):
            return getattr(suggestion, name)
    if hasattr(suggestion, "unit"):
        values = "→".join(f"{v.normalize():f}" for v in suggestion.values)
        return f"{suggestion.qualifier} {values} {suggestion.unit}"
    return ""
