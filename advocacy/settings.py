"""Chorus settings: one module, read from the environment (see .env.example).

Development needs nothing installed: SQLite under var/, a filesystem Celery
broker under var/, local-memory cache, console email, and the sandbox social
network. Production sets DJANGO_ENV=production and the variables it then
requires; a missing one stops startup with its name.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from advocacy import dependencies as deps
from advocacy.dependencies import check_service_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"
# pytest sets PYTEST_VERSION; tests run Celery tasks eagerly unless a test starts a real worker.
TESTING = env.bool(
    "CHORUS_TESTING", default="PYTEST_VERSION" in os.environ or "pytest" in sys.argv[0]
)


def _required(name: str) -> str:
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required when DJANGO_ENV=production."
        )
    return value


def _development_secret_key() -> str:
    """One random key per checkout, kept under var/ so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env.bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = (
    _required("SECRET_KEY")
    if PRODUCTION
    else env.str("SECRET_KEY", default="") or _development_secret_key()
)
ALLOWED_HOSTS = (
    env.list("ALLOWED_HOSTS", default=[]) or _required("ALLOWED_HOSTS").split(",")
    if PRODUCTION
    else env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")

PRODUCT_APPS = ["social", "content_library", "campaigns", "analytics", "recognition", "surveys"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.microsoft",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",  # per-organization apps: advocacy/identity/saml/
    # platform core
    "advocacy.tenancy",
    "advocacy.accounts",
    "advocacy.audit",
    "advocacy.privacy",
    "advocacy.identity",
    # product apps
    *PRODUCT_APPS,
    "campaigns.digests",  # content digests: its own app label and migrations (campaigns/digests/)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "advocacy.accounts.middleware.UserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "advocacy.tenancy.middleware.OrganizationMiddleware",
    "advocacy.audit.context.AuditRequestMiddleware",
]

ROOT_URLCONF = "advocacy.urls"
WSGI_APPLICATION = "advocacy.wsgi.application"
ASGI_APPLICATION = "advocacy.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "advocacy.tenancy.context_processors.organization",
            ],
        },
    },
]

# --- data -----------------------------------------------------------------
# A URL that cannot work stops startup naming its variable (advocacy/dependencies.py).
check_service_url(
    "DATABASE_URL", env.str("DATABASE_URL", default=""), schemes=deps.DATABASE_SCHEMES
)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'chorus.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default: readers never wait for the writer (WAL), writers queue for
    # the lock at BEGIN instead of failing half-way (IMMEDIATE), and wait up to 20 s.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": deps.SQLITE_BUSY_TIMEOUT,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
else:
    # Every query has a time limit, and so does connecting.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DB_CONNECT_TIMEOUT", default=deps.DB_CONNECT_TIMEOUT
    )
    _statement_timeout = env.int(
        "DB_STATEMENT_TIMEOUT_MS",
        default=0 if deps.runs_long_statements(sys.argv) else deps.DB_STATEMENT_TIMEOUT_MS,
    )
    if not env.bool("DB_TRANSACTION_POOLING", default=False):
        DATABASES["default"]["OPTIONS"]["options"] = f"-c statement_timeout={_statement_timeout}"
# Behind PgBouncer in transaction mode: role and organization travel with every
# statement (advocacy/tenancy/pooling.py), no server-side cursors, and the statement
# time limit is PgBouncer's to set (it refuses the `options` startup parameter).
DATABASE_TRANSACTION_POOLING = env.bool("DB_TRANSACTION_POOLING", default=False)
if DATABASE_TRANSACTION_POOLING:
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 default, opted into now
# On PostgreSQL the app acts as this role, which cannot bypass row-level security
# (migrations run as the connecting owner). Empty: the connecting user already can't.
DATABASE_APP_ROLE = env.str("DATABASE_APP_ROLE", default="chorus_app")
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

REDIS_URL = check_service_url(
    "REDIS_URL", env.str("REDIS_URL", default=""), schemes=deps.REDIS_SCHEMES
)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": deps.REDIS_CONNECT_TIMEOUT,
                "socket_timeout": deps.REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The click stream's Redis key, and where /r/ appends each click before it is shipped
# to the stream (default var/click-journal; put it on a disk that survives a restart).
CHORUS_CLICK_STREAM = env.str("CHORUS_CLICK_STREAM", default="")
CHORUS_CLICK_JOURNAL_DIR = env.str("CHORUS_CLICK_JOURNAL_DIR", default="")
# How often each web process sends its journal's new clicks to the Redis stream
# (0: never from the web process; the flusher on the same machine drains the journal).
CHORUS_CLICK_SHIP_SECONDS = env.float("CHORUS_CLICK_SHIP_SECONDS", default=0.5)
# Database connections the click flusher stores a large batch over, in parallel
# (PostgreSQL; analytics/clicks/lanes.py).
CHORUS_CLICK_FLUSH_LANES = env.int("CHORUS_CLICK_FLUSH_LANES", default=2)

