"""The ledger's application layer: what `xxgk ledger add|event` (and the web forms) do, as functions.

The CLI parses arguments and prints; everything in between lives here: turning the words a user typed into
events (through the one vocabulary of `xxgk.ledger.vocabulary`, shared with the Excel import), the fee a
notice defaults to (国办函〔2020〕109号), refusing dates in the future, opening and recording through the
store, and describing an event in a few words of Chinese. Nothing here imports Django at module level.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from xxgk.ledger import events as ev
from xxgk.ledger.calendar import WorkCalendar
from xxgk.ledger.case import Case, CaseState, late_reply_days
from xxgk.ledger.counting import CountingRules
from xxgk.ledger.dates import future_problem, require_date
from xxgk.ledger.errors import LedgerError
from xxgk.ledger.events import Event, Received
from xxgk.ledger.fees import per_page_fee, per_request_statement
from xxgk.ledger.keys import ledger_keys
from xxgk.ledger.tables import cells_report
from xxgk.ledger.vocabulary import (
    applicant_choices,
    data_labels,
    event_choices,
    method_choices,
    outcome_choices,
    parse_channel_value,
    party_choices,
    result_choices,
)

if TYPE_CHECKING:
    from xxgk.ledger.store.repository import LedgerStore
    from xxgk.report import Report

# Event field → the command-line option that gives it (also the names a web form posts).
EVENT_OPTIONS = {
    "outcome": "--outcome",
    "reply_by": "--reply-by",
    "party": "--party",
    "ref": "--ref",
    "days": "--days",
    "amount": "--amount",
    "method": "--method",
    "pages": "--pages",
    "result": "--result",
    "after_review": "--after-review",
    "target": "--target",
    "reason": "--reason",
    "submitted_on": "--received",
    "confirmed_on": "--confirmed",
    "channel": "--channel",
    "applicant_type": "--type",
}
# Fields each event type requires.
REQUIRED_OPTIONS = {
    "replied": ("outcome",),
    "review_decided": ("result",),
    "litigation_decided": ("result",),
    "voided": ("target",),
    "corrected": ("reason",),
}
# Dates that may lie after today by nature (a period given to the applicant).
FUTURE_OK = frozenset({"reply_by"})


def _not_future(d: date, what: str, today: date | None, allow_future: bool) -> date:
    if today is not None and not allow_future and (problem := future_problem(d, today, what)):
        raise LedgerError(problem)
    return d


def received_event(
    *,
    received: Any,
    applicant: str,
    applicant_type: str,
    channel: str = "当面",
    confirmed: Any = None,
    subject: str = "",
    today: date | None = None,
    allow_future: bool = False,
) -> Received:
    """The 「收到申请」 event of a new case from what the user typed (dates as text or dates)."""
    on = _not_future(require_date(received, "收到日期"), "收到日期", today, allow_future)
    confirmed_on = None
    if confirmed not in (None, ""):
        confirmed_on = _not_future(require_date(confirmed, "确认日期"), "确认日期", today, allow_future)
    if not applicant.strip():
        raise LedgerError("申请人不能为空")
    return Received(
        on,
        parse_channel_value(channel),
        applicant.strip(),
        applicant_choices().parse(applicant_type),
        confirmed_on,
        subject.strip(),
    )


def event_type(text: str) -> type[Event]:
    """The event class a user means by `text` (简称、全称 or key); 「收到申请」 is not one (it opens a case)."""
    try:
        kind = event_choices().parse(text)
    except LedgerError as e:
        raise LedgerError(f"{e.message}；也可用简称，如 补正、答复、撤回、复议、更正") from None
    return ev.EVENT_TYPES[kind]


def build_event(
    kind: str,
    on: Any,
    given: Mapping[str, Any],
    *,
    case_id: str = "—",
    applicant_states: Callable[[], Sequence[CaseState]] = tuple,
    today: date | None = None,
    allow_future: bool = False,
) -> Event:
    """An event from its type word, its date and the options given (field → value as typed; None = not
    given). A 更正 without a date is dated `today`. `applicant_states` gives the applicant's cases (for the
    per-request fee default); it is called only when needed."""
    cls = event_type(kind)
    given = {k: v for k, v in given.items() if v is not None}
    fields_ = {f.name for f in dataclasses.fields(cls)}
    extra = [EVENT_OPTIONS[k] for k in given if k not in fields_]
    if extra:
        usable = "、".join(EVENT_OPTIONS[f] for f in EVENT_OPTIONS if f in fields_) or "无"
        raise LedgerError(f"「{cls.label_zh}」事件没有选项 {'、'.join(extra)}；可用：{usable}")
    missing = [EVENT_OPTIONS[k] for k in REQUIRED_OPTIONS.get(cls.kind, ()) if k not in given]
    if missing:
        raise LedgerError(f"「{cls.label_zh}」事件须给出 {'、'.join(missing)}")
    if on in (None, "") and cls is ev.Corrected and today is not None:
        on = today
    if on in (None, ""):
        raise LedgerError(f"「{cls.label_zh}」事件须给出 --date 事件日期")
    day = _not_future(require_date(on, "事件日期"), "事件日期", today, allow_future)
    kwargs = event_values(cls, given, applicant_states, case_id=case_id, today=today, allow_future=allow_future)
    return cls(day, **kwargs)


def event_values(
    cls: type[Event],
    given: Mapping[str, Any],
    applicant_states: Callable[[], Sequence[CaseState]] = tuple,
    *,
    case_id: str = "—",
    today: date | None = None,
    allow_future: bool = False,
) -> dict[str, Any]:
    """The event fields from the values as typed: words through the vocabulary, dates through the one
    date parser, a fee notice's amount defaulting to what 109号 gives."""
    kwargs = dict(given)
    for name in ("reply_by", "submitted_on", "confirmed_on"):
        if name in kwargs:
            what = {"reply_by": "补正期限", "submitted_on": "收到日期", "confirmed_on": "确认日期"}[name]
            d = require_date(kwargs[name], what)
            kwargs[name] = d if name in FUTURE_OK else _not_future(d, what, today, allow_future)
    if "outcome" in kwargs:
        kwargs["outcome"] = outcome_choices().parse(kwargs["outcome"])
    if "result" in kwargs:
        kwargs["result"] = result_choices().parse(kwargs["result"])
    if "party" in kwargs:
        kwargs["party"] = party_choices().parse(kwargs["party"])
    if "channel" in kwargs:
        kwargs["channel"] = parse_channel_value(kwargs["channel"])
    if "applicant_type" in kwargs:
        kwargs["applicant_type"] = applicant_choices().parse(kwargs["applicant_type"])
    if "reason" in kwargs:
        kwargs["reason"] = str(kwargs["reason"]).strip()
    if cls is ev.FeeNoticeIssued:
        kwargs.update(fee_notice_values(kwargs, applicant_states, case_id))
    return kwargs


