"""Settings for a deployment behind HTTPS (`DJANGO_SETTINGS_MODULE=xxgk.web.settings_deploy`, the default of
`xxgk.web.wsgi`): everything of `xxgk.web.settings`, plus secure cookies, HSTS, the HTTPS redirect and
persistent PostgreSQL connections. Set `XXGK_SECRET_KEY`, `XXGK_ALLOWED_HOSTS`, `XXGK_CSRF_TRUSTED_ORIGINS`
and `XXGK_DATABASE_URL`; see docs/web-deploy.md.

`XXGK_SSL_REDIRECT=0` turns the redirect off (HTTPS ended by a proxy that does not set
X-Forwarded-Proto, or a plain-HTTP test); `XXGK_HSTS_SECONDS` sets the HSTS duration (default one year).
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

# Required here (not generated into XXGK_HOME as for `xxgk web`): several gunicorn workers starting at
# once would race to create the key file, and the web server and the worker may run as different users.
if not os.environ.get("XXGK_SECRET_KEY"):
    raise ImproperlyConfigured(
        "部署时必须设置环境变量 XXGK_SECRET_KEY（至少 50 个随机字符，可用 "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))' 生成），见 docs/web-deploy.md"
    )

from xxgk.web.settings import *  # noqa: F403
from xxgk.web.settings import DATABASES

DEBUG = False
SECURE_SSL_REDIRECT = os.environ.get("XXGK_SSL_REDIRECT", "1") == "1"
# The proxy in front (nginx) must set this header itself, overwriting what a client sent.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("XXGK_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # One connection per gunicorn worker kept for a minute instead of one per request.
    DATABASES = {"default": {**DATABASES["default"], "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}}
