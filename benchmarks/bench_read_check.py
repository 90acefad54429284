"""Throughput of reading (and reading + checking) seed-sized text reports, in-process, one core.

Usage: python3 benchmarks/bench_read_check.py [--n 2000] [--enforce]
Target (issue #3): >= 500 reports/s for read + check. --enforce exits 1 below it.
"""

from __future__ import annotations

import argparse
import sys
import time

from xxgk import check_report, read_report
from xxgk.cli.files import example_files

TARGET_PER_S = 500


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000, help="reports to process per measurement")
    parser.add_argument("--enforce", action="store_true", help="exit 1 when below the target")
    args = parser.parse_args()
    files = example_files()
    for f in files:  # warm-up: spec loading, regex compilation, caches
        check_report(read_report(f))
    rounds = max(1, args.n // len(files))
    t0 = time.perf_counter()
    for _ in range(rounds):
        for f in files:
            read_report(f)
    read_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(rounds):
        for f in files:
            check_report(read_report(f))
    both_s = time.perf_counter() - t0
    n = rounds * len(files)
    print(f"{'measure':<16}{'reports':>9}{'seconds':>10}{'reports/s':>12}{'ms/report':>11}")
    for name, secs in (("read", read_s), ("read+check", both_s)):
        print(f"{name:<16}{n:>9}{secs:>10.3f}{n / secs:>12.0f}{1000 * secs / n:>11.3f}")
    rate = n / both_s
    print(f"target: >= {TARGET_PER_S} reports/s for read+check -> {'OK' if rate >= TARGET_PER_S else 'BELOW'}")
    return 1 if args.enforce and rate < TARGET_PER_S else 0


if __name__ == "__main__":
    sys.exit(main())
