"""Export: the ledger as the usual Excel 台账, one row per case.

The effective events of each case are written (voided events are left out, as a snapshot of the ledger
would; the receipt as corrected by 更正) into fixed columns: dates as real Excel dates, applicant types,
reply types and 表四 results as the Chinese labels of the format. Repeated facts (several consultations,
extensions, 复议 or 诉讼 on one case) get numbered column groups. Text that a spreadsheet would run as a
formula (starting with = + - @, a tab or CR) is written as text, never as a formula.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xxgk.ledger import keys as K
from xxgk.ledger.calendar import WorkCalendar
from xxgk.ledger.case import Case, effective_received, late_reply_days, late_reply_zh, reply_deadline
from xxgk.ledger.counting import CountingRules
from xxgk.ledger.events import (
    Corrected,
    CorrectionLapsed,
    CorrectionReceived,
    CorrectionRequested,
    Event,
    ExtensionApproved,
    FeeNoticeIssued,
    FeeNotPaid,
    FeePaid,
    Replied,
    Voided,
    Withdrawn,
)
from xxgk.ledger.keys import LedgerKeys, ledger_keys
from xxgk.ledger.vocabulary import data_labels, outcome_label, own_group_label, result_choices
from xxgk.ledger.xlsx.columns import COLUMNS, DATE_FORMAT, GROUPS, SHEET_TITLE, Column, header_text
from xxgk.spreadsheet import FORMULA_START, formula_like, xlsx_text

if TYPE_CHECKING:
    from openpyxl import Workbook


@dataclass
class _Row:
    """The values of one case by field; `groups` holds the repeated instances by group name."""

    values: dict[str, Any] = field(default_factory=dict)
    groups: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, group: str, **values: Any) -> None:
        self.groups.setdefault(group, []).append(values)


def _effective(events: Sequence[Event]) -> list[Event]:
    voided = {e.target for e in events if isinstance(e, Voided)}
    kept = [e for i, e in enumerate(events) if i not in voided and not isinstance(e, Voided | Corrected)]
    return sorted(kept, key=lambda e: e.on)


def case_row(case: Case, keys: LedgerKeys, calendar: WorkCalendar | None, rules: CountingRules) -> _Row:
    s = case.state
    row = _Row()
    v = row.values
    v["number"] = case.id
    r0 = effective_received(case.events)
    v["applicant"] = r0.applicant
    v["applicant_type"] = keys.applicant_label(r0.applicant_type)
    v["received_on"] = s.received_on
    v["channel"] = r0.channel.label_zh
    if r0.on != s.received_on:
        v["submitted_on"] = r0.on
    v["subject"] = r0.subject
    t4 = result_choices(keys.format_id).labels
    methods = data_labels("fee_method")
    parties = data_labels("party")
    for e in _effective(case.events):
        if isinstance(e, CorrectionRequested):
            v["correction_requested_on"], v["correction_reply_by"] = e.on, e.reply_by
        elif isinstance(e, CorrectionReceived):
            v["correction_received_on"] = e.on
        elif isinstance(e, CorrectionLapsed):
            v["correction_lapsed_on"] = e.on
        elif isinstance(e, ExtensionApproved):
            row.add("extension", extension_on=e.on, extension_days=e.days)
        elif isinstance(e, FeeNoticeIssued):
            v["fee_notice_on"], v["fee_method"], v["fee_amount"] = e.on, methods[e.method], e.amount
            v["fee_pages"] = e.pages
        elif isinstance(e, FeePaid):
            v["fee_paid_on"] = e.on
        elif isinstance(e, FeeNotPaid):
            v["fee_not_paid_on"] = e.on
        elif isinstance(e, Replied):
            v["replied_on"], v["outcome"] = e.on, outcome_label(keys, e.outcome)
        elif isinstance(e, Withdrawn):
            v["withdrawn_on"] = e.on
    for c in s.consultations:
        row.add(
            "consultation",
            consultation_party=parties.get(c.party, c.party),
            consultation_sent_on=c.sent_on,
            consultation_answered_on=c.answered_on,
        )
    for p in s.proceedings:
        result = t4[p.result] if p.result else None
        if p.group == K.REVIEW_GROUP:
            row.add("review", review_filed_on=p.filed_on, review_result=result, review_decided_on=p.decided_on)
        else:
            row.add(
                "litigation",
                litigation_filed_on=p.filed_on,
                litigation_kind=own_group_label(keys, p.group),
                litigation_result=result,
                litigation_decided_on=p.decided_on,
            )
    if s.closed:
        end = "撤回" if s.withdrawn or s.outcome is None else outcome_label(keys, s.outcome)
        v["status"] = f"{s.status.label_zh}（{end}）"
    else:
        v["status"] = s.status.label_zh
    v["reply_due"] = reply_deadline(s, calendar, rules) if calendar is not None else None
    v["late_reply"] = late_reply_zh(late_reply_days(s, calendar, rules)) if calendar is not None else ""
    return row


def _layout(rows: Sequence[_Row]) -> list[tuple[Column, int]]:
    """Columns in order, each group repeated as often as the busiest case needs (at least once)."""
    counts = {g: max([len(r.groups.get(g, ())) for r in rows] + [1]) for g in GROUPS}
    layout: list[tuple[Column, int]] = []
    done: set[str] = set()
    for c in COLUMNS:
        if c.group is None:
            layout.append((c, 1))
        elif c.group not in done:
            done.add(c.group)
            layout.extend((gc, i) for i in range(1, counts[c.group] + 1) for gc in GROUPS[c.group])
    return layout


def export_workbook(
    cases: Iterable[Case],
    *,
    calendar: WorkCalendar | None = None,
    rules: CountingRules | None = None,
    keys: LedgerKeys | None = None,
) -> Workbook:
    """A workbook with one sheet 「台账」: a header row, then one row per case."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    rules, keys = CountingRules.resolve(rules), keys or ledger_keys()
    rows = [case_row(c, keys, calendar, rules) for c in cases]
    layout = _layout(rows)
    wb = Workbook(write_only=True)  # streamed: no per-cell bookkeeping, linear in the number of cases
    ws = wb.create_sheet(SHEET_TITLE)
    for n, (c, _) in enumerate(layout, start=1):
        ws.column_dimensions[get_column_letter(n)].width = c.width
    ws.freeze_panes = "B2"
    bold = Font(bold=True)
    header = []
    for c, i in layout:
        cell = WriteOnlyCell(ws, header_text(c, i))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for r in rows:
        values: list[Any] = []
        for c, i in layout:
            if c.group is None:
                v = r.values.get(c.field)
            else:
                instances = r.groups.get(c.group, [])
                v = instances[i - 1].get(c.field) if i <= len(instances) else None
            if isinstance(v, date):
                v = WriteOnlyCell(ws, v)
                v.number_format = DATE_FORMAT
            elif formula_like(v):
                v = xlsx_text(ws, v)
            values.append(None if v == "" else v)
        ws.append(values)
    return wb


def _discard(wb: Workbook) -> None:
    """Finish the streamed sheets of a workbook that will not be saved, so that their writers do not
    complain on stderr when garbage-collected."""
    for ws in getattr(wb, "_sheets", ()):
        with contextlib.suppress(Exception):  # already broken: nothing to save
            ws.close()


def save_workbook(wb: Workbook, path: str | Path) -> None:
    """Save next to `path` and rename over it, so a crash never leaves half a file."""
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".xlsx", dir=target.parent or None)
    except OSError:
        _discard(wb)
        raise
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        _discard(wb)
        raise


__all__ = ["FORMULA_START", "case_row", "export_workbook", "save_workbook"]
