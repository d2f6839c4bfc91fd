"""Measure the suggestions engine on the article data."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from intake.suggestions.measuring import KINDS, measure


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
            "--unmatched",
            action="store_true",
            help="Also list the suggestions that match no fixture fact, for a human "
            "to judge: some are facts the fixtures do not record.",
        )

    def handle(self, *args, fixtures: Path, articles: Path, unmatched: bool, **options):
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


def _value(suggestion) -> str:
    for name in ("code", "region"):
        if getattr(suggestion, name, ""):
            return getattr(suggestion, name)
    if hasattr(suggestion, "unit"):
        values = "→".join(f"{v.normalize():f}" for v in suggestion.values)
        return f"{suggestion.qualifier} {values} {suggestion.unit}"
    return ""
