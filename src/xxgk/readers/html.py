"""Web pages (.html/.htm, Word "Save as HTML", pages saved by a browser): read with lxml.

(Single-file pages, .mhtml/.mht, are MIME archives: `xxgk.readers.mhtml` takes the page out and
hands it to this reader.)

The page becomes the same "lines of cells" as a TXT report in the TAB-row layout:

- prose: every block element outside a data table (`p`, `div` text, `h1`–`h6`, `li`, …) is one
  line with one cell; a `<br>` starts a new line. `<script>`, `<style>`, `<head>`, form widgets,
  comments and Word's conditional comments (`<!--[if gte mso 9]>…`) are dropped; the content of
  Word's downlevel-revealed conditionals (`<![if !supportLists]>1.<![endif]>`) is kept, as a
  browser shows it;
- a data table row is one line with one cell per grid column. `rowspan`/`colspan` are expanded
  here: the merged cell's text at its first position, "" at every position it covers, every row
  padded to the table's width. Absurd spans (`rowspan="999"`) are clamped to the table's real
  size, and a header row that repeats the cells spanning into it from the row above (a Word export
  fault) is deduplicated. The paragraphs, `<br>` lines and `<span>` runs of one cell are joined
  without a space (社会/公益/组织 → 社会公益组织) except between two Latin letters or digits;
- a table that contains tables, or a one- or two-column table holding long text, is a layout
  frame: its cells are read as body (prose and tables, in document order);
- when the page has an obvious article container (TRS `TRS_Editor`, `#zoom`, `.article-content`,
  …) holding every data table and most of the page's non-link text, only the container is read,
  preceded by the article heading (`h1`) above it; site menus and footers are left out. Otherwise
  the whole `<body>` is read (the recogniser ignores text outside the report's sections).

Charset: a byte-order mark; else UTF-8 when the bytes are valid UTF-8; else the charset declared in
`<meta charset>`/`http-equiv` or the XML declaration (GB2312/GBK decoded as GB18030); else the
detection of `xxgk.readers.decode`.

Provenance: `line` is the source line of the element (for a covered grid position: of its `<tr>`);
table cells add `table` (0-based, data tables in document order), `row` and `cell` (grid indices).
All work is linear in the size of the page: the tree is walked iteratively (no recursion limit),
and the expanded grid of a table is bounded.
"""

from __future__ import annotations

import base64
import codecs
import itertools
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from lxml import etree

from xxgk.errors import UnreadableInputError
from xxgk.format.normalize import normalize_text
from xxgk.readers.base import RawCell, RawDocument, RawLine, length_cm, may_hold_table, style_declarations
from xxgk.readers.decode import decode_bytes
from xxgk.readers.embedded import Embedded, tables_in
from xxgk.readers.pdf import ScannedPdfError
from xxgk.readers.txt import split_cells
from xxgk.report import Provenance
from xxgk.settings import ReadSettings

Element = Any  # lxml.etree._Element (lxml ships no type stubs)

READER_NAME = "html"
MAX_COLSPAN = 1000  # the HTML limits of colspan/rowspan
MAX_ROWSPAN = 65534
GRID_BUDGET = 2_000_000  # expanded grid positions per page; spans beyond it are not expanded
LAYOUT_CELL_CHARS = 200  # a cell of a one- or two-column table longer than this is page layout
CONTAINER_SHARE = 0.5  # an article container must hold this share of the page's non-link text
CHARSET_SCAN_BYTES = 65536
MAX_TABLES_BY_ANCESTORS = 100  # up to this many tables, nesting is found from each table's ancestors
MAX_CONTAINER_HITS = 50  # more elements with one container marker: not an article container

_BLOCK = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "main",
        "blockquote",
        "center",
        "form",
        "fieldset",
        "legend",
        "address",
        "figure",
        "figcaption",
        "hr",
        "body",
        "html",
        "details",
        "summary",
        "menu",
        "dir",
    ]
)
# Content a browser does not show as page text (or that is form/page chrome).
_SKIP = frozenset(
    [
        "head",
        "title",
        "script",
        "style",
        "noscript",
        "template",
        "select",
        "option",
        "optgroup",
        "textarea",
        "button",
        "iframe",
        "frame",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "map",
        "audio",
        "video",
        "canvas",
        "xml",
    ]
)
# Elements the prose walker does not descend into: the skipped ones, line breaks, preformatted text.
_SPECIAL = _SKIP | {"br", "pre"}
_TITLE_CLASSES = frozenset({"title", "article-title", "article_title", "arttitle", "xl-title", "xl_title"})

