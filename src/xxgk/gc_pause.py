"""Pausing CPython's cyclic garbage collector while one report is read."""

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
    """Pause CPython's cyclic garbage collector while one report is read.

    Reading makes thousands of small objects (lines, cells, tokens, lxml element proxies) that all
    live until the report is built, and most are dropped right after: the collections that their
    allocation triggers scan them and free nothing (~6% of the time of reading a text report, ~10%
    of a web page). They hold no reference cycles, so nothing waits for the collector; it resumes
    as it was afterwards (nesting is fine: only the outermost pause resumes it)."""
    return _GcPause()
