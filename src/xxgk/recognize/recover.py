"""Recover table rows that damaged text left UNCERTAIN, when the identities allow one reading only.

Runs after `read_tables`, on the rows the recogniser could not align (R001: the count of values
does not fit the row). Four kinds of damage are modelled, each a way to rebuild the row's cells
from the texts that were read:

- merge: a number split over lines ("1" + "62" = 162), more texts than cells;
- run: identical consecutive lines collapsed into one ("13 0 13" = 13,0,0,0,0,0,13), fewer texts
  (only for a row read a value per line: that is where a crawler collapses lines);
- split: adjacent cells run together into one digit string ("640020470" = 64,0,0,2,0,4,70);
- stray: the row's values on its line, then a number alone on a line of its own (a page number
  printed between two rows), more texts: read without it;
- blank: a row printed several numbers to a line, short of a few (text extraction leaves a blank
  cell out, and nothing shows where it was): the numbers in order, the cells they skip anywhere.
  An identity instance that holds such a skipped cell cannot be checked (it holds for any value).
  The readings of such a row that every identity leaves are compared cell by cell: a cell all of
  them give one number is set; the others, the skipped cell among them, stay UNCERTAIN (R019).

Every reading of every damaged row is enumerated (bounded), then filtered by the format's
identities: first those inside one row (I2, I4), then the ones across rows (I1, I3) for all
damaged rows together, with the cells read normally as constants. A row whose readings narrow to
exactly one, confirmed by every identity instance it touches (none holds a missing cell, and the
identities across rows all hold), is set (R006); a row left with several, or with one that is not
so confirmed, stays UNCERTAIN (R007 lists them). A row with too many readings, non-digit texts,
no fitting reading, or a blank cell among its values (`blank_cell`: the row is short by that
blank, not by cells run together) keeps its R001. Cells read normally are never changed.

A row that no identity binds (表二) is judged by its shape alone, so it is recovered only in a
report that shows no label of another format, and never from surplus texts (merge).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import combinations, pairwise, product
from math import comb

from xxgk.findings import Finding
from xxgk.format import load_format
from xxgk.format.spec import PhysicalRow
from xxgk.report import Cell, CellState, Report

__all__ = [
    "Reading",
    "blank_readings",
    "damaged_rows_fit",
    "equation_total",
    "identity_equations",
    "readings",
    "recover",
]

MAX_READINGS = 5_000  # readings of one row; more (a 30-digit string): the row stays R001
MAX_SUM_STATES = 20_000  # partial sums kept per identity when narrowing; more: that identity is skipped
MAX_SEARCH_NODES = 50_000  # choices tried in the joint search of the rows still ambiguous after narrowing
SHOWN_READINGS = 3  # readings listed in R007

_DIGITS = re.compile(r"^[0-9]+$")


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to rebuild a damaged row: its values in printed order, how (zh-CN), and which damage
    it undoes (MERGE, RUN, SPLIT or STRAY)."""

    values: tuple[int | None, ...]  # None: a cell the text printed nothing for (BLANK)
    how: str
    damage: str


MERGE, RUN, SPLIT, STRAY, BLANK = "merge", "run", "split", "stray", "blank"
MAX_BLANK_CELLS = 3  # cells a row printed several numbers to a line may be short of (BLANK readings)


# ---------------------------------------------------------------------------------------------
# Readings of one row


def readings(texts: list[str] | tuple[str, ...], n: int) -> tuple[Reading, ...] | None:
    """Every reading of `texts` as `n` cells, distinct by values; None when there are too many.

    Only digit strings are read; any other text gives no reading (an empty tuple).
    """
    return _readings(tuple(texts), n)


