"""Analysts writing through the API while readers load the site: `make loadtest`'s mixed run.

    python bench/writers.py http://127.0.0.1:8001 SECONDS TOKEN [TOKEN ...]

Each token is one analyst (an editor), writing in a thread of its own for SECONDS:
edits of one published event that sets a status in some markets, each analyst its own,
one every LOAD_WRITE_INTERVAL seconds (1 by default, far faster than a person corrects
facts; 0 writes as fast as the site answers). Each edit moves the event's date a year on
or back again, which the status rule reads, so every write rewrites the status index of
the event's markets, as an analyst's correction does. It prints the writes made, the
errors, and whether each event holds its last write afterwards; it exits 1 on any error
or any write missing.
"""

import datetime
import itertools
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request


def call(
    url: str, token: str, method: str = "GET", body: dict | None = None
) -> tuple[int, dict]:
    """The status and the JSON answer of one request (an empty dict for none)."""
    request = urllib.request.Request(  # noqa: S310
        url,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {}


def edited_events(site: str, token: str, analysts: int) -> list[str]:
    """The slugs of the events the analysts edit, one each: published events that set
    a status in the markets (or the region) they name."""
    status, page = call(f"{site}/api/mode-events/?page_size=100", token)
    assert status == 200, status
    slugs = [
        event["slug"]
        for event in page["results"]
        if event["scope"] in ("markets", "region") and event["status_set"] != "none"
    ]
    # One event each: two analysts editing one event would refuse each other's
    # versions, which is the check doing its work, not an error of the site.
    assert len(slugs) >= analysts, f"{len(slugs)} events for {analysts} analysts"
    return slugs[:analysts]


def year_moved(day: str, by: int) -> str:
    """The ISO date ``by`` years on: a month's, a quarter's or a year's first day
    stays one, so the date keeps its precision."""
    moved = datetime.date.fromisoformat(day)
    return moved.replace(year=moved.year + by).isoformat()


#: Seconds from the start of one analyst's write to the start of the next.
INTERVAL = float(os.environ.get("LOAD_WRITE_INTERVAL", "1"))


def write_for(
    site: str, token: str, slug: str, seconds: float, made: list, errors: list
):
    """Edit the event ``slug`` until ``seconds`` pass: its date a year on, then back."""
    url = f"{site}/api/mode-events/{slug}/"
    status, event = call(url, token)
    if status != 200:
        errors.append((slug, status))
        return
    deadline = time.monotonic() + seconds
    for number in itertools.count():
        if time.monotonic() >= deadline:
            return
        started = time.monotonic()
        date = year_moved(event["date"], 1 if number % 2 == 0 else -1)
        status, answer = call(
            url, token, "PATCH", {"version": event["version"], "date": date}
        )
        if status == 200:
            event = answer
            made.append((slug, date))
        else:
            errors.append((slug, status))
        time.sleep(max(0.0, started + INTERVAL - time.monotonic()))


def main() -> int:
    site, seconds, tokens = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    slugs = edited_events(site, tokens[0], len(tokens))
    made: list = []
    errors: list = []
    threads = [
        threading.Thread(
            target=write_for, args=(site, token, slug, seconds, made, errors)
        )
        for token, slug in zip(tokens, slugs, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    last = dict(made)
    missing = [
        slug
        for slug, date in last.items()
        if call(f"{site}/api/mode-events/{slug}/", tokens[0])[1].get("date") != date
    ]
    print(
        f"writers: {len(tokens)} analysts, {len(made)} edits of events' dates "
        f"({len(made) / seconds:.1f}/s), {len(errors)} errors, "
        f"{len(last) - len(missing)} of {len(last)} events hold their last edit"
    )
    if errors:
        print(f"first errors: {errors[:5]}")
    return 1 if errors or missing else 0


if __name__ == "__main__":
    sys.exit(main())
