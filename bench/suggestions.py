"""How long a source's text takes to read: suggestions, and hostile uploads.

    .venv/bin/python bench/suggestions.py

Prints, for the two articles repeated to 100,000, 200,000 (the longest archived) and
400,000 characters, the seconds ``suggest`` takes on the whole text; for the densest
texts (a figure, a market or a date every few characters), the seconds it takes on
the part one suggestions page reads (intake.candidates); and the seconds the hostile PDFs
of tests/intake/test_hostile_uploads.py take to be refused. Reads files only.
"""

import datetime
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.exceptions import ValidationError  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from intake.candidates import SUGGESTIONS_READ_CHARS  # noqa: E402
from intake.suggestions import suggest  # noqa: E402
from intake.uploads import extract_upload  # noqa: E402
from markets.archive import MAX_ARCHIVED_CHARS  # noqa: E402
from tests.intake.archiving import (  # noqa: E402
    TEXT_OPERATORS,
    compression_bomb,
    pdf_of,
    text_operator_flood,
)

PUBLISHED = datetime.date(2023, 8, 1)
DENSEST = {
    "a count every 2 characters": "1个",
    "a market every character": "英美德法",
    "a date, market and figure per sentence": "2024年1月，美国市场增长30%。",
    "English dates": "May 5, 2024 ",
}


def repeated(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def seconds(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def main() -> None:
    articles = "\n\n".join(
        path.read_text(encoding="utf-8")
        for path in sorted((HERE.parent / "fixtures" / "articles").glob("*.txt"))
    )
    print("suggest() on the articles repeated")
    for length in (100_000, MAX_ARCHIVED_CHARS, 400_000):
        took, found = seconds(
            suggest,
            repeated(articles, length),
            language="zh-Hans",
            published_on=PUBLISHED,
        )
        print(f"  {length:>9,} characters {took:6.2f} s  {len(found):>7,} suggestions")
    print(f"suggest() on one page's part ({SUGGESTIONS_READ_CHARS:,} characters)")
    for name, unit in DENSEST.items():
        took, found = seconds(
            suggest,
            repeated(unit, SUGGESTIONS_READ_CHARS),
            language="zh-Hans",
            published_on=PUBLISHED,
        )
        print(f"  {name:<40} {took:6.2f} s  {len(found):>7,} suggestions")
    print("hostile PDFs")
    for name, content in (
        ("compression bomb", compression_bomb()),
        ("3M text operators", text_operator_flood()),
        ("20,000 pages", pdf_of([TEXT_OPERATORS], page_count=20_000)),
    ):
        upload = SimpleUploadedFile(f"{name}.pdf", content)
        started = time.perf_counter()
        try:
            extract_upload(upload)
            answer = "read"
        except ValidationError as error:
            answer = error.code
        took = time.perf_counter() - started
        print(f"  {name:<20} {len(content) // 1024:>6} KB {took:6.2f} s  {answer}")


if __name__ == "__main__":
    main()