@lru_cache(maxsize=1024)
def _readings(texts: tuple[str, ...], n: int) -> tuple[Reading, ...] | None:
    if not texts or n < 1 or not all(_DIGITS.match(t) for t in texts):
        return ()
    k = len(texts)
    if k > n:
        if comb(k - 1, n - 1) > MAX_READINGS:
            return None
        found = _merges(texts, n)
    elif k < n:
        digits = sum(len(t) for t in texts)
        if comb(n - 1, k - 1) + (comb(digits - k, n - k) if digits >= n else 0) > MAX_READINGS:
            return None
        found = [*_runs(texts, n), *_splits(texts, n)]
    else:
        return ()  # as many texts as cells: the recogniser assigns those itself
    out: dict[tuple[int | None, ...], Reading] = {}
    for r in found:
        out.setdefault(r.values, r)
    return tuple(out.values())


def blank_readings(texts: list[str] | tuple[str, ...], n: int) -> tuple[Reading, ...]:
    """The readings of `texts` as `n` cells, when the row is short of 1 to MAX_BLANK_CELLS cells
    printed blank: the numbers in printed order, None for the cells they skip."""
    return _blank_readings(tuple(texts), n)


@lru_cache(maxsize=256)
def _blank_readings(texts: tuple[str, ...], n: int) -> tuple[Reading, ...]:
    short = n - len(texts)
    if not texts or not 1 <= short <= MAX_BLANK_CELLS or not all(_DIGITS.match(t) for t in texts):
        return ()
    out = []
    for skipped in combinations(range(n), short):
        numbers = iter(int(t) for t in texts)
        values = tuple(None if i in skipped else next(numbers) for i in range(n))
        columns = "、".join(str(i + 1) for i in skipped)
        out.append(Reading(values, f"补回未印出的空白单元格：第{columns}栏未印数字", BLANK))
    return tuple(out)


def _compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Ordered ways to write `total` as `parts` positive integers."""
    for cuts in combinations(range(1, total), parts - 1):
        bounds = (0, *cuts, total)
        yield tuple(b - a for a, b in pairwise(bounds))


def _valid(number: str) -> bool:
    return number == "0" or not number.startswith("0")


def _merges(texts: tuple[str, ...], n: int) -> list[Reading]:
    out = []
    for sizes in _compositions(len(texts), n):
        groups, i = [], 0
        for size in sizes:
            groups.append(texts[i : i + size])
            i += size
        numbers = ["".join(g) for g in groups]
        if all(_valid(x) for x in numbers):
            joined = "，".join(f"{'+'.join(g)}→{x}" for g, x in zip(groups, numbers, strict=True) if len(g) > 1)
            out.append(Reading(tuple(int(x) for x in numbers), f"合并被断开的数字：{joined}", MERGE))
    return out


def _runs(texts: tuple[str, ...], n: int) -> list[Reading]:
    if any(a == b for a, b in pairwise(texts)):
        return []  # collapsed text never has two identical lines in a row
    out = []
    for sizes in _compositions(n, len(texts)):
        values = tuple(int(t) for t, size in zip(texts, sizes, strict=True) for _ in range(size))
        shown = "，".join(f"「{t}」×{size}" for t, size in zip(texts, sizes, strict=True) if size > 1)
        out.append(Reading(values, f"展开被合并的相同单元格：{shown}", RUN))
    return out


def _digit_splits(digits: str, parts: int) -> Iterator[tuple[str, ...]]:
    for cuts in combinations(range(1, len(digits)), parts - 1):
        bounds = (0, *cuts, len(digits))
        pieces = tuple(digits[a:b] for a, b in pairwise(bounds))
        if all(_valid(p) for p in pieces):
            yield pieces


def _splits(texts: tuple[str, ...], n: int) -> list[Reading]:
    if sum(len(t) for t in texts) < n:
        return []
    out = []
    for sizes in _compositions(n, len(texts)):
        if any(size > len(t) for t, size in zip(texts, sizes, strict=True)):
            continue
        options = [list(_digit_splits(t, size)) for t, size in zip(texts, sizes, strict=True)]
        for choice in product(*options):
            pieces = [p for part in choice for p in part]
            shown = "，".join(f"{t}→{'|'.join(part)}" for t, part in zip(texts, choice, strict=True) if len(part) > 1)
            out.append(Reading(tuple(int(p) for p in pieces), f"拆分连写的数字：{shown}", SPLIT))
    return out


# ---------------------------------------------------------------------------------------------
# Identities over the damaged rows


@dataclass
class _Row:
    position: int  # index of its R001 finding in report.diagnostics
    finding: Finding
    row: PhysicalRow
    readings: tuple[Reading, ...]
    columns: tuple[tuple[int | None, ...], ...] = ()  # per cell of the row, its value in each reading

    def __post_init__(self) -> None:
        self.columns = tuple(zip(*(r.values for r in self.readings), strict=True))


@dataclass
class _Constraint:
    """One identity instance: const + Σ over rows of the chosen reading's contribution == 0."""

    const: int
    own: bool  # every cell of the instance lies in one damaged row (I2, I4): no cell read elsewhere
    # row -> contribution per reading; None: the reading leaves a cell of the instance blank (it
    # holds whatever the others are)
    terms: dict[int, list[int | None]] = field(default_factory=dict)
    cells: set[int] = field(default_factory=set)  # positions in their rows of the damaged cells it holds

    def contribution(self, row: int, reading: int) -> int | None:
        return self.terms[row][reading]

    def holds(self, pick: dict[int, int]) -> bool:
        """Whether the instance holds for one reading of each of its rows."""
        total = self.const
        for r in self.terms:
            c = self.terms[r][pick[r]]
            if c is None:
                return True
            total += c
        return total == 0


