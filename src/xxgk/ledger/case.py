"""A case: the append-only events of one request, and the state derived from them.

`fold` replays the events in date order (ties in recording order), checking each against the state
so far; an impossible sequence raises `LedgerError` with a zh-CN message naming the case, the event
and the conflicting fact. Deadlines need a calendar and live in `case_deadlines`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from xxgk.ledger import keys as K
from xxgk.ledger.calendar import WorkCalendar
from xxgk.ledger.counting import CountingRules
from xxgk.ledger.deadlines import (
    Pause,
    consultation_answer_due,
    consultation_pause,
    correction_notice_due,
    pause_between,
    payment_due,
    receipt_date,
    reply_due,
)
from xxgk.ledger.errors import LedgerError
from xxgk.ledger.events import (
    CLOSING,
    PROCEEDING,
    ConsultationAnswered,
    ConsultationSent,
    Corrected,
    CorrectionLapsed,
    CorrectionReceived,
    CorrectionRequested,
    Event,
    ExtensionApproved,
    FeeNoticeIssued,
    FeeNotPaid,
    FeePaid,
    LitigationDecided,
    LitigationFiled,
    Received,
    Replied,
    ReviewDecided,
    ReviewFiled,
    Voided,
    Withdrawn,
)
from xxgk.ledger.keys import LedgerKeys, ledger_keys

# 第三十三条: the statutory cap on extensions, enforced whatever the counting rules say.
K_MAX_EXTENSION = CountingRules().max_extension_days


class Status(StrEnum):
    OPEN = "open"  # 办理中
    AWAITING_CORRECTION = "awaiting_correction"  # 等待补正
    AWAITING_PAYMENT = "awaiting_payment"  # 等待缴费
    CLOSED = "closed"  # 已办结

    @property
    def label_zh(self) -> str:
        return STATUS_ZH[self.value]


STATUS_ZH = {"open": "办理中", "awaiting_correction": "等待补正", "awaiting_payment": "等待缴费", "closed": "已办结"}


@dataclass(frozen=True)
class Consultation:
    ref: str
    party: str
    sent_on: date
    answered_on: date | None = None


@dataclass(frozen=True)
class Proceeding:
    """A 复议 or 诉讼 on the case: its 表四 group, and its result column once decided."""

    group: str
    ref: str
    filed_on: date
    decided_on: date | None = None
    result: str | None = None


@dataclass(frozen=True)
class CaseState:
    case_id: str
    applicant: str
    applicant_type: str
    received_on: date  # 第三十一条 receipt date of the original request
    clock_start: date  # receipt, or the date the corrected request arrived
    correction_requested_on: date | None = None
    correction_reply_by: date | None = None
    correction_received_on: date | None = None
    consultations: tuple[Consultation, ...] = ()
    extension_days: int = 0
    fee_notice_on: date | None = None
    fee_amount: Decimal | None = None
    fee_paid_on: date | None = None
    outcome: str | None = None  # 表三 outcome row key, once closed (None for a withdrawal dropped by the rules)
    closed_on: date | None = None
    closed_by: str | None = None  # kind of the closing event
    proceedings: tuple[Proceeding, ...] = ()
    last_on: date | None = None
    channel: str = ""  # Channel value of the (corrected) receipt
    corrected: bool = False  # the receipt data was corrected by a 更正 event

    def but(self, **changes: Any) -> CaseState:
        """The state with `changes`: `dataclasses.replace` without running the generated __init__ over all the
        fields again (the fold makes two per event, and the store folds up to 100,000 cases at a time). A
        CaseState has no __post_init__, so nothing is skipped."""
        new = object.__new__(CaseState)
        new.__dict__.update(self.__dict__, **changes)
        return new

    @property
    def closed(self) -> bool:
        return self.closed_on is not None

    @property
    def withdrawn(self) -> bool:
        return self.closed_by == Withdrawn.kind

    @property
    def status(self) -> Status:
        if self.closed:
            return Status.CLOSED
        if self.correction_requested_on and not self.correction_received_on:
            return Status.AWAITING_CORRECTION
        if self.fee_notice_on and not self.fee_paid_on:
            return Status.AWAITING_PAYMENT
        return Status.OPEN

    def entry_date(self, rules: CountingRules) -> date:
        """The date the request counts as received in 表三 (see CountingRules.correction_receipt_basis)."""
        if rules.correction_receipt_basis == "corrected" and self.correction_received_on:
            return self.correction_received_on
        return self.received_on

    def table_row(self, rules: CountingRules) -> str | None:
        """The 表三 outcome row of a closed case (a withdrawal takes `rules.withdrawn_row`)."""
        if self.withdrawn:
            return rules.withdrawn_row
        return self.outcome


# ---------------------------------------------------------------------------------------------
# Folding events into a state


def _timeline(events: Sequence[Event]) -> list[tuple[int, Event]]:
    """Events in date order (stable), without voided events and without the Voided and Corrected markers;
    the receipt is the corrected one."""
    voided = {e.target for e in events if isinstance(e, Voided)}
    kept = [(i, e) for i, e in enumerate(events) if i not in voided and not isinstance(e, Voided | Corrected)]
    if kept and kept[0][0] == 0:
        kept[0] = (0, effective_received(events))
    return sorted(kept, key=lambda ie: ie[1].on)


def effective_received(events: Sequence[Event]) -> Received:
    """The 「收到申请」 event as corrected by the (non-voided) 更正 events, in recording order."""
    first = events[0]
    assert isinstance(first, Received)
    voided = {e.target for e in events if isinstance(e, Voided)}
    for i, e in enumerate(events):
        if isinstance(e, Corrected) and i not in voided:
            first = e.apply(first)
    return first


def _check_corrections(case_id: str, events: Sequence[Event]) -> None:
    for e in events:
        if not isinstance(e, Corrected):
            continue
        if not e.reason.strip():
            raise LedgerError(f"案件{case_id}：「{e.label_zh}」须写明更正原因")
        if not e.changes:
            raise LedgerError(f"案件{case_id}：「{e.label_zh}」没有要更正的内容（收到日期、申请方式或申请人类型）")


def _check_voids(case_id: str, events: Sequence[Event]) -> None:
    targets: set[int] = set()
    for i, e in enumerate(events):
        if not isinstance(e, Voided):
            continue
        if not 0 <= e.target < i:
            raise LedgerError(f"案件{case_id}：要作废的第{e.target}条事件不存在（只能作废此前登记的事件）")
        target = events[e.target]
        if isinstance(target, Voided):
            raise LedgerError(f"案件{case_id}：不能作废「作废事件」本身；请重新登记原事件")
        if isinstance(target, Received):
            raise LedgerError(
                f"案件{case_id}：不能作废「收到申请」；收到日期、申请方式或申请人类型登记有误时，"
                "请登记「更正」事件并写明原因"
            )
        if e.target in targets:
            raise LedgerError(f"案件{case_id}：第{e.target}条事件已被作废")
        targets.add(e.target)


def fold(case_id: str, events: Sequence[Event], keys: LedgerKeys | None = None) -> CaseState:
    """The state after `events`; raises LedgerError at the first impossible event."""
    keys = keys or ledger_keys()
    if not events:
        raise LedgerError(f"案件{case_id}：没有任何事件")
    if not isinstance(events[0], Received):
        raise LedgerError(f"案件{case_id}：第一条事件必须是「收到申请」，不能是「{events[0].label_zh}」")
    _check_voids(case_id, events)
    _check_corrections(case_id, events)
    first = effective_received(events)
    state: CaseState | None = None
    for _, e in _timeline(events):
        if state is None and not isinstance(e, Received):
            received = receipt_date(first.channel, first.on, first.confirmed_on)
            raise LedgerError(f"案件{case_id}：「{e.label_zh}」（{e.on}）早于收到申请日期{received}")
        state = _apply(case_id, state, e, keys)
    assert state is not None
    if effective_received(events) is not events[0]:
        state = state.but(corrected=True)
    return state


def _apply(case_id: str, s: CaseState | None, e: Event, keys: LedgerKeys) -> CaseState:
    def fail(msg: str) -> LedgerError:
        return LedgerError(f"案件{case_id}：「{e.label_zh}」（{e.on}）{msg}")

    if isinstance(e, Received):
        if s is not None:
            raise fail(f"不能重复登记：本案已于{s.received_on}收到申请；补正后的申请请登记「收到补正材料」")
        if e.applicant_type not in keys.applicant_columns:
            choices = "、".join(f"{keys.applicant_label(c)}（{c}）" for c in keys.applicant_columns)
            raise fail(f"未知的申请人类型「{e.applicant_type}」；可用：{choices}")
        received = receipt_date(e.channel, e.on, e.confirmed_on)
        return CaseState(
            case_id, e.applicant, e.applicant_type, received, received, last_on=e.on, channel=e.channel.value
        )
    assert s is not None
    if e.on < s.received_on:
        raise fail(f"早于收到申请日期{s.received_on}")
    s = s.but(last_on=e.on)
    if isinstance(e, PROCEEDING):
        return s.but(proceedings=_apply_proceeding(s.proceedings, e, keys, fail))
    if s.closed:
        outcome = keys.row_label(s.outcome) if s.outcome else "撤回"
        raise fail(f"无法登记：本申请已于{s.closed_on}办结（{outcome}）")

    if isinstance(e, CorrectionRequested):
        if s.correction_requested_on is not None:
            raise fail(f"重复：第三十条要求一次性告知补正内容，本案已于{s.correction_requested_on}发出补正通知")
        if e.reply_by is not None and e.reply_by < e.on:
            raise fail(f"补正期限{e.reply_by}早于通知日期")
        return s.but(correction_requested_on=e.on, correction_reply_by=e.reply_by)
    if isinstance(e, CorrectionReceived):
        if s.correction_requested_on is None:
            raise fail("没有补正通知，不能登记收到补正材料")
        if s.correction_received_on is not None:
            raise fail(f"重复：已于{s.correction_received_on}收到补正材料")
        return s.but(correction_received_on=e.on, clock_start=e.on)
    if isinstance(e, CorrectionLapsed):
        if s.correction_requested_on is None:
            raise fail("没有发出补正通知，不能按逾期未补正处理")
        if s.correction_received_on is not None:
            raise fail(f"申请人已于{s.correction_received_on}补正")
        if s.correction_reply_by is not None and e.on <= s.correction_reply_by:
            raise fail(f"补正期限至{s.correction_reply_by}，尚未届满")
        return _close(s, e, K.NO_CORRECTION_ROW)
    if isinstance(e, ConsultationSent):
        if any(c.ref == e.ref and c.answered_on is None for c in s.consultations):
            raise fail(f"编号为{e.ref}的征求意见尚未答复，请使用另一个编号")
        return s.but(consultations=(*s.consultations, Consultation(e.ref, e.party, e.on)))
    if isinstance(e, ConsultationAnswered):
        open_ = [c for c in s.consultations if c.ref == e.ref and c.answered_on is None]
        if not open_:
            raise fail(f"没有待答复的编号为{e.ref}的征求意见")
        done = replace(open_[0], answered_on=e.on)
        return s.but(consultations=tuple(done if c is open_[0] else c for c in s.consultations))
    if isinstance(e, ExtensionApproved):
        if e.days < 1:
            raise fail("延长的工作日数应为正整数")
        total = s.extension_days + e.days
        if total > K_MAX_EXTENSION:
            raise fail(
                f"超出上限：延长答复期限最长{K_MAX_EXTENSION}个工作日（第三十三条），"
                f"本案已延长{s.extension_days}个工作日，不能再延长{e.days}个"
            )
        return s.but(extension_days=total)
    if isinstance(e, FeeNoticeIssued):
        if s.fee_notice_on is not None:
            raise fail(f"重复：本案已于{s.fee_notice_on}发出收费通知")
        if e.amount < 0 or (e.pages is not None and e.pages < 0):
            raise fail("金额和页数不能为负数")
        return s.but(fee_notice_on=e.on, fee_amount=e.amount)
    if isinstance(e, FeePaid):
        if s.fee_notice_on is None:
            raise fail("没有收费通知，不能登记缴费")
        if s.fee_paid_on is not None:
            raise fail(f"重复：已于{s.fee_paid_on}缴费")
        return s.but(fee_paid_on=e.on)
    if isinstance(e, FeeNotPaid):
        if s.fee_notice_on is None:
            raise fail("没有收费通知，不能按逾期未缴费处理")
        if s.fee_paid_on is not None:
            raise fail(f"申请人已于{s.fee_paid_on}缴费")
        return _close(s, e, K.FEE_UNPAID_ROW)
    if isinstance(e, Replied):
        if e.outcome not in keys.outcome_rows:
            choices = "、".join(keys.outcome_rows)
            raise fail(f"未知的办理结果「{e.outcome}」；可用的表三结果行：{choices}")
        if e.outcome == K.NO_CORRECTION_ROW:
            raise fail("逾期不补正请登记「逾期未补正」事件，而不是答复")
        if e.outcome == K.FEE_UNPAID_ROW:
            raise fail("逾期未缴费请登记「逾期未缴费」事件，而不是答复")
        if e.outcome == K.UNCLEAR_AFTER_CORRECTION_ROW and s.correction_received_on is None:
            raise fail(f"「{keys.row_label(e.outcome)}」须以收到补正材料为前提")
        if s.status is Status.AWAITING_CORRECTION:
            raise fail(f"本案正在等待补正（通知于{s.correction_requested_on}发出）：请先登记收到补正材料或逾期未补正")
        if s.status is Status.AWAITING_PAYMENT:
            raise fail(f"收费通知（{s.fee_notice_on}）尚未缴费：请先登记缴费或逾期未缴费")
        return _close(s, e, e.outcome)
    if isinstance(e, Withdrawn):
        return s.but(closed_on=e.on, closed_by=e.kind, outcome=None)
    raise fail("是未知的事件类型")


def _close(s: CaseState, e: Event, row: str) -> CaseState:
    return s.but(outcome=row, closed_on=e.on, closed_by=e.kind)


def _apply_proceeding(
    proceedings: tuple[Proceeding, ...], e: Event, keys: LedgerKeys, fail: Callable[[str], LedgerError]
) -> tuple[Proceeding, ...]:
    """The 复议/诉讼 of a case after the proceeding event `e` (they depend on nothing else in the case)."""
    by_ref = {(p.group, p.ref): p for p in proceedings}
    if isinstance(e, ReviewFiled | LitigationFiled):
        if isinstance(e, ReviewFiled):
            group = K.REVIEW_GROUP
        elif e.after_review:
            group = K.LITIGATION_AFTER_REVIEW_GROUP
            reviews = [p for p in proceedings if p.group == K.REVIEW_GROUP]
            if not reviews:
                raise fail("为复议后起诉，但本案没有登记行政复议")
        else:
            group = K.LITIGATION_DIRECT_GROUP
        if (group, e.ref) in by_ref:
            raise fail(f"重复：编号为{e.ref}的{keys.t4_group_label(group)}已于{by_ref[group, e.ref].filed_on}登记")
        return (*proceedings, Proceeding(group, e.ref, e.on))
    assert isinstance(e, ReviewDecided | LitigationDecided)
    groups = (
        (K.REVIEW_GROUP,)
        if isinstance(e, ReviewDecided)
        else (K.LITIGATION_DIRECT_GROUP, K.LITIGATION_AFTER_REVIEW_GROUP)
    )
    found = [p for p in proceedings if p.group in groups and p.ref == e.ref]
    if not found:
        raise fail(f"没有已登记的编号为{e.ref}的案件")
    p = found[0]
    if p.decided_on is not None:
        raise fail(f"重复：该案已于{p.decided_on}审结")
    if e.result not in keys.t4_results:
        choices = "、".join(f"{keys.t4_column_label(r)}（{r}）" for r in keys.t4_results)
        raise fail(f"未知的结果「{e.result}」；可用：{choices}")
    done = replace(p, decided_on=e.on, result=e.result)
    return tuple(done if q is p else q for q in proceedings)


# ---------------------------------------------------------------------------------------------
# Cases and ledgers


@dataclass(frozen=True)
class Case:
    """An immutable case; `append` returns a new case or raises LedgerError (the case is unchanged)."""

    id: str
    events: tuple[Event, ...]
    state: CaseState = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", fold(self.id, self.events))

    @classmethod
    def open(cls, case_id: str, received: Received) -> Case:
        return cls(case_id, (received,))

    def append(self, event: Event, *, calendar: WorkCalendar | None = None, rules: CountingRules | None = None) -> Case:
        """The case with `event` added. With a calendar, events that depend on a deadline (逾期未缴费 before
        the payment window ends) are checked too."""
        new = Case(self.id, (*self.events, event))
        if calendar is not None and isinstance(event, FeeNotPaid) and self.state.fee_notice_on is not None:
            due = payment_due(calendar, self.state.fee_notice_on, rules)
            if event.on <= due:
                raise LedgerError(f"案件{self.id}：「{event.label_zh}」（{event.on}）缴费期限至{due}，尚未届满")
        return new


@dataclass(frozen=True)
class CaseDeadlines:
    """Deadlines of a case as of its events. `reply` is None while awaiting correction or once closed."""

    correction_notice: date | None  # 补正通知 due (only while no notice has been sent)
    reply: date | None
    reply_if_extended: date | None  # the latest possible date with the full extension
    payment: date | None  # fee payment window end, while a fee notice is outstanding
    consultation_answers: tuple[tuple[str, date], ...]  # (ref, answer due) of open consultations
    pauses: tuple[Pause, ...]


def case_pauses(state: CaseState, calendar: WorkCalendar, rules: CountingRules | None = None) -> list[Pause]:
    rules = CountingRules.resolve(rules)
    pauses = [consultation_pause(calendar, c.sent_on, c.answered_on, rules) for c in state.consultations]
    if rules.fee_pauses_reply_clock and state.fee_notice_on is not None:
        end = state.fee_paid_on or payment_due(calendar, state.fee_notice_on, rules)
        pauses.append(pause_between(state.fee_notice_on, end, rules))
    return pauses


def case_deadlines(state: CaseState, calendar: WorkCalendar, rules: CountingRules | None = None) -> CaseDeadlines:
    rules = CountingRules.resolve(rules)
    pauses = case_pauses(state, calendar, rules)
    notice = (
        correction_notice_due(calendar, state.received_on, rules)
        if state.correction_requested_on is None and not state.closed
        else None
    )
    reply = extended = None
    if state.status in (Status.OPEN, Status.AWAITING_PAYMENT):
        reply = reply_due(calendar, state.clock_start, rules, extension_days=state.extension_days, pauses=pauses)
        extended = reply_due(calendar, state.clock_start, rules, extension_days=rules.max_extension_days, pauses=pauses)
    payment = (
        payment_due(calendar, state.fee_notice_on, rules)
        if state.status is Status.AWAITING_PAYMENT and state.fee_notice_on
        else None
    )
    answers = tuple(
        (c.ref, consultation_answer_due(calendar, c.sent_on, rules))
        for c in state.consultations
        if c.answered_on is None and not state.closed
    )
    return CaseDeadlines(notice, reply, extended, payment, answers, tuple(pauses))


def reply_deadline(state: CaseState, calendar: WorkCalendar, rules: CountingRules | None = None) -> date | None:
    """The reply deadline that applies (or applied) to the case; None while 补正 is pending, when the case
    ended without a reply clock (逾期未补正), or when the calendar does not cover it."""
    rules = CountingRules.resolve(rules)
    if state.closed_by == CorrectionLapsed.kind or state.status is Status.AWAITING_CORRECTION:
        return None
    if state.correction_requested_on is not None and state.correction_received_on is None:
        return None  # closed while awaiting correction (withdrawn): no reply clock ran
    try:
        pauses = case_pauses(state, calendar, rules)
        return reply_due(calendar, state.clock_start, rules, extension_days=state.extension_days, pauses=pauses)
    except LedgerError:
        return None


def late_reply_days(state: CaseState, calendar: WorkCalendar, rules: CountingRules | None = None) -> int | None:
    """Working days a reply came after its due date (超期答复), or None when it was on time, is not a reply
    or the deadline cannot be computed. A late reply still counts in 表三 as it was decided."""
    if state.closed_by != Replied.kind or state.closed_on is None:
        return None
    due = reply_deadline(state, calendar, rules)
    if due is None or state.closed_on <= due:
        return None
    try:
        return calendar.workdays_between(due, state.closed_on) or None
    except LedgerError:
        return None


def late_reply_zh(days: int | None) -> str:
    return f"超期答复（超过期限{days}个工作日）" if days else ""


class Ledger:
    """Cases by id, in insertion order. Every change goes through `Case.append` and is validated."""

    def __init__(self, cases: Iterable[Case] = ()) -> None:
        self._cases: dict[str, Case] = {}
        for c in cases:
            self.add(c)

    def add(self, case: Case) -> None:
        if case.id in self._cases:
            raise LedgerError(f"案件编号{case.id}已存在")
        self._cases[case.id] = case

    def open(self, case_id: str, received: Received) -> Case:
        case = Case.open(case_id, received)
        self.add(case)
        return case

    def record(self, case_id: str, event: Event, *, calendar: WorkCalendar | None = None) -> Case:
        try:
            case = self._cases[case_id]
        except KeyError:
            raise LedgerError(f"没有编号为{case_id}的案件") from None
        new = case.append(event, calendar=calendar)
        self._cases[case_id] = new
        return new

    def __getitem__(self, case_id: str) -> Case:
        return self._cases[case_id]

    def __iter__(self) -> Iterator[Case]:
        return iter(self._cases.values())

    def __len__(self) -> int:
        return len(self._cases)

    def states(self) -> list[CaseState]:
        return [c.state for c in self._cases.values()]


__all__ = [
    "CLOSING",
    "Case",
    "CaseDeadlines",
    "CaseState",
    "Consultation",
    "Ledger",
    "Proceeding",
    "Status",
    "case_deadlines",
    "effective_received",
    "fold",
    "late_reply_days",
    "reply_deadline",
]
