"""Settings for a deployment behind HTTPS (`DJANGO_SETTINGS_MODULE=xxgk.web.settings_deploy`):
everything of `xxgk.web.settings`, plus secure cookies, HSTS and the HTTPS redirect. Set
`XXGK_SECRET_KEY`, `XXGK_ALLOWED_HOSTS` and `XXGK_DATABASE_URL`; see docs/web-deploy.md."""

from __future__ import annotations

import os

from xxgk.web.settings import *  # noqa: F403

DEBUG = False
SECURE_SSL_REDIRECT = os.environ.get("XXGK_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("XXGK_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
