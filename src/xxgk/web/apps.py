from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "xxgk.web"
    label = "xxgk_web"
    verbose_name = "年报审查与填报"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        connection_created.connect(_sqlite_pragmas, dispatch_uid="xxgk_web_sqlite_pragmas")
        from xxgk.web import audit

        audit.connect_signals()


def _sqlite_pragmas(sender: Any, connection: Any, **kwargs: Any) -> None:
    """The web's own connection ("default") to the CLI's SQLite file gets the same WAL journaling and
    busy timeout as the stores' connections, so the web app, its worker and the CLI can write at once."""
    from xxgk.ledger.store.bootstrap import SQLITE_PRAGMAS

    if connection.vendor != "sqlite" or connection.alias != "default":
        return
    with connection.cursor() as cursor:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        timeout = connection.settings_dict.get("OPTIONS", {}).get("timeout", 30)
        cursor.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
