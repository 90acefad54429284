"""OCR of scanned PDFs (the extra xxgk[ocr], installed with the test dependencies).

Random consistent reports are rendered to PDF, turned into pages that are images only (as a
scanner returns them: straight, or askew on grainy grey paper), and read back with `--ocr`; every
one of the 200 table cells must come back as the value that went in. The geometry (rulings, skew)
is also tested on drawn images, without the OCR engine.
"""

from __future__ import annotations

import io
import json
import math
import random
import sys
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from tests.generate import random_consistent_tables
from tests.pdfgen import report_pdf, scanned_pdf, stamp_seal, table_screenshots
from xxgk.api import read_report
from xxgk.cli.main import app
from xxgk.errors import ScannedPdfError, UnreadableInputError
from xxgk.readers import ocr
from xxgk.report import Report
from xxgk.settings import ReadSettings

OCR = ReadSettings(ocr=True)


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict[str, Any], Path]]:
    """Two scanned reports: "straight" (200 dpi) and "askew" (1° turned, grey grainy paper)."""
    root = tmp_path_factory.mktemp("scans")
    made = {}
    for name, seed, options in (("straight", 7, {}), ("askew", 12, {"degrees": 1.0, "noise": 6.0, "seed": 3})):
        values, pdf = report_pdf(seed)
        path = root / f"{name}.pdf"
        path.write_bytes(scanned_pdf(pdf, **options))  # type: ignore[arg-type]
        made[name] = (values, path)
    return made


def _wrong_cells(report: Report, values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v, report.cells[k].value, report.cells[k].raw) for k, v in values.items() if report.cells[k].value != v}


def test_a_scan_has_no_text_layer_and_is_refused_without_ocr(scans: dict[str, tuple[dict[str, Any], Path]]) -> None:
    _, path = scans["straight"]
    with pytest.raises(ScannedPdfError) as info:
        read_report(path)
    assert info.value.code == "R005"
    assert "加 --ocr 选项用 OCR 识别" in info.value.message


