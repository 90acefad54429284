"""Tables published as pictures (common-errors A3): R014 in web pages, Word files and PDFs.

The report is written with 表二 as a table and 表三/表四 as pictures (screenshots pasted in, as
offices do), in each form; small pictures (logos, icons, seals) and pictures in links do not count.
"""

from __future__ import annotations

import base64
import io
import random
from pathlib import Path

import docx
import pytest
from docx.shared import Cm
from PIL import Image

from tests.docxgen import package, para, run
from tests.generate import random_consistent_tables, report_blocks
from tests.htmlgen import write_html
from tests.pdfgen import render_pdf, report_pdf, table_pictures_pdf, table_screenshots
from xxgk.api import read_report
from xxgk.readers import read_document
from xxgk.readers.base import length_cm, may_hold_table
from xxgk.readers.docx import DocxReader
from xxgk.recognize import UNREAD_PICTURE_HINT_ZH, recognize
from xxgk.report import Report
from xxgk.settings import ReadSettings


def _png(width: int = 600, height: int = 300) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


def _blocks() -> list[tuple[str, object]]:
    return list(report_blocks(random_consistent_tables(random.Random(5))))


def _html(
    picture: str | list[str],
    extra: str = "",
    blocks: list[tuple[str, object]] | None = None,
    pictured: tuple[int, ...] = (2, 3),
) -> str:
    """The report as a page: the tables numbered in `pictured` (1 表二, 2 表三, 3 表四; by
    default 表三 and 表四) replaced by `picture` (an <img> tag, or one for each), the others tables."""
    pictures = [picture] * len(pictured) if isinstance(picture, str) else picture
    parts, tables = [extra], 0
    for kind, content in blocks or _blocks():
        if kind == "p":
            parts.append(f"<p>{content}</p>")
            continue
        tables += 1
        if tables in pictured:
            parts.append(pictures[pictured.index(tables)])
            continue
        rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in content)  # type: ignore[attr-defined]
        parts.append(f"<table border=1>{rows}</table>")
    return f"<html><body style=\"font-family: 'Noto Serif CJK SC'\">{''.join(parts)}</body></html>"


def p(text: str) -> str:
    return para(run(text))


def _r014(report: Report) -> list[dict[str, object]]:
    return [d.params for d in report.diagnostics if d.code == "R014"]


# What R014 advises: --ocr reads a PDF's or a Word file's pictures, and a page's when saved with it.
HINTS = {
    ".pdf": "加 --ocr 选项可用 OCR 识别图片中的表格",
    ".html": "加 --ocr 选项可识别随网页一起保存的图片（xxgk 不联网下载图片，请把网页连同图片另存到本地）",
    ".docx": "加 --ocr 选项可用 OCR 识别图片中的表格",
}
DATA_URI = "data:image/png;base64," + base64.b64encode(_png()).decode()


@pytest.mark.parametrize(
    ("picture", "counted"),
    [
        ('<p><img src="t3.png" width="600" height="300"></p>', 1),  # a screenshot of a table
        ('<img src="t3.png" style="width: 15cm; height: 8cm">', 1),
        ('<img src="t3.png">', 1),  # size unknown: may be a table
        ('<img src="icon.gif" width="16" height="16">', 0),  # an icon
        ('<a href="/"><img src="banner.jpg" width="900" height="200"></a>', 0),  # a link: site chrome
    ],
)
def test_pictures_in_a_web_page(tmp_path: Path, picture: str, counted: int) -> None:
    path = tmp_path / "page.html"
    path.write_text(_html(picture), encoding="utf-8")
    doc = read_document(path)
    assert doc.pictures == 2 * counted
    report = read_report(path)
    assert report.tables_found == {"t2": True, "t3": False, "t4": False}
    assert _r014(report) == ([{"tables": "表三、表四", "pictures": 2, "hint": HINTS[".html"]}] if counted else [])


