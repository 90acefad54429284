"""表三/表四 and the late replies of a year, counted from the store in SQL: no case is folded.

表三 is one GROUP BY over the case rows' columns (applicant column, entered in the year, outcome row if closed
in it), handed to the same counting as the per-case path (`tables.table3_from_groups`). 表四 counts the
复议/诉讼 the core derived when each case was last written (the `proceedings` column) with the same counting
as the per-case path (`tables.table4_from_proceedings`). The per-case path,
`tables.ledger_cells(store.states(), year)`, gives the same cells (tests/test_ledger_aggregate.py) and stays
as the reference.
"""

from __future__ import annotations

from datetime import date

from django.db.models import BooleanField, Count, F, Value, When
from django.db.models import Case as SqlCase

from xxgk.ledger import keys as K
from xxgk.ledger.case import Proceeding
from xxgk.ledger.counting import CountingRules
from xxgk.ledger.errors import LedgerError
from xxgk.ledger.store.repository import LedgerStore, proceeding_from_value
from xxgk.ledger.tables import Cells, Table3Group, table3_from_groups, table4_from_proceedings


def table3_groups(store: LedgerStore, year: int, rules: CountingRules | None = None) -> list[Table3Group]:
    """The 表三 groups of the agency's cases for `year` (see tables.Table3Group), counted by the database."""
    rules = CountingRules.resolve(rules)
    first, last = date(year, 1, 1), date(year, 12, 31)
    # CaseState.entry_date: the corrected request's date is the clock start (set by 收到补正材料 alone).
    entry = "clock_start" if rules.correction_receipt_basis == "corrected" else "received_on"
    qs = store.case_rows().filter(**{f"{entry}__lte": last}).exclude(closed_on__lt=first)
    if rules.withdrawn_row is None:  # withdrawn = closed without an outcome row
        qs = qs.exclude(closed_on__isnull=False, outcome__isnull=True)
    flag = {"default": Value(False), "output_field": BooleanField()}
    qs = qs.annotate(
        entered_in_year=SqlCase(When(**{f"{entry}__gte": first}, then=Value(True)), **flag),
        closed_in_year=SqlCase(When(closed_on__lte=last, then=Value(True)), **flag),
    )
    groups = qs.order_by().values_list("applicant_type", "entered_in_year", "closed_in_year", "outcome")
    out: list[Table3Group] = []
    for column, new, closed, outcome, n in groups.annotate(n=Count("id")):
        row = (outcome if outcome is not None else rules.withdrawn_row) if closed else None
        out.append((column, bool(new), row, n))
    return out


def proceedings(store: LedgerStore) -> list[Proceeding]:
    """Every 复议/诉讼 of the agency's cases, from the `proceedings` column of the few cases that have any."""
    store.refresh_deadlines()  # an upgraded ledger fills the column on first use
    values = store.case_rows().filter(proceedings__isnull=False).order_by().values_list("proceedings", flat=True)
    return [proceeding_from_value(v) for value in values for v in value]


def store_cells(store: LedgerStore, year: int, rules: CountingRules | None = None, as_of: date | None = None) -> Cells:
    """Every 表三 and 表四 cell for `year`, as `tables.ledger_cells(store.states(), …)` gives them."""
    return {
        **table3_from_groups(table3_groups(store, year, rules)),
        **table4_from_proceedings(proceedings(store), year, rules, as_of=as_of),
    }


def late_replies(store: LedgerStore, year: int) -> list[str]:
    """Numbers of the cases answered in `year` after their reply deadline (超期答复), in receipt order: what
    `commands.late_replies(store.states(), year, store.calendar)` gives, from the stored reply deadlines."""
    store.refresh_deadlines()
    first, last = date(year, 1, 1), date(year, 12, 31)
    # Closed by a reply = closed with an outcome row other than those of 逾期未补正 and 逾期未缴费.
    qs = (
        store.case_rows()
        .filter(closed_on__gte=first, closed_on__lte=last, reply_due_on__isnull=False, closed_on__gt=F("reply_due_on"))
        .exclude(outcome__isnull=True)
        .exclude(outcome__in=(K.NO_CORRECTION_ROW, K.FEE_UNPAID_ROW))
    )
    out: list[str] = []
    for number, due, closed in qs.order_by("received_on", "id").values_list("number", "reply_due_on", "closed_on"):
        try:
            late = store.calendar.workdays_between(due, closed)
        except LedgerError:
            continue
        if late:
            out.append(number)
    return out


__all__ = ["late_replies", "proceedings", "store_cells", "table3_groups"]
