"""Place numbers that reading-order text prints after their row labels ("labels first, numbers later").

`pdftotext` without `-layout` (and other extractors that follow the text flow) prints a table's
row labels as a run of lines and the numbers as another run, row by row or column by column, and
sometimes moves a few numbers of one row elsewhere (two narrow cells become one line, "158 18580",
printed where the flow puts that line). The state machine (`tables.py`) then closes label-only
rows as EMPTY, gives one row the numbers of several (R001), or finds numbers outside any row.
It records every closed row and every such orphan number, in order (`tables.RowRun`); this pass
works from that record.

Rows the state machine assigned normally (exactly as many values as cells, or by position) are
fences: in a table, the numbers between two fences (in document order) can only belong to the
rows between them (in the format's order). For each such gap:

- as many numbers as the gap's cells: the readings are row by row; when every row has the same
  number of cells, also column by column; and when column labels stand among the numbers (each
  column's numbers printed after its label, as `pdftotext` prints a Word table: 本年制发件数 1 507
  本年废止件数 0 149 …), by those labels. A reading is kept only if the identities I1–I4 hold
  for it (instances with a cell missing elsewhere are not checked).
- the reading by column labels, when there is one and it holds, is the order the text itself
  shows: it is taken (R008). Otherwise exactly one reading kept, and either bound by an identity
  or the only order there is (every row of the gap one cell, or the gap one row): the cells are
  set (R008). Anything else (both readings fit, none binds them, none fits, or rows of different
  sizes that nothing binds, as 表二's): every cell of the gap is UNCERTAIN (R009). Never a guess.
- one gap short of numbers and another with the same surplus: a block of numbers printed away
  from its row (one recorded run) is moved to the short gap when exactly one such move makes the
  identities hold on both sides, with identities actually binding both (R008 says which numbers).
- a gap whose rows kept a few numbers beside their labels (cells with a note, 87（其中修订 5 件）)
  and whose other numbers follow a row to a line (`pdftotext -layout`): read by its lines
  (`_by_lines`), a row with numbers both beside its label and later left UNCERTAIN (R009).
- a gap a few numbers short (blank cells that text extraction leaves out without a trace) or
  with a number alone on a line (a page number): cut into rows by the rows' own totals, the
  numbers on a row's label line staying with it (`_row_cuts`); among several cuts, those the
  identities across rows allow once the short rows are placed (`recover.damaged_rows_fit`). What
  every cut left agrees on is taken: whole rows set (R008, or R006 for one row and a page
  number), short rows left to the recovery (R001, then R019), the rest UNCERTAIN (R015).

Ordinary reports (every row assigned normally) cost one pass over the record and nothing more.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from xxgk.findings import Finding
from xxgk.format.spec import PhysicalRow
from xxgk.recognize.recover import damaged_rows_fit, equation_total, identity_equations
from xxgk.recognize.tables import RowRun, Token, rearranged
from xxgk.recognize.values import parse_value
from xxgk.report import Cell, CellState, Report

__all__ = ["align"]

MAX_MOVES = 8  # displaced runs moved per table; more: the rest stays as the state machine left it
MAX_SHORT_CELLS = 6  # cells a gap may be short of, left out as blank, for `_row_counts` to cut it
MAX_SHORT_NODES = 20_000  # steps of that search; more: the gap stays unplaced (R015)
MAX_CUTS = 8  # ways to cut found by that search; more: the gap stays unplaced
MAX_STRAYS = 2  # numbers alone on a line (page numbers) that search may leave out
_READABLE = (CellState.NUMBER, CellState.DASH, CellState.NONE_WORD)
ROW_MAJOR, COLUMN_MAJOR, BY_LABELS, BY_LINES = "row", "column", "labels", "lines"
_ORDER_ZH = {ROW_MAJOR: "逐行", COLUMN_MAJOR: "逐列", BY_LABELS: "按各栏标题逐栏", BY_LINES: "按各行数字所在的行逐行"}


@dataclass
class _Gap:
    rows: list[PhysicalRow]  # format order
    chunks: list[tuple[int, list[Token]]]  # (index in the table's record, values), document order
    labels: list[tuple[int, str]] = field(default_factory=list)  # (index in the record, column)
    done: bool = False

    @property
    def need(self) -> int:
        return sum(len(p.cells) for p in self.rows)

    @property
    def count(self) -> int:
        return sum(len(c) for _, c in self.chunks)

    def tokens(self) -> list[Token]:
        return [t for _, c in sorted(self.chunks, key=lambda ic: ic[0]) for t in c]


def align(report: Report, runs: Sequence[RowRun], aligned: frozenset[int] = frozenset()) -> None:
    """Assign the numbers the state machine could not place; see the module docstring.
    `aligned`: the document's lines laid out in columns (`RawDocument.aligned`)."""
    if all(r.assigned for r in runs):
        return
    for table in dict.fromkeys(r.table for r in runs):
        record = [r for r in runs if r.table == table]
        if not all(r.assigned for r in record):
            _align_table(report, table, record, aligned)


