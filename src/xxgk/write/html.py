"""HTML output: the official layout with rowspan/colspan tables, and print CSS for the PDF.

Typography follows GB/T 9704-2012 (党政机关公文格式) where it applies. Debian has no 方正小标宋,
仿宋 or 楷体, so the Noto CJK fonts stand in: title in Noto Serif CJK SC (小标宋), body in Noto
Serif CJK SC (仿宋), 一、 headings in Noto Sans CJK SC (黑体), （一） headings in Noto Serif CJK
SC (Noto has no Kai face; the serif is the closest).
"""

from __future__ import annotations

from html import escape

from xxgk.pagesetup import TITLE_PT, TYPE_WIDTH_MM, css_margin
from xxgk.report import Report
from xxgk.write.content import Block, Kind, cell_texts, document_blocks, title_lines
from xxgk.write.layout import Role, TableLayout

SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"

# Sizes: 二号 = 22pt (title), 三号 = 16pt (body, headings). Tables use 五号 = 10.5pt: 表三 has
# 10 columns and 表四 15 across the 156 mm type area; at 三号 even two characters would not fit.
TABLE_PT = 10.5
TITLE_EM_PER_LINE = TYPE_WIDTH_MM / 25.4 * 72 / TITLE_PT  # 20 characters of 二号 on the 156 mm line
PAGE_NUMBER_PT = 14  # 4号
KEEP_WHOLE_MAX_ROWS = 16  # tables of at most this many rows are kept on one page (表二 14, 表四 4)
# GB/T 9704 puts the page number's dash 7 mm under the type area (28 mm above the page's edge).
# xxgk's PDF reader drops page numbers only in the page's outer 7 % (21 mm), so that reading the
# PDF back (render --strict, xxgk check) sees no "— 1 —" in the text: the number sits 10 mm
# above the edge until the reader looks higher.
PAGE_NUMBER_BOTTOM_MM = 10

CSS = f"""
@page {{ size: A4; margin: {css_margin()}; }}
@page :right {{ @bottom-right {{ content: "—\u2002" counter(page) "\u2002—"; font: {PAGE_NUMBER_PT}pt "{SERIF}", serif;
  vertical-align: bottom; padding: 0 1em {PAGE_NUMBER_BOTTOM_MM}mm 0; white-space: nowrap; }} }}
@page :left {{ @bottom-left {{ content: "—\u2002" counter(page) "\u2002—"; font: {PAGE_NUMBER_PT}pt "{SERIF}", serif;
  vertical-align: bottom; padding: 0 0 {PAGE_NUMBER_BOTTOM_MM}mm 1em; white-space: nowrap; }} }}
html {{ font-family: "{SERIF}", serif; font-size: 16pt; line-height: 1.6; color: #000; }}
body {{ margin: 0; }}
@media screen {{ body {{ max-width: 156mm; margin: 2em auto; }} }}
h1 span {{ display: block; }}
@media print {{ h1 span {{ white-space: nowrap; word-break: keep-all; }} }}
h1 {{ font-family: "{SERIF}", serif; font-size: {TITLE_PT}pt; font-weight: 600; text-align: center;
      margin: 0 0 1em; line-height: 1.4; break-after: avoid; page-break-after: avoid; }}
h2 {{ font-family: "{SANS}", sans-serif; font-size: 16pt; font-weight: normal; margin: 0.5em 0 0;
      text-indent: 2em; break-after: avoid; page-break-after: avoid; }}
h3 {{ font-family: "{SERIF}", serif; font-size: 16pt; font-weight: normal; margin: 0; text-indent: 2em;
      break-after: avoid; page-break-after: avoid; }}
p {{ orphans: 2; widows: 2; }}
p {{ margin: 0; text-indent: 2em; text-align: justify; }}
p.signature {{ text-align: right; text-indent: 0; padding-right: 2em; }}
p.signature.first {{ margin-top: 2em; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; font-size: {TABLE_PT}pt;
         line-height: 1.3; margin: 0.5em 0 1em; page-break-inside: auto; }}
tr {{ page-break-inside: avoid; }}
table.whole {{ break-inside: avoid; page-break-inside: avoid; }}
tr.head {{ page-break-after: avoid; }}
th, td {{ border: 0.75pt solid #000; padding: 1.5pt 2pt; text-align: center; vertical-align: middle;
          font-weight: normal; word-break: break-all; }}
td.label {{ text-align: left; }}
td.group {{ vertical-align: top; }}
th.note {{ text-align: left; font-size: 9pt; }}
"""


def _table(layout: TableLayout, texts: dict[str, str], out: list[str]) -> None:
    total = sum(layout.col_weights)
    # A table that fits on a page is kept on one (表二, 表四); 表三 runs on with its header repeated.
    whole = " whole" if layout.nrows <= KEEP_WHOLE_MAX_ROWS else ""
    out.append(f'<table class="{layout.key}{whole}" data-table="{layout.key}">\n<colgroup>')
    out.extend(f'<col style="width:{w / total * 100:.2f}%">' for w in layout.col_weights)
    out.append("</colgroup>")
    repeat = layout.header_rows
    # The column header in <thead>: a print layout (WeasyPrint, browsers) repeats it on every page.
    out.append("<thead>" if repeat else "<tbody>")
    for n, row in enumerate(layout.rows):
        if repeat and n == repeat:
            out.append("</thead>\n<tbody>")
        # Header rows stay with the rows below them: a page break never separates a header.
        out.append('<tr class="head">' if all(c.role is Role.HEADER for c in row) else "<tr>")
        for cell in row:
            span = ""
            if cell.rowspan > 1:
                span += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                span += f' colspan="{cell.colspan}"'
            if cell.role is Role.VALUE:
                assert cell.key is not None
                out.append(f'<td data-key="{cell.key}"{span}>{texts[cell.key]}</td>')
            elif cell.role is Role.LABEL:
                # A row-spanning group label starts at its first row (a PDF reader finds it there).
                cls = "label group" if cell.rowspan > 1 else "label"
                out.append(f'<td class="{cls}"{span}>{escape(cell.text)}</td>')
            else:
                cls = ' class="note"' if cell.rowspan > 1 and cell.colspan > 1 else ""
                out.append(f"<th{cls}{span}>{escape(cell.text)}</th>")
        out.append("</tr>")
    out.append("</tbody>\n</table>")


def _blocks(blocks: list[Block], texts: dict[str, str]) -> list[str]:
    out: list[str] = []
    first_signature = True
    for b in blocks:
        if b.kind is Kind.TITLE:
            # Break after the agency, as printed titles do, and never inside a word (…年/度报告).
            lines = title_lines(b.text, TITLE_EM_PER_LINE)
            out.append("<h1>" + "".join(f"<span>{escape(line)}</span>" for line in lines) + "</h1>")
        elif b.kind is Kind.HEADING:
            out.append(f"<h2>{escape(b.text)}</h2>")
        elif b.kind is Kind.SUBHEADING:
            out.append(f"<h3>{escape(b.text)}</h3>")
        elif b.kind is Kind.PARAGRAPH:
            out.append(f"<p>{escape(b.text)}</p>")
        elif b.kind is Kind.TABLE:
            assert b.table is not None
            _table(b.table, texts, out)
        else:
            cls = "signature first" if first_signature else "signature"
            first_signature = False
            out.append(f'<p class="{cls}">{escape(b.text)}</p>')
    return out


def render_html(report: Report) -> str:
    """A standalone HTML document (UTF-8) of the report in the official layout."""
    blocks = document_blocks(report)
    title = escape(blocks[0].text)
    body = "\n".join(_blocks(blocks, cell_texts(report)))
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
        f"<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
