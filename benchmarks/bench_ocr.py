"""OCR of scanned reports (`--ocr`, the extra xxgk[ocr]): time per page, and how many cells come back right.

Usage:
    python3 benchmarks/bench_ocr.py [--reports 4] [--dpi 200]
    python3 benchmarks/bench_ocr.py --real       # the seeds and corpus reports (~10 min)

Random consistent reports (`tests.generate`) are rendered to PDF and turned into image-only PDFs
as a scanner returns them, in three kinds: "straight" (rendered at --dpi), "askew" (turned by
0.5–1.5°, grey paper with grain), "150 dpi" (a coarser scan, with grain) and "sealed" (a colour
scan with red official seals stamped at random places over the tables and over the signature;
read in grey, three seals over 表三/表四 cost up to 89 of a report's 200 cells); and "pictures": a PDF
with a text layer whose 表三 and 表四 are screenshots (rendered alone at 200 dpi, pasted in at
their size), only the pictures read by OCR. Each is read by
`xxgk.api.read_report` with OCR; printed per kind: seconds per page (wall: the OCR engine uses
every core), the table cells read equal to what went in, the cells reported as doubtful (R011)
and, of the wrong cells, how many are flagged (R011 on them, missing, or an identity error on
their row).

`--real`: real report content instead of random values. The 5 seeds and the 2021-format corpus
reports bundled in `tests/fixtures` are written to PDF by xxgk's own renderer (official layout),
scanned (0.6° askew, grain), and read back with OCR; every cell (value and missing state) is
compared with what the same PDF's text layer reads. Real reports are mostly zeros and blanks in
small type, the hard case for OCR.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.machine import reference_loop_seconds  # noqa: E402
from tests.pdfgen import report_pdf, scanned_pdf, table_pictures_pdf  # noqa: E402

from xxgk.api import check_report, read_report  # noqa: E402
from xxgk.findings import Severity  # noqa: E402
from xxgk.settings import ReadSettings  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=4, help="reports per kind")
    parser.add_argument("--dpi", type=int, default=200, help="resolution of the scans")
    parser.add_argument("--real", action="store_true", help="the bundled seeds and corpus reports instead")
    args = parser.parse_args()
    import pypdfium2 as pdfium

    from xxgk.readers import ocr

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, reference loop {reference_loop_seconds():.3f} s")
    t = time.perf_counter()
    ocr.engine()
    print(f"OCR engine loaded in {time.perf_counter() - t:.2f} s (once per process)\n")
    if args.real:
        return real_reports()
    print(
        f"{'kind':10} {'reports':>7} {'pages':>5} {'s/page':>7} {'cells right':>13} {'R011':>5} {'wrong, flagged':>15}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("straight", "askew", "150 dpi", "sealed", "pictures"):
            pages = right = total = doubts = wrong = flagged = 0
            seconds = 0.0
            for n in range(args.reports):
                seed = 1000 + n
                rng = random.Random(seed)
                values, pdf = report_pdf(seed)
                options: dict[str, object] = {}
                if kind == "askew":
                    options = {"degrees": rng.uniform(0.5, 1.5) * rng.choice((-1, 1)), "noise": 6.0}
                elif kind == "sealed":  # red seals at random places over the tables, and over the signature
                    spots = [(0, rng.uniform(0.2, 0.8), rng.uniform(0.3, 0.9)) for _ in range(2)]
                    options = {"seals": [*spots, (-1, 0.2, 0.655)], "degrees": rng.uniform(-0.8, 0.8), "noise": 4.0}
                path = Path(tmp) / f"{kind}-{seed}.pdf"
                if kind == "pictures":  # a PDF with a text layer, 表三 and 表四 pasted in as screenshots
                    values, pdf = table_pictures_pdf(seed)
                    path.write_bytes(pdf)
                else:
                    path.write_bytes(scanned_pdf(pdf, **{"dpi": args.dpi, "seed": seed, **options}))  # type: ignore[arg-type]
                pages += len(pdfium.PdfDocument(path.read_bytes()))
                t = time.perf_counter()
                report = read_report(path, ReadSettings(ocr=True))
                seconds += time.perf_counter() - t
                doubtful = {d.location for d in report.diagnostics if d.code == "R011"}
                failed = [f.location for f in check_report(report) if f.severity == Severity.ERROR]
                doubts += len(doubtful)
                for key, value in values.items():
                    total += 1
                    if report.cells[key].value == value:
                        right += 1
                    else:
                        wrong += 1
                        row = key.rsplit(".", 1)[0]  # an identity error names a cell or a row of the wrong one
                        flagged += (
                            key in doubtful
                            or report.cells[key].value is None
                            or any(loc == key or loc.startswith(row) for loc in failed)
                        )
            print(
                f"{kind:10} {args.reports:>7} {pages:>5} {seconds / pages:>7.2f} {right:>6}/{total:<6} {doubts:>5} "
                f"{flagged:>7}/{wrong:<7}"
            )
    return 0


def real_reports() -> int:
    """The --real measurement (see the module docstring)."""
    import pypdfium2 as pdfium

    from xxgk.write.pdf import render_pdf

    fixtures = REPO / "tests" / "fixtures"
    sources = sorted((fixtures / "seeds").glob("*.txt")) + sorted(
        p for p in (fixtures / "corpus").glob("0*") if p.suffix in (".txt", ".html")
    )
    print(f"{'report':34} {'pages':>5} {'s/page':>7} {'cells same':>11} {'R011':>5}  cells that differ")
    pages = same = total = doubts = 0
    seconds = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for source in sources:
            text_pdf = render_pdf(read_report(source))
            truth = read_report(_write(Path(tmp) / f"{source.stem}.pdf", text_pdf))
            scan = _write(Path(tmp) / f"{source.stem}-scan.pdf", scanned_pdf(text_pdf, degrees=0.6, noise=5.0, seed=1))
            n = len(pdfium.PdfDocument(scan.read_bytes()))
            t = time.perf_counter()
            got = read_report(scan, ReadSettings(ocr=True))
            seconds += time.perf_counter() - t
            differ = [
                f"{k}: {c.value}→{got.cells[k].value} ({got.cells[k].raw!r})"
                for k, c in truth.cells.items()
                if (c.value, c.state) != (got.cells[k].value, got.cells[k].state)
            ]
            r011 = sum(d.code == "R011" for d in got.diagnostics)
            pages, doubts, total = pages + n, doubts + r011, total + len(truth.cells)
            same += len(truth.cells) - len(differ)
            print(
                f"{source.name[:34]:34} {n:>5} {(time.perf_counter() - t) / n:>7.2f} "
                f"{len(truth.cells) - len(differ):>5}/{len(truth.cells):<5} {r011:>5}  {'; '.join(differ[:3])}"
            )
    print(
        f"\n{len(sources)} reports, {pages} pages, {seconds / pages:.2f} s/page: "
        f"{same}/{total} cells same, {doubts} R011"
    )
    return 0


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


if __name__ == "__main__":
    raise SystemExit(main())