def test_pictures_in_a_word_file(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_picture(io.BytesIO(_png(100, 100)), width=Cm(2))  # a logo: too small to be a table
    tables = 0
    for kind, content in _blocks():
        if kind == "p":
            document.add_paragraph(str(content))
            continue
        tables += 1
        if tables > 1:
            document.add_picture(io.BytesIO(_png()), width=Cm(15))
            continue
        grid = content
        table = document.add_table(rows=len(grid), cols=max(len(r) for r in grid))  # type: ignore[arg-type]
        for row, texts in zip(table.rows, grid, strict=True):  # type: ignore[call-overload]
            for cell, text in zip(row.cells, texts, strict=False):
                cell.text = text
    path = tmp_path / "报告.docx"
    document.save(str(path))
    assert read_document(path).pictures == 2
    assert _r014(read_report(path)) == [{"tables": "表三、表四", "pictures": 2, "hint": HINTS[path.suffix]}]


def test_pictures_in_a_pdf_with_a_text_layer(tmp_path: Path) -> None:
    big = f'<img src="{DATA_URI}" style="width: 15cm">'
    seal = f'<img src="{DATA_URI}" style="width: 4cm">'  # an electronic seal: too small to be a table
    path = tmp_path / "报告.pdf"
    path.write_bytes(render_pdf(_html(big, extra=seal)))
    doc = read_document(path)
    assert doc.pictures == 2 and doc.textless_pages == []
    assert _r014(read_report(path)) == [{"tables": "表三、表四", "pictures": 2, "hint": HINTS[path.suffix]}]


def test_tables_pasted_as_screenshots_in_a_pdf_are_read_with_ocr(tmp_path: Path) -> None:
    # 表三 and 表四 are screenshots (rendered alone, rasterised at 200 dpi, placed at their size)
    # on pages that keep their text layer: R014 without --ocr; with it, every cell is read.
    values, pdf = table_pictures_pdf(7)
    path = tmp_path / "截图表格.pdf"
    path.write_bytes(pdf)
    report = read_report(path)
    assert report.tables_found == {"t2": True, "t3": False, "t4": False}
    assert _r014(report) == [{"tables": "表三、表四", "pictures": 2, "hint": HINTS[".pdf"]}]
    report = read_report(path, ReadSettings(ocr=True))
    assert {k: report.cells[k].value for k in values} == values
    assert _r014(report) == []
    (r010,) = [d for d in report.diagnostics if d.code == "R010"]
    assert r010.params["cells"] == 190  # 表三 175 + 表四 15
    pages = {report.cells[k].source.page for k in values if k.startswith(("t3.", "t4."))}  # type: ignore[union-attr]
    assert r010.params["scope"] == f"第{'、'.join(map(str, sorted(pages)))}页有图片（表格可能以图片发布）"
    # the text around the pictures is the PDF's own text layer, read once (not again by OCR): the
    # sections read as those of the same report printed with real tables
    plain = tmp_path / "表格.pdf"
    plain.write_bytes(report_pdf(7)[1])
    expected = read_report(plain).sections
    assert {k: s.text for k, s in report.sections.items()} == {k: s.text for k, s in expected.items()}


def test_tables_pasted_as_screenshots_in_a_word_file_are_read_with_ocr(tmp_path: Path) -> None:
    values = random_consistent_tables(random.Random(9))
    shots = table_screenshots(values)
    document = docx.Document()
    tables = 0
    for kind, content in report_blocks(values):
        if kind == "p":
            document.add_paragraph(str(content))
            continue
        png, width_cm = shots[tables]
        tables += 1
        if tables == 1:  # 表二 a real table
            grid = content
            table = document.add_table(rows=len(grid), cols=max(len(r) for r in grid))  # type: ignore[arg-type]
            for row, texts in zip(table.rows, grid, strict=True):  # type: ignore[call-overload]
                for cell, text in zip(row.cells, texts, strict=False):
                    cell.text = text
        else:  # 表三, 表四 pasted as pictures, each in a paragraph of its own
            document.add_picture(io.BytesIO(png), width=Cm(width_cm))
    path = tmp_path / "截图表格.docx"
    document.save(str(path))
    assert _r014(read_report(path)) == [{"tables": "表三、表四", "pictures": 2, "hint": HINTS[".docx"]}]
    doc = read_document(path, ReadSettings(ocr=True))
    report = recognize(doc)  # (as read_report does: OCR once, not twice, for the test's time)
    assert {k: report.cells[k].value for k in values} == values
    assert _r014(report) == [] and doc.pictures == 0
    (r010,) = [d for d in report.diagnostics if d.code == "R010"]
    assert r010.params == {"scope": "文中有 2 张图片（表格可能以图片发布）", "cells": 190}
    # Word's provenance: the picture's lines follow its paragraph as body blocks; its tables are
    # numbered after 表二 (0): 表三 1, 表四 2
    for i, line in enumerate(doc.lines, start=1):
        assert {(c.source.line, c.source.reader) for c in line.cells} == {(i, "docx")}
    t3 = report.cells["t3.new_received.total"].source
    t4 = report.cells["t4.review.total"].source
    assert t3 is not None and t4 is not None and (t3.table, t4.table) == (1, 2)


def _drawing(rid: str, width_cm: float = 15, height_cm: float = 8) -> str:
    cx, cy = int(width_cm * 360000), int(height_cm * 360000)
    return (
        f'<w:p><w:r><w:drawing><wp:inline><wp:extent cx="{cx}" cy="{cy}"/><a:graphic><a:graphicData>'
        f'<a:blip r:embed="{rid}"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>'
    )


def _pictures_docx(body: str, parts: dict[str, tuple[str, bytes]]) -> bytes:
    image = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
    rels = "".join(f'<Relationship Id="{rid}" Type="{image}" Target="{t}"/>' for rid, (t, _) in parts.items())
    extra: dict[str, bytes | str] = {
        "word/_rels/document.xml.rels": (
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>'
        ),
        **{f"word/{target}": data for target, data in parts.values()},
    }
    return package(body, extra=extra)


def _vml_picture(rid: str, width_cm: float, height_cm: float = 8) -> str:
    """A picture as old .doc conversions write it: VML `v:imagedata` in a `w:pict` shape."""
    style = f"width:{width_cm:.2f}cm;height:{height_cm:.2f}cm"
    return f'<w:p><w:r><w:pict><v:shape style="{style}"><v:imagedata r:id="{rid}"/></v:shape></w:pict></w:r></w:p>'


def _table_xml(rows: list[list[str]]) -> str:
    width = max(map(len, rows))
    cols = "".join("<w:gridCol/>" for _ in range(width))
    body = "".join("<w:tr>" + "".join(f"<w:tc>{p(text)}</w:tc>" for text in row) + "</w:tr>" for row in rows)
    return f"<w:tbl><w:tblGrid>{cols}</w:tblGrid>{body}</w:tbl>"


def test_word_pictures_in_table_cells_and_in_vml_are_read_with_ocr() -> None:
    # 表二 pasted as a VML picture (an old .doc converted), 表四 as a picture in the second cell of
    # a two-column table beside its title: both counted for R014, and both read with --ocr (the
    # picture in a cell after its table, whose own row reads as it stands). The two small tables,
    # for the suite's time: 表三 is a table (its 175 cells are read from pictures in other tests).
    values = random_consistent_tables(random.Random(9))
    shots = table_screenshots(values)
    body, tables = [], 0
    for kind, content in report_blocks(values):
        if kind == "p":
            body.append(p(str(content)))
            continue
        tables += 1
        if tables == 2:
            body.append(_table_xml(content))  # type: ignore[arg-type]
        elif tables == 1:
            body.append(_vml_picture("rId3", shots[0][1]))
        else:
            cell = _drawing("rId4", width_cm=shots[2][1], height_cm=3).replace(
                "<w:p>", "<w:p><w:r><w:t>截图</w:t></w:r>"
            )
            body.append(
                f"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr><w:tc>{p('表四')}</w:tc><w:tc>{cell}</w:tc></w:tr></w:tbl>"
            )
    data = _pictures_docx("".join(body), {"rId3": ("media/t2.png", shots[0][0]), "rId4": ("media/t4.png", shots[2][0])})
    doc = DocxReader().read("x.docx", data, ReadSettings())
    assert doc.pictures == 2
    doc = DocxReader().read("x.docx", data, ReadSettings(ocr=True))
    assert doc.pictures == 0 and doc.ocr is not None and doc.ocr.pictures == 2
    texts = [line.text for line in doc.lines]
    frame = texts.index("表四截图")  # the two-column table's row; then the picture's table, numbered after it
    first, picture = doc.lines[frame].cells[0].source, doc.lines[frame + 1].cells[0]
    assert picture.text == "行政复议" and picture.source.table == (first.table or 0) + 1

    report = recognize(doc)
    assert {k: report.cells[k].value for k in values} == values
    assert _r014(report) == []


def test_r014_says_when_ocr_was_asked_for_and_the_pictures_failed(tmp_path: Path) -> None:
    # Both pictures name parts the package does not have: with --ocr, R014's advice is not to add it.
    body = (
        "".join(p(text) for text in ("一、总体情况", "五、存在的主要问题及改进情况"))
        + _drawing("rId7")
        + _vml_picture("rId8", 15)
    )
    path = tmp_path / "x.docx"
    path.write_bytes(_pictures_docx(body, {}))
    (plain,) = _r014(read_report(path))
    assert plain["pictures"] == 2 and plain["hint"] == HINTS[".docx"]
    report = read_report(path, ReadSettings(ocr=True))
    (tried,) = _r014(report)
    assert (
        tried["pictures"] == 2
        and tried["hint"] == "已按 --ocr 选项识别图片，但这些图片无法识别，原因见读取说明（R013）"
    )
    notes = [d.params["note"] for d in report.diagnostics if d.code == "R013"]
    missing = "文档中找不到它引用的部件（关系 ID 缺失），文件可能已损坏"
    assert notes == [f"第1张图片无法识别：{missing}", f"第2张图片无法识别：{missing}"]


def test_pictures_that_cannot_be_read_by_ocr_are_notes() -> None:
    body = _drawing("rId1") + _drawing("rId2") + _drawing("rId3", width_cm=3, height_cm=3) + p("一、总体情况")
    data = _pictures_docx(body, {"rId1": ("media/image1.emf", b"\x01\x00\x00\x00EMF"), "rId3": ("media/s.png", b"")})
    doc = DocxReader().read("x.docx", data, ReadSettings(ocr=True))
    assert [line.text for line in doc.lines] == ["", "", "", "一、总体情况"]
    assert doc.notes == [
        "第1张图片无法识别：图片格式（EMF）无法识别，请另存为 PNG 后用 --ocr 识别",
        "第2张图片无法识别：文档中找不到它引用的部件（关系 ID 缺失），文件可能已损坏",
    ]  # (the third is too small to be a table: not read)
    assert doc.pictures == 2 and doc.ocr is None  # both still count for R014


def test_a_damaged_or_oversized_picture_is_a_note_not_a_crash() -> None:
    import weasyprint  # type: ignore[import-untyped]  # (imported, it makes Pillow accept truncated images)
    from PIL import ImageFile

    assert weasyprint and ImageFile.LOAD_TRUNCATED_IMAGES  # the process state the reader must not follow
    damaged = _png()[:200]  # a PNG cut short: its magic bytes are right
    out = io.BytesIO()
    Image.frombytes("L", (400, 400), random.Random(1).randbytes(160_000)).save(out, "PNG")  # noise: ~160 KB
    big = out.getvalue()
    body = _drawing("rId1") + _drawing("rId2") + p("一、总体情况")
    data = _pictures_docx(body, {"rId1": ("media/cut.png", damaged), "rId2": ("media/big.png", big)})
    doc = DocxReader().read("x.docx", data, ReadSettings(ocr=True, max_bytes=len(big) // 2))
    assert doc.notes[0] == "第1张图片无法识别：该PNG 图片已损坏或不完整，无法读取"
    assert doc.notes[1].startswith("第2张图片无法识别：Word 文档图片解压后过大") and "压缩炸弹" in doc.notes[1]
    assert [line.text for line in doc.lines][-1] == "一、总体情况"
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # (and the process keeps its setting)


def _screenshot_page(tmp_path: Path, form: str) -> tuple[dict[str, object], Path]:
    """A page with 表二/表四 as screenshots: saved with its folder ("files"), as data: addresses
    ("data"), or as a single-file page whose archive holds the pictures ("mhtml"). The two small
    tables, for the suite's time (表三's 175 cells are read from pictures in a PDF and a Word file)."""
    values = random_consistent_tables(random.Random(9))
    t2, _, t4 = table_screenshots(values)
    shots = [t2, t4]
    blocks = list(report_blocks(values))
    if form in ("data", "cell"):
        srcs = ["data:image/png;base64," + base64.b64encode(png).decode() for png, _ in shots]
    elif form == "files":
        (tmp_path / "报告_files").mkdir()
        for name, (png, _) in zip(("t2.png", "t4.png"), shots, strict=True):
            (tmp_path / "报告_files" / name).write_bytes(png)
        srcs = ["报告_files/t2.png", "%E6%8A%A5%E5%91%8A_files/t4.png"]  # (the second written as a browser quotes it)
    else:
        srcs = ["http://www.example.gov.cn/images/t2.png", "t4.png"]
    tags = [f'<p><img src="{src}" style="width: {w:.2f}cm"></p>' for src, (_, w) in zip(srcs, shots, strict=True)]
    if form == "cell":  # each picture in the second cell of a table beside the table's title
        tags = [
            f"<table><tr><td>{t}</td><td>{tag}</td></tr></table>" for t, tag in zip(("表二", "表四"), tags, strict=True)
        ]
    page = _html(tags, blocks=blocks, pictured=(1, 3))
    path = tmp_path / ("报告.mhtml" if form == "mhtml" else "报告.html")
    if form == "mhtml":
        parts = [
            "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
            + base64.encodebytes(page.encode()).decode()
        ]
        for (png, _), name in zip(shots, ("t2.png", "t4.png"), strict=True):
            location = f"http://www.example.gov.cn/images/{name}"
            parts.append(
                f"Content-Type: image/png\nContent-Transfer-Encoding: base64\nContent-Location: {location}\n\n"
                + base64.encodebytes(png).decode()
            )
        boundary = "----MultipartBoundary--xyz"
        archive = (
            f'From: <Saved by Blink>\nMIME-Version: 1.0\nContent-Type: multipart/related;\n\ttype="text/html";\n'
            f'\tboundary="{boundary}"\n\n' + "".join(f"--{boundary}\n{part}\n" for part in parts) + f"--{boundary}--\n"
        )
        path.write_text(archive, encoding="ascii")
    else:
        path.write_text(page, encoding="utf-8")
    return values, path


@pytest.mark.parametrize("form", ["files", "data", "mhtml"])
def test_tables_pasted_as_screenshots_in_a_web_page_are_read_with_ocr(tmp_path: Path, form: str) -> None:
    values, path = _screenshot_page(tmp_path, form)
    report = read_report(path)
    assert _r014(report) == [{"tables": "表二、表四", "pictures": 2, "hint": HINTS[".html"]}]
    report = read_report(path, ReadSettings(ocr=True))
    assert {k: report.cells[k].value for k in values} == values
    assert _r014(report) == []
    (r010,) = [d for d in report.diagnostics if d.code == "R010"]
    assert r010.params == {"scope": "文中有 2 张图片（表格可能以图片发布）", "cells": 25}  # 表二 10 + 表四 15
    # the pictures' tables are numbered in document order with 表三's own: 表二 0, 表三 1, 表四 2
    t2, t3, t4 = (report.cells[k].source for k in ("t2.regulations.issued", "t3.new_received.total", "t4.review.total"))
    assert t2 is not None and t3 is not None and t4 is not None
    assert (t2.table, t3.table, t4.table, t2.reader) == (0, 1, 2, "html")


def test_pictures_in_the_cells_of_a_web_page_table_are_read_after_it(tmp_path: Path) -> None:
    values, path = _screenshot_page(tmp_path, "cell")
    assert read_document(path).pictures == 2
    doc = read_document(path, ReadSettings(ocr=True))
    report = recognize(doc)  # (as read_report does: OCR once, not twice, for the test's time)
    assert {k: report.cells[k].value for k in values} == values
    assert _r014(report) == [] and doc.pictures == 0
    # each two-cell table, then the picture's table read after it: 表二 1, 表三 (a table) 2, 表四 4
    t2, t3, t4 = (report.cells[k].source for k in ("t2.regulations.issued", "t3.new_received.total", "t4.review.total"))
    assert t2 is not None and t3 is not None and t4 is not None and (t2.table, t3.table, t4.table) == (1, 2, 4)


def test_pictures_a_page_cannot_give_are_notes(tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside.png"
    outside.write_bytes(_png())
    path = tmp_path / "报告.html"
    tags = [
        '<img src="https://www.example.gov.cn/t3.png">',  # on the web: never fetched
        '<img src="报告_files/missing.png">',
    ]
    before = f'<img src="../{outside.name}">'  # a file, but not saved with the page: not read
    path.write_text(_html(tags, extra=before), encoding="utf-8")
    doc = read_document(path, ReadSettings(ocr=True))
    assert doc.notes == [
        f"第1张图片无法识别：图片不在网页所在的文件夹中（../{outside.name}），未读取",
        "第2张图片无法识别：图片在网上（https://www.example.gov.cn/t3.png），xxgk 运行时不联网；"
        "请把网页连同图片另存到本地后再试",
        "第3张图片无法识别：找不到图片文件（报告_files/missing.png），或文件过大",
    ]
    assert doc.pictures == 3 and doc.ocr is None
    (r014,) = _r014(read_report(path, ReadSettings(ocr=True)))  # (not "加 --ocr": it was given)
    assert r014 == {"tables": "表三、表四", "pictures": 3, "hint": UNREAD_PICTURE_HINT_ZH}


def test_a_picture_is_read_by_its_first_frame_only() -> None:
    import pypdfium2 as pdfium

    from xxgk.readers.image import image_pdf

    frames = [Image.new("L", (800, 400), shade) for shade in (255, 200, 100)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    assert len(pdfium.PdfDocument(image_pdf(out.getvalue(), "a.gif", "GIF"))) == 3  # an image file: every frame
    assert len(pdfium.PdfDocument(image_pdf(out.getvalue(), "a.gif", "GIF", first_only=True))) == 1  # a picture


def test_no_r014_when_every_table_is_found(tmp_path: Path) -> None:
    values = random_consistent_tables(random.Random(5))
    page = write_html(values, "trs")
    assert page.count(b"class=TRS_Editor>") == 1
    path = tmp_path / "page.html"
    path.write_bytes(page.replace(b"class=TRS_Editor>", b'class=TRS_Editor><p><img src="photo.jpg"></p>'))
    assert read_document(path).pictures == 1
    report = read_report(path)
    assert all(report.tables_found.values()) and _r014(report) == []


@pytest.mark.parametrize(
    ("text", "cm"),
    [
        ("600", 600 * 2.54 / 96),
        ("600px", 600 * 2.54 / 96),
        ("415.5pt", 415.5 * 2.54 / 72),
        ("12cm", 12.0),
        ("5.8in", 5.8 * 2.54),
        (" 80MM ", 8.0),
        ("50%", None),
        ("auto", None),
        (None, None),
    ],
)
def test_lengths(text: str | None, cm: float | None) -> None:
    got = length_cm(text)
    assert got == pytest.approx(cm) if cm is not None else got is None


def test_the_size_of_a_table() -> None:
    assert may_hold_table(15, 8) and may_hold_table(None, None) and may_hold_table(6, None)
    assert not may_hold_table(4, 4) and not may_hold_table(15, 1) and not may_hold_table(None, 0.5)
