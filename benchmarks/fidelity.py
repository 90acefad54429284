"""Fidelity benchmark: the cells xxgk reads, scored against truth (issue 19 §3).

Two sources of truth:

- real reports: one JSON per report in benchmarks/truth/ (`source`, `file` relative to the repo,
  `format`, `cells`: every 表二/表三/表四 cell, null where the report leaves the cell blank);
- generated reports: the repo's generators (tests/generate.py, htmlgen, docxgen, pdfgen, the OCR
  Markdown of tests/test_reader_markdown.py, the broken PDF text and split OCR Markdown of
  tests/test_broken_extractions.py: forms txt-broken, md-groups) write N consistent reports per
  form, deterministic seed; their truth is the generator's values. The form
  pdf-libreoffice-vertical (Word files saved as PDF by LibreOffice, ~3 s each) is skipped when
  soffice is not installed.

Each cell read is one of: right; uncertain (flagged R007, no value taken); missing (not read,
flagged); wrong (a number other than the truth, or a number where the report is blank). A wrong
value is worse than a missing one: it is counted apart, listed cell by cell, and makes the exit
code 1 (the benchmark can gate).

The column 误报 counts the findings about the report's tables (B and C codes) that reading
caused: those `xxgk check` gives on the file read but not on the same values written as a clean
tab-separated text (tests.generate.write_report). Each one blames the report for a loss of the
reader (issue 19 §1); they are listed and make the exit code 1 as well.

    PYTHONPATH=$PWD/src python3 benchmarks/fidelity.py            # default size (~1 min)
    PYTHONPATH=$PWD/src python3 benchmarks/fidelity.py --n 10 --pdf 3
"""

from __future__ import annotations

import argparse
import atexit
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TRUTH_DIR = ROOT / "benchmarks" / "truth"
sys.path.insert(0, str(ROOT))

from xxgk.api import check, read  # noqa: E402
from xxgk.errors import XxgkError  # noqa: E402
from xxgk.report import CellState, Report  # noqa: E402

Truth = Mapping[str, Any]  # cell key -> int | Decimal | str (a decimal written as text) | None (blank)
ReadCell = tuple[Any, str]  # (value read or None, state: a CellState value)

GENERATED_FORMS = (
    "txt-tab",
    "txt-cell_per_line",
    "txt-pipe",
    "md-table",
    "md-ocr",
    "html",
    "docx-python",
    "docx-word",
    "pdf",
    "pdf-borderless",
    "pdf-wps",
    "pdf-libreoffice-vertical",
    "html-textcontent",
    "txt-tab-blanks",
    "txt-cell_per_line-blanks",
    "txt-pipe-blanks",
    "md-table-blanks",
    "html-blanks",
    "docx-python-blanks",
    "html-textcontent-blanks",
    "txt-broken",
    "md-groups",
    "txt-broken-blanks",
    "md-groups-blanks",
)
PDF_VARIANTS: tuple[dict[str, bool], ...] = (
    {},
    {"long_prose": True},
    {"narrow_labels": True},
    {"repeat_header": True},
    {"page_numbers": True},
    {"sans": True},
)
MAX_BLANKS = 6


# ---------------------------------------------------------------------------------------------
# Scoring


def _same(truth: Any, value: Any) -> bool:
    # Decimals compare by value (truth files write them as text: "453754632.81").
    return Decimal(str(truth)) == Decimal(str(value))