def _align_table(report: Report, table: str, record: list[RowRun], aligned: frozenset[int]) -> None:
    rows = report.spec.tables[table].physical_rows
    order = {p.key: i for i, p in enumerate(rows)}
    if _numbers_before_labels(record):
        # Each row's numbers printed before its label: every row "assigned" the next row's numbers
        # (the fences would be wrong). The whole table is one gap, its numbers in document order.
        seen_rows = [p for p in rows if p.key in {r.row.key for r in record if r.row is not None}]
        gap = _Gap(seen_rows, [(k, r.values) for k, r in enumerate(record) if r.values])
        if gap.count == gap.need:
            _settle(report, gap, _readings(report, gap.rows, gap.tokens()), aligned=aligned)
        elif not (gap.count < gap.need and _settle_short(report, gap, record)):
            # a number lost, or blank cells whose rows the identities cannot tell: which row is short?
            _before_labels_unplaced(report, gap)
        return
    fences = [(i, order[r.row.key]) for i, r in enumerate(record) if r.assigned and r.row is not None]
    positions = [s for _, s in fences]
    if positions != sorted(set(positions)):
        return  # rows assigned out of the format's order (a label printed twice…): not this case
    seen = {r.row.key for r in record if r.row is not None}
    fenced = {rows[s].key for s in positions}
    gaps: list[_Gap] = []
    for (ei, si), (ej, sj) in pairwise([(-1, -1), *fences, (len(record), len(rows))]):
        gap_rows = [p for p in rows[si + 1 : sj] if p.key in seen and p.key not in fenced]
        chunks = [(k, record[k].values) for k in range(ei + 1, ej) if record[k].values]
        if not gap_rows and not chunks:
            continue
        if any(parse_value(t.text).state not in _READABLE for _, c in chunks for t in c):
            continue  # text among the values ("见附件"): the state machine's reading stands
        labels = [(k, column) for k in range(ei + 1, ej) if (column := record[k].column) is not None]
        gaps.append(_Gap(gap_rows, chunks, labels))
    for gap in gaps:
        if gap.rows and gap.count == gap.need and gap.count:
            readings = _readings(report, gap.rows, gap.tokens())
            by_labels = _by_labels(report, gap)
            if by_labels is not None:
                readings[BY_LABELS] = by_labels
            by_lines = _by_lines(report, gap, record)
            if by_lines is not None and _settle_by_lines(report, gap, readings, by_lines):
                continue
            if not any(ok for _, ok, _ in readings.values()) and _settle_short(report, gap, record):
                continue  # (a page number alone on its line, and a blank cell left out: as many numbers as cells)
            _settle(report, gap, readings, aligned=aligned)
    _move_displaced(report, [g for g in gaps if not g.done and g.count != g.need])
    # (one gap short and another with a surplus: numbers printed away from their rows, not blank
    # cells or page numbers; `_move_displaced` had the say)
    off = {g.count > g.need for g in gaps if not g.done and g.count != g.need}
    for gap in gaps:
        if not gap.done and len(off) == 1 and gap.rows and gap.count and gap.count != gap.need:
            _settle_short(report, gap, record)
        if not gap.done and gap.rows and gap.count:
            _unplaced(report, gap)


