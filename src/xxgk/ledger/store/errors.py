"""Errors of the ledger store: where the ledger is, and whether it is usable (zh-CN messages)."""

from __future__ import annotations

from xxgk.ledger.errors import LedgerError


class StoreError(LedgerError):
    """The ledger database cannot be used as asked: bad URL, not initialised, unknown case or agency."""
