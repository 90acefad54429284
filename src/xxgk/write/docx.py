"""DOCX output (python-docx): GB/T 9704-2012 page and type, tables merged as the official layout.

Each table is written as one piece of WordprocessingML built from the layout grid (gridSpan for
column spans, vMerge restart/continue for row spans), never cell by cell through `Table.cell()`,
whose lookups make large tables quadratic.

The styles name the faces Chinese offices have (方正小标宋简体, 黑体, 楷体_GB2312, 仿宋_GB2312) as
East Asian fonts (`w:eastAsia`, which Word and WPS use for Chinese text), digits and Latin in
Times New Roman. Page numbers "— 1 —" in 4号 宋体 sit in odd/even footers on the outside edge;
表三 and 表四's header rows repeat on every page (`w:tblHeader`); headings keep with the next
paragraph; the title breaks after the agency with a line break, never inside a word.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from xxgk.pagesetup import LINE_PT, MARGINS_MM, TYPE_WIDTH_MM
from xxgk.report import Report
from xxgk.write.content import Kind, cell_texts, document_blocks, title_lines
from xxgk.write.html import (
    KEEP_WHOLE_MAX_ROWS,
    PAGE_NUMBER_BOTTOM_MM,
    PAGE_NUMBER_PT,
    TABLE_PT,
    TITLE_EM_PER_LINE,
)
from xxgk.write.layout import Placed, Role, TableLayout

A4_TWIPS = (11906, 16838)  # 210 mm × 297 mm
MM = 1440 / 25.4  # twips per millimetre
TYPE_WIDTH_TWIPS = round(TYPE_WIDTH_MM * MM)  # 156 mm

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# GB/T 9704-2012 faces, by the names Word and WPS know them by on Chinese offices' machines.
TITLE_FONT = "方正小标宋简体"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
BODY_FONT = "仿宋_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"  # digits and Latin letters, as office templates set them

# Style id → (East Asian font, size in pt, bold, alignment, first-line indent in chars, outline
# level). 二号 22pt title; 三号 16pt body and headings. Tables in 五号 10.5pt so 表三's 10 and 表四's
# 15 columns fit the 156 mm type area.
STYLES: dict[str, tuple[str, float, bool, str | None, int, int | None]] = {
    "XxgkTitle": (TITLE_FONT, 22, False, "center", 0, 0),
    "XxgkHeading1": (HEADING1_FONT, 16, False, None, 2, 1),
    "XxgkHeading2": (HEADING2_FONT, 16, False, None, 2, 2),
    "XxgkBody": (BODY_FONT, 16, False, "both", 2, None),
    "XxgkSignature": (BODY_FONT, 16, False, "right", 0, None),
    "XxgkTable": (BODY_FONT, TABLE_PT, False, "center", 0, None),
    "XxgkTableLabel": (BODY_FONT, TABLE_PT, False, "left", 0, None),
    "XxgkPageNumber": (PAGE_NUMBER_FONT, PAGE_NUMBER_PT, False, None, 0, None),
}
# A heading (and the title) is never the last line of a page.
KEEP_WITH_NEXT = frozenset({"XxgkTitle", "XxgkHeading1", "XxgkHeading2"})
_KIND_STYLE = {
    Kind.TITLE: "XxgkTitle",
    Kind.HEADING: "XxgkHeading1",
    Kind.SUBHEADING: "XxgkHeading2",
    Kind.PARAGRAPH: "XxgkBody",
    Kind.SIGNATURE: "XxgkSignature",
}


def _setup(doc: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, Twips

    section = doc.sections[0]
    section.page_width, section.page_height = Twips(A4_TWIPS[0]), Twips(A4_TWIPS[1])
    section.top_margin = Twips(round(MARGINS_MM["top"] * MM))
    section.bottom_margin = Twips(round(MARGINS_MM["bottom"] * MM))
    section.left_margin = Twips(round(MARGINS_MM["left"] * MM))
    section.right_margin = Twips(round(MARGINS_MM["right"] * MM))
    align = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "both": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT, qn)
    normal.font.size = Pt(16)
    for sid, (font, size, bold, alignment, indent, outline) in STYLES.items():
        style = doc.styles.add_style(sid, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _fonts(style, font, qn)
        style.font.size = Pt(size)
        style.font.bold = bold
        pf = style.paragraph_format
        pf.space_before = pf.space_after = Pt(0)
        if alignment:
            pf.alignment = align[alignment]
        if indent:
            pf.first_line_indent = Pt(size * indent)
        if sid == "XxgkTitle":
            pf.space_after = Pt(16)
        if sid in KEEP_WITH_NEXT:
            pf.keep_with_next = True
        if sid.startswith("XxgkTable") or sid == "XxgkPageNumber":
            pf.line_spacing = 1.0
        elif sid != "XxgkTitle":
            pf.line_spacing = Pt(LINE_PT)
        if outline is not None:
            ppr = style.element.get_or_add_pPr()
            lvl = ppr.makeelement(qn("w:outlineLvl"), {qn("w:val"): str(outline)})
            ppr.append(lvl)


def _fonts(style: Any, font: str, qn: Any) -> None:
    """The style's East Asian font (what Word and WPS use for Chinese characters) and its Latin one."""
    latin = PAGE_NUMBER_FONT if font == PAGE_NUMBER_FONT else LATIN_FONT  # the page number is all 宋体
    style.font.name = latin
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), font)
    rfonts.set(qn("w:hint"), "eastAsia")


