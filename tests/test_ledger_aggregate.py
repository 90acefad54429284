"""The store's fast readers against the per-case fold: 表三/表四 and late replies counted in SQL
(`store.aggregate`), the case list from the deadline columns (`store.caselist`), and keeping those columns
current (new calendar, upgraded ledger). One varied ledger per backend, built through the real API."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from xxgk.ledger import keys as K
from xxgk.ledger.calendar import WorkCalendar, builtin_calendar
from xxgk.ledger.case import Case, case_deadlines, late_reply_days
from xxgk.ledger.commands import late_replies, year_tables
from xxgk.ledger.counting import CountingRules
from xxgk.ledger.deadlines import Channel
from xxgk.ledger.errors import LedgerError
from xxgk.ledger.events import (
    ConsultationAnswered,
    ConsultationSent,
    Corrected,
    CorrectionReceived,
    CorrectionRequested,
    Event,
    ExtensionApproved,
    FeeNoticeIssued,
    FeePaid,
    LitigationFiled,
    Received,
    Replied,
    ReviewDecided,
    ReviewFiled,
    Voided,
    Withdrawn,
)
from xxgk.ledger.keys import ledger_keys
from xxgk.ledger.tables import ledger_cells, ledger_report

from .test_ledger_store import SCENARIOS, backend, new_store, pg_server  # noqa: F401  (fixtures)

D = date.fromisoformat
CAL = builtin_calendar()
YEARS = (2023, 2024, 2025, 2026)
RULE_VARIANTS = (
    CountingRules(),
    CountingRules(withdrawn_row=None),
    CountingRules(correction_receipt_basis="corrected"),
    CountingRules(t4_basis="active_in_year"),
)

# Cases beyond SCENARIOS: 更正 of the receipt, a voided 复议 filed again, proceedings across years, late
# replies, cases open across year ends, and cases whose deadlines are still running.
EXTRA: dict[str, list[Event]] = {
    "corrected-type-and-date": [
        Received(D("2023-12-20"), Channel.IN_PERSON, "孙八", "natural_person"),
        Corrected(
            D("2024-01-05"), submitted_on=D("2024-01-02"), applicant_type="commercial_enterprise", reason="录入错误"
        ),
        Replied(D("2024-01-20"), outcome="granted"),
    ],
    "review-voided-refiled": [
        Received(D("2024-02-01"), Channel.POST_SIGNED, "周九", "natural_person"),
        Replied(D("2024-02-20"), outcome="withheld_state_secret"),
        ReviewFiled(D("2024-03-01"), ref="R1"),
        Voided(D("2024-03-02"), target=2, reason="编号错"),
        ReviewFiled(D("2024-03-02"), ref="R2"),
        ReviewDecided(D("2025-02-10"), result="corrected", ref="R2"),
        LitigationFiled(D("2025-03-01"), after_review=True, ref="L"),
    ],
    "late-reply": [
        Received(D("2024-01-02"), Channel.IN_PERSON, "吴十", "research_institution"),
        Replied(D("2024-03-15"), outcome="partially_granted"),
    ],
    "carried-into-2025": [
        Received(D("2024-12-20"), Channel.IN_PERSON, "郑一", "other_org"),
        CorrectionRequested(D("2024-12-23"), reply_by=D("2025-01-10")),
        CorrectionReceived(D("2025-01-08")),
        Replied(D("2025-02-05"), outcome="unable_not_held"),
    ],
    "withdrawn-next-year": [
        Received(D("2025-12-29"), Channel.IN_PERSON, "王二", "natural_person"),
        Withdrawn(D("2026-01-06")),
    ],
    "running-notice-window": [Received(D("2026-03-02"), Channel.IN_PERSON, "冯三", "natural_person")],
    "running-extended": [
        Received(D("2026-02-02"), Channel.ONLINE, "陈四", "commercial_enterprise", confirmed_on=D("2026-02-03")),
        ConsultationSent(D("2026-02-05"), party="agency", ref="C"),
        ExtensionApproved(D("2026-02-25"), days=15),
    ],
    "running-awaiting-correction": [
        Received(D("2026-03-03"), Channel.IN_PERSON, "褚五", "natural_person"),
        CorrectionRequested(D("2026-03-04"), reply_by=D("2026-03-20")),
    ],
    "running-awaiting-payment": [
        Received(D("2026-02-16"), Channel.IN_PERSON, "卫六", "legal_service_org"),
        FeeNoticeIssued(D("2026-03-02"), amount=Decimal(100)),
    ],
}


def _random_cases(n: int, seed: int = 23) -> list[tuple[str, Case]]:
    """Plausible lives of `n` requests received 2023–2026 (validated by the core as they are built)."""
    rng = random.Random(seed)
    keys = ledger_keys()
    replies = [r for r in keys.outcome_rows if r not in (K.NO_CORRECTION_ROW, K.FEE_UNPAID_ROW)]
    out = []
    for i in range(n):
        day = date(2023, 1, 2) + timedelta(days=rng.randrange(1150))
        channel = rng.choice(list(Channel))
        confirmed = day + timedelta(days=1) if channel.needs_confirmation else None
        events: list[Event] = [Received(day, channel, f"申请人{i % 7}", rng.choice(keys.applicant_columns), confirmed)]
        day = confirmed or day

        def later(n: int) -> date:
            nonlocal day
            day += timedelta(days=rng.randint(0, n))
            return day

        corrected = rng.random() < 0.2
        if corrected:
            events += [CorrectionRequested(later(7)), CorrectionReceived(later(10))]
        if rng.random() < 0.15:
            events += [ConsultationSent(later(5)), ConsultationAnswered(later(10))]
        if rng.random() < 0.15:
            events.append(ExtensionApproved(later(10), days=rng.randint(1, 20)))
        if rng.random() < 0.1:
            events += [FeeNoticeIssued(later(5), amount=Decimal(100)), FeePaid(later(10))]
        end = rng.random()
        if end < 0.7:
            rows = replies if corrected else [r for r in replies if r != K.UNCLEAR_AFTER_CORRECTION_ROW]
            events.append(Replied(later(40), outcome=rng.choice(rows)))
            if rng.random() < 0.15:
                events.append(ReviewFiled(later(60)))
                if rng.random() < 0.7:
                    events.append(ReviewDecided(later(120), result=rng.choice(keys.t4_results)))
            if rng.random() < 0.1:
                events.append(LitigationFiled(later(60), ref="d"))
        elif end < 0.8:
            events.append(Withdrawn(later(20)))
        out.append((f"R{i:03d}", Case(f"R{i:03d}", tuple(events))))
    return out


@pytest.fixture
def ledger(new_store: Callable[..., Any]) -> Any:  # noqa: F811  (the fixture imported above)
    """A store holding SCENARIOS and EXTRA (recorded event by event) and 150 random cases (imported)."""
    store = new_store()
    with store.transaction():
        for name, events in {**SCENARIOS, **EXTRA}.items():
            store.open_case(events[0], name)
            for e in events[1:]:
                store.record(name, e)
        store.import_cases(_random_cases(150), source="test")
    return store


def test_tables_and_late_replies_from_sql_equal_the_per_case_fold(ledger: Any) -> None:
    from xxgk.ledger.store.aggregate import late_replies as stored_late_replies
    from xxgk.ledger.store.aggregate import store_cells

    states = ledger.states()
    for year in YEARS:
        for rules in RULE_VARIANTS:
            assert store_cells(ledger, year, rules) == ledger_cells(states, year, rules), (year, rules)
        as_of = date(year + 1, 6, 30)
        assert store_cells(ledger, year, as_of=as_of) == ledger_cells(states, year, as_of=as_of)
        assert stored_late_replies(ledger, year) == late_replies(states, year, CAL)
    cells = store_cells(ledger, 2024)  # the comparison is not between empty tables
    keys = ledger_keys()
    t = keys.total_column
    assert cells[f"t3.{keys.new_row}.{t}"] > 40 and cells[f"t3.{keys.carried_out_row}.{t}"] > 0
    assert cells[f"t4.review.{keys.t4_total}"] > 0 and cells[f"t4.litigation_after_review.{keys.t4_total}"] > 0
    assert "late-reply" in stored_late_replies(ledger, 2024)
    report, late = year_tables(ledger, 2025)
    assert {k: c.value for k, c in report.cells.items()} == {
        k: c.value for k, c in ledger_report(states, 2025).cells.items()
    }
    assert late == late_replies(states, 2025, CAL)


def _reference(store: Any, today: date) -> dict[str, tuple[Any, ...]]:
    """number → (most urgent deadline, what, working days left, 超期答复 days), from folded cases."""
    from xxgk.ledger.store.agenda import deadline_items

    out = {}
    for c in store.cases():
        s = c.state
        items = deadline_items(s, case_deadlines(s, CAL), CAL, today)
        urgent = min(items, key=lambda i: (i.days_left, i.due), default=None)
        late = late_reply_days(s, CAL) if s.closed else None
        out[c.id] = (urgent.due, urgent.what_zh, urgent.days_left, late) if urgent else (None, "", None, late)
    return out


def test_case_list_rows_equal_the_per_case_deadlines(ledger: Any) -> None:
    from xxgk.ledger.store.caselist import CaseQuery, case_list

    flagged = 0
    for today in (D("2026-03-03"), D("2026-03-06"), D("2026-03-20"), D("2026-06-01")):
        page = case_list(ledger, CaseQuery(limit=None), today=today)
        expected = _reference(ledger, today)
        assert page.total == len(expected) == len(page.rows)
        got = {r.number: (r.due_on, r.due_what, r.days_left, r.late_days) for r in page.rows}
        assert got == expected, today
        assert [r.number for r in page.rows] == [c.id for c in ledger.cases()]  # receipt order by default
        soon = {n for n, (_, _, left, _) in expected.items() if left is not None and 0 <= left <= 3}
        assert {r.number for r in page.rows if r.due_soon} == soon
        flagged += len(soon)
    assert flagged > 0
    rows = {r.number: r for r in case_list(ledger, CaseQuery(limit=None), today=D("2026-03-03")).rows}
    assert rows["running-notice-window"].due_what.startswith("补正通知期限")  # still open on the 3rd
    assert rows["running-awaiting-payment"].due_what.startswith("补正通知期限")  # the sooner one, still open
    assert rows["late-reply"].late_days and rows["withdrawn"].withdrawn
    assert rows["withdrawn"].table_row() == K.OTHER_ROW


def test_case_list_filters_search_order_and_pages(ledger: Any) -> None:
    from xxgk.ledger.store.caselist import CaseQuery, case_list

    today = D("2026-03-20")
    everything = case_list(ledger, CaseQuery(limit=None), today=today).rows
    by_number = {r.number: r for r in everything}

    def numbers(**kw: Any) -> list[str]:
        return [r.number for r in case_list(ledger, CaseQuery(limit=None, **kw), today=today).rows]

    assert numbers(open_only=True) == [r.number for r in everything if not r.closed]
    assert numbers(status=("awaiting_correction",)) == [
        r.number for r in everything if r.status == "awaiting_correction"
    ]
    assert numbers(applicant_type="research_institution") == [
        r.number for r in everything if r.applicant_type == "research_institution"
    ]
    assert numbers(channel="online") == [r.number for r in everything if r.channel == "online"]
    assert numbers(year=2025) == [c.id for c in ledger.cases(year=2025)]
    assert numbers(search="申请人3") == [r.number for r in everything if "申请人3" in r.applicant]
    assert numbers(search="running") == [r.number for r in everything if "running" in r.number]
    overdue = numbers(overdue=True)
    assert overdue and set(overdue) == {r.number for r in everything if r.overdue}
    soon = numbers(due_within=3, order="due")
    assert set(soon) == {r.number for r in everything if not r.closed and r.days_left is not None and r.days_left <= 3}
    assert [by_number[n].due_on for n in soon] == sorted(by_number[n].due_on for n in soon)  # soonest first
    assert numbers(order="number") == sorted(by_number)
    assert numbers(order="-received") == [r.number for r in reversed(everything)]
    page = case_list(ledger, CaseQuery(order="number", offset=20, limit=50), today=today)
    assert page.total == len(everything) and [r.number for r in page.rows] == sorted(by_number)[20:70]
    with pytest.raises(LedgerError, match="未知的排序方式「due_on」"):
        case_list(ledger, CaseQuery(order="due_on"))
    with pytest.raises(LedgerError, match="未知的案件状态「pending」"):
        case_list(ledger, CaseQuery(status=("pending",)))


def test_deadlines_are_recomputed_for_a_new_calendar(ledger: Any) -> None:
    from xxgk.ledger.store import models as m
    from xxgk.ledger.store.caselist import CaseQuery, case_list
    from xxgk.ledger.store.repository import LedgerStore

    assert ledger.refresh_deadlines() == []  # computed when written, with this very calendar
    # The same ledger seen with a calendar that lacks 2026: the 2026 deadlines cannot be computed…
    short = WorkCalendar({y: a for y, a in CAL.arrangements.items() if y < 2026})
    old = LedgerStore(ledger.target, ledger.alias, m.Agency.objects.using(ledger.alias).get(), calendar=short)
    moved = old.refresh_deadlines()
    assert "running-extended" in {c.number for c in moved}
    page = case_list(old, CaseQuery(due_within=5, limit=None), today=D("2025-12-01"))
    assert "running-extended" in page.unknown and "running-extended" not in {r.number for r in page.rows}
    # …until 2026 is added: every case is recomputed once and the moved ones are listed.
    fresh = LedgerStore(ledger.target, ledger.alias, m.Agency.objects.using(ledger.alias).get(), calendar=CAL)
    moved = {c.number: c for c in fresh.refresh_deadlines()}
    assert not moved["running-extended"].before.known and moved["running-extended"].after.due_on is not None
    assert fresh.refresh_deadlines() == []
    today = D("2026-03-20")
    assert {r.number: (r.due_on, r.days_left) for r in case_list(fresh, CaseQuery(limit=None), today=today).rows} == {
        n: (v[0], v[2]) for n, v in _reference(fresh, today).items()
    }


def test_an_upgraded_ledger_gets_its_deadline_columns(ledger: Any, backend: Any) -> None:  # noqa: F811
    from django.core.management import call_command

    from xxgk.ledger.store import init_store
    from xxgk.ledger.store.caselist import CaseQuery, case_list

    call_command("migrate", "xxgk_ledger", "0001", database=ledger.alias, verbosity=0)  # a ledger of before
    store = init_store(agency=ledger.agency, calendar=CAL, **backend.kwargs())  # `xxgk ledger init` upgrades it
    today = D("2026-03-20")
    from xxgk.ledger.store.aggregate import store_cells

    assert store_cells(store, 2024) == ledger_cells(store.states(), 2024)  # 表四 from the refilled column
    rows = case_list(store, CaseQuery(limit=None), today=today).rows
    assert {r.number: (r.due_on, r.due_what, r.days_left, r.late_days) for r in rows} == _reference(store, today)


def test_list_and_tables_commands_in_a_process_of_their_own(tmp_path: Path) -> None:
    """`xxgk ledger list` and `tables` set Django up before they use the store (in-process tests share a set-up
    Django and cannot tell)."""
    from xxgk.ledger.store import init_store

    env = {**os.environ, "XXGK_HOME": str(tmp_path / "home")}
    db = tmp_path / "ledger.sqlite3"
    store = init_store(db=db, agency="某某局", calendar=CAL)
    with store.transaction():
        for name in ("running-notice-window", "late-reply"):
            store.open_case(EXTRA[name][0], name)  # type: ignore[arg-type]
            for e in EXTRA[name][1:]:
                store.record(name, e)
    run = [sys.executable, "-m", "xxgk", "ledger"]
    listed = subprocess.run(
        [*run, "list", "--db", str(db), "--due-within", "3", "--today", "2026-03-09"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[1].split("\t")[:2] == ["running-notice-window", "2026-03-02"]
    tables = subprocess.run(
        [*run, "tables", "--db", str(db), "--year", "2024"], capture_output=True, text=True, env=env, timeout=120
    )
    assert tables.returncode == 0, tables.stderr
    assert "超期答复1件" in tables.stderr and "late-reply" in tables.stderr
