"""Synthetic annual reports as PDF: `tests.generate.report_blocks` → HTML with bordered tables → WeasyPrint.

Merged cells follow the official layout and are derived from the table grid of the *complete*
report (every value printed), so a missing value never changes the table's structure:

- a label or header cell spans the empty positions to its right (``colspan``);
- in header rows (rows without numbers), a cell spans the empty positions below it that are
  header rows too (the 表三 corner note, 申请人情况 › 总计, 表四 结果维持 …);
- in data rows, a label alone in its column (colspan 1) spans the empty positions below it
  unless the row below has a label just left of it (which spans right instead, as （七）总计
  does): the row groups of 表三 (三、本年度办理结果, （三）不予公开 …);
- a number spans the empty positions to its right (表二 行政许可 | 131 | "" | "").

Variants: ``long_prose`` puts enough text before 表三 to break it across pages; ``narrow_labels``
makes the label columns narrow so row labels wrap over several lines inside their cells.
"""

from __future__ import annotations

import html
import io
import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tests.generate import SPEC, Row, Value, random_consistent_tables, report_blocks

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")

_CSS = """
@page { size: A4; margin: 2cm 1.8cm; }
body { font-family: "Noto Serif CJK SC", serif; font-size: 11pt; line-height: 1.5; }
p { margin: 0.3em 0; text-indent: 2em; }
h1 { font-size: 16pt; text-align: center; font-family: "Noto Sans CJK SC", sans-serif; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0; font-size: 8pt; line-height: 1.25; }
td { border: 0.75pt solid #000; padding: 2pt 3pt; text-align: center; vertical-align: middle; }
td.label { text-align: left; }
"""

_NARROW_CSS = """
table.t3 { table-layout: fixed; font-size: 9pt; }
"""
_NARROW_COLS = (4.0, 4.0, 6.0)  # em: the three label columns of 表三 when `narrow_labels`
_PAGE_NUMBER_CSS = '@page { @bottom-center { content: "- " counter(page) " -"; font-size: 9pt; } }'


@dataclass(frozen=True)
class Span:
    row: int
    col: int
    rowspan: int
    colspan: int


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text))


def grid_spans(grid: list[Row]) -> list[Span]:
    """The merged cells of a complete table grid (see the module docstring), in row-major order."""
    nrows, ncols = len(grid), len(grid[0])
    header = [not any(_is_number(c) for c in row) for row in grid]
    covered = [[False] * ncols for _ in range(nrows)]
    spans: list[Span] = []
    for r in range(nrows):
        for c in range(ncols):
            if covered[r][c]:
                continue
            text = grid[r][c]
            if not text:
                covered[r][c] = True
                spans.append(Span(r, c, 1, 1))  # an empty cell of its own
                continue
            colspan = 1
            while c + colspan < ncols and not grid[r][c + colspan] and not covered[r][c + colspan]:
                colspan += 1
            rowspan = 1
            if header[r] or (colspan == 1 and not _is_number(text)):
                while r + rowspan < nrows and (header[r + rowspan] or not header[r]):
                    below = grid[r + rowspan][c : c + colspan]
                    if any(below) or any(covered[r + rowspan][c : c + colspan]):
                        break
                    if header[r] != header[r + rowspan]:
                        break
                    if not header[r] and c > 0 and grid[r + rowspan][c - 1]:
                        break  # a label on the left of the row below spans into this column
                    rowspan += 1
            for rr in range(r, r + rowspan):
                for cc in range(c, c + colspan):
                    covered[rr][cc] = True
            spans.append(Span(r, c, rowspan, colspan))
    return spans