def _page_numbers(doc: Any) -> None:
    """ "— n —" footers: odd pages on the right, even pages on the left, one character in from the
    type area's edge (GB/T 9704-2012 7.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.shared import Mm, Pt

    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    section.footer_distance = Mm(PAGE_NUMBER_BOTTOM_MM)
    field = (
        f'<w:r xmlns:w="{W_NS}"><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r xmlns:w="{W_NS}"><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
        f'<w:r xmlns:w="{W_NS}"><w:fldChar w:fldCharType="separate"/></w:r>',
        f'<w:r xmlns:w="{W_NS}"><w:t>1</w:t></w:r>',
        f'<w:r xmlns:w="{W_NS}"><w:fldChar w:fldCharType="end"/></w:r>',
    )
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.style = doc.styles["XxgkPageNumber"]
        pf = p.paragraph_format
        pf.alignment = WD_ALIGN_PARAGRAPH.RIGHT if align == "right" else WD_ALIGN_PARAGRAPH.LEFT
        if align == "right":
            pf.right_indent = Pt(PAGE_NUMBER_PT)
        else:
            pf.left_indent = Pt(PAGE_NUMBER_PT)
        p.add_run("—\u2002")
        for run in field:
            p._p.append(parse_xml(run))
        p.add_run("\u2002—")


def _tc(width: int, text: str, style: str, span: int, vmerge: str | None, keep: bool = False) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    props += '<w:vAlign w:val="center"/>'
    run = f"<w:r><w:t>{escape(text)}</w:t></w:r>" if text else ""
    keep_next = "<w:keepNext/>" if keep else ""
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/>{keep_next}</w:pPr>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p>{ppr}{run}</w:p></w:tc>"


def table_xml(layout: TableLayout, texts: dict[str, str]) -> str:
    """The <w:tbl> of one table: one pass over the grid, merged cells as the layout says."""
    total = sum(layout.col_weights)
    widths = [round(TYPE_WIDTH_TWIPS * w / total) for w in layout.col_weights]
    grid = layout.grid()
    cover: dict[tuple[int, int], Placed] = {}
    for p in layout.placed():
        for dr in range(1, p.cell.rowspan):
            cover[(p.row + dr, p.col)] = p
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(border.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [
        f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="40" w:type="dxa"/><w:right w:w="40" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr><w:tblGrid>",
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    repeat = layout.header_rows
    # A table that fits on a page is kept on one (every row kept with the next): a page break,
    # and the page number printed there, never cut 表二 or 表四.
    whole = layout.nrows <= KEEP_WHOLE_MAX_ROWS
    for r, row in enumerate(grid):
        keep = whole and r < layout.nrows - 1
        # The column header rows repeat at the top of every page the table runs onto (表三, 表四).
        out.append(
            "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
            if r < repeat
            else "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
        )
        c = 0
        while c < layout.ncols:
            start = row[c]
            if start is not None:
                cell = start.cell
                width = sum(widths[c : c + cell.colspan])
                if cell.role is Role.VALUE:
                    assert cell.key is not None
                    text, style = texts[cell.key], "XxgkTable"
                else:
                    text, style = cell.text, "XxgkTableLabel" if cell.role is Role.LABEL else "XxgkTable"
                out.append(_tc(width, text, style, cell.colspan, "restart" if cell.rowspan > 1 else None, keep))
                c += cell.colspan
                continue
            origin = cover[(r, c)]
            span = origin.cell.colspan
            out.append(_tc(sum(widths[c : c + span]), "", "XxgkTable", span, "continue", keep))
            c += span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def render_docx(report: Report) -> bytes:
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    doc = Document()
    _setup(doc)
    _page_numbers(doc)
    body = doc.element.body
    sect_pr = body.find(qn("w:sectPr"))
    texts = cell_texts(report)
    for b in document_blocks(report):
        if b.kind is Kind.TABLE:
            assert b.table is not None
            sect_pr.addprevious(parse_xml(table_xml(b.table, texts)))
            continue
        if b.kind is Kind.TITLE:
            # A line break after the agency and wherever a line would be too long, never inside a
            # word: Word and WPS break CJK text anywhere (…工作年/度报告).
            p = doc.add_paragraph(style=_KIND_STYLE[b.kind])
            for n, line in enumerate(title_lines(b.text, TITLE_EM_PER_LINE)):
                run = p.add_run(line)
                if n:
                    run._r.addprevious(parse_xml(f'<w:r xmlns:w="{W_NS}"><w:br/></w:r>'))
            continue
        doc.add_paragraph(b.text, style=_KIND_STYLE[b.kind])
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
