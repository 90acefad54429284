"""Synthetic Word reports for the DOCX reader's tests, built two ways from `tests.generate.report_blocks`.

- `python_docx_report`: python-docx writes the paragraphs and tables, then merges the cells the
  official form merges (derived from the grids: see `merge_plan`);
- `handwritten_report`: WordprocessingML written by hand into a minimal package, with the same
  merges as `w:gridSpan`/`w:vMerge`, and the markup real Word/WPS files carry: text split over
  runs, line breaks inside header cells, cells of several paragraphs, tracked insertions and
  deletions, simple and complex fields, a text box (`mc:AlternateContent` with both a Choice and
  a Fallback), bookmarks, hyperlinks, smart tags and content controls.

`package(body_xml)` wraps any body XML into a .docx for the tests of single features;
`chunk_package` makes a Word file of embedded documents (`w:altChunk`), as web sites export them.
"""

from __future__ import annotations

import io
import quopri
import random
import zipfile
from collections.abc import Iterable, Mapping
from xml.sax.saxutils import escape

import docx
from docx.table import _Cell

from .generate import SPEC, Block, Row, Value, report_blocks

SENTINEL = "\x00"  # marks the value positions of a grid (see `value_masks`)

Rect = tuple[int, int, int, int]  # (row, col, height, width) of a merged cell

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (
    f'xmlns:w="{W_NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'mc:Ignorable="w14"'
)
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    "</Relationships>"
)


# ---------------------------------------------------------------------------------------------
# Grids and merges


def value_masks() -> list[list[Row]]:
    """The grids of the three tables with every value position holding SENTINEL."""
    blocks = report_blocks(dict.fromkeys(SPEC.cells, SENTINEL))
    return [content for kind, content in blocks if kind == "table"]


def merge_plan(mask: list[Row]) -> list[Rect]:
    """The merged cells of a table, read from its grid as the official form merges them.

    A label followed by "" positions spans them (gridSpan). A header label (in a row without
    values) or a row-group label (one with a label to its right) whose positions below are ""
    spans those rows too (vMerge); a row label never spans down. A value spans only the ""
    padding after it. Value positions (SENTINEL in `mask`) are never covered, so a missing value
    stays its own empty cell.
    """
    rows, cols = len(mask), max(len(r) for r in mask)
    grid = [list(r) + [""] * (cols - len(r)) for r in mask]
    covered = [[False] * cols for _ in range(rows)]
    plan: list[Rect] = []
    for r in range(rows):
        for c in range(cols):
            if covered[r][c] or not grid[r][c]:
                continue
            w = 1
            while c + w < cols and not grid[r][c + w] and not covered[r][c + w]:
                w += 1
            h = 1
            # Down: labels of header rows, and row-group labels (a label to their right) in the body.
            header_row = SENTINEL not in grid[r]
            group = c + w < cols and grid[r][c + w] not in ("", SENTINEL)
            if grid[r][c] != SENTINEL and (header_row or group):
                while r + h < rows and all(not grid[r + h][k] and not covered[r + h][k] for k in range(c, c + w)):
                    h += 1
            for i in range(r, r + h):
                for k in range(c, c + w):
                    covered[i][k] = True
            if h > 1 or w > 1:
                plan.append((r, c, h, w))
    return plan


def _blocks_with_plans(
    values: Mapping[str, Value], agency: str, year: int, missing: Iterable[str]
) -> list[tuple[Block, list[Rect]]]:
    blocks = report_blocks(values, agency, year, missing)
    masks = iter(value_masks())
    out: list[tuple[Block, list[Rect]]] = []
    for kind, content in blocks:
        if kind == "table":
            mask = next(masks)
            assert [len(r) for r in mask] == [len(r) for r in content]
            out.append(((kind, content), merge_plan(mask)))
        else:
            out.append(((kind, content), []))
    return out


# ---------------------------------------------------------------------------------------------
# (a) python-docx


