"""Traces of what the reader could not place: before a row, a table or the title is reported as
missing from the report (B031, B032, B051), look for it in the document's text. A label that is
there, but in a form or a place the recogniser could not read (cut oddly over lines, run into other
text, misspelt beyond what the recogniser accepts, a whole page on one line), is a reading problem:
R017 (R018 for the title) names where it was seen, the cells stay missing, and the rules that
blame the report stand down for it. Only a label with no trace anywhere is missing from the report.

Runs only when something is missing (a complete report costs nothing here)."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from xxgk.findings import Finding
from xxgk.format import label_key
from xxgk.format.spec import PhysicalRow, TableSpec
from xxgk.readers.base import RawCell, RawDocument
from xxgk.recognize.anchors import AnchorIndex, AnchorKind, anchor_index
from xxgk.recognize.similarity import MIN_SIMILAR_LABEL, allowed_edits, enumeration
from xxgk.report import Provenance, Report

ROW_TRACE = "R017"
TITLE_TRACE = "R018"
MAX_SHOWN = 40  # characters of the text where a label was seen, quoted in the finding
MAX_TRACE_CELL = 120  # longer cells are prose: not searched for a typo'd label (exact only)
MIN_NUMBERED_ANYWHERE = 6  # a numbered label this long is that row wherever it is printed
MAX_HITS = 1000  # places a bare word is examined at, at most
MAX_TYPO_SEARCH_CELLS = 20_000  # real reports have a few thousand cells

__all__ = ["ROW_TRACE", "TITLE_TRACE", "note_traces", "title_trace"]


def note_traces(report: Report, doc: RawDocument) -> None:
    """R017 for every row of a found table, and every table, the recogniser did not find but whose
    label is in the document; R018 for a title not found whose title-like line is there."""
    _note_label_pieces(report)
    complete = all(report.tables_found.values()) and all(report.rows_found.values())
    missing_rows, missing_tables = ([], []) if complete else _missing(report)
    if missing_rows or missing_tables:
        text = DocumentText(doc, anchor_index(report.spec_id))
        noted = {f.location for f in report.diagnostics if f.code == ROW_TRACE}
        for table, row in missing_rows:
            if f"{table.key}.{row.key}" in noted:
                continue  # (its label's piece was read as a row of its own: noted above)
            hit = text.find_row(table, row)
            if hit is not None:
                _note_row(report, table, row, hit)
        for table in missing_tables:
            for row in table.physical_rows:
                hit = text.find_row(table, row) if row.label is not None else None
                if hit is not None:
                    _note_table(report, table, row, hit)
                    break
    if report.meta.title is None:
        seen = title_trace(doc)
        if seen is not None:
            shown, source = seen
            year = _YEAR.search(shown)
            # (The agency printed before the year: what B052 would miss when no signature names it.)
            agency = shown[: year.start()] if year else ""
            report.diagnostics.append(
                Finding(TITLE_TRACE, "title", found=shown, source=source, params={"agency": agency})
            )


MIN_LABEL_PIECE = 3  # characters: a shorter piece (小计, 合计) may be a local row's own word
MAX_LABEL_PIECES = 3


def _note_label_pieces(report: Report) -> None:
    """A row read as a local addition (B041) whose label is pieces of the table's own labels (分处理的，
    只计这一情形…, the end of one label run into the start of the next: a label cut by the reader
    over rows it wrapped across) is no addition of the report: a reading problem, R017 in its place."""
    for i, f in enumerate(report.diagnostics):
        if f.code != "B041" or f.found is None or f.location not in report.spec.tables:
            continue
        table = report.spec.tables[f.location]
        labels = [k for row in table.physical_rows if row.label is not None for k in row.label.keys]
        if not _label_pieces(label_key(str(f.found)), labels):
            continue
        values = f.params.get("values") or []
        row = _only_row_holding(report, table, label_key(str(f.found)))
        if row is not None and row.label is not None:  # the piece of one row not read (2.其他法): that row's note
            where, subject, cells = f"{table.key}.{row.key}", f"{table.name}「{row.label.text}」行", len(row.cells)
        else:
            where, subject = table.key, f"{table.name}的一行（行标签只读到一部分，或与别行的标签连在一起）"
            cells = len(values)
        report.diagnostics[i] = Finding(
            ROW_TRACE,
            where,
            expected=None if row is None or row.label is None else row.label.text,
            found=str(f.found)[:MAX_SHOWN],
            source=f.source,
            params={"subject": subject, "cells": cells, "kind": "行"},
        )


def _only_row_holding(report: Report, table: TableSpec, key: str) -> PhysicalRow | None:
    """The one row of `table` not read whose label holds `key` whole, if there is exactly one."""
    rows = [
        row
        for row in table.physical_rows
        if row.label is not None
        and not report.rows_found.get(f"{table.key}.{row.key}")
        and any(key in k for k in row.label.keys)
    ]
    return rows[0] if len(rows) == 1 else None


def _label_pieces(key: str, labels: list[str]) -> bool:
    """Whether `key` is made of at most `MAX_LABEL_PIECES` pieces of `labels` (each a run of at
    least `MIN_LABEL_PIECE` characters of one of them), not all of it one whole label."""
    at, pieces = 0, 0
    while at < len(key):
        size = len(key) - at
        while size >= MIN_LABEL_PIECE and not any(key[at : at + size] in label for label in labels):
            size -= 1
        if size < MIN_LABEL_PIECE or pieces == MAX_LABEL_PIECES:
            return False
        at, pieces = at + size, pieces + 1
    return pieces > 0 and key not in labels


def _missing(report: Report) -> tuple[list[tuple[TableSpec, PhysicalRow]], list[TableSpec]]:
    """The rows of found tables not found (but those of a 2019-style group printed as one row,
    reported by B013), and the tables not found."""
    single_row = {e.get("group") for e in report.extensions if e.get("group")}
    rows: list[tuple[TableSpec, PhysicalRow]] = []
    tables: list[TableSpec] = []
    for key, table in report.spec.tables.items():
        if not report.tables_found.get(key):
            tables.append(table)
            continue
        groups = {r.key: r.group for r in table.rows}
        for prow in table.physical_rows:
            if prow.label is None or report.rows_found.get(f"{key}.{prow.key}"):
                continue
            if groups.get(prow.key) in single_row:
                continue
            rows.append((table, prow))
    return rows, tables


class Hit(NamedTuple):
    """Where a label was seen: the cell (its text and provenance) and its line's index in the document."""

    cell: RawCell
    line: int

    @property
    def shown(self) -> str:
        text = self.cell.text.strip()
        return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"

    @property
    def source(self) -> Provenance:
        return self.cell.source


