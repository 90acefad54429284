"""PDF reports with a text layer: characters and table rulings from pypdfium2, tables rebuilt as grids.

Pipeline, one page at a time (every stage is a plain function that can be inspected on its own):

1. `page_chars`: the characters of the text layer with their boxes (pypdfium2, loose boxes, in
   points from the page's top-left corner).
2. `page_graphics`: horizontal and vertical rulings (thin path objects and stroked rectangles)
   and the number of images. Pages without rulings cost nothing more.
3. `edges_to_tables`: the "lines" strategy of pdfplumber (snap and join the rulings, find their
   intersections, the smallest rectangles between them are cells, cells that touch form a table),
   re-implemented on pypdfium2's path objects so that pdfplumber/pdfminer are not needed at all
   (importing pdfplumber alone costs more than reading a whole report). Each table becomes a grid:
   the distinct x and y positions of its cell borders are its columns and rows, and a merged cell
   covers several of them.
4. Characters inside a table cell make the cell's text (its lines joined without spaces, so a
   label wrapped inside its cell reads as one label); the other characters are grouped into
   printed lines by their vertical position and ordered by x. A printed line that fills the text
   width runs on into the next one when that one starts at the left edge and starts no heading or
   item (`_runs_on`): a paragraph is one line, so a sentence or a date wrapped onto the next line
   reads whole.
5. Table rows and prose lines are put in vertical order. A table row becomes one `RawLine` with
   one cell per grid column: a merged cell's text at its top-left position, "" at the positions it
   covers (the "TAB row" layout of the text reader). A table that continues at the top of the next
   page keeps its table index and row numbering; its parts are laid out on the column borders of
   all of them (`pdf_continued`: a part may lack a border the others have). A row that the page
   break cut (Word and LibreOffice let rows break across pages) is joined again: the rest of its
   wrapped label or header at the top of the next page goes back to its cell (`_rest_of_row`).

Provenance: `page` 1-based; `line` is the 1-based index of the `RawLine` in the document (the
same number `xxgk parse` shows for text files); `table` is the 0-based index of the table in the
document, `row`/`cell` 0-based positions in its expanded grid; `x`/`y` are points from the page's
top-left corner (of the cell for table cells, of the first character for prose lines).

Scanned pages (images without a text layer) are read by OCR when `ReadSettings.ocr` is set
(`xxgk.readers.ocr`, the optional extra: it turns the page image into the `Char`s and `Edge`s of
stages 1–2, and everything after is the same); otherwise they are skipped (`textless_pages`,
R012), and a file of scanned pages only is refused (`ScannedPdfError`, code R005). Pictures on a
page of text large enough to be a table (pasted screenshots) are read by OCR the same way with
`ReadSettings.ocr`, their characters and rulings added to the page's own; otherwise they are
counted (`pictures`, R014).

Unreadable input is refused with a zh-CN message: encrypted, damaged or truncated files, files
with more than `MAX_PAGES` pages (or more than `ocr.MAX_OCR_PAGES` scanned pages to OCR).
"""

from __future__ import annotations

import ctypes
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from xxgk.errors import ScannedPdfError, UnreadableInputError
from xxgk.readers.base import (
    OCR_HINT_ZH,
    PT_PER_CM,
    OcrSummary,
    RawCell,
    RawDocument,
    RawLine,
    may_hold_table,
    pages_zh,
)
from xxgk.readers.budget import Budget, metered
from xxgk.readers.pdf_budget import measure_streams
from xxgk.readers.pdf_continued import Placed, continues, regrid_cells, regrid_line, regrid_texts, united
from xxgk.readers.pdf_geometry import (
    MAX_EDGES_PER_PAGE,
    MIN_RULING,
    Box,
    Char,
    Edge,
    GridCell,
    TableGrid,
    TooManyRulingsError,
    edges_to_tables,
)
from xxgk.readers.pdf_text import (
    TURNED,
    cell_text,
    chars_to_lines,
    gather_turned_runs,
    join_wrapped,
    line_text,
)
from xxgk.readers.pdf_text_tables import text_tables
from xxgk.readers.sniff import PDF_SUFFIXES, sniff_pdf
from xxgk.report import Provenance
from xxgk.settings import ReadSettings

SCANNED_PDF_CODE = ScannedPdfError.code  # rule catalogue code of "scanned PDF without a text layer"

MAX_PAGES = 500  # annual reports have 3–20 pages; more is refused so nothing hangs
MAX_CHARS_PER_PAGE = 50_000  # a page of dense text has < 5000 characters
MIN_TEXT_CHARS = 20  # a page with fewer characters and an image is a scanned page

