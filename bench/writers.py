"""Analysts writing through the API while readers load the site: `make loadtest`'s mixed run.

    python bench/writers.py http://127.0.0.1:8001 SECONDS TOKEN [TOKEN ...]

Each token is one analyst (an editor, who may publish), writing in a thread of its own
for SECONDS: published events, each a new record, one every LOAD_WRITE_INTERVAL seconds
(1 by default, far faster than a person enters facts; 0 writes as fast as the site
answers). It prints the writes made, the
errors, and whether every write is there afterwards; it exits 1 on any error or any
write missing.
"""

import itertools
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request


def call(url: str, token: str, method: str = "GET", body: dict | None = None) -> int:
    request = urllib.request.Request(  # noqa: S310
        url,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


#: Seconds from the start of one analyst's write to the start of the next.
INTERVAL = float(os.environ.get("LOAD_WRITE_INTERVAL", "1"))


def write_for(
    site: str, token: str, analyst: int, seconds: float, made: list, errors: list
):
    deadline = time.monotonic() + seconds
    for number in itertools.count():
        if time.monotonic() >= deadline:
            return
        started = time.monotonic()
        slug = f"load-{analyst}-{number}"
        status = call(
            f"{site}/api/mode-events/",
            token,
            "POST",
            {
                "slug": slug,
                "mode": "semi_closed_loop",
                "kind": "status_report",
                "status_set": "live",
                "scope": "none",
                "date": "2031-01-01",
                "date_precision": "day",
                "summary_en": f"Load test write {number} by analyst {analyst}.",
                "publication": "published",
            },
        )
        (made if status == 201 else errors).append((slug, status))
        time.sleep(max(0.0, started + INTERVAL - time.monotonic()))


def main() -> int:
    site, seconds, tokens = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    made: list = []
    errors: list = []
    threads = [
        threading.Thread(target=write_for, args=(site, token, i, seconds, made, errors))
        for i, token in enumerate(tokens)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    missing = [
        slug
        for slug, _ in made
        if call(f"{site}/api/mode-events/{slug}/", tokens[0]) != 200
    ]
    print(
        f"writers: {len(tokens)} analysts, {len(made)} writes "
        f"({len(made) / seconds:.1f}/s), {len(errors)} errors, "
        f"{len(made) - len(missing)} of {len(made)} present afterwards"
    )
    if errors:
        print(f"first errors: {errors[:5]}")
    return 1 if errors or missing else 0


if __name__ == "__main__":
    sys.exit(main())
