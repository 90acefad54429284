"""A letter from a case: the template's texts with the case's data filled in, and the event it stands for.

`compose_letter` decides whether the letter is new or a reprint: when the case already holds the letter's
event (same kind, same 表三 outcome or consulted party; on the letter's date when one is given), the letter is
made from that event and `Letter.recorded` is True. Otherwise the new event is built from the letter's date and
facts and checked by the core (`Case.append`): a letter the case cannot take (a reply while awaiting
补正, a second 补正 notice…) is refused with the core's message, and nothing is recorded here. The caller records
`Letter.event` (the store's `record`, or `xxgk ledger event` with `Letter.event_kind` and `event_options`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from xxgk.ledger import events as ev
from xxgk.ledger.calendar import WorkCalendar, builtin_calendar
from xxgk.ledger.case import Case, case_pauses, effective_received
from xxgk.ledger.counting import CountingRules
from xxgk.ledger.deadlines import Channel, consultation_answer_due, payment_due, reply_due
from xxgk.ledger.errors import LedgerError
from xxgk.ledger.events import Event
from xxgk.ledger.keys import ledger_keys
from xxgk.ledger.letters.kinds import LetterError, LetterKind
from xxgk.ledger.letters.placeholders import BLANK, PLACEHOLDERS, fields_of, fill
from xxgk.ledger.letters.templates import Organisation, TemplateSet
from xxgk.ledger.vocabulary import data_labels

_CASE_NUMBER = re.compile(r"^(\d{4})-0*(\d+)$")
# Placeholders that must agree with the event the letter stands for, or come from the templates: not given
# by value, but through the option that also goes into the event (name → where they come from).
NOT_SETTABLE = {
    "日期": " --date",
    "补正期限": " --reply-by",
    "延长天数": " --days",
    "收费金额": " --amount",
    "收费方式": " --method",
    "收费页数": " --pages",
    "条款": "模板的 clause 项",
    "救济途径": " common.toml 的 remedy 项",
}


@dataclass(frozen=True)
class LetterFacts:
    """What a notice's event holds beyond its date, as `xxgk ledger event` takes it (None: not given)."""

    reply_by: date | None = None  # 补正期限
    days: int | None = None  # 延长的工作日数 (default: what remains of the 20)
    ref: str | None = None  # 征求意见编号 (default: the next free one)
    amount: Decimal | None = None  # 信息处理费（元）
    method: str | None = None  # per_request / per_page
    pages: int | None = None


@dataclass(frozen=True)
class Letter:
    kind: LetterKind
    case_id: str
    on: date  # the letter's date: the date of its event
    title: str
    number: str  # 文号
    to: str  # addressee line
    paragraphs: tuple[str, ...]
    contact: str | None
    organ: str
    date_zh: str
    event: Event  # the case event this letter stands for
    recorded: bool  # the case already holds `event` (a reprint)
    blanks: tuple[str, ...] = ()  # placeholders without a value, marked 【请填写：…】 in the text
    values: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def event_kind(self) -> str:
        """The event kind to record (`xxgk ledger event 案件 <kind>`), e.g. replied, correction_requested."""
        return self.event.kind

    @property
    def event_options(self) -> dict[str, Any]:
        """The event's fields as `xxgk.ledger.commands.record_event` takes them (field → value)."""
        data = self.event.to_dict()
        data.pop("kind")
        data.pop("on")
        return {k: v for k, v in data.items() if v is not None}

    def file_name(self, suffix: str = ".docx") -> str:
        """A file name for a download: 「2025-0012-政府信息公开申请答复书.docx」."""
        stem = re.sub(r'[\\/:*?"<>|\s]+', "_", f"{self.case_id}-{self.title}")
        return f"{stem}{suffix}"

    def text(self) -> str:
        """The letter as plain text, in reading order (tests, previews)."""
        tail = [self.contact] if self.contact else []
        return "\n".join([self.title, self.number, self.to, *self.paragraphs, *tail, self.organ, self.date_zh])