THIN = 3.0  # points: a path thinner than this in one direction is a ruling
PAGE_MARGIN = 0.07  # fraction of the page height where page numbers are looked for

_PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*)?\d{1,4}\s*页?(\s*/\s*(共\s*)?\d{1,4}\s*页?)?[-—–\s]*$")


# ---------------------------------------------------------------------------------------------
# Page content


def page_chars(textpage: Any, left: float, top: float) -> list[Char]:
    """The characters of a text page, in points from the top-left corner (`top` is the page's top y)."""
    raw = textpage.raw
    n = pdfium_c.FPDFText_CountChars(raw)
    if n > MAX_CHARS_PER_PAGE:
        n = MAX_CHARS_PER_PAGE
    chars: list[Char] = []
    rect = pdfium_c.FS_RECTF()
    pending_high: int | None = None
    for i in range(n):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if 0xD800 <= code < 0xDC00:  # the first half of a surrogate pair
            pending_high = code
            continue
        if 0xDC00 <= code < 0xE000 and pending_high is not None:
            code = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00)
        pending_high = None
        if code in (0, 2, 10, 13) or code == 0xFFFE:
            continue
        if code == 32 and pdfium_c.FPDFText_IsGenerated(raw, i):
            continue
        if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect):
            continue
        angle = pdfium_c.FPDFText_GetCharAngle(raw, i)
        angle = angle if angle > TURNED else 0.0  # (-1 when pdfium cannot tell)
        chars.append(Char(chr(code), rect.left - left, top - rect.top, rect.right - left, top - rect.bottom, angle))
    return chars


def _bounds(obj: Any) -> tuple[float, float, float, float]:
    lb, bb, rb, tb = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    pdfium_c.FPDFPageObj_GetBounds(obj, lb, bb, rb, tb)
    return lb.value, bb.value, rb.value, tb.value


def _page_objects(page_raw: Any) -> Iterator[tuple[Any, int, tuple[float, ...] | None]]:
    """(object, type, matrix of the enclosing form or None) for every object, one level into forms."""
    for i in range(pdfium_c.FPDFPage_CountObjects(page_raw)):
        obj = pdfium_c.FPDFPage_GetObject(page_raw, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind != pdfium_c.FPDF_PAGEOBJ_FORM:
            yield obj, kind, None
            continue
        m = pdfium_c.FS_MATRIX()
        matrix = (m.a, m.b, m.c, m.d, m.e, m.f) if pdfium_c.FPDFPageObj_GetMatrix(obj, m) else None
        for j in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
            child = pdfium_c.FPDFFormObj_GetObject(obj, j)
            yield child, pdfium_c.FPDFPageObj_GetType(child), matrix


def page_graphics(page_raw: Any, left: float, top: float) -> tuple[list[Edge], list[Box]]:
    """(rulings, the box of each image) of a page, in points from the top-left corner."""
    edges: list[Edge] = []
    images: list[Box] = []
    fill = ctypes.c_int()
    stroke = ctypes.c_int()
    for obj, kind, matrix in _page_objects(page_raw):
        if kind not in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH):
            continue
        lo_x, lo_y, hi_x, hi_y = _bounds(obj)
        if matrix is not None:
            a, b, c, d, e, f = matrix
            corners = ((lo_x, lo_y), (lo_x, hi_y), (hi_x, lo_y), (hi_x, hi_y))
            xs = [a * x + c * y + e for x, y in corners]
            ys = [b * x + d * y + f for x, y in corners]
            lo_x, hi_x, lo_y, hi_y = min(xs), max(xs), min(ys), max(ys)
        x0, x1, y0, y1 = lo_x - left, hi_x - left, top - hi_y, top - lo_y
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images.append((x0, y0, x1, y1))
            continue
        w, h = x1 - x0, y1 - y0
        if h <= THIN and w >= MIN_RULING:
            edges.append(Edge(True, (y0 + y1) / 2, x0, x1))
        elif w <= THIN and h >= MIN_RULING:
            edges.append(Edge(False, (x0 + x1) / 2, y0, y1))
        elif w >= MIN_RULING and h >= MIN_RULING:
            # A stroked rectangle (a cell or table frame drawn with `re`): its four sides.
            if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) or not stroke.value:
                continue
            if pdfium_c.FPDFPath_CountSegments(obj) not in (4, 5):
                continue
            edges += [Edge(True, y0, x0, x1), Edge(True, y1, x0, x1), Edge(False, x0, y0, y1), Edge(False, x1, y0, y1)]
        if len(edges) > MAX_EDGES_PER_PAGE:
            break
    return edges, images


