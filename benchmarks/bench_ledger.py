"""Ledger benchmarks: deadline computations per second, 表三/表四 for 100,000 cases, SQLite appends per second,
the store's 表三/表四 and case list, the Excel import.

Usage:
    python3 benchmarks/bench_ledger.py [--deadlines 200000] [--cases 100000] [--appends 1000]
        [--store-cases 100000] [--list-cases 10000] [--import-rows 20000] [--enforce]

Targets (issue #6): >= 100,000 deadline computations per second (`reply_due`, the 20-working-day reply
deadline from a receipt date, on the shipped 2024–2026 calendar); 表三 + 表四 of one year for 100,000 cases
in <= 1 s (`ledger_cells` over folded case states; building the states is not timed). --enforce exits 1
when either target is missed. Appends to SQLite (open a case, record its events, through `LedgerStore`,
one transaction per case as the CLI does) and the Excel import are measured for information only; the
import is read and checked outside any transaction and written in one short transaction of bulk inserts,
whose length (what another writer may wait) is printed too.

Issue 23 (the store, SQLite in a temporary directory; building it is not timed): `ledger tables` for
--store-cases cases in the store <= 1 s (表三/表四 counted in SQL and the late replies: `commands.year_tables`;
the per-case fold it replaced, `ledger_cells(store.states())`, is timed once in the same run), a page of 50 of
the case list of an agency with --list-cases cases <= 300 ms (`store.caselist.case_list`; the agency shares
the database with the --store-cases one; the old way, folding every case for its deadlines, is timed once),
and >= 2,000 cases/s imported from an Excel 台账 of --import-rows rows (read + check + write). --enforce
exits 1 when any target is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from xxgk.ledger.calendar import builtin_calendar
from xxgk.ledger.case import Case, CaseState
from xxgk.ledger.counting import CountingRules
from xxgk.ledger.deadlines import Channel, Pause, reply_due
from xxgk.ledger.events import (
    ConsultationAnswered,
    ConsultationSent,
    CorrectionReceived,
    CorrectionRequested,
    Event,
    ExtensionApproved,
    FeeNoticeIssued,
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
from xxgk.ledger.tables import ledger_cells

TARGET_DEADLINES_PER_S = 100_000
TARGET_TABLES_S = 1.0
TARGET_STORE_TABLES_S = 1.0
TARGET_LIST_PAGE_S = 0.3
TARGET_IMPORT_PER_S = 2_000
FIRST, LAST = date(2024, 1, 1), date(2026, 10, 31)  # receipts whose deadlines stay inside the shipped calendar


def _best_of(repeat: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def random_events(rng: random.Random, day: date) -> list[Event]:
    """A plausible life of one request after its receipt (the core validates it when folded)."""
    keys = ledger_keys()
    replies = [r for r in keys.outcome_rows if r not in (NO_CORRECTION_ROW, FEE_UNPAID_ROW)]
    events: list[Event] = []

    def later(n: int) -> date:
        nonlocal day
        day += timedelta(days=rng.randint(0, n))
        return day

    corrected = False
    if rng.random() < 0.15:
        events += [CorrectionRequested(later(7)), CorrectionReceived(later(10))]
        corrected = True
    if rng.random() < 0.1:
        events += [ConsultationSent(later(5)), ConsultationAnswered(later(10))]
    if rng.random() < 0.1:
        events.append(ExtensionApproved(later(10), days=rng.randint(1, 20)))
    if rng.random() < 0.05:
        events += [FeeNoticeIssued(later(5), amount=Decimal(100)), FeePaid(later(10))]
    end = rng.random()
    if end < 0.8:
        rows = replies if corrected else [r for r in replies if r != UNCLEAR_AFTER_CORRECTION_ROW]
        events.append(Replied(later(25), outcome=rng.choice(rows)))
        if rng.random() < 0.05:
            events += [ReviewFiled(later(60)), ReviewDecided(later(60), result=rng.choice(keys.t4_results))]
        if rng.random() < 0.02:
            events += [LitigationFiled(later(60), ref="d"), LitigationDecided(later(200), result="upheld", ref="d")]
    elif end < 0.85:
        events.append(Withdrawn(later(20)))
    return events


def random_states(n: int, seed: int = 6) -> list[CaseState]:
    rng = random.Random(seed)
    keys = ledger_keys()
    span = (date(2026, 12, 31) - date(2023, 1, 1)).days
    states = []
    for i in range(n):
        d0 = date(2023, 1, 1) + timedelta(days=rng.randrange(span))
        received = Received(d0, Channel.IN_PERSON, f"申请人{i % 500}", rng.choice(keys.applicant_columns))
        states.append(Case(f"b{i}", (received, *random_events(rng, d0))).state)
    return states


def bench_deadlines(n: int) -> tuple[float, float]:
    """(plain reply deadlines per second, with a consultation pause and an extension per second)."""
    cal = builtin_calendar()
    rules = CountingRules()
    rng = random.Random(1)
    span = (LAST - FIRST).days
    starts = [FIRST + timedelta(days=rng.randrange(span)) for _ in range(n)]
    pauses = [(Pause(d + timedelta(days=3), d + timedelta(days=10)),) for d in starts]
    for d in starts[:1000]:  # warm-up
        reply_due(cal, d, rules)

    def plain() -> None:
        for d in starts:
            reply_due(cal, d, rules)

    def paused() -> None:
        for d, p in zip(starts, pauses, strict=True):
            reply_due(cal, d, rules, extension_days=10, pauses=p)

    return n / _best_of(3, plain), n / _best_of(3, paused)


def bench_tables(n: int) -> tuple[float, float]:
    """(seconds to fold n random cases — not a target, seconds for 表三+表四 of 2025 over them)."""
    t0 = time.perf_counter()
    states = random_states(n)
    fold_s = time.perf_counter() - t0
    return fold_s, _best_of(3, lambda: ledger_cells(states, 2025))


def random_lives(n: int, seed: int, prefix: str) -> list[tuple[str, Case]]:
    """`n` cases received 2023–2026 in the shipped calendar's range, as the core folds them."""
    rng = random.Random(seed)
    keys = ledger_keys()
    span = (LAST - date(2023, 1, 1)).days
    out = []
    for i in range(n):
        d0 = date(2023, 1, 1) + timedelta(days=rng.randrange(span))
        received = Received(d0, Channel.IN_PERSON, f"申请人{i % 500}", rng.choice(keys.applicant_columns))
        out.append((f"{prefix}{i:06d}", Case(f"{prefix}{i:06d}", (received, *random_events(rng, d0)))))
    return out


