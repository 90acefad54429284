"""Cases: state and deadlines derived from events; impossible events rejected with their messages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from xxgk.ledger.calendar import builtin_calendar
from xxgk.ledger.case import Case, Ledger, Status, case_deadlines
from xxgk.ledger.counting import CountingRules
from xxgk.ledger.deadlines import Channel
from xxgk.ledger.errors import LedgerError
from xxgk.ledger.events import (
    ConsultationAnswered,
    ConsultationSent,
    CorrectionLapsed,
    CorrectionReceived,
    CorrectionRequested,
    Event,
    ExtensionApproved,
    FeeNoticeIssued,
    FeeNotPaid,
    FeePaid,
    LitigationFiled,
    Received,
    Replied,
    ReviewDecided,
    ReviewFiled,
    Voided,
    Withdrawn,
    event_from_dict,
)
from xxgk.ledger.keys import ledger_keys

CAL = builtin_calendar()
D = date.fromisoformat


def new(on: str = "2025-09-26", **kw: object) -> Case:
    args: dict[str, object] = {"channel": Channel.IN_PERSON, "applicant": "张三", "applicant_type": "natural_person"}
    args.update(kw)
    return Case.open("A1", Received(D(on), **args))  # type: ignore[arg-type]


def build(*events: Event, on: str = "2025-09-26") -> Case:
    case = new(on)
    for e in events:
        case = case.append(e)
    return case


def test_keys_come_from_the_format() -> None:
    keys = ledger_keys()
    assert len(keys.outcome_rows) == 21 and len(keys.applicant_columns) == 6
    assert keys.row_label("granted") == "（一）予以公开"
    assert keys.t4_results == ("upheld", "corrected", "other")


def test_simple_reply() -> None:
    case = new()
    dl = case_deadlines(case.state, CAL)
    assert case.state.status is Status.OPEN
    assert (dl.correction_notice, dl.reply, dl.reply_if_extended) == (D("2025-10-13"), D("2025-10-30"), D("2025-11-27"))
    closed = case.append(Replied(D("2025-10-20"), outcome="granted"))
    assert closed.state.status is Status.CLOSED and closed.state.outcome == "granted"
    assert case_deadlines(closed.state, CAL).reply is None
    assert len(case.events) == 1  # append returns a new case; the old one is unchanged


def test_correction_restarts_the_clock() -> None:
    case = build(CorrectionRequested(D("2026-01-08"), reply_by=D("2026-01-30")))
    assert case.state.status is Status.AWAITING_CORRECTION
    assert case_deadlines(case.state, CAL).reply is None
    case = case.append(CorrectionReceived(D("2026-02-10")))
    assert case.state.clock_start == D("2026-02-10") and case.state.received_on == D("2025-09-26")
    assert case_deadlines(case.state, CAL).reply == D("2026-03-16")


def test_consultation_and_extension_move_the_deadline() -> None:
    case = build(ConsultationSent(D("2025-10-09"), party="third_party"), ExtensionApproved(D("2025-10-10"), days=10))
    dl = case_deadlines(case.state, CAL)
    assert dl.consultation_answers == (("1", CAL.nth_workday_after(D("2025-10-09"), 15)),)
    # unanswered: the whole 15-day window is paused
    assert dl.reply == CAL.nth_workday_after(D("2025-10-30"), 10 + 15)
    answered = case.append(ConsultationAnswered(D("2025-10-14"), ref="1"))
    # paused 10-10, 10-11 (make-up Sat), 10-13, 10-14: four working days
    assert case_deadlines(answered.state, CAL).reply == CAL.nth_workday_after(D("2025-10-30"), 10 + 4)


def test_fee_flow_and_optional_clock_pause() -> None:
    case = build(FeeNoticeIssued(D("2025-10-09"), amount=Decimal(100)))
    assert case.state.status is Status.AWAITING_PAYMENT
    dl = case_deadlines(case.state, CAL)
    assert dl.payment == CAL.nth_workday_after(D("2025-10-09"), 20)
    assert dl.reply == D("2025-10-30")  # not paused by default (UNCONFIRMED)
    paused = case_deadlines(case.state, CAL, CountingRules(fee_pauses_reply_clock=True)).reply
    assert paused is not None and paused > D("2025-10-30")
    with pytest.raises(LedgerError, match="缴费期限至2025-11-05，尚未届满"):  # 10-11 is a make-up Saturday
        case.append(FeeNotPaid(D("2025-11-05")), calendar=CAL)
    lapsed = case.append(FeeNotPaid(D("2025-11-06")), calendar=CAL)
    assert lapsed.state.outcome == "other_fee_unpaid"
    paid = case.append(FeePaid(D("2025-10-20"))).append(Replied(D("2025-10-21"), outcome="granted"))
    assert paid.state.outcome == "granted"


def test_no_correction_closes_under_other_handling() -> None:
    case = build(CorrectionRequested(D("2025-09-29"), reply_by=D("2025-10-20")))
    assert case.append(CorrectionLapsed(D("2025-10-21"))).state.outcome == "other_no_correction"


def test_proceedings_after_closing() -> None:
    case = build(
        Replied(D("2025-10-20"), outcome="withheld_third_party"),
        ReviewFiled(D("2025-11-01")),
        ReviewDecided(D("2026-01-10"), result="upheld"),
        LitigationFiled(D("2026-01-20"), after_review=True),
    )
    groups = [(p.group, p.result) for p in case.state.proceedings]
    assert groups == [("review", "upheld"), ("litigation_after_review", None)]


def test_voiding_corrects_a_mistaken_event() -> None:
    case = build(Replied(D("2025-10-20"), outcome="granted"))
    fixed = case.append(Voided(D("2025-10-21"), target=1, reason="结果登记错误")).append(
        Replied(D("2025-10-20"), outcome="partially_granted")
    )
    assert fixed.state.outcome == "partially_granted"
    assert len(fixed.events) == 4  # nothing was edited


def test_back_dated_event_is_placed_in_date_order() -> None:
    case = build(Replied(D("2025-10-30"), outcome="granted"))
    with pytest.raises(LedgerError, match="已于2025-10-30办结"):
        case.append(ConsultationAnswered(D("2025-10-31")))
    ok = build(ConsultationSent(D("2025-10-09")), Replied(D("2025-10-30"), outcome="granted"))
    assert ok.append(ConsultationAnswered(D("2025-10-20"))).state.consultations[0].answered_on == D("2025-10-20")


REJECTED: list[tuple[list[Event], str]] = [
    ([Replied(D("2025-09-25"), outcome="granted")], "「作出答复」（2025-09-25）早于收到申请日期2025-09-26"),
    (
        [Replied(D("2025-10-10"), outcome="granted"), Replied(D("2025-10-12"), outcome="granted")],
        "「作出答复」（2025-10-12）无法登记：本申请已于2025-10-10办结（（一）予以公开）",
    ),
    (
        [ExtensionApproved(D("2025-10-10"), days=15), ExtensionApproved(D("2025-10-11"), days=10)],
        "延长答复期限最长20个工作日（第三十三条），本案已延长15个工作日，不能再延长10个",
    ),
    ([ExtensionApproved(D("2025-10-10"), days=21)], "不能再延长21个"),
    (
        [CorrectionRequested(D("2025-09-29")), CorrectionRequested(D("2025-09-30"))],
        "第三十条要求一次性告知补正内容，本案已于2025-09-29发出补正通知",
    ),
    ([CorrectionReceived(D("2025-10-09"))], "没有补正通知，不能登记收到补正材料"),
    ([CorrectionLapsed(D("2025-10-09"))], "没有发出补正通知，不能按逾期未补正处理"),
    (
        [CorrectionRequested(D("2025-09-29"), reply_by=D("2025-10-20")), CorrectionLapsed(D("2025-10-20"))],
        "补正期限至2025-10-20，尚未届满",
    ),
    (
        [CorrectionRequested(D("2025-09-29")), Replied(D("2025-10-10"), outcome="granted")],
        "本案正在等待补正",
    ),
    ([Replied(D("2025-10-10"), outcome="approved")], "未知的办理结果「approved」"),
    ([Replied(D("2025-10-10"), outcome="other_no_correction")], "逾期不补正请登记「逾期未补正」事件"),
    ([Replied(D("2025-10-10"), outcome="other_fee_unpaid")], "逾期未缴费请登记「逾期未缴费」事件"),
    (
        [Replied(D("2025-10-10"), outcome="unable_unclear_after_correction")],
        "「3.补正后申请内容仍不明确」须以收到补正材料为前提",
    ),
    ([FeePaid(D("2025-10-10"))], "没有收费通知，不能登记缴费"),
    ([FeeNotPaid(D("2025-10-10"))], "没有收费通知，不能按逾期未缴费处理"),
    (
        [FeeNoticeIssued(D("2025-10-09"), amount=Decimal(100)), Replied(D("2025-10-10"), outcome="granted")],
        "收费通知（2025-10-09）尚未缴费",
    ),
    ([ConsultationAnswered(D("2025-10-10"))], "没有待答复的编号为1的征求意见"),
    ([ReviewDecided(D("2025-10-10"), result="upheld")], "没有已登记的编号为1的案件"),
    ([LitigationFiled(D("2025-10-10"), after_review=True)], "为复议后起诉，但本案没有登记行政复议"),
    ([ReviewFiled(D("2025-10-10")), ReviewDecided(D("2025-11-10"), result="won")], "未知的结果「won」"),
    (
        [
            ReviewFiled(D("2025-10-10")),
            ReviewDecided(D("2025-11-10"), result="upheld"),
            ReviewDecided(D("2025-11-11"), result="corrected"),
        ],
        "该案已于2025-11-10审结",
    ),
    ([Withdrawn(D("2025-10-01")), Replied(D("2025-10-02"), outcome="granted")], "本申请已于2025-10-01办结（撤回）"),
    ([Received(D("2025-10-01"), Channel.IN_PERSON, "张三", "natural_person")], "不能重复登记"),
    ([Voided(D("2025-10-01"), target=0)], "不能作废「收到申请」"),
    ([Voided(D("2025-10-01"), target=5)], "要作废的第5条事件不存在"),
]


@pytest.mark.parametrize(("events", "message"), REJECTED)
def test_impossible_events_are_rejected(events: list[Event], message: str) -> None:
    case = new()
    with pytest.raises(LedgerError) as info:
        for e in events:
            case = case.append(e)
    assert message in info.value.message
    assert info.value.message.startswith("案件A1：")


def test_first_event_must_be_receipt_and_applicant_type_known() -> None:
    with pytest.raises(LedgerError, match="第一条事件必须是「收到申请」"):
        Case("X", (Replied(D("2025-10-10"), outcome="granted"),))
    with pytest.raises(LedgerError, match="未知的申请人类型「个人」；可用：自然人（natural_person）"):
        new(applicant_type="个人")
    with pytest.raises(LedgerError, match="请给出确认日期"):
        new(channel=Channel.ONLINE)


def test_ledger_records_and_rejects_without_changing_state() -> None:
    ledger = Ledger()
    ledger.open("A1", Received(D("2025-09-26"), Channel.IN_PERSON, "张三", "natural_person"))
    ledger.record("A1", Replied(D("2025-10-10"), outcome="granted"))
    with pytest.raises(LedgerError):
        ledger.record("A1", Replied(D("2025-10-11"), outcome="granted"))
    assert len(ledger["A1"].events) == 2
    with pytest.raises(LedgerError, match="案件编号A1已存在"):
        ledger.open("A1", Received(D("2025-09-26"), Channel.IN_PERSON, "张三", "natural_person"))
    with pytest.raises(LedgerError, match="没有编号为B的案件"):
        ledger.record("B", Withdrawn(D("2025-10-11")))


def test_events_round_trip_through_dicts() -> None:
    events: list[Event] = [
        Received(D("2025-09-26"), Channel.ONLINE, "某公司", "commercial_enterprise", confirmed_on=D("2025-09-28")),
        FeeNoticeIssued(D("2025-10-09"), amount=Decimal("700"), method="per_page", pages=100),
        LitigationFiled(D("2025-11-01"), after_review=False, ref="2"),
    ]
    for e in events:
        assert event_from_dict(e.to_dict()) == e
    with pytest.raises(LedgerError, match="未知的事件类型「nope」"):
        event_from_dict({"kind": "nope", "on": "2025-01-01"})
    with pytest.raises(LedgerError, match="的 on 无效"):
        event_from_dict({"kind": "replied", "on": "2025-13-01"})