SIDE_MAX_WIDTH = 120.0  # pt: how far left of a table a row-spanning cell without rulings may reach


def _side_text(
    prose: list[Char], tables: list[TableGrid]
) -> tuple[dict[int, tuple[int, tuple[str, float, float]]], list[Char]]:
    """Text just left of a table, within its rows: a row-spanning cell (三、本年度办理结果) that
    continues over a page break has no closing ruling, so the grid misses its column. Its text
    becomes an extra first cell of the row where it starts ({id(table): (row, cell)}); the rest
    stays prose."""
    found: dict[int, list[Char]] = {}
    rest: list[Char] = []
    for ch in prose:
        for t in tables:
            if t.ys[0] <= ch.yc <= t.ys[-1] and t.xs[0] - SIDE_MAX_WIDTH <= ch.xc < t.xs[0]:
                found.setdefault(id(t), []).append(ch)
                break
        else:
            rest.append(ch)
    side: dict[int, tuple[int, tuple[str, float, float]]] = {}
    for t in tables:
        chars = found.get(id(t))
        if chars:
            top = min(c.top for c in chars)
            row = min(max(bisect_right(t.ys, top) - 1, 0), t.nrows - 1)
            side[id(t)] = (row, (cell_text(chars), min(c.x0 for c in chars), top))
    return side, rest


# A line "fills" its width when it falls short of the right edge by less than this many of its
# characters: line breaking moves a character with the punctuation after it (补 | 正、).
FULL_LINE_SLACK = 3


def _extent(line: list[Char]) -> tuple[float, float]:
    """(the right edge of a printed line, the mean width of its characters)."""
    return max(c.x1 for c in line), sum(c.x1 - c.x0 for c in line) / len(line)


def _fills_last_line(chars: list[Char], cell: GridCell) -> bool:
    """Whether the last line of a cell's text fills the cell: text that may go on below, as a label
    wrapped in its cell does."""
    right, em = _extent(chars_to_lines(chars)[-1])
    return cell.x1 - right < FULL_LINE_SLACK * em


@dataclass
class _Item:
    """A prose line or a table row of one page, before it gets its document line number."""

    top: float
    cells: list[Placed]  # (text, x, y) per cell
    table: TableGrid | None = None
    row: int = 0
    # Of a table's last row: x of the cells covering it (its own, or spanning down into it) whose
    # text fills its last line.
    wrapped: frozenset[float] = frozenset()
    right: float = 0.0  # of a prose line: the right edge of its last character…
    em: float = 0.0  # …and the mean width of its characters


@dataclass
class _OpenTable:
    """A table being emitted: its document index, its column borders (of all its parts so far,
    see `pdf_continued`), rows so far."""

    index: int
    borders: list[float]
    rows: int = 0
    lines: list[int] = field(default_factory=list)  # indices of its rows in the document's lines
    head: list[tuple[str, ...]] = field(default_factory=list)  # texts of its first rows
    split_line: int | None = None  # index in the lines of a last row cut by the page break
    wrapped: frozenset[float] = frozenset()  # `_Item.wrapped` of its last row so far
    # Its part on a new page has begun: (its rows before the page, `wrapped` of the last of them).
    # The part's first row (after a repeated header) may be the rest of that last row.
    broken: tuple[int, frozenset[float]] | None = None

    def widen(self, borders: list[float], lines: list[RawLine]) -> None:
        """Take the column borders of a part on a new page: the rows so far are laid out anew."""
        finer = united(self.borders, borders)
        if len(finer) == len(self.borders):
            return
        for i in self.lines:
            lines[i] = regrid_line(lines[i], self.borders, finer)
        self.head = [regrid_texts(texts, self.borders, finer) for texts in self.head]
        self.borders = finer


HEAD_ROWS = 6  # rows at the top of a continued table that may repeat the table's header