# Article containers of common government CMSs, strongest first: (attribute, lower-cased value).
_CONTAINERS: tuple[tuple[str, str], ...] = (
    ("class", "trs_editor"),
    ("class", "trs_ueditor"),
    ("id", "zoom"),
    ("id", "ucap-content"),
    ("id", "js_content"),
    ("class", "article-content"),
    ("class", "article_content"),
    ("class", "articlecontent"),
    ("id", "article"),
    ("class", "article"),
)

_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_SEGMENT_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\r\n\f]*\n[ \t\r\n\f]*(?=[{_CJK}])")
_COLLAPSE = re.compile(r"[ \t\r\n\f]+")

_META_CHARSET = re.compile(rb"<meta\b[^>]*?\bcharset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml\b[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9_.:\-]+)", re.IGNORECASE)
_GB_NAMES = frozenset({"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "euc-cn", "gb_2312-80", "csgb2312"})
_SNIFF_TAGS = (b"<!doctype html", b"<html", b"<table", b"<body", b"<head", b"<meta ", b"<meta\t", b"<?xml")
_TAG = re.compile(rb"<(?:[a-z][a-z0-9:]*[\s/>]|!--|!doctype)", re.IGNORECASE)
_MIME = (b"mime-version:", b"content-type: multipart")
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php")

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


# ---------------------------------------------------------------------------------------------
# The reader


class HtmlReader:
    name = READER_NAME
    suffixes = HTML_SUFFIXES

    def sniff(self, head: bytes, suffix: str) -> bool:
        """HTML by content: a doctype, `<html>`, `<table>`, `<meta>`… near the start of the file."""
        if b"<" not in head:
            return False  # no tag at all (in UTF-8, GBK or UTF-16): every plain-text report, decided at once
        sample = _ascii_view(head)
        lowered = sample.lstrip().lower()
        if lowered.startswith(_MIME):
            return False  # MHTML (a MIME archive), not a page
        if any(tag in lowered for tag in _SNIFF_TAGS):
            return True
        # A page fragment saved as .html: any tag will do.
        return suffix in HTML_SUFFIXES and _TAG.search(lowered) is not None

    def read(
        self, path: str, data: bytes, settings: ReadSettings, resources: Mapping[str, bytes] | None = None
    ) -> RawDocument:
        """`resources`: the files a saved page brings along (an MHTML archive's parts, by address),
        for its pictures; otherwise they are looked for beside the page's file."""
        text, encoding, notes = decode_html(data, path)
        # A page decoded as UTF-8 without a BOM re-encodes to exactly its bytes: parse those.
        utf8 = data if encoding == "utf-8" and not data.startswith(_BOMS) else text.encode("utf-8", "surrogatepass")
        # (no table of id attributes: nothing looks elements up by id; ~1% of a parse)
        parser = etree.HTMLParser(
            encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True, collect_ids=False
        )
        root = etree.fromstring(utf8, parser) if text and not text.isspace() else None
        page = _Page(path, notes, utf8)
        if settings.ocr:
            page.pictures_from = PictureFiles(path, settings, resources or {})
        if root is not None:
            prepare(root)
            page.read(root)
        if len(page.lines) > settings.max_lines:
            raise UnreadableInputError(
                f"网页内容行数过多（{len(page.lines)} 行，上限 {settings.max_lines} 行），不像是一份年度报告", path=path
            )
        return RawDocument(
            path,
            page.lines,
            encoding=encoding,
            reader=self.name,
            notes=page.notes + page.picture_notes,
            pictures=page.pictures - page.embedded.pictures,  # (those read are not in question: R014)
            ocr=page.embedded.summary(),
        )


def _ascii_view(head: bytes) -> bytes:
    """The head as ASCII-compatible bytes: a BOM removed, UTF-16 reduced to its low bytes."""
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    if head[:200].count(0) > len(head[:200]) // 4:
        head = head.replace(b"\x00", b"")
    return head


# ---------------------------------------------------------------------------------------------
# Charset


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares (XML declaration, `<meta charset>` or `http-equiv`), lower-cased."""
    head = data[:CHARSET_SCAN_BYTES]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii").lower() if m else None


def decode_html(data: bytes, path: str) -> tuple[str, str, list[str]]:
    """(text, encoding, notes). Raise UnreadableInputError (zh-CN) when no decoding works."""
    notes: list[str] = []
    if data.startswith(_BOMS):
        text, enc = decode_bytes(data, path)
        return text, enc, notes
    declared = declared_charset(data)
    codec = charset_codec(declared)
    if declared is not None and codec is None:
        notes.append(f"网页声明的编码“{declared}”无法识别，已自动判断编码")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if codec not in (None, "utf-8") and not text.isascii():
            notes.append(f"网页声明的编码为“{declared}”，但内容是 UTF-8，已按 UTF-8 读取")
        return text, "utf-8", notes
    if codec not in (None, "utf-8"):
        try:
            return data.decode(codec), codec, notes
        except UnicodeDecodeError:
            notes.append(f"网页声明的编码为“{declared}”，但内容无法按该编码解码，已自动判断编码")
    try:
        text, enc = decode_bytes(data, path)
    except UnreadableInputError:
        if codec is None:
            raise
        notes.append(f"部分字符无法按“{declared}”解码，已替换为�")
        return data.decode(codec, "replace"), codec, notes
    return text, enc, notes


def charset_codec(name: str | None) -> str | None:
    """The Python codec of a declared charset name (GB2312/GBK and their aliases read as GB18030,
    their superset); None for no name or one Python does not know."""
    if name is None:
        return None
    name = name.lower()
    if name in _GB_NAMES:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


# ---------------------------------------------------------------------------------------------
# Text


def clean_text(raw: str) -> str:
    """HTML whitespace rules, then the common normal form: a run of spaces is one space, a line
    break between two CJK characters is nothing, `&nbsp;`/`\u3000` at either end are trimmed."""
    parts = raw.split()
    if len(parts) <= 1:  # the common case of a table cell: one word, nothing to collapse
        if not parts:
            return ""
        word = parts[0]
        # (an ASCII word, a number mostly, is its own normal form: nothing to fold, no spaces)
        return word if word.isascii() else normalize_text(word).strip()
    if "\n" in raw:
        raw = _SEGMENT_BREAK.sub("", raw)
    return normalize_text(_COLLAPSE.sub(" ", raw)).strip()


def _line_of(el: Element, default: int | None) -> int | None:
    line = el.sourceline
    return line if isinstance(line, int) and line > 0 else default


def prepare(root: Element) -> None:
    """Drop what a browser does not show, and end every `<br>` and block with a line break.

    With the line breaks, `clean_text` of a cell's text content joins its blocks and `<br>` lines
    as a reader of the table would: CJK text runs together (社会/公益/组织 → 社会公益组织), Latin
    words and digits keep a space. The prose walker splits lines at the elements themselves.
    """
    etree.strip_elements(root, *_SKIP, with_tail=False)
    for el in root.iter("br", "p", "div", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6"):
        tail = el.tail
        # A tail that starts a new source line already ends the element so (most tails in pages
        # written by people or CMSs); setting one replaces its text node (~3,300 instructions:
        # skipping them took a 31 KB CMS page from 18.4 M to 17.4 M).
        if tail is None or tail[0] != "\n":
            el.tail = "\n" + tail if tail else "\n"


def cell_text(cell: Element) -> str:
    """The text of a data table cell (after `prepare`): its blocks, `<br>` lines and runs joined."""
    return clean_text(_text_content(cell))


def _text_content(el: Element) -> str:
    """All text under `el` (its tail excluded), fast."""
    text: str = etree.tostring(el, method="text", encoding=str, with_tail=False)
    return text


# ---------------------------------------------------------------------------------------------
# Tables


def _span(value: str | None, limit: int) -> int:
    """A rowspan/colspan attribute as a positive int; 0 means "to the end" (returned as `limit`)."""
    if not value:
        return 1
    if value.isdigit() and value.isascii():  # the common case: a plain number
        n = int(value[:7])
        return limit if n == 0 else max(1, min(n, limit))
    m = _SPAN_NUMBER.match(value)
    if not m:
        return 1
    n = int(m.group(1)[:7])
    return limit if n == 0 else max(1, min(n, limit))


_SPAN_NUMBER = re.compile(r"\s*(\d+)")


def table_rows(table: Element) -> list[Element]:
    """The table's own rows, in source order (rows of nested tables excluded)."""
    rows: list[Element] = []
    for child in table.iterchildren("tr", "thead", "tbody", "tfoot"):
        if child.tag == "tr":
            rows.append(child)
        else:
            rows.extend(child.iterchildren("tr"))
    return rows


# A table cell as read: (text, source line, colspan, rowspan). Plain tuples: a table has hundreds.
_Cell = tuple[str, int | None, int, int]


@dataclass
class Grid:
    """A table expanded into rows × columns: (text, source line) per position."""

    rows: list[list[tuple[str, int | None]]]
    notes: list[str] = field(default_factory=list)


_text, _line, _colspan, _rowspan = itemgetter(0), itemgetter(1), itemgetter(2), itemgetter(3)  # of a _Cell


def _spanning_rows(rows: list[list[_Cell]]) -> set[int]:
    """The rows that have a cell spanning more than one position."""
    return {r for r, cells in enumerate(rows) if any(c[2] != 1 or c[3] != 1 for c in cells)}


def _clamp_spans(rows: list[list[_Cell]], spanning: set[int], notes: list[str]) -> tuple[list[int], list[bool]]:
    """Clamp rowspans to the table's last row and absurd colspans to the table's real width, in place.

    The table's real width: the widest row without an absurd colspan (wider than the row count
    of cells of any row); a cell with an absurd colspan fills what its row leaves it (given the
    spans of the row's other cells, those before it already clamped). `spanning`: the rows that
    have a cell spanning more than one position (the others need no look).

    Returns, per row after clamping, its width (the sum of its colspans) and whether all its cells
    are plain (1 x 1).
    """
    nrows = len(rows)
    widths = list(map(len, rows))  # a plain row's width is its count of cells
    max_cells = max(widths) if widths else 0
    for r in spanning:
        cells = rows[r]
        if max(map(_colspan, cells)) > max_cells or max(map(_rowspan, cells)) > nrows - r:
            _clamp(rows, max_cells, notes)
            spanning = _spanning_rows(rows)
            break
    plain = [True] * nrows
    for r in spanning:
        widths[r] = sum(map(_colspan, rows[r]))
        plain[r] = False
    return widths, plain


def _clamp(rows: list[list[_Cell]], max_cells: int, notes: list[str]) -> None:
    """The clamping of `_clamp_spans`, for a table that needs some."""
    nrows = len(rows)
    absurd: set[tuple[int, int]] = set()  # (row, index in the row)
    sane_widths = [0]
    for r, cells in enumerate(rows):
        widths = list(map(_colspan, cells))
        if widths and max(widths) > max_cells:
            absurd.update((r, i) for i, w in enumerate(widths) if w > max_cells)
        else:
            sane_widths.append(sum(widths))
    real_width = max(sane_widths) or max_cells
    clamped = False
    for r, cells in enumerate(rows):
        last = nrows - r
        if not absurd and max(map(_rowspan, cells), default=1) <= last:
            continue  # nothing to clamp in this row (the common case), told by a C-level pass
        for i, (text, line, colspan, rowspan) in enumerate(cells):
            if rowspan <= last and not absurd:
                continue  # nothing to clamp (the common case)
            cs, rs = colspan, min(rowspan, last)
            if (r, i) in absurd:
                others = sum(min(o[2], real_width) for j, o in enumerate(cells) if j != i)
                cs = max(1, min(cs, real_width - others))
            if (cs, rs) != (colspan, rowspan):
                clamped = True
                cells[i] = (text, line, cs, rs)
    if clamped:
        notes.append("合并单元格的跨度（rowspan/colspan）超出表格实际大小，已截断")


def expand_grid(
    rows: list[list[_Cell]], row_lines: list[int | None], spanning: set[int] | None = None, budget: int = GRID_BUDGET
) -> Grid:
    """Lay the cells out as a browser does, with their text at the first position they cover.

    `spanning`: the rows that have a cell spanning more than one position, when the caller knows.
    """
    notes: list[str] = []
    nrows = len(rows)
    if spanning is None:
        spanning = _spanning_rows(rows)
    widths, plain = _clamp_spans(rows, spanning, notes)
    reference = max(widths) if widths else 0

    # Per row, the positions placed so far (None: a gap left by a cell spanning down into a row).
    placed: list[list[tuple[str, int | None] | None]] = [[] for _ in range(nrows)]
    # Cells spanning down into a row: row -> {column: origin id}, and origin id -> text.
    covered_by: list[dict[int, int]] = [{} for _ in range(nrows)]
    origin_text: list[str] = []
    area = 0
    over_budget = False
    for r, cells in enumerate(rows):
        if not cells:
            continue
        slots = placed[r]
        incoming = covered_by[r]
        if incoming and len(incoming) + widths[r] > reference:
            cells = _drop_repeated_header(cells, incoming, origin_text, reference, r, notes)
        if plain[r]:  # (most rows)
            area += len(cells)
            _place_plain(slots, cells, 0)
            continue
        # The cells up to the last spanning one are placed one by one, the plain ones after it
        # (the values after a row label) as a plain row's.
        last = len(cells)
        while last and cells[last - 1][2] == 1 and cells[last - 1][3] == 1:
            last -= 1
        col = 0
        for text, line, cs, rs in cells[:last]:
            n = len(slots)
            while col < n and slots[col] is not None:
                col += 1
            if cs == 1 and rs == 1:  # a plain cell
                area += 1
                if col < n:
                    slots[col] = (text, line)
                else:
                    slots.append((text, line))
                col += 1
                continue
            if area + cs * rs > budget:
                if not over_budget:
                    notes.append("表格过大，部分合并单元格未展开")
                    over_budget = True
                cs = rs = 1
            area += cs * rs
            origin_text.append(text)  # (only spanning cells: their ids are what rows below refer to)
            oid = len(origin_text) - 1
            end = col + cs
            for dr in range(rs):
                target = placed[r + dr]
                if len(target) < end:
                    target.extend([None] * (end - len(target)))
                if dr:
                    target[col:end] = [("", row_lines[r + dr])] * cs
                    covered = covered_by[r + dr]
                    for dc in range(col, end):
                        covered[dc] = oid
                else:
                    target[col] = (text, line)
                    if cs > 1:
                        target[col + 1 : end] = [("", row_lines[r])] * (cs - 1)
            col = end
        if last < len(cells):
            area += len(cells) - last
            _place_plain(slots, cells[last:], col)
    width = max(map(len, placed)) if placed else 0
    pad = width * nrows <= budget
    grid: list[list[tuple[str, int | None]]] = []
    for r, slots in enumerate(placed):
        blank = ("", row_lines[r])
        # (gaps are rare: a row without one is used as it is)
        row = [blank if s is None else s for s in slots] if None in slots else cast(list[tuple[str, int | None]], slots)
        if pad and len(row) < width:
            row += [blank] * (width - len(row))
        grid.append(row)
    return Grid(grid, notes)


def _place_plain(slots: list[tuple[str, int | None] | None], cells: list[_Cell], col: int) -> None:
    """Place 1 x 1 cells in a row from `col` on: each at the next gap left between the positions
    filled from above, then after the row's end (by C-level passes: most cells are placed here)."""
    placing = zip(map(_text, cells), map(_line, cells), strict=True)  # (next() takes them one by one)
    if None in slots:
        for _ in range(min(slots[col:].count(None), len(cells))):
            col = slots.index(None, col)
            slots[col] = next(placing)
    slots.extend(placing)


def _drop_repeated_header(
    cells: list[_Cell],
    incoming: dict[int, int],
    origin_text: list[str],
    reference: int,
    r: int,
    notes: list[str],
) -> list[_Cell]:
    """A row that repeats the cells spanning into it from above, then overflows the table's width
    (a Word export fault: 表四's 结果维持…总计 with rowspan=2 *and* again in the next row): drop the
    repeats, so the row's own cells fall under the right columns."""
    width = len(incoming) + sum(map(_colspan, cells))
    if width <= reference:
        return cells
    origins = list(dict.fromkeys(incoming[c] for c in sorted(incoming)))
    k = len(origins)
    if len(cells) < k:
        return cells
    texts = [origin_text[o] for o in origins]
    if not all(texts) or [c[0] for c in cells[:k]] != texts:
        return cells
    notes.append(f"表格第{r + 1}行重复了上一行跨行的 {k} 个单元格，已去除重复")
    return cells[k:]


# ---------------------------------------------------------------------------------------------
# The page


TableRows = list[tuple[Element, list[Element]]]  # (tr, its td/th cells) per row of a table


def _classify_tables(root: Element) -> dict[Element, TableRows]:
    """The data tables, with their rows and cells: tables with no table inside, and not a one- or
    two-column frame of prose."""
    tables = list(root.iter("table"))
    nested: set[Element] = set()
    if len(tables) <= MAX_TABLES_BY_ANCESTORS:
        # The table each table sits in: a few steps up from each (pages have a handful of tables).
        for table in tables:
            outer = next(table.iterancestors("table"), None)
            if outer is not None:
                nested.add(outer)
    else:  # one walk over the page, linear however deep the tables are nested
        stack: list[Element] = []
        for event, el in etree.iterwalk(root, events=("start", "end"), tag="table"):
            if event == "start":
                if stack:
                    nested.add(stack[-1])
                stack.append(el)
            else:
                stack.pop()
    data: dict[Element, TableRows] = {}
    for table in tables:
        if table in nested:
            continue
        rows = [(tr, list(tr.iterchildren("td", "th"))) for tr in table_rows(table)]
        if max((len(cells) for _, cells in rows), default=0) <= 2 and any(
            len(_text_content(c)) > LAYOUT_CELL_CHARS for _, cells in rows for c in cells
        ):
            continue
        data[table] = rows
    return data


_XML_SPACE = str.maketrans("\t\r\n", "   ")
# The class (or id) attributes of the page, as values that know their element, found by libxml2.
_ATTRIBUTES = {attr: etree.XPath(f"descendant-or-self::*/@{attr}") for attr in ("class", "id")}
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789_-")


def _nonspace(text: str | None) -> int:
    """Characters of `text` that are not spaces."""
    return sum(map(len, text.split())) if text else 0


def _nonspace_length(root: Element) -> int:
    """Characters (not counting spaces) of the text under `root`."""
    return _nonspace(_text_content(root))


def _link_length(root: Element) -> int:
    """Characters (not counting spaces) of the text of the links under `root` (and of `root`)."""
    return sum(map(_nonspace_length, root.iter("a")))


def _visible_length(root: Element) -> int:
    """Characters (not counting spaces) of the text under `root`, links (menus) left out."""
    return _nonspace_length(root) - _link_length(root)


def _outside_length(container: Element, body: Element) -> int | None:
    """Characters (not counting spaces) of the text under `body` outside `container`, found from
    the container's siblings and those of its ancestors (the container's text is not read again);
    None when the container sits in a link."""
    total = 0
    el = container
    while el is not body:
        parent = el.getparent()
        if parent is None or parent.tag == "a":
            return None
        total += _nonspace(parent.text) + _nonspace(el.tail)
        for sibling in parent:
            if sibling is not el:
                total += _nonspace_length(sibling) + _nonspace(sibling.tail)
        el = parent
    return total


def _written_as_word(marker: bytes, lowered: bytes) -> bool:
    """Whether `marker` occurs in `lowered` (the page's bytes, lower-cased) not as part of a longer
    name (zn_article, article-list): a class or id that is the marker is written so."""
    size, at = len(marker), lowered.find(marker)
    while at >= 0:
        end = at + size
        if (at == 0 or lowered[at - 1] not in _WORD_BYTES) and (end == len(lowered) or lowered[end] not in _WORD_BYTES):
            return True
        at = lowered.find(marker, at + 1)
    return False


def find_container(body: Element, data_tables: Collection[Element], source: bytes) -> tuple[Element, str] | None:
    """The page's article container, when one is obvious and holds the whole report.

    A marker counts only when it occurs in `source` (the page's bytes, compared lower-cased) as a
    word of its own: most pages are decided without looking at their elements.
    """
    lowered = source.lower()
    attributes: dict[str, list[Any]] = {}
    page_text: int | None = None
    for attr, value in _CONTAINERS:
        if not _written_as_word(value.encode(), lowered):
            continue
        if attr not in attributes:
            attributes[attr] = _ATTRIBUTES[attr](body)
        found: list[Element] = []
        for written in attributes[attr]:
            if value in (written.lower().split() if attr == "class" else (written.lower(),)):
                found.append(written.getparent())
                if len(found) == MAX_CONTAINER_HITS:
                    break
        if not found:
            continue
        hit_set = set(found)
        outermost = [el for el in found if not any(a in hit_set for a in el.iterancestors())]
        if len(outermost) != 1:
            continue
        (container,) = outermost
        if sum(1 for t in container.iter("table") if t in data_tables) != len(data_tables):
            continue
        nonspace = _nonspace_length(container)
        inside = nonspace - _link_length(container)
        outside = _outside_length(container, body)
        # The page's visible text is at most its text without spaces (links are only subtracted):
        # when the container holds the share of that, the links need not be counted.
        if inside < CONTAINER_SHARE * (nonspace + outside if outside is not None else _nonspace_length(body)):
            if page_text is None:
                page_text = _visible_length(body)
            if inside < CONTAINER_SHARE * page_text:
                continue
        return container, f"{attr}={value}"
    return None


def _is_heading(el: Element) -> bool:
    """An `<h1>`, or a `div`/`p`/`h2` with a title class, that holds some text (XPath's notion of
    whitespace: space, TAB, CR, LF)."""
    if el.tag != "h1":
        classes = el.get("class")
        if not classes or _TITLE_CLASSES.isdisjoint(classes.translate(_XML_SPACE).split(" ")):
            return False
    return bool(_text_content(el).strip(" \t\r\n"))


def find_heading(container: Element) -> Element | None:
    """The nearest `<h1>` (or title-classed block) before the container: the article's title.

    "Before" is XPath's `preceding` axis, nearest first: the subtrees of the preceding siblings of
    the container and of each of its ancestors, each in reverse document order.
    """
    el = container
    while el is not None:
        for sibling in el.itersiblings(etree.Element, preceding=True):
            for candidate in reversed(list(sibling.iter("h1", "h2", "div", "p"))):
                if _is_heading(candidate):
                    return candidate
        el = el.getparent()
    return None


def count_pictures(root: Element) -> int:
    """Images under `root` that may hold a table: not in a link (logos, menu icons, banners are
    links), and not declared smaller than one (width/height attributes or style)."""
    return sum(map(_may_be_table, root.iter("img")))


def _may_be_table(img: Element) -> bool:
    """An image not in a link and not declared smaller than a table (attributes or style)."""
    if next(img.iterancestors("a"), None) is not None:
        return False
    style = style_declarations(img.get("style"))
    return may_hold_table(*(length_cm(style.get(name) or img.get(name)) for name in ("width", "height")))


class PictureFiles:
    """Where the pictures of a page are read from, for OCR: `data:` addresses, the parts of a saved
    page (MHTML), or files beside the page's file (a page saved "complete", with its folder).
    Nothing is fetched from the network, and no file outside the page's folder is read. Bounded:
    `ocr.MAX_OCR_PAGES` pictures and the file size limit in all."""

    def __init__(self, path: str, settings: ReadSettings, resources: Mapping[str, bytes]) -> None:
        self.folder = Path(path).parent
        self.settings = settings
        self.resources = resources
        self.budget = settings.max_bytes
        self.read_count = 0

    def read(self, src: str) -> RawDocument:
        from xxgk.readers import ocr
        from xxgk.readers.image import read_picture

        if self.read_count >= ocr.MAX_OCR_PAGES:
            raise ocr.too_many_pages(str(self.folder))
        data = self._bytes(src.strip())
        self.read_count += 1
        name = "" if src.lower().startswith("data:") else urlsplit(src).path
        return read_picture(str(self.folder), data, self.settings, name)  # (ScannedPdfError: the extra is missing)

    def _bytes(self, src: str) -> bytes:
        if not src:
            raise UnreadableInputError("没有图片地址（src）")
        saved = self.resources.get(src) or self.resources.get(_file_name(src))
        if src.lower().startswith("data:"):
            header, _, payload = src.partition(",")
            try:
                data = base64.b64decode(payload) if ";base64" in header.lower() else unquote_to_bytes(payload)
            except ValueError:  # (binascii.Error)
                raise UnreadableInputError("图片的 data: 地址已损坏") from None
        elif saved is not None:
            data = saved
        elif urlsplit(src).scheme in ("http", "https", "ftp") or src.startswith("//"):
            raise UnreadableInputError(f"图片在网上（{src[:80]}），xxgk 运行时不联网；请把网页连同图片另存到本地后再试")
        else:
            file = (self.folder / unquote(urlsplit(src).path).lstrip("/")).resolve()
            if not file.is_relative_to(self.folder.resolve()):  # (../../etc: only what was saved with the page)
                raise UnreadableInputError(f"图片不在网页所在的文件夹中（{src[:80]}），未读取")
            try:
                if not file.is_file() or file.stat().st_size > self.budget:
                    raise UnreadableInputError(f"找不到图片文件（{src[:80]}），或文件过大")
                data = file.read_bytes()
            except OSError as e:
                raise UnreadableInputError(f"无法读取图片文件（{src[:80]}）：{e.strerror or e}") from None
        if len(data) > self.budget:
            raise UnreadableInputError("图片过大，已超出单个文件的读取上限")
        self.budget -= len(data)
        return data


def _file_name(src: str) -> str:
    """The last path segment of an address (parts of saved pages are often found by file name)."""
    return urlsplit(src).path.rsplit("/", 1)[-1]


# RawCell/Provenance built without their Python-level __new__ (one of each per grid position).
_new = tuple.__new__


class _Page:
    """Walks the page once, producing prose lines and table rows in document order."""

    def __init__(self, path: str, notes: list[str], source: bytes = b"") -> None:
        self.path = path
        self.source = source  # the page's bytes (UTF-8)
        self.notes = notes
        self.lines: list[RawLine] = []
        self.buf: list[str] = []
        self.buf_line: int | None = None
        self.last_line: int | None = None
        self.tables = 0
        self.data_tables: dict[Element, TableRows] = {}
        self.cell_texts: dict[str, str] = {}  # clean_text of the cells' raw texts (many repeat: 0, 结果维持 …)
        self.pictures = 0  # images of the text read, large enough to hold a table (R014)
        self.pictures_from: PictureFiles | None = None  # with --ocr: where the pictures are read from
        self.picture_notes: list[str] = []
        self.embedded = Embedded(path, READER_NAME)  # the pictures read by OCR

    # -- output ----------------------------------------------------------------------------
    def add(self, text: str | None, line: int | None) -> None:
        if not text:
            return
        if not self.buf:
            self.buf_line = line if line is not None else self.last_line
        if line is not None:
            self.last_line = line
        self.buf.append(text)

    def flush(self) -> None:
        if not self.buf:
            return
        text = clean_text("".join(self.buf))
        self.buf.clear()
        if text:
            source = _new(Provenance, (self.path, self.buf_line, None, None, READER_NAME, None, None, None, None))
            self.lines.append(_new(RawLine, ((_new(RawCell, (text, source)),),)))

    # -- walking ---------------------------------------------------------------------------
    def read(self, root: Element) -> None:
        body = root.find("body")
        if body is None:
            body = root
        self.data_tables = _classify_tables(body)
        found = find_container(body, self.data_tables, self.source)
        if found is None:
            self.walk(body)
            self.pictures = count_pictures(body)
            return
        container, marker = found
        heading = find_heading(container)
        self.notes.append(f"只读取网页正文区域（{marker}）及其上方的标题，网站导航、页脚等已略去")
        if heading is not None:
            self.walk(heading)
        self.walk(container)
        self.pictures = count_pictures(container)

    def walk(self, root: Element) -> None:
        """Prose in document order: a block starts and ends a line, a `<br>` ends one; text and
        tails are credited to their element's source line. Data tables and `<pre>` are read whole."""
        data_tables = self.data_tables
        buf = self.buf
        specials = _SPECIAL if self.pictures_from is None else _SPECIAL | {"img"}
        walker = etree.iterwalk(root, events=("start", "end"))
        for event, el in walker:
            tag = el.tag
            special = tag.__class__ is not str or tag in specials or el in data_tables
            if event == "start":
                if special:
                    walker.skip_subtree()  # its "end" event still comes, and adds its tail
                    if tag == "br":
                        self.flush()
                    elif tag == "pre":
                        self.flush()
                        self.pre(el)
                    elif tag == "table":
                        self.flush()
                        self.table(el)
                    elif tag == "img" and _may_be_table(el):
                        self.flush()
                        self.picture(el)
                    continue
                if tag in _BLOCK:
                    self.flush()
                text = el.text
            else:
                if not special and tag in _BLOCK:
                    self.flush()
                if el is root:
                    continue
                text = el.tail
            if text:  # `add`, inlined: the line of the element, or the last known line
                line = el.sourceline
                if line is None:
                    line = self.last_line
                else:
                    self.last_line = line
                if not buf:
                    self.buf_line = line
                buf.append(text)
        self.flush()

    def picture(self, img: Element) -> None:
        """A picture that may be a table, read by OCR (--ocr): its lines where it stands, all with
        its source line, its tables numbered on from the page's."""
        assert self.pictures_from is not None
        number = self.embedded.pictures + len(self.picture_notes) + 1
        try:
            doc = self.pictures_from.read(img.get("src") or "")
        except ScannedPdfError:
            raise  # (the OCR extra is missing: the file cannot be read as asked)
        except UnreadableInputError as e:
            self.picture_notes.append(f"第{number}张图片无法识别：{e.message}")
            return
        line = _line_of(img, self.last_line)
        lines = list(self.embedded.lines(doc, itertools.repeat(line or 1), self.tables))
        self.lines += lines
        self.tables = max(self.tables, tables_in(lines))

    def pre(self, el: Element) -> None:
        """Preformatted text: one line per text line, TAB-separated cells as the TXT reader does."""
        first = _line_of(el, self.last_line) or 1
        for offset, raw in enumerate(_text_content(el).splitlines()):
            if not raw.strip():
                continue
            tabbed = "\t" in raw or raw.rstrip().endswith("|")
            cells = tuple(
                RawCell(
                    normalize_text(c).strip(),
                    Provenance(self.path, first + offset, i if tabbed else None, reader=READER_NAME),
                )
                for i, c in enumerate(split_cells(raw))
            )
            self.lines.append(RawLine(cells))

    def table(self, table: Element) -> None:
        index = self.tables
        self.tables += 1
        for child in table.iterchildren("caption"):
            self.add(cell_text(child), _line_of(child, self.last_line))
            self.flush()
        tostring = etree.tostring
        texts = self.cell_texts
        rows: list[list[_Cell]] = []
        row_lines: list[int | None] = []
        spanning: set[int] = set()  # the rows with a cell spanning more than one position
        for tr, tds in self.data_tables[table]:
            line = tr.sourceline
            if line is None:
                line = self.last_line
            row_lines.append(line)
            cells: list[_Cell] = []
            for td in tds:
                raw = tostring(td, method="text", encoding=str, with_tail=False)
                text = texts.get(raw)
                if text is None:
                    text = texts[raw] = clean_text(raw)
                # (one call for the attribute names costs half of asking for both spans)
                names = td.keys()
                if "colspan" not in names and "rowspan" not in names:  # (most cells)
                    cells.append((text, td.sourceline or line, 1, 1))
                    continue
                colspan, rowspan = td.get("colspan"), td.get("rowspan")
                cs = 1 if colspan is None else _span(colspan, MAX_COLSPAN)
                rs = 1 if rowspan is None else _span(rowspan, MAX_ROWSPAN)
                if cs != 1 or rs != 1:
                    spanning.add(len(rows))
                cells.append((text, td.sourceline or line, cs, rs))
            rows.append(cells)
        grid = expand_grid(rows, row_lines, spanning)
        self.notes += [f"第{index + 1}个表格：{note}" for note in grid.notes]
        path, lines = self.path, self.lines
        for r, row in enumerate(grid.rows):
            if row:  # RawCell(text, Provenance(path, line, c, reader=READER_NAME, table=index, row=r))
                raw_cells = [
                    _new(RawCell, (text, _new(Provenance, (path, line, c, None, READER_NAME, index, r, None, None))))
                    for c, (text, line) in enumerate(row)
                ]
                lines.append(_new(RawLine, (tuple(raw_cells),)))
        if row_lines and row_lines[-1] is not None:
            self.last_line = row_lines[-1]
