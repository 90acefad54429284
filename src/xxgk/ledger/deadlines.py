"""Working-day deadlines of the 条例 (第三十条、第三十一条、第三十三条) and 109号, calendar injected.

Counting rule (disclosure-rules.md §2.2): day 1 is the first working day after the start date (the
start date itself is not counted unless `CountingRules.count_receipt_day`); the deadline is the n-th
working day, inclusive. Paused periods (consultations, optionally an outstanding fee notice) are dates
whose working days are not counted.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from xxgk.ledger.calendar import ONE_DAY, WorkCalendar
from xxgk.ledger.counting import CountingRules
from xxgk.ledger.errors import LedgerError


@dataclass(frozen=True, order=True)
class Pause:
    """Dates `first`…`last` (inclusive) whose working days do not count. Empty when last < first."""

    first: date
    last: date


DEFAULT_RULES = CountingRules()


class Channel(StrEnum):
    """How a request reached the agency; decides its receipt date under 第三十一条."""

    IN_PERSON = "in_person"  # 当面提交: the date of submission
    ORAL = "oral"  # 口头提出，由工作机构代为填写 (第二十九条): treated like in person
    POST_SIGNED = "post_signed"  # 信函，需签收: the date the agency signs for it
    POST_UNSIGNED = "post_unsigned"  # 平常信函，无需签收: the date the office confirms with the applicant
    ONLINE = "online"  # 互联网渠道（网站、电子邮件等数据电文）: the date both sides confirm
    FAX = "fax"  # 传真: the date both sides confirm

    @property
    def label_zh(self) -> str:
        return CHANNEL_ZH[self]

    @property
    def needs_confirmation(self) -> bool:
        return self in (Channel.POST_UNSIGNED, Channel.ONLINE, Channel.FAX)


CHANNEL_ZH = {
    Channel.IN_PERSON: "当面提交",
    Channel.ORAL: "口头提出",
    Channel.POST_SIGNED: "信函（需签收）",
    Channel.POST_UNSIGNED: "平常信函（无需签收）",
    Channel.ONLINE: "互联网渠道",
    Channel.FAX: "传真",
}


def parse_channel(value: str) -> Channel:
    """A channel by key or Chinese label (当面、信函、平信、网络、传真…)."""
    aliases = {
        "当面": Channel.IN_PERSON,
        "口头": Channel.ORAL,
        "信函": Channel.POST_SIGNED,
        "邮寄": Channel.POST_SIGNED,
        "平信": Channel.POST_UNSIGNED,
        "网络": Channel.ONLINE,
        "网上": Channel.ONLINE,
        "在线": Channel.ONLINE,
        "电子邮件": Channel.ONLINE,
        "传真": Channel.FAX,
    }
    v = value.strip()
    for ch in Channel:
        if v in (ch.value, ch.label_zh):
            return ch
    if v in aliases:
        return aliases[v]
    choices = "、".join(f"{c.label_zh}（{c.value}）" for c in Channel)
    raise LedgerError(f"未知的申请方式「{value}」；可用：{choices}")


def receipt_date(
    channel: Channel,
    arrived: date,
    confirmed: date | None = None,
    *,
    calendar: WorkCalendar | None = None,
    rules: CountingRules | None = None,
) -> date:
    """The receipt date of 第三十一条.

    `arrived` is the date of submission (当面/口头) or of signing for the letter (信函); for 平信, 网络 and 传真
    the receipt date is the confirmation date, which must be given and cannot precede `arrived`.
    """
    rules = rules or DEFAULT_RULES
    if channel.needs_confirmation:
        if confirmed is None:
            raise LedgerError(
                f"通过{channel.label_zh}提交的申请，以双方确认（或工作机构确认）之日为收到日期：请给出确认日期"
            )
        if confirmed < arrived:
            raise LedgerError(f"确认日期 {confirmed} 早于申请到达日期 {arrived}")
        received = confirmed
    else:
        received = arrived
    if rules.receipt_rolls_to_workday:
        if calendar is None:
            raise ValueError("receipt_rolls_to_workday needs a calendar")
        received = calendar.next_workday_on_or_after(received)
    return received


def merge_pauses(pauses: Iterable[Pause]) -> list[Pause]:
    out: list[Pause] = []
    for p in sorted(p for p in pauses if p.last >= p.first):
        if out and p.first <= out[-1].last + ONE_DAY:
            if p.last > out[-1].last:
                out[-1] = Pause(out[-1].first, p.last)
        else:
            out.append(p)
    return out


def add_working_days(
    calendar: WorkCalendar,
    start: date,
    n: int,
    *,
    count_start_day: bool = False,
    pauses: Collection[Pause] = (),
) -> date:
    """The n-th counted working day from `start` (not counting `start` unless `count_start_day`)."""
    if n < 1:
        raise ValueError("n must be >= 1")
    cursor = start - ONE_DAY if count_start_day else start  # count working days d > cursor
    if not pauses:
        return calendar.nth_workday_after(cursor, n)
    remaining = n
    for p in merge_pauses(pauses):
        if p.last <= cursor:
            continue
        if p.first > cursor:
            available = calendar.workdays_between(cursor, p.first - ONE_DAY)
            if available >= remaining:
                return calendar.nth_workday_after(cursor, remaining)
            remaining -= available
        cursor = p.last
    return calendar.nth_workday_after(cursor, remaining)


def correction_notice_due(calendar: WorkCalendar, received: date, rules: CountingRules | None = None) -> date:
    """第三十条: the 补正 notice is due by the 7th working day after receipt."""
    rules = rules or DEFAULT_RULES
    return add_working_days(calendar, received, rules.correction_notice_days, count_start_day=rules.count_receipt_day)


def reply_due(
    calendar: WorkCalendar,
    clock_start: date,
    rules: CountingRules | None = None,
    *,
    extension_days: int = 0,
    pauses: Collection[Pause] = (),
) -> date:
    """第三十三条: 20 working days from `clock_start` (receipt, or the corrected request), plus an extension
    of at most 20 counted on from the end of the first period, excluding paused days."""
    rules = rules or DEFAULT_RULES
    if not 0 <= extension_days <= rules.max_extension_days:
        raise LedgerError(
            f"延长答复期限最长{rules.max_extension_days}个工作日（第三十三条），不能延长{extension_days}个"
        )
    return add_working_days(
        calendar,
        clock_start,
        rules.reply_days + extension_days,
        count_start_day=rules.count_receipt_day,
        pauses=pauses,
    )


def consultation_answer_due(calendar: WorkCalendar, sent: date, rules: CountingRules | None = None) -> date:
    """第三十二条/第三十四条: the consulted party answers within 15 working days (counted from sending)."""
    rules = rules or DEFAULT_RULES
    return add_working_days(calendar, sent, rules.consultation_days)


def pause_between(sent: date, answered: date, rules: CountingRules | None = None) -> Pause:
    """The paused dates of a consultation (or fee notice) sent on `sent` and answered on `answered`."""
    rules = rules or DEFAULT_RULES
    first = sent if rules.pause_includes_send_day else sent + ONE_DAY
    last = answered if rules.pause_includes_answer_day else answered - ONE_DAY
    return Pause(first, last)


def consultation_pause(
    calendar: WorkCalendar, sent: date, answered: date | None, rules: CountingRules | None = None
) -> Pause:
    """The pause of one consultation: until the answer, and never beyond the 15-working-day answer window
    (silence then counts as consent, or the agency decides alone). Unanswered: the whole window."""
    rules = rules or DEFAULT_RULES
    window_end = consultation_answer_due(calendar, sent, rules)
    end = window_end if answered is None else min(answered, window_end)
    return pause_between(sent, end, rules)


def payment_due(calendar: WorkCalendar, notice_received: date, rules: CountingRules | None = None) -> date:
    """109号 (§3.5): pay within 20 working days from the day after the applicant receives the fee notice."""
    rules = rules or DEFAULT_RULES
    return add_working_days(calendar, notice_received, rules.payment_days)
