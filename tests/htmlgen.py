"""Synthetic annual reports as web pages, in the styles government CMS sites publish.

The content is `tests.generate.report_blocks` (paragraphs and table grids); this module only
decides the markup. Merged cells are rebuilt from the grid of the complete report (every value
present), so a blank (missing) value never changes the table's shape: in the header rows a label
spans down first, then right (the corner cell, 总计, 自然人); in the body a label spans right
first (一、本年新收… over the three label columns), then down over the blanks no label to their left
claims (三、本年度办理结果, （三）不予公开). Expanding the spans again gives exactly the grid, so a
correct reader returns the TAB-row layout the recogniser already reads.

Styles:
- "trs": a TRS CMS page: site chrome, `<h1>` title, `<div class=TRS_Editor>` with `<p>` and a
  clean `<table border=1>` with rowspan/colspan, `<p align=center>` in every cell;
- "word": Word "Save as HTML": `MsoNormal` paragraphs, `mso-` styles, `<font face=宋体>`, text cut
  into several `<span>` runs, `<o:p></o:p>`, `&nbsp;` padding, conditional comments, the
  `supportMisalignedColumns` row of empty cells;
- "gbk": a plain page encoded in GBK that declares `<meta charset=gb2312>` (or an `http-equiv`
  content type with charset=GBK);
- "layout": the report inside the cell of a layout table, with a nested navigation table, menus,
  footer, scripts, styles and comments holding report-like text that must not be read;
- "br": header and label cells split over `<br>` lines and `<p>` paragraphs (社会<br>公益<br>组织).
"""

from __future__ import annotations

import html
import random
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .generate import SPEC, Value, report_blocks

STYLES = ("trs", "word", "gbk", "layout", "br")

Grid = list[list[str]]
Span = tuple[int, int]  # (rowspan, colspan)

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_HEADINGS = frozenset(s.heading for s in SPEC.sections)


# ---------------------------------------------------------------------------------------------
# Merged cells


def merge_layout(grid: Grid) -> dict[tuple[int, int], Span]:
    """The merged cells of a complete grid: origin (row, col) -> (rowspan, colspan).

    Positions not listed and not covered are plain cells. Only "" positions are ever covered.
    """
    n = len(grid)
    width = max((len(r) for r in grid), default=0)
    rows = [r + [""] * (width - len(r)) for r in grid]
    header = next((i for i, r in enumerate(rows) if any(_NUMBER.match(c) for c in r)), n)
    claimed = [[False] * width for _ in range(n)]
    # A blank with a label somewhere to its left in the same row belongs to that label's row.
    left = [[any(r[:c]) for c in range(width)] for r in rows]

    def free(r: int, c: int, *, down: bool = False) -> bool:
        return not rows[r][c] and not claimed[r][c] and not (down and r >= header and left[r][c])

    merges: dict[tuple[int, int], Span] = {}
    for r in range(n):
        for c in range(width):
            if claimed[r][c] or not rows[r][c]:
                continue
            if r < header:  # header rows: down first, then right
                rs = 1
                while r + rs < header and free(r + rs, c):
                    rs += 1
                cs = 1
                while c + cs < width and all(free(r + i, c + cs) for i in range(rs)):
                    cs += 1
            else:  # body rows: right first, then down over blanks no label to their left claims
                cs = 1
                while c + cs < width and free(r, c + cs):
                    cs += 1
                rs = 1
                while r + rs < n and all(free(r + rs, c + j, down=True) for j in range(cs)):
                    rs += 1
            for i in range(rs):
                for j in range(cs):
                    claimed[r + i][c + j] = True
            merges[(r, c)] = (rs, cs)
    return merges


def table_cells(full: Grid, shown: Grid) -> list[list[tuple[str, int, int]]]:
    """Rows of (text, rowspan, colspan) to print: the shape of `full`, the text of `shown`."""
    merges = merge_layout(full)
    covered: set[tuple[int, int]] = set()
    for (r, c), (rs, cs) in merges.items():
        covered |= {(r + i, c + j) for i in range(rs) for j in range(cs)} - {(r, c)}
    width = max(len(r) for r in full)
    out: list[list[tuple[str, int, int]]] = []
    for r, row in enumerate(shown):
        cells = []
        for c in range(width):
            if (r, c) in covered:
                continue
            rs, cs = merges.get((r, c), (1, 1))
            cells.append((row[c] if c < len(row) else "", rs, cs))
        out.append(cells)
    return out


