"""OCR of scanned reports (`--ocr`, the extra xxgk[ocr]): time per page, and how many cells come back right.

Usage:
    python3 benchmarks/bench_ocr.py [--reports 4] [--dpi 200]

Random consistent reports (`tests.generate`) are rendered to PDF and turned into image-only PDFs
as a scanner returns them, in three kinds: "straight" (rendered at --dpi), "askew" (turned by
0.5–1.5°, grey paper with grain) and "150 dpi" (a coarser scan, with grain). Each is read by
`xxgk.api.read_report` with OCR; printed per kind: seconds per page (wall: the OCR engine uses
every core), the table cells read equal to what went in, the cells reported as doubtful (R011)
and, of the wrong cells, how many are flagged (R011 on them, missing, or an identity error on
their row).
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
from tests.pdfgen import report_pdf, scanned_pdf  # noqa: E402

from xxgk.api import check_report, read_report  # noqa: E402
from xxgk.findings import Severity  # noqa: E402
from xxgk.settings import ReadSettings  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=4, help="reports per kind")
    parser.add_argument("--dpi", type=int, default=200, help="resolution of the scans")
    args = parser.parse_args()
    import pypdfium2 as pdfium

    from xxgk.readers import ocr

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, reference loop {reference_loop_seconds():.3f} s")
    t = time.perf_counter()
    ocr.engine()
    print(f"OCR engine loaded in {time.perf_counter() - t:.2f} s (once per process)\n")
    print(
        f"{'kind':10} {'reports':>7} {'pages':>5} {'s/page':>7} {'cells right':>13} {'R011':>5} {'wrong, flagged':>15}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("straight", "askew", "150 dpi"):
            pages = right = total = doubts = wrong = flagged = 0
            seconds = 0.0
            for n in range(args.reports):
                seed = 1000 + n
                rng = random.Random(seed)
                values, pdf = report_pdf(seed)
                options = (
                    {"degrees": rng.uniform(0.5, 1.5) * rng.choice((-1, 1)), "noise": 6.0} if kind == "askew" else {}
                )
                path = Path(tmp) / f"{kind}-{seed}.pdf"
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


if __name__ == "__main__":
    raise SystemExit(main())