@dataclass
class Score:
    """Counts for one form (or one report): every cell of the truth lands in exactly one of
    right / uncertain / missing / wrong."""

    reports: int = 0
    cells: int = 0
    nonzero: int = 0
    right: int = 0
    right_nonzero: int = 0
    uncertain: int = 0
    missing: int = 0
    wrong: int = 0
    wrong_cells: list[tuple[str, str, Any, Any]] = field(default_factory=list)  # (file, key, truth, read)
    blamed: list[tuple[str, str, str]] = field(default_factory=list)  # (file, code, location)

    def add(self, other: Score) -> None:
        for name in ("reports", "cells", "nonzero", "right", "right_nonzero", "uncertain", "missing", "wrong"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.wrong_cells += other.wrong_cells
        self.blamed += other.blamed


def score(name: str, truth: Truth, cells: Mapping[str, ReadCell]) -> Score:
    """Score the cells read (`cells`: key -> (value, state)) against `truth` for the file `name`."""
    out = Score(reports=1)
    for key, want in truth.items():
        value, state = cells.get(key, (None, CellState.ABSENT.value))
        out.cells += 1
        nonzero = want is not None and not _same(want, 0)
        out.nonzero += nonzero
        if state == CellState.UNCERTAIN.value:
            out.uncertain += 1
        elif state != CellState.NUMBER.value or value is None:
            if want is None:  # the report leaves it blank and nothing was read: right
                out.right += 1
            else:
                out.missing += 1
        elif want is not None and _same(want, value):
            out.right += 1
            out.right_nonzero += nonzero
        else:
            out.wrong += 1
            out.wrong_cells.append((name, key, want, value))
    return out


def cells_of(report: Report) -> dict[str, ReadCell]:
    return {key: (cell.value, cell.state.value) for key, cell in report.cells.items()}


def _table_findings(report: Report) -> set[tuple[str, str]]:
    """(code, location) of the B/C findings about the three tables, but C062: that an identity
    cannot be checked over a missing cell says nothing against the report."""
    return {
        (f.code, f.location)
        for f in check(report)
        if f.code[0] in "BC" and f.code != "C062" and f.location.split(".", 1)[0] in ("t2", "t3", "t4")
    }


def blamed_on_report(name: str, truth: Truth, report: Report) -> list[tuple[str, str, str]]:
    """The table findings (B/C) of `report` that the same values written cleanly do not get."""
    from tests.generate import write_report

    if report.spec_id != "gov2021":  # the clean writer knows the 2021 format only
        return []
    blank = [k for k, v in truth.items() if v is None]
    values = {k: 0 if v is None else Decimal(str(v)) for k, v in truth.items()}
    clean = read(write_report(values, "tab", missing=blank).encode("utf-8"), name="clean.txt")
    return [(name, code, where) for code, where in sorted(_table_findings(report) - _table_findings(clean))]


# ---------------------------------------------------------------------------------------------
# Real reports with truth files


@dataclass(frozen=True)
class TruthFile:
    path: Path  # the truth JSON
    source: str
    file: Path  # the report
    format: str
    cells: dict[str, Any]

    @property
    def form(self) -> str:
        """The form the report is in, for the table: seed text, real HTML, crawler text, 2019 text."""
        if self.path.name.startswith("seed-"):
            return "real-seed"
        if self.file.suffix == ".html":
            return "real-html"
        return "real-text-2019" if self.format == "gov2019" else "real-crawler-text"


def load_truth(directory: Path = TRUTH_DIR) -> list[TruthFile]:
    out = []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        out.append(TruthFile(path, data["source"], (ROOT / data["file"]).resolve(), data["format"], data["cells"]))
    return out


def score_truth_file(truth: TruthFile) -> Score:
    report = read(truth.file)
    result = score(truth.file.name, truth.cells, cells_of(report))
    result.blamed = blamed_on_report(truth.file.name, truth.cells, report)
    if report.spec_id != truth.format:  # every cell under the wrong format's keys: count them all wrong
        result.wrong_cells.append((truth.file.name, "format", truth.format, report.spec_id))
        result.wrong += 1
    return result


def page_text(html: bytes, sep: str) -> str:
    """A web page's body as a crawler stores it (`element.textContent`): one line, the whitespace
    removed (sep="") or every run of it made one space (sep=" ")."""
    import lxml.html

    body = lxml.html.fromstring(html).find("body")
    text = body.text_content() if body is not None else ""
    return sep.join(text.split())


def score_page_text(name: str, truth: Mapping[str, Any], html: bytes, sep: str) -> Score:
    """Score the one-line textContent of a page; a refused file scores every cell missing."""
    name += ".textcontent" if not sep else ".textcontent-spaced"
    try:
        report = read(page_text(html, sep).encode("utf-8"), name=name + ".txt")
    except XxgkError:
        return score(name, truth, {})
    result = score(name, truth, cells_of(report))
    result.blamed = blamed_on_report(name, truth, report)
    return result


# ---------------------------------------------------------------------------------------------
# Generated reports


Writer = Callable[[dict[str, Any], set[str], int], tuple[bytes, str]]  # (values, blank cells, seed)


def writers() -> dict[str, Writer]:
    """Form -> (values, seed) -> (file bytes, file name). Imported here: the generators live in
    tests/ and some are slow to import (weasyprint)."""
    from tests import docxgen, htmlgen
    from tests.blanking import markdown
    from tests.generate import write_report
    from tests.test_broken_extractions import MD_STYLES, broken_text, ocr_markdown
    from tests.test_reader_markdown import write_ocr_markdown

    def text(layout: str) -> Writer:
        return lambda v, m, s: (write_report(v, layout, missing=m).encode("utf-8"), "r.txt")

    def html(values: dict[str, Any], blank: set[str], seed: int) -> tuple[bytes, str]:
        return htmlgen.write_html(
            values, htmlgen.STYLES[seed % len(htmlgen.STYLES)], seed=seed, missing=blank
        ), "r.html"

    def pdf(values: dict[str, Any], blank: set[str], seed: int) -> tuple[bytes, str]:
        from tests.pdfgen import render_pdf, report_html

        variant = PDF_VARIANTS[seed % len(PDF_VARIANTS)]
        # (the variants are keyword-only flags of report_html; mypy cannot tell from a dict)
        return render_pdf(report_html(values, missing=blank, **variant)), "r.pdf"  # type: ignore[arg-type]

    def pdf_borderless(values: dict[str, Any], blank: set[str], seed: int) -> tuple[bytes, str]:
        """issue 19 §2.2: a CMS page without rulings printed to PDF (cell padding down to a browser's
        1px, label alignment and the PDF variants varying by seed, every third with a blank first
        page)."""
        from tests.pdfgen import borderless_html, render_pdf, report_html

        variant = PDF_VARIANTS[seed % len(PDF_VARIANTS)]
        page = borderless_html(
            report_html(values, missing=blank, **variant),  # type: ignore[arg-type]
            padding=("2pt 3pt", "1pt 2pt", "3pt 4pt", "1px")[seed % 4],
            centred=bool(seed % 2),
            blank_first_page=seed % 3 == 0,
        )
        return render_pdf(page), "r.pdf"

    def pdf_wps(values: dict[str, Any], blank: set[str], seed: int) -> tuple[bytes, str]:
        """issue 19 §2.1: 表三 as WPS 文字 draws it, the vertical 三、本年度办理结果 upright or turned."""
        from tests.pdfgen import render_pdf, report_html, wps_html

        page = wps_html(report_html(values, missing=blank), rotated=bool(seed % 2), own_page=seed % 3 == 0)
        return render_pdf(page), "r.pdf"

    def pdf_libreoffice_vertical(values: dict[str, Any], blank: set[str], seed: int) -> tuple[bytes, str]:
        """issue 19 §2.1: a Word file whose 表三 has 三、本年度办理结果 (and, two seeds in three, the
        merged group labels) written vertically, tbRl or btLr by seed, saved as PDF by LibreOffice."""
        from tests.docxgen import vertical_labels_report

        direction = ("tbRl", "btLr")[seed % 2]
        data = vertical_labels_report(values, missing=blank, direction=direction, groups=seed % 3 != 0)
        return libreoffice_pdf(data), "r.pdf"

    return {
        "txt-tab": text("tab"),
        "txt-cell_per_line": text("cell_per_line"),
        "txt-pipe": text("pipe"),
        "md-table": lambda v, m, s: (markdown(v, m), "r.md"),
        "md-ocr": lambda v, m, s: (write_ocr_markdown(v, random.Random(s)).encode("utf-8"), "r.md"),
        "html": html,
        "docx-python": lambda v, m, s: (docxgen.python_docx_report(v, missing=m), "r.docx"),
        "docx-word": lambda v, m, s: (docxgen.handwritten_report(v, missing=m, seed=s), "r.docx"),
        "pdf": pdf,
        "pdf-borderless": pdf_borderless,
        "pdf-wps": pdf_wps,
        "pdf-libreoffice-vertical": pdf_libreoffice_vertical,
        # issue 19 §2.5: pdftotext -layout text with notes in 表二's cells, damaged one way per seed
        "txt-broken": lambda v, m, s: (broken_text(v, frozenset(m), s).encode("utf-8"), "r.txt"),
        # issue 19 §2.6: 表三 one Markdown table per row group under generic or misleading headers
        "md-groups": lambda v, m, s: (
            ocr_markdown(v, MD_STYLES[s % len(MD_STYLES)], frozenset(m)).encode("utf-8"),
            "r.md",
        ),
        "html-textcontent": lambda v, m, s: (
            page_text(html(v, m, s)[0], " " if s % 2 else "").encode("utf-8"),
            "r.txt",
        ),
    }


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
_PROFILE: list[Path] = []  # LibreOffice's user profile, made by the first conversion and kept (it halves the next ones)


def libreoffice_pdf(docx: bytes) -> bytes:
    """A Word file saved as PDF by LibreOffice (`soffice --convert-to pdf`, ~3 s)."""
    assert SOFFICE is not None
    if not _PROFILE:
        _PROFILE.append(Path(tempfile.mkdtemp(prefix="xxgk-fidelity-lo-")))
        atexit.register(shutil.rmtree, _PROFILE[0], True)
    profile = _PROFILE[0]
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "r.docx"
        source.write_bytes(docx)
        subprocess.run(
            [
                SOFFICE,
                "--headless",
                "--norestore",
                f"-env:UserInstallation={(profile / 'user').as_uri()}",
                "--convert-to",
                "pdf",
                "--outdir",
                work,
                str(source),
            ],
            check=True,
            timeout=300,
            capture_output=True,
            env={"HOME": str(profile), "PATH": "/usr/bin:/bin"},
        )
        return (Path(work) / "r.pdf").read_bytes()


def generated_cases(form: str, n: int, seed: int) -> Iterator[tuple[str, dict[str, Any], bytes, str]]:
    """(case name, truth, file bytes, file name) of the `n` reports of `form`; the same for a seed."""
    from tests.generate import random_consistent_tables

    base, blanks = form.removesuffix("-blanks"), form.endswith("-blanks")
    write = writers()[base]
    for i in range(n):
        case_seed = seed * 1000 + i
        rng = random.Random(case_seed)
        values = random_consistent_tables(rng)
        # "-blanks": 1-6 cells printed blank; their truth is null (blank, must not be read as a number)
        blank = set(rng.sample(sorted(values), rng.randint(1, MAX_BLANKS))) if blanks else set()
        data, name = write(values, blank, case_seed)
        truth = {k: None if k in blank else v for k, v in values.items()}
        yield f"{form}#{case_seed}", truth, data, name


def score_generated(form: str, n: int, seed: int) -> Score:
    total = Score()
    for case, truth, data, name in generated_cases(form, n, seed):
        try:
            report = read(data, name=name)
        except XxgkError:  # refused: every cell missing (flagged by the refusal itself)
            total.add(score(case, truth, {}))
            continue
        result = score(case, truth, cells_of(report))
        result.blamed = blamed_on_report(case, truth, report)
        total.add(result)
    return total


# ---------------------------------------------------------------------------------------------
# Output


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:6.2f}%" if whole else "     -"


