"""The corpus at scale: `xxgk corpus add` against the bare `xxgk check` of the same files, then the
cross-report checks, the summary and the Excel export, with the peak memory of the adding process.

Usage:
    python3 benchmarks/bench_corpus.py [--agencies 100] [--years 3] [--pdf-share 0.05] [--jobs 2]
                                       [--files DIR] [--before]

The corpus is synthetic and consistent across years (tests/corpus_gen.py): each agency's reports chain
(上年结转 = last year's 结转下年度), each with its own narrative text; most are TAB text, a third are
generated CMS web pages (tests/htmlgen.py), `--pdf-share` are WeasyPrint PDFs (tests/pdfgen.py, ~0.7 s
each to make). Adding is measured twice, on the first third of the corpus and on all of it, so the peak
RSS of the two runs shows whether memory grows with the corpus. Times scale linearly to 10,000 and
100,000 reports in the projection printed at the end (the LSH candidate search is linear in the number
of sections; the rest is per report). The machine is shared: use small sizes.

`--files DIR` makes the corpus there, or uses the one made there before with the same parameters (making
10,000 reports takes ~10 minutes, mostly the PDFs). `--before` also times, in the same run, the parts whose
earlier code is kept callable: the 内容雷同 search as it was (benchmarks/compare_similarity.py, which also
checks that both give the same findings) and the Excel export through openpyxl.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))  # the fixture generators of tests/ (a dev benchmark)
sys.path.insert(0, str(HERE))

from tests.corpus_gen import chained_values, report_text  # noqa: E402

from xxgk.cli.batch import Job, check_files  # noqa: E402

CLI = "import sys; from xxgk.cli.corpus import corpus_app; corpus_app(sys.argv[1:], prog_name='xxgk corpus')"


def make_corpus(folder: Path, agencies: int, years: int, pdf_share: float) -> list[Path]:
    from tests.htmlgen import write_html
    from tests.pdfgen import report_pdf

    rng = random.Random(2026)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    n = 0
    for a in range(agencies):
        agency = f"某某市第{a}局"
        previous = None
        for year in range(2025 - years + 1, 2026):
            values = chained_values(rng, previous)
            previous = values
            kind = rng.random()
            if kind < pdf_share:
                _, data = report_pdf(n)  # (its own values: the chain breaks here, as real corpora do)
                path = folder / f"{n:05d}.pdf"
                path.write_bytes(data)
            elif kind < 0.33:
                path = folder / f"{n:05d}.html"
                path.write_bytes(write_html(values, "trs", seed=n, agency=agency, year=year))  # type: ignore[arg-type]
            else:
                path = folder / f"{n:05d}.txt"
                path.write_text(report_text(values, agency, year, rng), "utf-8")
            paths.append(path)
            n += 1
    return paths


def corpus_files(folder: Path, agencies: int, years: int, pdf_share: float) -> list[Path]:
    """The corpus made in `folder`, or the one made there before with these parameters."""
    listing = folder / f"corpus-{agencies}-{years}-{pdf_share}.lst"
    if listing.is_file():
        return [Path(line) for line in listing.read_text("utf-8").split("\n") if line]
    paths = make_corpus(folder / "files", agencies, years, pdf_share)
    listing.write_text("\n".join(str(p) for p in paths) + "\n", "utf-8")
    return paths


def openpyxl_export(path: Path, reports: list, findings: list, summary: object) -> None:  # type: ignore[type-arg]
    """The Excel export as it was before the streamed writer: openpyxl's write-only workbook."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from xxgk.corpus.export import _cell_value, finding_rows, report_rows, summary_rows
    from xxgk.spreadsheet import formula_like, xlsx_text

    workbook = Workbook(write_only=True)
    tables = [("单元格", *report_rows(reports)), ("问题", *finding_rows(findings)), ("汇总", *summary_rows(summary))]
    for title, header, rows in tables:
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
        sheet.append(header)
        for row in rows:
            values = [_cell_value(v) for v in row]
            sheet.append([xlsx_text(sheet, v) if formula_like(v) else v for v in values])
    workbook.save(path)


def check_seconds(paths: list[Path], jobs: int) -> float:
    start = time.perf_counter()
    for _ in check_files(paths, Job(), jobs):
        pass
    return time.perf_counter() - start


def add_run(paths: list[Path], db: Path, jobs: int) -> tuple[float, float]:
    """(seconds, peak RSS in MB of the adding process and its workers) of one `corpus add`."""
    listing = db.with_suffix(".lst")
    listing.write_text("\n".join(str(p) for p in paths) + "\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", CLI, "add", str(listing), "--db", str(db), "-j", str(jobs), "--no-keep"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"corpus add failed ({status})")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--pdf-share", type=float, default=0.05)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--files", type=Path, help="make the corpus here, or use the one made here before")
    parser.add_argument("--before", action="store_true", help="also time the earlier similarity search and export")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-corpus-") as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        paths = corpus_files(args.files or root, args.agencies, args.years, args.pdf_share)
        kinds = {s: sum(1 for p in paths if p.suffix == s) for s in (".txt", ".html", ".pdf")}
        print(f"corpus: {len(paths)} reports {kinds}, made in {time.perf_counter() - start:.1f} s")
        bare = check_seconds(paths, args.jobs)
        print(f"xxgk check (bare), {args.jobs} processes: {bare:.1f} s = {len(paths) / bare:.1f} reports/s")
        third = paths[: len(paths) // 3]
        small_s, small_rss = add_run(third, root / "third.sqlite3", args.jobs)
        print(f"corpus add {len(third)}: {small_s:.1f} s, peak RSS {small_rss:.0f} MB")
        db = root / "all.sqlite3"
        add_s, add_rss = add_run(paths, db, args.jobs)
        rate = len(paths) / add_s
        print(f"corpus add {len(paths)}: {add_s:.1f} s = {rate:.1f} reports/s, peak RSS {add_rss:.0f} MB")

        from xxgk.corpus.service import Selection, export_corpus, finding_rows, run_cross_checks, summary_of
        from xxgk.corpus.store import open_store

        store = open_store(db=db)
        t = time.perf_counter()
        results = run_cross_checks(store)
        cross = time.perf_counter() - t
        print(f"corpus check: {cross:.2f} s, {len(results)} findings (reading the store, the X rules, writing)")
        if args.before:
            from compare_similarity import compare

            versions = store.reports(latest=False)
            differing, old_s, new_s = compare([r for r in versions if r.latest], versions)
            print(f"  the X rules alone: {new_s:.2f} s; with the earlier 内容雷同 search {old_s:.2f} s; "
                  f"{differing} findings differ")  # fmt: skip
        t = time.perf_counter()
        summary_of(store, Selection())
        summary = time.perf_counter() - t
        t = time.perf_counter()
        export_corpus(store, root / "年报.xlsx", Selection())
        export = time.perf_counter() - t
        print(f"summary: {summary:.2f} s; Excel export: {export:.2f} s")
        if args.before:
            t = time.perf_counter()
            reports = store.reports()
            openpyxl_export(
                root / "年报-openpyxl.xlsx", reports, finding_rows(store, reports), summary_of(store, Selection())
            )
            print(f"  the same through openpyxl (as before; the store read as now): {time.perf_counter() - t:.2f} s")
        store.close()
        for target in (10_000, 100_000, 1_000_000):
            k = target / len(paths)
            print(
                f"projected for {target:>9,} reports: add {add_s * k / 60:.1f} min, check {cross * k:.0f} s, "
                f"summary {summary * k:.0f} s, export {export * k:.0f} s"
            )


if __name__ == "__main__":
    main()
