"""manage.py write_status_css: the stylesheet of the answers' colours, from the
vocabulary (status.stylesheet).

    manage.py write_status_css            write config/static/css/statuses.css
    manage.py write_status_css --check    only say whether it matches (exit 1 if not)
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from status.stylesheet import STYLESHEET, status_css


class Command(BaseCommand):
    help = "Write config/static/css/statuses.css from markets/vocabulary.py."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit 1 if the committed sheet differs.",
        )

    def handle(self, *args: object, check: bool = False, **options: object) -> None:
        wanted = status_css()
        if check:
            if not STYLESHEET.exists() or STYLESHEET.read_text("utf-8") != wanted:
                raise CommandError(
                    f"{STYLESHEET.name} differs from the vocabulary: "
                    "run manage.py write_status_css."
                )
            self.stdout.write(f"{STYLESHEET.name} matches the vocabulary.")
            return
        STYLESHEET.write_text(wanted, encoding="utf-8")
        self.stdout.write(f"Wrote {STYLESHEET}.")