def zh_date(d: date | None) -> str:
    """成文日期 as GB/T 9704 writes it: 2025年9月26日 (Arabic numerals, no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def document_number(case_id: str, year: int, prefix: str = "") -> str:
    """文号 from the case number: 2025-0012 → 〔2025〕第12号 (any other number is kept as written)."""
    m = _CASE_NUMBER.match(case_id)
    if m:
        return f"{prefix}〔{m.group(1)}〕第{int(m.group(2))}号"
    return f"{prefix}〔{year}〕第{case_id}号"


def short_name(title: str) -> str:
    """「政府信息公开申请答复书」→「答复书」; a 函 stays 函."""
    return title[-3:] if title.endswith("书") else title[-1:]


def _live_events(case: Case) -> list[Event]:
    voided = {e.target for e in case.events if isinstance(e, ev.Voided)}
    return [e for i, e in enumerate(case.events) if i not in voided and not isinstance(e, ev.Voided | ev.Corrected)]


def _matches(e: Event, kind: LetterKind) -> bool:
    if e.kind != kind.event:
        return False
    if isinstance(e, ev.Replied):
        return e.outcome == kind.outcome
    if isinstance(e, ev.ConsultationSent):
        return e.party == kind.party
    return True


def recorded_event(case: Case, kind: LetterKind, on: date | None = None) -> Event | None:
    """The case's latest live event of the letter's kind (on `on`, when given), if any."""
    found = [e for e in _live_events(case) if _matches(e, kind) and (on is None or e.on == on)]
    return found[-1] if found else None


def new_event(case: Case, kind: LetterKind, on: date, facts: LetterFacts) -> Event:
    s = case.state
    if kind.event == ev.Replied.kind:
        assert kind.outcome is not None
        return ev.Replied(on, outcome=kind.outcome)
    if kind.event == ev.CorrectionLapsed.kind:
        return ev.CorrectionLapsed(on)
    if kind.event == ev.FeeNotPaid.kind:
        return ev.FeeNotPaid(on)
    if kind.event == ev.CorrectionRequested.kind:
        return ev.CorrectionRequested(on, reply_by=facts.reply_by)
    if kind.event == ev.ExtensionApproved.kind:
        days = facts.days if facts.days is not None else CountingRules().max_extension_days - s.extension_days
        return ev.ExtensionApproved(on, days=days)
    if kind.event == ev.ConsultationSent.kind:
        taken = {c.ref for c in s.consultations}
        ref = facts.ref or next(str(n) for n in range(1, len(taken) + 2) if str(n) not in taken)
        party: ev.ConsultedParty = "agency" if kind.party == "agency" else "third_party"
        return ev.ConsultationSent(on, party=party, ref=ref)
    if kind.event == ev.FeeNoticeIssued.kind:
        if facts.amount is None:
            raise LetterError("收费通知须给出收费金额（元）")
        method: ev.FeeMethod = "per_page" if facts.method == "per_page" else "per_request"
        return ev.FeeNoticeIssued(on, amount=facts.amount, method=method, pages=facts.pages)
    raise LetterError(f"告知书种类「{kind.label_zh}」没有对应的台账事件")


def _amount(d: Decimal) -> str:
    return format(d.quantize(Decimal(1)) if d == d.to_integral_value() else d, "f")


def _deadline_values(event: Event, after: Case, calendar: WorkCalendar, rules: CountingRules | None) -> dict[str, str]:
    """Deadlines the letter names; one the calendar cannot give (a year without its arrangement) stays blank."""
    s = after.state
    out: dict[str, str] = {}

    def put(name: str, compute: Callable[[], date | None]) -> None:
        try:
            out[name] = zh_date(compute())
        except LedgerError:
            out[name] = ""

    if isinstance(event, ev.ExtensionApproved):
        # The extensions granted before this one (a reprint of the first of two says what it said then).
        live = _live_events(after)
        at = next(i for i, e in enumerate(live) if e is event)
        before = sum(e.days for e in live[:at] if isinstance(e, ev.ExtensionApproved))
        pauses = case_pauses(s, calendar, rules)
        put("原答复期限", lambda: reply_due(calendar, s.clock_start, rules, extension_days=before, pauses=pauses))
        put(
            "延长后答复期限",
            lambda: reply_due(calendar, s.clock_start, rules, extension_days=before + event.days, pauses=pauses),
        )
    if isinstance(event, ev.ConsultationSent):
        put("意见期限", lambda: consultation_answer_due(calendar, event.on, rules))
    if s.fee_notice_on is not None:
        notice = s.fee_notice_on
        put("缴费期限", lambda: payment_due(calendar, notice, rules))
    return out


def _event_values(event: Event) -> dict[str, str]:
    if isinstance(event, ev.ExtensionApproved):
        return {"延长天数": str(event.days)}
    if isinstance(event, ev.FeeNoticeIssued):
        method = data_labels("fee_method")[event.method]
        if event.method == "per_page" and event.pages is not None:
            method += f"（共{event.pages}页）"
        pages = "" if event.pages is None else str(event.pages)
        return {"收费金额": _amount(event.amount), "收费方式": method, "收费页数": pages}
    return {}


def compose_letter(
    case: Case,
    kind: LetterKind,
    *,
    on: date | None = None,
    today: date | None = None,
    subject: str | None = None,
    agency: str = "",
    organisation: Organisation | None = None,
    values: Mapping[str, str] | None = None,
    facts: LetterFacts | None = None,
    templates: TemplateSet | None = None,
    calendar: WorkCalendar | None = None,
    rules: CountingRules | None = None,
) -> Letter:
    """The letter of `kind` for `case`, dated `on` (default: the recorded event's date, else `today`).

    `agency` is the ledger's agency name, used when organisation.toml names no organ; `values` fills or
    overrides placeholders by name (unknown names, and those of `NOT_SETTABLE`, are refused); `subject`
    overrides the recorded 申请内容."""
    templates = templates or TemplateSet()
    tpl = templates.letter(kind.key)
    common = templates.common()
    org = organisation if organisation is not None else templates.organisation()
    calendar = calendar or builtin_calendar()
    given = dict(values or {})
    unknown = [k for k in given if k not in PLACEHOLDERS]
    if unknown:
        raise LetterError(f"未知的占位符：{'、'.join(unknown)}；可用：{'、'.join(PLACEHOLDERS)}")
    fixed = [f"「{k}」请用{NOT_SETTABLE[k]}" for k in given if k in NOT_SETTABLE]
    if fixed:
        raise LetterError(f"这些内容不能直接填写（须与台账登记的事件一致）：{'；'.join(fixed)}")

    event = recorded_event(case, kind, on)
    recorded = event is not None
    after = case
    if event is None:
        event = new_event(case, kind, on or today or date.today(), facts or LetterFacts())
        try:
            after = case.append(event, calendar=calendar, rules=rules)
        except LedgerError as e:
            raise LetterError(f"不能出具「{kind.label_zh}」：{e.message}") from None
    s = after.state
    received = effective_received(after.events)
    keys = ledger_keys()
    vals: dict[str, str] = {
        "文号": document_number(case.id, s.received_on.year, org.doc_prefix),
        "案件编号": case.id,
        "申请人": s.applicant,
        "申请人类型": keys.applicant_label(s.applicant_type),
        "申请方式": Channel(s.channel).label_zh if s.channel else "",
        "申请日期": zh_date(received.on),
        "收到日期": zh_date(s.received_on),
        "申请内容": (subject if subject is not None else received.subject).strip(),
        "补正通知日期": zh_date(s.correction_requested_on),
        "收到补正日期": zh_date(s.correction_received_on),
        "收费通知日期": zh_date(s.fee_notice_on),
        "补正期限": zh_date(s.correction_reply_by),
        "告知书类型": kind.label_zh,
        "理由": kind.reason_zh or "",
        "条款": tpl.clause,
        "日期": zh_date(event.on),
        "文书简称": short_name(tpl.title),
        "机关名称": org.name or agency,
        "复议机关": org.review_organ,
        "诉讼法院": org.court,
        "联系人": org.contact_person,
        "联系电话": org.phone,
        "通讯地址": org.address,
        "缴费方式": org.payment_method,
    }
    vals.update(_event_values(event))
    vals.update(_deadline_values(event, after, calendar, rules))
    vals.update({k: v.strip() for k, v in given.items()})

    remedy = tpl.remedy if tpl.remedy is not None else common.remedy
    with_contact = bool(vals.get("联系人") or vals.get("联系电话"))
    texts = [tpl.title, tpl.to, *tpl.body, remedy, common.contact if with_contact else ""]
    used = {name for t in texts for name, _, _ in fields_of(t)} | {"文号", "机关名称"}  # (number, signature)
    blanks = tuple(n for n in PLACEHOLDERS if n in used and not vals.get(n))
    filled = {n: vals.get(n) or BLANK.format(n) for n in PLACEHOLDERS}
    filled["救济途径"] = fill(remedy, filled)
    paragraphs = tuple(p for p in (fill(line, filled) for line in tpl.body) if p.strip())
    return Letter(
        kind=kind,
        case_id=case.id,
        on=event.on,
        title=fill(tpl.title, filled),
        number=filled["文号"],
        to=fill(tpl.to, filled),
        paragraphs=paragraphs,
        contact=fill(common.contact, filled) if with_contact else None,
        organ=filled["机关名称"],
        date_zh=filled["日期"],
        event=event,
        recorded=recorded,
        blanks=tuple(b for b in blanks if b != "救济途径"),
        values=filled,
    )


__all__ = [
    "Letter",
    "LetterFacts",
    "compose_letter",
    "document_number",
    "new_event",
    "recorded_event",
    "short_name",
    "zh_date",
]
