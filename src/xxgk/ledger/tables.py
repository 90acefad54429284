"""表三 and 表四 for a year, counted from the ledger; identities I1–I4 hold by construction.

表三 (year Y): 新收 = entered in Y; 上年结转 = entered before Y and not closed before Y; outcome rows =
closed in Y, by outcome; 结转下年度 = entered by the end of Y and not closed by then. Each case falls in
exactly one applicant column, so every row total is the sum of its columns, （七）总计 the sum of the
outcome rows, and 新收+上年结转 = 办结+结转 in every column. 表四 counts each 复议/诉讼 once, in its
result column or 尚未审结. The open choices are `CountingRules` (counting.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from xxgk.ledger.case import CaseState
from xxgk.ledger.counting import CountingRules
from xxgk.ledger.keys import LedgerKeys, ledger_keys
from xxgk.report import Cell, CellState, Provenance, Report, empty_report

Cells = dict[str, int]


def table3(
    states: Iterable[CaseState], year: int, rules: CountingRules | None = None, keys: LedgerKeys | None = None
) -> Cells:
    rules, keys = CountingRules.resolve(rules), keys or ledger_keys()
    first, last = date(year, 1, 1), date(year, 12, 31)
    rows = (keys.new_row, keys.carried_in_row, *keys.outcome_rows, keys.processed_row, keys.carried_out_row)
    counts = {row: dict.fromkeys(keys.applicant_columns, 0) for row in rows}
    for s in states:
        if s.withdrawn and rules.withdrawn_row is None:
            continue
        entered, closed = s.entry_date(rules), s.closed_on
        if entered > last or (closed is not None and closed < first):
            continue
        col = s.applicant_type
        if entered >= first:
            counts[keys.new_row][col] += 1
        else:
            counts[keys.carried_in_row][col] += 1
        if closed is not None and closed <= last:
            row = s.table_row(rules)
            assert row is not None
            counts[row][col] += 1
            counts[keys.processed_row][col] += 1
        else:
            counts[keys.carried_out_row][col] += 1
    out: Cells = {}
    for row in rows:
        for col, n in counts[row].items():
            out[f"t3.{row}.{col}"] = n
        out[f"t3.{row}.{keys.total_column}"] = sum(counts[row].values())
    return out


def table4(
    states: Iterable[CaseState],
    year: int,
    rules: CountingRules | None = None,
    keys: LedgerKeys | None = None,
    as_of: date | None = None,
) -> Cells:
    """表四: proceedings per CountingRules.t4_basis, each with its result as of `as_of` (default 12-31 of Y)."""
    rules, keys = CountingRules.resolve(rules), keys or ledger_keys()
    first, last = date(year, 1, 1), date(year, 12, 31)
    cutoff = as_of or last
    parts = (*keys.t4_results, keys.t4_pending)
    counts = {g: dict.fromkeys(parts, 0) for g in keys.t4_groups}
    for s in states:
        for p in s.proceedings:
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
    cells = ledger_cells(states, year, rules, as_of)
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
