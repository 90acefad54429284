"""The Django app config of the corpus store (label `xxgk_corpus`)."""

from __future__ import annotations

from django.apps import AppConfig


class CorpusStoreConfig(AppConfig):  # type: ignore[misc,unused-ignore]
    name = "xxgk.corpus.store"
    label = "xxgk_corpus"
    verbose_name = "年度报告库"
    default_auto_field = "django.db.models.BigAutoField"