# --- jobs -----------------------------------------------------------------
CELERY_BROKER_URL = check_service_url(
    "CELERY_BROKER_URL",
    env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://"),
    schemes=deps.BROKER_SCHEMES,
)
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = VAR_DIR / "celery-broker"
    for sub in ("in", "processed", "control"):
        (_broker_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "in"),
        "data_folder_out": str(_broker_dir / "in"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # No countdown in the code base exceeds this; long waits live in the database.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "socket_connect_timeout": deps.BROKER_CONNECT_TIMEOUT,
        "socket_timeout": deps.BROKER_SOCKET_TIMEOUT,
    }
# Sending a task never waits long for a broker that is down or hung.
CELERY_BROKER_CONNECTION_TIMEOUT = deps.BROKER_CONNECT_TIMEOUT
CELERY_TASK_PUBLISH_RETRY_POLICY = deps.BROKER_PUBLISH_RETRY_POLICY
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=TESTING)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# django-celery-beat's scheduler, given every app's AppConfig.periodic_jobs() (advocacy/beat.py).
CELERY_BEAT_SCHEDULER = "advocacy.beat:Scheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {}  # filled from the apps when beat starts

# --- people ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ADAPTER = "advocacy.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "advocacy.accounts.adapters.SocialAccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Chorus"

# Single sign-on providers switch on when their credentials are in the environment.
SOCIALACCOUNT_PROVIDERS: dict = {}
if env.str("SSO_GOOGLE_CLIENT_ID", default=""):
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "APPS": [
            {"client_id": env.str("SSO_GOOGLE_CLIENT_ID"), "secret": env.str("SSO_GOOGLE_SECRET")}
        ],
        "SCOPE": ["profile", "email"],
    }
if env.str("SSO_MICROSOFT_CLIENT_ID", default=""):
    SOCIALACCOUNT_PROVIDERS["microsoft"] = {
        "APPS": [
            {
                "client_id": env.str("SSO_MICROSOFT_CLIENT_ID"),
                "secret": env.str("SSO_MICROSOFT_SECRET"),
                "settings": {"tenant": env.str("SSO_MICROSOFT_TENANT", default="organizations")},
            }
        ]
    }
if env.str("SSO_OIDC_CLIENT_ID", default=""):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": "oidc",
                "name": env.str("SSO_OIDC_NAME", default="Single sign-on"),
                "client_id": env.str("SSO_OIDC_CLIENT_ID"),
                "secret": env.str("SSO_OIDC_SECRET"),
                "settings": {"server_url": env.str("SSO_OIDC_SERVER_URL")},
            }
        ]
    }

# --- API ------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "advocacy.accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # The API speaks JSON only (issue 15): a form or multipart body is a 415. The endpoints
    # that take a file (directory import, content item media) name their parsers themselves.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Problem details (RFC 9457); 503 + Retry-After when a dependency is down.
    "EXCEPTION_HANDLER": "advocacy.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Chorus API",
    "DESCRIPTION": "Employee advocacy: content, campaigns, shares, analytics, recognition and pulse surveys.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents the problem-details errors it can answer (issue 15).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "advocacy.api_schema.document_errors",
    ],
    # One name per choice set that several endpoints share.
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "advocacy.settings.LANGUAGES",
        "RoleEnum": "advocacy.tenancy.models.Role.choices",
        "SocialNetworkEnum": "social.models.Network.choices",
        "ConnectionStatusEnum": "social.models.ConnectionStatus",
        "DigestFrequencyEnum": "campaigns.digests.models.Frequency",
    },
}

