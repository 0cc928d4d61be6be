"""Settings for vernetzt, read from environment variables prefixed with ``VERNETZT_``.

Nothing set means the embedded default: SQLite in ``var/``, a local secret key kept in ``var/``,
only 127.0.0.1 and localhost. Production sets at least ``VERNETZT_SECRET_KEY``,
``VERNETZT_ALLOWED_HOSTS``, ``VERNETZT_DATABASE_URL`` and ``VERNETZT_HTTPS=1`` (see README).
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.translation import gettext_lazy

from vernetzt.page_urls import slug_path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VERNETZT_VAR_DIR", BASE_DIR / "var"))


def env(name, default=""):
    return os.environ.get(f"VERNETZT_{name}", default)


def env_bool(name, default=False):
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# Where the embedded default keeps its secret key (used when VERNETZT_SECRET_KEY is not set).
SECRET_KEY_FILE = VAR_DIR / "secret_key"


def local_secret_key():
    """A random key kept in var/ so that the embedded default needs no configuration."""
    path = SECRET_KEY_FILE
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# Debug pages and template reloading; never on in production.
DEBUG = env_bool("DEBUG")
# Signing key for sessions, links and tokens; production must set it.
SECRET_KEY = env("SECRET_KEY") or local_secret_key()
# Earlier keys, comma-separated, still accepted for signed links, sessions and password links after
# the key is changed (README, "Changing the secret key"); drop them once those links have expired.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")
# Host names this installation answers to.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
# Trusted origins for CSRF checks behind a proxy (https://example.org,...).
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# Served over HTTPS only: secure cookies, HSTS and redirects to https.
HTTPS = env_bool("HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# The proxy in front of the application tells us the original scheme in this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A signed-in session ends after this many minutes without a request (a warning comes first) ...
SESSION_IDLE_MINUTES = int(env("SESSION_IDLE_MINUTES") or 30)
# ... and at the latest this many hours after signing in, however active (workspace/sessions.py).
SESSION_ABSOLUTE_HOURS = int(env("SESSION_ABSOLUTE_HOURS") or 10)
# The warning with "Stay signed in" appears this many seconds before the idle timeout.
SESSION_WARNING_SECONDS = 120
# The cookie outlives the absolute limit a little, so that an expired session is recognised as such.
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 3600 + 3600
# Browser features no page of ours uses, switched off for every answer (vernetzt/headers.py).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), usb=(), serial=(), xr-spatial-tracking=()"
)
# Content-Security-Policy (django-csp): scripts, styles, images and requests only from this site;
# no inline script or style, no frames, forms only to this site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

INSTALLED_APPS = [
    # Faces
    "portal",
    "workspace",
    "api",
    # Services
    "importing",
    "matching",
    "analysis",
    "meetings",
    "needs",
    "inquiries",
    # Domain
    "register",
    # Third party
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "django_filters",
    "django_tables2",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    # Django
    "vernetzt.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "register.absolute.BaseUrlMiddleware",
    "vernetzt.timezones.SiteTimeZoneMiddleware",
    # Before WhiteNoise and the page cache, so that static files and cached pages carry them too.
    "csp.middleware.CSPMiddleware",
    "vernetzt.headers.PermissionsPolicyMiddleware",
    # Refuses a request body larger than any upload we accept before anything reads it.
    "vernetzt.headers.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session, CSRF and message middleware, so it sees every cookie they set.
    "vernetzt.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Inside the page cache, so that it stores the entry page only per language cookie and Accept-Language.
    "vernetzt.language.EntryLanguageMiddleware",
    # A language the office does not offer (site identity) answers with the German page.
    "vernetzt.language.OfferedLanguageMiddleware",
    "api.language.InterfaceLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "workspace.access.TwoFactorMiddleware",
    "register.history.AuditUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After CSRF and messages: ends idle sessions and keeps a form posted after the end.
    "workspace.sessions.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns a lockout after too many failed sign-ins into our page (workspace.views.auth.locked_out).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vernetzt.urls"

# The public page of a register object (its get_absolute_url) is the portal's. The register knows no
# screen (docs/layers.md), so the project, which wires the layers together, names the pages here. Pages named
# by a slug alone take the path around it once (``vernetzt.page_urls.slug_path``).
ABSOLUTE_URL_OVERRIDES = {
    "register.network": lambda network: slug_path("portal:network", network.slug),
    "register.legislativeterm": lambda term: (
        reverse("portal:term", args=[term.network.slug, term.pk]) if term.network_id else ""
    ),
    "register.organisation": lambda organisation: slug_path("portal:organisation", organisation.slug),
    "register.event": lambda event: slug_path("portal:event", event.slug),
}

# The cache: SQLite files in var/cache (diskcache), shared by every worker process of one server, or
# with VERNETZT_REDIS_URL a Redis server shared by several application servers (see README and
# vernetzt/page_cache.py). Anonymous visitors get public pages and API answers from it until the data
# changes, and at most PAGE_CACHE_SECONDS (VERNETZT_PAGE_CACHE_SECONDS; 0 turns it off).
# Each worker keeps its connections to the SQLite files open (vernetzt/cache.py).
REDIS_URL = env("REDIS_URL")


def redis_caches(url):
    """Both caches on the Redis server at ``url`` (``redis://host:port/db`` or ``rediss://``): "default"
    in the database the address names (0 unless it names one), "pages" in the next one, because emptying
    a Redis cache (``forget_pages()``) empties its whole database."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        raise ImproperlyConfigured("VERNETZT_REDIS_URL must start with redis:// or rediss://")
    database = int(parts.path.strip("/") or 0)
    # A server that does not answer fails the request within a second instead of holding the worker.
    options = {"socket_connect_timeout": 1, "socket_timeout": 1}
    return {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": urlunsplit(parts._replace(path=f"/{database + offset}")),
            "TIMEOUT": 600,
            "KEY_PREFIX": f"vernetzt-{alias}",
            "OPTIONS": options,
        }
        for offset, alias in enumerate(("default", "pages"))
    }


