"""PDFs made the way most published reports are: a Word file saved as PDF (here by LibreOffice).

Word and LibreOffice lay tables out differently from WeasyPrint: a row may break across pages with
both parts ruled, a table's part on one page may lack a column border its later parts have (表三's
sub-label column starts with （三）), and a glyph's box may be its ink only (a flat 一). Reports
written as .docx (by python-docx, and by xxgk's renderer from the seeds and the corpus) are
converted by LibreOffice and read back cell for cell.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.docxgen import VERTICAL_LABEL, python_docx_report, vertical_labels_report
from tests.test_reader_docx import _assert_round_trip, _case
from xxgk.api import check_report, read_report
from xxgk.readers.base import RawCell, RawLine
from xxgk.readers.pdf import PdfReader, _rest_of_row
from xxgk.readers.pdf_continued import continues, regrid_cells, regrid_line, united
from xxgk.readers.pdf_geometry import Char
from xxgk.readers.pdf_text import _upright_columns, cell_text, chars_to_lines
from xxgk.report import CellState, Provenance, Report
from xxgk.settings import ReadSettings
from xxgk.write.docx import render_docx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt")) + sorted((FIXTURES / "corpus").glob("0*"))
PYTHON_DOCX_SEEDS = range(6)
HEADER_SEEDS = (0, 1)  # the same reports with 表三's header repeated on every page
# 表三's 三、本年度办理结果 and its merged group labels written vertically (w:textDirection), by seed
VERTICAL = {"tbRl": 2, "btLr": 3}


def _header_repeated(data: bytes) -> bytes:
    """The Word file with the header rows of its longest table (表三) repeated on each page."""
    import io

    import docx
    from docx.oxml import OxmlElement

    document = docx.Document(io.BytesIO(data))
    table = max(document.tables, key=lambda t: len(t.rows))
    for row in table.rows[:3]:
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reports as .docx, and each saved as PDF by LibreOffice (one run for all)."""
    out = tmp_path_factory.mktemp("libreoffice")
    for seed in PYTHON_DOCX_SEEDS:
        values, missing, agency, year = _case(seed)
        data = python_docx_report(values, agency, year, missing)
        (out / f"python-docx-{seed}.docx").write_bytes(data)
        if seed in HEADER_SEEDS:
            (out / f"header-{seed}.docx").write_bytes(_header_repeated(data))
    for direction, seed in VERTICAL.items():
        values, missing, agency, year = _case(seed)
        data = vertical_labels_report(values, agency, year, missing, direction=direction)
        (out / f"vertical-{direction}.docx").write_bytes(data)
    for path in SEEDS:
        (out / f"{path.stem}.docx").write_bytes(render_docx(read_report(path)))  # (the official layout)
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(out / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, sorted(out.glob("*.docx"))),
        ],
        check=True,
        timeout=600,
        capture_output=True,
        env={"HOME": str(out), "PATH": "/usr/bin:/bin"},
    )
    return out


@needs_libreoffice
@pytest.mark.parametrize(
    ("name", "seed"),
    [("python-docx", seed) for seed in PYTHON_DOCX_SEEDS]
    # the rest of a cut row comes after the header repeated at the top of the page
    + [("header", seed) for seed in HEADER_SEEDS],
)
def test_word_reports_saved_as_pdf_by_libreoffice(converted: Path, name: str, seed: int) -> None:
    values, missing, agency, year = _case(seed)
    report = read_report(converted / f"{name}-{seed}.pdf")
    _assert_round_trip(report, values, missing, agency, year)
    assert [f.code for f in report.diagnostics if f.code == "R003"] == []  # every cut label joined whole


@needs_libreoffice
@pytest.mark.parametrize("direction", VERTICAL)
def test_vertical_labels_saved_as_pdf_by_libreoffice(converted: Path, direction: str) -> None:
    """issue 19 §2.1: 三、本年度办理结果 and the group labels （三）…（六） written vertically in
    their merged cells. tbRl keeps Chinese characters upright, in columns read right to left
    (三、本年度 | 办理结果); btLr turns them a quarter anticlockwise. Every cell comes back, each
    label reads whole in its own cell, and the labels leave the title and metadata alone."""
    values, missing, agency, year = _case(VERTICAL[direction])
    pdf = converted / f"vertical-{direction}.pdf"
    report = read_report(pdf)
    _assert_round_trip(report, values, missing, agency, year)
    assert not [f.code for f in report.diagnostics if f.code in ("R003", "R017")]
    source = read_report(converted / f"vertical-{direction}.docx")
    assert report.meta.title == source.meta.title == f"{agency}{year}年政府信息公开工作年度报告"
    # the same findings of the report's own figures as its Word file: nothing lost to reading
    assert _findings(report, "BC") == _findings(source, "BC")
    doc = PdfReader().read(pdf.name, pdf.read_bytes(), ReadSettings())
    rows = [[c.text for c in line.cells] for line in doc.lines if line.cells[0].source.table is not None]
    (first,) = [r for r in rows if "（一）予以公开" in r]
    assert first[0] == VERTICAL_LABEL
    labels = {t for r in rows for t in r[:2] if t.startswith("（")}
    assert {"（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"} <= labels


