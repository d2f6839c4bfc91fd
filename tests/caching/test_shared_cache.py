"""With CACHE_URL naming a Redis server (the PostgreSQL half of `make test`, through
bin/with-redis), every process reads the same cached answers and throttle counts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not os.environ.get("CACHE_URL", "").startswith("redis://"),
        reason="CACHE_URL names no Redis server (bin/with-redis)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]


def read_in_another_process(alias: str, key: str) -> str:
    code = (
        "import django; django.setup()\n"
        "from django.core.cache import caches\n"
        f"print(caches[{alias!r}].get({key!r}))"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


@pytest.mark.parametrize("alias", ["default", "shared"])
def test_another_process_reads_what_this_one_cached(alias):
    assert isinstance(caches[alias], RedisCache)
    caches[alias].set("written-here", "seen there")
    assert read_in_another_process(alias, "written-here") == "seen there"
