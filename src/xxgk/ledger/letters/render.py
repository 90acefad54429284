"""A letter as DOCX (python-docx) or PDF (WeasyPrint from HTML), in the GB/T 9704-2012 page and type.

A4, margins 37/35/28/26 mm, title in 二号 小标宋, body in 三号 仿宋 with a 2-character first-line indent, 22
lines a page (28.95 pt), the 文号 centred under the title, the organ and date on the right. The values are the
ones `xxgk.write.docx` uses for reports; they are restated here because the ledger may not import the report
writers (the import contract keeps `xxgk.ledger` and `xxgk.write` independent). The PDF uses the Noto CJK faces
(Debian has no 小标宋 or 仿宋), as the report's PDF does.
"""

from __future__ import annotations

import io
import logging
import threading
from html import escape
from typing import Any

from xxgk.ledger.letters.compose import Letter
from xxgk.pagesetup import A4_MM, BODY_PT, LINE_PT, MARGINS_MM, TITLE_PT, css_margin

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
PDF_SERIF = "Noto Serif CJK SC"


# ---------------------------------------------------------------------------------------------
# DOCX


def _font(target: Any, east_asian: str) -> None:
    from docx.oxml.ns import qn

    target.font.name = LATIN_FONT
    rfonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:hint"), "eastAsia")


def _styles(doc: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    normal = doc.styles["Normal"]
    _font(normal, BODY_FONT)
    normal.font.size = Pt(BODY_PT)
    specs = {
        # style id → (font, size, alignment, first-line indent in characters)
        "XxgkLetterTitle": (TITLE_FONT, TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, 0),
        "XxgkLetterNumber": (BODY_FONT, BODY_PT, WD_ALIGN_PARAGRAPH.CENTER, 0),
        "XxgkLetterTo": (BODY_FONT, BODY_PT, WD_ALIGN_PARAGRAPH.LEFT, 0),
        "XxgkLetterBody": (BODY_FONT, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
        "XxgkLetterSignature": (BODY_FONT, BODY_PT, WD_ALIGN_PARAGRAPH.RIGHT, 0),
    }
    for sid, (font, size, alignment, indent) in specs.items():
        style = doc.styles.add_style(sid, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _font(style, font)
        style.font.size = Pt(size)
        pf = style.paragraph_format
        pf.space_before = pf.space_after = Pt(0)
        pf.alignment = alignment
        pf.line_spacing = Pt(LINE_PT) if sid != "XxgkLetterTitle" else 1.0
        if indent:
            pf.first_line_indent = Pt(size * indent)
        if sid == "XxgkLetterSignature":
            pf.right_indent = Pt(BODY_PT * 2)  # the date 空二字 from the right edge (GB/T 9704 7.3.5.1)
    doc.styles["XxgkLetterTitle"].paragraph_format.space_after = Pt(BODY_PT)
    doc.styles["XxgkLetterNumber"].paragraph_format.space_after = Pt(LINE_PT)


def render_letter_docx(letter: Letter) -> bytes:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    _styles(doc)
    doc.core_properties.title = letter.title
    doc.add_paragraph(letter.title, style="XxgkLetterTitle")
    doc.add_paragraph(letter.number, style="XxgkLetterNumber")
    doc.add_paragraph(letter.to, style="XxgkLetterTo")
    body = [doc.add_paragraph(text, style="XxgkLetterBody") for text in letter.paragraphs]
    if letter.contact:
        body.append(doc.add_paragraph(letter.contact, style="XxgkLetterBody"))
    organ = doc.add_paragraph(letter.organ, style="XxgkLetterSignature")
    organ.paragraph_format.space_before = Pt(LINE_PT)  # a blank line before the signature
    doc.add_paragraph(letter.date_zh, style="XxgkLetterSignature")
    # The organ and date never stand alone on a page: the closing line(s) go over with them.
    for p in (*body[-2:], organ):
        p.paragraph_format.keep_with_next = True
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# HTML and PDF

_MARGIN = css_margin()
CSS = f"""
@page {{ size: A4; margin: {_MARGIN}; }}
html {{ font-family: "{PDF_SERIF}", serif; font-size: {BODY_PT}pt; line-height: {LINE_PT}pt; color: #000; }}
body {{ margin: 0; }}
h1 {{ font-size: {TITLE_PT}pt; font-weight: 600; text-align: center; line-height: 1.4; margin: 0 0 {BODY_PT}pt; }}
p {{ margin: 0; text-align: justify; }}
p.number {{ text-align: center; margin-bottom: {LINE_PT}pt; }}
p.body {{ text-indent: 2em; }}
p.signature {{ text-align: right; padding-right: 2em; }}
p.signature.first {{ margin-top: {LINE_PT}pt; }}
div.closing {{ break-inside: avoid; page-break-inside: avoid; }}
"""


def render_letter_html(letter: Letter) -> str:
    e = escape
    body = [f'<p class="body">{e(p)}</p>' for p in letter.paragraphs]
    if letter.contact:
        body.append(f'<p class="body">{e(letter.contact)}</p>')
    parts = [
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{e(letter.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{e(letter.title)}</h1>",
        f'<p class="number">{e(letter.number)}</p>',
        f'<p class="to">{e(letter.to)}</p>',
        *body[:-2],
        # The organ and date never stand alone on a page: the closing line(s) go over with them.
        '<div class="closing">',
        *body[-2:],
        f'<p class="signature first">{e(letter.organ)}</p>',
        f'<p class="signature">{e(letter.date_zh)}</p>',
        "</div>",
        "</body></html>\n",
    ]
    return "\n".join(parts)


# One FontConfiguration per thread (costly to build, not meant to be shared across threads).
_local = threading.local()


def render_letter_pdf(letter: Letter) -> bytes:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    pdf = HTML(string=render_letter_html(letter)).write_pdf(font_config=config)
    assert pdf is not None
    return bytes(pdf)


__all__ = ["render_letter_docx", "render_letter_html", "render_letter_pdf"]
