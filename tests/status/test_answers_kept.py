"""The answers the article data gives, byte for byte, on twenty days: how the answers
are drawn may change (kept cell by cell, joined from bytes), what they say may not.

`tests/status/answers_of_the_article_data.json` holds the SHA-256 of each answer: the
API's `/api/status/` in both languages, and the semi-closed loop's badge of each
market. A change that means to change an answer rewrites it with
``LOOPWATCH_RECORD_ANSWERS=1 pytest tests/status/test_answers_kept.py`` and says why
in its commit.
"""

import datetime
import hashlib
import json
import os
from pathlib import Path

from markets.models import Market

RECORD = Path(__file__).with_name("answers_of_the_article_data.json")
#: Twenty days across the articles' years: the edges of the 2023 closure and the 2024
#: beta, and days between, where uncertain, scheduled and stale answers stand.
DAYS = [
    "2021-06-01",
    "2022-03-01",
    "2022-12-31",
    "2023-05-31",
    "2023-06-01",
    "2023-08-20",
    "2023-08-31",
    "2023-09-12",
    "2023-09-30",
    "2023-10-01",
    "2023-12-31",
    "2024-01-31",
    "2024-02-10",
    "2024-03-01",
    "2024-06-01",
    "2024-10-15",
    "2024-12-31",
    "2025-03-01",
    "2025-06-01",
    "2026-01-01",
]
LANGUAGES = ("en", "zh-hans")


def digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def answers(client) -> dict[str, str]:
    """Each answer's digest, under the address that gives it."""
    found = {}
    codes = list(
        Market.objects.published().order_by("code").values_list("code", flat=True)
    )
    for day in DAYS:
        assert datetime.date.fromisoformat(day)
        for language in LANGUAGES:
            address = f"/api/status/?as_of={day}"
            response = client.get(address, headers={"accept-language": language})
            assert response.status_code == 200, address
            found[f"{address} [{language}]"] = digest(response.content)
        for code in codes:
            address = f"/badges/{code}/semi_closed_loop.svg?as_of={day}"
            response = client.get(address, headers={"accept-language": "en"})
            assert response.status_code == 200, address
            found[address] = digest(response.content)
    return found


def test_the_article_datas_answers_are_the_same_byte_for_byte(article_data, client):
    found = answers(client)
    if os.environ.get("LOOPWATCH_RECORD_ANSWERS"):
        RECORD.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
    kept = json.loads(RECORD.read_text())
    changed = sorted(address for address in kept if kept[address] != found.get(address))
    assert changed == [] and set(found) == set(kept), changed[:10]