def test_ocr_reads_every_cell_of_a_scan_and_reports_it(
    scans: dict[str, tuple[dict[str, Any], Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    values, path = scans["straight"]
    # Every box below this "confidence" is a doubt: all table cells must then be reported by R011.
    monkeypatch.setattr(ocr, "LOW_CONFIDENCE", 1.01)
    report = read_report(path, OCR)
    assert _wrong_cells(report, values) == {}
    pages = len(pdfium.PdfDocument(path.read_bytes()))
    r010 = [d for d in report.diagnostics if d.code == "R010"]
    assert len(r010) == 1 and r010[0].params == {"scope": f"第1–{pages}页是扫描图像", "cells": len(values)}
    r011 = {d.location: d for d in report.diagnostics if d.code == "R011"}
    assert set(r011) == set(values)
    for key, finding in r011.items():
        cell = report.cells[key]
        assert finding.found == cell.raw and finding.source == cell.source
        assert finding.params["threshold"] == "1.01" and 0 < float(finding.params["confidence"]) <= 1
    # Provenance of an OCR'd cell: page, table, grid row and column, position in points.
    source = report.cells["t3.new_received.total"].source
    assert source is not None and source.page == 1 and source.table == 1 and source.cell is not None
    assert source.x is not None and 300 < source.x < 600 and source.y is not None and source.y > 0


def test_ocr_of_an_askew_grainy_scan_through_the_cli(scans: dict[str, tuple[dict[str, Any], Path]]) -> None:
    values, path = scans["askew"]
    page = pdfium.PdfDocument(path.read_bytes())[0]
    _, turned = ocr.straighten(ocr.page_grey(page))
    assert abs(abs(turned) - 1.0) < 0.1, turned  # the page is turned back level before it is read
    result = CliRunner().invoke(app, ["parse", "--ocr", "--format", "json", str(path)])
    assert result.exit_code == 0, result.output
    tables = json.loads(result.output)["tables"]
    read = {k: tables[k.split(".")[0]][k.split(".")[1]][k.split(".")[2]] for k in values}
    # (JSON has no decimals: 表二's 收费金额 comes back as a float, compared by its text)
    wrong = {k: (v, read[k]["value"]) for k, v in values.items() if str(read[k]["value"]) != str(v)}
    assert wrong == {}
    assert {read[k]["source"]["page"] for k in values} == {1, 2}  # 表三 continues on page 2


def test_ocr_engine_missing_is_a_clear_error(
    scans: dict[str, tuple[dict[str, Any], Path]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _, path = scans["straight"]
    # As on a machine without the extra: neither RapidOCR nor OpenCV can be imported.
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    monkeypatch.setitem(sys.modules, "cv2", None)
    ocr.engine.cache_clear()
    try:
        with pytest.raises(ScannedPdfError) as info:
            read_report(path, OCR)
        assert info.value.code == "R005"
        assert (
            info.value.message
            == "这是扫描件（页面没有文字层），需要用 OCR 识别，但OCR 组件未安装，请先执行 pip install 'xxgk[ocr]'"
        )
        picture = tmp_path / "page.png"
        pdfium.PdfDocument(path.read_bytes())[0].render(scale=1).to_pil().save(picture)
        result = CliRunner().invoke(app, ["check", "--ocr", str(path), str(picture)])
        assert result.exit_code == 2 and result.output.count("pip install 'xxgk[ocr]'") == 2, result.output
        assert "内部错误" not in result.output and "Traceback" not in result.output
    finally:
        ocr.engine.cache_clear()  # (the next test loads the real engine again)


def test_ocr_work_per_file_is_bounded(
    scans: dict[str, tuple[dict[str, Any], Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, path = scans["straight"]
    monkeypatch.setattr(ocr, "MAX_OCR_PAGES", 0)
    with pytest.raises(UnreadableInputError) as info:
        read_report(path, OCR)
    assert info.value.message == "扫描页过多（超过 0 页），OCR 识别耗时过长，不像是一份年度报告"


# ---------------------------------------------------------------------------------------------
# Geometry, on drawn pages (no OCR engine)


def _drawn_grid(rows: list[float], cols: list[float], size: tuple[int, int] = (1400, 1000), thickness: int = 2) -> Any:
    """A white page with a ruled grid (lines `thickness` px thick) and a few short strokes that are not rulings."""
    page = np.full(size, 255, dtype=np.uint8)
    for y in rows:
        cv2.line(page, (int(cols[0]), int(y)), (int(cols[-1]), int(y)), 0, thickness)
    for x in cols:
        cv2.line(page, (int(x), int(rows[0])), (int(x), int(rows[-1])), 0, thickness)
    for i in range(20):  # "characters": strokes shorter than a ruling
        x, y = 120 + 30 * i, 80
        cv2.line(page, (x, y), (x + 20, y), 0, 2)
        cv2.line(page, (x + 10, y - 10), (x + 10, y + 10), 0, 2)
    return page


def test_rulings_of_a_drawn_grid_make_its_table() -> None:
    rows = [200.0, 260.0, 320.0, 380.0, 440.0]
    cols = [100.0, 300.0, 500.0, 700.0]
    page = _drawn_grid(rows, cols)
    edges = ocr.find_rulings(page, dpi=144)  # 2 px per point
    horizontal = sorted(e.pos for e in edges if e.horizontal)
    vertical = sorted(e.pos for e in edges if not e.horizontal)
    assert horizontal == pytest.approx([y / 2 + 0.5 for y in rows], abs=1.0)
    assert vertical == pytest.approx([x / 2 + 0.5 for x in cols], abs=1.0)
    from xxgk.readers.pdf_geometry import edges_to_tables

    (table,) = edges_to_tables(edges)
    assert (table.nrows, table.ncols) == (4, 3)


@pytest.mark.parametrize("degrees", [-2.0, -0.6, 0.4, 1.5])
def test_skew_of_a_turned_grid_is_measured_and_undone(degrees: float) -> None:
    rng = random.Random(int(degrees * 10))
    rows = sorted(rng.sample(range(200, 1200, 40), 12))
    page = _drawn_grid([float(r) for r in rows], [100.0, 400.0, 650.0, 900.0])
    h, w = page.shape
    turned = cv2.warpAffine(page, cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0), (w, h), borderValue=255)
    # The page turned by `degrees` counter-clockwise is measured as turned by -degrees ...
    assert ocr.skew_degrees(turned, dpi=144) == pytest.approx(-degrees, abs=0.1)
    level, angle = ocr.straighten(turned, dpi=144)
    assert angle == pytest.approx(-degrees, abs=0.1)
    # ... and after straightening its rulings are level again: one edge per drawn row.
    horizontal = [e for e in ocr.find_rulings(level, dpi=144) if e.horizontal and e.end - e.start > 300]
    assert len(horizontal) == len(rows)
    assert ocr.skew_degrees(level, dpi=144) == pytest.approx(0.0, abs=0.1)


def test_a_level_page_is_not_turned() -> None:
    page = _drawn_grid([200.0, 300.0, 400.0], [100.0, 500.0, 900.0])
    level, angle = ocr.straighten(page, dpi=144)
    assert angle == 0.0 and level is page
    assert not math.isnan(ocr.skew_degrees(page, dpi=144))


def test_a_page_without_rulings_has_no_skew() -> None:
    page = np.full((800, 600), 255, dtype=np.uint8)
    assert ocr.skew_degrees(page) == 0.0 and ocr.find_rulings(page) == []


def test_a_cell_read_badly_or_not_at_all_is_read_again_from_its_ink() -> None:
    rows, cols = [200.0, 300.0, 400.0], [100.0, 400.0, 700.0]
    page = _drawn_grid(rows, cols)
    cv2.putText(page, "7", (240, 270), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 0, 4)  # in the cell (row 0, col 0)
    from xxgk.readers.pdf_geometry import Char, edges_to_tables

    (table,) = edges_to_tables(ocr.find_rulings(page, dpi=144))
    seven = table.owner[(0, 0)]
    # As if the text detector had found nothing on the page: the cell with ink is read alone,
    # the three blank cells are not.
    found = ocr.reread_cells(page, [table], [], dpi=144)
    assert [(c.text, table.cell_at(c.xc, c.yc)) for c, _ in found] == [("7", seven)]
    assert found[0][1] > ocr.LOW_CONFIDENCE
    # A box read with low confidence ("1" for the 7) is replaced by the surer reading of the cell.
    doubtful = (Char("1", 118.0, 120.0, 126.0, 136.0), 0.6)
    assert [c.text for c, _ in ocr.reread_cells(page, [table], [doubtful], dpi=144)] == ["7"]
    # A box that runs over a ruling into the next cell ("7 0": two cells read as one box) is
    # dropped, and each cell it covered is read alone (the second cell is blank).
    across = (Char("7 0", 110.0, 120.0, 260.0, 136.0), 0.99)
    assert [(c.text, table.cell_at(c.xc, c.yc)) for c, _ in ocr.reread_cells(page, [table], [across], dpi=144)] == [
        ("7", seven)
    ]
    # Rulings thicker than the inset (a heavy frame) are trimmed off the cut, not read as text.
    heavy = _drawn_grid(rows, cols, thickness=14)
    cv2.putText(heavy, "1", (240, 270), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 0, 4)
    (frame,) = edges_to_tables(ocr.find_rulings(heavy, dpi=144))
    assert [c.text for c, _ in ocr.reread_cells(heavy, [frame], [], dpi=144)] == ["1"]
    # A box read with confidence is kept as it is (however wrong: nothing to doubt).
    sure = (Char("1", 118.0, 120.0, 126.0, 136.0), 0.99)
    assert ocr.reread_cells(page, [table], [sure], dpi=144) == [sure]


# ---------------------------------------------------------------------------------------------
# Red seals (公章)


def test_red_seals_over_tables_and_signature_do_not_cost_a_cell(tmp_path: Path) -> None:
    # Seals over 表二 and over 表三 (page 1) and over the signature and date (last page), on a colour
    # scan 0.5° askew with grain. Read in grey, three seals over 表三/表四 cost 75–89 of 200 cells
    # (their rings broke the rulings), one over 表二 the value under its star (measured, 4 reports).
    values, pdf = report_pdf(11)
    path = tmp_path / "盖章扫描件.pdf"
    seals = [(0, 0.55, 0.55), (0, 0.7, 0.85), (-1, 0.2, 0.655)]
    path.write_bytes(scanned_pdf(pdf, seals=seals, degrees=0.5, noise=5.0, seed=2))
    report = read_report(path, OCR)
    assert _wrong_cells(report, values) == {}
    assert (report.meta.agency, str(report.meta.date)) == ("某某镇人民政府", "2025-01-15")


def test_red_ink_is_paper_and_black_ink_under_it_stays() -> None:
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (400, 400), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle([40, 180, 360, 220], fill=(20, 20, 20))  # a black bar: text the seal is stamped over
    draw.rectangle([300, 40, 340, 80], fill=(90, 90, 90))  # grey ink, away from the seal
    sealed = np.asarray(stamp_seal(page, (200, 200), 150))
    assert (sealed[200, 60] < 40).all()  # black under the red ring stays black
    grey = ocr.drop_red_ink(sealed)
    ring = np.asarray(stamp_seal(Image.new("RGB", (400, 400), "white"), (200, 200), 150))[:, :, 1] < 200
    outside_bar = ring.copy()
    outside_bar[170:231, :] = False
    # the seal is gone: paper, but for a faint pink at the edges of its strokes (not ink)
    assert outside_bar.sum() > 2000 and (grey[outside_bar] >= 240).all()
    assert (grey[outside_bar] == 255).mean() > 0.9
    assert (grey[185:216, 45:356] < 60).all()  # the bar is whole, under the seal too
    assert grey[60, 320] == 90  # grey ink keeps its level
    # A page without red: luminance, as pdfium renders a page in grey (BT.601).
    plain = np.zeros((2, 3, 3), dtype=np.uint8)
    plain[0] = [(255, 255, 255), (0, 0, 0), (10, 200, 30)]
    plain[1] = [(128, 128, 128), (30, 60, 200), (255, 0, 255)]
    expected = np.round(plain @ np.array([0.299, 0.587, 0.114])).astype(np.uint8)
    assert (ocr.drop_red_ink(plain) == expected).all()


# ---------------------------------------------------------------------------------------------
# Reports as image files


def test_a_multipage_tiff_is_read_by_ocr_like_a_scanned_pdf(tmp_path: Path) -> None:
    from PIL import Image

    # Small frames, for the suite's time: 表二 and 表四 of a report, each a 200-dpi screenshot of
    # its table alone, as the two pages of one TIFF (whole scanned reports are read above).
    values = random_consistent_tables(random.Random(21))
    t2, _, t4 = table_screenshots(values)
    pages = [Image.open(io.BytesIO(png)).convert("L") for png, _ in (t2, t4)]
    tiff = tmp_path / "报告.tif"
    pages[0].save(tiff, save_all=True, append_images=pages[1:], dpi=(200, 200), compression="tiff_deflate")
    with pytest.raises(ScannedPdfError) as info:  # without --ocr: refused, saying how to read it
        read_report(tiff)
    assert info.value.code == "R005" and info.value.message.startswith("这是TIFF 图片（扫描件或截图，没有文字层）")
    report = read_report(tiff, OCR)
    read = {k: v for k, v in values.items() if k.startswith(("t2.", "t4."))}
    assert len(read) == 25 and _wrong_cells(report, read) == {}
    pages_of = {k[:2]: {report.cells[j].source.page for j in read if j[:2] == k[:2]} for k in read}  # type: ignore[union-attr]
    assert pages_of == {"t2": {1}, "t4": {2}}  # one page per frame, in order
    (r010,) = [d for d in report.diagnostics if d.code == "R010"]
    assert r010.params["scope"] == "第1–2页是扫描图像"


def test_a_colour_image_keeps_its_colour_for_ocr(tmp_path: Path) -> None:
    from PIL import Image

    from xxgk.readers.image import image_pdf

    photo = Image.new("RGB", (1654, 2339), "white")
    photo.paste((220, 30, 30), (100, 100, 300, 300))
    out = io.BytesIO()
    photo.save(out, "PNG")
    page = pdfium.PdfDocument(image_pdf(out.getvalue(), "x.png", "PNG"))[0]
    r, g, b = page.render(scale=0.5, rev_byteorder=True).to_pil().convert("RGB").getpixel((50, 50))
    assert r > 180 and g < 80 and b < 80  # still red: OCR can tell the seal from the text


def test_a_damaged_or_huge_image_is_refused_before_any_ocr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    from xxgk.readers import image

    damaged = tmp_path / "坏图.png"
    damaged.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(UnreadableInputError) as info:
        read_report(damaged, OCR)
    assert info.value.message == "该PNG 图片已损坏或不完整，无法读取"
    big = tmp_path / "大图.jpg"
    Image.new("L", (400, 300), 255).save(big)
    monkeypatch.setattr(image, "MAX_PIXELS", 100_000)
    with pytest.raises(UnreadableInputError) as info:
        read_report(big, OCR)
    assert info.value.message == "图片过大（400×300 像素），不像是一页扫描的报告"
    result = CliRunner().invoke(app, ["check", "--ocr", str(damaged), str(big)])
    assert result.exit_code == 2 and "无法读取 2 个" in result.output and "Traceback" not in result.output


def test_a_poster_sized_scanned_page_is_rendered_within_the_pixel_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    from xxgk.errors import NotAReportError

    poster = tmp_path / "海报.pdf"  # one page of 10000 × 10000 points (an image at 7.2 dpi)
    Image.new("L", (1000, 1000), 255).save(poster, "PDF", resolution=7.2)
    # The bound made small (1 M pixels, not 40 M), so that the blank page OCR reads is small: the
    # same arithmetic, without reading a 40 M-pixel blank page for a minute of the suite's time.
    monkeypatch.setattr(ocr, "MAX_PAGE_PIXELS", 1_000_000)
    rendered: list[tuple[int, int]] = []
    page_grey = ocr.page_grey

    def render(page: Any, dpi: float) -> Any:
        grey = page_grey(page, dpi)
        rendered.append(grey.shape)
        return grey

    monkeypatch.setattr(ocr, "page_grey", render)
    with pytest.raises(NotAReportError):  # a blank page: nothing read, and said so
        read_report(poster, OCR)
    ((h, w),) = rendered
    assert h * w <= 1_000_000 and h > 900  # (at 200 dpi it would be 27778 × 27778)


def test_the_option_names_the_extra_to_install() -> None:
    for command in ("check", "parse"):
        result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "240"}, terminal_width=240)
        assert result.exit_code == 0 and "需安装 xxgk[ocr]" in result.output, result.output
