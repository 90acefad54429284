"""Time per report of the official-layout renderers (issue #5), in-process, after one warm-up.

Usage:
    python3 benchmarks/bench_render.py [--n 20] [--enforce]

Renders the five seed reports shipped in the package to DOCX, PDF, HTML and Markdown through the
WRITERS registry (`xxgk.write.render`), each `--n` times (PDF: at most 5), and prints the median and
worst time per report. Targets: DOCX <= 0.2 s, PDF <= 1 s, HTML and Markdown <= 5 ms; --enforce
exits 1 when a median is over its target. Then the time of what `xxgk render` does per report:
render, read the bytes back and check them (`xxgk.write.render_checked`), without a target.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable

from xxgk import write
from xxgk.api import check_report, read_report
from xxgk.cli.files import example_files
from xxgk.report import Report

TARGETS_S = {"html": 0.005, "md": 0.005, "docx": 0.2, "pdf": 1.0}


def _timed(fn: Callable[[Report], object], reports: list[Report], n: int) -> list[float]:
    fn(reports[0])  # warm-up: imports, font configuration, caches
    times = []
    for report in reports:
        for _ in range(n):
            start = time.perf_counter()
            fn(report)
            times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="renders per report and format (PDF: at most 5)")
    parser.add_argument("--enforce", action="store_true", help="exit 1 when a median is over its target")
    args = parser.parse_args()
    reports = [read_report(p) for p in example_files()]
    print(f"Python {platform.python_version()} · {len(reports)} seed reports · n={args.n}")
    over = []
    for kind, target in TARGETS_S.items():
        times = _timed(lambda r, k=kind: write.render(r, k), reports, min(args.n, 5) if kind == "pdf" else args.n)
        median, worst = statistics.median(times), max(times)
        status = "ok" if median <= target else "OVER"
        if median > target:
            over.append(kind)
        print(
            f"{kind:<9} median {median * 1000:9.2f} ms   max {worst * 1000:9.2f} ms"
            f"   target {target * 1000:7.1f} ms  {status}"
        )
    for kind in TARGETS_S:

        def checked(r: Report, k: str = kind) -> object:
            return write.render_checked(r, k, f"out.{k}", read_report, check_report)

        times = _timed(checked, reports, min(args.n, 3) if kind == "pdf" else min(args.n, 10))
        print(f"{kind:<9} render+read back+check  median {statistics.median(times) * 1000:9.2f} ms")
    if over and args.enforce:
        print(f"over target: {', '.join(over)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