def fee_notice_values(
    given: Mapping[str, Any], applicant_states: Callable[[], Sequence[CaseState]], case_id: str
) -> dict[str, Any]:
    """method, pages and amount of a fee notice: 按量 when pages are given, else 按件; the amount, when not
    given, is what 109号 charges (按量: by pages; 按件: this applicant's requests this month)."""
    method_text = given.get("method") or ("按量" if given.get("pages") is not None else "按件")
    method = method_choices().parse(str(method_text))
    pages = given.get("pages")
    if method == "per_page" and pages is None:
        raise LedgerError("按量计收须给出 --pages 页数")
    if given.get("amount") is not None:
        try:
            amount = Decimal(str(given["amount"]).strip())
        except InvalidOperation:
            raise LedgerError(f"金额应为数字（元）：{given['amount']}") from None
        if not amount.is_finite():
            raise LedgerError(f"金额应为数字（元）：{given['amount']}")
    elif method == "per_page":
        assert pages is not None
        amount = Decimal(per_page_fee(int(pages)))
    else:
        amount = Decimal(per_request_statement(case_id, applicant_states()).total)
    return {"method": method, "pages": pages, "amount": amount}


# ---------------------------------------------------------------------------------------------
# Through the store


def open_case(store: LedgerStore, received: Received, number: str | None = None) -> Case:
    return store.open_case(received, number)


