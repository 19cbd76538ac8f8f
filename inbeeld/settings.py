"""Inbeeld settings: everything comes from INBEELD_* environment variables.

Bad values fail loudly at start-up. Secrets may come from ``<NAME>_FILE`` instead.
Outside demo/debug mode the app refuses to start without a secret key and field keys.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.utils.translation import gettext_lazy as _

from inbeeld.envconfig import (
    ImproperlyConfiguredSetting,
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
    load_or_create_dev_secrets,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("INBEELD_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("INBEELD_DEBUG", False)
# Demo mode: the demo network, printed logins, and 2FA may be waived (with a banner).
DEMO_MODE = env_bool("INBEELD_DEMO", False)
DEMO_WAIVE_2FA = DEMO_MODE and env_bool("INBEELD_DEMO_WAIVE_2FA", True)

_dev_secrets = load_or_create_dev_secrets(VAR_DIR) if (DEBUG or DEMO_MODE) else {}

SECRET_KEY = env_secret("INBEELD_SECRET_KEY") or _dev_secrets.get("secret_key", "")
FIELD_KEYS = env_list("INBEELD_FIELD_KEYS", secret=True) or _dev_secrets.get("field_keys", [])
BLIND_INDEX_KEY = env_secret("INBEELD_BLIND_INDEX_KEY") or _dev_secrets.get("blind_index_key", "")

_missing = [
    name
    for name, value in (
        ("INBEELD_SECRET_KEY", SECRET_KEY),
        ("INBEELD_FIELD_KEYS", FIELD_KEYS),
        ("INBEELD_BLIND_INDEX_KEY", BLIND_INDEX_KEY),
    )
    if not value
]
if _missing:
    raise ImproperlyConfiguredSetting(
        "Inbeeld will not start without "
        + ", ".join(_missing)
        + ". Set them (or <NAME>_FILE pointing to a file that holds the value), "
        "or set INBEELD_DEMO=1 / INBEELD_DEBUG=1 for a local demo with generated keys. "
        "Generate a field key with: python -c 'from cryptography.fernet import Fernet; "
        "print(Fernet.generate_key().decode())'"
    )
for _key in FIELD_KEYS:
    try:
        Fernet(_key.encode())
    except (ValueError, TypeError):
        raise ImproperlyConfiguredSetting(
            "INBEELD_FIELD_KEYS must hold Fernet keys (32 url-safe base64-encoded bytes), newest first, "
            "separated by commas."
        ) from None
if len(SECRET_KEY) < 32:
    raise ImproperlyConfiguredSetting("INBEELD_SECRET_KEY must be at least 32 characters long.")

ALLOWED_HOSTS = env_list("INBEELD_ALLOWED_HOSTS") or (
    ["127.0.0.1", "localhost", "[::1]"] if (DEBUG or DEMO_MODE) else []
)
CSRF_TRUSTED_ORIGINS = env_list("INBEELD_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "inbeeld.core",
    "inbeeld.people",
    "inbeeld.care",
    "inbeeld.radar",
    "inbeeld.huiskamer",
    "inbeeld.shelter",
    "inbeeld.chain",
    "inbeeld.chain.episodes",
    "inbeeld.chain.emergency",
    "inbeeld.chain.transfers",
    "inbeeld.chain.referrals",
    "inbeeld.reports",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "inbeeld.core.middleware.DutchUnlessChosenMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "inbeeld.core.middleware.MembershipMiddleware",
    "inbeeld.core.middleware.RequireTwoFactorMiddleware",
]

ROOT_URLCONF = "inbeeld.urls"
WSGI_APPLICATION = "inbeeld.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "inbeeld" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inbeeld.core.context_processors.inbeeld",
            ],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'inbeeld.sqlite3'}"
# Reusing a connection saves ~15 ms per request on PostgreSQL (bench/README.md); health-checked.
DB_CONN_MAX_AGE = env_int("INBEELD_DB_CONN_MAX_AGE", 60, minimum=0, maximum=3600)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("INBEELD_DATABASE_URL", _default_db), conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Take the write lock at BEGIN: audit events chain on the previous row.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"].endswith("postgresql") and not env_bool("INBEELD_DB_JIT", False):
    # Short OLTP queries: PostgreSQL's JIT spent more time compiling the radar's counts than running
    # them (bench/README.md). Off unless the operator asks for it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login rate limits live in the cache: in production it is shared by all workers (the database).
_cache = env_str("INBEELD_CACHE", "locmem" if (DEBUG or DEMO_MODE) else "database")
if _cache == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif _cache == "database":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "inbeeld_cache",
        }
    }
else:
    raise ImproperlyConfiguredSetting("INBEELD_CACHE must be 'locmem' or 'database'.")

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after a period without activity.
SESSION_IDLE_MINUTES = env_int("INBEELD_SESSION_IDLE_MINUTES", 30, minimum=1, maximum=24 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("INBEELD_SECURE_COOKIES", not (DEBUG or DEMO_MODE))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "inbeeld.core.auth.InbeeldAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("INBEELD_LOGIN_RATE_LIMIT", "5/5m/ip,5/5m/key"),
    "login": "30/m/ip",
    "reset_password": "5/m/ip,3/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_ADAPTER = "inbeeld.core.auth.InbeeldMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Inbeeld"
# Accept the code of the previous or next 30-second window: phone clocks drift and people type slowly.
MFA_TOTP_TOLERANCE = 1
MFA_RECOVERY_CODE_COUNT = 10

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "inbeeld" / "locale"]
FORMAT_MODULE_PATH = ["inbeeld.formats"]
TIME_ZONE = env_str("INBEELD_TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "inbeeld" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or DEMO_MODE
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or DEMO_MODE

_email_host = env_str("INBEELD_EMAIL_HOST", "")
if _email_host:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email_host
    EMAIL_PORT = env_int("INBEELD_EMAIL_PORT", 587, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env_str("INBEELD_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = env_secret("INBEELD_EMAIL_PASSWORD") or ""
    EMAIL_USE_TLS = env_bool("INBEELD_EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("INBEELD_DEFAULT_FROM_EMAIL", "inbeeld@localhost")

# Background work (the daily radar run, digests) runs as django-tasks on the database: no broker.
# ``manage.py db_worker`` executes them; INBEELD_TASKS=immediate runs them in the request instead.
_tasks = env_str("INBEELD_TASKS", "database")
if _tasks == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif _tasks == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfiguredSetting("INBEELD_TASKS must be 'database' or 'immediate'.")

# Links in emails (the daily digest) point here.
BASE_URL = env_str("INBEELD_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
if not BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfiguredSetting("INBEELD_BASE_URL must start with http:// or https://.")
# The radar's daily run and digest: the hour the timer fires is the deployment's (docs/operations.md).

# The country calling code used to normalise national phone numbers for the blind index.
PHONE_COUNTRY_CODE = env_str("INBEELD_PHONE_COUNTRY_CODE", "31")
if not PHONE_COUNTRY_CODE.isdigit():
    raise ImproperlyConfiguredSetting("INBEELD_PHONE_COUNTRY_CODE must be digits, e.g. 31.")

# How many reverse proxies in front of the app append to X-Forwarded-For; 0 trusts none of it.
TRUSTED_PROXY_COUNT = env_int("INBEELD_TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=5)

API_PAGE_SIZE = env_int("INBEELD_API_PAGE_SIZE", 50, minimum=1, maximum=500)
NINJA_PAGINATION_PER_PAGE = API_PAGE_SIZE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("INBEELD_LOG_LEVEL", "WARNING")},
}
