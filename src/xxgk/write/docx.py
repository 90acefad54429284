"""DOCX output (python-docx): GB/T 9704-2012 page and type, tables merged as the official layout.

Each table is written as one piece of WordprocessingML built from the layout grid (gridSpan for
column spans, vMerge restart/continue for row spans), never cell by cell through `Table.cell()`,
whose lookups make large tables quadratic.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from xxgk.report import Report
from xxgk.write.content import Kind, cell_texts, document_blocks
from xxgk.write.html import SANS, SERIF, TABLE_PT
from xxgk.write.layout import Placed, Role, TableLayout

A4_TWIPS = (11906, 16838)  # 210 mm × 297 mm
MM = 1440 / 25.4  # twips per millimetre
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}  # GB/T 9704-2012 7.1
TYPE_WIDTH_TWIPS = round((210 - MARGINS_MM["left"] - MARGINS_MM["right"]) * MM)  # 156 mm

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Style id → (font, size in pt, bold, alignment, first-line indent in chars, outline level).
# 二号 22pt title (小标宋 stand-in, bold); 三号 16pt body (仿宋 stand-in) and headings: 一、 in 黑体
# (Noto Sans), （一） in 楷体 (Noto has no Kai face; the serif stands in). Tables in 五号 10.5pt so
# 表三's 10 and 表四's 15 columns fit the 156 mm type area.
STYLES: dict[str, tuple[str, float, bool, str | None, int, int | None]] = {
    "XxgkTitle": (SERIF, 22, True, "center", 0, 0),
    "XxgkHeading1": (SANS, 16, False, None, 2, 1),
    "XxgkHeading2": (SERIF, 16, False, None, 2, 2),
    "XxgkBody": (SERIF, 16, False, "both", 2, None),
    "XxgkSignature": (SERIF, 16, False, "right", 0, None),
    "XxgkTable": (SERIF, TABLE_PT, False, "center", 0, None),
    "XxgkTableLabel": (SERIF, TABLE_PT, False, "left", 0, None),
}
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
    _fonts(normal, SERIF, qn)
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
        if sid.startswith("XxgkTable"):
            pf.line_spacing = 1.0
        elif sid != "XxgkTitle":
            pf.line_spacing = Pt(28.95)  # GB/T 9704: 22 lines on the 225 mm type height
        if outline is not None:
            ppr = style.element.get_or_add_pPr()
            lvl = ppr.makeelement(qn("w:outlineLvl"), {qn("w:val"): str(outline)})
            ppr.append(lvl)


def _fonts(style: Any, font: str, qn: Any) -> None:
    style.font.name = font
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)


def _tc(width: int, text: str, style: str, span: int, vmerge: str | None) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    props += '<w:vAlign w:val="center"/>'
    run = f"<w:r><w:t>{escape(text)}</w:t></w:r>" if text else ""
    return f'<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{run}</w:p></w:tc>'


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
    for r, row in enumerate(grid):
        out.append(
            "<w:tr><w:trPr><w:cantSplit/></w:trPr>" if r > 2 else '<w:tr><w:trPr><w:tblHeader w:val="0"/></w:trPr>'
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
                out.append(_tc(width, text, style, cell.colspan, "restart" if cell.rowspan > 1 else None))
                c += cell.colspan
                continue
            origin = cover[(r, c)]
            span = origin.cell.colspan
            out.append(_tc(sum(widths[c : c + span]), "", "XxgkTable", span, "continue"))
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
    body = doc.element.body
    sect_pr = body.find(qn("w:sectPr"))
    texts = cell_texts(report)
    for b in document_blocks(report):
        if b.kind is Kind.TABLE:
            assert b.table is not None
            sect_pr.addprevious(parse_xml(table_xml(b.table, texts)))
            continue
        doc.add_paragraph(b.text, style=_KIND_STYLE[b.kind])
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
