"""Relance settings, read from the environment (see the README's table)."""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from crm.env import env_bool, env_choice, env_int, env_list, env_str, parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-DJANGO_DEBUG=on"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# The optional prospection module ("peut ou non être présent").
PROSPECTION_ENABLED = env_bool("CRM_PROSPECTION", True)
CRM_CURRENCY = env_str("CRM_CURRENCY", "CAD")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "crm.signin.SignInGuardConfig",  # django-axes, the sign-in guard (AXES_* below)
    "django_tasks_db",  # background jobs' queue, in the database (TASKS below)
    "crm",
    "contacts",
    "notes",
    "privacy",
    "search",  # the header search: each app registers what it finds (search_sources.py)
]
if PROSPECTION_ENABLED:
    INSTALLED_APPS.append("prospection")
INSTALLED_APPS.append("dataimport")  # import pages, background jobs, the import log (after the apps it imports)

# The REST API (api/, README "API"): personal tokens only, a page of 50 by keyset, a
# request budget per token; the schema and its documentation page from drf-spectacular.
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar", "api"]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["api.auth.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env_str("API_THROTTLE_RATE", "1200/minute")},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Relance API",
    "DESCRIPTION": ("Contacts, people, notes and opportunities" if PROSPECTION_ENABLED else "Contacts, people and notes")
    + ", under the same visibility and permissions as the pages. "
    "Authenticate with a personal token: `Authorization: Bearer rlk_…`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "AUTHENTICATION_WHITELIST": ["api.auth.TokenAuthentication"],
}
# Webhook deliveries: attempts before giving up, and the first wait (then ×4 each time).
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 5)
WEBHOOK_FIRST_RETRY_SECONDS = env_int("WEBHOOK_FIRST_RETRY_SECONDS", 30)
# Webhooks may reach private and loopback addresses (an intranet's receivers): off, see api/webhook_urls.py.
API_WEBHOOK_ALLOW_PRIVATE = env_bool("API_WEBHOOK_ALLOW_PRIVATE", False)

# Background jobs (Django's Tasks framework): queued in the database, run by
# `manage.py db_worker` (several workers on several hosts are safe: each job is
# claimed with SELECT ... FOR UPDATE SKIP LOCKED). `make run` starts one.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

MIDDLEWARE = [
    # First: one log line per request and its id on every record (crm/request_log.py).
    "crm.request_log.request_log",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # No database connection to be had: 503 "busy, try again" before anything queries.
    "crm.unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Cache-Control: private on every signed-in page.
    "crm.middleware.private_pages",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change in the models' history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "crm.middleware.atomic_writes",
    # A merged contact's old address leads to the survivor (only when the page would be a 404).
    "privacy.middleware.merged_contact_redirect",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: turns a refused sign-in into the locked-out page (AXES_* below).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "crm.urls"
WSGI_APPLICATION = "crm.wsgi.application"

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
                "crm.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": parse_database_url(
        env_str("DATABASE_URL", "sqlite:///db.sqlite3"), base_dir=BASE_DIR
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A server that does not answer costs a request 3 s, then a 503 (crm/unavailable.py),
    # not a worker hung for the kernel's TCP timeout. ?connect_timeout= in DATABASE_URL wins.
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 3)
else:
    # WAL lets readers go on while one request writes; the timeout makes
    # concurrent writers wait instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_str("REDIS_URL"):
    # Django's Redis cache, except that a failing or stalled Redis reads as a miss
    # (0.25 s socket timeouts, then left alone for a few seconds, one warning in the
    # log): pages are served from the database instead of answering 500.
    CACHES["default"] = {
        "BACKEND": "crm.cache.ResilientRedisCache",
        "LOCATION": env_str("REDIS_URL"),
    }
# Background jobs' live progress and heartbeat (dataimport/jobs.py): the import's own transaction may
# hold the database's write lock, so not in the database. Several hosts: Redis (REDIS_URL) is shared;
# otherwise a file cache, read by the web server and the workers of this one host.
CACHES["jobs"] = (
    {**CACHES["default"], "KEY_PREFIX": "jobs"} if env_str("REDIS_URL") else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str("JOB_PROGRESS_DIR", os.path.join(tempfile.gettempdir(), "relance-job-progress")),
    }
)
# A job whose worker gave no sign of life for this long is marked failed (its heartbeat: every 2 s).
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 30)
# Sessions stay in the database, whatever the cache: a Redis outage or flush
# must not sign everyone out, and every app server reads the same sessions.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTHENTICATION_BACKENDS = [
    # First: refuses, without checking the password, a user name + address that is locked out.
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, reading a user's permissions in one query (every page checks them).
    "crm.auth_backends.OneQueryModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in guard (django-axes, rules in crm/signin.py). Five failed sign-ins for one user