def _numbers_before_labels(record: list[RowRun]) -> bool:
    """Whether the table's numbers come before their labels: numbers while no row was open before
    the first row, and the last row closed with none (a label wrapped over lines, its numbers beside
    its first line and the label printed whole below them). Read as printed, every row would take
    the next row's numbers: values that are wrong, not missing."""
    entries = [r for r in record if r.column is None]
    first_row = next((i for i, r in enumerate(entries) if r.row is not None), 0)
    return (
        first_row > 0
        and len(entries) > first_row + 1
        and all(r.values for r in entries[:first_row])
        and not entries[-1].values
        and all(r.row is not None for r in entries[first_row:])
    )


def _before_labels_unplaced(report: Report, gap: _Gap) -> None:
    """Numbers printed before their labels, not as many as the rows' cells (a blank cell among
    them, or a number lost): which row is short cannot be told. Every cell of the rows UNCERTAIN
    (R015), not the shifted reading (each row the next row's numbers)."""
    gap.done = True
    first, tokens = gap.rows[0], gap.tokens()
    texts = " ".join(t.text for t in tokens)
    for p in gap.rows:
        for key in p.cells:
            report.cells[key] = Cell(key, None, CellState.UNCERTAIN, texts, tokens[0].source)
    location = f"{first.table}.{first.key}"
    report.diagnostics.append(Finding("R015", location, gap.need, gap.count, tokens[0].source, {"rows": len(gap.rows)}))


def _unplaced(report: Report, gap: _Gap) -> None:
    """Rows of a gap closed with no value (EMPTY), beside numbers that could not be placed: not
    blank, but unknown (UNCERTAIN), and said so once (R015)."""
    cells = report.cells
    blank = [
        p
        for p in gap.rows
        if cells[p.cells[0]].state is CellState.EMPTY and all(cells[k].state is CellState.EMPTY for k in p.cells)
    ]
    if not blank:
        return
    for p in blank:
        for key in p.cells:
            cells[key] = Cell(key, None, CellState.UNCERTAIN, cells[key].raw, cells[key].source)
    first = blank[0]
    tokens = gap.tokens()
    report.diagnostics.append(
        Finding(
            "R015",
            f"{first.table}.{first.key}",
            sum(len(p.cells) for p in gap.rows),
            gap.count,
            cells[first.cells[0]].source or tokens[0].source,
            {"rows": len(gap.rows)},
        )
    )


def _move_displaced(report: Report, open_gaps: list[_Gap]) -> None:
    """Move one recorded run of numbers from a gap with a surplus to one short of exactly as many,
    when exactly one such move lets identities that bind both gaps hold."""
    for _ in range(MAX_MOVES):
        moves = []
        for src in open_gaps:
            surplus = src.count - src.need
            if surplus <= 0:
                continue
            for ci, chunk in enumerate(src.chunks):
                if len(chunk[1]) != surplus:
                    continue
                rest = src.chunks[:ci] + src.chunks[ci + 1 :]
                src_fit = _bound_reading(report, src.rows, _Gap(src.rows, rest).tokens()) if src.rows else ("", True)
                if src_fit is None:
                    continue
                for dst in open_gaps:
                    if dst is src or dst.need - dst.count != surplus or not dst.rows:
                        continue
                    dst_fit = _bound_reading(report, dst.rows, _Gap(dst.rows, [*dst.chunks, chunk]).tokens())
                    if dst_fit is not None:
                        moves.append((src, ci, dst))
        if len(moves) != 1:
            return
        ((src, ci, dst),) = moves
        chunk = src.chunks.pop(ci)
        dst.chunks.append(chunk)
        moved = " ".join(t.text for t in chunk[1])
        for gap in (src, dst):
            if gap.rows:
                _settle(report, gap, _readings(report, gap.rows, gap.tokens()), moved=moved)
            gap.done = True
        open_gaps = [g for g in open_gaps if not g.done]


# ---------------------------------------------------------------------------------------------
# Readings and identities


def _readings(
    report: Report, rows: list[PhysicalRow], tokens: list[Token]
) -> dict[str, tuple[list[Token], bool, bool]]:
    """Each reading of `tokens` as the cells of `rows`: name -> (tokens in cell order, fits, bound)."""
    sizes = {len(p.cells) for p in rows}
    out = {ROW_MAJOR: tokens}
    if len(rows) > 1 and len(sizes) == 1 and sizes != {1}:
        (n,) = sizes
        r = len(rows)
        out[COLUMN_MAJOR] = [tokens[c * r + i] for i in range(r) for c in range(n)]
    keys = [k for p in rows for k in p.cells]
    return {name: (toks, *_check(report, keys, toks)) for name, toks in out.items()}