HEADER = ("形式", "报告", "单元格", "读对", "读对率", "非零读对率", "存疑", "缺失", "读错", "误报")


def table(rows: Iterable[tuple[str, Score]]) -> str:
    lines = ["\t".join(HEADER)]
    for form, s in rows:
        lines.append(
            "\t".join(
                (
                    form,
                    str(s.reports),
                    str(s.cells),
                    str(s.right),
                    _pct(s.right, s.cells),
                    _pct(s.right_nonzero, s.nonzero),
                    str(s.uncertain),
                    str(s.missing),
                    str(s.wrong),
                    str(len(s.blamed)),
                )
            )
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="对照真值逐格评测 xxgk 读取的表格数据（读错即退出码 1）")
    parser.add_argument("--n", type=int, default=10, help="每种生成形式的报告数（默认 10）")
    parser.add_argument("--pdf", type=int, default=3, help="生成的 PDF 报告数（较慢，默认 3）")
    parser.add_argument("--seed", type=int, default=19, help="生成报告的随机种子（默认 19）")
    parser.add_argument("--forms", default=",".join(GENERATED_FORMS), help="生成形式，逗号分隔")
    parser.add_argument("--no-real", action="store_true", help="不评测有真值文件的真实报告")
    parser.add_argument("--truth", type=Path, default=TRUTH_DIR, help="真值文件目录（默认 benchmarks/truth）")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    rows: list[tuple[str, Score]] = []
    if not args.no_real:
        by_form: dict[str, Score] = {}
        for truth in load_truth(args.truth):
            if not truth.file.exists():
                print(f"跳过：找不到报告文件 {truth.file}（真值 {truth.path.name}）", file=sys.stderr)
                continue
            by_form.setdefault(truth.form, Score()).add(score_truth_file(truth))
            if truth.file.suffix == ".html":  # the crawler's one-line textContent of the same page
                for sep, suffix in (("", ""), (" ", "-spaced")):
                    page = score_page_text(truth.file.name, truth.cells, truth.file.read_bytes(), sep)
                    by_form.setdefault("real-html-textcontent" + suffix, Score()).add(page)
        rows += sorted(by_form.items())
    for form in [f for f in args.forms.split(",") if f]:
        if form not in GENERATED_FORMS:
            parser.error(f"未知的形式：{form}（可选：{'、'.join(GENERATED_FORMS)}）")
        n = args.pdf if form.startswith("pdf") else args.n
        if form == "pdf-libreoffice-vertical" and SOFFICE is None:
            print(f"跳过 {form}：没有安装 LibreOffice（soffice）", file=sys.stderr)
            continue
        if n > 0:
            rows.append((f"gen-{form}", score_generated(form, n, args.seed)))
    total = Score()
    for _, s in rows:
        total.add(s)
    print(table([*rows, ("合计", total)]))
    if total.wrong_cells:
        print("\n读错的单元格（文件、单元格、真值、读到的值）：")
        for name, key, want, got in total.wrong_cells:
            print(f"  {name}\t{key}\t{want}\t{got}")
    if total.blamed:
        print("\n读取造成的报告错误（文件、规则、位置）：")
        for name, code, where in total.blamed:
            print(f"  {name}\t{code}\t{where}")
    print(f"\n用时 {time.perf_counter() - started:.1f} 秒", file=sys.stderr)
    return 1 if total.wrong or total.blamed else 0


if __name__ == "__main__":
    sys.exit(main())
