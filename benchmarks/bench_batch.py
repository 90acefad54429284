"""Time per report of `xxgk check` over a batch (read, recognise, check, render the output), one
process against the worker processes `xxgk check` starts by default.

Usage:
    python3 benchmarks/bench_batch.py [--files 200] [--pdf 12] [--rounds 3]

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
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))  # the fixture generators of tests/ (a dev benchmark)

from machine import reference_loop_seconds  # noqa: E402
from tests.generate import random_consistent_tables, write_report  # noqa: E402

from xxgk.cli.batch import Styling, check_files, default_jobs  # noqa: E402
from xxgk.settings import CheckSettings, ReadSettings  # noqa: E402


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
    for _ in check_files(paths, ReadSettings(), CheckSettings(), False, Styling(None, False, 100), jobs):
        pass
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=200, help="files per kind (default 200)")
    parser.add_argument("--pdf", type=int, default=12, help="PDF files (default 12; ~0.7 s each to make)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=REPO / "tests/fixtures/corpus")
    args = parser.parse_args()
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