def _by_labels(report: Report, gap: _Gap) -> tuple[list[Token], bool, bool] | None:
    """The reading of the gap by the column labels among its numbers: the numbers after a label
    fill that column's cells, row after row in the format's order, from where the column's last
    label left off. None unless every number lands after a label of a column the rows have and
    every cell gets exactly one number, with numbers under at least two labels."""
    if len({column for _, column in gap.labels}) < 2:
        return None
    keys = [k for p in gap.rows for k in p.cells]
    free: dict[str, list[str]] = {}  # column -> its cells not yet filled, format order
    for key in keys:
        free.setdefault(key.rsplit(".", 1)[1], []).append(key)
    events = sorted([(i, column, None) for i, column in gap.labels] + [(i, None, c) for i, c in gap.chunks])
    placed: dict[str, Token] = {}
    column: str | None = None
    for _, label, values in events:
        if label is not None:
            column = label
            continue
        cells = free.get(column or "", [])
        if values is None or len(values) > len(cells):
            return None
        for tok in values:
            placed[cells.pop(0)] = tok
    if len(placed) != len(keys):
        return None
    tokens = [placed[k] for k in keys]
    return (tokens, *_check(report, keys, tokens))


@dataclass
class _LineReading:
    """A gap read by its lines: the numbers beside a row's label are that row's, and the numbers
    printed after all the labels stand a row to a line, in the rows' order."""

    keys: list[str]  # the cells set, format order
    tokens: list[Token]  # their numbers
    unsure: list[tuple[PhysicalRow, list[str]]]  # rows with numbers both beside their label and later
    fits: bool
    bound: bool


def _by_lines(report: Report, gap: _Gap, record: list[RowRun]) -> _LineReading | None:
    """The reading of a gap by its lines (`pdftotext -layout` of a table whose rows' numbers are
    printed after all its labels, a few cells, those with a note in them, left beside their
    label): each row's numbers beside its label are its own, and the numbers after the last
    label stand a row to a line, each line exactly the next row's count of cells still empty,
    in the rows' order (`_line_per_row`). Numbers side by side on a line are one row's. A row with
    numbers both beside its label and later is left UNCERTAIN: which of its columns are which
    cannot be told. None when the gap's lines are not so."""
    chunks = sorted(gap.chunks, key=lambda ic: ic[0])
    if not chunks:
        return None
    *beside, (last, tail) = chunks
    rows = {p.key for p in gap.rows}
    own: dict[str, list[Token]] = {}
    for k, toks in beside:
        run = record[k]
        if run.row is None or run.row.key not in rows or any(t.line != run.label_line for t in toks):
            return None
        own[run.row.key] = toks
    last_label = record[last].label_line
    if last_label is not None and tail[0].line <= last_label:
        return None  # (the last row's numbers beside its label, the others' after: where do they end?)
    free = [(p, len(p.cells) - len(own.get(p.key, ()))) for p in gap.rows]
    if any(f < 0 for _, f in free) or not own or max(f for _, f in free) < 2:
        return None  # (no number beside a label, or one a line: the readings of `_settle` decide)
    todo = [p for p, f in free if f]
    lines: list[list[Token]] = []
    for tok in tail:
        if lines and lines[-1][-1].line == tok.line:
            lines[-1].append(tok)
        else:
            lines.append([tok])
    if len({line[0].line for line in lines}) != len(lines) or [len(x) for x in lines] != [f for _, f in free if f]:
        return None
    later = dict(zip((p.key for p in todo), lines, strict=True))
    keys: list[str] = []
    tokens: list[Token] = []
    unsure: list[tuple[PhysicalRow, list[str]]] = []
    for p in gap.rows:
        mine, after = own.get(p.key, []), later.get(p.key, [])
        if mine and after:
            unsure.append((p, [t.text for t in mine + after]))
            continue
        keys += p.cells
        tokens += mine or after
    return _LineReading(keys, tokens, unsure, *_check(report, keys, tokens))