def expand(rows: list[list[tuple[str, int, int]]]) -> Grid:
    """What a browser shows: the grid of printed rows (used to test the generator itself)."""
    placed: dict[tuple[int, int], str] = {}
    for r, cells in enumerate(rows):
        c = 0
        for text, rs, cs in cells:
            while (r, c) in placed:
                c += 1
            for i in range(rs):
                for j in range(cs):
                    placed[(r + i, c + j)] = text if (i, j) == (0, 0) else ""
            c += cs
    width = max(c for _, c in placed) + 1
    return [[placed.get((r, c), "") for c in range(width)] for r in range(len(rows))]


# ---------------------------------------------------------------------------------------------
# Text helpers


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def cut(text: str, rng: random.Random, pieces: int) -> list[str]:
    """`text` cut at random places into at most `pieces` non-empty parts."""
    if len(text) < 2 or pieces < 2:
        return [text]
    points = sorted(rng.sample(range(1, len(text)), min(pieces - 1, len(text) - 1)))
    return [text[a:b] for a, b in zip([0, *points], [*points, len(text)], strict=True)]


def _is_label(text: str) -> bool:
    return bool(text) and not _NUMBER.match(text)


# ---------------------------------------------------------------------------------------------
# Styles


def _trs_cell(text: str, rng: random.Random, style: str) -> str:
    if not text:
        return "&nbsp;" if rng.random() < 0.5 else ""
    if style == "br" and _is_label(text) and len(text) >= 2:
        parts = cut(text, rng, rng.randint(2, 3))
        if rng.random() < 0.5:
            return "".join(f'<p align="center">{esc(p)}</p>\n            ' for p in parts)
        return f'<p align="center">{"<br>".join(esc(p) for p in parts)}</p>'
    return f'<p align="center">{esc(text)}</p>'


def _trs_table(rows: list[list[tuple[str, int, int]]], rng: random.Random, style: str) -> str:
    out = ['<table width="100%" border="1" bordercolor="#000000" cellpadding="2" cellspacing="0">', "    <tbody>"]
    for cells in rows:
        out.append("        <tr>")
        for text, rs, cs in cells:
            attrs = (f' colspan="{cs}"' if cs > 1 else "") + (f' rowspan="{rs}"' if rs > 1 else "")
            out.append(
                f'            <td valign="center"{attrs}>\n            {_trs_cell(text, rng, style)}\n            </td>'
            )
        out.append("        </tr>")
    out += ["    </tbody>", "</table>"]
    return "\n".join(out)


def _trs_body(blocks: list[tuple[str, Any]], rng: random.Random, style: str, full: list[tuple[str, Any]]) -> str:
    out = []
    for (kind, content), (_, full_content) in zip(blocks, full, strict=True):
        if kind == "table":
            out.append(_trs_table(table_cells(full_content, content), rng, style))
        elif content in _HEADINGS:
            out.append(f"<p>\u3000\u3000<strong>{esc(content)}</strong>{'&nbsp;' if rng.random() < 0.5 else ''}</p>")
        else:
            out.append(f'<p align="left">\u3000\u3000{esc(content)}</p>')
    return "\n".join(out)


_CHROME_TOP = """<div class="bg"><div class="logo"><img src="/images/logo.png" alt=""><span>{agency}</span></div>
<div class="nav_box"><p><a href="../"><span>政府信息<br>公开年报</span></a></p>
<ul class="zlm"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/hdjl/">互动交流</a></li></ul></div>
<script type="text/javascript">var title = "一、总体情况"; document.write("<p>二、主动公开政府信息情况</p>");</script>
<!-- 三、收到和处理政府信息公开申请情况 -->
</div>"""
_CHROME_BOTTOM = """<div class="footer"><p>主办单位：{agency}　<a href="/wzdt/">网站地图</a></p>
<p>网站标识码：3500000001　闽ICP备05000000号</p><script>var _hmt = _hmt || []; // 1 2 3 4 5</script></div>"""


def _trs_page(values: Any, blocks: list[Any], full: list[Any], rng: random.Random, agency: str, style: str) -> str:
    title = blocks[0][1]
    body = _trs_body(blocks, rng, style, full)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="UTF-8">
    <meta name="ArticleTitle" content="{esc(title)}">
    <title>{esc(title)}_政府信息公开年报_{esc(agency)}</title>
    <link rel="stylesheet" href="../../../images/style.css">
    <style>.lips {{position: relative;}} /* 四、政府信息公开行政复议、行政诉讼情况 */</style>
