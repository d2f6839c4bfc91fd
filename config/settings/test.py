"""Test runs: fast hashing and an in-memory cache, everything else as in base.

DATABASE_URL, as in base, picks SQLite or the throwaway PostgreSQL cluster of `make test`.
"""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Throttle counts out of the query budgets; the throttle tests use the database's.
    "shared": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "shared",
    },
}
# Tests read static files from the apps' folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None
# High enough that no test is throttled by accident; the throttle test sets its own.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "token": "100000/minute"},
}