def _settle_by_lines(
    report: Report, gap: _Gap, readings: dict[str, tuple[list[Token], bool, bool]], by_lines: _LineReading
) -> bool:
    """Set the cells of a gap read by its lines (R008; R009 for a row whose columns it cannot
    tell), when that reading holds and no other reading that identities bind and confirm gives
    other numbers. False (nothing done) otherwise."""
    if not by_lines.fits:
        return False
    where = dict(zip(by_lines.keys, by_lines.tokens, strict=True))
    keys = [k for p in gap.rows for k in p.cells]
    for toks, ok, bound in readings.values():
        if ok and bound and any(where.get(k, t) is not t for k, t in zip(keys, toks, strict=True)):
            return False
    gap.done = True
    first = gap.rows[0]
    tokens = gap.tokens()
    _drop_row_notes(report, gap)
    _set_cells(report, where.items())
    cells = report.cells
    params = {"rows": len(gap.rows), "values": [t.text for t in tokens], "moved": "", "order": _ORDER_ZH[BY_LINES]}
    where_first = f"{first.table}.{first.key}"
    report.diagnostics.append(Finding("R008", where_first, gap.need, len(tokens), tokens[0].source, params))
    for p, texts in by_lines.unsure:
        source = cells[p.cells[0]].source
        for key in p.cells:
            cells[key] = Cell(key, None, CellState.UNCERTAIN, " ".join(texts), source)
        reason = "这一行的数字有的印在行标签旁、有的印在表格后面，无法确定各属哪一栏"
        params = {"rows": 1, "values": texts, "moved": "", "reason": reason}
        report.diagnostics.append(Finding("R009", f"{p.table}.{p.key}", len(p.cells), len(texts), source, params))
    return True


Cut = tuple[tuple[int, int], ...]  # per row, (index of its first number, how many it takes)


def _row_cuts(report: Report, rows: list[PhysicalRow], tokens: list[Token], pins: list[str | None]) -> list[Cut] | None:
    """The ways to cut `tokens` (in the rows' order, a few cells short: blank cells that text
    extraction left out) into `rows`, such that every row that takes all its cells satisfies its
    own identities (a row total, I2, I4), and each number printed on a row's label line (`pins`:
    that row's key, per token) goes to that row; a row that takes fewer is not checked (its blank
    cells may be anywhere in it). Where the rows' numbers stand on their label lines, a number
    alone on a line of its own between them (a page number) may be left out, MAX_STRAYS at most.
    None when there are more than MAX_CUTS ways (or the search runs out of steps)."""
    need = sum(len(p.cells) for p in rows)
    if not need - MAX_SHORT_CELLS <= len(tokens) <= need + MAX_STRAYS:
        return None
    values = [parse_value(t.text).value for t in tokens]
    own = [[eq for eq in identity_equations(report.spec_id) if all(k in p.cells for k, _ in eq)] for p in rows]
    if not all(own):
        return None  # (a row no identity of its own binds, 表二's: any cut fits it)
    pinned: dict[str, list[int]] = {}
    for j, key in enumerate(pins):
        if key is not None:
            pinned.setdefault(key, []).append(j)
    lines = [t.line for t in tokens]
    stray = [bool(pinned) and pin is None and lines.count(line) == 1 for pin, line in zip(pins, lines, strict=True)]
    found: list[Cut] = []
    spans: list[tuple[int, int]] = []
    budget = [MAX_SHORT_NODES]

    def holds(i: int, start: int) -> bool:
        where = dict(zip(rows[i].cells, values[start:], strict=False))
        return all(equation_total(eq, where.get) in (0, None) for eq in own[i])

    def keeps_pins(i: int, start: int, take: int) -> bool:
        mine = pinned.get(rows[i].key, ())
        if mine and (mine[0] < start or mine[-1] >= start + take):
            return False
        return all(pin in (None, rows[i].key) for pin in pins[start : start + take])

    def search(i: int, start: int, blanks: int, skips: int) -> bool:  # False: stop (too many ways, or out of steps)
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if start < len(values) and stray[start] and skips < MAX_STRAYS and not search(i, start + 1, blanks, skips + 1):
            return False
        if i == len(rows):
            if start == len(values) and blanks + skips > 0:
                found.append(tuple(spans))
            return len(found) <= MAX_CUTS
        size = len(rows[i].cells)
        for blank in range(min(MAX_SHORT_CELLS - blanks, size - 1) + 1):
            take = size - blank
            if start + take > len(values) or not keeps_pins(i, start, take) or (blank == 0 and not holds(i, start)):
                continue
            spans.append((start, take))
            going_on = search(i + 1, start + take, blanks + blank, skips)
            spans.pop()
            if not going_on:
                return False
        return True

    return found if search(0, 0, 0, 0) else None


