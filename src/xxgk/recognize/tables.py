"""Assign table values by label: a state machine over the document's cells.

The recogniser walks every cell in document order. A cell is either an anchor (a caption,
header, column, row or group label of the format), a value (a number, a dash, 无), or other
text. Values are collected after the row label they follow and assigned when the next anchor
closes the row:

- exactly as many values as the row has cells: in order (this also repairs rows whose cells
  were shifted by merged label cells), unless text extraction split them over lines in an order
  that need not be the columns' (`TableState.in_printed_order`);
- fewer, on one table line: by position (every field of a table line is a cell, blank ones
  too), blanks missing, when the fields after the label leave one place for the values or the
  header's positions are those of every complete row of the table (`TableState.positional`);
- otherwise: every cell of the row is UNCERTAIN and R001 says what was read. Never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from operator import itemgetter
from typing import Any, NamedTuple

from xxgk.findings import Finding
from xxgk.format import FormatSpec, label_key, load_format
from xxgk.format.spec import WHOLE_DOCUMENT, LocalColumnSpec, PhysicalRow
from xxgk.readers.base import RawDocument, RawLine
from xxgk.recognize.anchors import Anchor, AnchorIndex, AnchorKind, CellKind
from xxgk.recognize.recover import equation_total, identity_equations
from xxgk.recognize.similarity import MIN_SIMILAR_LABEL
from xxgk.recognize.values import parse_value, shown_text
from xxgk.report import Cell, CellState, Provenance, Report

# Enum members as module globals: `a.kind is _ROW` is a fast global load, `AnchorKind.ROW` an
# attribute lookup on the enum class (slower), and these tests run for every label read.
_ROW, _GROUP, _CAPTION, _COLUMN = AnchorKind.ROW, AnchorKind.GROUP, AnchorKind.CAPTION, AnchorKind.COLUMN

_KIND_PRIORITY = {
    AnchorKind.ROW: 0,
    AnchorKind.GROUP: 1,
    AnchorKind.CAPTION: 2,
    AnchorKind.COLUMN: 3,
    AnchorKind.HEADER: 4,
}
MAX_LABEL_CHARS = 40  # longer text is prose, not a table label
MIN_PREFIX_CHARS = 2
MAX_TEXT_VALUE_CHARS = 10  # text this short inside an incomplete row is a cell value, not a label


def _values_on_line(values: list[Any]) -> int:
    """How many of a row's values came from the line of its last value."""
    line = values[-1].line
    return sum(1 for v in values if v.line == line)


class Token(NamedTuple):
    """A non-empty cell as the recogniser sees it (made once per cell: a NamedTuple for speed)."""

    text: str
    key: str
    line: int
    cell: int
    ncells: int
    source: Provenance


class RowRun(NamedTuple):
    """A closed format row, values that came while no row was open (`row` None), or a column label
    (`column` set, nothing to place), in document order: what `xxgk.recognize.reading_order` needs
    to place numbers printed after their labels, or under each column label in turn."""

    table: str
    row: PhysicalRow | None
    values: list[Token]
    assigned: bool  # the state machine set the row's cells itself (in order or by position)
    column: str | None = None  # a column label's column (本年制发件数 -> "issued")
    label_line: int | None = None  # the line of the row's label, for a row left UNCERTAIN (R001)


_LINE = itemgetter(2)  # Token.line
_new_run = new_cell = tuple.__new__  # RowRun(...), Cell(...) without their Python-level __new__ frames

# Two or more numbers in one text run, "5900 67620" (reading-order text of adjacent narrow cells).
_NUMBER_RUN = re.compile(r"^\d+(?:[ \t\u3000]+\d+)+$")
_PLAIN_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_NUMBER_WORD = re.compile(r"\d+(?:\.\d+)?")
_TRAILING_NUMBERS = re.compile(r"^(.*?\D)(?:[ \t\u3000]+\d+(?:\.\d+)?)+$")  # 务信息 22
# A number with a note in parentheses right after it, the note possibly holding spaces and numbers
# of its own: "17（其中修订 5 件）", "40(含自然失效12件)". One cell (parse_value keeps 17 as the value
# and the note as the cell's note), never three: the note's numbers are not values of the next
# cells. An enumeration mark ("0 （三）不予公开") is a label's start, not a note: it has a space
# before it, and a note is never only a numeral.
_NOTED_NUMBER = re.compile(r"\d+(?:\.\d+)?[（(](?![一二三四五六七八九十\d]+[)）])[^()（）\n]{1,40}[)）]")
# The words of a reading-order line: a noted number is one word, whatever spaces its note holds.
_WORD = re.compile(_NOTED_NUMBER.pattern + r"(?=\s|$)|\S+")


@dataclass(slots=True)
class OpenRow:
    row: PhysicalRow | None  # None for an extension row (a label outside the format)
    label: Token | None
    matched_key: str  # the part of the label read so far (labels may be split over cells)
    full_key: str
    values: list[Token] = field(default_factory=list)
    variant: bool = False
    group: str | None = None  # set for a 2019-style single-row group
    printed: str = ""  # the label as printed so far, when matched as a short variant of the full label


