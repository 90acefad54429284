"""PDFs in the forms reports are really published in (issue 19 §2): web pages whose tables have
no borders, printed to PDF (columns only by the positions of the text, a blank first page), and
表三 as WPS 文字 draws it (三、本年度办理结果 upright one character under the other, or turned, in
a merged cell beside merged group labels; grey bold header rows, white cell fills, 0.48 pt rules).

The PDFs are made once per module (WeasyPrint, about a second each) and every test reads them.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest

from xxgk.format import load_format

pdfium = pytest.importorskip("pypdfium2")
pytest.importorskip("weasyprint")

from tests.conftest import seed  # noqa: E402
from tests.generate import SPEC, random_consistent_tables  # noqa: E402
from tests.pdfgen import borderless_html, render_pdf, report_html, wps_html  # noqa: E402
from xxgk.api import read, read_report  # noqa: E402
from xxgk.readers.pdf import PdfReader  # noqa: E402
from xxgk.readers.pdf_geometry import Char  # noqa: E402
from xxgk.readers.pdf_text_tables import text_tables  # noqa: E402
from xxgk.report import CellState, Report  # noqa: E402
from xxgk.settings import ReadSettings  # noqa: E402

pytestmark = pytest.mark.xdist_group("pdf_forms")  # one worker makes the module's PDFs once

Values = dict[str, Any]


def _values(seed_number: int) -> Values:
    return dict(random_consistent_tables(random.Random(seed_number)))


def _seed_figures(prefix: str) -> tuple[Values, set[str], str, int]:
    """(values, blank cells, agency, year) of a seed report as the text reader reads it."""
    report = read_report(seed(prefix))
    values = {k: c.value if c.value is not None else 0 for k, c in report.cells.items()}
    blank = {k for k, c in report.cells.items() if c.value is None}
    assert report.meta.agency is not None and report.meta.year is not None
    return values, blank, report.meta.agency, report.meta.year


borderless_pdfs: dict[str, bytes] = {}  # the borderless fixture's PDFs, by name


@pytest.fixture(scope="module")
def borderless() -> dict[str, tuple[Values, set[str], Report]]:
    """name -> (values printed, cells printed blank, the report read from the PDF)."""
    out: dict[str, tuple[Values, set[str], Report]] = {}
    cases: list[tuple[str, Values, set[str], str, dict[str, Any], dict[str, Any]]] = [
        ("plain", _values(1901), set(), "某某镇人民政府", {}, {}),
        # a browser's default cell padding (1px): numbers of neighbouring columns nearly touch
        ("tight-long", _values(1903), set(), "某某镇人民政府", {"long_prose": True}, {"padding": "1px"}),
        (
            "blanks",
            _values(1904),
            {"t3.granted.total", "t2.regulations.repealed", "t4.review.other"},
            "某某镇人民政府",
            {},
            {},
        ),
        # centred labels: 三、本年度 | 办理结果 centred in the first column, beside a row's label
        # that starts just right of it on the same line
        ("centred", _values(19011), set(), "某某镇人民政府", {}, {"centred": True, "blank_first_page": True}),
        # 1px padding, centred: a row cut by the page break leaves its numbers on the page and its
        # label (wrapped, so centred lower) at the top of the next, under 表三's header repeated there
        (
            "tight-centred",
            _values(7011),
            set(),
            "某某镇人民政府",
            {"repeat_header": True},
            {"padding": "1px", "centred": True, "blank_first_page": True},
        ),
        # labels wrapped over up to seven lines in narrow columns: rows whose numbers stand far apart
        (
            "narrow",
            _values(5020),
            set(),
            "某某镇人民政府",
            {"narrow_labels": True},
            {"padding": "1pt 2pt", "blank_first_page": True},
        ),
        # 1px padding: the loose boxes of a label's wrapped lines overlap; two cells' overlap less
        ("tight-narrow-short", _values(5008), set(), "某某镇人民政府", {"narrow_labels": True}, {"padding": "1px"}),
        # 1px padding, labels wrapped over many lines in narrow columns, rows cut by page breaks:
        # 8.属于行政 | 查询事项, its numbers before the break, 查询事项 after it over 1.本机关不掌握…
        (
            "tight-narrow",
            _values(5009),
            set(),
            "某某镇人民政府",
            {"long_prose": True, "narrow_labels": True},
            {"padding": "1px"},
        ),
    ]
    values, blank, agency, year = _seed_figures("003")  # (printed after a blank first page)
    cases.append(("seed-003", values, blank, agency, {"year": year}, {"blank_first_page": True}))
    for name, vals, missing, agency_name, html_kw, form_kw in cases:
        document = report_html(vals, agency=agency_name, missing=missing, **html_kw)
        pdf = render_pdf(borderless_html(document, **form_kw))
        borderless_pdfs[name] = pdf
        out[name] = (vals, missing, read(pdf, name=f"{name}.pdf"))
    return out


def _wrong(report: Report, values: Values, blank: set[str]) -> dict[str, Any]:
    return {
        k: (v, report.cells[k].value)
        for k, v in values.items()
        if k not in blank
        and report.cells[k].value is not None
        and Decimal(str(report.cells[k].value)) != Decimal(str(v))
    }


@pytest.mark.parametrize(
    "name",
    ["plain", "tight-long", "seed-003", "centred", "tight-centred", "narrow", "tight-narrow-short", "tight-narrow"],
)
def test_borderless_table_every_cell(borderless: dict[str, tuple[Values, set[str], Report]], name: str) -> None:
    values, blank, report = borderless[name]
    assert len(values) == len(SPEC.cells)
    assert not _wrong(report, values, blank)
    missing = sorted(k for k in values if k not in blank and report.cells[k].value is None)
    assert not missing, missing
    for k in blank:
        assert report.cells[k].value is None and report.cells[k].state is not CellState.NUMBER, k
    assert all(s.found for s in report.sections.values())
    # nothing the reader lost is blamed on the report
    assert not [d.code for d in report.diagnostics if d.code in ("B031", "B032", "B041", "B051", "R001")]


def _spread(text: str, x0: float, x1: float, top: float) -> list[Char]:
    """`text` set evenly between `x0` and `x1` on a line at `top` (loose boxes 11.5 pt tall)."""
    width = (x1 - x0) / len(text)
    return [Char(ch, x0 + k * width, top, x0 + (k + 1) * width, top + 11.5) for k, ch in enumerate(text)]


def test_side_by_side_blocks_of_a_cell_read_one_after_the_other() -> None:
    """A group label centred beside its row's wrapped label in a table without rulings (the grid
    could not part them): its lines fall between theirs, and read by line the two ran together
    character by character; read as two blocks, each is whole."""
    from xxgk.readers.pdf_text import cell_text

    chars = (
        _spread("（六）其他", 111.0, 151.0, 76.9)
        + _spread("处理", 123.0, 139.0, 86.9)
        + _spread("2.申请人逾期未按收费通知要求缴纳费用、", 161.2, 312.3, 81.9)
        + _spread("行政机关不再处理其政府信息公开申请", 168.7, 304.7, 91.9)
    )
    assert cell_text(chars) == "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    # a header spaced out over two lines keeps its lines: they stand in line
    spaced = _spread("结", 100.0, 109.0, 50.0) + _spread("果", 140.0, 149.0, 50.0)
    spaced += _spread("维", 100.0, 109.0, 63.0) + _spread("持", 140.0, 149.0, 63.0)
    assert cell_text(spaced).replace(" ", "") == "结果维持"


def test_pieces_of_labels_are_no_local_row() -> None:
    from xxgk.format import label_key
    from xxgk.recognize.traces import _label_pieces

    labels = [k for row in load_format().tables["t3"].physical_rows if row.label for k in row.label.keys]
    for garbled in (
        "分处理的，只计这一情形，不计其他情形）",
        "当理由逾期不补正、行政机关不再处理其政府信息公开申请2.申请人逾",
    ):
        assert _label_pieces(label_key(garbled), labels), garbled
    for local in ("（三）不予公开小计", "法人或其他组织小计", "其中：网上申请", "1.属于国家秘密"):
        assert not _label_pieces(label_key(local), labels), local


def test_borderless_blank_cells_stay_missing(borderless: dict[str, tuple[Values, set[str], Report]]) -> None:
    values, blank, report = borderless["blanks"]
    assert not _wrong(report, values, blank)
    assert {k for k in values if report.cells[k].value is None} == blank
    assert all(report.cells[k].state is CellState.EMPTY for k in blank)


def test_borderless_seed_keeps_its_metadata(borderless: dict[str, tuple[Values, set[str], Report]]) -> None:
    _, _, report = borderless["seed-003"]
    first = pdfium.PdfDocument(borderless_pdfs["seed-003"])[0]
    assert not first.get_textpage().get_text_range().strip()  # the print starts with a blank page
    text = read_report(seed("003"))
    assert (report.meta.agency, report.meta.year, report.meta.title) == (
        text.meta.agency,
        text.meta.year,
        text.meta.title,
    )


def test_borderless_rows_are_table_rows(borderless: dict[str, tuple[Values, set[str], Report]]) -> None:
    """The reader gives each row of a borderless 表三 one cell per column, as for a ruled table."""
    values, _, _ = borderless["plain"]
    doc = PdfReader().read("t.pdf", borderless_pdfs["plain"], ReadSettings())
    rows = [[c.text for c in line.cells] for line in doc.lines if line.cells[0].source.table is not None]
    first = next(r for r in rows if r[0].startswith("一、本年新收"))
    columns = [c.key for c in load_format().tables["t3"].columns]  # (in print order, 总计 last)
    assert [t for t in first if t] == ["一、本年新收政府信息公开申请数量"] + [
        str(values[f"t3.new_received.{c}"]) for c in columns
    ]
    t4 = next(r for r in rows if len([t for t in r if t.isdigit()]) == 15)
    assert t4[0] == str(values["t4.review.upheld"]) and t4[-1] == str(values["t4.litigation_after_review.total"])


def _line(text: str, x: float, top: float, size: float = 10.0, gap: float = 0.0) -> list[Char]:
    out = []
    for ch in text:
        if ch != " ":
            out.append(Char(ch, x, top, x + size * (0.55 if ch.isascii() else 1.0), top + size * 1.2))
        x += size * (0.55 if ch.isascii() else 1.0) + gap
    return out


def test_prose_with_numbers_is_no_table() -> None:
    """Numbers inside sentences, a date, a page number: no table."""
    chars = (
        _line("本机关全年共收到申请 12 件，办结 11 件，结转 1 件。", 90, 100)
        + _line("2025年1月15日", 300, 130)
        + _line("- 3 -", 280, 800)
    )
    assert text_tables(chars) == []


def test_aligned_rows_make_a_table() -> None:
    """Label and numbers in columns, no rulings: a table of the rows, its columns by the gutters."""
    chars: list[Char] = []
    for k, (label, a, b) in enumerate((("规章", "3", "120"), ("行政规范性文件", "45", "7"))):
        top = 100 + 18 * k
        chars += _line(label, 90, top) + _line(a, 300, top) + _line(b, 380, top)
    (grid,) = text_tables(chars)
    assert (grid.nrows, grid.ncols) == (2, 3)
    assert grid.xs[1] < 300 < grid.xs[2] < 380 < grid.xs[3]


# ---------------------------------------------------------------------------------------------
# WPS 表三: the vertical label of the merged first column


@pytest.fixture(scope="module")
def wps() -> dict[str, tuple[Values, Report, list[list[str]]]]:
    """name -> (values, report read, the texts of the PDF's table rows)."""
    cases: list[tuple[str, int, dict[str, Any], dict[str, Any]]] = [
        # 表三 on a page of its own: the upright characters stand beside the rows of （三）不予公开
        ("upright-centred", 1911, {"own_page": True, "header_rows": 3}, {}),
        # the merged cell cut by a page break, labels wrapped in narrow columns
        ("upright-cut", 1912, {"header_rows": 3}, {"long_prose": True, "narrow_labels": True}),
        # a row ends at the foot of a page whose bottom ruling is drawn on the next page only
        ("upright-foot", 34, {"header_rows": 3}, {}),
        ("turned", 1913, {"own_page": True, "rotated": True, "header_rows": 3}, {}),
        # the turned label stands out of its cell (cut by the page break) over 一、二 and the header
        ("turned-cut", 1914, {"rotated": True, "header_rows": 3}, {}),
    ]
    out: dict[str, tuple[Values, Report, list[list[str]]]] = {}
    for name, number, form_kw, html_kw in cases:
        values = _values(number)
        pdf = render_pdf(wps_html(report_html(values, **html_kw), **form_kw))
        doc = PdfReader().read(f"{name}.pdf", pdf, ReadSettings())
        rows = [[c.text for c in line.cells] for line in doc.lines if line.cells[0].source.table is not None]
        out[name] = (values, read(pdf, name=f"{name}.pdf"), rows)
    return out


@pytest.mark.parametrize("name", ["upright-centred", "upright-cut", "upright-foot", "turned", "turned-cut"])
def test_wps_vertical_label_every_cell(wps: dict[str, tuple[Values, Report, list[list[str]]]], name: str) -> None:
    values, report, _ = wps[name]
    assert not _wrong(report, values, set())
    missing = sorted(k for k in values if report.cells[k].value is None)
    assert not missing, missing
    assert not [d.code for d in report.diagnostics if d.code[0] in "BC" or d.code in ("R001", "R017")]


@pytest.mark.parametrize("name", ["upright-centred", "upright-cut", "turned", "turned-cut"])
def test_wps_vertical_label_reads_whole_beside_the_first_result_row(
    wps: dict[str, tuple[Values, Report, list[list[str]]]], name: str
) -> None:
    """The merged cell's characters (one per line, or turned) read as one label, in reading
    order, at the row where the cell starts: （一）予以公开's, which is kept as a row of its own."""
    _, _, rows = wps[name]
    (row,) = [r for r in rows if "（一）予以公开" in r]
    assert row[0] == "三、本年度办理结果"
    assert any(r[1].startswith("（二）部分公开") for r in rows)


def test_wps_turned_label_standing_out_of_its_cell(wps: dict[str, tuple[Values, Report, list[list[str]]]]) -> None:
    """A turned label longer than the part of its cell on the page stands over the rows above it
    (一、二 and the header); each of its characters goes back to its cell, none into theirs."""
    _, report, rows = wps["turned-cut"]
    labels = [t for r in rows for t in r if t]
    assert "三、本年度办理结果" in labels
    assert "一、本年新收政府信息公开申请数量" in labels and "二、上年结转政府信息公开申请数量" in labels
    corner = next(t for t in labels if t.startswith("（本列数据"))
    assert corner == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert report.meta.title == "某某镇人民政府2024年政府信息公开工作年度报告"
