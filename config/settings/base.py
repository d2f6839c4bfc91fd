"""Settings shared by every environment; dev, test and prod override only what they must."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.release import derived_release

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env may set DATABASE_URL and friends; real environment variables win.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = False
ALLOWED_HOSTS: list[str] = []

# The release running, in every cache key and HTTP validator (caching.versions): a deploy
# retires every kept drawing and every ETag. LOOPWATCH_RELEASE names it (a commit, a
# version); otherwise it is a digest of the code, templates, static files and
# catalogues, taken once at start-up.
RELEASE = env.str("LOOPWATCH_RELEASE", default="") or derived_release(BASE_DIR)

INSTALLED_APPS = [
    # Django's admin, served by Loopwatch's site (config.admin_site).
    "config.apps.LoopwatchAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "csp",
    "axes",
    "simple_history",
    "import_export",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "huey.contrib.djhuey",
    "markets",
    "status",
    "intake",
    "sellers",
    "alerts",
    "datasets",
    "caching",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.RefuseControlCharacters",
    # Outside sessions, CSRF and authentication, so that it sees the cookies they set
    # and the reader they found.
    "config.middleware.PrivateUnlessShared",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "caching.versions.RecordVersionMiddleware",
    "config.replicas.ReadFromReplica",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Counts failed logins and refuses them past AXES_FAILURE_LIMIT.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.clients.client_ip"
AXES_LOCKOUT_CALLABLE = "config.lockout.locked_out"
# Failures are counted in the cache every process shares (CACHES["shared"]), as the
# throttles are, rather than as rows of the database.
AXES_HANDLER = "config.lockout.CountedInTheSharedCache"
AXES_CACHE = "shared"
# Its admin pages list AccessAttempt rows, which this handler never writes: they would
# say no sign-in ever failed.
AXES_ENABLE_ADMIN = False

# How many proxies in front of the site append to X-Forwarded-For (a load balancer,
# nginx: 1 each). 0 believes no header: REMOTE_ADDR is the client. Set it to exactly the
# proxies there are: one too many lets a client choose its own address, and with it
# dodge the throttles and lock analysts out.
LOOPWATCH_TRUSTED_PROXIES = env.int("LOOPWATCH_TRUSTED_PROXIES", default=0)
# The proxies' own addresses (or CIDR blocks): X-Forwarded-For is believed only from a
# connection coming from one of them, so that a client reaching gunicorn directly cannot
# choose its address. The default is a proxy on the same machine; bin/with-proxy has
# nginx connect from 127.0.0.2 and sets this to it, so that a client on the machine
# itself reaching gunicorn directly is not believed either.
LOOPWATCH_PROXY_ADDRESSES = env.list(
    "LOOPWATCH_PROXY_ADDRESSES", default=["127.0.0.1", "::1"]
)

# Imports need the add permission, exports the view permission, as for the admin itself.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

ROOT_URLCONF = "config.urls"
# Where the API lives (config/urls.py): under it every answer is JSON, errors too.
API_PREFIX = "api/"

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

# DATABASE_URL selects the database: embedded SQLite by default, PostgreSQL in production
# (postgres://user:password@host:5432/name, or ?host=/socket/dir for a Unix socket).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
#: How long a write waits for another writer to finish before it fails, in seconds.
SQLITE_BUSY_SECONDS = env.int("LOOPWATCH_SQLITE_BUSY_SECONDS", default=20)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers (requests, the task runner, commands) wait their turn instead of failing
    # with "database is locked": WAL lets readers go on beside the one writer; the
    # timeout is SQLite's busy wait; and a transaction takes the write lock as it
    # begins (IMMEDIATE), since one that read first and then wants to write cannot
    # wait for the lock and fails at once. NORMAL is WAL's durable-enough default:
    # a power cut may lose the last commits, never corrupt the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=SQLITE_BUSY_SECONDS,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    )
# REPLICA_DATABASE_URL names a streaming replica of it: anonymous reads go there, every
# write, admin request and signed-in reader to the primary (config/replicas.py).
DATABASE_ROUTERS: list[str] = []
if env.str("REPLICA_DATABASE_URL", default=""):
    DATABASES["replica"] = env.db("REPLICA_DATABASE_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASE_ROUTERS = ["config.replicas.PrimaryReplicaRouter"]

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

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Every page obeys this policy: assets from this site only, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# The article data, in load order: reference data first, then the facts resting on it.
ARTICLE_FIXTURES = ["markets", "sellers"]

# The JSON API under /api/: everything an endpoint does not choose for itself.
# Each process's own memory by default; CACHE_URL (redis://...) shares one between
# machines. Entries are keyed by the record's version (caching.versions), which lives in
# the database, so no process ever serves what another's write made stale.
CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://loopwatch"),
    # Throttle counts, seen by every worker and machine: in the database (its table is
    # made by a migration) unless SHARED_CACHE_URL names a shared server.
    "shared": env.cache("SHARED_CACHE_URL", default="dbcache://loopwatch_shared_cache"),
}
CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 2_000)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous write is answered 401 with a challenge.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["markets.api.permissions.AdminModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": [
        "markets.api.filtersets.FilterBackend",
        "markets.api.filtersets.ModelSearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "markets.api.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_PARSER_CLASSES": [
        "markets.api.parsers.JSONParser",
        "markets.api.parsers.FormParser",
        "markets.api.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "markets.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "markets.api.renderers.CSVRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["markets.api.throttling.AnonReadThrottle"],
    # Analysts sign in and are not throttled; anonymous readers share this rate per
    # address; /api/token/ allows this many password attempts per address.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("LOOPWATCH_API_ANON_RATE", default="120/minute"),
        "token": env.str("LOOPWATCH_API_TOKEN_RATE", default="10/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "markets.api.schema.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Errors of a nested list keyed by position: {"evidence": {"1": {"source": [...]}}}.
    "LIST_SERIALIZER_ERRORS_AS_DICT": True,
}

SPECTACULAR_SETTINGS = {
    # Lazy, as every word of the schema: drawn in the reader's language (or ?lang=).
    "TITLE": _("Loopwatch API"),
    "DESCRIPTION": _(
        "TikTok Shop's commerce modes (semi-closed loop, closed loop, fully managed) "
        "market by market, with the verbatim evidence behind every fact. Dates are "
        "fuzzy: each carries its precision and the source's own wording. Anonymous "
        "readers see published records, throttled; analysts authenticate with "
        "`Authorization: Token <key>` and see drafts. Every list also answers "
        "`?format=csv`. The schema and its docs speak the site's language; `?lang=en` "
        "or `?lang=zh-hans` chooses one."
    ),
    # Docstrings speak to programmers, in English: every operation states its words
    # (markets.api.schema), and every field its help text, in the reader's language.
    "DISABLE_DOCSTRING_DESCRIPTIONS": True,
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Reads and writes differ (evidence is read nested, written by source slug).
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from our own static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "markets.api.schema.describe_parameters",
        "markets.api.schema.describe_tags",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ModeEnum": "markets.models.Mode",
        "StatusEnum": "markets.vocabulary.StatusSet",
        "PublicationEnum": "markets.models.Publication",
        "DatePrecisionEnum": "markets.dates.DatePrecision",
        "FigureUnitEnum": "markets.models.FigureUnit",
        "QualifierEnum": "markets.models.Qualifier",
        "EventKindEnum": "markets.models.EventKind",
        "SourceKindEnum": "markets.models.SourceKind",
        "LanguageEnum": "markets.models.Language",
        "AnswerEnum": "markets.vocabulary.Status",
        "EventScopeEnum": "markets.models.EventScope",
        "ArchiveKindEnum": "markets.models.ArchiveKind",
        "PastedKindEnum": [("pasted", "pasted")],
        "SuggestionKindEnum": [("event", "event"), ("figure", "figure")],
    },
}

# An answer whose newest evidence is older than this, counted from the day asked about,
# is marked stale: the record may no longer say how things stand.
# How long a shared cache (the reverse proxy, a CDN) may serve a public answer without
# asking again, and how long past that it may serve it stale while it asks: a publish
# reaches every reader within the first, plus the one request that starts the refresh.
LOOPWATCH_SHARED_CACHE_SECONDS = env.int("LOOPWATCH_SHARED_CACHE_SECONDS", default=10)
LOOPWATCH_STALE_WHILE_REVALIDATE_SECONDS = env.int(
    "LOOPWATCH_STALE_WHILE_REVALIDATE_SECONDS", default=30
)

LOOPWATCH_STALE_AFTER_DAYS = env.int("LOOPWATCH_STALE_AFTER_DAYS", default=180)

# Every date the record holds or a reader asks about lies in this range, first and last
# day; anything outside is refused with a message (a year 9999 is a typo, not a fact).
LOOPWATCH_DATE_RANGE = (
    env.str("LOOPWATCH_EARLIEST_DATE", default="1900-01-01"),
    env.str("LOOPWATCH_LATEST_DATE", default="2100-12-31"),
)

# --- Followers: e-mail and webhooks (alerts) ---------------------------------------------

#: Where links in e-mails lead: e-mails are written off the request path.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# An SMTP server; `make run` starts one on loopback that prints what it receives.
vars().update(env.email("EMAIL_URL", default="smtp://127.0.0.1:1025"))
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Loopwatch <alerts@localhost>"
)
# Mail to an address that has not confirmed it wants any (alerts.throttling): past
# these rates, written as DRF's throttle rates, a request to follow answers 429 and
# nothing is sent. Whatever a stranger asks, an address gets at most a few a day.
LOOPWATCH_FOLLOW_REQUESTS_PER_CLIENT = env.str(
    "LOOPWATCH_FOLLOW_REQUESTS_PER_CLIENT", default="10/hour"
)
LOOPWATCH_CONFIRMATIONS_PER_ADDRESS = env.str(
    "LOOPWATCH_CONFIRMATIONS_PER_ADDRESS", default="3/day"
)
LOOPWATCH_CONFIRMATIONS_PER_HOUR = env.str(
    "LOOPWATCH_CONFIRMATIONS_PER_HOUR", default="200/hour"
)

# The task runner: Huey, its queue persistent in SQLite beside the database, or in Redis.
HUEY = {
    "name": "loopwatch",
    "immediate": False,
    "utc": True,
    # An idle runner looks for new tasks at least once a second (Huey's default
    # backs off to 10 s), so a confirmation is sent within a second or two.
    "consumer": {
        "workers": 2,
        "worker_type": "thread",
        "periodic": True,
        "max_delay": 1,
    },
}
if env.str("TASKS_REDIS_URL", default=""):
    HUEY |= {"huey_class": "huey.RedisHuey", "url": env.str("TASKS_REDIS_URL")}
else:
    HUEY |= {
        "huey_class": "huey.SqliteHuey",
        "filename": env.str("TASKS_FILE", default=str(BASE_DIR / "tasks.sqlite3")),
        # Its own busy wait (huey's default is 5 s), as long as the database's.
        "timeout": SQLITE_BUSY_SECONDS,
    }

DAILY_DIGEST_HOUR = env.int("DAILY_DIGEST_HOUR", default=7)  # UTC
WEBHOOK_DELIVERY_RETRIES = 5
# Seconds an endpoint rests after a failed attempt, doubled after each further one;
# its other deliveries wait too (alerts.services.attempt_next_delivery).
WEBHOOK_RETRY_DELAY = 30
WEBHOOK_FAILURES_BEFORE_DISABLED = 3
# Active webhooks one account may have; one more is refused at registration.
WEBHOOKS_PER_OWNER = env.int("WEBHOOKS_PER_OWNER", default=5)
# The delivery runner (`manage.py run_deliveries`, started by bin/with-tasks): its
# threads, and how often an idle thread looks for due deliveries. One account's
# endpoints hold at most one thread at a time, so more threads than one keep every
# other account's deliveries moving whatever one account's endpoints do.
WEBHOOK_DELIVERY_THREADS = env.int("WEBHOOK_DELIVERY_THREADS", default=4)
WEBHOOK_DELIVERY_POLL_SECONDS = env.float("WEBHOOK_DELIVERY_POLL_SECONDS", default=1)

# Webhooks may point at loopback and private networks only where this says so.
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env.bool(
    "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", default=False
)

# --- Outbound HTTP (config.outbound) -----------------------------------------------------
# Every request the site sends: seconds to connect, to wait for each read, and for the
# whole exchange; and how much of an answer is read.
OUTBOUND_CONNECT_TIMEOUT = env.float("OUTBOUND_CONNECT_TIMEOUT", default=3)
OUTBOUND_READ_TIMEOUT = env.float("OUTBOUND_READ_TIMEOUT", default=5)
OUTBOUND_TOTAL_TIMEOUT = env.float("OUTBOUND_TOTAL_TIMEOUT", default=10)
OUTBOUND_MAX_RESPONSE_BYTES = 64 * 1024
