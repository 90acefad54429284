"""Deadlines: the spec's worked examples (§2.3) exactly, receipt dates, restart, pauses, properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.ledger.calendar import builtin_calendar
from xxgk.ledger.counting import CountingRules
from xxgk.ledger.deadlines import (
    Channel,
    Pause,
    add_working_days,
    consultation_pause,
    correction_notice_due,
    parse_channel,
    payment_due,
    receipt_date,
    reply_due,
)
from xxgk.ledger.errors import LedgerError

CAL = builtin_calendar()
D = date.fromisoformat

# disclosure-rules.md §2.3: received, 补正 notice due (7th), reply due (20th), with extension (40th).
WORKED = [
    ("2025-09-26", "2025-10-13", "2025-10-30", "2025-11-27"),
    ("2025-01-20", None, "2025-02-21", None),
    ("2026-01-05", "2026-01-14", "2026-02-02", "2026-03-06"),
    ("2026-02-10", "2026-02-26", "2026-03-16", "2026-04-14"),
]


@pytest.mark.parametrize(("received", "notice", "reply", "extended"), WORKED)
def test_worked_examples(received: str, notice: str | None, reply: str, extended: str | None) -> None:
    d0 = D(received)
    if notice:
        assert correction_notice_due(CAL, d0) == D(notice)
    assert reply_due(CAL, d0) == D(reply)
    if extended:
        assert reply_due(CAL, d0, extension_days=20) == D(extended)


def test_worked_example_step_by_step() -> None:
    """§2.3 first row: 09-28 (Sun, make-up)=1, 09-29=2, 09-30=3, 10-09=4, 10-10=5, 10-11 (Sat)=6, 10-13=7."""
    steps = ["2025-09-28", "2025-09-29", "2025-09-30", "2025-10-09", "2025-10-10", "2025-10-11", "2025-10-13"]
    assert [CAL.nth_workday_after(D("2025-09-26"), n) for n in range(1, 8)] == [D(s) for s in steps]


def test_naive_weekday_count_would_be_wrong() -> None:
    assert reply_due(CAL, D("2025-09-26")) != D("2025-10-24")


def test_counting_the_receipt_day_is_configurable() -> None:
    rules = CountingRules(count_receipt_day=True)
    assert reply_due(CAL, D("2025-09-26"), rules) == D("2025-10-29")  # 09-26 is day 1
    assert reply_due(CAL, D("2025-09-27"), rules) == reply_due(CAL, D("2025-09-27"))  # a Saturday off: same


def test_extension_is_at_most_20() -> None:
    assert reply_due(CAL, D("2025-09-26"), extension_days=5) == CAL.nth_workday_after(D("2025-09-26"), 25)
    with pytest.raises(LedgerError, match="延长答复期限最长20个工作日"):
        reply_due(CAL, D("2025-09-26"), extension_days=21)


def test_restart_on_corrected_request() -> None:
    # The clock runs from the day the corrected request arrives, as if received then.
    assert reply_due(CAL, D("2026-02-10")) == D("2026-03-16")
    assert reply_due(CAL, D("2026-02-13")) == CAL.nth_workday_after(D("2026-02-13"), 20)


def test_consultation_pause_excludes_the_paused_working_days() -> None:
    d0 = D("2025-03-03")  # Monday
    plain = reply_due(CAL, d0)
    assert plain == D("2025-03-31")
    # Sent Mon 03-10, answered Fri 03-14: paused 03-11..03-14 (4 working days) by default; 04-04 清明 is off.
    pause = consultation_pause(CAL, D("2025-03-10"), D("2025-03-14"))
    assert pause == Pause(D("2025-03-11"), D("2025-03-14"))
    assert reply_due(CAL, d0, pauses=[pause]) == CAL.nth_workday_after(plain, 4) == D("2025-04-07")
    # Boundary days are configurable.
    both = CountingRules(pause_includes_send_day=True, pause_includes_answer_day=True)
    assert reply_due(CAL, d0, pauses=[consultation_pause(CAL, D("2025-03-10"), D("2025-03-14"), both)]) == D(
        "2025-04-08"  # 04-04 清明 is off
    )


def test_unanswered_consultation_pauses_the_whole_15_day_window() -> None:
    sent = D("2025-03-10")
    window = consultation_pause(CAL, sent, None)
    assert window == Pause(D("2025-03-11"), CAL.nth_workday_after(sent, 15))
    late = consultation_pause(CAL, sent, D("2025-06-01"))
    assert late == window  # silence after the window: the agency decides, the pause ends


def test_overlapping_pauses_count_once() -> None:
    d0 = D("2025-03-03")
    a, b = Pause(D("2025-03-11"), D("2025-03-14")), Pause(D("2025-03-13"), D("2025-03-18"))
    assert reply_due(CAL, d0, pauses=[a, b]) == CAL.nth_workday_after(D("2025-03-31"), 6)


def test_pause_before_receipt_is_ignored() -> None:
    assert reply_due(CAL, D("2025-03-03"), pauses=[Pause(D("2025-02-01"), D("2025-03-03"))]) == D("2025-03-31")


def test_payment_window_is_20_working_days_from_the_day_after_the_notice() -> None:
    assert payment_due(CAL, D("2025-09-26")) == D("2025-10-30")


@pytest.mark.parametrize(
    ("channel", "arrived", "confirmed", "expected"),
    [
        (Channel.IN_PERSON, "2025-03-07", None, "2025-03-07"),
        (Channel.ORAL, "2025-03-07", None, "2025-03-07"),
        (Channel.POST_SIGNED, "2025-03-08", None, "2025-03-08"),  # signed on a Saturday: that date
        (Channel.POST_UNSIGNED, "2025-03-07", "2025-03-07", "2025-03-07"),
        (Channel.ONLINE, "2025-03-07", "2025-03-10", "2025-03-10"),
        (Channel.FAX, "2025-03-07", "2025-03-11", "2025-03-11"),
    ],
)
def test_receipt_date_by_channel(channel: Channel, arrived: str, confirmed: str | None, expected: str) -> None:
    assert receipt_date(channel, D(arrived), D(confirmed) if confirmed else None) == D(expected)


def test_receipt_date_needs_confirmation_for_online_post_and_fax() -> None:
    with pytest.raises(LedgerError, match="以双方确认（或工作机构确认）之日为收到日期"):
        receipt_date(Channel.ONLINE, D("2025-03-07"))
    with pytest.raises(LedgerError, match="确认日期 2025-03-06 早于申请到达日期 2025-03-07"):
        receipt_date(Channel.FAX, D("2025-03-07"), D("2025-03-06"))


def test_receipt_on_a_rest_day_can_roll_forward() -> None:
    rules = CountingRules(receipt_rolls_to_workday=True)
    assert receipt_date(Channel.POST_SIGNED, D("2025-10-04"), calendar=CAL, rules=rules) == D("2025-10-09")
    assert receipt_date(Channel.POST_SIGNED, D("2025-10-04")) == D("2025-10-04")


def test_channel_aliases() -> None:
    assert parse_channel("网络") is Channel.ONLINE
    assert parse_channel("当面提交") is Channel.IN_PERSON
    assert parse_channel("fax") is Channel.FAX
    with pytest.raises(LedgerError, match="未知的申请方式「飞鸽」"):
        parse_channel("飞鸽")


# ---------------------------------------------------------------------------------------------
# Properties

DAYS = st.dates(min_value=date(2021, 1, 1), max_value=date(2026, 10, 1))


@settings(max_examples=300, deadline=None)
@given(d0=DAYS, n=st.integers(1, 40), extra=st.integers(0, 10))
def test_deadline_is_a_working_day_and_monotone(d0: date, n: int, extra: int) -> None:
    due = add_working_days(CAL, d0, n)
    assert CAL.is_workday(due)
    assert due > d0
    assert CAL.workdays_between(d0, due) == n
    assert add_working_days(CAL, d0, n + extra) >= due
    later = d0 + timedelta(days=extra)
    assert add_working_days(CAL, later, n) >= due


@settings(max_examples=200, deadline=None)
@given(d0=DAYS, start=st.integers(0, 40), length=st.integers(0, 20), n=st.integers(1, 40))
def test_a_pause_never_shortens_and_deadline_stays_a_working_day(d0: date, start: int, length: int, n: int) -> None:
    p = Pause(d0 + timedelta(days=start), d0 + timedelta(days=start + length))
    plain = add_working_days(CAL, d0, n)
    paused = add_working_days(CAL, d0, n, pauses=[p])
    assert paused >= plain
    assert CAL.is_workday(paused)
    assert not (p.first <= paused <= p.last)
    paused_days = sum(
        1
        for k in range(length + 1)
        if d0 < p.first + timedelta(days=k) <= paused and CAL.is_workday(p.first + timedelta(days=k))
    )
    assert CAL.workdays_between(d0, paused) - paused_days == n