def page_items(chars: list[Char], tables: list[TableGrid], height: float) -> tuple[list[_Item], int]:
    """(prose lines and table rows in vertical order, page numbers dropped) of one page."""
    in_cell: dict[int, dict[GridCell, list[Char]]] = {id(t): {} for t in tables}
    prose: list[Char] = []
    for ch in chars:
        x, y = ch.xc, ch.yc
        for t in tables:
            if t.contains(x, y):
                cell = t.cell_at(x, y)
                if cell is not None:
                    in_cell[id(t)].setdefault(cell, []).append(ch)
                    break
        else:
            prose.append(ch)
    for t in tables:
        gather_turned_runs(in_cell[id(t)])
    side, prose = _side_text(prose, tables)
    items: list[_Item] = []
    dropped = 0
    for line in chars_to_lines(prose):
        text = line_text(line)
        if not text:
            continue
        top = min(c.top for c in line)
        if (top < height * PAGE_MARGIN or top > height * (1 - PAGE_MARGIN)) and _PAGE_NUMBER.match(text):
            dropped += 1
            continue
        right, em = _extent(line)
        items.append(_Item(top, [(text, line[0].x0, top)], right=right, em=em))
    for t in tables:
        texts = {cell: cell_text(cs) for cell, cs in in_cell[id(t)].items()}
        side_row, side_cell = side.get(id(t), (-1, ("", 0.0, 0.0)))
        for r in range(t.nrows):
            row: list[Placed] = [side_cell] if r == side_row else []
            for c in range(t.ncols):
                owner = t.owner.get((r, c))
                if owner is not None and owner.row == r and owner.col == c:
                    row.append((texts.get(owner, ""), owner.x0, owner.top))
                else:
                    row.append(("", t.xs[c], t.ys[r]))
            wrapped: frozenset[float] = frozenset()
            if r == t.nrows - 1:  # (the row a page break may cut: the cells covering it, spans from above too)
                owners = {o for c in range(t.ncols) if (o := t.owner.get((r, c))) is not None and o in texts}
                wrapped = frozenset(_recorded(o.x0) for o in owners if _fills_last_line(in_cell[id(t)][o], o))
            items.append(_Item(t.ys[r], row, t, r, wrapped))
    items.sort(key=lambda it: it.top)
    return items, dropped