def _findings(report: Report, kinds: str) -> list[tuple[str, str]]:
    return sorted((f.code, f.location) for f in check_report(report) if f.code[0] in kinds)


@needs_libreoffice
@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:12])
def test_seed_and_corpus_reports_rendered_to_word_then_pdf(converted: Path, path: Path) -> None:
    source = read_report(path)
    report = read_report(converted / f"{path.stem}.pdf")
    assert len(source.cells) == 200
    assert {k: (c.value, c.missing) for k, c in report.cells.items()} == {
        k: (c.value, c.missing) for k, c in source.cells.items()
    }
    assert [f.code for f in report.diagnostics if f.code in ("R001", "B041")] == []
    # The text rules find what they find in the source: a PDF's paragraphs are its printed lines
    # run on (a date or a claim wrapped onto the next line is still read), and its title and date.
    # (A cell the source's reading left uncertain is printed blank in the Word file: C061 there.)
    uncertain = {k for k, c in source.cells.items() if c.state is CellState.UNCERTAIN}
    assert _text_findings(report) == sorted([*_text_findings(source), *(("C061", k) for k in uncertain)])


def _text_findings(report: Report) -> list[tuple[str, str]]:
    """The findings of the arithmetic, date and text rules (A, C, D) of a report, as (code, location)."""
    return sorted((f.code, f.location) for f in check_report(report) if f.code[0] in "ACD")


# --- the same PDFs as text extractors print them ---------------------------------------------
#
# Crawlers and reviewers often have only the text of a PDF: pdftotext (with -layout or not),
# pdfplumber, pypdfium2. Word tables come out of these with labels wrapped beside their numbers,
# merged cells' labels in pieces, a row's number cut from its label, or (pdftotext without
# -layout) labels first and numbers column by column after their column labels.


def _pdftotext(pdf: Path, *options: str) -> str:
    run = subprocess.run(["pdftotext", *options, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, timeout=60)
    return run.stdout.decode("utf-8")


def _pypdfium2(pdf: Path) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def _pdfplumber(pdf: Path) -> str:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


EXTRACTORS = {
    "layout": lambda pdf: _pdftotext(pdf, "-layout"),  # pdftotext -layout
    "flow": _pdftotext,  # pdftotext: text in reading order
    "pypdfium2": _pypdfium2,
    "pdfplumber": _pdfplumber,
}
# Every cell of these reads as in the source (but cells the source leaves unplaceable: UNCERTAIN).
WHOLE = ("layout", "pypdfium2", "pdfplumber")
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


@pytest.fixture(scope="module")
def extracted(converted: Path) -> Path:
    """Each PDF of `converted` as each extractor prints it: `<stem>.<extractor>.txt`."""
    for pdf in sorted(converted.glob("*.pdf")):
        for name, extract in EXTRACTORS.items():
            (converted / f"{pdf.stem}.{name}.txt").write_text(extract(pdf), "utf-8")
    return converted


@needs_libreoffice
@needs_pdftotext
@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:12])
def test_text_extracted_from_word_pdfs_never_gives_a_wrong_number(extracted: Path, path: Path, extractor: str) -> None:
    source = read_report(path)
    report = read_report(extracted / f"{path.stem}.{extractor}.txt")
    wrong = {
        k: (c.value, report.cells[k].value)
        for k, c in source.cells.items()
        if report.cells[k].value not in (None, c.value)
    }
    assert not wrong
    unread = [k for k, c in source.cells.items() if report.cells[k].value != c.value]
    if extractor in WHOLE:  # every cell read, or reported as not placeable
        assert all(report.cells[k].state is CellState.UNCERTAIN for k in unread), unread
        assert len(unread) < len(source.cells) // 10
    else:  # pdftotext's flow cuts 表三 into blocks: rows it cannot place are unknown and said so, never blank
        assert not [k for k in unread if report.cells[k].state is CellState.EMPTY]
        if any(k.startswith("t2.") for k in unread):  # 表二 read by its column labels, or reported
            assert {"R009", "R015"} & {d.code for d in report.diagnostics}