@cache
def identity_equations(spec_id: str) -> tuple[tuple[tuple[str, int], ...], ...]:
    """Every identity instance of a format as (cell key, coefficient) pairs: Σ coef·value == 0."""
    out = []
    for identity in load_format(spec_id).identities:
        for inst in identity.instances:
            coef: dict[str, int] = {}
            for key in inst.lhs:
                coef[key] = coef.get(key, 0) + 1
            for key in inst.rhs:
                coef[key] = coef.get(key, 0) - 1
            out.append(tuple(coef.items()))
    return tuple(out)


def equation_total(equation: tuple[tuple[str, int], ...], value_of: Callable[[str], object]) -> int | None:
    """Σ coef·value of an identity instance (0 when it holds), or None when a cell is no whole
    number (missing, or a decimal): the instance cannot be checked."""
    total = 0
    for key, coef in equation:
        value = value_of(key)
        if not isinstance(value, int):
            return None
        total += coef * value
    return total


def _constraints(report: Report, rows: dict[int, _Row], unchecked: set[int]) -> list[_Constraint]:
    """The identity instances that bind at least one damaged row and no other missing cell. The
    damaged rows of an instance that also holds a missing cell go into `unchecked`: no reading of
    theirs can be confirmed by it."""
    where: dict[str, tuple[int, int]] = {}
    for rid, r in rows.items():
        for pos, key in enumerate(r.row.cells):
            where[key] = (rid, pos)
    cells = report.cells
    out = []
    for equation in identity_equations(report.spec_id):
        const, terms, known = 0, [], False
        for key, c in equation:
            if key in where:
                terms.append((where[key], c))
                continue
            value = cells[key].value
            if not isinstance(value, int):
                # A missing cell (or a decimal): this instance cannot be checked.
                unchecked.update(where[k][0] for k, _ in equation if k in where)
                break
            const += c * value
            known = True
        else:
            if not terms:
                continue
            con = _Constraint(const, own=not known and len({rid for (rid, _), _ in terms}) == 1)
            for (rid, pos), c in terms:
                con.cells.add(pos)
                contrib = con.terms.setdefault(rid, [0] * len(rows[rid].readings))
                for i, value in enumerate(rows[rid].columns[pos]):
                    done = contrib[i]
                    contrib[i] = None if value is None or done is None else done + c * value
            out.append(con)
    return out