# name from one address lock that pair for 15 minutes, through every door that checks a
# password: the sign-in page, the admin login (both through authenticate()) and the
# password page (wrong current passwords, crm/forms.py). Failures are rows in the database
# (AccessAttempt), so every process and every server counts together, with or without
# Redis; administrators see and delete them in the admin ("Sign-in locks"), or run
# `manage.py axes_reset_username <name>`.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Name and address together: an office's typos behind one address lock only the names
# that made them, and a guesser's address does not lock out the account elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True  # a success clears its own name + address, nothing else
# Tries during a lock are refused without a password check and do not prolong it:
# the lock ends 15 minutes after the fifth failure, as the message says.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# ｖictim, 𝐯ictim, VICTIM and " victim " are all counted as victim.
AXES_USERNAME_CALLABLE = "crm.signin.username_key"
# REMOTE_ADDR, never X-Forwarded-For: the client writes that header, and a forged one
# would give every guess a fresh address (see crm.signin.client_address).
AXES_CLIENT_IP_CALLABLE = "crm.signin.client_address"
# The sign-in page (or the admin's, or the password page) again, with the lock's message, 429.
AXES_LOCKOUT_CALLABLE = "crm.signin.lockout_response"
# Successful sign-ins are not recorded (AccessLog would keep every address for ever).
AXES_DISABLE_ACCESS_LOG = True
# Masked in the attempt rows the admin shows and in the log lines.
AXES_SENSITIVE_PARAMETERS = [
    "username", "ip_address", "password", "old_password", "new_password1", "new_password2",
    "csrfmiddlewaretoken",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env_choice("LANGUAGE_CODE", "fr", ["fr", "en"])
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates nobody reads two ways (2026-12-01, 1 Dec 2026); French keeps Django's.
FORMAT_MODULE_PATH = ["crm.formats"]
TIME_ZONE = env_str("TIME_ZONE", "America/Toronto")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Third-party assets come from npm (package.json) and are never committed.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/sortablejs", NODE_MODULES / "sortablejs"),
]
# Files browsers ask for at the site's root (/favicon.ico), served by whitenoise to anyone.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
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

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail (reminders): SMTP (a local relay on port 25 unless told otherwise);
# printed on the console in development when no EMAIL_HOST is given.
if DEBUG and not env_str("EMAIL_HOST"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": 30,
            },
        }
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Relance <relance@localhost>")
# Absolute links in e-mails and the calendar feed.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The most an imported .xlsx may hold once decompressed (a 100,000-row workbook: ~90 MB).
# Retention (privacy): `manage.py purge_inactive` erases inactive contacts with no note
# and no change for this many years; 0 turns the rule off.
PRIVACY_RETENTION_YEARS = env_int("PRIVACY_RETENTION_YEARS", 0)
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
# The largest file the import page takes (kept in the database, 1 MB a row, until imported).
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
# An export of more rows than this is written by a background job (dataimport/exports.py), whose file
# its user may download for EXPORT_KEEP_HOURS hours; then it is deleted.
EXPORT_BACKGROUND_ROWS = env_int("EXPORT_BACKGROUND_ROWS", 5000)
EXPORT_KEEP_HOURS = env_int("EXPORT_KEEP_HOURS", 24)

# Security: strict by default, relaxed only for local development over http.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script reads it: forms carry the token
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
# Load balancers probe the health check over plain http (crm/health.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]

# Logs on standard error: one line per request (crm.request), warnings and errors with
# the request's id; `key=value` text, or one JSON object a line with DJANGO_LOG_FORMAT=json.
# Django's loggers write request paths, which for the calendar feed hold its secret: the
# filter puts the URL pattern's name in their place (crm/request_log.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "crm.request_log.RequestContextFilter"}},
    "formatters": {
        "plain": {"()": "crm.request_log.PlainFormatter"},
        "json": {"()": "crm.request_log.JSONFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env_choice("DJANGO_LOG_FORMAT", "plain", ["plain", "json"]),
            "filters": ["request_context"],
        },
    },
    "loggers": {
        # Django's default handlers (console when DEBUG, mail_admins) replaced by ours.
        "django": {"handlers": [], "level": "INFO"},
        "django.request": {"filters": ["request_context"]},
        "django.security.csrf": {"filters": ["request_context"]},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "crm.request": {"level": env_str("DJANGO_REQUEST_LOG_LEVEL", "INFO")},
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}
