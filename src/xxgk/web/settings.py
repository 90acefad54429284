"""Settings of the web app, from the environment (the same store as the CLI).

- `XXGK_DATABASE_URL` (PostgreSQL) or `XXGK_HOME` (SQLite file `ledger.sqlite3` there): the database
  the CLI's corpus and ledger use; the web app's own tables (accounts, decisions, audit) live beside.
- `XXGK_SECRET_KEY`: the session signing key; without it one is made once and kept in
  `$XXGK_HOME/web-secret-key` (readable by its owner only).
- `XXGK_DEBUG=1`, `XXGK_ALLOWED_HOSTS=a,b`, `XXGK_UPLOAD_DIR` (default `$XXGK_HOME/uploads`),
  `XXGK_UPLOAD_MAX_MB` (one file, default 50), `XXGK_UPLOAD_MAX_FILES` (one request or ZIP, default 2000),
  `XXGK_SESSION_HOURS` (default 8), `XXGK_TASKS_IMMEDIATE=1` (run tasks inline: tests).
Deployment settings (HTTPS, HSTS, secure cookies) are `xxgk.web.settings_deploy`.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from xxgk.ledger.store.bootstrap import default_home, resolve_target


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, "") or default)
    except ValueError:
        return default


def _secret_key(home: Path) -> str:
    given = os.environ.get("XXGK_SECRET_KEY")
    if given:
        return given
    path = home / "web-secret-key"
    try:
        return path.read_text().strip() or _new_key(path)
    except FileNotFoundError:
        return _new_key(path)


def _new_key(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


HOME = default_home()
TARGET = resolve_target()
BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = _secret_key(HOME)
DEBUG = os.environ.get("XXGK_DEBUG") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("XXGK_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("XXGK_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tables2",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "xxgk.ledger.store",
    "xxgk.corpus.store",
    "xxgk.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "xxgk.web.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "xxgk.web.root_urls"
CSRF_FAILURE_VIEW = "xxgk.web.views.errors.csrf_failure"
WSGI_APPLICATION = "xxgk.web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xxgk.web.access.context",
            ],
        },
    }
]

DATABASES = {"default": dict(TARGET.config)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("XXGK_STATIC_ROOT", HOME / "static"))
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # (`collectstatic` fills it for a deployment)
# (served by WhiteNoise from the package itself when STATIC_ROOT was not collected: `xxgk web` needs no step)
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "xxgk_web:login"
LOGIN_REDIRECT_URL = "xxgk_web:home"
LOGOUT_REDIRECT_URL = "xxgk_web:login"
SESSION_COOKIE_AGE = _env_int("XXGK_SESSION_HOURS", 8) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Login attempts: 5 failures of one user name from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = _env_int("XXGK_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "xxgk_web/locked.html"
AXES_RESET_ON_SUCCESS = True

UPLOAD_DIR = Path(os.environ.get("XXGK_UPLOAD_DIR") or HOME / "uploads")
UPLOAD_MAX_BYTES = _env_int("XXGK_UPLOAD_MAX_MB", 50) * 1024 * 1024
UPLOAD_MAX_FILES = _env_int("XXGK_UPLOAD_MAX_FILES", 2000)
# Django's own request limits: the upload view reads files from disk, never all in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = UPLOAD_MAX_FILES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("XXGK_TASKS_IMMEDIATE") == "1"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

EMAIL_BACKEND = os.environ.get("XXGK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("XXGK_EMAIL_FROM", "xxgk@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["console"], "level": "WARNING"}},
}
