"""The rows of a page's text on one line, split jointly by every identity, cell by cell.

In a crawler's one-line text (`xxgk.recognize.one_line`) a row's cells run together
(`611545435` for 表三's 7 cells) and identical cells never collapse. Each damaged row (R001) is
split only in the ways its own sums allow (`sum_splits`: I2, I4), or, bound by none, in every way
(`recover.readings`). The identities across rows (I1, I3: 表三's column sums) then choose among
them, for all damaged rows at once: a reading is kept when some choice of readings for the other
rows completes every identity (an exact search over all identities together, meeting in the
middle, bounded by MAX_STATES; not one identity at a time, which keeps readings no joint choice
fits).

A cell that is missing (a row no reading fits, a blank) is eliminated from the identities rather
than let it void them: the instances holding it are combined so that it cancels (总计 unknown:
新收 + 结转 = Σ results + 结转下年, column by column). Nothing is assumed of it.

What is set, never guessed:
- a row whose kept readings are one: every cell (R006);
- a row whose kept readings are several: the cells on which they all agree (R021), the others stay
  uncertain. Two rows that swap 10 between the same two columns (6|1|15 against 6|11|5, and
  1|16 against 11|6) fit every identity either way, yet their other cells are the same in both;
- a row no split fits, when it fits with one blank cell (two, for numbers a space apart): a blank
  cell vanishes from such text (`12 5 7 1 5 42` for 7 cells). Its readings with the blank in each
  place are searched with the others' (the identities the blank is in released), once the search
  without blanks is done, and only when every row no split fits has such readings (one left
  unknown beside a supposed blank releases so much that wrong swaps fit); a row that search
  confirms is set from it, the blank left missing;
- nothing where a row's readings cannot all be checked: a cell of it is in no identity across
  rows once the missing cells are eliminated (an instance that is only a sum of the rows' own sums
  checks nothing), or the rows' readings complete no joint choice (an error of the report, or a
  blank cell that let a row fit its own sum by chance), or a search ran out of budget. Then only
  a row whose digits are one per cell and whose own sums bind every cell is set, as the text
  allows no other reading (R006); the rest is listed (R007).

A row checked only by its own sums or its shape (表四; 表二, no identity) is trusted only in text
that shows no sign of a lost blank cell (a row no split fits, rows no joint choice fits): a blank
in it can leave a reading that checks (规章 230 for 2, blank, 230). A 表二 row is set then only
when it splits one way, in a report that shows no label of another format, never from surplus
texts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import combinations, product
from operator import add
from typing import cast

from xxgk.findings import Finding
from xxgk.format.spec import PhysicalRow
from xxgk.recognize.recover import MAX_READINGS, SPLIT, identity_equations, readings
from xxgk.recognize.sum_splits import Equation, sum_groups, sum_splits
from xxgk.report import Cell, CellState, Report

__all__ = ["recover_one_line"]

MAX_STATES = 40_000  # choices listed by one half of a joint search; more: the group is not decided
MAX_SEARCHES = 4  # a group's searches together list at most this many times MAX_STATES choices
MAX_BLANK_PLACES = 64  # combinations of the places of blank cells searched in one group; more: not decided
MAX_BLANK_READINGS = 12_000  # readings with a blank cell of all such rows; more: that search is not made
MAX_BLANKS_IN_ROW = 2  # blank cells a row is read with (a row of 7 printed as 5 numbers)
MAX_BLANK_ROWS = 6  # rows given readings with a blank cell; more: left as no split fits them
MAX_BOUND_ROUNDS = 8  # rounds of dropping readings by the bounds of the others (each is a pass)
SHOWN_READINGS = 3  # readings listed in R007 / R021

Vector = tuple[int | None, ...]  # contributions to identities; None: released by a blank cell


@dataclass(frozen=True, slots=True)
class _Split:
    """One reading of a damaged row: its cells in printed order (None: a blank cell), and how the
    text was split (zh-CN, for R006)."""

    values: tuple[int | None, ...]
    how: str


@dataclass
class _Row:
    position: int  # index of its R001 finding in report.diagnostics
    finding: Finding
    row: PhysicalRow
    readings: tuple[_Split, ...]
    kept: list[int] = field(default_factory=list)  # indexes of the readings still possible
    own_sums: bool = False  # split by its own sums (`sum_splits`), which bind every cell of it
    bound: bool = False  # in some identity (表三, 表四); else judged by its shape alone (表二)


@dataclass
class _Identity:
    """One identity instance across damaged rows: const + Σ contributions of their readings == 0."""

    const: int
    terms: dict[int, list[int | None]]  # row -> contribution of each reading (None: it has a blank there)


def recover_one_line(report: Report) -> None:
    """Set the cells of the damaged rows that the identities determine; flag the rest (see the
    module docstring)."""
    rows, unreadable = _damaged_rows(report)
    if not rows:
        return
    _own_sums(report, rows)
    confirmed, lone, failed = _solve(report, rows)
    # A row only its own sums or its shape check (表二, 表四) is trusted only in text that shows no
    # sign of a vanished blank cell: a row no split fits, or rows no joint choice fits. (A blank
    # cell of such a row, 规章 230 for 2, blank, 230, can leave a reading that checks.)
    clean = not unreadable and not failed and all(r.kept for r in rows.values() if r.bound)
    if not clean:
        confirmed -= lone
    # Rows no split fits may have lost a blank cell: each is given the readings with one or two
    # blank cells, and the identities across rows (but those a blank is in) tried again. A row
    # that search confirms is taken from it; the others keep what the first search found.
    blank = _with_one_blank(report, rows)
    if blank is not None:
        confirmed_blank, lone_blank, _ = _solve(report, blank)
        for rid in confirmed_blank - lone_blank:
            rows[rid] = blank[rid]
            confirmed.add(rid)
    for rid, r in rows.items():
        if not r.kept:
            continue  # no reading fits: the R001 stays
        if rid in confirmed:
            _settle(report, r)
        elif _one_way(r):
            _set_row(report, r, r.readings[r.kept[0]])
        else:
            _list(report, r)


def _solve(report: Report, rows: dict[int, _Row]) -> tuple[set[int], set[int], bool]:
    """Narrow each row's kept readings to those that belong to a joint choice satisfying every
    identity across rows. Returns the rows confirmed so (every identity they are in was checked,
    or released only by a blank cell of a reading kept, and their group's search found a choice),
    the rows that no identity across rows joins to another, and whether the search of a group
    joined by identities found no choice (or ran out of budget)."""
    unchecked: set[int] = set()
    identities = _identities(report, rows, unchecked)
    confirmed: set[int] = set()
    lone: set[int] = set()
    failed = False
    for group in _groups(rows, identities):
        joined = any(set(group) & set(identity.terms) for identity in identities)
        if not joined:
            lone.update(group)
        support = _joint_support(group, rows, identities)
        if support is None:
            failed = failed or joined
            continue
        for rid in group:
            r = rows[rid]
            r.kept = sorted(support[rid])
            if rid not in unchecked and (r.bound or len(r.kept) == 1):
                confirmed.add(rid)
    return confirmed, lone, failed


def _with_one_blank(report: Report, rows: dict[int, _Row]) -> dict[int, _Row] | None:
    """The rows again (fresh copies), those that no split fits given the readings with a blank
    cell (a blank cell vanishes from one-line text: `12 5 7 1 5 42` for 7 cells); None when no row
    is such, more than MAX_BLANK_ROWS are (each multiplies the choices), or they would have more
    than MAX_BLANK_READINGS readings together."""
    unfit = [rid for rid, r in rows.items() if not r.kept and r.own_sums]
    if not unfit or len(unfit) > MAX_BLANK_ROWS:
        return None
    out = {rid: replace(r, kept=list(range(len(r.readings)))) for rid, r in rows.items()}
    left = MAX_BLANK_READINGS
    for rid in unfit:
        r = rows[rid]
        found = _blank_readings(r.finding.params["values"], len(r.row.cells), left)
        if not found:
            return None  # (a row whose digits the identities cannot check: no reading is trusted)
        left -= len(found)
        out[rid] = replace(r, readings=found, kept=list(range(len(found))))
    if left == MAX_BLANK_READINGS:
        return None
    _own_sums(report, out)
    return out


def _blank_readings(texts: list[str], n: int, limit: int) -> tuple[_Split, ...]:
    """The readings of `texts` as n cells of which one is blank (None): the texts split into n - 1
    numbers by their shape only (a row with a blank cell has no sum to check), the blank put in
    every place; and, when the texts are n - 2 numbers a space apart, as n cells with two blanks.
    None when there are more than `limit`."""
    whole = all(t.isascii() and t.isdigit() and (t == "0" or t[0] != "0") for t in texts)
    out: list[_Split] = []
    for blanks in range(1, MAX_BLANKS_IN_ROW + 1):
        if whole and len(texts) == n - blanks:
            numbers: list[tuple[int, ...]] = [tuple(int(t) for t in texts)]
        elif blanks == 1 and len(texts) < n - blanks:
            split = readings(texts, n - blanks)
            if split is None:
                return ()
            # (a SPLIT reading has a number in every cell: only BLANK readings hold None)
            numbers = [cast(tuple[int, ...], r.values) for r in split if r.damage == SPLIT]
        else:
            continue
        places = list(combinations(range(n), blanks))
        if len(out) + len(numbers) * len(places) > limit:
            return ()
        how = f"拆分连写的数字（{blanks} 格空白）"
        for values in numbers:
            for place in places:
                it = iter(values)
                out.append(_Split(tuple(None if i in place else next(it) for i in range(n)), how))
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# The damaged rows and their readings


def _damaged_rows(report: Report) -> tuple[dict[int, _Row], bool]:
    """The rows the recogniser could not read (R001) with their readings as one-line text, and
    whether a row of them splits no way at all (too few digits for its cells: a blank cell lost)."""
    spec = report.spec
    by_location = {f"{p.table}.{p.key}": p for t in spec.tables.values() for p in t.physical_rows}
    r001 = [f for f in report.diagnostics if isinstance(f, Finding) and f.code == "R001"]
    read_twice = {f.location for f in r001 if sum(g.location == f.location for g in r001) > 1}
    out: dict[int, _Row] = {}
    unreadable = False
    for i, f in enumerate(report.diagnostics):
        if not isinstance(f, Finding) or f.code != "R001" or f.location in read_twice:
            continue  # (a row read twice, its label printed twice: no one reading)
        row = by_location.get(f.location)
        texts = f.params.get("values")
        if row is None or not isinstance(texts, list) or f.params.get("blank_cell"):
            continue
        if any(report.cells[k].state is not CellState.UNCERTAIN for k in row.cells):
            continue  # never touch a cell read normally
        if any(spec.cells[k].decimal for k in row.cells):
            continue  # a lost decimal point cannot be told from cells run together
        found = _readings(report, row, texts)
        if found is not None:  # (no split at all: kept, for the readings with a blank cell)
            grouped = sum_groups(identity_equations(report.spec_id), row) is not None and len(texts) < len(row.cells)
            if found or grouped:
                out[i] = _Row(i, f, row, found, list(range(len(found))), own_sums=grouped)
        unreadable = unreadable or found == ()
    return out, unreadable


def _readings(report: Report, row: PhysicalRow, texts: list[str]) -> tuple[_Split, ...] | None:
    """A row's readings as one-line text: cells run together, never collapsed. A row its own sums
    bind (表三 I2, 表四 I4) is split only in the ways they allow (`sum_splits`), so that long digit
    strings are read too."""
    n = len(row.cells)
    groups = sum_groups(identity_equations(report.spec_id), row)
    if groups is None or len(texts) >= n or not all(t.isascii() and t.isdigit() for t in texts):
        found = readings(texts, n)
        if found is None:
            return None
        return tuple(_Split(r.values, r.how) for r in found if r.damage == SPLIT or len(texts) > n)
    split = sum_splits(tuple(texts), groups, MAX_READINGS)
    if split is None:
        return None
    return tuple(_Split(values, f"拆分连写的数字：{_shown_split(texts, values)}") for values in split)


def _shown_split(texts: list[str], values: tuple[int, ...]) -> str:
    """How the texts were split into `values`, for R006/R007: 350010844→35|0|0|1|0|8|44."""
    shown, i = [], 0
    for text in texts:
        parts, width = [], 0
        while width < len(text):
            parts.append(str(values[i]))
            width += len(parts[-1])
            i += 1
        if len(parts) > 1:
            shown.append(f"{text}→{'|'.join(parts)}")
    return "，".join(shown)


def _own_sums(report: Report, rows: dict[int, _Row]) -> None:
    """Keep each row's readings that its own identities (I2, I4) allow, and mark the rows some
    identity binds; a row that no identity binds loses them all where its shape cannot vouch for
    it (see the module docstring)."""
    cells = {key: (rid, pos) for rid, r in rows.items() for pos, key in enumerate(r.row.cells)}
    bound: set[int] = set()
    for equation in identity_equations(report.spec_id):
        rids = {cells[key][0] for key, _ in equation if key in cells}
        bound |= rids
        if len(rids) != 1 or not all(key in cells for key, _ in equation):
            continue
        (rid,) = rids
        r = rows[rid]
        r.kept = [i for i in r.kept if _total(r.readings[i].values, cells, equation) in (0, None)]
    own_format = {fid for fid, labels in report.markers.items() if labels} <= {report.spec_id}
    for rid, r in rows.items():
        r.bound = rid in bound
        # A row no identity binds (表二) has nothing but its shape to go on: trust that only in a
        # report of this format, and never for surplus texts, which extra columns of another
        # template explain just as well as a number broken over lines (行政许可 13191 481 259610).
        if rid not in bound and (not own_format or len(r.finding.params["values"]) > len(r.row.cells)):
            r.kept = []


def _total(values: tuple[int | None, ...], cells: dict[str, tuple[int, int]], equation: Equation) -> int | None:
    """Σ coef·value of a row's own identity for one reading; None when a cell of it is blank."""
    total = 0
    for key, c in equation:
        value = values[cells[key][1]]
        if value is None:
            return None
        total += c * value
    return total


def _identities(report: Report, rows: dict[int, _Row], unchecked: set[int]) -> list[_Identity]:
    """The identity instances across rows that bind fitting damaged rows, with every cell that is
    missing (a damaged row no reading fits, a blank) eliminated: the instances that hold it are
    combined two by two so that it cancels (新收 + 结转 = 总计 + 结转下年 and 总计 = Σ results give
    新收 + 结转 = Σ results + 结转下年 when 总计 is unknown), and an instance left alone with it is
    dropped (it only tells that cell). Nothing is assumed of a missing cell. A row some instance
    across rows bound goes into `unchecked` when a cell of it is in none of the instances left:
    no identity across rows confirms that cell."""
    fitting = {key: (rid, pos) for rid, r in rows.items() if r.kept for pos, key in enumerate(r.row.cells)}
    damaged = {key: rid for rid, r in rows.items() for key in r.row.cells}
    equations: list[dict[str, int]] = []
    touched: set[int] = set()
    own: dict[int, list[dict[str, int]]] = {}  # a fitting row's own sums
    for equation in identity_equations(report.spec_id):
        rids = {damaged[key] for key, _ in equation if key in damaged}
        if not rids:
            continue  # no damaged row
        if len(rids) == 1 and all(key in fitting for key, _ in equation):
            own.setdefault(min(rids), []).append(dict(equation))
            continue  # one row's own sums (already applied)
        equations.append(dict(equation))
        touched |= {rid for rid in rids if rows[rid].kept}
    missing = sorted(
        {key for e in equations for key in e if key not in fitting and not isinstance(report.cells[key].value, int)}
    )
    for key in missing:
        having = [e for e in equations if key in e]
        equations = [e for e in equations if key not in e]
        pivot = having[0] if having else {}
        for other in having[1:]:
            combined = {k: c * pivot[key] for k, c in other.items()}
            for k, c in pivot.items():
                combined[k] = combined.get(k, 0) - c * other[key]
            equations.append({k: c for k, c in combined.items() if c})
    out = []
    covered: set[str] = set()
    for e in equations:
        const = 0
        terms: dict[int, list[int | None]] = {}
        for key, c in e.items():
            if key not in fitting:
                value = report.cells[key].value
                assert isinstance(value, int)  # (every other cell was eliminated)
                const += c * value
                continue
            rid, pos = fitting[key]
            contribution = terms.setdefault(rid, [0] * len(rows[rid].readings))
            for i, reading in enumerate(rows[rid].readings):
                value, before = reading.values[pos], contribution[i]
                contribution[i] = None if value is None or before is None else before + c * value
        if terms:
            out.append(_Identity(const, terms))
            covered |= _checked_cells(e, fitting, own)
    unchecked |= {rid for rid in touched if not all(key in covered for key in rows[rid].row.cells)}
    return out


def _checked_cells(
    equation: dict[str, int], fitting: dict[str, tuple[int, int]], own: dict[int, list[dict[str, int]]]
) -> set[str]:
    """The cells of fitting rows an identity instance checks: those left once the rows' own sums
    are taken out of it. (An instance made by eliminating a missing row can be no more than a sum
    of the other rows' own sums: every reading satisfies it, it confirms none.)"""
    rest = {key: c for key, c in equation.items() if key in fitting}
    for rid in {fitting[key][0] for key in rest}:
        for sums in own.get(rid, []):
            first = next(iter(sums))
            factor, remainder = divmod(rest.get(first, 0), sums[first])
            if factor and not remainder and all(rest.get(key, 0) == factor * c for key, c in sums.items()):
                for key in sums:
                    rest.pop(key)
    return set(rest)


# ---------------------------------------------------------------------------------------------
# The joint search


def _groups(rows: dict[int, _Row], identities: list[_Identity]) -> list[list[int]]:
    """The fitting rows in groups joined by identities (each group searched on its own)."""
    parent = {rid: rid for rid, r in rows.items() if r.kept}

    def root(rid: int) -> int:
        while parent[rid] != rid:
            parent[rid] = parent[parent[rid]]
            rid = parent[rid]
        return rid

    for identity in identities:
        first, *rest = identity.terms
        for rid in rest:
            parent[root(rid)] = root(first)
    out: dict[int, list[int]] = {}
    for rid in parent:
        out.setdefault(root(rid), []).append(rid)
    return list(out.values())


def _joint_support(group: list[int], rows: dict[int, _Row], identities: list[_Identity]) -> dict[int, set[int]] | None:
    """For each row of `group`, its readings that some choice of readings of the other rows
    completes into one that satisfies every identity; None when no choice does, or when the search
    would list more than its budget of choices (the group is then left undecided).

    A reading with a blank cell releases the identities that cell is in. The rows with such
    readings are taken by where their blanks are (each combination of places, at most
    MAX_BLANK_PLACES): the identities released there are left out for every row, and the rest is
    searched without blanks (`_meet`)."""
    members = set(group)
    used = [identity for identity in identities if members & set(identity.terms)]
    # Each row's readings by their contribution to the identities (readings alike share a vector).
    options: dict[int, dict[Vector, list[int]]] = {}
    for rid in group:
        by_vector: dict[Vector, list[int]] = {}
        for i in rows[rid].kept:
            v = tuple(identity.terms[rid][i] if rid in identity.terms else 0 for identity in used)
            by_vector.setdefault(v, []).append(i)
        options[rid] = by_vector
    const = tuple(identity.const for identity in used)
    if not _within_bounds(options, const):
        return None
    places: dict[int, dict[frozenset[int], dict[Vector, list[int]]]] = {}  # row -> released -> vectors
    for rid, by_vector in options.items():
        for v, indexes in by_vector.items():
            released = frozenset(k for k, x in enumerate(v) if x is None)
            places.setdefault(rid, {}).setdefault(released, {})[v] = indexes
    wild = [rid for rid in group if set(places[rid]) != {frozenset()}]
    combinations_count = 1
    for rid in wild:
        combinations_count *= len(places[rid])
    if combinations_count > MAX_BLANK_PLACES:
        return None
    support: dict[int, set[int]] = {rid: set() for rid in group}
    budget = [MAX_STATES * MAX_SEARCHES]
    for choice in product(*(list(places[rid].items()) for rid in wild)):
        released = frozenset().union(*(r for r, _ in choice))
        keep = [k for k in range(len(used)) if k not in released]
        chosen = {rid: vectors for rid, (_, vectors) in zip(wild, choice, strict=True)}
        projected: dict[int, dict[Vector, list[int]]] = {}
        for rid in group:
            into: dict[Vector, list[int]] = {}
            for v, indexes in chosen.get(rid, options[rid]).items():
                into.setdefault(tuple(v[k] for k in keep), []).extend(indexes)
            projected[rid] = into
        start = tuple(const[k] for k in keep)
        if not _within_bounds(projected, start):
            continue
        found = _meet(group, projected, start, budget)
        if found is None:
            return None
        for rid, kept in found.items():
            support[rid] |= kept
    if not any(support.values()):
        return None  # no choice of readings satisfies every identity
    return support


def _meet(
    group: list[int], options: dict[int, dict[Vector, list[int]]], const: tuple[int, ...], budget: list[int]
) -> dict[int, set[int]] | None:
    """Meet in the middle: the rows are split in two halves of about equal numbers of choices; every
    choice of each half is listed with the sum of its vectors (the second from 0, the first from
    the constants). A choice of one half is kept when the other half has a choice whose sum
    completes it to 0 (a dictionary look-up). None when the choices listed would exceed `budget`
    (what is left of it is kept there)."""
    halves: tuple[list[int], list[int]] = ([], [])
    sizes = [1, 1]
    for rid in sorted(group, key=lambda r: -len(options[r])):
        half = 0 if sizes[0] <= sizes[1] else 1
        halves[half].append(rid)
        sizes[half] *= len(options[rid])
    budget[0] -= sizes[0] + sizes[1]
    if sizes[0] > MAX_STATES or sizes[1] > MAX_STATES or budget[0] < 0:
        return None
    first = _choices(halves[0][::-1], options, const)
    second = _choices(halves[1][::-1], options, (0,) * len(const))
    ends: dict[Vector, list[tuple[Vector, ...]]] = {}  # what completes the second half's choices
    for total, picks in second:
        ends.setdefault(tuple(None if t is None else -t for t in total), []).append(picks)
    support: dict[int, set[int]] = {rid: set() for rid in group}
    matched: set[Vector] = set()
    for total, picks in first:
        if total in ends:
            matched.add(total)
            for rid, v in zip(halves[0][::-1], picks, strict=True):
                support[rid].update(options[rid][v])
    for total in matched:
        for picks in ends[total]:
            for rid, v in zip(halves[1][::-1], picks, strict=True):
                support[rid].update(options[rid][v])
    return support


def _choices(
    half: list[int], options: dict[int, dict[Vector, list[int]]], start: tuple[int, ...]
) -> list[tuple[Vector, tuple[Vector, ...]]]:
    """Every choice of one vector per row of `half` (no blank left in them): (start + their sum,
    the vectors chosen)."""
    out: list[tuple[Vector, tuple[Vector, ...]]] = [(start, ())]
    for rid in half:
        out = [(tuple(map(add, total, v)), (*picks, v)) for total, picks in out for v in options[rid]]
    return out


def _within_bounds(options: dict[int, dict[Vector, list[int]]], const: tuple[int, ...]) -> bool:
    """Drop the vectors that cannot complete the identities whatever the other rows choose: const
    + v + the other rows' least and greatest contributions must straddle 0. An identity a blank
    cell releases is not checked, so a vector may miss as many identities as the other rows'
    vectors can release (each at most its count of None), no more. Until nothing changes (at
    most MAX_BOUND_ROUNDS passes); False when a row is left with none. Cheap, and it leaves few of
    the many readings of a row with a blank cell."""
    width = len(const)
    changed = True
    for _ in range(MAX_BOUND_ROUNDS):
        if not changed:
            break
        changed = False
        low, high = list(const), list(const)
        spans: dict[int, list[tuple[int, int] | None]] = {}  # None: every vector of the row is blank there
        releases: dict[int, int] = {}  # the most identities one vector of the row releases
        for rid, by_vector in options.items():
            span: list[tuple[int, int] | None] = []
            for k in range(width):
                known = [x for v in by_vector if (x := v[k]) is not None]
                span.append((min(known), max(known)) if known else None)
                low[k] += min(known, default=0)
                high[k] += max(known, default=0)
            spans[rid] = span
            releases[rid] = max(v.count(None) for v in by_vector)
        free = [any(span[k] is None for span in spans.values()) for k in range(width)]
        total_releases = sum(releases.values())
        for rid, by_vector in options.items():
            allowed = total_releases - releases[rid]
            span = spans[rid]
            keep = {v: ix for v, ix in by_vector.items() if _misses(v, span, low, high, free) <= allowed}
            if len(keep) < len(by_vector):
                if not keep:
                    return False
                options[rid] = keep
                changed = True
    return True


def _misses(v: Vector, span: list[tuple[int, int] | None], low: list[int], high: list[int], free: list[bool]) -> int:
    """How many identities cannot be 0 with this row's vector v and the others' spans."""
    missed = 0
    for k, x in enumerate(v):
        own = span[k]
        if x is None or free[k] or own is None:
            continue
        if not low[k] - own[0] + x <= 0 <= high[k] - own[1] + x:
            missed += 1
    return missed


# ---------------------------------------------------------------------------------------------
# Setting and flagging


def _one_way(r: _Row) -> bool:
    """Whether a row's digits are one per cell (6000017 for 7 cells: the text splits no other way)
    and its own sums, binding every cell, hold so: read so whatever the other rows are."""
    return r.own_sums and len(r.kept) == 1 and sum(map(len, r.finding.params["values"])) == len(r.row.cells)


def _settle(report: Report, r: _Row) -> None:
    """A confirmed row: its one reading set (R006), or the cells all its readings agree on (R021;
    a blank cell, None in every reading, stays uncertain: it is read from no text)."""
    first = r.readings[r.kept[0]]
    if len(r.kept) == 1 and None not in first.values:
        _set_row(report, r, first)
        return
    columns = list(zip(*(r.readings[i].values for i in r.kept), strict=True))
    agreed = [len(set(column)) == 1 and column[0] is not None for column in columns]
    if not any(agreed):
        _list(report, r)
        return
    f = r.finding
    for key, value, same in zip(r.row.cells, first.values, agreed, strict=True):
        if same:
            old = report.cells[key]
            how = f"由受损文本恢复：符合勾稽关系的读法（{len(r.kept)} 种）在此栏一致"
            report.cells[key] = Cell(key, value, CellState.NUMBER, old.raw, f.source, how)
    names = []
    for key, same, column in zip(r.row.cells, agreed, columns, strict=True):
        if not same:
            name = report.spec.cells[key].name_zh
            blank = "（空白）" if set(column) == {None} else ""  # blank in every reading: the text has none
            names.append((name.split("×")[-1] if r.row.label else name) + blank)
    left = "、".join(names)
    report.diagnostics[r.position] = Finding(
        "R021",
        f.location,
        [v if same else None for v, same in zip(first.values, agreed, strict=True)],
        list(f.params["values"]),
        f.source,
        {
            "readings": _shown(r),
            "count": len(r.kept),
            "settled": sum(agreed),
            "left": left,
            "values": list(f.params["values"]),
        },
    )


def _set_row(report: Report, r: _Row, reading: _Split) -> None:
    f = r.finding
    for key, value in zip(r.row.cells, reading.values, strict=True):
        old = report.cells[key]
        report.cells[key] = Cell(key, value, CellState.NUMBER, old.raw, f.source, f"由受损文本恢复：{reading.how}")
    texts = list(f.params["values"])
    report.diagnostics[r.position] = Finding(
        "R006", f.location, list(reading.values), texts, f.source, {"how": reading.how, "values": texts}
    )


def _list(report: Report, r: _Row) -> None:
    f = r.finding
    texts = list(f.params["values"])
    report.diagnostics[r.position] = Finding(
        "R007",
        f.location,
        [list(r.readings[i].values) for i in r.kept[:SHOWN_READINGS]],
        texts,
        f.source,
        {"readings": _shown(r), "count": len(r.kept), "values": texts},
    )


def _shown(r: _Row) -> str:
    return "；".join(
        "、".join("空白" if v is None else str(v) for v in r.readings[i].values) for i in r.kept[:SHOWN_READINGS]
    )