# --- language and time ----------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("id", _("Bahasa Indonesia"))]
# Each product app keeps its templates and catalogs inside itself; makemessages
# routes a file to the first of these whose folder contains it.
LOCALE_PATHS = [BASE_DIR / app / "locale" for app in PRODUCT_APPS] + [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Data exports (a person's own data, a whole organization): kept outside MEDIA_ROOT (served
# only to whoever may download them) and deleted by a periodic job this many days after
# they were asked for (at least 1). See docs/privacy.md.
PRIVACY_EXPORT_ROOT = env.str("PRIVACY_EXPORT_ROOT", default="") or str(VAR_DIR / "exports")
PRIVACY_EXPORT_KEEP_DAYS = max(1, env.int("PRIVACY_EXPORT_KEEP_DAYS", default=7))
# Organizations' logos: kept outside MEDIA_ROOT too, served only to the organization's
# members (advocacy/tenancy/branding.py).
ORGANIZATION_LOGO_ROOT = env.str("ORGANIZATION_LOGO_ROOT", default="") or str(VAR_DIR / "logos")

# --- email ----------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Chorus <no-reply@chorus.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- social networks ------------------------------------------------------
SANDBOX_URL = env.str("SANDBOX_URL", default="http://127.0.0.1:8765").rstrip("/")
SANDBOX_CONTROL_TOKEN = env.str("SANDBOX_CONTROL_TOKEN", default="sandbox-control")
# Fernet keys, newest first; rotating = prepend a new key and keep the old ones.
SOCIAL_TOKEN_KEYS = env.list("SOCIAL_TOKEN_KEYS", default=[])
if PRODUCTION and not SOCIAL_TOKEN_KEYS:
    _required("SOCIAL_TOKEN_KEYS")
# Empty: the adapter sends last month's version (LinkedIn retires versions after a year).
LINKEDIN_API_VERSION = env.str("LINKEDIN_API_VERSION", default="")
# Graph API version (empty: the adapter's tested default); the system check warns
# 90 days before Meta retires it. See docs/networks.md.
FACEBOOK_GRAPH_VERSION = env.str("FACEBOOK_GRAPH_VERSION", default="")
# LinkedIn member analytics need the vetted Community Management API: ask for
# r_member_postAnalytics / r_member_profileAnalytics only once LinkedIn approved it.
SOCIAL_LINKEDIN_ANALYTICS = env.bool("SOCIAL_LINKEDIN_ANALYTICS", default=False)
SOCIAL_HTTP_TIMEOUT = env.float("SOCIAL_HTTP_TIMEOUT", default=15.0)
# Content digests go out from this local hour (organization's time zone); weekly ones from
# this weekday (0 = Monday) on.
DIGEST_SEND_HOUR = env.int("DIGEST_SEND_HOUR", default=8)
DIGEST_WEEKDAY = env.int("DIGEST_WEEKDAY", default=0)
# Employees hear this many days before a connection's access ends for good.
SOCIAL_EXPIRY_WARN_DAYS = env.int("SOCIAL_EXPIRY_WARN_DAYS", default=7)
# A network whose SOCIAL_<NETWORK>_CLIENT_ID is set talks to the real network; the
# others talk to the sandbox. Mastodon registers an app per instance instead.
_REAL_NETWORK_URLS = {
    "linkedin": ("https://www.linkedin.com", "https://api.linkedin.com"),
    "x": ("https://x.com", "https://api.x.com"),
    "facebook": ("https://www.facebook.com", "https://graph.facebook.com"),
    "bluesky": ("https://bsky.social", "https://bsky.social"),
}
SOCIAL_PROVIDERS: dict = {}
for _network, (_auth_url, _api_url) in _REAL_NETWORK_URLS.items():
    _prefix = f"SOCIAL_{_network.upper()}_"
    if env.str(_prefix + "CLIENT_ID", default="") or env.str(_prefix + "API_URL", default=""):
        SOCIAL_PROVIDERS[_network] = {
            "client_id": env.str(_prefix + "CLIENT_ID", default=""),
            "client_secret": env.str(_prefix + "CLIENT_SECRET", default=""),
            "auth_base_url": env.str(_prefix + "AUTH_URL", default=_auth_url),
            "api_base_url": env.str(_prefix + "API_URL", default=_api_url),
            "scopes": env.list(_prefix + "SCOPES", default=[]) or (),
            "extra": {},
        }
if env.str("SOCIAL_MASTODON_DEFAULT_INSTANCE", default=""):
    _instance = env.str("SOCIAL_MASTODON_DEFAULT_INSTANCE")
    SOCIAL_PROVIDERS["mastodon"] = {
        "auth_base_url": _instance,
        "api_base_url": _instance,
        "extra": {},
    }

# --- clicks ---------------------------------------------------------------
# How many X-Forwarded-For hops to trust (the proxies in front of the app).
CHORUS_TRUSTED_PROXIES = env.int("CHORUS_TRUSTED_PROXIES", default=0)
# Optional GeoLite2-Country.mmdb for click countries (needs the geoip2 package).
GEOIP_COUNTRY_DATABASE = env.str("GEOIP_COUNTRY_DATABASE", default="")

# --- security -------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # These two log token bodies at DEBUG; never let them.
        "requests_oauthlib": {"level": "INFO"},
        "oauthlib": {"level": "INFO"},
        "chorus.audit": {"level": "INFO"},
    },
}