</head>
<body>
{_CHROME_TOP.format(agency=esc(agency))}
<div class="zn_article"><div class="xl-top"><h1>
    {esc(title)}
</h1><div class="lips"><span>发布时间：2025-01-14 10:30</span><em>|</em><span>来源：{esc(agency)}</span>
<select id="fontS"><option value="2">大</option><option value="0">中</option></select></div></div>
<div class="xl_article"><div>
<div class=TRS_Editor>{body}</div>
</div></div></div>
{_CHROME_BOTTOM.format(agency=esc(agency))}
</body>
</html>
"""


# -- Word "Save as HTML" ----------------------------------------------------------------------

_FONTS = ("宋体", "仿宋_GB2312", "黑体", "楷体_GB2312")


def _word_runs(text: str, rng: random.Random, font: str, pieces: int = 3) -> str:
    out = []
    for part in cut(text, rng, rng.randint(1, pieces)):
        if part.isascii():
            out.append(f"<span lang=EN-US style='font-family:\"Times New Roman\";mso-fareast-font-family:{font}'>")
            out.append(f"{esc(part)}</span>")
        elif rng.random() < 0.5:
            out.append(f"<span style='font-family:{font};mso-ascii-font-family:\"Times New Roman\"'>")
            out.append(f"<font face={font}>{esc(part)}</font></span>")
        else:
            out.append(
                f"<span style='font-size:12.0pt;font-family:{font};mso-bidi-font-family:宋体'>{esc(part)}</span>"
            )
    return "".join(out)


def _word_cell(text: str, rng: random.Random) -> str:
    p = "<p class=MsoNormal align=center style='text-align:center;mso-line-height-rule:exactly'>"
    if not text:
        return f"{p}<span lang=EN-US><o:p>&nbsp;</o:p></span></p>"
    if _is_label(text) and len(text) >= 4 and rng.random() < 0.3:  # the label over two paragraphs
        a, b = cut(text, rng, 2)
        end = "<span lang=EN-US><o:p></o:p></span></p>"
        return f"{p}{_word_runs(a, rng, '宋体')}</p>\n  {p}{_word_runs(b, rng, '宋体')}{end}"
    pad = "&nbsp;" if rng.random() < 0.3 else ""
    return f"{p}{_word_runs(text, rng, '宋体')}{pad}<span lang=EN-US><o:p></o:p></span></p>"


def _word_table(rows: list[list[tuple[str, int, int]]], width: int, rng: random.Random) -> str:
    out = [
        "<div align=center>",
        "<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;"
        "border:none;mso-border-alt:solid windowtext .5pt;mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>",
    ]
    for i, cells in enumerate(rows):
        out.append(f" <tr style='mso-yfti-irow:{i};height:20.0pt'>")
        for text, rs, cs in cells:
            attrs = (f" colspan={cs}" if cs > 1 else "") + (f" rowspan={rs}" if rs > 1 else "")
            border = (
                "border:solid windowtext 1.0pt;border-top:none"
                if rng.random() < 0.5
                else "border:solid windowtext 1.0pt"
            )
            pad = "padding:0cm 5.4pt 0cm 5.4pt"
            out.append(f"  <td width={42 * cs}{attrs} style='{border};mso-border-alt:solid windowtext .5pt;{pad}'>")
            out.append(f"  {_word_cell(text, rng)}")
            out.append("  </td>")
        out.append(" </tr>")
    out.append(" <![if !supportMisalignedColumns]>")
    out.append(" <tr height=0>" + "".join("  <td width=42 style='border:none'></td>" for _ in range(width)) + " </tr>")
    out.append(" <![endif]>")
    out += ["</table>", "</div>"]
    return "\n".join(out)


def _word_page(values: Any, blocks: list[Any], full: list[Any], rng: random.Random, agency: str, style: str) -> str:
    body = []
    for i, ((kind, content), (_, full_content)) in enumerate(zip(blocks, full, strict=True)):
        if kind == "table":
            body.append(_word_table(table_cells(full_content, content), max(len(r) for r in full_content), rng))
            continue
        if i == 0:
            body.append(
                "<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:22.0pt;"
                f"font-family:方正小标宋简体'>{_word_runs(content, rng, '方正小标宋简体')}<span lang=EN-US><o:p></o:p>"
                "</span></span></b></p>"
            )
            continue
        font = "黑体" if content in _HEADINGS else rng.choice(_FONTS)
        indent = "<span style='mso-spacerun:yes'>&nbsp;&nbsp;&nbsp; </span>" if rng.random() < 0.5 else ""
        body.append(
            "<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt;mso-line-height-rule:exactly'>"
            f"{indent}{_word_runs(content, rng, font, 4)}<span lang=EN-US><o:p></o:p></span></p>"
        )
    return f"""<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns="http://www.w3.org/TR/REC-html40">

