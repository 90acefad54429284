"""The dated, typed events of a disclosure request. A case is an append-only sequence of them.

Events are plain frozen records; what they mean (state, deadlines, outcome) is derived in `case`.
A mistaken event is never edited: a `Voided` event cancels it and a new one is recorded; mistyped receipt
data (「收到申请」 cannot be voided) is superseded by a `Corrected` event.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Literal

from xxgk.ledger.deadlines import Channel
from xxgk.ledger.errors import LedgerError

ConsultedParty = Literal["third_party", "agency"]
FeeMethod = Literal["per_request", "per_page"]


@dataclass(frozen=True)
class Event:
    on: date
    kind: ClassVar[str] = "event"
    label_zh: ClassVar[str] = "事件"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        names = _FIELD_NAMES.get(type(self)) or tuple(f.name for f in fields(self))
        for name in names:
            v = getattr(self, name)
            out[name] = v.isoformat() if isinstance(v, date) else str(v) if isinstance(v, Decimal) else v
        return out


@dataclass(frozen=True)
class Received(Event):
    """收到申请. `on` is the date of submission or of signing for a letter; for 平信、网络、传真 the receipt
    date of 第三十一条 is `confirmed_on`. `applicant_type` is a 表三 applicant column key."""

    channel: Channel = Channel.IN_PERSON
    applicant: str = ""
    applicant_type: str = ""
    confirmed_on: date | None = None
    subject: str = ""
    kind: ClassVar[str] = "received"
    label_zh: ClassVar[str] = "收到申请"


@dataclass(frozen=True)
class CorrectionRequested(Event):
    """补正通知已发出 (第三十条); `reply_by` is the correction period given to the applicant, if any."""

    reply_by: date | None = None
    kind: ClassVar[str] = "correction_requested"
    label_zh: ClassVar[str] = "发出补正通知"


@dataclass(frozen=True)
class CorrectionReceived(Event):
    """收到补正后的申请: the reply period restarts from this date (第三十条)."""

    kind: ClassVar[str] = "correction_received"
    label_zh: ClassVar[str] = "收到补正材料"


@dataclass(frozen=True)
class CorrectionLapsed(Event):
    """申请人逾期未补正: 视为放弃申请, closes the case under （六）1."""

    kind: ClassVar[str] = "correction_lapsed"
    label_zh: ClassVar[str] = "逾期未补正"


@dataclass(frozen=True)
class ConsultationSent(Event):
    """征求第三方（第三十二条）或其他机关（第三十四条）意见: the time is excluded from the reply period."""

    party: ConsultedParty = "third_party"
    ref: str = "1"
    kind: ClassVar[str] = "consultation_sent"
    label_zh: ClassVar[str] = "发出征求意见函"


@dataclass(frozen=True)
class ConsultationAnswered(Event):
    ref: str = "1"
    kind: ClassVar[str] = "consultation_answered"
    label_zh: ClassVar[str] = "收到征求意见答复"


@dataclass(frozen=True)
class ExtensionApproved(Event):
    """延长答复期限 (第三十三条第二款), at most 20 working days in all."""

    days: int = 20
    kind: ClassVar[str] = "extension_approved"
    label_zh: ClassVar[str] = "批准延期答复"


@dataclass(frozen=True)
class FeeNoticeIssued(Event):
    """收费通知 (109号). `on` is the day the applicant receives it; `amount` in 元."""

    amount: Decimal = Decimal(0)
    method: FeeMethod = "per_request"
    pages: int | None = None
    kind: ClassVar[str] = "fee_notice_issued"
    label_zh: ClassVar[str] = "发出收费通知"


@dataclass(frozen=True)
class FeePaid(Event):
    kind: ClassVar[str] = "fee_paid"
    label_zh: ClassVar[str] = "缴纳费用"


@dataclass(frozen=True)
class FeeNotPaid(Event):
    """逾期未缴费: 视为放弃申请, closes the case under （六）2."""

    kind: ClassVar[str] = "fee_not_paid"
    label_zh: ClassVar[str] = "逾期未缴费"


@dataclass(frozen=True)
class Replied(Event):
    """答复: `outcome` is the 表三 outcome row key (（一）…（六）)."""

    outcome: str = ""
    kind: ClassVar[str] = "replied"
    label_zh: ClassVar[str] = "作出答复"


@dataclass(frozen=True)
class Withdrawn(Event):
    kind: ClassVar[str] = "withdrawn"
    label_zh: ClassVar[str] = "申请人撤回申请"


@dataclass(frozen=True)
class ReviewFiled(Event):
    ref: str = "1"
    kind: ClassVar[str] = "review_filed"
    label_zh: ClassVar[str] = "申请行政复议"


@dataclass(frozen=True)
class ReviewDecided(Event):
    """`result` is a 表四 result column key (结果维持/结果纠正/其他结果)."""

    result: str = ""
    ref: str = "1"
    kind: ClassVar[str] = "review_decided"
    label_zh: ClassVar[str] = "行政复议决定"


@dataclass(frozen=True)
class LitigationFiled(Event):
    after_review: bool = False
    ref: str = "1"
    kind: ClassVar[str] = "litigation_filed"
    label_zh: ClassVar[str] = "提起行政诉讼"


@dataclass(frozen=True)
class LitigationDecided(Event):
    result: str = ""
    ref: str = "1"
    kind: ClassVar[str] = "litigation_decided"
    label_zh: ClassVar[str] = "行政诉讼裁判"


@dataclass(frozen=True)
class Voided(Event):
    """作废第 `target` 条事件（按登记顺序，从 0 起）: the way to correct a mistaken entry."""

    target: int = -1
    reason: str = ""
    kind: ClassVar[str] = "voided"
    label_zh: ClassVar[str] = "作废事件"


@dataclass(frozen=True)
class Corrected(Event):
    """更正 the receipt data of the case (a typo in the date, the channel or the applicant type), with the
    reason. It supersedes the corresponding fields of 「收到申请」 for every purpose (deadlines, 表三); the
    original entry stays in the ledger and the audit trail. `on` is the day the correction is recorded; a
    later 更正 wins over an earlier one, and voiding a 更正 restores what it replaced."""

    submitted_on: date | None = None  # the corrected date the request arrived (Received.on)
    confirmed_on: date | None = None  # the corrected confirmation date (平信、网络、传真)
    channel: Channel | None = None
    applicant_type: str | None = None
    reason: str = ""
    kind: ClassVar[str] = "corrected"
    label_zh: ClassVar[str] = "更正收到申请信息"

    @property
    def changes(self) -> bool:
        return any(v is not None for v in (self.submitted_on, self.confirmed_on, self.channel, self.applicant_type))

    def apply(self, received: Received) -> Received:
        """`received` with this correction applied. A channel that needs no confirmation drops the
        confirmation date unless one is given."""
        channel = self.channel or received.channel
        confirmed = self.confirmed_on or (received.confirmed_on if channel.needs_confirmation else None)
        return replace(
            received,
            on=self.submitted_on or received.on,
            channel=channel,
            confirmed_on=confirmed,
            applicant_type=self.applicant_type or received.applicant_type,
        )


EVENT_TYPES: dict[str, type[Event]] = {
    t.kind: t
    for t in (
        Received,
        CorrectionRequested,
        CorrectionReceived,
        CorrectionLapsed,
        ConsultationSent,
        ConsultationAnswered,
        ExtensionApproved,
        FeeNoticeIssued,
        FeePaid,
        FeeNotPaid,
        Replied,
        Withdrawn,
        ReviewFiled,
        ReviewDecided,
        LitigationFiled,
        LitigationDecided,
        Corrected,
        Voided,
    )
}

# Events that close a request (its 表三 outcome is then fixed).
CLOSING = (Replied, CorrectionLapsed, FeeNotPaid, Withdrawn)
# Events about a 复议/诉讼, which may come after the request is closed.
PROCEEDING = (ReviewFiled, ReviewDecided, LitigationFiled, LitigationDecided)


_DATE_FIELDS = frozenset({"on", "confirmed_on", "reply_by", "submitted_on"})


# dataclasses.fields() costs as much as the rest of the conversion, and stored events are read by the 100,000.
_FIELD_NAMES = {t: tuple(f.name for f in fields(t)) for t in EVENT_TYPES.values()}


def event_from_dict(data: dict[str, Any]) -> Event:
    """Inverse of `Event.to_dict` (dates as ISO strings, amounts as strings)."""
    kind = data.get("kind")
    cls = EVENT_TYPES.get(str(kind))
    if cls is None:
        raise LedgerError(f"未知的事件类型「{kind}」；可用：{'、'.join(EVENT_TYPES)}")
    kwargs: dict[str, Any] = {}
    for name in _FIELD_NAMES[cls]:
        if name not in data:
            continue
        v = data[name]
        try:
            if name in _DATE_FIELDS and v is not None:
                v = date.fromisoformat(v) if isinstance(v, str) else v
            elif name == "channel" and v is not None:
                v = Channel(v)
            elif name == "amount":
                v = Decimal(str(v))
        except (ValueError, ArithmeticError):
            raise LedgerError(f"事件「{cls.label_zh}」的 {name} 无效：{v!r}") from None
        kwargs[name] = v
    if "on" not in kwargs:
        raise LedgerError(f"事件「{cls.label_zh}」缺少日期 on")
    return cls(**kwargs)
