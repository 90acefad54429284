"""What the benchmarks say about the machine they ran on: the core they are pinned to, its speed."""

from __future__ import annotations

import os
import time


def pin_one_core() -> str:
    """Run on a single CPU where the OS allows it, so numbers do not depend on scheduling."""
    if hasattr(os, "sched_setaffinity"):
        try:
            cpu = min(os.sched_getaffinity(0))
            os.sched_setaffinity(0, {cpu})
            return f"pinned to CPU {cpu}"
        except OSError:
            pass
    return "not pinned"


def reference_loop_seconds() -> float:
    """CPU seconds of a fixed pure-Python loop: tells how fast this machine runs Python today
    (shared machines vary by 3x), so numbers from different runs and machines can be compared."""
    start = time.process_time()
    total = 0
    for i in range(5_000_000):
        total += i
    return time.process_time() - start
