"""The one settings module. Every deployment difference comes from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env is a convenience for developers; production sets real environment variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Without a key the production server must refuse to start; DEBUG alone may use a throwaway one.
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use" if DEBUG else "")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_NAME = env.str("SITE_NAME", default="Giáo Dục Số")
# The public address, for links in e-mails (a worker has no request to build them from).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # For its bundled Swagger UI static files: the API docs load nothing from a CDN.
    "ninja",
    "giaoducso.core",
    "giaoducso.directory",
    "giaoducso.exchange",
    "giaoducso.records",
    "giaoducso.office",
    "giaoducso.admissions",
    "giaoducso.portal",
    "giaoducso.reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and everything else that queries: a NUL or an oversized body stops here.
    "giaoducso.core.middleware.RequestGuardMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication, so that a signed-in user's saved language counts.
    "giaoducso.core.middleware.VietnameseFirstLocaleMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "giaoducso.core.middleware.RequestContextMiddleware",
    "giaoducso.core.middleware.ActiveMembershipMiddleware",
    "giaoducso.core.middleware.TwoFactorRequiredMiddleware",
    "giaoducso.core.middleware.MustChangePasswordMiddleware",
    # Last, so that it sees the final outcome of a login attempt.
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "giaoducso.core.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Unset → an SQLite file in the project folder; postgres://… → PostgreSQL through psycopg 3.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker write job progress while the web server reads it.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0)
# Behind PgBouncer in transaction mode (before 1.21) a server-side prepared statement may land on another
# server connection: set false there and the result-day lookup binds on the client like every other query.
DB_PREPARED_STATEMENTS = env.bool("DB_PREPARED_STATEMENTS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -----------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Users and authentication -----------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "giaoducso.core.auth_backends.UsernameOrEmailBackend",
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "giaoducso.core.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
]

# Lockout after repeated failures (django-axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "giaoducso.core.views.auth.lockout_response"
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# Finding a student of another school for a transfer (identifier + date of birth): after this many
# failed lookups within the window, per account and per address, lookups are refused until it ends.
TRANSFER_LOOKUP_MAX_FAILURES = env.int("TRANSFER_LOOKUP_MAX_FAILURES", default=10)
TRANSFER_LOOKUP_WINDOW_MINUTES = env.int("TRANSFER_LOOKUP_WINDOW_MINUTES", default=15)

# Two-factor authentication (TOTP) is required for the roles listed in core.roles.TWO_FACTOR_ROLES.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=True)
OTP_TOTP_ISSUER = SITE_NAME

# --- Session and cookie security --------------------------------------------------------------
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content security policy (django-csp): every asset is ours, nothing inline, no third party.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Vietnamese dates are dd/mm/yyyy everywhere, in both languages of the interface.
FORMAT_MODULE_PATH = ["config.formats"]
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S"]

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Imports (students, staff, schools, the Ministry's codes): what one uploaded file may make a worker do
# The largest file accepted by an upload screen, in bytes (the setting is in MB).
IMPORT_MAX_UPLOAD_SIZE = env.int("IMPORT_MAX_UPLOAD_MB", default=50) * 1024 * 1024
# Rows below the header, blank rows included; reading stops at the first row past it and refuses the file.
# 100,000 is the size bench/import_students.py holds within its 300 MB target.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=100_000)
# Checking stops after this many errors; the report says where it stopped. Warnings are kept up to it.
IMPORT_MAX_ERRORS = env.int("IMPORT_MAX_ERRORS", default=1_000)

# --- Background jobs (django-tasks) -----------------------------------------------------------
# "db" stores tasks in the database for `manage.py db_worker` (any number of machines);
# "immediate" runs them in-process after commit (tests).
TASKS_BACKEND = env.str("TASKS_BACKEND", default="db")
# A job whose worker grows by more than this many MB (resident memory) since the job started fails with
# a message instead of taking the machine's memory; 0 turns the guard off. Checked at each progress step.
JOB_MAX_MEMORY_MB = env.int("JOB_MAX_MEMORY_MB", default=1024)
TASKS = {
    "default": {
        "BACKEND": {
            "db": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND]
    }
}

# --- E-mail and SMS ---------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Giáo Dục Số <no-reply@localhost>")
SMS_BACKEND = env.str("SMS_BACKEND", default="giaoducso.core.sms.LoggingSmsBackend")

# --- API --------------------------------------------------------------------------------------
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=50)
API_MAX_PAGE_SIZE = 500

# --- Logging: one JSON object a line, so that log shippers need no parsing rules ---------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "giaoducso.core.logging.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "giaoducso.core.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}

# Append-only audit log enforced by database triggers (see giaoducso/core/db_guards.py).
AUDIT_DB_TRIGGERS = True

# --- reporting: website checks and the education sector's domains ----------------------------------------
# A CA bundle the site checks trust instead of the system's (a city's private CA); empty: the system's.
SITE_CHECK_CA_FILE = env.str("SITE_CHECK_CA_FILE", default="") or None
# Whether a school's URL may point inside a private network (never in production: the checker must not be a
# way into the server's own network).
SITE_CHECK_ALLOW_PRIVATE = env.bool("SITE_CHECK_ALLOW_PRIVATE", default=False)
# Host suffixes that count as the sector's official domains (websites, e-mail).
EDU_DOMAIN_SUFFIXES = tuple(env.list("EDU_DOMAIN_SUFFIXES", default=[".edu.vn"]))
