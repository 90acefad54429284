"""WSGI entry point for a deployment: `gunicorn xxgk.web.wsgi` (see docs/web-deploy.md)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xxgk.web.settings_deploy")
application = get_wsgi_application()
