"""Pausing CPython's cyclic garbage collector while one report is read."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause CPython's cyclic garbage collector while one report is read.

    Reading makes thousands of small objects (lines, cells, tokens, lxml element proxies) that all
    live until the report is built, and most are dropped right after: the collections that their
    allocation triggers scan them and free nothing (~6% of the time of reading a text report, ~10%
    of a web page). They hold no reference cycles, so nothing waits for the collector; it resumes
    as it was afterwards (nesting is fine: only the outermost pause resumes it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
