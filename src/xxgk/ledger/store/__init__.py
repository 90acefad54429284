"""The ledger's storage: a Django app (label `xxgk_ledger`) holding agencies, cases, events and the audit trail.

Nothing here is imported by the read/check/render code, and this package's `__init__` imports no Django:
`open_store()` / `init_store()` set Django up (standalone, see `bootstrap`) on first use. The core
(`xxgk.ledger.case`) validates every event before it is stored; a rejected event writes nothing.

    from xxgk.ledger.store import init_store, open_store
    store = init_store(db="ledger.sqlite3", agency="某某市某某局")
    with store.transaction():
        case = store.open_case(Received(date(2025, 9, 26), Channel.IN_PERSON, "张三", "natural_person"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xxgk.ledger.store.bootstrap import DatabaseTarget, parse_database_url, resolve_target, setup_django
from xxgk.ledger.store.errors import StoreError

if TYPE_CHECKING:
    from pathlib import Path

    from xxgk.ledger.calendar import WorkCalendar
    from xxgk.ledger.store.repository import LedgerStore


def init_store(
    *,
    db: str | Path | None = None,
    url: str | None = None,
    agency: str | None = None,
    user: str | None = None,
    calendar: WorkCalendar | None = None,
) -> LedgerStore:
    """Create or upgrade the ledger database and (when `agency` is new) its agency; returns the store."""
    setup_django()
    from xxgk.ledger.store.repository import init_ledger

    return init_ledger(resolve_target(db, url), agency=agency, user=user, calendar=calendar)


def open_store(
    *,
    db: str | Path | None = None,
    url: str | None = None,
    agency: str | None = None,
    user: str | None = None,
    calendar: WorkCalendar | None = None,
) -> LedgerStore:
    """The store of an initialised ledger (the only agency in it, or the one named `agency`)."""
    setup_django()
    from xxgk.ledger.store.repository import open_ledger

    return open_ledger(resolve_target(db, url), agency=agency, user=user, calendar=calendar)


__all__ = ["DatabaseTarget", "StoreError", "init_store", "open_store", "parse_database_url", "resolve_target"]