@needs_libreoffice
@needs_pdftotext
@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("seed", PYTHON_DOCX_SEEDS)
def test_text_extracted_from_narrow_word_tables(extracted: Path, seed: int, extractor: str) -> None:
    """python-docx's tables have columns of one width: labels wrap over many lines and long
    numbers wrap inside their cells, with blank cells among them. A number is right or missing."""
    values, missing, _, _ = _case(seed)
    report = read_report(extracted / f"python-docx-{seed}.{extractor}.txt")
    want = {k: None if k in missing else v for k, v in values.items()}
    assert not [k for k, v in want.items() if report.cells[k].value not in (None, v)]
    assert sum(report.cells[k].value == v for k, v in want.items() if v is not None) > 0


# --- the pieces, on made-up geometry -----------------------------------------------------------


def test_a_flat_glyph_stays_on_its_line() -> None:
    # LibreOffice's “一” has a box of its ink: thin, above the other characters' centres.
    chars = [
        Char("（", 112.1, 580.5, 122.6, 590.3),
        Char("一", 122.6, 580.9, 133.1, 585.2),
        Char("）", 133.1, 580.5, 143.6, 590.3),
        Char("予", 143.6, 580.6, 154.1, 590.2),
        Char("公", 154.1, 595.0, 164.6, 604.8),  # the next line
    ]
    assert ["".join(c.text for c in line) for line in chars_to_lines(chars)] == ["（一）予", "公"]


def test_parts_of_a_table_on_two_pages_share_their_column_borders() -> None:
    first = [84.6, 127.8, 214.2, 257.4]  # 表三 before （三）: no sub-label column
    second = [84.6, 127.8, 171.0, 214.2, 257.4]
    assert continues(first, second) and continues(second, first)
    assert united(first, second) == second
    assert not continues(first, [84.6, 113.4, 142.2, 171.0, 257.4])  # 表四 after 表三: other borders
    assert not continues(first, [84.6, 127.8, 214.2, 300.0])  # another width
    cells = [("", 84.6, 10.0), ("（一）予以公开", 127.8, 10.0), ("5", 214.2, 10.0)]
    assert regrid_cells(cells, first, second) == [
        ("", 84.6, 10.0),
        ("（一）予以公开", 127.8, 10.0),
        ("", 171.0, 10.0),  # the column the merged cell covers
        ("5", 214.2, 10.0),
    ]
    line = _line(["", "（一）予以公开", "5"], first)
    wider = regrid_line(line, first, second)
    assert [(c.text, c.source.cell, c.source.x) for c in wider.cells] == [
        ("", 0, 84.6),
        ("（一）予以公开", 1, 127.8),
        ("", 2, 171.0),
        ("5", 3, 214.2),
    ]


def _line(texts: list[str], borders: list[float]) -> RawLine:
    return RawLine(
        tuple(
            RawCell(t, Provenance("x.pdf", line=1, cell=i, page=1, reader="pdf", table=0, row=0, x=x, y=700.0))
            for i, (t, x) in enumerate(zip(texts, borders, strict=False))
        )
    )


BORDERS = [84.6, 127.8, 171.0, 214.2, 257.4]


@pytest.mark.parametrize(
    ("above", "wrapped", "below", "rests"),
    [
        # a row label cut by the page break: its rest joins it, the values stay above
        (["", "（六）其他处理", "1.申请人无正当理由逾期不", "6"], {171.0}, ("", "", "补正、行政机关…", ""), {2: 1}),
        # a header cut (结果 | 维持)
        (["结果", "结果", "其他", "总计"], {84.6, 127.8, 171.0}, ("维持", "纠正", "结果", ""), {0: 1, 1: 1, 2: 1}),
        # a row of its own under a short label, its values blank: not a rest
        (["规章", "0", "0", "0"], set(), ("行政规范性文件", "", "", ""), None),
        # a row of its own with values: not a rest
        (
            ["", "（四）无法提供", "1.本机关不掌握相关政府信息", "0"],
            {127.8, 171.0},
            ("", "", "2.没有现成信息需要另行制作", "0"),
            None,
        ),
        # a number under a number: not a rest (a value is no wrapped text)
        (["", "", "1.本机关…", "12"], {171.0, 214.2}, ("", "", "", "34"), None),
    ],
)
def test_the_rest_of_a_row_cut_by_a_page_break(
    above: list[str], wrapped: set[float], below: tuple[str, ...], rests: dict[int, int] | None
) -> None:
    group = _line(["三、本年度办理结", "", "", ""], BORDERS)  # a cell spanning down into the last row
    lines = [group, _line(above, BORDERS)]
    assert _rest_of_row(lines, [0, 1], below, frozenset(wrapped)) == rests


