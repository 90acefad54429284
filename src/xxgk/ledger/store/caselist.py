"""The case list of an agency (the web app's list page and `xxgk ledger list`): one page of cases, each with
its most urgent deadline and the working days left, filtered, searched, ordered and counted.

Everything comes from the case rows' columns, deadlines included (`agenda.DeadlineColumns`, kept current by
`LedgerStore.refresh_deadlines`): no case is folded, so a page costs two queries (the page and the count)
whatever the size of the ledger. Which deadline is the most urgent depends on the day (the 补正-notice window
is shown only until it passes), so it is chosen in SQL for `today`; working days left are counted for the
page's rows only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import BooleanField, DateField, F, Q, Value, When
from django.db.models import Case as SqlCase

from xxgk.ledger import keys as K
from xxgk.ledger.case import Status
from xxgk.ledger.counting import CountingRules
from xxgk.ledger.errors import CalendarError, LedgerError
from xxgk.ledger.store.agenda import NOTICE_WHAT_ZH, working_days_left
from xxgk.ledger.store.repository import LedgerStore

# 「即将到期」: at most this many working days left (and not overdue).
DUE_SOON_DAYS = 3
# Page size when none is asked for.
DEFAULT_LIMIT = 50
# Orderings by name; ties in receipt order. Cases without a pending deadline come last in "due".
ORDERS: dict[str, tuple[Any, ...]] = {
    "received": ("received_on", "id"),
    "-received": ("-received_on", "-id"),
    "number": ("number",),
    "-number": ("-number",),
    "applicant": ("applicant", "received_on", "id"),
    "due": (F("urgent_on").asc(nulls_last=True), "received_on", "id"),
    "-due": (F("urgent_on").desc(nulls_last=True), "received_on", "id"),
}
ORDERS_ZH = {
    "received": "收到日期",
    "-received": "收到日期（倒序）",
    "number": "编号",
    "-number": "编号（倒序）",
    "applicant": "申请人",
    "due": "期限",
    "-due": "期限（倒序）",
}


@dataclass(frozen=True)
class CaseQuery:
    """Which cases, in what order, which page. Filters combine (AND); `search` matches part of the number or
    of the applicant's name. `overdue` / `due_within` keep the open cases whose most urgent deadline has
    passed / is at most that many working days away (overdue included); `overdue` wins when both are given.
    `limit` None: every case (the CLI)."""

    status: tuple[str, ...] = ()  # Status values; empty = any
    open_only: bool = False
    applicant_type: str | None = None  # 表三 applicant column key
    channel: str | None = None  # Channel value
    year: int | None = None  # received in that year, or open at some time in it
    search: str = ""
    overdue: bool = False
    due_within: int | None = None
    order: str = "received"
    offset: int = 0
    limit: int | None = DEFAULT_LIMIT


@dataclass(frozen=True)
class CaseListRow:
    number: str
    applicant: str
    applicant_type: str
    channel: str
    received_on: date
    status: Status
    closed_on: date | None
    outcome: str | None  # 表三 outcome row once closed; None for a withdrawn case
    due_on: date | None  # the most urgent pending deadline as of the list's day (None: closed or nothing due)
    due_what: str
    days_left: int | None  # working days to `due_on`, negative when overdue (None: none, or not computable)
    late_days: int | None  # a reply this many working days after its deadline (超期答复)
    deadlines_known: bool  # False: the calendar does not cover this case's deadlines

    @property
    def closed(self) -> bool:
        return self.closed_on is not None

    @property
    def withdrawn(self) -> bool:
        return self.closed and self.outcome is None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def due_soon(self) -> bool:
        return self.days_left is not None and 0 <= self.days_left <= DUE_SOON_DAYS

    def table_row(self, rules: CountingRules | None = None) -> str | None:
        """The 表三 outcome row (as CaseState.table_row)."""
        return CountingRules.resolve(rules).withdrawn_row if self.withdrawn else self.outcome


@dataclass(frozen=True)
class CasePage:
    rows: tuple[CaseListRow, ...]
    total: int  # cases matching the filters, all pages
    offset: int
    limit: int | None
    today: date
    unknown: tuple[str, ...] = ()  # with a deadline filter: open cases whose deadlines cannot be computed


def _check(query: CaseQuery) -> None:
    bad = [s for s in query.status if s not in {st.value for st in Status}]
    if bad:
        known = "、".join(f"{st.label_zh}（{st.value}）" for st in Status)
        raise LedgerError(f"未知的案件状态「{'、'.join(bad)}」；可用：{known}")
    if query.order not in ORDERS:
        known = "、".join(f"{k}（{v}）" for k, v in ORDERS_ZH.items())
        raise LedgerError(f"未知的排序方式「{query.order}」；可用：{known}")
    if query.offset < 0 or (query.limit is not None and query.limit < 1):
        raise LedgerError("分页参数无效：起始位置不能为负数，每页至少1件")
    if query.due_within is not None and query.due_within < 0:
        raise LedgerError("剩余工作日数不能为负数")


def _deadline_cutoff(store: LedgerStore, query: CaseQuery, today: date) -> date | None:
    """The date the most urgent deadline must be before, for the deadline filters (None: no such filter)."""
    try:
        if query.overdue:  # at least one working day has passed since the deadline
            return store.calendar.last_workday_on_or_before(today)
        if query.due_within is not None:  # fewer than due_within + 1 working days left
            return store.calendar.nth_workday_after(today, query.due_within + 1)
    except CalendarError as e:
        raise LedgerError(f"无法按 {today} 计算剩余工作日：{e.message}") from None
    return None


def case_list(store: LedgerStore, query: CaseQuery | None = None, *, today: date | None = None) -> CasePage:
    """One page of the agency's cases (see CaseQuery), with the total count; working days left as of
    `today` (default: the current date)."""
    query = query or CaseQuery()
    today = today or date.today()
    _check(query)
    store.refresh_deadlines()
    qs = store.case_rows()
    if query.status:
        qs = qs.filter(status__in=query.status)
    if query.open_only or query.overdue or query.due_within is not None:
        # The open statuses by name (not "not closed"), so that the (agency, status) index finds the few open
        # cases among the many closed ones.
        qs = qs.filter(status__in=[st.value for st in Status if st is not Status.CLOSED])
    if query.applicant_type:
        qs = qs.filter(applicant_type=query.applicant_type)
    if query.channel:
        qs = qs.filter(channel=query.channel)
    if query.year is not None:
        qs = qs.filter(received_on__lte=date(query.year, 12, 31)).exclude(closed_on__lt=date(query.year, 1, 1))
    if query.search.strip():
        text = query.search.strip()
        qs = qs.filter(Q(number__icontains=text) | Q(applicant__icontains=text))
    # DeadlineColumns.urgent() in SQL: the notice window while it has not passed, if it is the sooner.
    notice_first = Q(notice_due_on__gte=today) & (Q(due_on__isnull=True) | Q(notice_due_on__lte=F("due_on")))
    qs = qs.annotate(
        urgent_on=SqlCase(When(notice_first, then=F("notice_due_on")), default=F("due_on"), output_field=DateField()),
        notice_first=SqlCase(When(notice_first, then=Value(True)), default=Value(False), output_field=BooleanField()),
    )
    unknown: tuple[str, ...] = ()
    cutoff = _deadline_cutoff(store, query, today)
    if cutoff is not None:
        unknown = tuple(qs.filter(deadlines_known=False).order_by("received_on", "id").values_list("number", flat=True))
        qs = qs.filter(urgent_on__lt=cutoff)
    total = qs.count()
    page = qs.order_by(*ORDERS[query.order])
    end = None if query.limit is None else query.offset + query.limit
    fields = (
        "number", "applicant", "applicant_type", "channel", "received_on", "status", "closed_on", "outcome",
        "urgent_on", "notice_first", "due_what", "reply_due_on", "deadlines_known",
    )  # fmt: skip
    rows = tuple(_row(store, values, today) for values in page.values_list(*fields)[query.offset : end])
    return CasePage(rows, total, query.offset, query.limit, today, unknown)


def _row(store: LedgerStore, values: Sequence[Any], today: date) -> CaseListRow:
    number, applicant, applicant_type, channel, received_on, status, closed_on, outcome = values[:8]
    urgent_on, notice_first, due_what, reply_due_on, known = values[8:]
    days_left = late = None
    calendar = store.calendar
    if urgent_on is not None:
        try:
            days_left = working_days_left(calendar, today, urgent_on)
        except CalendarError:
            days_left = None
    # 超期答复 (case.late_reply_days): closed by a reply, i.e. with an outcome row other than those of
    # 逾期未补正 and 逾期未缴费, after the reply deadline.
    replied = outcome not in (None, K.NO_CORRECTION_ROW, K.FEE_UNPAID_ROW)
    if replied and closed_on is not None and reply_due_on is not None and closed_on > reply_due_on:
        try:
            late = calendar.workdays_between(reply_due_on, closed_on) or None
        except LedgerError:
            late = None
    what = NOTICE_WHAT_ZH if notice_first else due_what
    return CaseListRow(
        number, applicant, applicant_type, channel, received_on, Status(status), closed_on, outcome,
        urgent_on, what if urgent_on is not None else "", days_left, late, bool(known),
    )  # fmt: skip


__all__ = ["DEFAULT_LIMIT", "DUE_SOON_DAYS", "ORDERS", "CaseListRow", "CasePage", "CaseQuery", "case_list"]