def _settle_short(report: Report, gap: _Gap, record: list[RowRun]) -> bool:
    """A gap a few numbers short of its cells (blank cells left out by text extraction): its rows'
    own identities cut the numbers into rows in one or a few ways (`_row_cuts`); a way is dropped
    when the identities across rows cannot hold for it once each short row's numbers are placed as
    the recovery of damaged rows places them (BLANK readings). What every way left agrees on is
    taken: a row given all its cells at the same place by all of them is set (R008); a row given
    the same numbers short of some is left to that recovery (R001 with its numbers; there, R019);
    the rows the ways disagree on stay UNCERTAIN (R015). False (nothing done) when no row is set."""
    names = {f"{p.table}.{p.key}" for p in gap.rows}
    if any(
        isinstance(d, Finding) and d.code == "R001" and d.location in names and d.params.get("blank_cell")
        for d in report.diagnostics
    ):
        return False  # (the text shows where a blank cell is, a line of its own: not left out without a trace)
    tokens = gap.tokens()
    pins = [
        run.row.key if run.row is not None and run.label_line == t.line else None
        for k, toks in sorted(gap.chunks, key=lambda ic: ic[0])
        for run in (record[k],)
        for t in toks
    ]
    cuts = _row_cuts(report, gap.rows, tokens, pins)
    if not cuts:
        return False
    if len(cuts) > 1:
        cuts = [cut for cut in cuts if _cut_holds(report, gap, [cut])]
    return bool(cuts) and _apply_cuts(report, gap, cuts)


def _cut_holds(report: Report, gap: _Gap, cuts: list[Cut]) -> bool:
    """Whether the identities across rows may hold with `cuts` (tried on a copy of the report)."""
    trial = copy.copy(report)
    trial.cells, trial.diagnostics = dict(report.cells), list(report.diagnostics)
    return _apply_cuts(trial, dataclasses.replace(gap), cuts, trial=True) and damaged_rows_fit(trial)


