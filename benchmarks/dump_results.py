"""Dump `xxgk parse --format json` and `xxgk check --format json` of every report file into a
directory, one file per (command, input), so that two runs (before and after a refactoring) can be
compared byte for byte with `diff -r`.

    PYTHONPATH=$PWD/src python3 benchmarks/dump_results.py /tmp/before
    (change the code)
    PYTHONPATH=$PWD/src python3 benchmarks/dump_results.py /tmp/after
    diff -r /tmp/before /tmp/after   # empty: nothing changed

Inputs: tests/fixtures/seeds, tests/fixtures/corpus, /work/shared/seeds and /work/shared/corpus
(those that exist), plus generated cases (`--cases DIR`, made once by `--make-cases`): web pages in
every style, Word files (python-docx and hand-written) and PDFs, so that every reader is covered.
Each output file holds the exit code on its first line, then the command's stdout and stderr.
The commands run in this process through the CLI's own entry point (same output as the shell's).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPUT_DIRS = (
    ROOT / "tests/fixtures/seeds",
    ROOT / "tests/fixtures/corpus",
    Path("/work/shared/seeds"),
    Path("/work/shared/corpus"),
)
SUFFIXES = {".txt", ".md", ".html", ".htm", ".mht", ".mhtml", ".docx", ".pdf"}


def make_cases(out: Path) -> None:
    """Deterministic generated reports of every form (seeded), written once and reused by both runs."""
    sys.path.insert(0, str(ROOT))
    from tests import docxgen, htmlgen, pdfgen
    from tests.generate import random_consistent_tables

    out.mkdir(parents=True, exist_ok=True)
    for seed in range(3):
        values = random_consistent_tables(random.Random(seed))
        missing = ["t3.granted.natural_person"] if seed == 1 else []
        for style in htmlgen.STYLES:
            page = htmlgen.write_html(values, style, seed=seed, missing=missing)
            (out / f"html-{style}-{seed}.html").write_bytes(page)
        (out / f"docx-python-{seed}.docx").write_bytes(docxgen.python_docx_report(values, missing=missing))
        (out / f"docx-hand-{seed}.docx").write_bytes(docxgen.handwritten_report(values, missing=missing, seed=seed))
        variants = [{}, {"narrow_labels": True, "repeat_header": True}, {"page_numbers": True, "sans": True}]
        _, pdf = pdfgen.report_pdf(seed, missing, **variants[seed])
        (out / f"pdf-{seed}.pdf").write_bytes(pdf)
        _, pictures = pdfgen.table_pictures_pdf(seed)
        (out / f"pdf-pictures-{seed}.pdf").write_bytes(pictures)


def inputs(cases: Path | None) -> list[Path]:
    dirs = [*INPUT_DIRS, *([cases] if cases else [])]
    return [p for d in dirs if d.is_dir() for p in sorted(d.rglob("*")) if p.suffix.lower() in SUFFIXES]


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    from xxgk.cli.main import run

    stdout, stderr = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            run(argv)
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 0
    return code, stdout.getvalue(), stderr.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="directory to write the results into")
    parser.add_argument("--cases", type=Path, default=Path("/tmp/xxgk-dump-cases"), help="generated cases")
    parser.add_argument("--make-cases", action="store_true", help="(re)generate the cases first")
    args = parser.parse_args()
    if args.make_cases:
        make_cases(args.cases)
    args.out.mkdir(parents=True, exist_ok=True)
    files = inputs(args.cases if args.cases.is_dir() else None)
    for path in files:
        stem = f"{path.parent.parent.name}_{path.parent.name}_{path.name}"
        for command in ("parse", "check"):
            code, stdout, stderr = run_cli([command, str(path), "--format", "json"])
            (args.out / f"{stem}.{command}.json").write_text(f"exit {code}\n{stdout}\n--- stderr\n{stderr}")
    print(f"{len(files)} files, {2 * len(files)} results in {args.out}")


if __name__ == "__main__":
    main()
