"""Test runs: fast hashing and an in-memory cache, everything else as in base.

DATABASE_URL, as in base, picks SQLite or the throwaway PostgreSQL cluster of `make test`.
"""

from .base import *  # noqa: F403

# One database per run: the replica's routing is tested against a real replica in
# processes of their own (tests/config/test_replicas.py).
DATABASES.pop("replica", None)  # noqa: F405
DATABASE_ROUTERS = []

SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In memory, unless CACHE_URL and SHARED_CACHE_URL name a server: the PostgreSQL half of
# `make test` runs against Redis (bin/with-redis). Throttle counts stay out of the query
# budgets either way; the throttle tests use the database's.
CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://"),  # noqa: F405
    "shared": env.cache("SHARED_CACHE_URL", default="locmemcache://shared"),  # noqa: F405
}
# Tests read static files from the apps' folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None
# High enough that no test is throttled by accident; the throttle test sets its own.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "token": "100000/minute"},
}
# Tasks run at once, in the test's own process; the runner itself is tested by
# tests/alerts/test_task_runner.py. Mail stays in memory unless a test sends it through
# the loopback SMTP server (tests/alerts/conftest.py).
HUEY = {"huey_class": "huey.MemoryHuey", "immediate": True, "utc": True}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
SITE_URL = "http://testserver"
