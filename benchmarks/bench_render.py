"""Time per report of the official-layout renderers (issue #5), in-process, after one warm-up.

Usage:
    python3 benchmarks/bench_render.py [--n 20] [--enforce]

Renders the five seed reports shipped in the package to DOCX, PDF, HTML and Markdown, each `--n`
times (PDF: at most 5), and prints the median and worst time per report. Targets: DOCX <= 0.2 s,
PDF <= 1 s, HTML and Markdown <= 5 ms; --enforce exits 1 when a median is over its target.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable

from xxgk import read_report
from xxgk.cli.files import example_files
from xxgk.report import Report
from xxgk.write.docx import render_docx
from xxgk.write.html import render_html
from xxgk.write.markdown import render_markdown
from xxgk.write.pdf import render_pdf

TARGETS_S = {"html": 0.005, "markdown": 0.005, "docx": 0.2, "pdf": 1.0}
RENDERERS: dict[str, Callable[[Report], object]] = {
    "html": render_html,
    "markdown": render_markdown,
    "docx": render_docx,
    "pdf": render_pdf,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="renders per report and format (PDF: at most 5)")
    parser.add_argument("--enforce", action="store_true", help="exit 1 when a median is over its target")
    args = parser.parse_args()
    reports = [read_report(p) for p in example_files()]
    print(f"Python {platform.python_version()} · {len(reports)} seed reports · n={args.n}")
    over = []
    for name, render in RENDERERS.items():
        n = min(args.n, 5) if name == "pdf" else args.n
        render(reports[0])  # warm-up: imports, font configuration, caches
        times = []
        for report in reports:
            for _ in range(n):
                start = time.perf_counter()
                render(report)
                times.append(time.perf_counter() - start)
        median, worst = statistics.median(times), max(times)
        target = TARGETS_S[name]
        status = "ok" if median <= target else "OVER"
        if median > target:
            over.append(name)
        print(
            f"{name:<9} median {median * 1000:9.2f} ms   max {worst * 1000:9.2f} ms"
            f"   target {target * 1000:7.1f} ms  {status}"
        )
    if over and args.enforce:
        print(f"over target: {', '.join(over)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
