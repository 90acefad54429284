"""Pausing CPython's cyclic garbage collector while a batch of reports is read.

The pause is process-wide: it switches the collector off for every thread. So the library never
pauses it by itself (`xxgk.api.read` leaves it alone, a threaded web server calls that); a
single-threaded caller that reads many files, the CLI's batch, wraps each file in `gc_paused()`.
"""

from __future__ import annotations

import gc


class _GcPause:
    """The context manager of `gc_paused` (a class: it runs for every file, and a generator-based
    context manager costs several times as much)."""

    __slots__ = ("enabled",)

    def __enter__(self) -> None:
        self.enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            gc.enable()


def gc_paused() -> _GcPause:
    """Pause CPython's cyclic garbage collector while one report is read (single-threaded callers only).

    Reading makes thousands of small objects (lines, cells, tokens, lxml element proxies) that all
    live until the report is built, and most are dropped right after: the collections that their
    allocation triggers scan them and free nothing (benchmarks/bench_read_check.py measures the
    share). They hold no reference cycles, so nothing waits for the collector; it resumes as it was
    afterwards (nesting is fine: only the outermost pause resumes it)."""
    return _GcPause()
