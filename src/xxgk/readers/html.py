"""Web pages (.html/.htm, Word "Save as HTML", pages saved by a browser): read with lxml.

(Single-file pages, .mhtml/.mht, are MIME archives: `xxgk.readers.mhtml` takes the page out and
hands it to this reader.)

The page becomes the same "lines of cells" as a TXT report in the TAB-row layout:

- prose: every block element outside a data table (`p`, `div` text, `h1`–`h6`, `li`, …) is one
  line with one cell; a `<br>` starts a new line. `<script>`, `<style>`, `<head>`, form widgets,
  comments and Word's conditional comments (`<!--[if gte mso 9]>…`) are dropped; the content of
  Word's downlevel-revealed conditionals (`<![if !supportLists]>1.<![endif]>`) is kept, as a
  browser shows it;
- a data table row is one line with one cell per grid column, `rowspan`/`colspan` expanded by
  `xxgk.readers.html_grid` (the merged cell's text at its first position, "" at every position it
  covers). The paragraphs, `<br>` lines and `<span>` runs of one cell are joined without a space
  (社会/公益/组织 → 社会公益组织) except between two Latin letters or digits;
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
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from lxml import etree

from xxgk.errors import ScannedPdfError, UnreadableInputError
from xxgk.format.normalize import normalize_text
from xxgk.oserrors import os_error_zh
from xxgk.readers.base import RawCell, RawDocument, RawLine, length_cm, may_hold_table, style_declarations
from xxgk.readers.budget import current, metered
from xxgk.readers.decode import decode_bytes
from xxgk.readers.embedded import Embedded, picture_failure, tables_in
from xxgk.readers.html_grid import GRID_BUDGET, MAX_COLSPAN, MAX_ROWSPAN, Cell, expand_grid, span
from xxgk.readers.sniff import HTML_SUFFIXES, sniff_html
from xxgk.readers.txt import split_cells
from xxgk.report import Provenance
from xxgk.settings import ReadSettings

Element = Any  # lxml.etree._Element (lxml ships no type stubs)

READER_NAME = "html"
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
# Characters XML 1.0 does not allow: libxml2's HTML parser keeps them in text, lxml refuses them back.
_XML_SPACE_CONTROLS = re.compile(r"[\x0b\x0c\x1c-\x1f]")  # (control characters Python counts as spaces)
_XML_INVALID = re.compile(r"[\x00-\x08\x0e-\x1b\ud800-\udfff\ufffe\uffff]")

_META_CHARSET = re.compile(rb"<meta\b[^>]*?\bcharset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml\b[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9_.:\-]+)", re.IGNORECASE)
_GB_NAMES = frozenset({"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "euc-cn", "gb_2312-80", "csgb2312"})
_TAG = re.compile(rb"<(?:[a-z][a-z0-9:]*[\s/>]|!--|!doctype)", re.IGNORECASE)

_CELL_TAG = re.compile(rb"<t[dh][\s/>]", re.IGNORECASE)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


# ---------------------------------------------------------------------------------------------
# The reader


class HtmlReader:
    name = READER_NAME
    suffixes = HTML_SUFFIXES

    def sniff(self, head: bytes, suffix: str) -> bool:
        return sniff_html(head, suffix)

    def read(
        self, path: str, data: bytes, settings: ReadSettings, resources: Mapping[str, bytes] | None = None
    ) -> RawDocument:
        """`resources`: the files a saved page brings along (an MHTML archive's parts, by address),
        for its pictures; otherwise they are looked for beside the page's file."""
        with metered(settings, path):
            return self._read(path, data, settings, resources)

    def _read(
        self, path: str, data: bytes, settings: ReadSettings, resources: Mapping[str, bytes] | None
    ) -> RawDocument:
        text, encoding, notes = decode_html(data, path)
        # A page decoded as UTF-8 without a BOM re-encodes to exactly its bytes: parse those.
        utf8 = data if encoding == "utf-8" and not data.startswith(_BOMS) else text.encode("utf-8", "surrogatepass")
        # The cells are counted in the bytes before anything is parsed: a table of millions of
        # cells costs gigabytes as a tree (each cell an element), and is refused at no cost.
        current(settings, path).add_cells(sum(1 for _ in _CELL_TAG.finditer(utf8)))
        if b"\x00" in utf8:  # (a browser ignores NUL in page text; libxml2 would put a U+FFFD in for each)
            utf8 = utf8.replace(b"\x00", b"")
            notes.append("网页中有空字符（NUL），已按浏览器的显示方式忽略")
        # (no table of id attributes: nothing looks elements up by id, and building it costs)
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
        # (a printable ASCII word, a number mostly, is its own normal form: nothing to fold, no spaces)
        return word if word.isascii() and word.isprintable() else normalize_text(word).strip()
    if "\n" in raw:
        raw = _SEGMENT_BREAK.sub("", raw)
    return normalize_text(_COLLAPSE.sub(" ", raw)).strip()


def xml_compatible(text: str) -> str:
    """`text` without the characters XML does not allow: those Python counts as spaces become
    spaces, the others (NUL, SOH, lone surrogates…) are dropped, as a browser shows nothing for them."""
    return _XML_INVALID.sub("", _XML_SPACE_CONTROLS.sub(" ", text))


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
            try:
                el.tail = "\n" + tail if tail else "\n"
            except ValueError:  # a control character in the tail: libxml2 keeps it, lxml takes none back
                el.tail = "\n" + xml_compatible(tail)


def cell_text(cell: Element) -> str:
    """The text of a data table cell (after `prepare`): its blocks, `<br>` lines and runs joined."""
    return clean_text(_text_content(cell))


def _text_content(el: Element) -> str:
    """All text under `el` (its tail excluded), fast."""
    text: str = etree.tostring(el, method="text", encoding=str, with_tail=False)
    return text


# ---------------------------------------------------------------------------------------------
# Tables


def table_rows(table: Element) -> list[Element]:
    """The table's own rows, in source order (rows of nested tables excluded)."""
    rows: list[Element] = []
    for child in table.iterchildren("tr", "thead", "tbody", "tfoot"):
        if child.tag == "tr":
            rows.append(child)
        else:
            rows.extend(child.iterchildren("tr"))
    return rows


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
                raise UnreadableInputError(f"无法读取图片文件（{src[:80]}）：{os_error_zh(e)}") from None
        if len(data) > self.budget:
            raise UnreadableInputError("图片过大，已超出单个文件的读取上限")
        self.budget -= len(data)
        return data


def _file_name(src: str) -> str:
    """The last path segment of an address (parts of saved pages are often found by file name)."""
    return urlsplit(src).path.rsplit("/", 1)[-1]


# RawCell/Provenance built without their Python-level __new__ (one of each per grid position);
# Provenance's field order is pinned by tests/test_provenance_fields.py.
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
            self.add(text, el.sourceline)
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
            self.picture_notes.append(picture_failure(number, e.message))
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
        rows: list[list[Cell]] = []
        row_lines: list[int | None] = []
        spanning: set[int] = set()  # the rows with a cell spanning more than one position
        for tr, tds in self.data_tables[table]:
            line = tr.sourceline
            if line is None:
                line = self.last_line
            row_lines.append(line)
            cells: list[Cell] = []
            for td in tds:
                raw = tostring(td, method="text", encoding=str, with_tail=False)
                text = texts.get(raw)
                if text is None:
                    text = texts[raw] = clean_text(raw)
                # (one call for the attribute names costs half of asking for both spans)
                names = td.keys()
                if "colspan" not in names and "rowspan" not in names:  # (most cells)
                    cells.append(Cell(text, td.sourceline or line, 1, 1))
                    continue
                colspan, rowspan = td.get("colspan"), td.get("rowspan")
                cs = 1 if colspan is None else span(colspan, MAX_COLSPAN)
                rs = 1 if rowspan is None else span(rowspan, MAX_ROWSPAN)
                if cs != 1 or rs != 1:
                    spanning.add(len(rows))
                cells.append(Cell(text, td.sourceline or line, cs, rs))
            rows.append(cells)
        grid = expand_grid(rows, row_lines, spanning, budget=min(GRID_BUDGET, current().settings.max_cells))
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
        if self.pictures_from is not None:  # pictures in its cells (--ocr): read after the table
            for img in table.iter("img"):
                if _may_be_table(img):
                    self.picture(img)
