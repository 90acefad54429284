"""The corpus store: a Django app (label `xxgk_corpus`) in the ledger's database.

This package's `__init__` imports no Django; `open_store()` sets Django up (standalone, as the ledger does)
on first use and creates or upgrades the tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xxgk.corpus.store.repository import CorpusStore


def open_store(*, db: str | Path | None = None, url: str | None = None) -> CorpusStore:
    """The corpus of `db` (SQLite path), else of `url` / $XXGK_DATABASE_URL, else $XXGK_HOME/ledger.sqlite3."""
    from xxgk.ledger.store.bootstrap import resolve_target, setup_django

    setup_django()
    from xxgk.corpus.store.repository import open_corpus

    return open_corpus(resolve_target(db, url))