def python_docx_report(
    values: Mapping[str, Value], agency: str = "某某镇人民政府", year: int = 2024, missing: Iterable[str] = ()
) -> bytes:
    """A report written by python-docx, merged cells merged with `_Cell.merge`."""
    document = docx.Document()
    for (kind, content), plan in _blocks_with_plans(values, agency, year, missing):
        if kind == "p":
            document.add_paragraph(content)
            continue
        grid: list[Row] = content
        width = max(len(r) for r in grid)
        table = document.add_table(rows=len(grid), cols=width)
        table.style = "Table Grid"
        # Collect every cell once before merging (`Table.cell()` walks the table on each call).
        cells: list[list[_Cell]] = [list(row.cells) for row in table.rows]
        for r, row in enumerate(grid):
            for c, text in enumerate(row):
                if text:
                    cells[r][c].text = text
        for r, c, h, w in plan:
            cells[r][c].merge(cells[r + h - 1][c + w - 1])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


VERTICAL_LABEL = "三、本年度办理结果"


def vertical_labels_report(
    values: Mapping[str, Value],
    agency: str = "某某镇人民政府",
    year: int = 2024,
    missing: Iterable[str] = (),
    *,
    direction: str = "tbRl",
    groups: bool = True,
) -> bytes:
    """`python_docx_report` with 表三's merged first-column cell 三、本年度办理结果 written
    vertically (`w:textDirection` `direction`: "tbRl", turned clockwise and read down the page,
    or "btLr", turned anticlockwise and read up it), as WPS and Word users set it; with `groups`,
    the row-group labels merged down their rows (（三）不予公开 … （六）其他处理, vMerge) vertical too."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(python_docx_report(values, agency, year, missing)))
    table = next(t for t in document.tables if any(VERTICAL_LABEL in c.text for c in t.columns[0].cells))
    turned: list[_Cell] = []
    for row in table.rows:
        for cell in row.cells:
            tc = cell._tc
            text = cell.text
            merged_down = tc.tcPr is not None and tc.tcPr.find(qn("w:vMerge")) is not None
            is_group = groups and merged_down and text.startswith("（") and tc.grid_offset == 1
            if (text == VERTICAL_LABEL or is_group) and all(c._tc is not tc for c in turned):
                turned.append(cell)
    for cell in turned:
        element = OxmlElement("w:textDirection")
        element.set(qn("w:val"), direction)
        cell._tc.get_or_add_tcPr().append(element)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# (b) hand-written WordprocessingML


def package(body_xml: str, *, extra: Mapping[str, bytes | str] | None = None) -> bytes:
    """A minimal .docx whose `w:body` holds `body_xml` (namespaces w, r, mc, wp, a, wps, v, o, w14)."""
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f"<w:document {NAMESPACES}><w:body>{body_xml}<w:sectPr/></w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return out.getvalue()


def run(text: str, *, rpr: str = "") -> str:
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(inner: str) -> str:
    return f"<w:p>{inner}</w:p>"


def text_box(text: str) -> str:
    """A run holding a floating text box, as Word 2010+ writes it: DrawingML Choice, VML Fallback."""
    content = f"<w:txbxContent>{para(run(text))}</w:txbxContent>"
    return (
        "<w:r><mc:AlternateContent>"
        '<mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="1" name="文本框 1"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f'<mc:Fallback><w:pict><v:shape id="tb1"><v:textbox>{content}</v:textbox></v:shape></w:pict></mc:Fallback>'
        "</mc:AlternateContent></w:r>"
    )


def complex_field(instruction: str, result: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{escape(instruction)}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{run(result)}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def _split_runs(text: str, rng: random.Random) -> str:
    """`text` as 1–3 runs cut at random places (numbers included), sometimes with a bookmark between."""
    if len(text) < 2:
        return run(text)
    cuts = sorted(rng.sample(range(1, len(text)), min(len(text) - 1, rng.randint(0, 2))))
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    out = []
    for i, piece in enumerate(pieces):
        if i and rng.random() < 0.2:
            out.append(f'<w:bookmarkStart w:id="{i}" w:name="_bm{i}"/><w:bookmarkEnd w:id="{i}"/>')
        if i and rng.random() < 0.2:
            out.append('<w:proofErr w:type="spellStart"/>')
        out.append(run(piece, rpr="<w:rPr><w:b/></w:rPr>" if rng.random() < 0.3 else ""))
    return "".join(out)


def _line_pieces(text: str, rng: random.Random) -> list[str]:
    """Cut a header label into 2–3 lines (as narrow header cells print 社会/公益/组织), never inside Latin text."""
    places = [i for i in range(1, len(text)) if not (text[i - 1].isascii() and text[i].isascii())]
    if len(text) < 4 or not places:
        return [text]
    cuts = sorted(rng.sample(places, min(len(places), rng.randint(1, 2))))
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]


def _cell_xml(text: str, *, span: int, vmerge: str | None, header: bool, value: bool, rng: random.Random) -> str:
    props = []
    if span > 1:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    if vmerge == "restart":
        props.append('<w:vMerge w:val="restart"/>')
    elif vmerge == "continue":
        props.append("<w:vMerge/>")
    tcpr = f"<w:tcPr>{''.join(props)}</w:tcPr>" if props else ""
    if vmerge == "continue" or not text:
        return f"<w:tc>{tcpr}<w:p/></w:tc>"
    if header:  # line breaks inside the cell's one paragraph
        lines = _line_pieces(text, rng)
        body = para("<w:r><w:br/></w:r>".join(_split_runs(piece, rng) for piece in lines))
    elif value and rng.random() < 0.25:  # the old number deleted, the new one inserted (tracked)
        old = str(rng.randint(1, 999))
        body = para(
            f'<w:del w:id="1" w:author="审核人"><w:r><w:delText>{escape(old)}</w:delText></w:r></w:del>'
            f'<w:ins w:id="2" w:author="审核人">{_split_runs(text, rng)}</w:ins>'
        )
    elif not value and len(text) >= 6 and rng.random() < 0.3:  # a row label in two paragraphs
        cut = rng.choice([i for i in range(2, len(text) - 1) if not (text[i - 1].isascii() and text[i].isascii())])
        body = para(_split_runs(text[:cut], rng)) + para(_split_runs(text[cut:], rng))
    else:
        body = para(_split_runs(text, rng))
    return f"<w:tc>{tcpr}{body}</w:tc>"


def table_xml(grid: list[Row], plan: list[Rect], rng: random.Random, mask: list[Row] | None = None) -> str:
    """A table from a grid and its merges: gridSpan for the width, vMerge restart/continue for the height."""
    width = max(len(r) for r in grid)
    origin: dict[tuple[int, int], Rect] = {}
    below: dict[tuple[int, int], Rect] = {}  # first column of a continuation row -> its merge
    hidden: set[tuple[int, int]] = set()  # positions covered by a gridSpan in their row
    for rect in plan:
        r, c, h, w = rect
        origin[(r, c)] = rect
        for i in range(r, r + h):
            if i > r:
                below[(i, c)] = rect
            hidden.update((i, k) for k in range(c + 1, c + w))
    header_rows = set(range(len(grid)))
    if mask is not None:
        header_rows = {i for i, row in enumerate(mask) if SENTINEL not in row}
    rows_xml = []
    for r, row in enumerate(grid):
        row = list(row) + [""] * (width - len(row))
        tcs = []
        for c, text in enumerate(row):
            if (r, c) in hidden:
                continue
            value = mask is not None and c < len(mask[r]) and mask[r][c] == SENTINEL
            if (r, c) in origin:
                _, _, h, w = origin[(r, c)]
                vm = "restart" if h > 1 else None
                tcs.append(_cell_xml(text, span=w, vmerge=vm, header=r in header_rows, value=value, rng=rng))
            elif (r, c) in below:
                _, _, _, w = below[(r, c)]
                tcs.append(_cell_xml("", span=w, vmerge="continue", header=False, value=False, rng=rng))
            else:
                tcs.append(_cell_xml(text, span=1, vmerge=None, header=r in header_rows, value=value, rng=rng))
        rows_xml.append(f"<w:tr>{''.join(tcs)}</w:tr>")
    cols = "".join('<w:gridCol w:w="900"/>' for _ in range(width))
    props = '<w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
    return f"<w:tbl>{props}<w:tblGrid>{cols}</w:tblGrid>{''.join(rows_xml)}</w:tbl>"


def handwritten_report(
    values: Mapping[str, Value],
    agency: str = "某某镇人民政府",
    year: int = 2024,
    missing: Iterable[str] = (),
    seed: int = 0,
    frame: bool = False,
) -> bytes:
    """A report in hand-written WordprocessingML with the markup of real Word/WPS files (see module doc).

    `frame=True` wraps the whole report in a one-cell layout table, as some CMS exports do.
    """
    rng = random.Random(seed)
    masks = iter(value_masks())
    blocks = _blocks_with_plans(values, agency, year, missing)
    body: list[str] = []
    last = len(blocks) - 1
    for i, ((kind, content), plan) in enumerate(blocks):
        if kind == "table":
            body.append(table_xml(content, plan, rng, next(masks)))
            continue
        text: str = content
        if i == 0:  # the title: the agency as a simple field result inside a smart tag, then a bookmark
            assert text.startswith(agency)
            body.append(
                para(
                    '<w:bookmarkStart w:id="0" w:name="_GoBack"/>'
                    f'<w:fldSimple w:instr=" DOCPROPERTY Company \\* MERGEFORMAT ">{run(agency)}</w:fldSimple>'
                    f'<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="date">'
                    f"{_split_runs(text[len(agency) :], rng)}</w:smartTag>"
                    '<w:bookmarkEnd w:id="0"/>'
                )
            )
        elif i == last:  # the date: a DATE field whose result is the printed date
            body.append(para(complex_field(' DATE \\@ "yyyy年M月d日" ', text)))
        elif i == last - 1:  # the signature in a text box anchored in an empty paragraph
            body.append(para(text_box(text)))
        elif text.startswith(("一、", "四、")):  # a heading in a block-level content control
            control = para(_split_runs(text, rng))
            body.append(
                f'<w:sdt><w:sdtPr><w:alias w:val="标题"/></w:sdtPr><w:sdtContent>{control}</w:sdtContent></w:sdt>'
            )
        elif len(text) > 30:  # prose: an insertion, a deletion, a hyperlink, a run of hidden text
            cut = len(text) // 3
            body.append(
                para(
                    _split_runs(text[:cut], rng)
                    + '<w:del w:id="3" w:author="审核人"><w:r><w:delText>（删除的文字）</w:delText></w:r></w:del>'
                    + f'<w:ins w:id="4" w:author="审核人">{run(text[cut : 2 * cut])}</w:ins>'
                    + f'<w:hyperlink r:id="rId99">{run(text[2 * cut :])}</w:hyperlink>'
                    + run("隐藏的批注文字", rpr="<w:rPr><w:vanish/></w:rPr>")
                )
            )
        else:
            body.append(para(_split_runs(text, rng)))
    if frame:
        return package(f"<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:tc>{''.join(body)}</w:tc></w:tr></w:tbl>")
    return package("".join(body))


# (c) Word files made of embedded documents (w:altChunk), as web sites' "下载 Word" buttons make them

AF_CHUNK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk"


def alt_chunk(rid: str) -> str:
    return f'<w:altChunk r:id="{rid}"/>'


def mht_page(html: bytes) -> bytes:
    """A page as html-docx-js wraps it: a one-part MIME archive, quoted-printable, UTF-8."""
    return (
        b'MIME-Version: 1.0\nContent-Type: multipart/related;\n    type="text/html";\n'
        b'    boundary="----=mhtDocumentPart"\n\n\n------=mhtDocumentPart\nContent-Type: text/html;\n'
        b'    charset="utf-8"\nContent-Transfer-Encoding: quoted-printable\n'
        b"Content-Location: file:///C:/fake/document.html\n\n"
        + quopri.encodestring(html)
        + b"\n\n------=mhtDocumentPart--\n"
    )


def chunk_package(body_xml: str, chunks: Mapping[str, tuple[str, bytes]], *, external: Iterable[str] = ()) -> bytes:
    """A .docx whose body is `body_xml` (with `alt_chunk(rid)` elements) and whose main part relates
    each rid of `chunks` to (target as written in the relationship, part bytes); a target starting
    with "/" is absolute, else relative to word/. `external` rids link outside the package."""
    rels = "".join(
        f'<Relationship Id="{rid}" Type="{AF_CHUNK}" Target="{target}"/>' for rid, (target, _) in chunks.items()
    ) + "".join(
        f'<Relationship Id="{rid}" Type="{AF_CHUNK}" Target="file:///C:/x.htm" TargetMode="External"/>'
        for rid in external
    )
    extra: dict[str, bytes | str] = {
        "word/_rels/document.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>'
        )
    }
    for target, data in chunks.values():
        extra[target.lstrip("/") if target.startswith("/") else f"word/{target}"] = data
    return package(body_xml, extra=extra)