def _note_row(report: Report, table: TableSpec, row: PhysicalRow, hit: Hit) -> None:
    assert row.label is not None
    subject = f"{table.name}「{row.label.text}」行"
    report.diagnostics.append(
        Finding(
            ROW_TRACE,
            f"{table.key}.{row.key}",
            expected=row.label.text,
            found=hit.shown,
            source=hit.source,
            params={"subject": subject, "cells": len(row.cells), "kind": "行"},
        )
    )
    _drop_local_row(report, hit)


def _note_table(report: Report, table: TableSpec, row: PhysicalRow, hit: Hit) -> None:
    assert row.label is not None
    cells = sum(len(r.cells) for r in table.physical_rows)
    subject = f"{table.name}（行标签「{row.label.text}」等）"
    report.diagnostics.append(
        Finding(
            ROW_TRACE,
            table.key,
            expected=table.title,
            found=hit.shown,
            source=hit.source,
            params={"subject": subject, "cells": cells, "kind": "表"},
        )
    )
    _drop_local_row(report, hit)


def _drop_local_row(report: Report, hit: Hit) -> None:
    """A row's label read as a local addition (B041: 「（一）予以公开（含部分）」 is no label of the
    format) is that row, not an addition: its B041 goes (R017 says it); its values stay in
    `extensions`, as read."""
    report.diagnostics[:] = [
        f for f in report.diagnostics if not (f.code == "B041" and f.source == hit.source and f.found == hit.cell.text)
    ]