CACHES = {
    "default": {
        "BACKEND": "vernetzt.cache.DiskCache",
        "LOCATION": VAR_DIR / "cache",
        "TIMEOUT": 600,
        "SHARDS": 4,
        "DATABASE_TIMEOUT": 0.05,  # seconds; a busy shard answers "not cached" rather than wait
        "OPTIONS": {"size_limit": 512 * 1024 * 1024},  # bytes; the least recently stored go first
    },
    # The rendered pages themselves, apart from the rest, so that erasing a person can empty it at once.
    "pages": {
        "BACKEND": "vernetzt.cache.DiskCache",
        "LOCATION": VAR_DIR / "cache" / "pages",
        "TIMEOUT": 600,
        "SHARDS": 4,
        "DATABASE_TIMEOUT": 0.05,
        "OPTIONS": {"size_limit": 512 * 1024 * 1024},
    },
}
if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS") or 600)
PAGE_CACHE_NAMESPACES = ("portal", "api", "analysis", "meetings")
WSGI_APPLICATION = "vernetzt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Pages of the whole site that no app owns: the error pages (403, 413, 500).
        "DIRS": [BASE_DIR / "vernetzt" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

# The database: SQLite in var/ unless VERNETZT_DATABASE_URL (or DATABASE_URL) names another.
DATABASE_URL = env("DATABASE_URL") or os.environ.get("DATABASE_URL", "")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)
    if DATABASE_URL
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "vernetzt.sqlite3"}
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, reading timestamps with Python's compiled parser (vernetzt/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "vernetzt.postgresql"
    # No JIT compilation: the site's queries read a few thousand rows through indexes and take
    # milliseconds, but the planner's estimates for some (the search's ranking reads up to POSTINGS
    # places per stem) pass jit_above_cost, and compiling then takes 40 ms, longer than the query.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one request writes; the timeout waits for a busy writer.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "workspace:login"
