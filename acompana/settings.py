"""Django settings for Acompaña, read from the environment.

Configuration (see README): DATABASE_URL, ACOMPANA_DATA_DIR, ACOMPANA_SECRET_KEY,
ACOMPANA_ALLOWED_HOSTS, ACOMPANA_DEBUG.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("ACOMPANA_DATA_DIR", Path.cwd() / "var")).resolve()


def _secret_key() -> str:
    """The configured key, or one generated once and kept in the data directory."""
    if key := os.environ.get("ACOMPANA_SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# `acompana check-deploy` refuses a production set-up whose key lives in the data directory.
SECRET_KEY_FROM_ENVIRONMENT = bool(os.environ.get("ACOMPANA_SECRET_KEY"))
# The curriculum sources (YAML + Markdown) and where the built materials are kept.
CURRICULUM_DIR = Path(os.environ.get("ACOMPANA_CURRICULUM_DIR", BASE_DIR.parent / "curriculum"))
MATERIALS_DIR = DATA_DIR / "materials"
JOBS_DIR = DATA_DIR / "jobs"  # files the background worker made for a page (acompana.jobs)
PLAN_FILES_DIR = DATA_DIR / "plan-files"  # work-plan downloads, one folder per plan version
DEBUG = os.environ.get("ACOMPANA_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("ACOMPANA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "acompana.accounts",
    "acompana.programs",
    "acompana.planning",
    "acompana.curriculum",
    "acompana.delivery",
    "acompana.reports",
    "acompana.wellbeing",
    "acompana.forms",
    "acompana.audit",
    "acompana.ops",
    "acompana.jobs",
    "acompana.alerts",
    "acompana.offline",
    "acompana.reminders",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "csp",
]

# Background work (alerts, escalation, slow builds): Django's tasks framework through the
# django-tasks backport, queued in the app's own database (SQLite needs nothing else) and run by
# `acompana worker`, which `acompana serve` starts beside the web server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "acompana.i18n.ProgramLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "acompana.audit.recording.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "acompana.accounts.session_limits.SessionLimitsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "acompana.policy.PolicyMiddleware",
]

ROOT_URLCONF = "acompana.urls"
WSGI_APPLICATION = "acompana.wsgi.application"

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
                "acompana.policy.role_context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'acompana.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: a user name is locked at the address the failures came from. Locking the
# name everywhere let five anonymous tries lock the clinician out from her own desk; locking an
# address alone would let one person's typos lock out a rural office that shares one address.
# The pair does neither, and still stops guessing: five tries per name per address per cool-off.
AXES_FAILURE_LIMIT = int(os.environ.get("ACOMPANA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "acompana.accounts.session_limits.client_address"

# Shared phones: sessions end after this much idleness; 30 minutes at most for anyone who can
# see individual wellbeing results (acompana.accounts.session_limits), and an Acompañante's
# session ends when the browser closes.
SESSION_IDLE_MINUTES_INDIVIDUAL_RESULTS = 30
SESSION_IDLE_MINUTES_DEFAULT = 240  # a program may set planning.session_idle_minutes

# Content-Security-Policy (django-csp): scripts and style elements only from the app itself or
# carrying the page's nonce; style attributes stay allowed (matplotlib's SVG charts use them).
# sha256 of "*{stroke-linejoin: round; stroke-linecap: butt}" (matplotlib's SVG backend)
MATPLOTLIB_SVG_STYLE = "'sha256-2Iqu4MW0P4n79bqVmTDfLWhO8TS7MxwRJn7HVNDr7EQ='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # and the one style element matplotlib writes into every SVG chart, by its hash
        "style-src-elem": [SELF, NONCE, MATPLOTLIB_SVG_STYLE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}

LANGUAGE_CODE = "es"
LANGUAGES = [("es", "Español"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "America/Mexico_City"

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
HTTPS = os.environ.get("ACOMPANA_HTTPS", "") == "1"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    # Behind nginx, which terminates HTTPS and says so in X-Forwarded-Proto (docs/deployment.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("ACOMPANA_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# E-mail (referrals to the clinician): SMTP when ACOMPANA_EMAIL_HOST is set, else printed.
EMAIL_HOST = os.environ.get("ACOMPANA_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("ACOMPANA_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("ACOMPANA_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ACOMPANA_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("ACOMPANA_EMAIL_USE_TLS", "1") == "1"
EMAIL_BACKEND = ("django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
                 else "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("ACOMPANA_DEFAULT_FROM_EMAIL", "acompana@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Alerts by SMS (a Twilio-style REST API) and WhatsApp (the Business Cloud API): configured when
# their credentials are set; otherwise the clinician's pages carry the alert and ready links.
ACOMPANA_SMS = {
    "base_url": os.environ.get("ACOMPANA_SMS_URL", "https://api.twilio.com"),
    "account_sid": os.environ.get("ACOMPANA_SMS_ACCOUNT_SID", ""),
    "auth_token": os.environ.get("ACOMPANA_SMS_AUTH_TOKEN", ""),
    "from": os.environ.get("ACOMPANA_SMS_FROM", ""),
}
ACOMPANA_WHATSAPP = {
    "base_url": os.environ.get("ACOMPANA_WHATSAPP_URL", "https://graph.facebook.com"),
    "version": os.environ.get("ACOMPANA_WHATSAPP_VERSION", "v21.0"),
    "phone_number_id": os.environ.get("ACOMPANA_WHATSAPP_PHONE_NUMBER_ID", ""),
    "token": os.environ.get("ACOMPANA_WHATSAPP_TOKEN", ""),
    # An approved template with one body parameter (the alert's text).
    "template": os.environ.get("ACOMPANA_WHATSAPP_TEMPLATE", "alerta_acompana"),
    "language": os.environ.get("ACOMPANA_WHATSAPP_LANGUAGE", "es_MX"),
}
ACOMPANA_ALERT_TIMEOUT = float(os.environ.get("ACOMPANA_ALERT_TIMEOUT", "15"))  # seconds

# Uploads: larger files are refused (acompana.domain.uploads); nginx allows a little more.
MAX_UPLOAD_BYTES = int(os.environ.get("ACOMPANA_MAX_UPLOAD_MB", "10")) * 1024 * 1024

# `acompana pull`: the data-collection servers submissions are pulled from.
ODK_CENTRAL = {"url": os.environ.get("ACOMPANA_ODK_URL", ""),
               "email": os.environ.get("ACOMPANA_ODK_EMAIL", ""),
               "password": os.environ.get("ACOMPANA_ODK_PASSWORD", "")}
COMMCARE = {"url": os.environ.get("ACOMPANA_COMMCARE_URL", "https://www.commcarehq.org"),
            "domain": os.environ.get("ACOMPANA_COMMCARE_DOMAIN", ""),
            "username": os.environ.get("ACOMPANA_COMMCARE_USERNAME", ""),
            "api_key": os.environ.get("ACOMPANA_COMMCARE_API_KEY", "")}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # form fields, not files: Django's 2.5 MB
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads go to a temporary file
FILE_UPLOAD_HANDLERS = [
    "acompana.uploads.SizeLimitUploadHandler",  # counts as it streams; drops a file at the limit
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ACOMPANA_LOG_LEVEL", "WARNING")},
}
