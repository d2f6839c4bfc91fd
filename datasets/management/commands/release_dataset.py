"""Make a dataset release of the published record (see datasets.services)."""

from django.core.management.base import BaseCommand, CommandParser

from datasets.services import release_create


class Command(BaseCommand):
    help = (
        "Release what the public sees now as a versioned dataset: a CSV per table, "
        "the record as JSON, a Frictionless descriptor, README, licence and "
        "changelog, zipped and offered at /data/. Drafts are never included."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--notes",
            default="",
            help="What this release is for; shown on /data/ and in its README.",
        )
        parser.add_argument(
            "--if-changed",
            action="store_true",
            help="Release only where a record changed since the last release (or "
            "there is none yet); make run and make serve ask this way.",
        )

    def handle(self, *args, notes: str, if_changed: bool, **options) -> None:
        release = release_create(notes=notes.strip(), only_if_changed=if_changed)
        if release is None:
            self.stdout.write("No record changed since the last release: none made.")
            return
        rows = sum(release.counts.values())
        changed = sum(
            len(entry["added"]) + len(entry["removed"]) + len(entry["changed"])
            for entry in release.changes
        )
        since = (
            "the first release"
            if release.is_first
            else (
                f"{changed} row{'' if changed == 1 else 's'} added, removed or changed "
                f"since {release.previous_version}"
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Release {release.version}: {rows} rows in {len(release.counts)} "
                f"tables, {release.size} bytes zipped, {since}. "
                f"sha256 {release.sha256}"
            )
        )