def _narrow(domains: dict[int, list[int]], constraints: list[_Constraint]) -> bool:
    """Drop every reading that no combination of the other rows' readings completes, for each
    identity on its own, until nothing changes. False when a row is left with no reading."""
    pending = list(constraints)
    changed = True
    while changed:
        changed = False
        for con in list(pending):
            rids = list(con.terms)
            if all(len(domains[r]) == 1 for r in rids):  # settled: one check, never again
                if not con.holds({r: domains[r][0] for r in rids}):
                    return False
                pending.remove(con)
                continue
            blank = [r for r in rids if any(con.contribution(r, i) is None for i in domains[r])]
            if len(blank) > 1:
                continue  # (two rows that may leave a cell of it blank: it may hold for any reading)
            if blank:
                # Only the row that may leave a cell blank can be narrowed: its other readings
                # must make the sum hold with the other rows' readings.
                (w,) = blank
                rids = [w, *(r for r in rids if r != w)]
            values = [{v for i in domains[r] if (v := con.contribution(r, i)) is not None} for r in rids]
            forward = [{con.const}]
            for vals in values:
                nxt = {s + v for s in forward[-1] for v in vals}
                if len(nxt) > MAX_SUM_STATES:
                    break
                forward.append(nxt)
            else:
                backward = [{0}]
                for vals in reversed(values):
                    backward.append({s + v for s in backward[-1] for v in vals})
                backward.reverse()  # backward[j]: sums of rows j.. end
                for j, rid in enumerate(rids[:1] if blank else rids):
                    rest, before = backward[j + 1], forward[j]
                    ok = {v for v in values[j] if any(-(s + v) in rest for s in before)}
                    if len(ok) < len(values[j]):
                        domains[rid] = [i for i in domains[rid] if (v := con.contribution(rid, i)) is None or v in ok]
                        changed = True
                        if not domains[rid]:
                            return False
    return True


def _enumerate(domains: dict[int, list[int]], constraints: list[_Constraint], exists: bool = False) -> bool:
    """Keep only readings that belong to a joint solution, found by a depth-first search that
    checks each identity instance once all its rows are chosen (at most MAX_SEARCH_NODES choices
    tried; beyond that nothing is decided). False when no combination satisfies every identity.
    `exists`: only whether one does (the search stops at the first; the domains are left as they are)."""
    open_rows = [r for r, d in domains.items() if len(d) > 1]
    if not open_rows:
        return True
    touching = [c for c in constraints if any(r in c.terms for r in open_rows)]
    fixed = {r: d[0] for r, d in domains.items() if len(d) == 1}
    # Each instance is checked at the open row that completes it (fixed rows are chosen already).
    depth = {r: i for i, r in enumerate(open_rows)}
    due: list[list[_Constraint]] = [[] for _ in open_rows]
    for c in touching:
        due[max(depth[r] for r in c.terms if r in depth)].append(c)
    kept: dict[int, set[int]] = {r: set() for r in open_rows}
    pick = dict(fixed)
    budget = [MAX_SEARCH_NODES]

    def search(level: int) -> bool:  # False: out of budget
        if level == len(open_rows):
            for r in open_rows:
                kept[r].add(pick[r])
            return not exists  # (one is enough: stop)
        row = open_rows[level]
        for i in domains[row]:
            budget[0] -= 1
            if budget[0] < 0:
                return False
            pick[row] = i
            if all(c.holds(pick) for c in due[level]) and not search(level + 1):
                return False
        return True

    if not search(0):
        return True  # out of steps (narrowed domains are sound: nothing more decided), or one found
    if not any(kept.values()):
        return False
    for r in open_rows:
        domains[r] = [i for i in domains[r] if i in kept[r]]
    return True