class PdfReader:
    name = "pdf"
    suffixes = PDF_SUFFIXES

    def sniff(self, head: bytes, suffix: str) -> bool:
        return sniff_pdf(head, suffix)

    def read(self, path: str, data: bytes, settings: ReadSettings) -> RawDocument:
        with metered(settings, path) as budget:
            measure_streams(data, budget)  # (before pdfium parses any page: see pdf_budget)
            return self._open(path, data, settings, budget)

    def _open(self, path: str, data: bytes, settings: ReadSettings, budget: Budget) -> RawDocument:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as e:
            code = getattr(e, "err_code", None)
            if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
                raise UnreadableInputError(
                    "这是加密的 PDF（需要密码才能打开），无法读取；请提供未加密的文件", path=path
                ) from None
            raise UnreadableInputError("该 PDF 文件已损坏或不完整，无法读取", path=path) from None
        try:
            return self._read(pdf, path, settings, budget)
        except pdfium.PdfiumError:
            raise UnreadableInputError("该 PDF 文件已损坏或不完整，无法读取", path=path) from None
        finally:
            pdf.close()

    def _read(self, pdf: Any, path: str, settings: ReadSettings, budget: Budget) -> RawDocument:
        npages = len(pdf)
        budget.page_count(npages)
        if npages > MAX_PAGES:
            raise UnreadableInputError(
                f"PDF 页数过多（{npages} 页，上限 {MAX_PAGES} 页），不像是一份年度报告", path=path
            )
        if npages == 0:
            raise UnreadableInputError("该 PDF 文件没有任何页面", path=path)
        lines: list[RawLine] = []
        notes: list[str] = []
        textless: list[int] = []
        with_text = 0
        dropped_numbers: list[int] = []
        ntables = 0
        open_table: _OpenTable | None = None
        running: int | None = None  # the last line, when it is prose filling its line: it may go on below
        block = (0.0, 0.0)  # the left and right edges of the text (see `_prose_block`)
        ocr_pages: list[int] = []  # scanned pages read by OCR
        label_cut: _LabelCut | None = None  # a borderless table's row whose label went on to the next page
        picture_pages: list[int] = []  # pages of text whose large pictures were read by OCR
        pictures = 0
        doubts: dict[_CellAt, float] = {}  # table cells holding text recognised with low confidence
        for number in range(1, npages + 1):
            budget.tick()
            page = pdf[number - 1]
            try:
                left, bottom, _, top = page.get_bbox()
                textpage = page.get_textpage()
                try:
                    chars = page_chars(textpage, left, top)
                finally:
                    textpage.close()
                edges, images = page_graphics(page.raw, left, top)
                visible = sum(1 for c in chars if not c.text.isspace())
                scanned = visible < MIN_TEXT_CHARS and bool(images)
                page_doubts: list[tuple[Char, float]] = []
                if scanned and settings.ocr:
                    chars, edges, page_doubts = _ocr_page(page, path, len(ocr_pages) + len(picture_pages))
                    ocr_pages.append(number)
                    scanned = False
                elif not scanned and (big := [b for b in images if _may_hold_table(b)]):
                    # A page of text with pictures that may be tables (pasted screenshots): read
                    # by OCR with --ocr, else counted for R014.
                    if settings.ocr:
                        done = len(ocr_pages) + len(picture_pages)
                        more_chars, more_edges, page_doubts = _ocr_page(page, path, done, regions=big)
                        chars, edges = chars + more_chars, edges + more_edges
                        picture_pages.append(number)
                    else:
                        pictures += len(big)
            finally:
                page.close()
            if scanned:
                textless.append(number)
                open_table = running = label_cut = None
                continue
            if visible:
                with_text += 1
            if len(chars) >= MAX_CHARS_PER_PAGE:
                notes.append(f"第{number}页文字过多，只读取了前 {MAX_CHARS_PER_PAGE} 个字符")
            try:
                tables = edges_to_tables(edges)
            except TooManyRulingsError:
                tables = []
                notes.append(f"第{number}页表格线过多，未识别该页的表格，按文字读取")
            ruled = {id(t) for t in tables}
            tables = _with_text_tables(chars, tables)
            budget.add_cells(sum(t.nrows * t.ncols for t in tables))
            items, dropped = page_items(chars, tables, top - bottom)
            if label_cut is not None and label_cut.labelled:
                _label_tail(lines, label_cut, items, ruled)
            elif label_cut is not None:
                items = _label_rest(lines, label_cut, items)
            label_cut = None
            if page_doubts:
                doubts.update(_doubtful_cells(number, tables, page_doubts))
            if dropped:
                dropped_numbers.append(number)
            continuing = open_table is not None
            seen: dict[int, _OpenTable] = {}
            block = _prose_block(items, block[1])
            for item in items:
                if item.table is None:
                    open_table = None
                    continuing = False
                    if running is not None and _runs_on(item, block):
                        lines[running] = _run_on(lines[running], item.cells[0][0])
                    else:
                        lines.append(_prose_line(path, number, len(lines) + 1, item))
                    running = len(lines) - 1 if _full(item, block) else None
                    continue
                running = None
                current = seen.get(id(item.table))
                if current is None:
                    prev = open_table
                    if continuing and prev is not None and continues(prev.borders, item.table.xs):
                        current = prev
                        current.widen(item.table.xs, lines)
                        current.broken = (len(current.lines), current.wrapped) if current.lines else None
                    else:
                        current = _OpenTable(ntables, list(item.table.xs))
                        ntables += 1
                    seen[id(item.table)] = current
                    continuing = False
                open_table = current
                cells = item.cells
                if len(item.table.xs) != len(current.borders):
                    cells = regrid_cells(cells, item.table.xs, current.borders)
                texts = tuple(text for text, _, _ in cells)
                if current.split_line is not None or current.broken is not None:
                    repeated = item.row < len(current.head) and texts == current.head[item.row]
                    if not repeated:  # the first row of the part on this page: the rest of the row above?
                        cut, broken = current.split_line, current.broken
                        current.split_line = current.broken = None
                        if cut is not None and _rest_of_cut_row(lines[cut], texts):
                            lines[cut] = _continue_cells(lines[cut], dict(enumerate(texts)))
                            continue
                        rests = None
                        if broken is not None:
                            before, wrapped = broken
                            rests = _rest_of_row(lines, current.lines[:before], texts, wrapped)
                        if rests is not None:
                            for k in set(rests.values()):
                                goes_on = {col: texts[col] for col, at in rests.items() if at == k}
                                lines[k] = _continue_cells(lines[k], goes_on)
                            continue
                current.lines.append(len(lines))
                current.wrapped = item.wrapped
                lines.append(_table_line(path, number, len(lines) + 1, current, cells))
                if id(item.table) not in ruled:
                    label_cut = _label_cut(len(lines) - 1, cells) if item is items[-1] else None
                if current.rows < HEAD_ROWS:
                    current.head.append(texts)
                current.rows += 1
                if item.row == item.table.nrows - 1 and item.table.open_row(item.row):
                    current.split_line = len(lines) - 1
        if textless and not with_text:
            raise ScannedPdfError(
                f"这是扫描版 PDF（第{pages_zh(textless)}页没有文字层），无法直接读取；{OCR_HINT_ZH}",
                path=path,
            )
        # (pages without text, and pages read by OCR, are findings of their own: R012, R010)
        if dropped_numbers:
            notes.append(f"删除了第{pages_zh(dropped_numbers)}页的页码")
        summary = None
        if ocr_pages or picture_pages:
            from xxgk.readers.ocr import LOW_CONFIDENCE

            summary = OcrSummary(
                pages=ocr_pages,
                picture_pages=picture_pages,
                threshold=LOW_CONFIDENCE,
                doubts=[
                    (cell.source, cell.text, confidence)
                    for line in lines
                    for cell in line.cells
                    if cell.text
                    and (confidence := doubts.get((cell.source.page, cell.source.x, cell.source.y))) is not None
                    and cell.source.table is not None
                ],
            )
        return RawDocument(
            path,
            lines,
            encoding="pdf",
            reader=self.name,
            notes=notes,
            ocr=summary,
            textless_pages=textless,
            pictures=pictures,
        )