def bench_store(tables_n: int, list_n: int) -> dict[str, float]:
    """The store's readers on SQLite: `ledger tables` before (fold every case) and after (SQL), a case-list
    page before (fold every case for its deadlines) and after (the deadline columns)."""
    from xxgk.ledger.case import case_deadlines
    from xxgk.ledger.commands import late_replies, year_tables
    from xxgk.ledger.store import init_store
    from xxgk.ledger.store.agenda import deadline_items

    cal = builtin_calendar()
    out: dict[str, float] = {}
    today = date(2026, 6, 1)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XXGK_HOME"] = tmp
        t0 = time.perf_counter()
        big = init_store(db=Path(tmp) / "store.sqlite3", agency="大局", calendar=cal)
        with big.transaction():
            big.import_cases(random_lives(tables_n, 7, "T"))
        agency = init_store(db=Path(tmp) / "store.sqlite3", agency="本局", calendar=cal)
        with agency.transaction():
            agency.import_cases(random_lives(list_n, 8, "L"))
        out["build_s"] = time.perf_counter() - t0
        from xxgk.ledger.store.caselist import CaseQuery, case_list  # Django is set up by now

        t0 = time.perf_counter()
        states = big.states()
        before_cells = ledger_cells(states, 2025)
        before_late = late_replies(states, 2025, cal)
        out["tables_before_s"] = time.perf_counter() - t0
        report, late = year_tables(big, 2025)
        assert {k: report.cells[k].value for k in before_cells} == before_cells and late == before_late
        out["tables_after_s"] = _best_of(3, lambda: year_tables(big, 2025))

        t0 = time.perf_counter()
        rows = []
        for c in agency.cases(open_only=True):
            items = deadline_items(c.state, case_deadlines(c.state, cal), cal, today)
            urgent = min(items, key=lambda i: (i.days_left, i.due), default=None)
            if urgent is not None and urgent.days_left <= 3:
                rows.append((urgent.due, c.id))
        rows.sort(key=lambda r: r[0])  # soonest first, ties in receipt order
        out["list_before_s"] = time.perf_counter() - t0
        queries = {
            "list_page_s": CaseQuery(),
            "list_due_s": CaseQuery(due_within=3, order="due"),
            "list_search_s": CaseQuery(search="申请人12", year=2025, order="-received", offset=50),
            "list_last_page_s": CaseQuery(order="due", offset=list_n - 50),
        }
        for name, query in queries.items():
            out[name] = _best_of(5, lambda q=query: case_list(agency, q, today=today))  # type: ignore[misc]
        due = case_list(agency, queries["list_due_s"], today=today)
        assert [r.number for r in due.rows] == [n for _, n in rows][:50] and due.total == len(rows)

        # The one-time cost after a new calendar (or an upgrade): every case of the big agency recomputed.
        from xxgk.ledger.store import models as m

        m.Agency.objects.using(big.alias).filter(pk=big.agency_id).update(deadlines_key="")
        big._agency.deadlines_key = ""
        t0 = time.perf_counter()
        big.refresh_deadlines()
        out["refresh_s"] = time.perf_counter() - t0
    return out


