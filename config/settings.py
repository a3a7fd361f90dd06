"""Proactive settings: one module, driven by environment variables.

Every value that differs between a laptop and production comes from the environment;
see docs/operations.md for the list. Defaults are safe for local development only.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
TESTING = env_bool("PROACTIVE_TESTING", default="pytest" in sys.modules)
#: the benchmark's baseline view at /bench/ (bench/views.py); only `make bench` turns it on
BENCH_VIEWS = env_bool("BENCH_VIEWS", default=False)
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-change-me-" + "x" * 32)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks_db",
    "core",
    "accounts",
    "institutions",
    "register",
    "consultations",
    "exemptions",
    "protection",
    "committee",
    "reports",
    "library",
    "recommendations",
    "applications",
    "lessons",
    "contests",
    "rewards",
    "plans",
    "training",
    "oversight",
    "office",
    "portal",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # compresses what every middleware below has finished writing (pages and JSON only)
    "core.middleware.CompressPagesMiddleware",
    # outside everything that may answer early (2FA redirects, CSRF and host errors)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.shell",
                "core.context_processors.page_font",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite is the embedded default: WAL, a busy timeout and IMMEDIATE transactions so that
# concurrent writers wait instead of failing with "database is locked".
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'proactive.sqlite3'}")
# Persistent connections are checked before each request reuses them: after a database
# restart or fail-over the first request opens a new one instead of failing (issue 9).
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 0), conn_health_checks=env_int("CONN_MAX_AGE", 0) > 0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;PRAGMA busy_timeout=20000;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": env("SQLITE_TEST_NAME", "")} if env("SQLITE_TEST_NAME") else {}
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["TEST"] = {
        "NAME": env("POSTGRES_TEST_NAME", "test_proactive"),
        "TEMPLATE": env("POSTGRES_TEST_TEMPLATE", "template0"),
        "CHARSET": "UTF8",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "office:home"
LOGOUT_REDIRECT_URL = "portal:home"

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
# Never keep an address or agent for anyone: the lockout is per account name. Axes' attempt
# rows get no address, browser or Accept header (accounts/lockout.py), its logs no address;
# the access log of successful logins is off. A lockout is audited (accounts.login_locked_out).
AXES_HANDLER = "accounts.lockout.AccountLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.no_address"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken"]
AXES_DISABLE_ACCESS_LOG = True
# Lockout is per account name on purpose (docs/adr/0004): staff sit behind shared NAT
# gateways, so a per-address lockout would lock out whole offices (axes.W006).
# models.W040: the dashboards' covering indexes (INCLUDE columns, issue 8) are PostgreSQL's;
# SQLite builds the same indexes without the included columns, which is all it needs.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]

OTP_TOTP_ISSUER = "Proactive"
# System superusers and Django-admin staff see every institution: a second factor is required
# for them whatever the institution's policy (off for the local demo and the test suite,
# where tests/accounts/test_two_factor.py switches it on).
STAFF_SUPERUSER_2FA = env_bool("STAFF_SUPERUSER_2FA", default=not DEBUG and not TESTING)

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

# --- I18N -----------------------------------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("한국어")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "proactive_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media-not-served/"  # files are only served through permission-checked views

STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env("MEDIA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("MEDIA_S3_BUCKET"),
            "endpoint_url": env("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": env("MEDIA_S3_REGION") or None,
            "access_key": env("MEDIA_S3_ACCESS_KEY") or None,
            "secret_key": env("MEDIA_S3_SECRET_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
if not DEBUG and not TESTING:
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# An upload past the largest limit is dropped as it arrives (core.files.UploadLimitHandler).
FILE_UPLOAD_HANDLERS = [
    "core.files.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 30 * 1024 * 1024)

# --- E-mail -----------------------------------------------------------------------------
# EMAIL_URL: "smtp://user:pass@host:587?tls=1" (production default: smtp://localhost:25),
# "console://" (development default), "locmem://".
EMAIL_URL = env("EMAIL_URL", "console://" if DEBUG else "smtp://localhost:25")


def _mailer(url: str) -> dict[str, object]:
    """Django 6.1's MAILERS entry from an EMAIL_URL."""
    from urllib.parse import parse_qs, unquote, urlparse

    parsed = urlparse(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
    }
    backend = backends.get(parsed.scheme, backends["console"])
    if parsed.scheme != "smtp":
        return {"BACKEND": backend}
    query = parse_qs(parsed.query)
    return {
        "BACKEND": backend,
        "OPTIONS": {
            "host": parsed.hostname or "localhost",
            "port": parsed.port or 25,
            "username": unquote(parsed.username or ""),
            "password": unquote(parsed.password or ""),
            "use_tls": query.get("tls", ["0"])[0] in {"1", "true"},
            "use_ssl": query.get("ssl", ["0"])[0] in {"1", "true"},
            "timeout": 20,
        },
    }


MAILERS = {"default": _mailer("locmem://" if TESTING else EMAIL_URL)}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Proactive <no-reply@proactive.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks -----------------------------------------------------------------
TASK_BACKEND = env("TASK_BACKEND", "django_tasks_db.DatabaseBackend")
TASKS = {"default": {"BACKEND": TASK_BACKEND}}
#: a pending e-mail this old has lost its task (a worker outage): the periodic sweep sends it
NOTIFICATION_STALE_AFTER_SECONDS = env_int("NOTIFICATION_STALE_AFTER_SECONDS", 600)
if TESTING and not env("TASK_BACKEND"):
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

#: how long the dashboards keep a module's figures for one institution without a change in
#: that institution's audit chain (ADR 0033); 0 keeps none (the tests, which load rows
#: without the audit log, turn it on where they test it)
KEPT_FIGURES_SECONDS = env_int("KEPT_FIGURES_SECONDS", default=0 if TESTING else 300)
# "fonts" holds the pages' own font subsets (core/page_fonts.py, ~20 KB each): apart, so
# that they never push rate-limit counters or receipts out of the default cache
CACHES = {
    # Rate-limit counters live here beside kept values: room enough that a burst of kept
    # values cannot push a counter out (Django's default is 300 entries).
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 50_000}},
    "fonts": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fonts",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
if env("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")},
        "fonts": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": "fonts",
        },
    }

# --- Security -------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
#: no other site may embed this one's responses (scripts, images, files): core/middleware.py
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not TESTING)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not TESTING)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not TESTING)
    LANGUAGE_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not TESTING)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if TESTING else 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
#: Proxies in front of the app that append the client's address to X-Forwarded-For. Only the
#: public services' rate limits read it (reports/receipts.py client_key); 0 = REMOTE_ADDR.
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"  # core/middleware.py

# --- API ------------------------------------------------------------------------------
NINJA_PAGINATION_MAX_LIMIT = 200
NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        # a page font's cut (core/page_fonts.py) would log every table it touches
        "fontTools": {"level": "WARNING"},
    },
}
