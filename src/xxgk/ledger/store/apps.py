"""The Django app config of the ledger store (label `xxgk_ledger`)."""

from __future__ import annotations

from django.apps import AppConfig


class LedgerStoreConfig(AppConfig):  # type: ignore[misc,unused-ignore]
    name = "xxgk.ledger.store"
    label = "xxgk_ledger"
    verbose_name = "依申请公开台账"
    default_auto_field = "django.db.models.BigAutoField"