def _table_html(
    full: list[Row], printed: list[Row], css_class: str, *, narrow: bool = False, repeat_header: bool = False
) -> str:
    spans = grid_spans(full)
    header_rows = 0
    while header_rows < len(full) and not any(_is_number(c) for c in full[header_rows]):
        header_rows += 1
    data_rows = {r for r, row in enumerate(full) if any(_is_number(c) for c in row)}
    rows: list[list[str]] = [[] for _ in full]
    for s in spans:
        attrs = ""
        if s.rowspan > 1:
            attrs += f' rowspan="{s.rowspan}"'
        if s.colspan > 1:
            attrs += f' colspan="{s.colspan}"'
        if s.row in data_rows and full[s.row][s.col] and not _is_number(full[s.row][s.col]):
            attrs += ' class="label"'
        rows[s.row].append(f"<td{attrs}>{html.escape(printed[s.row][s.col])}</td>")
    cols = ""
    if narrow:
        widths = [f"{w}em" for w in _NARROW_COLS] + ["auto"] * (len(full[0]) - len(_NARROW_COLS))
        cols = "<colgroup>" + "".join(f'<col style="width: {w}">' for w in widths) + "</colgroup>\n"
    trs = [f"<tr>{''.join(cells)}</tr>" for cells in rows]
    if repeat_header and header_rows:
        head = "<thead>" + "\n".join(trs[:header_rows]) + "</thead>\n"
        body = head + "<tbody>" + "\n".join(trs[header_rows:]) + "</tbody>"
    else:
        body = "\n".join(trs)
    return f'<table class="{css_class}">\n{cols}{body}\n</table>'


_FILLER = (
    "本机关坚持以公开为常态、不公开为例外，围绕群众关切和重点领域持续深化政务公开，"
    "完善政府信息公开工作制度，规范依申请公开办理流程，加强对政府网站信息发布的日常监测和审核把关，"
    "推动政策文件解读与发布同步部署、同步推进，积极回应社会关切，不断提升政府工作透明度。"
)


def report_html(
    values: Mapping[str, Value],
    agency: str = "某某镇人民政府",
    year: int = 2024,
    missing: Iterable[str] = (),
    *,
    long_prose: bool = False,
    narrow_labels: bool = False,
    repeat_header: bool = False,
    page_numbers: bool = False,
    sans: bool = False,
) -> str:
    """A complete report as an HTML document (A4, CJK fonts, bordered tables with merged cells).

    `repeat_header` puts the header rows of every table in a <thead>, which WeasyPrint repeats
    on each page the table continues on; `page_numbers` prints "- n -" at the foot of each page.
    """
    full_blocks = report_blocks(values, agency, year)
    printed_blocks = report_blocks(values, agency, year, missing)
    parts: list[str] = []
    table_no = 0
    t3_heading = SPEC.sections[2].heading
    for (kind, full), (_, printed) in zip(full_blocks, printed_blocks, strict=True):
        if kind == "table":
            table_no += 1
            name = f"t{table_no + 1}"
            narrow = narrow_labels and name == "t3"
            parts.append(_table_html(full, printed, name, narrow=narrow, repeat_header=repeat_header))
        elif full == f"{agency}{year}年政府信息公开工作年度报告":
            parts.append(f"<h1>{html.escape(full)}</h1>")
        else:
            parts.append(f"<p>{html.escape(full)}</p>")
            if long_prose and full == t3_heading:
                parts += [f"<p>{_FILLER}</p>"] * 9
    css = _CSS + (_NARROW_CSS if narrow_labels else "") + (_PAGE_NUMBER_CSS if page_numbers else "")
    if sans:
        css = css.replace('"Noto Serif CJK SC", serif', '"Noto Sans CJK SC", sans-serif')
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<style>{css}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>"
    )


def render_pdf(document: str, *, uncompressed: bool = False) -> bytes:
    """The PDF of an HTML document; `uncompressed`: its streams written plain (a fuzzer edits them)."""
    import weasyprint  # type: ignore[import-untyped]  # imported here: slow to import, and only the PDF tests need it

    pdf = weasyprint.HTML(string=document).write_pdf(uncompressed_pdf=uncompressed)
    assert pdf is not None
    return bytes(pdf)