def test_the_rest_of_a_cell_spanning_down_goes_to_that_cell() -> None:
    # 三、本年度办理结果 spans down the rows of its group; its last character went to the next page.
    lines = [
        _line(["申请", "", "", ""], BORDERS),
        _line(["三、本年度办理结", "（二）部分公开", "", "5"], BORDERS),
        _line(["", "（三）不予公开", "1.属于国家秘密", "0"], BORDERS),
    ]
    below = ("果", "", "", "")
    assert _rest_of_row(lines, [0, 1, 2], below, frozenset({84.6})) == {0: 1}


def test_a_paragraph_runs_on_over_its_printed_lines() -> None:
    from xxgk.readers.pdf import _full, _Item, _runs_on

    block = (90.0, 505.0)  # the page's text: left and right edges
    full = _Item(100.0, [("本报告中所列数据的统计时限为2024年1月1日起至", 90.0, 100.0)], right=503.0, em=12.0)
    short = _Item(100.0, [("信息公开工作年度报告", 200.0, 100.0)], right=320.0, em=12.0)
    assert _full(full, block) and not _full(short, block)
    assert _runs_on(_Item(116.0, [("2024年12月31日。", 90.0, 116.0)], right=200.0, em=12.0), block)
    assert not _runs_on(_Item(116.0, [("2025年，本机关将…", 114.0, 116.0)], right=503.0, em=12.0), block)  # indented
    for heading in ("四、政府信息公开行政复议、行政诉讼情况", "（二）依申请公开", "3.其他", "附件：", "表三"):
        assert not _runs_on(_Item(116.0, [(heading, 90.0, 116.0)], right=400.0, em=12.0), block)


def _written_down(columns: list[str], x: float, top: float, column_pitch: float) -> list[Char]:
    """Characters of `columns` written down (touching, 11 pt), the columns from `x` leftwards."""
    return [
        Char(ch, x - k * column_pitch, top + 11.0 * i, x - k * column_pitch + 11.0, top + 11.0 * i + 10.1)
        for k, column in enumerate(columns)
        for i, ch in enumerate(column)
    ]


def _written_across(lines: list[str], x: float, top: float, leading: float, pitch: float = 11.0) -> list[Char]:
    return [
        Char(ch, x + pitch * i, top + leading * k, x + pitch * i + 11.0, top + leading * k + 10.1)
        for k, line in enumerate(lines)
        for i, ch in enumerate(line)
    ]


def test_upright_columns_read_right_to_left() -> None:
    # LibreOffice's tbRl on Chinese text: the characters touch down each column, the columns stand apart
    down = _written_down(["三、本年度", "办理结果"], 111.5, 648.6, 12.8)
    assert _upright_columns(down) is not None
    assert cell_text(down) == "三、本年度办理结果"
    # text written across, its lines apart by their leading: read across
    across = _written_across(["社会公", "益组织"], 100.0, 80.0, 12.8)
    assert _upright_columns(across) is None and cell_text(across) == "社会公益组织"
    # a header spaced out over two lines (结　果 / 维　持): its leading keeps it across
    spaced = _written_across(["结果", "维持"], 100.0, 50.0, 12.8, pitch=33.0)
    assert _upright_columns(spaced) is None and cell_text(spaced).replace(" ", "") == "结果维持"
    # a label centred in a narrow cell of a borderless table (WeasyPrint): its lines stagger, and
    # their loose boxes are taller than the line pitch; the characters chain into no column
    boxes = [
        ("3", 134.05, 0, 139.06), (".", 139.06, 0, 142.0), ("补", 142.0, 0, 151.0), ("正", 151.0, 0, 160.0),
        ("后", 160.0, 0, 169.0), ("申", 169.0, 0, 178.0), ("请", 133.52, 1, 142.52), ("内", 142.52, 1, 151.52),
        ("容", 151.52, 1, 160.52), ("仍", 160.52, 1, 169.52), ("不", 169.52, 1, 178.52), ("明", 147.02, 2, 156.02),
        ("确", 156.02, 2, 165.02),
    ]  # fmt: skip
    centred = [Char(t, x0, 312.85 + 11.25 * k, x1, 325.78 + 11.25 * k) for t, x0, k, x1 in boxes]
    assert _upright_columns(centred) is None and cell_text(centred) == "3.补正后申请内容仍不明确"
