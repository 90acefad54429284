"""The PDF reader: generated reports (WeasyPrint) read back cell for cell, and unusable PDFs refused.

PDFs are generated once per session (WeasyPrint takes about a second per document) and cached
in a session temporary directory.
"""

from __future__ import annotations

import hashlib
import io
import random
import shutil
import subprocess
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pdfium = pytest.importorskip("pypdfium2")
pytest.importorskip("weasyprint")

from tests.generate import SPEC, random_consistent_tables  # noqa: E402
from tests.pdfgen import grid_spans, render_pdf, report_html, report_pdf  # noqa: E402
from xxgk.errors import ScannedPdfError, UnreadableInputError  # noqa: E402
from xxgk.readers.base import RawDocument  # noqa: E402
from xxgk.readers.pdf import MAX_PAGES, SCANNED_PDF_CODE, PdfReader  # noqa: E402
from xxgk.readers.pdf_geometry import edges_to_tables  # noqa: E402
from xxgk.recognize import recognize  # noqa: E402
from xxgk.report import CellState, Report  # noqa: E402
from xxgk.settings import ReadSettings  # noqa: E402

READER = PdfReader()
SETTINGS = ReadSettings()

# (seed, variant): every variant of tests.pdfgen.report_html at least once.
ROUND_TRIPS: list[tuple[int, dict[str, bool]]] = [
    (101, {}),
    (102, {"long_prose": True}),  # 表三 starts low on a page and breaks across pages
    (103, {"narrow_labels": True}),  # row labels wrapped over several lines inside their cells
    (104, {"repeat_header": True, "page_numbers": True}),
    (105, {"sans": True}),
    (106, {"narrow_labels": True, "long_prose": True, "repeat_header": True}),
    (107, {"page_numbers": True, "sans": True}),
    (108, {"long_prose": True, "narrow_labels": True, "page_numbers": True}),
]
MISSING = (
    "t2.regulations.repealed",
    "t2.administrative_licensing.decisions",
    "t3.new_received.natural_person",
    "t3.granted.total",
    "t3.withheld_state_secret.research_institution",
    "t3.processed_total.other_org",
    "t4.review.corrected",
    "t4.litigation_direct.total",
)