def _solve(report: Report, rows: dict[int, _Row], exists: bool = False) -> tuple[dict[int, list[int]], set[int], bool]:
    """The readings of each damaged row that fit the identities (row by row, then jointly), the
    rows whose readings every identity instance they touch confirms, and whether the identities
    across rows hold jointly (the readings left are then those of a consistent table). A reading is set only
    for such a row: one that an identity cannot check (a missing cell in it, or a damaged row no
    reading fits) or that the identities across rows contradict could be wrong in a way no
    identity shows (a blank cell read as a collapsed run: 0 where the report had 1)."""
    unchecked: set[int] = set()
    constraints = _constraints(report, rows, unchecked)
    local = [c for c in constraints if c.own]
    domains = {r: list(range(len(row.readings))) for r, row in rows.items()}
    bound = {r for c in constraints for r in c.terms}
    own_format = {fid for fid, labels in report.markers.items() if labels} <= {report.spec_id}
    for r, row in rows.items():
        # A row no identity binds (表二) has nothing but its shape to go on: trust that only in a
        # report of this format, and never for surplus texts, which extra columns of another
        # template explain just as well as a number broken over lines (行政许可 13191 481 259610).
        if r not in bound and (not own_format or len(row.finding.params["values"]) > len(row.row.cells)):
            domains[r] = []
    for con in local:
        (rid,) = con.terms
        domains[rid] = [i for i in domains[rid] if con.contribution(rid, i) in (0, None)]
    fitting = {r: d for r, d in domains.items() if d}
    if not fitting:
        return domains, set(), False
    # Rows no reading fits stay R001: they are missing cells for the identities across rows, and
    # the rows they share an identity with cannot be confirmed.
    joint = [c for c in constraints if not c.own and all(r in fitting for r in c.terms)]
    for c in constraints:
        if not all(r in fitting for r in c.terms):
            unchecked.update(c.terms)
    trial = {r: list(d) for r, d in fitting.items()}
    if _narrow(trial, joint) and _enumerate(trial, joint, exists):
        return {**domains, **trial}, set(fitting) - unchecked, True
    # The identities across rows cannot all hold (an error elsewhere in the table, or damage of
    # another kind): what each row's own identities say is listed (R007), never set.
    return domains, set(), False


# ---------------------------------------------------------------------------------------------
# The pass


def _damaged_rows(report: Report) -> dict[int, _Row]:
    spec = report.spec
    by_location = {f"{p.table}.{p.key}": p for t in spec.tables.values() for p in t.physical_rows}
    out: dict[int, _Row] = {}
    r001: list[str] | None = None
    for i, f in enumerate(report.diagnostics):
        if not isinstance(f, Finding) or f.code != "R001":
            continue
        if r001 is None:
            r001 = [d.location for d in report.diagnostics if isinstance(d, Finding) and d.code == "R001"]
        if r001.count(f.location) > 1:
            continue  # a row read twice (its label printed twice, its numbers in two places): no one reading
        row = by_location.get(f.location)
        texts = f.params.get("values")
        if row is None or not isinstance(texts, list):
            continue
        if any(report.cells[k].state is not CellState.UNCERTAIN for k in row.cells):
            continue  # never touch a cell read normally
        if f.params.get("blank_cell"):
            continue  # a blank cell among the row's values explains the short count: no reading
        found = readings(texts, len(row.cells))
        if found and any(spec.cells[k].decimal for k in row.cells) and any(r.damage != RUN for r in found):
            # A lost decimal point cannot be told from a lost line break (merge, split): such a row is
            # rebuilt only when collapsed identical cells are all it can be (“0” for 采购项目数量 and
            # 采购总金额).
            continue
        if found and not f.params.get("line_per_value", True):
            # Identical cells collapse where a crawler wrote a cell per line; numbers several to a
            # line (a table row, text extracted from a PDF) lose none that way: a blank cell is
            # far likelier, and no reading says which.
            found = tuple(r for r in found if r.damage != RUN)
        if found and f.params.get("line_per_value") and len(texts) > 1:
            # Numbers a line each: each is one cell; two cells' digits run together need them on one
            # line (a row's only number may still be all its cells run together: 申请数量640020470).
            # "11" of a cell-a-line 表四 read as 1|1, beside a blank last cell the text left out,
            # fitted the group's sum and put four values one column off.
            found = tuple(r for r in found if r.damage != SPLIT)
        if found is not None and not f.params.get("line_per_value", True):
            # Numbers several to a line, fewer than the cells: a blank cell or two left out.
            found = (*found, *blank_readings(texts, len(row.cells)))
        stray = f.params.get("stray")
        if isinstance(stray, int) and found is not None:
            # The row's values on its line, then numbers alone on lines of their own (a page number
            # between two rows): a reading that leaves them out, for the identities to confirm.
            kept = texts[: len(texts) - stray]
            if all(_DIGITS.match(t) for t in kept):
                shown = "、".join(texts[len(kept) :])
                found = (*found, Reading(tuple(map(int, kept)), f"略去单独成行的数字「{shown}」（如页码）", STRAY))
        if found:
            out[i] = _Row(i, f, row, found)
    return out


