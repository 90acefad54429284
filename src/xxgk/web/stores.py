"""The corpus store as the web app uses it: the same database as the CLI, through Django's "default"
connection (so the web's rows and the corpus's can be joined and written in one transaction)."""

from __future__ import annotations

from django.conf import settings

from xxgk.corpus.store.repository import CorpusStore, files_root


def corpus_store() -> CorpusStore:
    target = settings.TARGET
    return CorpusStore(target, "default", files_root(target))
