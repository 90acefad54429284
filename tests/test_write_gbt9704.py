"""GB/T 9704-2012 in the written documents (issue 20 items 19–22): page numbers on the outside edge,
表三/表四's header rows repeated on every page, the official fonts named in the DOCX, headings kept
with the next line, and the title never broken inside a word. Checked on the document structure
(WordprocessingML, the PDF's text per page)."""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from xxgk.report import Report
from xxgk.write import render
from xxgk.write.content import title_lines
from xxgk.write.html import TITLE_EM_PER_LINE
from xxgk.write.layout import table_layouts

from .generate import random_consistent_tables
from .test_write_template import make_report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
HEADING = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")


def long_report(paragraphs: int = 6, seed: int = 9) -> Report:
    """A report whose 表三 starts low on a page and runs onto the next."""
    text = "本年度，我镇坚持以公开为常态、不公开为例外，围绕群众关切，及时准确公开政府信息。" * 6
    body = "\n".join(["（一）主动公开情况", *[text] * paragraphs])
    values = random_consistent_tables(random.Random(seed))
    return make_report(values, set(), {"s1_overview": body, "s3_applications": body})


def pdf_pages(data: bytes, tmp: Path) -> list[str]:
    path = tmp / "r.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def docx_xml(data: bytes, part: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(part))


# ---------------------------------------------------------------------------------------------
# PDF


@needs_poppler
def test_pdf_page_numbers_on_the_outside_edge(tmp_path: Path) -> None:
    pages = pdf_pages(render(long_report(), "pdf"), tmp_path)
    assert len(pages) >= 4
    for n, page in enumerate(pages, 1):
        lines = [line for line in page.splitlines() if line.strip()]
        number = lines[-1]
        assert number.strip() == f"— {n} —", (n, number)
        # Odd pages on the right, even pages on the left: the number starts right of the middle
        # of the widest line on an odd page, at the left margin on an even one.
        width = max(len(line) for line in lines)
        indent = len(number) - len(number.lstrip())
        assert (indent > width / 2) if n % 2 else (indent < width / 4), (n, number, width)


@needs_poppler
def test_pdf_repeats_the_header_rows_of_a_table_that_runs_onto_the_next_page(tmp_path: Path) -> None:
    pages = pdf_pages(render(long_report(), "pdf"), tmp_path)
    t3 = [n for n, page in enumerate(pages) if "申请人情况" in page]
    rows = [n for n, page in enumerate(pages) if "（七）总计" in page or "本年新收政府信息公开申请数量" in page]
    assert rows and rows[-1] > rows[0]  # 表三 runs over two pages
    assert t3 == list(range(rows[0], rows[-1] + 1))  # its header is on each of them
    assert all("法人或其他组织" in pages[n] and "总计" in pages[n] for n in t3)


@needs_poppler
@pytest.mark.parametrize("paragraphs", [2, 3, 5, 7])
def test_pdf_no_heading_is_the_last_line_of_a_page(tmp_path: Path, paragraphs: int) -> None:
    pages = pdf_pages(render(long_report(paragraphs), "pdf"), tmp_path)
    for n, page in enumerate(pages[:-1], 1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        last = lines[-2]  # (the last line is the page number)
        assert not (HEADING.match(last) and "  " not in last), (n, last)  # (a table row has its numbers)


@needs_poppler
def test_pdf_title_breaks_after_the_agency_not_inside_a_word(tmp_path: Path) -> None:
    report = long_report()
    report.meta.agency = "某某省某某市某某区某某街道办事处综合行政执法大队"
    report.meta.title = f"{report.meta.agency}2024年政府信息公开工作年度报告"
    page = pdf_pages(render(report, "pdf"), tmp_path)[0]
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    assert "2024年政府信息公开工作年度报告" in lines
    assert not any(line.endswith(("年度报", "工作年", "政府信息公")) for line in lines)


def test_title_lines_never_cut_a_word() -> None:
    for agency in (
        "某某镇人民政府",
        "六安市金安区木厂镇人民政府",
        "某某省某某市某某区某某街道办事处综合行政执法大队" * 2,
    ):
        title = f"{agency}2024年政府信息公开工作年度报告"
        lines = title_lines(title, TITLE_EM_PER_LINE)
        assert "".join(lines) == title
        assert lines[-1] == "2024年政府信息公开工作年度报告"
        assert all(len(line) <= TITLE_EM_PER_LINE for line in lines)
    lines = title_lines("某某县2024年政府信息公开工作年度报告", 12)  # a narrow line: breaks between words
    assert lines == ["某某县", "2024年政府信息公开工作", "年度报告"]


# ---------------------------------------------------------------------------------------------
# DOCX


def test_docx_repeats_table_header_rows_and_keeps_rows_whole() -> None:
    body = docx_xml(render(long_report(), "docx"), "word/document.xml")
    tables = body.findall(f".//{W}tbl")
    layouts = list(table_layouts().values())
    assert len(tables) == len(layouts) == 3
    for tbl, layout in zip(tables, layouts, strict=True):
        rows = tbl.findall(f"{W}tr")
        headers = [tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in rows]
        expected = layout.header_rows
        assert headers == [True] * expected + [False] * (len(rows) - expected), layout.name
        assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)
    assert [t.header_rows for t in layouts] == [0, 3, 3]  # 表二's blocks have their own headers


