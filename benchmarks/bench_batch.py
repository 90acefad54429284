"""Time per report of `xxgk check` over a batch (read, recognise, check, render the output), one
process against the worker processes `xxgk check` starts by default.

Usage:
    python3 benchmarks/bench_batch.py [--files 200] [--pdf 12] [--rounds 3]
    python3 benchmarks/bench_batch.py --memory 1000   # parent's peak RSS at 1,000 vs 10,000 files
    python3 benchmarks/bench_batch.py --jobs 300      # `xxgk check -j 1` vs `-j 2`, CPU and wall

`--memory N` runs the real command `xxgk check DIR --format json` (and `--format jsonl`) over N
and 10×N small text reports, its output thrown away, and shows the peak resident memory of the
parent process alone (workers not included: they are separate processes): with the output
streamed, the two must be within 20%.

`--jobs N` runs `xxgk check DIR` over N text reports with `-j 1`, `-j 2` and the automatic choice
(`-j 0`) in the same run, showing wall time and the CPU time of the command and its workers.

A reviewer checks a county's reports in one run; what they wait for is the batch's wall time, so
that is what is timed here: `xxgk.cli.batch.check_files`, the loop of `xxgk check` (the CLI adds
only the interpreter's start, ~0.3 s per run). Kinds, each a batch of distinct files:

- `html 010`: the real 64 KB page 010 of the corpus (`--corpus`), in variants whose prose differs;
- `html trs`: generated 31 KB CMS pages (`tests/htmlgen.py`);
- `text`: the seed reports' values in random consistent variants, as TAB-separated text;
- `pdf`: WeasyPrint PDFs (`tests/pdfgen.py`, ~0.7 s each to make, so fewer of them).

Each batch is checked `--rounds` times with one process (`-j 1`) and with the default number of
workers; the best round of each is shown, in ms per report of wall time, with the speed-up.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))  # the fixture generators of tests/ (a dev benchmark)

from machine import reference_loop_seconds  # noqa: E402
from tests.generate import random_consistent_tables, write_report  # noqa: E402

from xxgk.cli.batch import Job, Styling, check_files, default_jobs  # noqa: E402


def _values(seed: int) -> dict[str, object]:
    return dict(random_consistent_tables(random.Random(seed)))


def make_batches(out: Path, n: int, pdfs: int, corpus: Path) -> dict[str, list[Path]]:
    from tests.htmlgen import write_html
    from tests.pdfgen import report_pdf

    batches: dict[str, list[Path]] = {}
    page = next(iter(sorted(corpus.glob("010-*.html"))), None)
    if page is not None:
        data = page.read_bytes()
        batches["html 010 (64 KB)"] = []
        for k in range(n):
            path = out / f"010-{k}.html"
            path.write_bytes(data.replace("。".encode(), f"。{k}".encode()))
            batches["html 010 (64 KB)"].append(path)
    batches["html trs (31 KB)"] = []
    for k in range(n):
        path = out / f"trs-{k}.html"
        path.write_bytes(write_html(_values(100 + k), "trs", seed=k))  # type: ignore[arg-type]
        batches["html trs (31 KB)"].append(path)
    batches["text"] = []
    for k in range(n):
        path = out / f"text-{k}.txt"
        path.write_text(write_report(_values(300 + k), "tab", agency=f"某某县第{k}镇人民政府"), "utf-8")  # type: ignore[arg-type]
        batches["text"].append(path)
    batches["pdf"] = []
    for k in range(pdfs):
        _, data = report_pdf(400 + k, long_prose=k % 3 == 2)
        path = out / f"pdf-{k}.pdf"
        path.write_bytes(data)
        batches["pdf"].append(path)
    return batches


def batch_seconds(paths: list[Path], jobs: int) -> float:
    start = time.perf_counter()
    for _ in check_files(paths, Job(styling=Styling(None, False, 100)), jobs):
        pass
    return time.perf_counter() - start


# The real command in a process of its own, which reports its own peak memory when it exits
# (RUSAGE_SELF: the parent alone, not its worker processes).
COMMAND = (
    "import atexit, resource, sys; "
    "atexit.register(lambda: sys.stderr.write('MAXRSS %d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)); "
    "from xxgk.cli.main import run; run()"
)


def text_reports(out: Path, n: int) -> Path:
    """`n` distinct small text reports (~6 KB each) in a folder of their own."""
    folder = out / f"text-{n}"
    folder.mkdir()
    rng = random.Random(n)
    for k in range(n):
        values = dict(random_consistent_tables(rng))
        text = write_report(values, "tab", agency=f"某某县第{k}镇人民政府")
        (folder / f"{k:06d}.txt").write_text(text, "utf-8")
    return folder


def run_command(args: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (the command and its workers) and the parent's peak RSS in KB."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", COMMAND, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    rss = int(done.stderr.decode().rsplit("MAXRSS ", 1)[1].split()[0])
    return wall, cpu, rss


def memory(n: int) -> int:
    with tempfile.TemporaryDirectory(prefix="xxgk-memory-") as scratch:
        t0 = time.perf_counter()
        small, large = text_reports(Path(scratch), n), text_reports(Path(scratch), 10 * n)
        print(f"python {sys.version.split()[0]}; {n} and {10 * n} reports made in {time.perf_counter() - t0:.1f} s")
        print(f"{'format':<8} {'files':>7} {'wall s':>8} {'parent peak RSS MB':>19}")
        worst = 0.0
        for fmt in ("json", "jsonl", "text"):
            peaks = []
            for folder, count in ((small, n), (large, 10 * n)):
                wall, _, rss = run_command(["check", str(folder), "--format", fmt])
                peaks.append(rss)
                print(f"{fmt:<8} {count:>7} {wall:>8.1f} {rss / 1024:>19.1f}")
            growth = peaks[1] / peaks[0] - 1
            worst = max(worst, growth)
            print(f"{fmt:<8} growth at 10× the files: {100 * growth:+.1f}%")
        print(f"goal: within 20% ({'met' if worst <= 0.20 else 'NOT met'})")
    return 0


def jobs_compared(n: int, rounds: int) -> int:
    with tempfile.TemporaryDirectory(prefix="xxgk-jobs-") as scratch:
        folder = text_reports(Path(scratch), n)
        print(f"python {sys.version.split()[0]}; {n} text reports; best of {rounds}; -j 0 chooses {default_jobs(n)}")
        print(f"machine reference: a 5M-iteration Python loop takes {reference_loop_seconds():.3f} s")
        print(f"{'jobs':<6} {'wall s':>8} {'cpu s':>8}")
        for jobs in ("1", "2", "0"):
            runs = [run_command(["check", str(folder), "-j", jobs, "--format", "jsonl"]) for _ in range(rounds)]
            print(f"-j {jobs:<3} {min(r[0] for r in runs):>8.2f} {min(r[1] for r in runs):>8.2f}")
        print(f"machine reference after: {reference_loop_seconds():.3f} s")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=200, help="files per kind (default 200)")
    parser.add_argument("--pdf", type=int, default=12, help="PDF files (default 12; ~0.7 s each to make)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=REPO / "tests/fixtures/corpus")
    parser.add_argument("--memory", type=int, metavar="N", help="peak RSS of the parent at N vs 10×N files")
    parser.add_argument("--jobs", type=int, metavar="N", help="-j 1 vs -j 2 (CPU and wall) over N files")
    args = parser.parse_args()
    if args.memory:
        return memory(args.memory)
    if args.jobs:
        return jobs_compared(args.jobs, args.rounds)
    with tempfile.TemporaryDirectory(prefix="xxgk-batch-") as scratch:
        t0 = time.perf_counter()
        batches = make_batches(Path(scratch), args.files, args.pdf, args.corpus)
        print(f"python {sys.version.split()[0]}; fixtures made in {time.perf_counter() - t0:.1f} s")
        print(f"machine reference: a 5M-iteration Python loop takes {reference_loop_seconds():.3f} s")
        print(f"\n{'kind':<20} {'files':>5} {'-j 1 ms/report':>15} {'-j N':>5} {'ms/report':>10} {'speed-up':>9}")
        for kind, paths in batches.items():
            if not paths:
                continue
            jobs = default_jobs(len(paths))
            batch_seconds(paths[:3], 1)  # warm-up: imports, spec, compiled patterns
            serial = min(batch_seconds(paths, 1) for _ in range(args.rounds))
            parallel = min(batch_seconds(paths, jobs) for _ in range(args.rounds))
            n = len(paths)
            print(
                f"{kind:<20} {n:>5} {1000 * serial / n:>15.2f} {jobs:>5} {1000 * parallel / n:>10.2f} "
                f"{serial / parallel:>8.2f}x"
            )
        print(f"machine reference after: {reference_loop_seconds():.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
