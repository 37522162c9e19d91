"""Settings for the Helsingør culture platform, read from the environment.

Every variable is listed in `.env.example` and the README.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "venues",
    "events",
    "tickets",
    "visitor_stats",
    "api",
    "frontend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.RejectNulCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"].endswith("postgresql") and os.environ.get("DATABASE_SERVER_SIDE_BINDING", "1") == "1":
    # Values travel apart from the statement, and a statement run five times on a connection is
    # prepared: PostgreSQL plans the hot paths (a sale, a scan) once per connection, not every time.
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite cannot hold the "one current visit figure per slot" constraint (it needs NULLS NOT
    # DISTINCT); on the embedded default the row lock in record_figure keeps that rule alone.
    SILENCED_SYSTEM_CHECKS = ["models.W047"]

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "kultur"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Time: Europe/Copenhagen for people, UTC in the database.
TIME_ZONE = "Europe/Copenhagen"
USE_TZ = True

# Languages: Danish first; English, Swedish and German for visitors.
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English")), ("sv", _("Swedish")), ("de", _("German"))]
LANGUAGE_CODES = [code for code, _name in LANGUAGES]
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
# The scanner page's QR decoder and the statistics page's charts: pinned in package.json, installed by
# `npm ci`, collected from there as vendor/jsqr/jsQR.js and vendor/chartjs/chart.umd.min.js (they are
# not kept in the repository).
STATICFILES_DIRS = [
    ("vendor/jsqr", BASE_DIR / "node_modules" / "jsqr" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Media (uploaded and generated images) are served by Django itself only when
# SERVE_MEDIA is on; in production a web server or object store should serve them.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kultur@helsingor.dk")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# Seconds to wait for the mail server: a hung server must not hold a task (and the rows it locks) forever.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
# The public address of the site (scheme and host), for links in e-mails sent outside a request.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where people report accessibility problems (shown in the accessibility statement).
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("ACCESSIBILITY_CONTACT_EMAIL", DEFAULT_FROM_EMAIL)
# Who is e-mailed a digest of new payment issues (the staff to-do list of money); none: nobody.
PAYMENT_ISSUES_EMAIL = env_list("PAYMENT_ISSUES_EMAIL")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    # How many proxies of ours stand before gunicorn and add to X-Forwarded-For: the client is the address
    # that many entries from its end. 0: the connection's own address (a client can write the header).
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES", "0")),
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "") or None,
        "scanner_device": os.environ.get("SCANNER_DEVICE_RATE", "") or None,
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Helsingør Kultur API",
    "DESCRIPTION": "Events, venues and calendars of the culture venues in Helsingør Kommune.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "EventStatusEnum": "events.models.EventStatus",
        "OrderStatusEnum": "tickets.models.OrderStatus",
        "ScanResultEnum": "tickets.models.ScanResult",
    },
}

# Celery: Redis as broker; without REDIS_URL tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# No job between 02:00 and 03:00: the summer-time change happens there.
CELERY_BEAT_SCHEDULE = {
    "send-missing-confirmations": {
        "task": "tickets.tasks.send_missing_confirmations",
        "schedule": crontab(minute="*/15", hour="0,1,3-23"),
    },
    "send-unsent-refunds": {
        "task": "tickets.tasks.send_unsent_refunds",
        "schedule": crontab(minute="*/15", hour="0,1,3-23"),
    },
    "notify-payment-issues": {
        "task": "tickets.tasks.notify_payment_issues",
        "schedule": crontab(minute="5-59/15", hour="0,1,3-23"),
    },
    "ask-after-quiet-refunds": {
        "task": "tickets.tasks.ask_after_quiet_refunds",
        "schedule": crontab(hour="*/6", minute=40),
    },
    "tidy-reservations": {
        "task": "tickets.tasks.tidy_reservations",
        "schedule": crontab(minute="*/5", hour="0,1,3-23"),
    },
    "extend-event-series": {
        "task": "events.tasks.extend_all_series",
        "schedule": crontab(hour=4, minute=15),
    },
    "assign-person-keys": {
        "task": "tickets.tasks.assign_person_keys",
        "schedule": crontab(minute="*/5", hour="0,1,3-23"),
    },
    "refresh-visit-rollups": {
        "task": "visitor_stats.tasks.refresh_rollups",
        "schedule": crontab(minute="*/5", hour="0,1,3-23"),
    },
    "rebuild-visit-rollups": {
        "task": "visitor_stats.tasks.rebuild_rollups",
        "schedule": crontab(hour=3, minute=30),
    },
    "pseudonymise-past-orders": {
        "task": "tickets.tasks.pseudonymise_past_orders",
        "schedule": crontab(hour=4, minute=45),
    },
}

# Payments: Stripe Checkout (cards and MobilePay). Without a secret key, DEBUG runs a local simulator.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
# Ed25519 keys that sign ticket QR codes: "id:base64key,id:base64key"; the highest id (or
# TICKET_SIGNING_KEY_ID) signs new tickets, all listed keys verify. Without keys, DEBUG derives one.
TICKET_SIGNING_KEYS = os.environ.get("TICKET_SIGNING_KEYS", "")
TICKET_SIGNING_KEY_ID = os.environ.get("TICKET_SIGNING_KEY_ID", "")
# How long tickets are held for a buyer before payment (minutes).
RESERVATION_MINUTES = int(os.environ.get("RESERVATION_MINUTES", "15"))
# Secret for the pseudonymous person keys (HMAC of a buyer's e-mail) that count unique residents.
# Keep it stable: changing it makes last year's people look new. Without it, one is derived from SECRET_KEY.
VISITOR_KEY_SECRET = os.environ.get("VISITOR_KEY_SECRET", "")
# Days after an event has ended before its orders' names and e-mail addresses are removed.
PSEUDONYMISE_AFTER_DAYS = int(os.environ.get("PSEUDONYMISE_AFTER_DAYS", "90"))
# How far ahead a repeating event is turned into dated occurrences.
EVENT_SERIES_HORIZON_DAYS = int(os.environ.get("EVENT_SERIES_HORIZON_DAYS", "400"))
# How long public catalogue responses may be cached (seconds); edits clear it at once.
CATALOGUE_CACHE_SECONDS = int(os.environ.get("CATALOGUE_CACHE_SECONDS", "60"))
# The domain in calendar UIDs; it must never change once feeds are published.
CALENDAR_UID_DOMAIN = os.environ.get("CALENDAR_UID_DOMAIN", "kultur.helsingor.dk")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"skip_conflicts": {"()": "config.logging_filters.SkipConflicts"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django logs every 4xx answer as a warning; 409s (sold out, already used) are left out.
    "loggers": {"django.request": {"filters": ["skip_conflicts"]}},
}