def report_pdf(
    seed: int,
    missing: Iterable[str] = (),
    *,
    long_prose: bool = False,
    narrow_labels: bool = False,
    repeat_header: bool = False,
    page_numbers: bool = False,
    sans: bool = False,
) -> tuple[dict[str, int | Decimal], bytes]:
    """(values, PDF bytes) of the random consistent report of `seed`; the variants: see `report_html`."""
    values = random_consistent_tables(random.Random(seed))
    document = report_html(
        values,
        missing=missing,
        long_prose=long_prose,
        narrow_labels=narrow_labels,
        repeat_header=repeat_header,
        page_numbers=page_numbers,
        sans=sans,
    )
    return values, render_pdf(document)


Seal = tuple[int, float, float]  # (page index, -1 for the last; centre x and y as shares of the page)
SEAL_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"


def scanned_pdf(
    pdf: bytes,
    *,
    dpi: int = 200,
    degrees: float = 0.0,
    noise: float = 0.0,
    seed: int = 0,
    seals: Iterable[Seal] = (),
) -> bytes:
    """`pdf` as a scanner would return it: every page an image only (no text layer) at `dpi`, turned
    by `degrees` (counter-clockwise) and, with `noise` > 0, on a grey paper with Gaussian grain of
    that standard deviation (grey levels; fixed `seed`). With `seals`, a colour scan with a red
    official seal (公章, 4 cm) stamped at each place given, over whatever is printed there."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    seals = list(seals)
    images = []
    document = pdfium.PdfDocument(pdf)
    rng = np.random.default_rng(seed)
    for number, page in enumerate(document):
        if seals:
            image = page.render(scale=dpi / 72, rev_byteorder=True).to_pil().convert("RGB")
            for where, x, y in seals:
                if where == number or (where == -1 and number == len(document) - 1):
                    image = stamp_seal(image, (int(image.width * x), int(image.height * y)), int(dpi * 0.8))
        else:
            image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        if degrees:
            image = image.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor="white")
        if noise:
            pixels = np.asarray(image, dtype=np.float32)
            grain = rng.normal(0, noise, (image.height, image.width))
            grey = pixels * 0.85 + 20 + (grain[:, :, None] if pixels.ndim == 3 else grain)
            image = Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8))
        images.append(image)
    document.close()
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def stamp_seal(image: Any, centre: tuple[int, int], radius: int, text: str = "某某镇人民政府") -> Any:
    """`image` (RGB) with a red round seal stamped on it: a ring, a five-pointed star and the
    agency's name along the upper arc, printed as ink prints (multiplied: black stays black)."""
    import math

    from PIL import Image, ImageChops, ImageDraw, ImageFont

    cx, cy = centre
    red = (220, 30, 30, 200)
    layer = Image.new("RGBA", image.size, (255, 255, 255, 255))
    draw = ImageDraw.Draw(layer)
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=red, width=max(4, radius // 14))
    star = [
        (cx + r * math.cos(a), cy + r * math.sin(a))
        for k in range(10)
        for a, r in [(-math.pi / 2 + k * math.pi / 5, radius * (0.28 if k % 2 == 0 else 0.11))]
    ]
    draw.polygon(star, fill=red)
    font = ImageFont.truetype(SEAL_FONT, int(radius * 0.28))
    for i, ch in enumerate(text):
        angle = math.radians(-150 + 120 * i / max(1, len(text) - 1))
        glyph = Image.new("RGBA", (int(radius * 0.4),) * 2, (255, 255, 255, 0))
        ImageDraw.Draw(glyph).text((0, 0), ch, font=font, fill=red)
        glyph = glyph.rotate(-math.degrees(angle) - 90, expand=True)
        x, y = cx + radius * 0.72 * math.cos(angle), cy + radius * 0.72 * math.sin(angle)
        layer.alpha_composite(glyph, (int(x - glyph.width / 2), int(y - glyph.height / 2)))
    return ImageChops.multiply(image.convert("RGB"), layer.convert("RGB"))


def table_screenshots(values: Mapping[str, Value], dpi: int = 200) -> list[tuple[bytes, float]]:
    """表二, 表三 and 表四 of the report of `values` as screenshots: each table rendered alone,
    rasterised at `dpi` and cut to its ink; (PNG bytes, printed width in cm) per table."""
    import pypdfium2 as pdfium

    head, body = report_html(values).split("<body>", 1)
    shots = []
    for table in re.findall(r"<table.*?</table>", body, flags=re.S):
        page = pdfium.PdfDocument(render_pdf(f"{head}<body>{table}</body></html>"))[0]
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        left, top, right, bottom = image.point(lambda v: 255 if v < 250 else 0).getbbox()  # type: ignore[misc]
        image = image.crop((left - 6, top - 6, right + 6, bottom + 6))
        out = io.BytesIO()
        image.save(out, "PNG")
        shots.append((out.getvalue(), image.width / dpi * 2.54))
    return shots


def table_pictures_pdf(seed: int, pictures: Iterable[str] = ("t3", "t4")) -> tuple[dict[str, Value], bytes]:
    """(values, PDF) of the report of `seed` with the tables named in `pictures` pasted in as
    screenshots (`table_screenshots`) at their printed size; the rest keeps its text layer."""
    import base64

    values, _ = report_pdf(seed)
    head, body = report_html(values).split("<body>", 1)
    tables = re.findall(r"<table.*?</table>", body, flags=re.S)
    for name, table, (png, width_cm) in zip(("t2", "t3", "t4"), tables, table_screenshots(values), strict=True):
        if name in pictures:
            uri = "data:image/png;base64," + base64.b64encode(png).decode()
            body = body.replace(table, f'<p><img src="{uri}" style="width: {width_cm:.2f}cm"></p>', 1)
    return values, render_pdf(f"{head}<body>{body}")


# ---------------------------------------------------------------------------------------------
# Forms published reports really take (issue 19 §2)

_BORDERLESS_CSS = "td { border: none; padding: %s; }%s"


def borderless_html(
    document: str, *, padding: str = "2pt 3pt", centred: bool = False, blank_first_page: bool = False
) -> str:
    """`document` (from `report_html`) as a CMS page whose tables have `border="0"` and no CSS
    borders, printed by a browser: no rulings at all, columns only by the positions of the text.
    `padding` of the cells (a browser's default is 1px), `centred`: every cell centred (labels
    too), `blank_first_page`: the print starts with an empty page."""
    css = _BORDERLESS_CSS % (padding, " td.label { text-align: center; }" if centred else "")
    out = document.replace("</style>", css + "</style>", 1).replace("<table class=", '<table border="0" class=')
    if blank_first_page:
        out = out.replace("<body>\n", '<body>\n<div style="break-after: page"></div>\n', 1)
    return out


_WPS_CSS = """
td { border: 0.48pt solid #000; background: #fff; }
table tr:nth-child(-n+%d) td { background: #d9d9d9; font-weight: bold; }
td.upright { width: 1.2em; padding: 1pt; }
"""


def wps_html(document: str, *, header_rows: int = 1, rotated: bool = False, own_page: bool = False) -> str:
    """`document` (from `report_html`) drawn as WPS 文字 exports 表三: 0.48 pt rulings, white cell
    fills, grey bold first rows (`header_rows`), and 三、本年度办理结果 as upright characters one
    under the other in its merged cell, vertically centred (`rotated`: turned a quarter
    anticlockwise). `own_page`: 表三 starts a page, so the merged cell is not cut by a page
    break and its characters stand beside the rows in the middle of the table (（三）不予公开)."""
    label = "三、本年度办理结果"
    if rotated:  # (WeasyPrint has no writing-mode: the text is turned by a transform)
        cell = (
            '<td class="upright" style="height: 12em"><div style="transform: rotate(-90deg); '
            f'white-space: nowrap; width: 1em; margin: auto">{label}</div></td>'
        )
    else:
        cell = '<td class="upright">' + "<br>".join(label) + "</td>"
    out = re.sub(
        r"<td([^>]*)>" + re.escape(label) + "</td>",
        lambda m: cell.replace("<td", "<td" + m.group(1).replace(' class="label"', ""), 1),
        document,
        count=1,
    )
    css = (_WPS_CSS % header_rows) + ("table.t3 { break-before: page; }" if own_page else "")
    return out.replace("</style>", css + "</style>", 1)
