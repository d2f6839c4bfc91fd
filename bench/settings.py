"""Benchmark runs: production-like (DEBUG off), its own database, and the floor view."""

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, env

SECRET_KEY = "bench-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'bench' / 'bench.sqlite3'}"
    )
}
# One database: "after a write" must mean the next read sees the write, which a lagging
# replica would not promise.
DATABASE_ROUTERS = []
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# The benchmark measures the read paths from one client; throttling, which would refuse
# it, is exercised by the load test (bench/loadtest.sh), where 429s are counted apart.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