def _apply_cuts(report: Report, gap: _Gap, cuts: list[Cut], trial: bool = False) -> bool:
    """Set the cells of the rows every one of `cuts` gives all their numbers at the same place
    (when the identities over them hold), leave the rows they give the same numbers short of some
    to the recovery (R001), and the others UNCERTAIN (R015); see `_settle_short`. False (nothing
    done) when the identities over the whole rows fail, or (unless `trial`) there is none."""
    tokens = gap.tokens()
    full_keys: list[str] = []
    full_tokens: list[Token] = []
    short: list[tuple[PhysicalRow, list[Token]]] = []
    unsure: list[PhysicalRow] = []
    for i, p in enumerate(gap.rows):
        spans = {cut[i] for cut in cuts}
        if len(spans) > 1:
            unsure.append(p)
            continue
        ((start, take),) = spans
        mine = tokens[start : start + take]
        if take == len(p.cells):
            full_keys += p.cells
            full_tokens += mine
        else:
            short.append((p, mine))
    unknown = [k for p, _ in short for k in p.cells] + [k for p in unsure for k in p.cells]
    ok, _ = _check(report, full_keys, full_tokens, unknown)
    if not ok or not (full_keys or trial):
        return False
    gap.done = True
    first = gap.rows[0]
    _drop_row_notes(report, gap)
    _set_cells(report, zip(full_keys, full_tokens, strict=True))
    cells = report.cells
    taken = {j for cut in cuts for start, take in cut for j in range(start, start + take)}
    strays = "、".join(tokens[j].text for j in range(len(tokens)) if j not in taken)
    note = f"（略去单独成行的数字「{strays}」（如页码））" if strays else ""
    if short or unsure:
        note += f"（另有 {len(short) + len(unsure)} 行少印了数字，多半是空白单元格，见各行的说明）"
    params = {"rows": len(gap.rows) - len(short) - len(unsure), "values": [t.text for t in full_tokens], "moved": note}
    if strays and len(gap.rows) == 1 and full_tokens:
        # One row, its numbers beside its label and a page number after them: damaged text, not
        # labels and numbers apart.
        how = f"略去单独成行的数字「{strays}」（如页码）"
        found = [t.text for t in tokens]
        params = {"how": how, "values": found}
        values = [parse_value(t.text).value for t in full_tokens]
        report.diagnostics.append(
            Finding("R006", f"{first.table}.{first.key}", values, found, tokens[0].source, params)
        )
    elif full_tokens:
        params = {**params, "order": _ORDER_ZH[ROW_MAJOR]}
        where = f"{first.table}.{first.key}"
        report.diagnostics.append(
            Finding("R008", where, len(full_keys), len(full_tokens), full_tokens[0].source, params)
        )
    for p, mine in short:
        texts = [t.text for t in mine]
        for key in p.cells:
            cells[key] = Cell(key, None, CellState.UNCERTAIN, " ".join(texts), mine[0].source if mine else None)
        if mine:
            params = {"values": texts, "line_per_value": False}
            where = f"{p.table}.{p.key}"
            report.diagnostics.append(Finding("R001", where, len(p.cells), len(mine), mine[0].source, params))
    if unsure:
        placed = {id(t) for t in full_tokens} | {id(t) for _, mine in short for t in mine}
        left = [t for t in tokens if id(t) not in placed] or tokens
        for p in unsure:
            for key in p.cells:
                cells[key] = Cell(key, None, CellState.UNCERTAIN, " ".join(t.text for t in left), left[0].source)
        need = sum(len(p.cells) for p in unsure)
        where = f"{unsure[0].table}.{unsure[0].key}"
        report.diagnostics.append(Finding("R015", where, need, len(left), left[0].source, {"rows": len(unsure)}))
    return True


def _one_order(rows: list[PhysicalRow]) -> bool:
    """Whether numbers printed after the labels of `rows` can stand in one order only: one row,
    or rows of one cell each."""
    return len(rows) == 1 or all(len(p.cells) == 1 for p in rows)


def _bound_reading(report: Report, rows: list[PhysicalRow], tokens: list[Token]) -> str | None:
    """The one reading that identities bind and hold for, or None."""
    if len(tokens) != sum(len(p.cells) for p in rows):
        return None
    fits = [name for name, (_, ok, bound) in _readings(report, rows, tokens).items() if ok and bound]
    return fits[0] if len(fits) == 1 else None


def _check(report: Report, keys: list[str], tokens: list[Token], unknown: Sequence[str] = ()) -> tuple[bool, bool]:
    """(the identities hold, at least one identity instance could be checked) for `keys` = `tokens`
    (and the cells `unknown` taken as not read, whatever the report holds for them now)."""
    values: dict[str, object] = dict.fromkeys(unknown)
    values.update((k, parse_value(t.text).value) for k, t in zip(keys, tokens, strict=True))
    cells = report.cells
    bound = False
    for equation in identity_equations(report.spec_id):
        if not any(k in values for k, _ in equation):
            continue
        total = equation_total(equation, lambda k: values[k] if k in values else cells[k].value)
        if total is not None:
            bound = True
            if total:
                return False, True
    return True, bound


def _line_per_row(rows: list[PhysicalRow], tokens: list[Token]) -> bool:
    """Whether the numbers stand a row to a line, in the rows' order: each line holds exactly the
    next row's count (a table's rows printed after all its labels, or each above its label, by
    `pdftotext -layout`). A line laid out in columns is then a row read left to right, not
    numbers of several rows in an order of their own; the identities still decide which line is
    which row (the readings of `_settle`)."""
    lines: list[int] = []  # each line once, in order (a line seen again later: not a row a line)
    for tok in tokens:
        if not lines or tok.line != lines[-1]:
            lines.append(tok.line)
    counts = [sum(1 for t in tokens if t.line == line) for line in lines]
    return len(set(lines)) == len(lines) == len(rows) and counts == [len(p.cells) for p in rows]


