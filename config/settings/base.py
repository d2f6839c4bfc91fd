"""Settings shared by every environment; dev, test and prod override only what they must."""

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "markets",
    "sellers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Most readers read Chinese; English is the second interface language.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "config" / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# The article data, in load order: reference data first, then the facts resting on it.
ARTICLE_FIXTURES = ["markets", "sellers"]

# The JSON API under /api/: everything an endpoint does not choose for itself.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous write is answered 401 with a challenge.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["markets.api.permissions.AdminModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "markets.api.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "markets.api.renderers.CSVRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    # Analysts sign in and are not throttled; anonymous readers share this rate per IP.
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("LOOPWATCH_API_ANON_RATE", "120/minute")
    },
    "DEFAULT_SCHEMA_CLASS": "markets.api.schema.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Errors of a nested list keyed by position: {"evidence": {"1": {"source": [...]}}}.
    "LIST_SERIALIZER_ERRORS_AS_DICT": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Loopwatch API",
    "DESCRIPTION": (
        "TikTok Shop's commerce modes (semi-closed loop, closed loop, fully managed) "
        "market by market, with the verbatim evidence behind every fact. Dates are "
        "fuzzy: each carries its precision and the source's own wording. Anonymous "
        "readers see published records, throttled; analysts authenticate with "
        "`Authorization: Token <key>` and see drafts. Every list also answers "
        "`?format=csv`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Reads and writes differ (evidence is read nested, written by source slug).
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and ReDoc from our own static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "markets.api.schema.describe_parameters",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ModeEnum": "markets.models.Mode",
        "StatusEnum": "markets.models.Status",
        "PublicationEnum": "markets.models.Publication",
        "DatePrecisionEnum": "markets.dates.DatePrecision",
        "FigureUnitEnum": "markets.models.FigureUnit",
        "QualifierEnum": "markets.models.Qualifier",
        "EventKindEnum": "markets.models.EventKind",
        "SourceKindEnum": "markets.models.SourceKind",
        "LanguageEnum": "markets.models.Language",
    },
}
