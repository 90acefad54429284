"""The 依申请公开 ledger: cases as append-only events, working-day deadlines, 信息处理费, 表三/表四.

Pure Python, independent of storage: nothing here imports Django (the storage app, when present,
lives in `xxgk.ledger.store` and is set up only by the commands that keep state).
"""

from __future__ import annotations

from xxgk.ledger.calendar import CalendarSettings, WorkCalendar, builtin_calendar, load_calendar
from xxgk.ledger.case import Case, CaseDeadlines, CaseState, Ledger, Status, case_deadlines, fold
from xxgk.ledger.counting import CountingRules
from xxgk.ledger.deadlines import Channel, add_working_days, correction_notice_due, receipt_date, reply_due
from xxgk.ledger.errors import CalendarError, HolidayFileError, LedgerError, YearNotCoveredError
from xxgk.ledger.tables import ledger_cells, ledger_report, table3, table4

__all__ = [
    "CalendarError",
    "CalendarSettings",
    "Case",
    "CaseDeadlines",
    "CaseState",
    "Channel",
    "CountingRules",
    "HolidayFileError",
    "Ledger",
    "LedgerError",
    "Status",
    "WorkCalendar",
    "YearNotCoveredError",
    "add_working_days",
    "builtin_calendar",
    "case_deadlines",
    "correction_notice_due",
    "fold",
    "ledger_cells",
    "ledger_report",
    "load_calendar",
    "receipt_date",
    "reply_due",
    "table3",
    "table4",
]
