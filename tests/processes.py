"""The project's commands run in processes of their own, for the tests of what runs
beside the application: the reverse proxy, the replica."""

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: What the suite's own run sets and a deployment of its own must not inherit: the
#: suite's Redis (whose throttle counts are the suite's) and the PostgreSQL half's
#: selection of tests.
SUITE_ONLY = ("CACHE_URL", "SHARED_CACHE_URL", "LOOPWATCH_DATABASE_TESTS_ONLY")


def own_environment(**settings: str) -> dict[str, str]:
    """The environment of a deployment of its own: this one's, less the suite's
    services, with ``settings``."""
    environment = {
        name: value for name, value in os.environ.items() if name not in SUITE_ONLY
    }
    return {**environment, **settings}


def manage(environment: Mapping[str, str], *arguments: str) -> str:
    """``manage.py`` run with ``environment``; what it printed."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=dict(environment),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"manage.py {arguments[0]} failed:\n{done.stderr}"
    return done.stdout.strip()


def shell(environment: Mapping[str, str], code: str) -> str:
    """Python run by ``manage.py shell`` with ``environment``; what it printed."""
    return manage(environment, "shell", "--no-imports", "-c", code)