class PdfCache:
    """Generated PDFs by name, written once per session."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def get(self, name: str, make: Callable[[], bytes]) -> Path:
        path = self.root / f"{name}.pdf"
        if not path.exists():
            path.write_bytes(make())
        return path

    def report(self, seed: int, *, missing: tuple[str, ...] = (), **variant: bool) -> tuple[dict[str, Any], Path]:
        values = random_consistent_tables(random.Random(seed))
        tag = "-".join(sorted(k for k, v in variant.items() if v)) or "plain"
        digest = hashlib.sha1(",".join(missing).encode()).hexdigest()[:8] if missing else "full"
        path = self.get(f"report-{seed}-{tag}-{digest}", lambda: report_pdf(seed, missing, **variant)[1])
        return dict(values), path


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> PdfCache:
    return PdfCache(tmp_path_factory.mktemp("pdf"))


def read(path: Path) -> RawDocument:
    return READER.read(str(path), path.read_bytes(), SETTINGS)


def read_report(path: Path) -> tuple[RawDocument, Report]:
    doc = read(path)
    return doc, recognize(doc)


def assert_cells(report: Report, values: dict[str, Any], missing: tuple[str, ...] = ()) -> None:
    wrong = {
        k: (v, report.cells[k].value, str(report.cells[k].state))
        for k, v in values.items()
        if k not in missing and report.cells[k].value != v
    }
    assert not wrong, f"{len(wrong)} cells differ (expected, read, state): {wrong}"
    for k in missing:
        assert report.cells[k].value is None, k
        assert report.cells[k].state is CellState.EMPTY, (k, report.cells[k].state)


# ---------------------------------------------------------------------------------------------
# Round trips


@pytest.mark.parametrize(
    ("seed", "variant"), ROUND_TRIPS, ids=[f"{s}-{'-'.join(v) or 'plain'}" for s, v in ROUND_TRIPS]
)
def test_round_trip_every_cell(pdfs: PdfCache, seed: int, variant: dict[str, bool]) -> None:
    values, path = pdfs.report(seed, **variant)
    _, report = read_report(path)
    assert len(values) == len(SPEC.cells) == 200
    assert_cells(report, values)
    assert not [d for d in report.diagnostics if d.code in ("R001", "B041")], report.diagnostics
    assert all(s.found for s in report.sections.values())
    assert report.meta.year == 2024 and report.meta.agency == "某某镇人民政府"
    for cell in report.cells.values():
        assert cell.source is not None and cell.source.reader == "pdf" and cell.source.page is not None


def test_round_trip_missing_cells_stay_missing(pdfs: PdfCache) -> None:
    values, path = pdfs.report(109, missing=MISSING)
    _, report = read_report(path)
    assert_cells(report, values, MISSING)


def test_table_broken_across_pages_keeps_table_and_row_numbers(pdfs: PdfCache) -> None:
    values, path = pdfs.report(102, long_prose=True)
    doc, report = read_report(path)
    rows = [line for line in doc.lines if line.cells[0].source.table == 1]
    pages = sorted({line.cells[0].source.page for line in rows})
    assert len(pages) == 2, "表三 breaks across two pages in this variant"
    assert [line.cells[0].source.row for line in rows] == list(range(len(rows)))
    assert len(rows) == 28  # 3 header rows + 25 data rows, no header repeated
    # Provenance of one cell: page, document line, table, grid row and column, position.
    cell = report.cells["t3.carried_over_out.total"]
    src = cell.source
    assert src is not None
    assert (src.table, src.row, src.cell, src.reader) == (1, 27, 9, "pdf")
    assert src.page == pages[-1] and src.x is not None and src.y is not None
    assert src.line is not None and doc.lines[src.line - 1].cells[src.cell].text == str(
        values["t3.carried_over_out.total"]
    )


def test_repeated_header_rows_are_read_through(pdfs: PdfCache) -> None:
    values, path = pdfs.report(104, repeat_header=True, page_numbers=True)
    doc, report = read_report(path)
    corner = SPEC.raw["tables"]["t3"]["corner_note"]
    assert sum(1 for line in doc.lines if line.cells[0].text == corner) >= 2
    assert any("页码" in note for note in doc.notes)
    assert not any(line.text.strip("- ").isdigit() for line in doc.lines if len(line.cells) == 1)
    assert_cells(report, values)


def test_wrapped_labels_join_inside_their_cell(pdfs: PdfCache) -> None:
    _, path = pdfs.report(103, narrow_labels=True)
    doc = read(path)
    labels = {c.text for line in doc.lines for c in line.cells}
    for row in SPEC.tables["t3"].physical_rows:
        assert row.label is not None and row.label.text in labels, row.label.text


def test_prose_and_tables_in_document_order(pdfs: PdfCache) -> None:
    _, path = pdfs.report(101)
    doc = read(path)
    texts = [line.text for line in doc.lines]
    headings = [texts.index(s.heading) for s in SPEC.sections]
    assert headings == sorted(headings)
    first_row = {t: next(i for i, line in enumerate(doc.lines) if line.cells[0].source.table == t) for t in (0, 1, 2)}
    assert headings[1] < first_row[0] < headings[2] < first_row[1] < headings[3] < first_row[2] < headings[4]
    assert [line.cells[0].source.line for line in doc.lines] == list(range(1, len(doc.lines) + 1))
    assert all(len(line.cells) == 1 for line in doc.lines if line.cells[0].source.table is None)


def test_geometry_matches_pdfplumber(pdfs: PdfCache) -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    _, path = pdfs.report(101)
    data = path.read_bytes()
    doc = pdfium.PdfDocument(data)
    try:
        ours: list[set[tuple[int, ...]]] = []
        for i in range(len(doc)):
            page = doc[i]
            left, _, _, top = page.get_bbox()
            from xxgk.readers.pdf import page_graphics

            edges, _ = page_graphics(page.raw, left, top)
            page.close()
            ours.append(
                {
                    tuple(round(v) for v in (c.x0, c.top, c.x1, c.bottom))
                    for t in edges_to_tables(edges)
                    for c in t.cells
                    if c.closed
                }
            )
    finally:
        doc.close()
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        theirs = [{tuple(round(v) for v in cell) for t in p.find_tables() for cell in t.cells} for p in plumber.pages]
    assert ours == theirs


def test_content_wrapped_in_a_form_xobject(pdfs: PdfCache) -> None:
    """Some producers put a whole page in a form XObject (scaled and moved): still read."""
    values, path = pdfs.report(101)
    src = pdfium.PdfDocument(path.read_bytes())
    dest = pdfium.PdfDocument.new()
    try:
        for i in range(len(src)):
            width, height = src.get_page_size(i)
            xobject = src.page_as_xobject(i, dest)
            form = xobject.as_pageobject()
            form.transform(pdfium.PdfMatrix().scale(0.9, 0.9).translate(20, 30))
            page = dest.new_page(width, height)
            page.insert_obj(form)
            page.gen_content()
            page.close()
        buffer = io.BytesIO()
        dest.save(buffer)
    finally:
        dest.close()
        src.close()
    wrapped = pdfs.get("form-xobject", buffer.getvalue)
    _, report = read_report(wrapped)
    assert_cells(report, values)


# ---------------------------------------------------------------------------------------------
# Unusable PDFs


def _png_pages(pdf: Path, out: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(out / "page")], check=True, timeout=60)
    return sorted(out.glob("page*.png"))


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_scanned_pdf_is_refused_with_its_code(pdfs: PdfCache, tmp_path: Path) -> None:
    image = pytest.importorskip("PIL.Image")
    _, path = pdfs.report(101)
    pngs = _png_pages(path, tmp_path)
    assert len(pngs) >= 2
    images = [image.open(p).convert("RGB") for p in pngs]
    scanned = tmp_path / "scanned.pdf"
    images[0].save(scanned, "PDF", save_all=True, append_images=images[1:], resolution=50)
    with pytest.raises(ScannedPdfError) as info:
        read(scanned)
    assert isinstance(info.value, UnreadableInputError)
    assert info.value.code == SCANNED_PDF_CODE == "R005"
    assert info.value.message.startswith(f"这是扫描版 PDF（第1–{len(pngs)}页没有文字层），无法直接读取")
    # The CLI names the catalogue code, in text and JSON, and exits 2.
    from typer.testing import CliRunner

    from xxgk.cli.main import app

    result = CliRunner().invoke(app, ["check", str(scanned)])
    assert result.exit_code == 2 and "R005 无法处理" in result.output, result.output
    result = CliRunner().invoke(app, ["check", "--format", "json", str(scanned)])
    assert result.exit_code == 2 and '"error_code": "R005"' in result.output, result.output


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_some_pages_scanned_reads_the_rest_with_a_note(pdfs: PdfCache, tmp_path: Path) -> None:
    _, path = pdfs.report(101)
    png = _png_pages(path, tmp_path)[-1]
    html = (
        "<html><body style=\"font-family: 'Noto Serif CJK SC'\"><p>一、总体情况</p><p>本机关认真贯彻落实条例。</p>"
        f'<div style="page-break-before: always"><img src="{png.as_uri()}" style="width: 15cm"></div></body></html>'
    )
    mixed = pdfs.get("mixed-scanned", lambda: render_pdf(html))
    doc = read(mixed)
    assert [line.text for line in doc.lines] == ["一、总体情况", "本机关认真贯彻落实条例。"]
    assert doc.textless_pages == [2] and doc.notes == []
    # reported as R012 (a warning: the page's values are missing, not zero), with the way to read it
    (finding,) = [f for f in recognize(doc).diagnostics if f.code == "R012"]
    assert finding.message(SPEC) == (
        "第2页是扫描图像，没有文字层，未读取这些页的内容（其余页面照常读取）；"
        "请使用带文字层的 PDF，或加 --ocr 选项用 OCR 识别（需安装 xxgk[ocr]）"
    )


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def encrypted_pdf(user_password: bytes = b"user", owner_password: bytes = b"owner") -> bytes:
    """A one-page PDF under the standard security handler (RC4 40-bit, revision 2)."""
    pad = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")

    def padded(pw: bytes) -> bytes:
        return (pw + pad)[:32]

    file_id = hashlib.md5(b"xxgk").digest()
    permissions = -4
    owner = _rc4(hashlib.md5(padded(owner_password)).digest()[:5], padded(user_password))
    key = hashlib.md5(
        padded(user_password) + owner + permissions.to_bytes(4, "little", signed=True) + file_id
    ).digest()[:5]
    user = _rc4(key, pad)

    def obj_key(num: int) -> bytes:
        return hashlib.md5(key + num.to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10]

    content = _rc4(obj_key(4), b"BT /F1 24 Tf 72 700 Td (Hello) Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
        % (owner.hex().encode(), user.hex().encode(), permissions),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%s> <%s>] >>\n" % (
        len(objects) + 1,
        file_id.hex().encode(),
        file_id.hex().encode(),
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    data = encrypted_pdf()
    # A genuine encrypted file: it opens with its password and shows its text.
    doc = pdfium.PdfDocument(data, password="user")
    try:
        page = doc[0]
        textpage = page.get_textpage()
        assert textpage.get_text_range() == "Hello"
        textpage.close()
        page.close()
    finally:
        doc.close()
    path = tmp_path / "encrypted.pdf"
    path.write_bytes(data)
    with pytest.raises(UnreadableInputError) as info:
        read(path)
    assert info.value.message.startswith("这是加密的 PDF")
    assert not isinstance(info.value, ScannedPdfError)


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.95])
def test_truncated_pdf_is_refused(pdfs: PdfCache, tmp_path: Path, fraction: float) -> None:
    _, path = pdfs.report(101)
    data = path.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(UnreadableInputError) as info:
        read(cut)
    assert info.value.message.startswith("该 PDF 文件已损坏或不完整")
    assert info.value.path == str(cut)


@pytest.mark.parametrize(
    "data", [b"%PDF-1.7\n", b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n", b"%PDF" + bytes(range(256)) * 4]
)
def test_garbage_after_the_magic_is_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    with pytest.raises(UnreadableInputError, match=r"已损坏或不完整|没有任何页面"):
        read(path)


def test_too_many_pages_is_refused(tmp_path: Path) -> None:
    doc = pdfium.PdfDocument.new()
    try:
        for _ in range(MAX_PAGES + 1):
            doc.new_page(595, 842).close()
        buffer = io.BytesIO()
        doc.save(buffer)
    finally:
        doc.close()
    path = tmp_path / "long.pdf"
    path.write_bytes(buffer.getvalue())
    started = time.perf_counter()
    with pytest.raises(UnreadableInputError, match=f"页数过多（{MAX_PAGES + 1} 页"):
        read(path)
    assert time.perf_counter() - started < 2


def test_sniff() -> None:
    assert READER.sniff(b"%PDF-1.7\n%\xe2\xe3", ".pdf")
    assert READER.sniff(b"%PDF-1.4", "")
    assert not READER.sniff("一、总体情况".encode(), ".pdf")
    assert not READER.sniff(b"PK\x03\x04", ".pdf")


# ---------------------------------------------------------------------------------------------
# Generator and speed


def test_generator_merges_follow_the_official_layout() -> None:
    from tests.generate import _t3_rows

    grid = _t3_rows(lambda key: "1")
    spans = {(s.row, s.col): (s.rowspan, s.colspan) for s in grid_spans(grid)}
    assert spans[(0, 0)] == (3, 3)  # corner note
    assert spans[(0, 3)] == (1, 6)  # 申请人情况
    assert spans[(0, 9)] == (3, 1)  # 总计
    assert spans[(1, 3)] == (2, 1)  # 自然人
    assert spans[(1, 4)] == (1, 5)  # 法人或其他组织
    assert spans[(3, 0)] == (1, 3)  # 一、本年新收…
    assert spans[(5, 0)] == (22, 1)  # 三、本年度办理结果 over （一）…（七）
    assert spans[(7, 1)] == (8, 1)  # （三）不予公开 over its 8 rows
    assert spans[(26, 1)] == (1, 2)  # （七）总计


def test_read_time(pdfs: PdfCache) -> None:
    """A guard against pathological slowness (typically ~20 ms per page; see the module docstring)."""
    _, path = pdfs.report(101)
    data = path.read_bytes()
    READER.read(str(path), data, SETTINGS)
    started = time.perf_counter()
    for _ in range(3):
        READER.read(str(path), data, SETTINGS)
    assert (time.perf_counter() - started) / 3 < 0.3


# ---------------------------------------------------------------------------------------------
# Reading-order text (`pdftotext` without -layout): labels first, numbers later.


@pytest.fixture(scope="session")
def reading_order_text(pdfs: PdfCache, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    values, path = pdfs.report(101)
    out = tmp_path_factory.mktemp("txt") / "reading-order.txt"
    subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), str(out)], check=True, timeout=60)
    return values, out


def test_reading_order_text_never_guesses(reading_order_text: tuple[dict[str, Any], Path]) -> None:
    """What the recogniser cannot place is missing, never a wrong number; 表二 reads completely."""
    from xxgk.api import read_report as api_read

    values, path = reading_order_text
    report = api_read(path)
    wrong = {k: report.cells[k].value for k, v in values.items() if report.cells[k].value not in (None, v)}
    assert not wrong
    assert all(report.cells[k].value == values[k] for k in values if k.startswith("t2."))
    assert all(isinstance(values[k], int | Decimal) for k in values)


def test_reading_order_text_every_cell(reading_order_text: tuple[dict[str, Any], Path]) -> None:
    """Labels first, numbers later: placed by xxgk.recognize.reading_order (R008), never R001."""
    from xxgk.api import read_report as api_read

    values, path = reading_order_text
    report = api_read(path)
    assert_cells(report, values)
    assert not [d for d in report.diagnostics if d.code in ("R001", "R009", "B041")], report.diagnostics


def test_report_html_is_a_complete_document() -> None:
    values = random_consistent_tables(random.Random(1))
    document = report_html(values, narrow_labels=True, repeat_header=True)
    assert document.count("<table") == 3 and "<thead>" in document and "<colgroup>" in document
    assert 'rowspan="22"' in document


def test_row_cut_by_a_page_break_is_an_open_row() -> None:
    """Column rulings that run on below the last horizontal ruling make one more, open, row."""
    from xxgk.readers.pdf_geometry import Edge

    xs = (50.0, 150.0, 250.0, 350.0)
    hs = [Edge(True, y, xs[0], xs[-1]) for y in (100.0, 120.0, 140.0)]
    vs = [Edge(False, x, 100.0, 175.0) for x in xs]  # 35 pt past the last horizontal ruling
    (table,) = edges_to_tables(hs + vs)
    assert (table.nrows, table.ncols) == (3, 3)
    assert not table.open_row(1) and table.open_row(2)
    cut = table.cell_at(200.0, 160.0)
    assert cut is not None and not cut.closed


def test_too_many_rulings_bound_the_work() -> None:
    from xxgk.readers.pdf_geometry import Edge, TooManyRulingsError

    def grid(n: int) -> list[Edge]:
        end = 10.0 + 5 * (n - 1)
        return [Edge(horizontal, 10.0 + 5 * i, 10.0, end) for i in range(n) for horizontal in (True, False)]

    started = time.perf_counter()
    with pytest.raises(TooManyRulingsError):
        edges_to_tables(grid(400))
    (table,) = edges_to_tables(grid(100))  # a 99 × 99 grid is still read
    assert (table.nrows, table.ncols) == (99, 99)
    assert time.perf_counter() - started < 2
