"""Local development: embedded SQLite, debug pages, a throwaway secret."""

from .base import *  # noqa: F403

DEBUG = True
# Only for a developer's own machine; prod.py reads the real one from the environment.
SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Static files straight from the apps' folders, as runserver serves them.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None
# Webhooks to a receiver on this machine.
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
