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
        from xxgk.corpus.store.models import agency_merged
        from xxgk.web import audit

        audit.connect_signals()
        agency_merged.connect(_agency_merged, dispatch_uid="xxgk_web_agency_merged")


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


def _agency_merged(sender: Any, old: int, new: int, using: str, **kwargs: Any) -> None:
    """Two corpus agencies merged: the organisations, decisions and reviews of the old one move to the new
    one (a decision or review the new one already has for the same finding or year wins)."""
    from django.db import connections

    from xxgk.web.models import Decision, Organisation, Review

    if Organisation._meta.db_table not in connections[using].introspection.table_names():
        return  # (a corpus database the web app does not use: the CLI's own)
    Organisation.objects.using(using).filter(agency_id=old).update(agency_id=new)
    kept = set(Decision.objects.using(using).filter(agency_id=new).values_list("year", "report_id", "fingerprint"))
    for d in Decision.objects.using(using).filter(agency_id=old):
        if (d.year, d.report_id, d.fingerprint) in kept:
            d.delete(using=using)
    Decision.objects.using(using).filter(agency_id=old).update(agency_id=new)
    years = set(Review.objects.using(using).filter(agency_id=new).values_list("year", "report_id"))
    for r in Review.objects.using(using).filter(agency_id=old):
        if (r.year, r.report_id) in years:
            r.delete(using=using)
    Review.objects.using(using).filter(agency_id=old).update(agency_id=new)