@dataclass(frozen=True)
class _LabelCut:
    """A row of a table without rulings that ends a page with its numbers but no label: the page
    break cut the row, its label (longer, wrapped, so vertically centred lower than its numbers)
    printed at the top of the next page."""

    line: int  # its index in the document's lines
    column: int  # the cell its label goes into: the one before its first number
    numbers_x: float  # where its numbers start: the label stands left of it
    # The row has a label (its last line may still have gone on to the next page: `_label_tail`).
    labelled: bool = False


MAX_LABEL_REST = 6  # printed lines of a label the page break sent to the next page


def _label_cut(line: int, cells: list[Placed]) -> _LabelCut | None:
    """The row at `line` (its `cells`) as a `_LabelCut`: label cells, then numbers only; without a
    label when its label cells are empty (表四's row of numbers starts with a number: none)."""
    texts = [text for text, _, _ in cells]
    first = next((k for k, text in enumerate(texts) if _NUMBER.match(text)), None)
    if not first or not all(_NUMBER.match(text) for text in texts[first:] if text):
        return None
    labels = [k for k, text in enumerate(texts[:first]) if text]
    if labels:
        return _LabelCut(line, labels[-1], cells[first][1], labelled=True)
    return _LabelCut(line, first - 1, cells[first][1])


def _label_rest(lines: list[RawLine], cut: _LabelCut, items: list[_Item]) -> list[_Item]:
    """The items of a page after a `_LabelCut`: the lines at its top that hold text but no number,
    left of the cut row's numbers, up to the table's first row of numbers, are the rest of the cut
    row's label (1.申请人无正当理由逾期不补正… over two lines, 8.属于行政 | 查询事项): it goes to
    the row's label cell, and they leave the page. Lines over the numbers before them are the
    table's header repeated on the page (a browser repeats it) and stay. Unless the table goes on
    (a row of numbers follows), nothing is taken."""
    texts: list[str] = []
    taken: list[int] = []
    for k, item in enumerate(items):
        words = [text for text, _, _ in item.cells if text]
        if item.table is not None and any(_NUMBER.match(t) for t in words):
            if not texts:
                return items
            lines[cut.line] = _continue_cells(lines[cut.line], {cut.column: join_wrapped(texts)})
            _move_tail(lines, cut, item)  # (and its last line may be printed in the next row's cell)
            return [it for i, it in enumerate(items) if i not in taken]
        if len(taken) >= MAX_LABEL_REST or k >= MAX_LABEL_REST + HEAD_ROWS or any(_NUMBER.match(t) for t in words):
            return items
        if item.table is None and _PAGE_HEADING.match(words[0]):
            return items
        over = (
            item.right > cut.numbers_x if item.table is None else any(x >= cut.numbers_x for t, x, _ in item.cells if t)
        )
        if over:
            if texts:
                return items
            continue  # (the header repeated)
        texts += words
        taken.append(k)
    return items


_PAGE_HEADING = re.compile(r"[一二三四五六七八九十]+、")
# A label cell starting with a short piece without an item number before a numbered label (查询事项 |
# 1.本机关不掌握…, 息 | 6.属于四类…): the piece is the last line of the label above.
_TAIL_THEN_ITEM = re.compile(
    r"(?P<tail>[^\d（(一二三四五六七八九十]{1,12}?)(?P<own>(?:\d{1,2}[.．]|[（(][一二三四五六七八九十]{1,2}[）)]).+)"
)