def _show(values: tuple[int | None, ...]) -> str:
    return "、".join("空" if v is None else str(v) for v in values)


def _set_agreed(report: Report, row: _Row, fit: list[Reading], rid: int) -> bool:
    """A row short of cells printed blank (BLANK readings among `fit`, the readings every identity
    leaves in a consistent table): each cell that all of them give one number is set; the others
    (the cell printed blank, and any whose number the readings place differently) stay UNCERTAIN.
    R019 says which. False (nothing done) when no cell is agreed on."""
    cells = row.row.cells
    agreed = [{r.values[p] for r in fit} for p in range(len(cells))]
    placed = [len(a) == 1 and None not in a for a in agreed]
    if not any(placed):
        return False
    f = row.finding
    texts = list(f.params["values"])
    spec = report.spec
    for key, ok, values in zip(cells, placed, agreed, strict=True):
        if ok:
            old = report.cells[key]
            how = "按勾稽关系确定了各数字所在的栏（空白单元格没有印出）"
            report.cells[key] = Cell(key, values.pop(), CellState.NUMBER, old.raw, f.source, f"由受损文本恢复：{how}")
    names = [spec.cells[k].name_zh.rsplit("×", 1)[-1].strip("「」") for k, p in zip(cells, placed, strict=True)]
    names = [name for name, p in zip(names, placed, strict=True) if not p]
    unsure = "、".join(f"「{name}」" for name in names)
    report.diagnostics[rid] = Finding(
        "R019",
        f.location,
        len(cells),
        texts,
        f.source,
        {"values": texts, "count": len(texts), "placed": sum(placed), "unsure": unsure},
    )
    return True


def damaged_rows_fit(report: Report) -> bool:
    """Whether every damaged row (R001) of text with lines has a reading and the identities across
    rows can hold for them jointly: how `xxgk.recognize.reading_order` tries a way to cut a run of
    numbers short of blank cells into rows, before taking it."""
    rows = _damaged_rows(report)
    if not rows:
        return True
    domains, _, joint = _solve(report, rows, exists=True)
    return joint and all(domains[r] for r in rows)


def recover(report: Report) -> None:
    """Rebuild the damaged rows (R001) that the identities determine; see the module docstring.
    (A page's text on one line, where identical cells never collapse, has its own pass:
    `xxgk.recognize.joint_splits`.)"""
    rows = _damaged_rows(report)
    if not rows:
        return
    domains, confirmed, joint = _solve(report, rows)
    for rid, row in rows.items():
        fit = [row.readings[i] for i in domains[rid]]
        f = row.finding
        texts = list(f.params["values"])
        if joint and any(r.damage == BLANK for r in fit) and _set_agreed(report, row, fit, rid):
            continue
        if len(fit) > 1 and all(r.damage == BLANK for r in fit):
            continue  # short of blank cells that may stand anywhere: R001 says just that
        if len(fit) == 1 and rid in confirmed:
            (reading,) = fit
            for key, value in zip(row.row.cells, reading.values, strict=True):
                old = report.cells[key]
                report.cells[key] = Cell(
                    key, value, CellState.NUMBER, old.raw, f.source, f"由受损文本恢复：{reading.how}"
                )
            report.diagnostics[rid] = Finding(
                "R006", f.location, list(reading.values), texts, f.source, {"how": reading.how, "values": texts}
            )
        elif fit:
            shown = "；".join(_show(r.values) for r in fit[:SHOWN_READINGS])
            report.diagnostics[rid] = Finding(
                "R007",
                f.location,
                [list(r.values) for r in fit[:SHOWN_READINGS]],
                texts,
                f.source,
                {"readings": shown, "count": len(fit), "values": texts},
            )