def test_docx_names_the_official_fonts_as_east_asian_fonts() -> None:
    styles = docx_xml(render(long_report(), "docx"), "word/styles.xml")
    fonts = {}
    for style in styles.findall(f"{W}style"):
        rfonts = style.find(f"{W}rPr/{W}rFonts")
        if rfonts is not None:
            fonts[style.get(f"{W}styleId")] = (rfonts.get(f"{W}eastAsia"), rfonts.get(f"{W}ascii"))
    assert fonts["XxgkTitle"][0] == "方正小标宋简体"
    assert fonts["XxgkHeading1"][0] == "黑体"
    assert fonts["XxgkHeading2"][0] == "楷体_GB2312"
    assert fonts["XxgkBody"][0] == fonts["XxgkTable"][0] == fonts["Normal"][0] == "仿宋_GB2312"
    assert fonts["XxgkPageNumber"] == ("宋体", "宋体")
    assert fonts["XxgkBody"][1] == "Times New Roman"


def test_docx_page_numbers_in_odd_and_even_footers() -> None:
    data = render(long_report(), "docx")
    settings = docx_xml(data, "word/settings.xml")
    assert settings.find(f"{W}evenAndOddHeaders") is not None
    sect = docx_xml(data, "word/document.xml").find(f".//{W}sectPr")
    refs = {
        ref.get(f"{W}type"): ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        for ref in sect.findall(f"{W}footerReference")
    }
    assert set(refs) >= {"default", "even"}
    rels = docx_xml(data, "word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    for kind, align in (("default", "right"), ("even", "left")):
        footer = docx_xml(data, f"word/{targets[refs[kind]]}")
        (p,) = footer.findall(f"{W}p")
        assert p.find(f"{W}pPr/{W}jc").get(f"{W}val") == align
        assert p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "XxgkPageNumber"
        instr = "".join(t.text or "" for t in p.iter(f"{W}instrText"))
        assert instr.strip() == "PAGE"
        texts = [t.text for t in p.iter(f"{W}t")]
        assert texts[0].startswith("—") and texts[-1].endswith("—")
    styles = docx_xml(data, "word/styles.xml")
    size = styles.find(f"{W}style[@{W}styleId='XxgkPageNumber']/{W}rPr/{W}sz")
    assert int(size.get(f"{W}val")) == 28  # 4号 = 14 pt, in half points


def test_docx_headings_keep_with_next_and_title_breaks_at_a_word() -> None:
    report = long_report()
    report.meta.title = "某某省某某市某某区某某街道办事处综合行政执法大队2024年政府信息公开工作年度报告"
    data = render(report, "docx")
    styles = docx_xml(data, "word/styles.xml")
    for sid in ("XxgkTitle", "XxgkHeading1", "XxgkHeading2"):
        assert styles.find(f"{W}style[@{W}styleId='{sid}']/{W}pPr/{W}keepNext") is not None, sid
    assert styles.find(f"{W}style[@{W}styleId='XxgkBody']/{W}pPr/{W}keepNext") is None
    title = docx_xml(data, "word/document.xml").find(f".//{W}body/{W}p")
    lines, current = [], ""
    for r in title.findall(f"{W}r"):
        if r.find(f"{W}br") is not None:
            lines.append(current)
            current = ""
        current += "".join(t.text or "" for t in r.findall(f"{W}t"))
    lines.append(current)
    assert lines == ["某某省某某市某某区某某街道办事处综合行政", "执法大队", "2024年政府信息公开工作年度报告"]


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None, reason="no LibreOffice")
def test_docx_as_libreoffice_prints_it(tmp_path: Path) -> None:
    """Opened in LibreOffice: page numbers on the outside edge, 表三's header on each of its pages."""
    (tmp_path / "r.docx").write_bytes(render(long_report(), "docx"))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "r.docx")],
        capture_output=True,
        check=True,
        timeout=180,
    )
    pages = pdf_pages((tmp_path / "r.pdf").read_bytes(), tmp_path)
    assert [p.strip().splitlines()[-1].strip() for p in pages] == [f"— {n} —" for n in range(1, len(pages) + 1)]
    t3 = [n for n, page in enumerate(pages) if "申请人情况" in page]
    assert len(t3) >= 2 and t3 == list(range(t3[0], t3[-1] + 1))


@needs_poppler
@pytest.mark.parametrize("paragraphs", [1, 2, 3])
def test_pdf_keeps_a_table_that_fits_on_one_page(tmp_path: Path, paragraphs: int) -> None:
    report = long_report(paragraphs)
    report.sections["s2_proactive"].text = "\n".join(["全年主动公开政府信息。" * 8] * paragraphs * 2)
    pages = pdf_pages(render(report, "pdf"), tmp_path)
    first, last = "第二十条第（一）项", "第二十条第（八）项"  # 表二's first and last blocks
    assert [n for n, p in enumerate(pages) if first in p] == [n for n, p in enumerate(pages) if last in p]


def test_docx_keeps_a_table_that_fits_on_one_page() -> None:
    body = docx_xml(render(long_report(), "docx"), "word/document.xml")
    for tbl, layout in zip(body.findall(f".//{W}tbl"), table_layouts().values(), strict=True):
        kept = [
            all(p.find(f"{W}pPr/{W}keepNext") is not None for p in tr.iter(f"{W}p")) for tr in tbl.findall(f"{W}tr")
        ]
        if layout.key == "t3":  # 28 rows: runs on to the next page, its header repeated
            assert not any(kept)
        else:  # every row kept with the next, the last ends the table
            assert kept == [True] * (len(kept) - 1) + [False], layout.name