def bench_import(n: int) -> tuple[float, float, float, float]:
    """(cases imported per second from an Excel 台账 of n rows: read + check + write, seconds the write
    transaction lasted: the time other writers may have to wait, seconds reading the sheet's values, the same
    with openpyxl as before)."""
    from xxgk.ledger.store import init_store
    from xxgk.ledger.xlsx import export_workbook, read_workbook, save_workbook, write_rows

    cal = builtin_calendar()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XXGK_HOME"] = tmp
        path = Path(tmp) / "台账.xlsx"
        rng = random.Random(2)
        cases = []
        for i in range(n):
            d0 = FIRST + timedelta(days=rng.randrange(600))
            received = Received(d0, Channel.IN_PERSON, f"申请人{i % 50}", "natural_person")
            cases.append(Case(f"A{i:06d}", (received, *random_events(rng, d0))))
        save_workbook(export_workbook(cases, calendar=cal), path)
        store = init_store(db=Path(tmp) / "import.sqlite3", agency="导入局", calendar=cal)
        t0 = time.perf_counter()
        plan = read_workbook(path, calendar=cal)  # read and checked outside any transaction
        t1 = time.perf_counter()
        with store.transaction():
            write_rows(store, plan)
        t2 = time.perf_counter()
        # Reading the sheet alone: the lxml reader the import uses, and openpyxl's read-only reader as before.
        from xxgk.ledger.xlsx import importing

        fast = _best_of(1, lambda: importing._sheet_rows(path))

        def with_openpyxl() -> None:
            wb, ws = importing._open_sheet(path)
            list(ws.iter_rows(values_only=True))
            wb.close()

        slow = _best_of(1, with_openpyxl)
    return len(plan.rows) / (t2 - t0), t2 - t1, fast, slow