LOGIN_REDIRECT_URL = "workspace:home"
# django-axes counts failed sign-ins (password and one-time code) before Django checks the password.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# After this many failed sign-ins for one login, or from one address, further tries wait ...
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT") or 10)
# ... this long (hours); the counter starts again after a successful sign-in.
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "meetings.ratelimit.client_address"
AXES_LOCKOUT_CALLABLE = "workspace.views.auth.locked_out"
# Only failed attempts are kept (login, address, browser, time), and only until the wait is over;
# successful sign-ins are not logged.
AXES_DISABLE_ACCESS_LOG = True
# Never stored with a failed attempt.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "token", "csrfmiddlewaretoken", "old_password"]
AXES_VERBOSE = False
# Links in invitation and password mails are valid this many seconds (three days).
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# German first, English complete beside it.
LANGUAGE_CODE = "de"
# Each language named in itself, as a language switch should. Beyond German and English the
# languages most residents of the county speak who are new to German (the office's translations).
LANGUAGES = [
    ("de", "Deutsch"),
    ("en", "English"),
    ("ar", "العربية"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("fa", "فارسی"),
    # Leichte Sprache (easy-to-read German) is a variant of German, tagged with a private-use subtag
    # as BCP 47 allows (``lang="de-x-ls"``: screen readers read it as German). Django takes the tag
    # as it is: i18n_patterns gives it the prefix /de-x-ls/, ``to_locale`` makes it the locale
    # ``de_X-ls`` (the catalogues' folder, which ``makemessages -l de_X-ls`` accepts), and gettext
    # reads ``de_X-ls`` and then ``de``, so a string not written in Leichte Sprache falls back to the
    # German catalogue (``check_for_language`` finds it through that German catalogue too). (That German
    # is each app's own first: where two apps translate the same English words differently, Leichte
    # Sprache may show the other app's German word.) Dates and
    # numbers follow German formats (``de`` after ``de_X-ls`` in the format modules). Its name and
    # direction for ``get_language_info`` are in LANG_INFO below.
    ("de-x-ls", "Leichte Sprache"),
]
# Django's table of languages knows no Leichte Sprache: without this entry ``get_language_info``
# would answer with German's (named "Deutsch").
LANG_INFO.setdefault(
    "de-x-ls", {"bidi": False, "code": "de-x-ls", "name": "Leichte Sprache", "name_local": "Leichte Sprache"}
)
# The empty choice of the lists' filters says what it does (django-filter's default is "---------").
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("all")
# The project's own catalogue (error pages, middleware); each app keeps its own beside.
LOCALE_PATHS = [BASE_DIR / "vernetzt" / "locale"]
# English pages write dates as in Britain (31/12/2025), not as in the US (``vernetzt/formats/en``).
FORMAT_MODULE_PATH = ["vernetzt.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where collectstatic puts files for production.
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end libraries installed from the npm registry at pinned versions (package-lock.json).
    ("vendor/cytoscape", BASE_DIR / "node_modules" / "cytoscape" / "dist"),
    ("vendor/tom-select", BASE_DIR / "node_modules" / "tom-select" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Serve static files straight from the apps unless collected for production.
WHITENOISE_USE_FINDERS = not env_bool("STATIC_MANIFEST")
# Where `manage.py backup` puts its archives unless told otherwise.
BACKUP_DIR = Path(env("BACKUP_DIR", str(VAR_DIR / "backups")))
# Uploaded files (minutes, attachments).
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Largest upload accepted (bytes); larger files are refused with a clear message.
MAX_UPLOAD_SIZE = int(env("MAX_UPLOAD_SIZE", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest request body (bytes): the largest upload and room for the other fields of its form.
# A larger request is answered with 413 before its body is read (vernetzt/headers.py).
MAX_REQUEST_SIZE = MAX_UPLOAD_SIZE + 1024 * 1024

# Outgoing mail through SMTP; without a host, mail is written to the console.
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 20
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "vernetzt <vernetzt@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The office's address until it sets one in the workspace (Website → Who runs this site): the first
# migration copies it into the site identity; calendar files and OParl fall back to it while that is empty.
OFFICE_EMAIL = env("OFFICE_EMAIL", "migration-inklusion@localhost")
# Absolute base URL of the installation (https://vernetzt.example.org) for OParl ids and links in mails,
# calendars and feeds; unset, they come from the request's host and port (register/absolute.py).
SITE_URL = env("SITE_URL", "")

# Background work: task queues kept in the database, run by `manage.py db_worker`. Imports have a queue
# of their own ("imports") with a worker of its own, so that a long import never delays the mail.
TASK_QUEUES = ["default", "imports"]
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if env_bool("TASKS_IMMEDIATE")
        else "django_tasks_db.DatabaseBackend",
        "QUEUES": TASK_QUEUES,
    }
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "api.rest.schema.RegisterAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.rest.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": ["api.rest.parsers.SafeJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "api.rest.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.rest.throttles.AnonymousThrottle",
        "api.rest.throttles.UserThrottle",
        "api.rest.throttles.WriteThrottle",
    ],
    # Requests to the JSON API per client: anonymous by address, with a token by user, and writes.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_RATE_ANONYMOUS", "120/minute"),
        "user": env("API_RATE_USER", "600/minute"),
        "write": env("API_RATE_WRITE", "60/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "vernetzt API",
    "DESCRIPTION": "Register of the networks of the office that runs this site (see the OParl system object).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Requests and answers are described apart: what a client may send is stricter than what older data shows.
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every step of a PDF at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes logs every check at INFO; failed sign-ins (login and address masked) at WARNING.
        "axes": {"level": "WARNING"},
    },
}
