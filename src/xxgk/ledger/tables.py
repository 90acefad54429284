"""表三 and 表四 for a year, counted from the ledger; identities I1–I4 hold by construction.

表三 (year Y): 新收 = entered in Y; 上年结转 = entered before Y and not closed before Y; outcome rows =
closed in Y, by outcome; 结转下年度 = entered by the end of Y and not closed by then. Each case falls in
exactly one applicant column, so every row total is the sum of its columns, （七）总计 the sum of the
outcome rows, and 新收+上年结转 = 办结+结转 in every column. 表四 counts each 复议/诉讼 once, in its
result column or 尚未审结. The open choices are `CountingRules` (counting.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from xxgk.ledger.case import CaseState, Proceeding
from xxgk.ledger.counting import CountingRules
from xxgk.ledger.keys import LedgerKeys, ledger_keys
from xxgk.report import Cell, CellState, Provenance, Report, empty_report

Cells = dict[str, int]


# One group of cases for 表三: (applicant column, entered in the year, outcome row if closed in the year —
# None: carried over to next year —, number of cases). A case counts once; the store gives these counts
# from SQL (store.aggregate), `table3` from case states.
Table3Group = tuple[str, bool, str | None, int]


def table3_groups(states: Iterable[CaseState], year: int, rules: CountingRules | None = None) -> Iterator[Table3Group]:
    """The 表三 group of each case that counts in `year` (one group per case)."""
    rules = CountingRules.resolve(rules)
    first, last = date(year, 1, 1), date(year, 12, 31)
    for s in states:
        if s.withdrawn and rules.withdrawn_row is None:
            continue
        entered, closed = s.entry_date(rules), s.closed_on
        if entered > last or (closed is not None and closed < first):
            continue
        row = s.table_row(rules) if closed is not None and closed <= last else None
        yield s.applicant_type, entered >= first, row, 1


def table3_from_groups(groups: Iterable[Table3Group], keys: LedgerKeys | None = None) -> Cells:
    keys = keys or ledger_keys()
    rows = (keys.new_row, keys.carried_in_row, *keys.outcome_rows, keys.processed_row, keys.carried_out_row)
    counts = {row: dict.fromkeys(keys.applicant_columns, 0) for row in rows}
    for col, new, row, n in groups:
        counts[keys.new_row if new else keys.carried_in_row][col] += n
        if row is not None:
            counts[row][col] += n
            counts[keys.processed_row][col] += n
        else:
            counts[keys.carried_out_row][col] += n
    out: Cells = {}
    for row in rows:
        for col, n in counts[row].items():
            out[f"t3.{row}.{col}"] = n
        out[f"t3.{row}.{keys.total_column}"] = sum(counts[row].values())
    return out


def table3(
    states: Iterable[CaseState], year: int, rules: CountingRules | None = None, keys: LedgerKeys | None = None
) -> Cells:
    return table3_from_groups(table3_groups(states, year, rules), keys)


def table4(
    states: Iterable[CaseState],
    year: int,
    rules: CountingRules | None = None,
    keys: LedgerKeys | None = None,
    as_of: date | None = None,
) -> Cells:
    """表四: proceedings per CountingRules.t4_basis, each with its result as of `as_of` (default 12-31 of Y)."""
    return table4_from_proceedings((p for s in states for p in s.proceedings), year, rules, keys, as_of)


def table4_from_proceedings(
    proceedings: Iterable[Proceeding],
    year: int,
    rules: CountingRules | None = None,
    keys: LedgerKeys | None = None,
    as_of: date | None = None,
) -> Cells:
    rules, keys = CountingRules.resolve(rules), keys or ledger_keys()
    first, last = date(year, 1, 1), date(year, 12, 31)
    cutoff = as_of or last
    parts = (*keys.t4_results, keys.t4_pending)
    counts = {g: dict.fromkeys(parts, 0) for g in keys.t4_groups}
    for p in proceedings:
        if p.filed_on > last:
            continue
        if p.filed_on < first:
            if rules.t4_basis == "filed_in_year":
                continue
            if p.decided_on is not None and p.decided_on < first:
                continue
        decided = p.decided_on is not None and p.decided_on <= cutoff
        counts[p.group][p.result if decided and p.result else keys.t4_pending] += 1
    out: Cells = {}
    for g, c in counts.items():
        for part, n in c.items():
            out[f"t4.{g}.{part}"] = n
        out[f"t4.{g}.{keys.t4_total}"] = sum(c.values())
    return out


def ledger_cells(
    states: Iterable[CaseState], year: int, rules: CountingRules | None = None, as_of: date | None = None
) -> Cells:
    """Every 表三 and 表四 cell for `year`, keyed by format key."""
    states = list(states)
    return {**table3(states, year, rules), **table4(states, year, rules, as_of=as_of)}


def ledger_report(
    states: Iterable[CaseState],
    year: int,
    *,
    agency: str | None = None,
    rules: CountingRules | None = None,
    as_of: date | None = None,
) -> Report:
    """A Report whose 表三/表四 come from the ledger (表二 and the sections are left absent for the renderer)."""
    return cells_report(ledger_cells(states, year, rules, as_of), year, agency=agency)


def cells_report(cells: Cells, year: int, *, agency: str | None = None) -> Report:
    """A Report holding the 表三/表四 `cells` counted from the ledger (by `ledger_cells` or the store)."""
    report = empty_report(f"ledger:{year}")
    report.meta.year = year
    report.meta.agency = agency
    report.meta.format_version = report.spec_id
    source = Provenance(file="ledger", reader="ledger")
    for key, value in cells.items():
        report.cells[key] = Cell(key, value, CellState.NUMBER, str(value), source)
    for table in ("t3", "t4"):
        report.tables_found[table] = True
        for phys in report.spec.tables[table].physical_rows:
            report.rows_found[f"{table}.{phys.key}"] = True
    return report


def merge_ledger_tables(base: Report, ledger: Report) -> None:
    """Replace 表三 and 表四 of `base` (a fill-in template) by the ledger's; 表二 and the text stay."""
    for key, cell in ledger.cells.items():
        if key.startswith(("t3.", "t4.")):
            base.cells[key] = cell
    for table in ("t3", "t4"):
        base.tables_found[table] = True
    for key, found in ledger.rows_found.items():
        if key.startswith(("t3.", "t4.")):
            base.rows_found[key] = found