def _label_tail(lines: list[RawLine], cut: _LabelCut, items: list[_Item], ruled: set[int]) -> None:
    """The first row of a table without rulings at the top of a page, after a page that ended with
    a row of it (`cut`, labelled): a piece before its own numbered label is the last line of the
    label of that row, which the page break sent here (8.属于行政 | 查询事项). It goes back (in place)."""
    if items and items[0].table is not None and id(items[0].table) not in ruled:
        _move_tail(lines, cut, items[0])


def _move_tail(lines: list[RawLine], cut: _LabelCut, item: _Item) -> None:
    cells = item.cells
    first = next((k for k, (text, _, _) in enumerate(cells) if text), None)
    if first is None or _NUMBER.match(cells[first][0]):
        return
    found = _TAIL_THEN_ITEM.fullmatch(cells[first][0])
    if found is None:
        return
    lines[cut.line] = _continue_cells(lines[cut.line], {cut.column: found["tail"]})
    _, x, y = cells[first]
    cells[first] = (found["own"], x, y)


def _with_text_tables(chars: list[Char], tables: list[TableGrid]) -> list[TableGrid]:
    """The ruled tables of a page and the tables without rulings its other text draws
    (`pdf_text_tables`: a web page's `border="0"` table printed to PDF), top to bottom."""
    boxes = [(t.xs[0], t.ys[0], t.xs[-1], t.ys[-1]) for t in tables]
    rest = [ch for ch in chars if not any(x0 <= ch.xc <= x1 and y0 <= ch.yc <= y1 for x0, y0, x1, y1 in boxes)]
    if not any(ch.text.isdigit() for ch in rest):
        return tables  # (no number outside the ruled tables: no table without rulings either)
    found = text_tables(rest)
    if not found:
        return tables
    return sorted([*tables, *found], key=lambda t: t.ys[0])


def _may_hold_table(box: Box) -> bool:
    x0, top, x1, bottom = box
    return may_hold_table((x1 - x0) / PT_PER_CM, (bottom - top) / PT_PER_CM)


def _ocr_page(
    page: Any, path: str, done: int, regions: list[Box] | None = None
) -> tuple[list[Char], list[Edge], list[tuple[Char, float]]]:
    """A scanned page, or the `regions` of a page (its pictures), read by OCR (`xxgk.readers.ocr`,
    imported only here: the extra is optional)."""
    from xxgk.readers import ocr

    if done >= ocr.MAX_OCR_PAGES:
        raise ocr.too_many_pages(path)
    try:
        read = ocr.read_page(page, regions=regions)
    except ocr.OcrUnavailable:
        raise ScannedPdfError(
            f"这是扫描件（页面没有文字层），需要用 OCR 识别，但{ocr.ENGINE_MISSING_ZH}", path=path
        ) from None
    return read.chars, read.edges, read.doubts


_CellAt = tuple[int | None, float | None, float | None]  # (page, x, y) of a table cell, as its Provenance has them


def _doubtful_cells(page: int, tables: list[TableGrid], doubts: list[tuple[Char, float]]) -> dict[_CellAt, float]:
    """(page, x, y) of the table cells holding a box recognised with low confidence, as their
    provenance records them (the cell's top-left corner, `_recorded`), with the lowest confidence."""
    found: dict[_CellAt, float] = {}
    for char, confidence in doubts:
        for t in tables:
            if t.contains(char.xc, char.yc):
                cell = t.cell_at(char.xc, char.yc)
                if cell is not None:
                    key = (page, _recorded(cell.x0), _recorded(cell.top))
                    found[key] = min(confidence, found.get(key, 1.0))
                break
    return found


def _rest_of_row(
    lines: list[RawLine], table_lines: list[int], texts: tuple[str, ...], wrapped: frozenset[float]
) -> dict[int, int] | None:
    """Where `texts`, the first row of a table's part at the top of a page, goes on the rows above
    the page break ({column: index in `lines`}), if it is the rest of a row cut by the break although
    ruled on both sides (Word and LibreOffice let a row break across pages and rule both parts).

    It is when each of its texts stands under a cell of the table's last row above (its own, or
    one spanning down into it) whose last line is full (`wrapped`: the text went on; 1.申请人无正当
    理由逾期不 | 补正…, 结果 | 维持, 三、本年度办理结 | 果), none of them is a number, and that row
    has text where it has none (its values, printed above the break). A row of its own under a
    short label (规章 | 行政规范性文件 with its values blank) is not."""
    last = lines[table_lines[-1]].cells
    if len(last) != len(texts) or not any(texts) or not any(c.text and not t for c, t in zip(last, texts, strict=True)):
        return None
    rests: dict[int, int] = {}
    for col, text in enumerate(texts):
        if not text:
            continue
        # The cell above: the last row's own, or the nearest text up the column (a cell spanning down).
        above = next((k for k in reversed(table_lines) if col < len(lines[k].cells) and lines[k].cells[col].text), None)
        if above is None or _NUMBER.match(text):
            return None
        cell = lines[above].cells[col]
        if cell.source.x not in wrapped or _NUMBER.match(cell.text):
            return None
        rests[col] = above
    return rests


