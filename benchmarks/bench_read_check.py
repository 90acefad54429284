"""Throughput of reading (and reading + checking) text reports, in-process, on one core.

Usage:
    python3 benchmarks/bench_read_check.py [--n 2000] [--rounds 5] [--corpus DIR ...] [--enforce]

By default it times distinct variants of the five seed reports shipped in the package: copy k of a
seed has every prose line made unique, so caches keyed by text (labels, "0") help only as much as
they would across real reports, never by seeing the same paragraph twice. --repeat times the five
seeds themselves over and over instead; --corpus times the report files found in DIR (recursively,
same suffixes as `xxgk check DIR`; unusable files are listed and skipped).

The reports are timed in --rounds rounds (each round its own files); the best round is the
measurement and the median is shown beside it. Like timeit's "min of repeats": on a shared
machine other load only ever slows a round down (the reference loop shows by how much).
Target (issue #3): >= 500 reports/s for read + check in the best round; --enforce exits 1 below it.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from machine import pin_one_core, reference_loop_seconds

from xxgk import XxgkError, check_report, read_report
from xxgk.api import gc_paused
from xxgk.cli.files import example_files, expand
from xxgk.report import Report

TARGET_PER_S = 500


PROSE_MIN_CHARS = 40  # longer lines without cell separators are paragraphs (titles and labels are shorter)


def _distinct_variants(count: int, directory: Path) -> list[Path]:
    """`count` seed-sized reports that differ in every paragraph (tables and headings unchanged)."""
    seeds = [(f.name, f.read_text("utf-8").splitlines()) for f in example_files()]
    out = []
    for k in range(count):
        name, lines = seeds[k % len(seeds)]
        varied = [
            f"{line}（第{k}份）" if len(line) >= PROSE_MIN_CHARS and "\t" not in line and "|" not in line else line
            for line in lines
        ]
        path = directory / f"{k:05d}_{name}"
        path.write_text("\n".join(varied), "utf-8")
        out.append(path)
    return out


def _files(corpus: list[Path] | None) -> tuple[list[Path], list[tuple[Path, str]]]:
    candidates = expand(corpus) if corpus else example_files()
    usable, skipped = [], []
    for f in candidates:
        try:
            read_report(f)
        except XxgkError as e:
            skipped.append((f, e.message))
        else:
            usable.append(f)
    return usable, skipped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="reports to process per measurement (default 2000)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds the reports are split into (default 5)")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up passes over the files (default 3)")
    parser.add_argument("--corpus", type=Path, action="append", metavar="DIR", help="time these files instead")
    parser.add_argument("--repeat", action="store_true", help="time the five seeds repeatedly, not distinct variants")
    parser.add_argument(
        "--gc-paused",
        action="store_true",
        help="pause the garbage collector while each file is read (as the CLI's batch)",
    )
    parser.add_argument("--enforce", action="store_true", help=f"exit 1 when read+check < {TARGET_PER_S}/s")
    args = parser.parse_args()

    pinned = pin_one_core()

    def read(f: Path) -> Report:
        if args.gc_paused:
            with gc_paused():
                return read_report(f)
        return read_report(f)

    scratch = tempfile.TemporaryDirectory(prefix="xxgk-bench-")
    variants = None if args.corpus or args.repeat else _distinct_variants(args.n, Path(scratch.name))
    # Variants of the seeds are known to be readable: not read beforehand (that would warm text caches).
    files, skipped = (variants, []) if variants is not None else _files(args.corpus)
    for f, message in skipped:
        print(f"skipped {f}: {message}", file=sys.stderr)
    if not files:
        print("no usable report files to time", file=sys.stderr)
        return 2

    for _ in range(max(0, args.warmup)):  # spec loading, regex compilation, caches
        for f in example_files():
            check_report(read_report(f))

    # Each round reads its own share of the files (distinct variants stay distinct): the files are
    # cycled until the round has its share of --n reports.
    rounds = max(1, args.rounds)
    per_round = max(1, args.n // rounds)
    batches = [[files[(r * per_round + k) % len(files)] for k in range(per_round)] for r in range(rounds)]
    read_ms = {f: 0.0 for f in files}
    both_ms = {f: 0.0 for f in files}
    seen = dict.fromkeys(files, 0)
    clock = time.perf_counter
    read_rates, both_rates = [], []

    for batch in batches:
        t0 = clock()
        for f in batch:
            s = clock()
            read(f)
            read_ms[f] += clock() - s
        read_rates.append(len(batch) / (clock() - t0))
    for batch in batches:
        t0 = clock()
        for f in batch:
            s = clock()
            check_report(read(f))
            both_ms[f] += clock() - s
            seen[f] += 1
        both_rates.append(len(batch) / (clock() - t0))

    n = rounds * per_round
    source = (
        ", ".join(map(str, args.corpus))
        if args.corpus
        else ("package seeds, repeated" if args.repeat else "distinct variants of the package seeds")
    )
    print(f"python {platform.python_version()} on {platform.machine()}, {pinned}; {len(files)} files from {source}")
    print(f"machine reference: a 5M-iteration Python loop takes {reference_loop_seconds():.3f} s CPU")
    gc_state = "paused while each file is read" if args.gc_paused else "left on"
    print(f"{rounds} rounds x {per_round} reports = {n} reports per measurement, after {args.warmup} warm-up passes")
    print(f"garbage collector: {gc_state} (--gc-paused)\n")
    print(f"{'measure':<12}{'best/s':>9}{'ms/report':>11}{'median/s':>10}{'worst/s':>9}")
    for name, rates in (("read", read_rates), ("read+check", both_rates)):
        best = max(rates)
        print(f"{name:<12}{best:>9.0f}{1000 / best:>11.3f}{statistics.median(rates):>10.0f}{min(rates):>9.0f}")

    width = min(40, max(len(f.name) for f in files))
    shown = files if len(files) <= 30 else sorted(files, key=lambda f: both_ms[f] / max(1, seen[f]), reverse=True)[:10]
    title = "per file" if shown is files else "per file (10 slowest)"
    print(f"\n{title:<{width}}{'KB':>8}{'read ms':>10}{'check ms':>10}{'total ms':>10}")
    for f in shown:
        times = max(1, seen[f])
        r, b = 1000 * read_ms[f] / times, 1000 * both_ms[f] / times
        name = f.name if len(f.name) <= width else f.name[: width - 1] + "…"
        print(f"{name:<{width}}{f.stat().st_size / 1024:>8.1f}{r:>10.3f}{b - r:>10.3f}{b:>10.3f}")

    rate = max(both_rates)
    verdict = "OK" if rate >= TARGET_PER_S else "BELOW"
    print(f"\ntarget: >= {TARGET_PER_S} reports/s for read+check (best round) -> {rate:.0f}/s {verdict}")
    return 1 if args.enforce and rate < TARGET_PER_S else 0


if __name__ == "__main__":
    sys.exit(main())