def bench_appends(n: int) -> float:
    """Events appended per second through LedgerStore on SQLite, one transaction per case as the CLI does."""
    from xxgk.ledger.store import init_store

    rng = random.Random(2)
    cal = builtin_calendar()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XXGK_HOME"] = tmp
        store = init_store(db=Path(tmp) / "bench.sqlite3", agency="基准测试局", calendar=cal)
        lives = []
        for i in range(n):
            d0 = FIRST + timedelta(days=rng.randrange(600))
            received = Received(d0, Channel.IN_PERSON, f"申请人{i % 50}", "natural_person")
            lives.append((f"A{i:06d}", received, random_events(rng, d0)))
        count = 0
        t0 = time.perf_counter()
        for number, received, events in lives:
            with store.transaction():
                store.open_case(received, number)
                for e in events:
                    store.record(number, e)
            count += 1 + len(events)
        return count / (time.perf_counter() - t0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deadlines", type=int, default=200_000, help="deadlines per measurement (default 200000)")
    parser.add_argument("--cases", type=int, default=100_000, help="cases for 表三/表四 (default 100000)")
    parser.add_argument("--appends", type=int, default=1000, help="cases appended to SQLite (default 1000; 0 skips)")
    parser.add_argument("--store-cases", type=int, default=100_000, help="cases in the store for tables (0 skips)")
    parser.add_argument("--list-cases", type=int, default=10_000, help="cases of the listed agency (default 10000)")
    parser.add_argument("--import-rows", type=int, default=20_000, help="rows of the imported 台账 (0 skips)")
    parser.add_argument("--enforce", action="store_true", help="exit 1 below the targets")
    args = parser.parse_args()

    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    plain, paused = bench_deadlines(args.deadlines)
    print(f"deadlines: {plain:,.0f}/s reply_due (target >= {TARGET_DEADLINES_PER_S:,}/s)")
    print(f"           {paused:,.0f}/s with a consultation pause and an extension")
    fold_s, tables_s = bench_tables(args.cases)
    print(f"tables:    表三+表四 for {args.cases:,} cases in {tables_s:.3f} s (target <= {TARGET_TABLES_S} s)")
    print(f"           (folding the {args.cases:,} random cases from their events took {fold_s:.1f} s, not timed)")
    ok = plain >= TARGET_DEADLINES_PER_S and tables_s <= TARGET_TABLES_S
    if args.appends:
        appends = bench_appends(args.appends)
        print(f"sqlite:    {appends:,.0f} events/s appended through LedgerStore, one transaction per case (info)")
    if args.store_cases:
        r = bench_store(args.store_cases, args.list_cases)
        n, m = f"{args.store_cases:,}", f"{args.list_cases:,}"
        print(f"store:     (built {n} + {m} cases in SQLite in {r['build_s']:.0f} s, not timed)")
        print(
            f"           ledger tables for {n} cases: {r['tables_after_s']:.3f} s in SQL "
            f"(target <= {TARGET_STORE_TABLES_S} s); folding every case as before: {r['tables_before_s']:.1f} s"
        )
        target_ms = f"{TARGET_LIST_PAGE_S * 1000:.0f} ms"
        print(f"           case list of an agency with {m} cases, a page of 50 (target <= {target_ms}):")
        for key, what in (
            ("list_page_s", "first page, receipt order"),
            ("list_due_s", "due within 3 working days, soonest first"),
            ("list_search_s", "search + year filter, second page"),
            ("list_last_page_s", "last page by deadline"),
        ):
            print(f"             {r[key] * 1000:6.1f} ms  {what}")
        print(f"           the same 'due within 3' list by folding every case as before: {r['list_before_s']:.2f} s")
        refresh = f"{r['refresh_s']:.1f} s"
        print(f"           recomputing the deadlines of all {n} cases after a calendar change: {refresh} (once)")
        ok = ok and r["tables_after_s"] <= TARGET_STORE_TABLES_S
        ok = (
            ok
            and max(r[k] for k in ("list_page_s", "list_due_s", "list_search_s", "list_last_page_s"))
            <= TARGET_LIST_PAGE_S
        )
    if args.import_rows:
        imported, locked, fast, slow = bench_import(args.import_rows)
        print(
            f"import:    {imported:,.0f} cases/s imported from an Excel 台账 of {args.import_rows:,} rows "
            f"(read + check + write; target >= {TARGET_IMPORT_PER_S:,}/s)"
        )
        print(f"           the import's write transaction lasted {locked:.2f} s")
        print(f"           reading the sheet's values: {fast:.2f} s (with openpyxl, as before: {slow:.2f} s)")
        ok = ok and imported >= TARGET_IMPORT_PER_S
    if args.enforce and not ok:
        print("below target", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
