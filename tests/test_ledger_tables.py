"""表三/表四 from the ledger: I1–I4 by construction, year-to-year carry-over, checker-clean, counting choices."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk import check_report
from xxgk.format import load_format
from xxgk.ledger.case import Case, CaseState
from xxgk.ledger.counting import CountingRules
from xxgk.ledger.deadlines import Channel
from xxgk.ledger.events import (
    CorrectionLapsed,
    CorrectionReceived,
    CorrectionRequested,
    Event,
    FeeNoticeIssued,
    FeeNotPaid,
    FeePaid,
    LitigationDecided,
    LitigationFiled,
    Received,
    Replied,
    ReviewDecided,
    ReviewFiled,
    Withdrawn,
)
from xxgk.ledger.keys import FEE_UNPAID_ROW, NO_CORRECTION_ROW, UNCLEAR_AFTER_CORRECTION_ROW, ledger_keys
from xxgk.ledger.tables import ledger_cells, ledger_report, table3, table4

SPEC = load_format()
KEYS = ledger_keys()
YEARS = (2022, 2023, 2024, 2025)
REPLY_ROWS = [r for r in KEYS.outcome_rows if r not in (NO_CORRECTION_ROW, FEE_UNPAID_ROW)]
D = date.fromisoformat


@st.composite
def cases(draw: st.DrawFn, case_id: str) -> Case:
    """A random but possible life of one request, built only through Case.append."""
    day = draw(st.dates(date(2022, 1, 1), date(2025, 12, 31)))

    def later(max_days: int = 60) -> date:
        nonlocal day
        day = day + timedelta(days=draw(st.integers(0, max_days)))
        return day

    kind = draw(st.sampled_from(KEYS.applicant_columns))
    case = Case.open(case_id, Received(day, Channel.IN_PERSON, draw(st.sampled_from("甲乙丙")), kind))
    events: list[Event] = []
    corrected = False
    if draw(st.booleans()):
        events.append(CorrectionRequested(later(10)))
        what = draw(st.sampled_from(["received", "lapsed", "pending"]))
        if what == "lapsed":
            events.append(CorrectionLapsed(later()))
        elif what == "received":
            events.append(CorrectionReceived(later()))
            corrected = True
        else:
            return _apply(case, events)
    if not events or not isinstance(events[-1], CorrectionLapsed):
        if draw(st.booleans()):
            events.append(FeeNoticeIssued(later(20), amount=Decimal(100)))
            what = draw(st.sampled_from(["paid", "unpaid", "pending"]))
            if what == "unpaid":
                events.append(FeeNotPaid(later(60)))
            elif what == "paid":
                events.append(FeePaid(later(30)))
            else:
                return _apply(case, events)
        if not events or not isinstance(events[-1], FeeNotPaid):
            end = draw(st.sampled_from(["reply", "reply", "reply", "withdrawn", "open"]))
            if end == "reply":
                rows = [r for r in REPLY_ROWS if corrected or r != UNCLEAR_AFTER_CORRECTION_ROW]
                events.append(Replied(later(40), outcome=draw(st.sampled_from(rows))))
            elif end == "withdrawn":
                events.append(Withdrawn(later(40)))
    if draw(st.booleans()):
        events.append(ReviewFiled(later(90)))
        if draw(st.booleans()):
            events.append(ReviewDecided(later(120), result=draw(st.sampled_from(KEYS.t4_results))))
            if draw(st.booleans()):
                events.append(LitigationFiled(later(30), after_review=True))
    if draw(st.booleans()):
        events.append(LitigationFiled(later(200), after_review=False, ref="d"))
        if draw(st.booleans()):
            events.append(LitigationDecided(later(200), result=draw(st.sampled_from(KEYS.t4_results)), ref="d"))
    return _apply(case, events)


def _apply(case: Case, events: list[Event]) -> Case:
    for e in events:
        case = case.append(e)
    return case


@st.composite
def ledgers(draw: st.DrawFn) -> list[CaseState]:
    n = draw(st.integers(0, 40))
    return [draw(cases(f"c{i}")).state for i in range(n)]


RULE_VARIANTS = [
    CountingRules(),
    CountingRules(correction_receipt_basis="corrected", withdrawn_row=None, t4_basis="active_in_year"),
]


def assert_identities(cells: dict[str, int]) -> None:
    for identity in SPEC.identities:
        for inst in identity.instances:
            assert sum(cells[k] for k in inst.lhs) == sum(cells[k] for k in inst.rhs), (identity.id, inst.binding)
    assert all(v >= 0 for v in cells.values())


@settings(max_examples=60, deadline=None)
@given(states=ledgers(), variant=st.sampled_from(RULE_VARIANTS))
def test_random_ledgers_satisfy_identities_and_carry_over(states: list[CaseState], variant: CountingRules) -> None:
    by_year = {y: ledger_cells(states, y, variant) for y in YEARS}
    for cells in by_year.values():
        assert set(cells) == {c.key for c in SPEC.iter_cells() if c.table in ("t3", "t4")}
        assert_identities(cells)
    for y in YEARS[:-1]:
        for col in (*KEYS.applicant_columns, KEYS.total_column):
            out = by_year[y][f"t3.{KEYS.carried_out_row}.{col}"]
            assert out == by_year[y + 1][f"t3.{KEYS.carried_in_row}.{col}"]
    received = sum(by_year[y][f"t3.{KEYS.new_row}.{KEYS.total_column}"] for y in YEARS)
    counted = [s for s in states if not (s.withdrawn and variant.withdrawn_row is None)]
    assert received == sum(1 for s in counted if s.entry_date(variant).year in YEARS)


@settings(max_examples=15, deadline=None)
@given(states=ledgers())
def test_checker_finds_no_arithmetic_problem_in_ledger_tables(states: list[CaseState]) -> None:
    report = ledger_report(states, 2024, agency="某某市某某局")
    findings = [f for f in check_report(report) if f.code.startswith("C0") and f.location.startswith(("t3", "t4"))]
    assert findings == []


def _received(cid: str, on: str, kind: str = "natural_person") -> Case:
    return Case.open(cid, Received(D(on), Channel.IN_PERSON, "张三", kind))


def test_small_ledger_by_hand() -> None:
    states = [
        _received("a", "2023-12-20").append(Replied(D("2024-01-10"), outcome="granted")).state,  # carried in, closed
        _received("b", "2024-03-01", "commercial_enterprise")
        .append(Replied(D("2024-03-05"), outcome="unable_not_held"))
        .state,
        _received("c", "2024-12-25").state,  # open at year end
        _received("d", "2024-05-01")
        .append(CorrectionRequested(D("2024-05-06"), reply_by=D("2024-05-20")))
        .append(CorrectionLapsed(D("2024-05-21")))
        .state,
        _received("e", "2024-06-01").append(Withdrawn(D("2024-06-02"))).state,
        _received("f", "2025-01-02").state,  # next year
    ]
    t3 = table3(states, 2024)
    assert t3["t3.new_received.natural_person"] == 3 and t3["t3.new_received.commercial_enterprise"] == 1
    assert t3["t3.carried_over_in.total"] == 1
    assert t3["t3.granted.natural_person"] == 1 and t3["t3.unable_not_held.commercial_enterprise"] == 1
    assert t3["t3.other_no_correction.total"] == 1 and t3["t3.other_other.total"] == 1  # withdrawn → （六）3
    assert t3["t3.processed_total.total"] == 4 and t3["t3.carried_over_out.total"] == 1
    dropped = table3(states, 2024, CountingRules(withdrawn_row=None))
    assert dropped["t3.other_other.total"] == 0 and dropped["t3.new_received.total"] == 3


def test_correction_restart_counting_choice() -> None:
    case = (
        _received("x", "2024-12-20")
        .append(CorrectionRequested(D("2024-12-23")))
        .append(CorrectionReceived(D("2025-01-06")))
        .append(Replied(D("2025-01-20"), outcome="granted"))
    )
    original = [table3([case.state], y) for y in (2024, 2025)]
    assert original[0]["t3.new_received.total"] == 1 and original[0]["t3.carried_over_out.total"] == 1
    assert original[1]["t3.carried_over_in.total"] == 1 and original[1]["t3.granted.total"] == 1
    rules = CountingRules(correction_receipt_basis="corrected")
    corrected = [table3([case.state], y, rules) for y in (2024, 2025)]
    assert corrected[0]["t3.new_received.total"] == 0 and corrected[0]["t3.carried_over_out.total"] == 0
    assert corrected[1]["t3.new_received.total"] == 1 and corrected[1]["t3.granted.total"] == 1


def test_review_filed_in_one_year_decided_in_the_next() -> None:
    case = (
        _received("r", "2024-10-08")
        .append(Replied(D("2024-10-20"), outcome="withheld_process_info"))
        .append(ReviewFiled(D("2024-11-15")))
        .append(ReviewDecided(D("2025-01-20"), result="corrected"))
    )
    states = [case.state]
    assert table4(states, 2024)["t4.review.pending"] == 1
    assert table4(states, 2024, as_of=D("2025-01-31"))["t4.review.corrected"] == 1
    assert table4(states, 2025)["t4.review.total"] == 0
    active = table4(states, 2025, CountingRules(t4_basis="active_in_year"))
    assert active["t4.review.corrected"] == 1 and active["t4.review.total"] == 1


@pytest.mark.parametrize("year", [2024])
def test_report_carries_ledger_provenance(year: int) -> None:
    report = ledger_report([_received("a", "2024-03-01").state], year, agency="某某局")
    assert report.meta.year == year and report.value("t3.new_received.total") == 1
    cell = report.cells["t4.review.total"]
    assert cell.value == 0 and cell.source is not None and cell.source.reader == "ledger"