def _pinned(report: Report, keys: list[str]) -> bool:
    """Whether each cell of `keys` is the only one of them in an identity instance across rows
    (I1, I3) whose other cells are all known: a reading that holds then has each number in its
    own column (a row total, I2, holds for any order of the row's other cells)."""
    inside = set(keys)
    cells = report.cells
    pinned: set[str] = set()
    for equation in identity_equations(report.spec_id):
        mine = [k for k, _ in equation if k in inside]
        if (
            len(mine) == 1
            and len({k.rsplit(".", 1)[0] for k, _ in equation}) > 1
            and all(k in inside or isinstance(cells[k].value, int) for k, _ in equation)
        ):
            pinned.add(mine[0])
    return pinned == inside


def _settle(
    report: Report,
    gap: _Gap,
    readings: dict[str, tuple[list[Token], bool, bool]],
    moved: str = "",
    aligned: frozenset[int] = frozenset(),
) -> None:
    gap.done = True
    first = gap.rows[0]
    location = f"{first.table}.{first.key}"
    tokens = gap.tokens()
    texts = [t.text for t in tokens]
    _drop_row_notes(report, gap)
    fits = [name for name, (_, ok, _) in readings.items() if ok]
    shuffled = (
        rearranged(tokens, aligned)
        and not _pinned(report, [k for p in gap.rows for k in p.cells])
        and not _line_per_row(gap.rows, tokens)
    )
    if shuffled:
        fits = []  # numbers over lines laid out in columns: their order need not be the columns' (R009)
    elif BY_LABELS in fits:
        fits = [BY_LABELS]  # the order the text shows
    elif not any(readings[name][2] for name in fits) and not _one_order(gap.rows):
        fits = []  # nothing binds the order, and there is more than one (表二: no identities)
    distinct = {tuple(t.text for t in readings[name][0]) for name in fits}
    params = {"rows": len(gap.rows), "values": texts, "moved": f"（其中「{moved}」印在别处，已移回）" if moved else ""}
    if len(distinct) == 1:
        name = fits[0]
        keys = [k for p in gap.rows for k in p.cells]
        _set_cells(report, zip(keys, readings[name][0], strict=True))
        report.diagnostics.append(
            Finding("R008", location, len(keys), len(texts), tokens[0].source, {**params, "order": _ORDER_ZH[name]})
        )
        return
    bound = any(b for _, _, b in readings.values())
    if shuffled:
        reason = "这些数字分印在几行、一行有几个，无法确定它们的先后顺序"
    elif BY_LABELS in readings:
        reason = "按各栏标题填入后不符合勾稽关系"
    elif not bound and len(readings) == 1:
        reason = "没有勾稽关系可以确定各数字的排列顺序"
    elif not bound:
        reason = "没有勾稽关系可以区分逐行、逐列两种读法"
    elif len(readings) == 1:
        reason = "按顺序填入后不符合勾稽关系"
    else:
        reason = "逐行、逐列两种读法都符合勾稽关系" if fits else "逐行、逐列两种读法都不符合勾稽关系"
    for p in gap.rows:
        for key in p.cells:
            report.cells[key] = Cell(key, None, CellState.UNCERTAIN, " ".join(texts), tokens[0].source)
    report.diagnostics.append(
        Finding("R009", location, gap.need, len(texts), tokens[0].source, {**params, "reason": reason})
    )


def _drop_row_notes(report: Report, gap: _Gap) -> None:
    """Drop the R001 of the gap's rows: they are placed now (or said uncertain by the pass's own note)."""
    table, names = gap.rows[0].table, {p.key for p in gap.rows}
    report.diagnostics[:] = [
        d
        for d in report.diagnostics
        if not (
            isinstance(d, Finding)
            and d.code == "R001"
            and d.location.split(".")[0] == table
            and d.location.split(".", 1)[-1] in names
        )
    ]


def _set_cells(report: Report, placed: Iterable[tuple[str, Token]]) -> None:
    """Set each cell from the number placed in it, parsed as a cell's text is."""
    cells = report.cells
    for key, tok in placed:
        parsed = parse_value(tok.text)
        cells[key] = Cell(key, parsed.value, parsed.state, tok.text, tok.source, parsed.note, parsed.unit)