@dataclass
class DocumentText:
    """The matching keys of every cell of the document run together, with where each cell starts:
    a label cut over cells or lines is found whole in it."""

    doc: RawDocument
    index: AnchorIndex

    @cached_property
    def _cells(self) -> tuple[str, list[int], list[tuple[RawCell, int]], list[str]]:
        """(the keys run together, where each cell's key starts in it, each cell with its line index,
        each cell's key)."""
        keys: list[str] = []
        starts: list[int] = []
        cells: list[tuple[RawCell, int]] = []
        at = 0
        for i, line in enumerate(self.doc.lines):
            for cell in line.cells:
                key = label_key(cell.text) if cell.text else ""
                if not key:
                    continue
                keys.append(key)
                starts.append(at)
                cells.append((cell, i))
                at += len(key)
        return "".join(keys), starts, cells, keys

    def find_row(self, table: TableSpec, row: PhysicalRow) -> Hit | None:
        """Where the label of `row` (its official text or a known variant) is printed: exactly (in one
        cell, or cut over cells and lines), or, failing that, with a typo the format's other labels
        do not explain (one edit in five, the same enumeration)."""
        assert row.label is not None
        for key in row.label.keys:
            hit = self._exact(table, key)
            if hit is not None:
                return hit
        return self._similar(table, row)

    def _exact(self, table: TableSpec, key: str) -> Hit | None:
        stream, starts, cells, keys = self._cells
        numbered = bool(enumeration(key)) and len(key) >= MIN_NUMBERED_ANYWHERE
        at = stream.find(key)
        for _ in range(MAX_HITS):  # (a word repeated over a damaged file: the first hits tell)
            if at < 0:
                break
            n = bisect_right(starts, at) - 1
            end = at + len(key)
            cell_end = starts[n] + len(keys[n])
            # A numbered label (（一）予以公开, 5.属于三类内部事务信息) anywhere is that row; a bare word
            # (规章, 行政许可) or a short one (3.其他, which starts “3.其他方面…” too) is that row only
            # where it stands as a label: at a cell's start or after a number or another label of the
            # table (a whole page on one line), and followed by the end of its cell, a number
            # (行政许可1039) or a note in brackets (规章（含规范性文件）) — not inside a sentence.
            if numbered or (
                self._label_starts(table, stream, starts, n, at)
                and (end >= cell_end or stream[end].isdigit() or stream[end] == "(")
            ):
                return Hit(*cells[n])
            at = stream.find(key, at + 1)
        return None

    def _label_starts(self, table: TableSpec, stream: str, starts: list[int], n: int, at: int) -> bool:
        if at == starts[n] or (at > 0 and stream[at - 1].isdigit()):
            return True
        before = stream[max(0, at - self.index.longest_key) : at]
        return any(before.endswith(k) for k in self._table_keys(table.key))

    def _table_keys(self, table: str) -> tuple[str, ...]:
        return tuple({k for a in self.index.by_table.get(table, ()) for k in a.label.keys})

    def _similar(self, table: TableSpec, row: PhysicalRow) -> Hit | None:
        """A cell (or two cells run together: a label cut over lines) that is this row's label but
        for a typo, and nearer to it than to any other label of the table."""
        assert row.label is not None
        official = row.label.key
        if len(official) < MIN_SIMILAR_LABEL:
            return None
        slack = allowed_edits(len(official))
        _, _, cells, keys = self._cells
        if len(keys) > MAX_TYPO_SEARCH_CELLS:
            return None  # far more cells than any report has: a damaged file, searched exactly only
        number = enumeration(official)
        for n, key in enumerate(keys):
            if not key.startswith(number) or key.isdigit() or len(key) > MAX_TRACE_CELL:
                continue
            candidates = [key.rstrip("0123456789. "), key[: len(official) + slack]]
            if n + 1 < len(keys) and keys[n + 1]:
                candidates.append((key + keys[n + 1])[: len(official) + slack])
            for candidate in candidates:
                anchor = self.index.similar_anchor(table.key, candidate) if candidate else None
                if anchor is not None and anchor.kind is AnchorKind.ROW and anchor.ref == row.key:
                    return Hit(*cells[n])
        return None


# A title: agency (no sentence punctuation), a year, and a report's name, as the whole of a piece of
# a line (a site menu, a breadcrumb or the page's 发布时间/来源 line may stand around it).
_TITLE = re.compile(
    r"[^，。；：,;:!?！？]{0,40}?(?:19|20)\d{2}年度?[^，。；：,;:!?！？]{0,20}?(?:信息公开|政务公开)"
    r"[^，。；：,;:!?！？]{0,10}?(?:年度报告|年报)"
)
_PIECES = re.compile(r"(?:[>＞|｜»›/]|\s{2,}|当前位置[:：]|您的位置[:：]|发布时间|发布日期|来源[:：]|浏览次数|字号)")
# (Each class stops at the character looked for next: no backtracking, linear even on a whole page.)
_YEAR = re.compile(r"(?:19|20)\d{2}年")
_TITLE_LINE = re.compile(r"^[^\n年]*年[^\n公]*公[^\n报]*报", re.MULTILINE)
MAX_TITLE_SEARCH_CHARS = 400  # longer lines are prose (or a whole page): not searched for a title


def title_trace(doc: RawDocument) -> tuple[str, Provenance] | None:
    """A title-like piece of a line the title reader passed over (under a site menu, after a
    breadcrumb, before 发布时间 on one line, or after the first heading), with its provenance."""
    texts = doc.texts
    # Lines holding 年, 公 and 报 in that order (every title does), found by one regex pass over the
    # whole text: most lines are prose or numbers, and a loop over them in Python would cost more.
    joined = "\n".join(texts)
    for m in _TITLE_LINE.finditer(joined):
        i = joined.count("\n", 0, m.start())
        if len(texts[i]) > MAX_TITLE_SEARCH_CHARS:
            continue
        for cell in doc.lines[i].cells:
            for piece in _PIECES.split(cell.text):
                if "，" in piece or "。" in piece:
                    continue  # a sentence, no title
                key = label_key(piece)
                if key and _TITLE.fullmatch(key):
                    return key, cell.source
    return None