def _rest_of_cut_row(line: RawLine, texts: tuple[str, ...]) -> bool:
    """Whether `texts`, the first row of a table's part on a new page, is the rest of `line`, the
    row the page break cut (its bottom ruling missing): the same cells, and no cell holding a
    number on both sides. A row that ended on the page before whose bottom ruling was drawn on
    the next page only (a merged cell beside it runs on) is complete: the next row is a row of
    its own, not to be run into it (1.本机关不掌握… | 2.没有现成信息… and their values)."""
    if len(texts) != len(line.cells):
        return False
    return not any(
        _NUMBER.match(cell.text) and _NUMBER.match(text) for cell, text in zip(line.cells, texts, strict=True)
    )


def _continue_cells(line: RawLine, rests: dict[int, str]) -> RawLine:
    """A table row whose cells (by column) go on with `rests`, the texts below a page break."""
    return RawLine(
        tuple(
            RawCell(join_wrapped([cell.text, rests[col]]), cell.source) if col in rests else cell
            for col, cell in enumerate(line.cells)
        )
    )


_NUMBER = re.compile(r"\d+(?:\.\d+)?$")


def _recorded(position: float) -> float:
    """A position in points as Provenance records it (to 0.1 pt; OCR doubts are matched by it)."""
    return round(position, 1)


# Where a printed line starts a new paragraph or item, whatever came before it.
_NEW_ITEM = re.compile(
    r"[（(]?(?:[一二三四五六七八九十]+|\d{1,2})[、.．)）]|第[一二三四五六七八九十]|附件|表[一二三四]"
)


def _prose_block(items: list[_Item], right: float) -> tuple[float, float]:
    """The left and right edges of a page's prose (its unindented lines start at the left one); the
    right one at least `right`, that of the pages before (they share the margins, and a page of
    tables may have no full line of prose to tell: its heading would pass for one). Tables do not
    count: a pasted screenshot may stand out into the margin."""
    prose = [it for it in items if it.table is None]
    if not prose:
        return 0.0, right
    return min(it.cells[0][1] for it in prose), max(right, *(it.right for it in prose))


MIN_FULL_LINE_CHARS = 20  # a line of body text holds 28–40 characters; headings and signatures are shorter


def _full(item: _Item, block: tuple[float, float]) -> bool:
    """A prose line that fills the width of its page's prose, and is as long as a line of body text
    (in a document of short lines the widest is no measure): it may go on."""
    right, em = item.right, item.em
    return right > block[1] - FULL_LINE_SLACK * em and right - block[0] >= MIN_FULL_LINE_CHARS * em


def _runs_on(item: _Item, block: tuple[float, float]) -> bool:
    """Whether a prose line continues the full line above it: it starts at the left edge (a new
    paragraph is indented two characters, a signature or centred title more) and does not start
    a heading or an item (一、, （二）, 3., 附件, 表三)."""
    text, x, _ = item.cells[0]
    return x < block[0] + 0.5 * item.em and not _NEW_ITEM.match(text)


def _run_on(line: RawLine, text: str) -> RawLine:
    """A paragraph's line with the next printed line of the paragraph added (its source stays the first's)."""
    cell = line.cells[0]
    return RawLine((RawCell(join_wrapped([cell.text, text]), cell.source),))


def _prose_line(path: str, page: int, line: int, item: _Item) -> RawLine:
    text, x, y = item.cells[0]
    source = Provenance(path, line=line, page=page, reader="pdf", x=_recorded(x), y=_recorded(y))
    return RawLine((RawCell(text, source),))


def _table_line(path: str, page: int, line: int, table: _OpenTable, cells: list[Placed]) -> RawLine:
    return RawLine(
        tuple(
            RawCell(
                text,
                Provenance(
                    path,
                    line=line,
                    cell=col,
                    page=page,
                    reader="pdf",
                    table=table.index,
                    row=table.rows,
                    x=_recorded(x),
                    y=_recorded(y),
                ),
            )
            for col, (text, x, y) in enumerate(cells)
        )
    )


__all__ = ["MAX_PAGES", "OCR_HINT_ZH", "SCANNED_PDF_CODE", "PdfReader"]