<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<title>{esc(blocks[0][1])}</title>
<!--[if gte mso 9]><xml>
 <o:DocumentProperties>
  <o:Author>一、总体情况</o:Author>
  <o:Pages>1</o:Pages>
 </o:DocumentProperties>
</xml><![endif]-->
<style>
<!--
 /* Style Definitions */
 p.MsoNormal, li.MsoNormal, div.MsoNormal
	{{mso-style-unhide:no;margin:0cm;text-align:justify;font-size:10.5pt;font-family:等线;}}
@page WordSection1 {{size:595.3pt 841.9pt;}}
-->
</style>
</head>

<body lang=ZH-CN style='tab-interval:21.0pt;word-wrap:break-word;text-justify-trim:punctuation'>

<div class=WordSection1 style='layout-grid:15.6pt'>

{chr(10).join(body)}

</div>

</body>

</html>
"""


# -- GBK ----------------------------------------------------------------------------------------


def _gbk_page(values: Any, blocks: list[Any], full: list[Any], rng: random.Random, agency: str, style: str) -> str:
    meta = (
        "<meta charset=gb2312>"
        if rng.random() < 0.5
        else '<meta http-equiv="Content-Type" content="text/html; charset=GBK">'
    )
    body = _trs_body(blocks, rng, style, full)
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
{meta}
<title>{esc(blocks[0][1])}</title>
</head>
<body>
<div class="main">
{body}
</div>
</body>
</html>
"""


# -- Layout table -------------------------------------------------------------------------------


def _layout_page(values: Any, blocks: list[Any], full: list[Any], rng: random.Random, agency: str, style: str) -> str:
    body = _trs_body(blocks, rng, style, full)
    return f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{esc(agency)}</title>
<script language="javascript">
document.write("<p>一、总体情况</p><table><tr><td>行政许可</td><td>99</td></tr></table>");</script>
<style type="text/css">td {{ font-size: 12px; }}</style>
</head>
<body leftmargin="0" topmargin="0">
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
  <tr>
    <td colspan="2" height="120" background="/images/top.jpg">
      <table width="100%" border="0"><tr>
        <td><a href="/">首页</a></td><td><a href="/zwgk/">政务公开</a></td><td><a href="/bsfw/">办事服务</a></td>
      </tr></table>
    </td>
  </tr>
  <tr>
    <td width="200" valign="top">
      <ul><li><a href="/tzgg/">通知公告</a></li><li><a href="/gzdt/">工作动态</a></li></ul>
      <script>var menu = ["三、收到和处理政府信息公开申请情况", "行政复议", 1, 2, 3];</script>
    </td>
    <td width="800" valign="top">
      <!-- 六、其他需要报告的事项 -->
      <div class="content">
{body}
      </div>
    </td>
  </tr>
  <tr>
    <td colspan="2" align="center"><div class="footer">版权所有：{esc(agency)}　技术支持：某某网络公司<br>
    <noscript>您的浏览器不支持脚本</noscript></div><script>var _hmt = 1;</script></td>
  </tr>
</table>
</body>
</html>
"""


_PAGES = {"trs": _trs_page, "word": _word_page, "gbk": _gbk_page, "layout": _layout_page, "br": _trs_page}


def write_html(
    values: Mapping[str, Value],
    style: str,
    *,
    seed: int = 0,
    agency: str = "某某镇人民政府",
    year: int = 2024,
    missing: Iterable[str] = (),
) -> bytes:
    """A complete report with `values` as a web page in `style`, as the bytes of the file."""
    if style not in _PAGES:
        raise ValueError(f"unknown style {style!r}; expected one of {STYLES}")
    rng = random.Random(seed)
    full = report_blocks(values, agency, year)
    blocks = report_blocks(values, agency, year, missing)
    page = _PAGES[style](values, blocks, full, rng, agency, style)
    return page.encode("gbk" if style == "gbk" else "utf-8")