def record_event(store: LedgerStore, number: str, kind: str, on: Any, given: Mapping[str, Any], **kw: Any) -> Case:
    """Build the event (the fee default looks at the applicant's cases in the store) and record it."""

    def states() -> list[CaseState]:
        return store.states(applicant=store.case(number).state.applicant)

    event = build_event(kind, on, given, case_id=number, applicant_states=states, **kw)
    return store.record(number, event)


def year_tables(
    store: LedgerStore, year: int, *, as_of: date | None = None, rules: CountingRules | None = None
) -> tuple[Report, list[str]]:
    """表三/表四 of `year` counted by the store (SQL, no case folded) as a Report, and the numbers of the cases
    answered late that year. The same as `ledger_report(store.states(), …)` and `late_replies(store.states(), …)`."""
    from xxgk.ledger.store.aggregate import late_replies as stored_late_replies
    from xxgk.ledger.store.aggregate import store_cells

    cells = store_cells(store, year, rules, as_of)
    return cells_report(cells, year, agency=store.agency), stored_late_replies(store, year)


def late_replies(states: Sequence[CaseState], year: int, calendar: WorkCalendar) -> list[str]:
    """Numbers of the cases answered in `year` after their reply deadline (超期答复), from folded cases."""
    return [
        s.case_id
        for s in states
        if s.closed_on is not None and s.closed_on.year == year and late_reply_days(s, calendar)
    ]


# ---------------------------------------------------------------------------------------------
# Words for people


def describe_event(e: Event) -> str:
    """The details of an event in a few words of Chinese (for timelines)."""
    keys = ledger_keys()
    if isinstance(e, ev.Received):
        parts = [f"{e.applicant}（{keys.applicant_label(e.applicant_type)}）", e.channel.label_zh]
        if e.confirmed_on:
            parts.append(f"确认日期{e.confirmed_on}")
        return "，".join(parts)
    if isinstance(e, ev.CorrectionRequested):
        return f"补正期限至{e.reply_by}" if e.reply_by else ""
    if isinstance(e, ev.ConsultationSent):
        party = "第三方（第三十二条）" if e.party == "third_party" else "其他机关（第三十四条）"
        return f"征求{party}意见，编号{e.ref}"
    if isinstance(e, ev.ConsultationAnswered):
        return f"编号{e.ref}"
    if isinstance(e, ev.ExtensionApproved):
        return f"延长{e.days}个工作日"
    if isinstance(e, ev.FeeNoticeIssued):
        method = data_labels("fee_method")[e.method]
        return f"{e.amount}元（{method}" + (f"，{e.pages}页）" if e.method == "per_page" else "）")
    if isinstance(e, ev.Replied):
        return keys.row_label(e.outcome)
    if isinstance(e, ev.ReviewFiled):
        return f"编号{e.ref}"
    if isinstance(e, ev.LitigationFiled):
        group = "litigation_after_review" if e.after_review else "litigation_direct"
        return f"编号{e.ref}，{keys.t4_group_label(group)}"
    if isinstance(e, ev.ReviewDecided | ev.LitigationDecided):
        return f"编号{e.ref}，{keys.t4_column_label(e.result)}"
    if isinstance(e, ev.Voided):
        return f"作废第{e.target}条" + (f"：{e.reason}" if e.reason else "")
    if isinstance(e, ev.Corrected):
        parts = []
        if e.submitted_on:
            parts.append(f"收到日期改为{e.submitted_on}")
        if e.confirmed_on:
            parts.append(f"确认日期改为{e.confirmed_on}")
        if e.channel:
            parts.append(f"申请方式改为{e.channel.label_zh}")
        if e.applicant_type:
            parts.append(f"申请人类型改为{keys.applicant_label(e.applicant_type)}")
        return "，".join(parts) + f"（原因：{e.reason}）"
    return ""


__all__ = [
    "EVENT_OPTIONS",
    "REQUIRED_OPTIONS",
    "build_event",
    "describe_event",
    "event_type",
    "event_values",
    "fee_notice_values",
    "late_replies",
    "open_case",
    "received_event",
    "record_event",
    "year_tables",
]
