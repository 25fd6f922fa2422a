"""Settings for the whole site, read from the environment.

It fails closed: production settings (DEBUG off, a secret key required, HTTPS) unless
development is asked for with DJANGO_DEBUG=1, as `make run` and the tests do. Production sets
DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS, and passes `manage.py check --deploy`.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool) -> bool:
    """Read a boolean from the environment ("1", "true", "yes" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_count(name: str, default: int) -> int:
    """Read a whole number, 0 or more, from the environment; unset or empty means the default."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    # Checked here: int() would stop start-up with a bare ValueError ("true", "-1", "1e3").
    if not (value.isascii() and value.isdigit()):
        raise ImproperlyConfigured(f"{name} must be a whole number, 0 or more, not {value!r}")
    return int(value)


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list from the environment, without blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for: a forgotten variable must not show debug pages to the world.
DEBUG = env_flag("DJANGO_DEBUG", False)

# A fixed key is fine for development only; production refuses to start without a real one.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. In production, set it to a long random value "
            "(`make serve` keeps one in .secret_key); for development, set DJANGO_DEBUG=1 "
            "(`make run` and the tests do)."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
# Previous keys, still accepted when checking signatures: after a key rotation, sessions (and with
# them anonymous progress and sign-ins) and password-reset links stay valid.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    # The admin for site staff (learn/staff.py); the simple config, so that only that site exists.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "learn.accounts",
    "learn.classroom",
    "learn.content",
    "learn.diagrams",
    "learn.lessons",
    "learn.core.limits",
    "learn.playground",
    "learn.progress",
    "learn.quizzes",
]

MIDDLEWARE = [
    # First: probes come to the pod's IP over plain HTTP, which the HTTPS redirect and the host
    # check (CommonMiddleware) would refuse; learn/core/health.py answers them before both.
    "learn.core.health.probe_middleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "learn.core.limits.clients.client_cookie_middleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "learn.content.middleware.ContentErrorMiddleware",
]

# Where site staff (is_staff) find the admin; not linked from the site. A path of its own makes
# it a little harder to find; empty turns the admin off.
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin").strip().strip("/")

ROOT_URLCONF = "learn.urls"
WSGI_APPLICATION = "learn.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "learn.core.context_processors.site",
            ],
        },
    },
]

# SQLite next to the code unless DATABASE_URL names another database (PostgreSQL in CI and
# production). conn_max_age keeps connections open between requests; the health check replaces
# one the database closed (say, on a restart) before a request uses it, instead of failing it.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction starts and wait up to 20 s for it: with
    # SQLite's default (deferred) transactions, two sign-ups at once failed with "database is
    # locked" when both tried to turn a read into a write.
    # Options written in DATABASE_URL (a WAL init_command, say) are kept.
    sqlite_options = DATABASES["default"].setdefault("OPTIONS", {})
    sqlite_options.setdefault("transaction_mode", "IMMEDIATE")
    sqlite_options.setdefault("timeout", 20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = (
    "static/"  # relative: served under the sub-path (SCRIPT_NAME) a proxy mounts the site at
)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where collectstatic writes and production serves from (its own folder per checkout or test run).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
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

# Lessons, quizzes and exercises are files; tests point this at a temporary folder.
CONTENT_DIR = Path(os.environ.get("LEARN_CONTENT_DIR", BASE_DIR / "content"))

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:progress"
LOGOUT_REDIRECT_URL = "lessons:home"
# Password-reset mail: printed on the console unless a real backend is configured.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "learn@localhost")

# "renderings" keeps drawn diagrams by their content (learn/diagrams/renderings.py), in the
# database, shared by every worker and replica (`createcachetable` makes its table): at most
# MAX_ENTRIES pictures of at most RENDERING_CACHE_MAX_BYTES each. Nothing uses "default" (rate
# limits count in learn/core/limits), so it stays in memory and needs no table.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "renderings": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "learn_renderings",
        "TIMEOUT": 60 * 60 * 24 * 30,
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
RENDERING_CACHE_MAX_BYTES = 512 * 1024  # a PNG of 100 pods is ~410 KB, most are under 200 KB

# Rate limits (learn/core/limits) count per client in the database, atomically. A client is the
# address the outermost of DJANGO_TRUSTED_PROXY_HOPS reverse proxies saw (the Nth entry from the
# right of X-Forwarded-For); 0 means no proxy: REMOTE_ADDR. DJANGO_TRUST_X_FORWARDED_FOR=1, the
# older switch, still means one proxy.
TRUSTED_PROXY_HOPS = env_count(
    "DJANGO_TRUSTED_PROXY_HOPS", int(env_flag("DJANGO_TRUST_X_FORWARDED_FOR", False))
)
# Per address: posts that hash a password (sign-in, sign-up, password change; ~0.35 s each) a
# minute, sign-ups and password-reset requests an hour, and reset mails to one e-mail address an
# hour (more are silently not sent); class joins a minute; failed sign-ins in 15 minutes, for
# one name and for all names. A class behind one school address shares them all: raise them there.
PASSWORD_HASHES_PER_MINUTE = env_count("PASSWORD_HASHES_PER_MINUTE", 10)
SIGNUPS_PER_HOUR = env_count("SIGNUPS_PER_HOUR", 30)
NEW_ANONYMOUS_LEARNERS_PER_HOUR = env_count("NEW_ANONYMOUS_LEARNERS_PER_HOUR", 100)
PASSWORD_RESETS_PER_HOUR = env_count("PASSWORD_RESETS_PER_HOUR", 10)
PASSWORD_RESET_MAILS_PER_HOUR = env_count("PASSWORD_RESET_MAILS_PER_HOUR", 3)
CLASS_JOINS_PER_MINUTE = env_count("CLASS_JOINS_PER_MINUTE", 20)
FAILED_SIGN_INS_PER_NAME = env_count("FAILED_SIGN_INS_PER_NAME", 5)
FAILED_SIGN_INS_PER_ADDRESS = env_count("FAILED_SIGN_INS_PER_ADDRESS", 20)

# The largest spec the playground checks (bytes); larger input gets a clear message.
PODSPEC_MAX_BYTES = 256 * 1024
# The engine's budgets a minute, in checks of a small spec: every check, run, snapshot page and
# drawing spends from them by size (learn/core/limits/rates.py), so that no one monopolises the
# engine. Per learner (account, session or client cookie): 120, five times what one learner typing
# makes (~24), ~2 s of CPU. Per address, all its learners together: 1200, a class of 40 typing at
# once (40 x 24 = 960) with a quarter to spare, ~20 s of CPU, a third of a core. Per address for
# clients that are nobody yet (a first check, cookies off, a script): 60, shared by all of them.
PLAYGROUND_CHECKS_PER_MINUTE = env_count("PLAYGROUND_CHECKS_PER_MINUTE", 120)
PLAYGROUND_CHECKS_PER_ADDRESS_PER_MINUTE = env_count(
    "PLAYGROUND_CHECKS_PER_ADDRESS_PER_MINUTE", 1200
)
PLAYGROUND_CHECKS_UNIDENTIFIED_PER_MINUTE = env_count(
    "PLAYGROUND_CHECKS_UNIDENTIFIED_PER_MINUTE", 60
)
# The editor's completions and field documentation (one parse each, ~1 ms per 4 KB), in the same
# units and tiers: the editor asks once per word typed or field pointed at, so a fast typist stays
# well within 600; an address's 6000 is a class of 40 at that pace with room, ~6 s of CPU.
PLAYGROUND_ASSISTS_PER_MINUTE = env_count("PLAYGROUND_ASSISTS_PER_MINUTE", 600)
PLAYGROUND_ASSISTS_PER_ADDRESS_PER_MINUTE = env_count(
    "PLAYGROUND_ASSISTS_PER_ADDRESS_PER_MINUTE", 6000
)
PLAYGROUND_ASSISTS_UNIDENTIFIED_PER_MINUTE = env_count(
    "PLAYGROUND_ASSISTS_UNIDENTIFIED_PER_MINUTE", 120
)
# Shared snapshots (learn/playground/sharing.py): the largest one (as large as a spec a
# /diagram/ URL carries), what one address may add a day, and what all of them may hold; when
# full, the oldest snapshots that nobody but their sharer opened make room.
SNAPSHOT_MAX_BYTES = 64 * 1024
SNAPSHOT_BYTES_PER_CLIENT_PER_DAY = 2 * 1024 * 1024
SNAPSHOT_STORAGE_BYTES = env_count("SNAPSHOT_STORAGE_MB", 512) * 1024 * 1024

# Sessions live in the database so progress survives server restarts. Signed-in sessions last a
# year; an anonymous learner's session, and the learner (`manage.py clearanonymous`), last
# ANONYMOUS_PROGRESS_DAYS after their last visit.
SESSION_COOKIE_AGE = 60 * 60 * 24 * 365
ANONYMOUS_PROGRESS_DAYS = env_count("ANONYMOUS_PROGRESS_DAYS", 30)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

SECURE_CSP: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # The nonce lets the editor's bundle (CodeMirror) put its base styles in a <style> element that
    # carries the page's nonce; style attributes stay forbidden.
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "learn.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_count("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 30)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
    SESSION_COOKIE_SECURE = env_flag("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SILENCED_SYSTEM_CHECKS = ["security.W021"]  # HSTS preload is the operator's decision

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
