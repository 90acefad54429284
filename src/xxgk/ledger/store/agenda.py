"""What is due: the deadlines of open cases as dated items with working days left (pure, no Django).

Working days left are counted like the deadlines themselves: a deadline today has 0 left, tomorrow's
(if a working day) 1; an overdue one has minus the working days since it passed.

`deadline_columns` is what the store keeps of a case's deadlines (so that a case list never folds a case):
the earliest pending deadline other than the 补正-notice window, that window on its own (it is shown only
until it passes, so which deadline is the most urgent depends on the day asked), and the reply deadline
that applies or applied (for 超期答复).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from xxgk.ledger.calendar import WorkCalendar
from xxgk.ledger.case import CaseDeadlines, CaseState, case_deadlines, reply_deadline
from xxgk.ledger.counting import CountingRules
from xxgk.ledger.errors import CalendarError

NOTICE_WHAT_ZH = "补正通知期限（如需补正，第三十条）"


@dataclass(frozen=True, order=True)
class DueItem:
    due: date
    case_id: str
    what_zh: str
    days_left: int
    applicant: str = ""

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    def left_zh(self) -> str:
        if self.days_left < 0:
            return f"已逾期{-self.days_left}个工作日"
        if self.days_left == 0:
            return "今天到期"
        return f"剩余{self.days_left}个工作日"


def working_days_left(calendar: WorkCalendar, today: date, due: date) -> int:
    if due >= today:
        return calendar.workdays_between(today, due)
    return -calendar.workdays_between(due, today)


def _pending(state: CaseState, deadlines: CaseDeadlines) -> list[tuple[date, str]]:
    """The deadlines of an open case other than the 补正-notice window, in a fixed order."""
    raw: list[tuple[date, str]] = []
    if state.correction_reply_by is not None and state.correction_received_on is None:
        raw.append((state.correction_reply_by, "申请人补正期限"))
    if deadlines.reply is not None:
        extra = f"，已延长{state.extension_days}个工作日" if state.extension_days else ""
        raw.append((deadlines.reply, f"答复期限（第三十三条{extra}）"))
    if deadlines.payment is not None:
        raw.append((deadlines.payment, "申请人缴费期限（届满未缴可登记逾期未缴费）"))
    for ref, due in deadlines.consultation_answers:
        raw.append((due, f"征求意见答复期限（编号{ref}）"))
    return raw


def deadline_items(state: CaseState, deadlines: CaseDeadlines, calendar: WorkCalendar, today: date) -> list[DueItem]:
    """Every pending deadline of one case (none once it is closed)."""
    if state.closed:
        return []
    raw: list[tuple[date, str]] = []
    # A 补正 notice is only needed for an unclear request: its window is shown while open, never as overdue.
    if deadlines.correction_notice is not None and deadlines.correction_notice >= today:
        raw.append((deadlines.correction_notice, NOTICE_WHAT_ZH))
    raw += _pending(state, deadlines)
    return [
        DueItem(due, state.case_id, what, working_days_left(calendar, today, due), state.applicant) for due, what in raw
    ]


@dataclass(frozen=True)
class DeadlineColumns:
    """The deadlines of a case as the store keeps them. `known` is False when the calendar does not cover
    them (the dates are then None)."""

    due_on: date | None = None  # the earliest pending deadline other than the 补正-notice window
    due_what: str = ""  # what that deadline is (DueItem.what_zh)
    notice_due_on: date | None = None  # the 补正-notice window, while no notice was sent and the case is open
    reply_due_on: date | None = None  # reply_deadline(): the reply deadline that applies or applied
    known: bool = True

    def urgent(self, today: date) -> tuple[date | None, str]:
        """(date, what) of the most urgent deadline as of `today`: the one `deadline_items` would give the
        fewest working days left (the notice window counts only until it passes; on a tie it comes first)."""
        notice = self.notice_due_on
        if notice is not None and notice >= today and (self.due_on is None or notice <= self.due_on):
            return notice, NOTICE_WHAT_ZH
        return self.due_on, self.due_what


def deadline_columns(state: CaseState, calendar: WorkCalendar, rules: CountingRules | None = None) -> DeadlineColumns:
    reply = reply_deadline(state, calendar, rules)
    if state.closed:
        return DeadlineColumns(reply_due_on=reply)
    try:
        deadlines = case_deadlines(state, calendar, rules)
    except CalendarError:
        return DeadlineColumns(reply_due_on=reply, known=False)
    pending = _pending(state, deadlines)
    due, what = min(pending, key=lambda dw: dw[0]) if pending else (None, "")
    return DeadlineColumns(due, what, deadlines.correction_notice, reply)


def due_items(
    states: Iterable[CaseState],
    calendar: WorkCalendar,
    today: date,
    *,
    within: int | None = None,
    rules: CountingRules | None = None,
) -> list[DueItem]:
    """Deadlines of open cases, soonest first; with `within`, only those at most `within` working days away
    (overdue ones included)."""
    items: list[DueItem] = []
    for s in states:
        if s.closed:
            continue
        for item in deadline_items(s, case_deadlines(s, calendar, rules), calendar, today):
            if within is None or item.days_left <= within:
                items.append(item)
    return sorted(items)