@dataclass
class TableState:
    spec: FormatSpec
    index: AnchorIndex
    report: Report
    single_row_groups: frozenset[str]
    table: str | None = None
    section_table: str | None = None  # the table of the current section; "" before any heading
    block: str | None = None
    row: OpenRow | None = None
    t4_header_seen: bool = False
    # The tables one of whose official rows has been read: before that, a label with numbers is the
    # prose a column word of the table was found in (104: 收到和处理…申请情况 in the preface, then
    # 需要 | 20 | 21 of the sentence on the period), not a row the agency added (B041).
    rows_read: set[str] = field(default_factory=set)
    pending_group: Anchor | None = None
    partial_header: tuple[str, str] | None = None  # (matched, full) of a header split over cells
    # (printed, longer forms) of a column label read whole whose longer forms (variants with a note)
    # may go on in the next cells
    header_note: tuple[str, tuple[str, ...]] | None = None
    consumed: set[int] = field(default_factory=set)
    positions: dict[tuple[str, str | None], dict[str, int]] = field(default_factory=dict)
    lines: dict[int, list[Token]] = field(default_factory=dict)
    # Per table (block): whether every complete row on a table line sat at the header's positions.
    rows_at_header: dict[tuple[str, str | None], bool] = field(default_factory=dict)
    # Rows `positional` would place by the header's positions: (row, label, values, columns, table
    # block, index of its RowRun), settled once every row is read (`settle_deferred`).
    deferred: list[tuple[PhysicalRow, Token | None, list[Token], list[int], tuple[str, str | None], int]] = field(
        default_factory=list
    )
    aligned: frozenset[int] = frozenset()  # RawDocument.aligned: lines laid out in columns
    doc_lines: list[RawLine] = field(default_factory=list)  # RawDocument.lines
    doc_key: str | None = None  # see document_key
    # Reading-order record (see RowRun): every closed format row and every orphan value, in order.
    runs: list[RowRun] = field(default_factory=list)
    # A local column found in the table's header (法人或其他组织小计): (its spec entry, its cell
    # position on a multi-cell line or None, the B041 finding's list of values read under it).
    local_column: tuple[LocalColumnSpec, int | None, list[str]] | None = None

    # -- helpers ---------------------------------------------------------------------------
    def diag(
        self,
        code: str,
        location: str,
        *,
        expected: Any = None,
        found: Any = None,
        source: Provenance | None = None,
        **params: Any,
    ) -> None:
        self.report.diagnostics.append(Finding(code, location, expected, found, source, params))

    def choose(self, anchors: tuple[Anchor, ...]) -> Anchor:
        if len(anchors) == 1:
            return anchors[0]
        pool = [a for a in anchors if a.table == self.table] or list(anchors)
        if self.table == "t2" and self.block:
            pool = [a for a in pool if a.block in (None, self.block)] or pool
        return min(pool, key=lambda a: _KIND_PRIORITY[a.kind])

    def prefix_anchor(self, key: str) -> Anchor | None:
        """A label cut over cells: `key` is the start of exactly one label (of the current table)."""
        if len(key) < MIN_PREFIX_CHARS:
            return None
        return self.index.prefix_anchor(self.table, key)

    def similar_row(self, key: str) -> Anchor | None:
        """The row label `key` is a typo of (several characters lost or misread: 5.属于三类内部信息),
        when it is the one closest label of the table (`AnchorIndex.similar_anchor`) and that row
        is still free: not matched already, and its label not printed as it is anywhere in the
        document (the row is there; this text is something else, a local row)."""
        assert self.table is not None
        anchor = self.index.similar_anchor(self.table, key)
        if anchor is None or anchor.kind is not _ROW or anchor.row is None:
            return None
        if any(k.startswith(key) for k in anchor.label.keys):
            # The start of the label, its end wrapped onto the lines below (a narrow column): the
            # prefix rules decide that, with the row's cells; a cut label is no typo to place by.
            return None
        if self.report.rows_found.get(f"{anchor.table}.{anchor.row.key}"):
            return None
        printed = self.document_key()
        if any(k in printed for k in anchor.label.keys if len(k) >= MIN_SIMILAR_LABEL):
            return None
        return anchor

    def document_key(self) -> str:
        """The matching keys of every line of the document, run together (made on first use: only
        a label that matches no other way needs it)."""
        if self.doc_key is None:
            self.doc_key = "".join(label_key(c.text) for line in self.doc_lines for c in line.cells if c.text)
        return self.doc_key

    # -- events ----------------------------------------------------------------------------
    def feed(self, tok: Token, kind: CellKind) -> None:
        """One non-empty cell, in document order: an anchor, a value or other text."""
        row = self.row
        if (
            kind.anchors
            and not (
                row is not None
                and row.row is not None
                and row.matched_key != row.full_key
                and row.full_key.startswith(row.matched_key + tok.key)
            )
            and (
                self.table is None
                or kind.anchors[0].table == self.table
                or not self.piece_of_own_header(kind.anchors, tok.key)
            )
        ):
            anchors = kind.anchors
            self.anchor(anchors[0] if len(anchors) == 1 else self.choose(anchors), tok)
        elif kind.is_value:
            self.value(tok)
            return
        else:
            self.text(tok)
        for fid in kind.markers:
            self.report.markers.setdefault(fid, []).append(tok.text)

    def piece_of_own_header(self, anchors: tuple[Anchor, ...], key: str) -> bool:
        """A label of another table only, inside this table's own section, that is a piece of one of
        this table's header labels: 其他 (表三's column) printed alone from 表四's 其他结果."""
        table = self.table
        return (
            self.section_table == table
            and all(a.table != table for a in anchors)
            and key in self.index.heading_pieces(table)
        )

    def in_table(self) -> bool:
        """Whether the cells read now are inside the current table: in its own section (or before
        any heading) and after one of its labels. A section's prose before its table (crawler text
        cut a word per line: 2019 | 年 | ,本机关主动公开…文件 | 277 | 件) is no table row."""
        table = self.table
        return table is not None and self.section_table in ("", table) and self.report.tables_found[table]

    def section(self, table: str | None) -> None:
        self.close_row()
        self.table, self.block, self.pending_group, self.partial_header = table, None, None, None
        self.section_table, self.header_note = table, None

    def anchor(self, a: Anchor, tok: Token, *, partial: bool = False) -> None:
        self.consumed.add(tok.line)
        if a.kind is AnchorKind.HEADER and self.t4_part(tok.key):
            return
        self.header_note = None
        if a.table != self.table:
            self.close_row()
            self.table, self.block = a.table, None
        self.report.tables_found[a.table] = True
        if a.kind is _ROW:
            self.close_row()
            assert a.row is not None
            self.rows_read.add(a.table)
            full = a.label.key
            self.row = OpenRow(a.row, tok, tok.key if partial else full, full, variant=a.variant, printed=tok.key)
            if a.variant:
                self.diag("R003", f"{a.table}.{a.ref}", expected=a.label.text, found=tok.text, source=tok.source)
            self.pending_group = None
            return
        held = self.row if a.kind is _GROUP and self.label_goes_on(self.row) else None
        self.close_row()
        if a.kind is _GROUP:
            # A row-group label printed in the middle of a row's wrapped label (extraction by layout
            # prints a merged cell's label beside the middle of its rows) does not end that row.
            self.row = held
            self.pending_group = a if a.ref in self.single_row_groups else None
            # A group label cut over lines ("（五）不予" … "处理"): its rest is consumed, not read as a value.
            self.partial_header = (tok.key, a.label.key) if partial else None
            return
        if a.kind is _CAPTION:
            self.block = a.block
        if a.table == "t4":
            self.t4_header_seen = True
        self.partial_header = (tok.key, a.label.key) if partial else None
        if a.kind is _COLUMN and not partial and not a.variant:
            # A column label printed whole, the note of a longer variant cut over the next lines:
            # 对外公开总数量 | （ | 2019 | 年起）, 采购总金额 | （元）. (A variant printed is read as it
            # is: the rest of a longer official label is left to the header pieces, as before.)
            forms = tuple(k for k in a.label.keys if len(k) > len(tok.key) and k.startswith(tok.key))
            self.header_note = (tok.key, forms) if forms else None
        if a.kind is _COLUMN and tok.ncells == 1:  # (a label of its own, as reading-order text prints it)
            self.runs.append(_new_run(RowRun, (a.table, None, [], True, a.ref, None)))
        if a.kind is _COLUMN and tok.ncells >= 3:
            block = a.block if a.table == "t2" else None
            slot = a.ref if a.table != "t4" else f"{len(self.positions.get((a.table, block), {}))}"
            pos = self.positions.setdefault((a.table, block), {})
            if tok.cell not in pos.values():
                pos[slot] = tok.cell

    def goes_on_note(self, tok: Token) -> bool:
        """Whether `tok` goes on with a longer form of the column label just read (`header_note`):
        consumed if so; the note ends otherwise."""
        assert self.header_note is not None
        matched, forms = self.header_note
        matched += tok.key
        forms = tuple(f for f in forms if f.startswith(matched))
        self.header_note = (matched, forms) if forms and matched not in forms else None
        if forms:
            self.consumed.add(tok.line)
        return bool(forms)

    def label_goes_on(self, row: OpenRow | None) -> bool:
        """Whether `row` is a row whose label is cut short and no value came yet: a format row matched
        by the start of its label, or an unknown text that starts a label of the table."""
        if row is None or row.values or row.label is None:
            return False
        if row.row is not None:
            return row.matched_key != row.full_key
        return len(row.full_key) >= MIN_PREFIX_CHARS and row.full_key in self.index.prefixes

    def value(self, tok: Token) -> None:
        if self.row is None:
            if self.header_note is not None and self.goes_on_note(tok):  # a number in a header's note
                return
            if self.table == "t4" and (self.t4_header_seen or self.section_table == "t4"):
                # The one 表四 value row; its header may be generic (数据1…) or missing altogether.
                t4 = self.spec.tables["t4"].physical_rows[0]
                self.row = OpenRow(t4, None, "", "")
            elif self.table == "t3" and self.pending_group is not None:
                group = self.pending_group
                row = PhysicalRow(
                    "t3", group.label, tuple(f"group.{c.key}" for c in self.spec.tables["t3"].columns), group.ref
                )
                self.row = OpenRow(row, tok, "", "", group=group.ref)
                self.pending_group = None
            else:
                if self.table is not None and self.in_table():
                    # Inside a table: reading-order text prints numbers after a run of row labels.
                    # Kept for the reading-order pass, which places them only when the count fits.
                    self.consumed.add(tok.line)
                    self.runs.append(RowRun(self.table, None, [tok], False))
                return  # a number outside any table row: prose, a page number…
        self.consumed.add(tok.line)
        self.row.values.append(tok)

    def t4_part(self, key: str) -> bool:
        """表四 printed as three tables, one per group, each under its caption (行政复议 |
        行政诉讼（未经复议直接起诉） | 行政诉讼（复议后起诉）) with its five numbers, as OCR/LLM
        Markdown splits it: the next group's caption, right after the numbers of the groups before
        it, goes on with the one value row (neither its end nor a row of its own, B041)."""
        row = self.row
        if self.table != "t4" or row is None or row.label is not None or row.row is None or row.row.table != "t4":
            return False
        t4 = self.spec.tables["t4"]
        n, width = len(row.values), len(t4.columns)
        if not n or n % width or n // width >= len(t4.groups):
            return False
        return t4.groups[n // width].label.key in key

    def t4_caption(self, key: str) -> bool:
        """Whether `key` is a caption naming one of 表四's groups: its label, in parentheses after
        行政诉讼 or not (行政诉讼（未经复议直接起诉）); not prose that names one (无行政复议)."""
        name = key.removeprefix("行政诉讼").removeprefix("(").removesuffix(")")
        return any(g.label.key == name for g in self.spec.tables["t4"].groups)

    def text(self, tok: Token) -> None:
        key = tok.key
        row = self.row
        if row is not None and row.label is None and self.t4_part(key):
            self.consumed.add(tok.line)
            return
        if row is not None and row.row is not None and row.full_key.startswith(row.matched_key + key):
            row.matched_key += key  # the rest of a label split over cells or lines
            self.consumed.add(tok.line)
            return
        if row is not None and row.variant and not row.values and row.full_key.startswith(row.printed + key):
            # A short variant that goes on as the full label, split over lines: （二）部分公开 | (区分处理的 …
            row.printed += key
            self.consumed.add(tok.line)
            return
        if row is not None and row.row is None and row.label is not None and self.completes(row, tok):
            return
        if self.partial_header and self.partial_header[1].startswith(self.partial_header[0] + key):
            self.partial_header = (self.partial_header[0] + key, self.partial_header[1])
            self.consumed.add(tok.line)
            return
        if self.header_note is not None and self.goes_on_note(tok):
            return
        compound = self.compound_row(key)
        if compound is not None:
            self.anchor(compound, tok)
            return
        prefix = self.prefix_anchor(key) if len(key) <= MAX_LABEL_CHARS else None
        if prefix is not None:
            self.anchor(prefix, tok, partial=True)
            if prefix.kind is _ROW:
                self.diag(
                    "R003",
                    f"{prefix.table}.{prefix.ref}",
                    expected=prefix.label.text,
                    found=tok.text,
                    source=tok.source,
                )
            return
        # A row label with its first characters lost, or one character off (OCR, typing): R003.
        damaged = None
        if self.table and len(key) <= MAX_LABEL_CHARS:
            damaged = self.index.suffix_anchor(self.table, key) or self.index.near_anchor(self.table, key)
        if damaged is None and self.table and len(key) <= MAX_LABEL_CHARS:
            damaged = self.similar_row(key)
        if damaged is not None and damaged.kind is _ROW:
            self.anchor(damaged, tok)
            self.diag(
                "R003", f"{damaged.table}.{damaged.ref}", expected=damaged.label.text, found=tok.text, source=tok.source
            )
            return
        in_own_section = self.section_table in ("", self.table)
        if self.table is not None and len(key) > 1 and in_own_section and key in self.index.heading_pieces(self.table):
            # A piece of a header or group label (结果 of 结果维持, 本年 of 三、本年度办理结果: text
            # extraction prints a merged cell's wrapped label in pieces beside the rows): neither a
            # row of its own nor a cell of the open row. (One character alone, 年 or 件, is more
            # likely a word of prose cut by a crawler.)
            self.consumed.add(tok.line)
            return
        if (
            row is not None
            and row.row is not None
            and row.matched_key == row.full_key
            and len(row.values) < len(row.row.cells)
            and len(key) <= MAX_TEXT_VALUE_CHARS
            and key not in self.index.row_prefixes  # (the start of the next row's label: （二）部分公)
            # A row read from a table line (several of its values side by side) ends with its line:
            # text on the next line is not its cell (the 项目 | 数据1 | … header of the next Markdown
            # table, after a row with a blank cell, would take the blank's place and shift the values).
            # A row of one value a line (` |` layouts, DOCX text) goes on to its next line.
            and not (row.values and tok.line != row.values[-1].line and _values_on_line(row.values) > 1)
        ):
            # Short text inside a row that still lacks values is a cell ("见附件", "不适用"): it keeps
            # its place so the rest of the row is read in order, and the checker reports it (C053).
            self.consumed.add(tok.line)
            row.values.append(tok)
            return
        if row is not None and row.row is None and not row.values and row.label and row.label.line == tok.line:
            # Unknown texts side by side with no value between them: a header line (项目 | 数据1 | …
            # as OCR tools print it), not a local row.
            self.row = None
            return
        local = _local_columns(self.spec.id).get((self.table, key)) if self.table is not None else None
        if (
            local is not None
            and (row is None or row.row is None)
            and not any(r.table == self.table and r.column is None for r in self.runs)
        ):
            # A local column label in the header, before any row: its values are set aside per row.
            self.consumed.add(tok.line)
            self.row = None
            self.local_column = (local, tok.cell if tok.ncells >= 3 else None, [])
            return
        if self.table == "t4" and row is None and self.t4_caption(key):
            # A group's caption of 表四 before its value row (行政诉讼（复议后起诉）, the caption of a
            # piece of 表四 printed as three tables): a header, not a local row (B041).
            self.consumed.add(tok.line)
            self.t4_header_seen = True
            return
        if row is not None and self.printed_blank(row, tok):
            # The open row was printed with every cell blank (its blank fields or blank-cell lines are
            # all there): it ends here, and this unknown label's numbers are not its (a label garbled
            # past recognition after a blank row gave that row the next row's numbers).
            self.close_row()
            row = None
        if self.in_table() and len(key) <= MAX_LABEL_CHARS and (row is None or row.values):
            # An unknown label inside a table: a local addition (B041) if values follow it.
            self.close_row()
            self.row = OpenRow(None, tok, key, key)
            return
        if len(key) > MAX_LABEL_CHARS:
            self.prose()

    def printed_blank(self, row: OpenRow, tok: Token) -> bool:
        """Whether a format row with its whole label and no value yet ends, blank, before `tok`,
        unknown text on a later line: its label's table line has an empty field for each of its
        cells, or as many empty cells (" |", TAB, "||||||| ") stand on the lines after its label;
        or `tok` is too long to be a cell's text (见附件, 不适用), or the start of a row label: it is the
        next row's label, garbled or cut past recognition, whose numbers are not this row's."""
        if row.row is None or row.values or row.label is None or row.matched_key != row.full_key:
            return False
        label, n = row.label, len(row.row.cells)
        if tok.line <= label.line:
            return False
        if len(tok.key) > MAX_TEXT_VALUE_CHARS or tok.key in self.index.row_prefixes:
            return True  # (a row label's start, 2.其他法, is no cell's text either)
        lines = self.doc_lines
        if label.ncells > n and label.cell + n < label.ncells:
            return not any(c.text for c in lines[label.line].cells[label.cell + 1 :])
        between = [lines[j] for j in range(label.line + 1, tok.line)]
        return all(_line_kind(line) == _BLANK_CELL for line in between) and sum(len(x.cells) for x in between) >= n

    def completes(self, row: OpenRow, tok: Token) -> bool:
        """An unknown label whose rest is `tok`: a format row label cut over lines or a page break
        where its first part was too short to tell (1.申请人无正当理由逾期不 | 补正、行政机关…).
        The row, with the values read after its first part, becomes that format row (R003)."""
        joined = row.full_key + tok.key
        if len(joined) > MAX_LABEL_CHARS:
            return False
        rows = [a for a in self.index.lookup(joined) if a.kind is _ROW and a.table == self.table]
        anchor = rows[0] if len(rows) == 1 else self.prefix_anchor(joined)
        if anchor is None or anchor.kind is not _ROW or anchor.table != self.table:
            if joined in self.index.row_prefixes and row.full_key in self.index.row_prefixes:
                # Still only the start of a row label, cut a piece per line in a narrow column
                # (2.其 | 他法 | 律行 | 政法 …): it goes on until it tells its row.
                row.full_key = row.matched_key = joined
                self.consumed.add(tok.line)
                return True
            return False
        assert row.label is not None
        first, values = row.label, row.values
        self.row = None  # (not closed: it is no local row after all)
        self.anchor(anchor, first, partial=anchor.label.key != joined)
        assert self.row is not None
        self.row.matched_key, self.row.values = joined, values
        self.consumed.add(tok.line)
        if not anchor.variant:  # (a variant was reported by `anchor`)
            where = f"{anchor.table}.{anchor.ref}"
            self.diag("R003", where, expected=anchor.label.text, found=first.text, source=first.source)
        return True

    def prose(self) -> None:
        """A paragraph: it ends the open row, and 表四 (the last table) once its header was seen."""
        self.close_row()
        if self.table == "t4" and self.t4_header_seen:
            self.table = None

    def compound_row(self, key: str) -> Anchor | None:
        """A group label and a row label run together in one cell (group label first)."""
        for g in self.spec.tables["t3"].groups:
            gk = g.label.key
            if key.startswith(gk) and len(key) > len(gk):
                rows = [a for a in self.index.lookup(key[len(gk) :]) if a.kind is _ROW]
                if rows:
                    return rows[0]
        return None

    # -- assignment ------------------------------------------------------------------------
    def close_row(self) -> None:
        row, self.row = self.row, None
        if row is None:
            return
        if row.row is None:
            self.extension(row)
            return
        if row.group is not None:
            self.group_total(row)
            return
        keys = row.row.cells
        n, vals = len(keys), row.values
        label = row.label
        if label is None and 2 * len(vals) >= n:
            # 表四's value row opened by its section alone (OCR/LLM Markdown under generic headers
            # 数据1…, no 行政复议 label anywhere), most of its numbers there: the table is in the
            # document, not absent (B031), whatever its cells come to.
            self.report.tables_found[row.row.table] = True
        if (
            vals
            and len(vals) != n
            and label is not None
            and label.ncells == 1
            and label.source.table is None
            and not self.index.classify(vals[0].text).is_value
        ):
            # A label in running text, not a table row: a line of its own outside any table, a word
            # after it, not a value, and a count that does not fit (crawler text cut into a word per
            # line: “行政规范性文件” | 等栏目, 公开 | 行政许可 | 类 | 7条 | 3条). The table's own row is
            # read where it stands. (In a table, such a row is R001.)
            return
        self.report.rows_found[f"{row.row.table}.{row.row.key}"] = True
        if len(vals) == n + 1 and self.local_column is not None and self.local_column[0].table == row.row.table:
            vals = row.values = self.set_local_value(row)
        if len(vals) == n and (vals[0].line == vals[-1].line or self.in_printed_order(row.row, vals)):
            self.note_complete_row(row.row, vals)
            self.runs.append(_new_run(RowRun, (row.row.table, row.row, vals, True, None, None)))
            self.set_cells(zip(keys, vals, strict=True))
            return
        if not vals:
            self.runs.append(RowRun(row.row.table, row.row, vals, False))
            src = row.label.source if row.label else None
            for key in keys:
                self.report.cells[key] = Cell(key, None, CellState.EMPTY, "", src)
            return
        if self.positional(row) or self.by_blank_lines(row):
            self.runs.append(RowRun(row.row.table, row.row, vals, True))
            return
        self.runs.append(RowRun(row.row.table, row.row, vals, False, None, label.line if label else None))
        self.uncertain(row.row, row.label, vals)

    def by_blank_lines(self, row: OpenRow) -> bool:
        """Place a row printed a value a line whose blank cells are lines of their own (issue 19
        §2.3): seed 004's `26 |`, ` |` ×5, `26 |` is 26, five blanks, 26. The row's places are the
        lines from its first value to its last, each a value or a blank cell (a line of empty cells,
        " |" or TAB, or an empty line). When they are exactly as many as its cells, each value is
        where it stands. Not in a layout that spaces its values (a complete row with a line between
        two of its values), and not for a blank cell at either end: that cannot be told from the
        empty cells layouts print around a row (the item-label column after a group label, the line
        between rows), so such a row stays R001."""
        assert row.row is not None
        keys, vals = row.row.cells, row.values
        if not _line_per_value(vals) or len(vals) < 2 or self.values_spaced():
            return False
        lines = self.doc_lines
        if any(sum(1 for c in lines[v.line].cells if c.text) != 1 for v in vals):
            return False  # a value beside other text: not a value a line
        if vals[-1].line - vals[0].line + 1 != len(keys):
            return False
        by_line = {v.line: v for v in vals}
        if any(j not in by_line and _has_text(lines[j]) for j in range(vals[0].line, vals[-1].line)):
            return False
        source = row.label.source if row.label is not None else vals[0].source
        for key, j in zip(keys, range(vals[0].line, vals[-1].line + 1), strict=True):
            if j in by_line:
                self.set_cells([(key, by_line[j])])
            else:
                self.report.cells[key] = Cell(key, None, CellState.EMPTY, "", source)
        return True

    def values_spaced(self) -> bool:
        """Whether a complete row read so far, a value a line, has a line between two of its values:
        a layout that spaces its values (there a line between values is no blank cell)."""
        return any(
            run.values[-1].line - run.values[0].line + 1 != len(run.values)
            for run in self.runs
            if run.assigned
            and run.row is not None
            and len(run.values) == len(run.row.cells) > 1
            and _line_per_value(run.values)
        )

    def uncertain(self, row: PhysicalRow, label: Token | None, vals: list[Token]) -> None:
        """R001: the row's values cannot be placed; every cell of it is UNCERTAIN."""
        for key in row.cells:
            self.report.cells[key] = Cell(
                key, None, CellState.UNCERTAIN, " ".join(v.text for v in vals), vals[0].source
            )
        self.diag(
            "R001",
            f"{row.table}.{row.key}",
            expected=len(row.cells),
            found=len(vals),
            source=vals[0].source,
            values=[v.text for v in vals],
            line_per_value=_line_per_value(vals),
            **({"blank_cell": True} if self.blank_cell_among(label, vals) else {}),
            **({"stray": stray} if (stray := _stray_after_row(vals, len(row.cells))) else {}),
        )

    def settle_deferred(self) -> None:
        """The rows `positional` left to the header's positions: placed there if every complete
        row of their table sat at them, else R001."""
        for row, label, vals, columns, block, run in self.deferred:
            if self.rows_at_header.get(block) is True:
                self.place(row.cells, vals, columns)
            else:
                self.runs[run] = RowRun(row.table, row, vals, False, None, label.line if label else None)
                self.uncertain(row, label, vals)
        self.deferred.clear()

    def blank_cell_among(self, label: Token | None, vals: list[Token]) -> bool:
        """Whether a blank cell stands among a row's values printed a line each, or right after
        them: the row is short by that blank, which no reading of its values may fill (identical
        cells run together leave no blank). A blank cell is a line of empty cells ("\t", "|"), or
        an empty line between the values; an empty line right after them, unless the layout
        separates rows with empty lines (one stands before the row's labels)."""
        if vals[0].ncells > 1 and vals[0].line == vals[-1].line:
            return False  # a table line: its blank fields are cells (`positional`)
        lines = self.doc_lines
        start = label.line + 1 if label is not None and label.line < vals[0].line else vals[0].line
        if start == vals[0].line and start > 0 and _line_kind(lines[start - 1]) == _BLANK_CELL:
            return True  # a row without its label (表四's values under its header): a blank cell first
        end = vals[-1].line + 1
        for j in range(start, min(end + 1, len(lines))):
            kind = _line_kind(lines[j]) if lines[j].cells else _TEXT  # (a line of no cells: nothing)
            if kind == _TEXT:
                continue
            if kind == _BLANK_CELL or j < end:
                return True
            return not self.rows_separated(start - 1)
        return False

    def rows_separated(self, before: int) -> bool:
        """Whether an empty line stands before a row's labels (the line `before` and the lines of
        text above it): a layout that separates rows with empty lines."""
        lines = self.doc_lines
        for j in range(before, max(before - 4, -1), -1):
            cells = lines[j].cells
            texts = [c.text for c in cells if c.text]
            if not texts:
                return True
            if any(_PLAIN_NUMBER.match(t) for t in texts):
                return False
        return False

    def in_printed_order(self, row: PhysicalRow, values: list[Token]) -> bool:
        """Whether a row's values, printed over several lines, are read in the printed order. Not
        when some line holds several of them in one text run (a row split by text extraction)
        and either that line is laid out in columns (`rearranged`) or the row's own identity (I2,
        I4) fails in that order: a narrow cell wraps its number (1466 … 3810 | 1 6 for 14661 …
        38106) as readily as it sits lower. Such a row is R001."""
        if values[0].ncells > 1 or _line_per_value(values):
            return True  # the cells of table lines, or one value per line (a cell per line)
        return not rearranged(values, self.aligned) and _row_identities_hold(self.spec.id, row, values)

    def positional(self, row: OpenRow) -> bool:
        """Assign a row with fewer values than cells, all on one table line, by cell position.

        Every field of a table line is a cell, blank ones too (`a\t\t1` has three). The row's
        cells are n consecutive fields after its label that hold every value read: when only one
        such window fits, it is the row's. When several fit (blank fields before or after the
        values), the header's positions decide, but only if they are such a window and every
        complete row of the table so far sat exactly at them: converters of merged cells place
        rows of one table at different offsets (seed 000: 2..8 and 3..9 under a header at 2..8),
        and there a blank at either end cannot be told from padding. Otherwise the row is R001."""
        assert row.row is not None
        keys, vals = row.row.cells, row.values
        n = len(keys)
        line = vals[0].line
        ncells = vals[0].ncells
        if ncells <= 1 or any(v.line != line for v in vals):
            return False
        values = {id(v) for v in vals}
        first, last = vals[0].cell, vals[-1].cell
        # The label (and any other text) before the values; text after them: not a plain row.
        before = [t.cell for t in self.lines.get(line, ()) if id(t) not in values and t.cell < first]
        if any(id(t) not in values and t.cell > first for t in self.lines.get(line, ())):
            return False
        after_label = max(before) + 1 if before else 0
        starts = range(max(after_label, last - n + 1), min(first, ncells - n) + 1)
        if not starts:
            return False
        table = row.row.table
        block = (table, row.row.block if table == "t2" else None)
        header = sorted(self.positions.get(block, {}).values())
        if len(starts) == 1:
            columns = list(range(starts[0], starts[0] + n))
        elif (
            len(header) == n
            and header[0] in starts
            and header == list(range(header[0], header[0] + n))
            and self.rows_at_header.get(block) is not False
        ):
            # Decided once the whole table is read: rows after this one count as much.
            self.deferred.append((row.row, row.label, vals, header, block, len(self.runs)))
            return True
        else:
            return False
        self.place(keys, vals, columns)
        return True

    def place(self, keys: tuple[str, ...], vals: list[Token], columns: list[int]) -> None:
        """Set a row's cells from the values at `columns` of their line; a blank field is EMPTY."""
        by_cell = {v.cell: v for v in vals}
        line = vals[0].line
        for key, col in zip(keys, columns, strict=True):
            tok = by_cell.get(col)
            if tok is not None:
                self.set_cells([(key, tok)])
            else:
                src = Provenance(self.report.path, line + 1, col)
                self.report.cells[key] = Cell(key, None, CellState.EMPTY, "", src)

    def note_complete_row(self, row: PhysicalRow, vals: list[Token]) -> None:
        """Whether the complete rows of a table on table lines sit at its header's positions (what
        `positional` may trust); False for good once one does not."""
        if vals[0].ncells <= 1 or vals[0].line != vals[-1].line:
            return
        block = (row.table, row.block if row.table == "t2" else None)
        header = sorted(self.positions.get(block, {}).values())
        at_header = header == [v.cell for v in vals]
        self.rows_at_header[block] = at_header and self.rows_at_header.get(block, True)

    def set_cells(self, pairs: Iterable[tuple[str, Token]]) -> None:
        """Set each cell from the token read for it (a row at a time: this runs for every cell)."""
        cells = self.report.cells
        for key, tok in pairs:
            text = tok.text
            parsed = parse_value(text)
            if parsed.note:
                self.diag("R004", key, found=text, source=tok.source, note=parsed.note)
            elif parsed.doubt:  # "3 3", "³", "①": missing, never 33, 3 or 1
                self.diag("R016", key, found=shown_text(text), source=tok.source, reason=parsed.doubt)
            cells[key] = new_cell(Cell, (key, parsed.value, parsed.state, text, tok.source, parsed.note, parsed.unit))

    def set_local_value(self, row: OpenRow) -> list[Token]:
        """A row of the format plus one value under the header's local column: that value goes to
        `extensions` (B041 once per table), checked against the columns it sums (B042)."""
        assert row.row is not None and self.local_column is not None
        entry, position, shown = self.local_column
        vals, keys = row.values, row.row.cells
        columns = [k.rsplit(".", 1)[1] for k in keys]
        at = next((i for i, v in enumerate(vals) if position is not None and v.cell == position), None)
        if at is None:
            at = columns.index(entry.after) + 1
        tok, rest = vals[at], vals[:at] + vals[at + 1 :]
        location = f"{row.row.table}.{row.row.key}"
        self.report.extensions.append(
            {
                "table": row.row.table,
                "label": entry.label.text,
                "column": entry.key,
                "row": row.row.key,
                "values": [tok.text],
                "source": tok.source.to_json(),
            }
        )
        if not shown:
            self.diag("B041", row.row.table, found=entry.label.text, source=tok.source, values=shown)
        shown.append(tok.text)
        parts = [parse_value(v.text).value for c, v in zip(columns, rest, strict=True) if c in entry.sums]
        ints = [p for p in parts if isinstance(p, int)]
        value = parse_value(tok.text).value
        if isinstance(value, int) and len(ints) == len(parts) and sum(ints) != value:
            self.diag("B042", location, expected=sum(ints), found=value, source=tok.source, label=entry.label.text)
        return rest

    def extension(self, row: OpenRow) -> None:
        if not row.values or row.label is None or self.table not in self.rows_read:
            return
        self.report.extensions.append(
            {
                "table": self.table,
                "label": row.label.text,
                "values": [v.text for v in row.values],
                "source": row.label.source.to_json(),
            }
        )
        self.diag(
            "B041",
            self.table or WHOLE_DOCUMENT,
            found=row.label.text,
            source=row.label.source,
            values=[v.text for v in row.values],
        )

    def group_total(self, row: OpenRow) -> None:
        assert row.label is not None and row.group is not None
        self.report.extensions.append(
            {
                "table": "t3",
                "label": row.label.text,
                "group": row.group,
                "values": [v.text for v in row.values],
                "source": row.label.source.to_json(),
            }
        )
        self.diag(
            "B013",
            f"t3.{row.group}",
            found=row.label.text,
            source=row.label.source,
            values=[v.text for v in row.values],
        )


def read_tables(
    doc: RawDocument,
    report: Report,
    spec: FormatSpec,
    index: AnchorIndex,
    heading_lines: dict[int, str | None],
    single_row_groups: frozenset[str],
    runs: list[RowRun] | None = None,
) -> set[int]:
    """Fill `report.cells` from the document. Returns the indexes of lines that belong to tables.
    `runs`, when given, receives the reading-order record (see RowRun)."""
    state = TableState(
        spec, index, report, single_row_groups, section_table="", aligned=doc.aligned, doc_lines=doc.lines
    )
    if runs is not None:
        state.runs = runs
    new_token = tuple.__new__  # Token(...) without the Python-level __new__ frame
    classify, prefixes = index.classify, index.prefixes
    known = index.kinds.get  # classify's memo: `known(text) or classify(text)` saves a call per cell
    # A one-cell line whose key is longer than this is a paragraph for text(): longer than any label
    # (MAX_LABEL_CHARS), than a group label and a row label run together (compound_row), and than
    # any start of a label (prefixes). It goes straight to TableState.prose().
    prose_key_chars = max(MAX_LABEL_CHARS, 2 * index.longest_key)
    skip_until = -1
    for i, line in enumerate(doc.lines):
        if i in heading_lines:
            state.section(heading_lines[i])
            continue
        if i <= skip_until:
            continue
        cells = line.cells
        if len(cells) == 1:  # prose, or one cell per line: the common case, kept short
            cell = cells[0]
            text = cell.text
            if not text:
                continue
            kind = known(text) or classify(text)
            if (
                kind.plain_value
                and state.row is not None
                and " " not in text
                and (text not in _ENUMERATION_DIGITS or not _row_number_cut(doc, i, text))  # (no call per value line)
            ):
                # A value in an open row (one cell per line: most lines of such reports), decided
                # first; "5900 67620" (with a space) goes on to the reading-order test below, and
                # so does a label's number cut from its label (2 | .其他法律行政 | 法 | 规禁止公开).
                state.value(new_token(Token, (text, kind.key, i, 0, 1, cell.source)))
                continue
            if len(kind.key) > prose_key_chars and not kind.is_value:  # a value: "5900 67620 …", "22（…）"
                state.prose()
                continue
            if not kind.anchors and kind.key in prefixes and (not kind.is_value or _row_number_cut(doc, i, text)):
                joined = _join_fragments(doc, i, index, heading_lines)
                if joined is None and kind.is_value:
                    # A row's number and the start of its label, which goes on beyond the pieces
                    # joined here: one label start, never a value (2 | .申请人逾期未按 | …).
                    joined = text + doc.lines[i + 1].cells[0].text, i + 1
                if joined is not None:  # a label split over lines, one piece per line: one cell
                    text, skip_until = joined
                    state.consumed.update(range(i, skip_until + 1))
                    kind = classify(text)
            if state.table is not None and " " in text and not kind.anchors and kind.split is None:
                parts = _reading_order_parts(text, index, state.row, state.table)
                if parts is not None:  # "5900 67620", "（三）不予 4.保护第三方合法权益": one token each
                    # (One-cell lines are not kept in state.lines: positional() needs table lines.)
                    toks = [new_token(Token, (p, classify(p).key, i, 0, 1, cell.source)) for p in parts]
                    for tok in toks:
                        state.feed(tok, classify(tok.text))
                    continue
            if kind.split is None:
                if kind.key:
                    state.feed(new_token(Token, (text, kind.key, i, 0, 1, cell.source)), kind)
            else:  # a label and a number in one run ("行政许可1039", joined pieces "…务信息 22")
                for part in kind.split:
                    part_kind = classify(part)
                    state.feed(new_token(Token, (part, part_kind.key, i, 0, 1, cell.source)), part_kind)
            continue
        ncells = len(cells)
        # Empty cells make no token: they only matter by position (see TableState.positional).
        # Each token is fed as soon as it is made; the line's tokens are kept for positional(),
        # which reads them when the row is closed (a row closed on its own line sees the tokens
        # before the label that closed it: the others belong to the next row).
        tokens: list[Token] | None = None
        for j, c in enumerate(cells):
            text = c.text
            if not text:
                continue
            kind = known(text) or classify(text)
            if tokens is None:
                tokens = state.lines[i] = []
            if kind.split is not None:  # label and number in one run: two tokens, same cell
                for part in kind.split:
                    part_kind = classify(part)
                    tok = new_token(Token, (part, part_kind.key, i, j, ncells, c.source))
                    tokens.append(tok)
                    state.feed(tok, part_kind)
            elif kind.key:
                tok = new_token(Token, (text, kind.key, i, j, ncells, c.source))
                tokens.append(tok)
                state.feed(tok, kind)
    state.close_row()
    state.settle_deferred()
    return state.consumed


@cache
def _local_columns(spec_id: str) -> dict[tuple[str, str], LocalColumnSpec]:
    """(table, label key) -> the local column of the format's table (`TableSpec.local_columns`)."""
    return {
        (table.key, key): column
        for table in load_format(spec_id).tables.values()
        for column in table.local_columns
        for key in column.label.keys
    }


def _reading_order_parts(text: str, index: AnchorIndex, row: OpenRow | None, table: str) -> list[str] | None:
    """The cells of a line that extraction by layout (pdftotext, with -layout or not) printed as
    one text run with spaces, or None when it is one cell:

    - several numbers of adjacent cells: "5900 67620";
    - a label, the start of one, or the next part of the open row's label, then the row's numbers
      (a Word table's label wraps over lines and its numbers stand beside one of them:
      5.要求行政机关确 | 认或重新出具已获 0 0 0 0 0 0 0 | 取信息);
    - the start of a row-group label and a row label: "（三）不予 4.保护第三方合法权益";
    - any of these, or numbers alone, after pieces of the table's header or group labels, which are
      dropped (a merged cell's label wraps beside the rows: 本年 | 度办 | 理结 （三）不予公开
      1.属于国家秘密 0 0 … | 果 0 0 …);
    - nothing ([]) for a line of such pieces alone (a header printed a word per column: 结果 结果 其他 尚未).
    """
    if text[0].isdigit() and _NUMBER_RUN.match(text):
        return text.split()
    words = _WORD.findall(text) if "(" in text or "（" in text else text.split()
    end = len(words)
    while end and (_NUMBER_WORD.fullmatch(words[end - 1]) or _NOTED_NUMBER.fullmatch(words[end - 1])):
        end -= 1
    numbers = words[end:]
    pieces = index.heading_pieces(table)
    for start in range(end + 1):
        if start and label_key(words[start - 1]) not in pieces:
            break
        if start == end:
            if numbers:  # pieces, then numbers: 果 0 0 0 0 0 0 0
                return numbers
            break
        labels = _labels(" ".join(words[start:end]), index, row)
        if labels is not None and (numbers or start or len(labels) > 1):
            return labels + numbers
    if not numbers and all(
        (key := label_key(w)) in pieces or any(a.kind is not _ROW for a in index.lookup(key)) for w in words
    ):
        return [w for w in words if label_key(w) not in pieces]  # the header's whole labels, if any
    return None


def _labels(text: str, index: AnchorIndex, row: OpenRow | None) -> list[str] | None:
    """`text` as the label cells it holds (see `_reading_order_parts`), or None."""
    key = index.classify(text).key
    if key in index.exact or (len(key) >= MIN_PREFIX_CHARS and key in index.prefixes):
        return [text]
    if row is not None and row.row is not None and key and row.full_key.startswith(row.matched_key + key):
        return [text]
    head, _, tail = text.rpartition(" ")
    if head and tail:
        tail_kind = index.classify(tail)
        if any(a.kind is _ROW for a in tail_kind.anchors) or tail_kind.key in index.row_prefixes:
            head_kind = index.classify(head)
            if head_kind.key in index.group_prefixes or any(a.kind is _GROUP for a in head_kind.anchors):
                return [head.strip(), tail]
    return None


MAX_FRAGMENTS = 12  # pieces a label may be cut into by a crawler ("(", "三", ")", "不予公开"), or by text extraction


def _join_fragments(
    doc: RawDocument, i: int, index: AnchorIndex, heading_lines: dict[int, str | None]
) -> tuple[str, int] | None:
    """A label cut into one piece per line (crawler text: `1.`⏎`属于国家秘密`, `(`⏎`一`⏎`)`):
    when line i and the next lines, each one short text cell, join into exactly one label, return
    the joined text and the last line used. Only pieces that keep forming the start of a label
    are joined, so prose and values are never swallowed."""
    first = _single_fragment(doc, i, heading_lines)
    if first is None:
        return None
    kind = index.classify(first)
    if kind.anchors or kind.key not in index.prefixes:
        return None
    if kind.is_value and not _row_number_cut(doc, i, first):
        return None
    texts, key = [first], kind.key
    for j in range(i + 1, min(i + MAX_FRAGMENTS, len(doc.lines))):
        piece = _single_fragment(doc, j, heading_lines)
        if piece is None:
            return None
        texts.append(piece)
        numbers = _TRAILING_NUMBERS.match(piece)
        if numbers is not None and key + label_key(numbers.group(1)) in index.exact:
            return "".join(texts), j  # the last piece and the row's numbers: 务信息 22
        key += label_key(piece)
        if key in index.exact:
            return "".join(texts), j
        if key not in index.prefixes:
            return None
    return None


def _has_text(line: RawLine) -> bool:
    return any(c.text for c in line.cells)


_TEXT, _BLANK_CELL, _EMPTY = "text", "blank cell", "empty"


def _line_kind(line: RawLine) -> str:
    """A line near a row's values: text, a blank cell (a line of empty cells: " |", "|", TAB), or an
    empty line (which the text reader keeps as one empty cell with no cell index)."""
    cells = line.cells
    if _has_text(line):
        return _TEXT
    return _BLANK_CELL if len(cells) > 1 or (cells and cells[0].source.cell == 0) else _EMPTY


def _stray_after_row(values: list[Token], n: int) -> int:
    """How many numbers stand alone on lines of their own after a row's `n` values printed on one
    line (a page number between two rows of a table): 0 when the row's values are not so."""
    extra = values[n:]
    if not extra or len(values) < 2 or values[0].line != values[n - 1].line:
        return 0
    lines = [t.line for t in extra]
    if lines[0] <= values[0].line or len(set(lines)) != len(lines) or any(t.ncells != 1 for t in extra):
        return 0
    return len(extra)


def _line_per_value(values: list[Token]) -> bool:
    """Whether each of a row's values was read from a line of its own."""
    return len(set(map(_LINE, values))) == len(values)


def rearranged(values: list[Token], aligned: frozenset[int]) -> bool:
    """Whether a row's values were printed over several lines, one of them a line laid out in
    columns (`aligned`) holding several: `pdftotext -layout` prints a row's numbers over two
    lines in an order of its own (四、结转下年度继续办 15 14 | 1 5 16 3 54 for 14 15 1 5 16 3 54).
    Such a row is not read in order (R001). Numbers run together in text that follows the
    content ("5900 67620", pdftotext without -layout) keep their order."""
    return values[0].line != values[-1].line and any(
        a.line == b.line and a.ncells == 1 and a.line in aligned for a, b in pairwise(values)
    )


@cache
def _row_equations(spec_id: str, row: PhysicalRow) -> tuple[tuple[tuple[str, int], ...], ...]:
    """The identity instances that lie inside one row (I2, I4), as (cell key, coefficient) pairs."""
    cells = set(row.cells)
    return tuple(eq for eq in identity_equations(spec_id) if all(k in cells for k, _ in eq))


def _row_identities_hold(spec_id: str, row: PhysicalRow, values: list[Token]) -> bool:
    """Whether the identities inside `row` hold with `values` as its cells (those with a cell that
    is no whole number are not checked)."""
    equations = _row_equations(spec_id, row)
    if not equations:
        return True
    read = {k: parse_value(t.text).value for k, t in zip(row.cells, values, strict=True)}
    return not any(equation_total(equation, read.__getitem__) for equation in equations)


_ENUMERATION_DIGITS = frozenset("123456789")  # the numbers of 表三's rows (1.属于国家秘密 …)
_ENUMERATION_MARKS = (".", "．", "、")


def _row_number_cut(doc: RawDocument, i: int, text: str) -> bool:
    """Whether line i, `text`, is a row's number cut from its label: a digit 1–9, and line i + 1
    one cell that goes on from it, “.” or “.其他法律行政” after “2” (text extraction that cuts a
    label at its number)."""
    if text not in _ENUMERATION_DIGITS or i + 1 >= len(doc.lines):
        return False
    cells = doc.lines[i + 1].cells
    return len(cells) == 1 and cells[0].text.startswith(_ENUMERATION_MARKS)


def _single_fragment(doc: RawDocument, i: int, heading_lines: dict[int, str | None]) -> str | None:
    cells = doc.lines[i].cells
    if len(cells) != 1 or i in heading_lines:
        return None
    text = cells[0].text
    return text if 0 < len(text) <= MAX_LABEL_CHARS else None
