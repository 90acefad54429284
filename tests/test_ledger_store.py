"""The ledger store (Django app): rows ↔ core events, validation, audit trail, concurrency, SQLite and PostgreSQL.

Every store test runs on SQLite in a tmp dir and, when the PostgreSQL binaries and psycopg are present, on a
throwaway PostgreSQL server started by the `pg_server` fixture (initdb as the `postgres` user when run as root).
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from xxgk.ledger.calendar import builtin_calendar
from xxgk.ledger.case import Case
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
    LitigationDecided,
    LitigationFiled,
    Received,
    Replied,
    ReviewDecided,
    ReviewFiled,
    Voided,
    Withdrawn,
)
from xxgk.ledger.store import StoreError, init_store, open_store, parse_database_url
from xxgk.ledger.store.bootstrap import close, resolve_target
from xxgk.ledger.tables import ledger_cells

from .test_ledger_tables import cases as random_cases

ROOT = Path(__file__).resolve().parents[1]
D = date.fromisoformat
AGENCY = "某某市某某局"

# ---------------------------------------------------------------------------------------------
# A throwaway PostgreSQL server


def _pg_bindir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    return None


@dataclass
class PgServer:
    host: str
    port: int
    _names: Iterator[int]

    def new_database(self) -> str:
        """A fresh empty database; returns its URL."""
        import psycopg

        name = f"xxgk_t{next(self._names)}"
        with psycopg.connect(f"host={self.host} port={self.port} user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(f"CREATE DATABASE {name}")
        return f"postgresql://postgres@{self.host}:{self.port}/{name}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


_PG: list[PgServer] = []  # one server per test session, even when another module imports the fixture


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    if _PG:
        yield _PG[0]
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg 未安装（pip install 'xxgk[postgres]'）")
    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip("没有找到 PostgreSQL 的 initdb/pg_ctl（Debian：apt-get install postgresql）")
    prefix: list[str] = []
    workdir = Path(tempfile.mkdtemp(prefix="xxgk-pg-"))
    if os.geteuid() == 0:  # postgres refuses to run as root: run it as the postgres user
        import pwd

        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("以 root 运行且没有 postgres 用户，无法启动 PostgreSQL")
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.skip("以 root 运行且没有 runuser，无法以 postgres 用户启动 PostgreSQL")
        prefix = [runuser, "-u", "postgres", "--"]
        os.chown(workdir, pw.pw_uid, pw.pw_gid)
    data, log = workdir / "data", workdir / "log"
    init = subprocess.run(
        [*prefix, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"],
        capture_output=True,
        text=True,
    )
    if init.returncode != 0:
        shutil.rmtree(workdir, ignore_errors=True)
        pytest.skip(f"initdb 失败：{init.stderr.strip()[-300:]}")
    # Parallel test workers (pytest-xdist) each start their own server in their own directory; a
    # free port can still be taken by another worker before this server binds it, so try again.
    for _attempt in range(3):
        port = _free_port()
        opts = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        start = subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "30", "-o", opts, "start"],
            capture_output=True,
            text=True,
        )
        if start.returncode == 0:
            break
    else:
        shutil.rmtree(workdir, ignore_errors=True)
        pytest.skip(f"PostgreSQL 启动失败：{start.stderr.strip()[-300:]}")
    _PG.append(PgServer("127.0.0.1", port, itertools.count(1)))
    try:
        yield _PG[0]
    finally:
        _PG.clear()
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(workdir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Backends: every store test runs on both


@dataclass
class Backend:
    name: str
    db: Path | None = None
    url: str | None = None

    def kwargs(self) -> dict[str, Any]:
        return {"db": self.db, "url": self.url}

    def env(self) -> dict[str, str]:
        return {"XXGK_DATABASE_URL": self.url} if self.url else {}


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Backend]:
    monkeypatch.setenv("XXGK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XXGK_DATABASE_URL", raising=False)
    if request.param == "sqlite":
        b = Backend("sqlite", db=tmp_path / "ledger.sqlite3")
    else:
        server: PgServer = request.getfixturevalue("pg_server")
        b = Backend("postgresql", url=server.new_database())
    yield b
    close(resolve_target(b.db, b.url).alias)


@pytest.fixture
def new_store(backend: Backend) -> Callable[..., Any]:
    """Opens the backend's ledger (initialising it on first use) as `user`."""
    state = {"initialised": False}

    def make(user: str = "tester") -> Any:
        if not state["initialised"]:
            state["initialised"] = True
            return init_store(agency=AGENCY, user=user, calendar=builtin_calendar(), **backend.kwargs())
        return open_store(user=user, calendar=builtin_calendar(), **backend.kwargs())

    return make


# ---------------------------------------------------------------------------------------------
# Scenarios covering every event type


def _received(on: str, who: str = "张三", kind: str = "natural_person", **kw: Any) -> Received:
    return Received(D(on), kw.pop("channel", Channel.IN_PERSON), who, kind, **kw)


SCENARIOS: dict[str, list[Event]] = {
    "granted-after-correction": [
        _received("2024-03-01", subject="某项目批复文件"),
        CorrectionRequested(D("2024-03-05"), reply_by=D("2024-03-20")),
        CorrectionReceived(D("2024-03-15")),
        ExtensionApproved(D("2024-04-01"), days=10),
        Replied(D("2024-04-20"), outcome="granted"),
        ReviewFiled(D("2024-05-10")),
        ReviewDecided(D("2024-07-01"), result="upheld"),
        LitigationFiled(D("2024-07-10"), after_review=True),
        LitigationDecided(D("2024-11-20"), result="corrected"),
    ],
    "lapsed": [
        _received(
            "2024-05-06", "某公司", "commercial_enterprise", channel=Channel.ONLINE, confirmed_on=D("2024-05-07")
        ),
        CorrectionRequested(D("2024-05-08"), reply_by=D("2024-05-20")),
        CorrectionLapsed(D("2024-05-21")),
    ],
    "fee-unpaid": [
        _received("2024-06-03", "某研究所", "research_institution"),
        FeeNoticeIssued(D("2024-06-05"), amount=Decimal(1100), method="per_page", pages=120),
        FeeNotPaid(D("2024-07-10")),
    ],
    "fee-paid-consulted": [
        _received("2024-09-02", "李四"),
        ConsultationSent(D("2024-09-03"), party="third_party", ref="A"),
        ConsultationSent(D("2024-09-04"), party="agency", ref="B"),
        ConsultationAnswered(D("2024-09-10"), ref="A"),
        ConsultationAnswered(D("2024-09-12"), ref="B"),
        FeeNoticeIssued(D("2024-09-13"), amount=Decimal(100)),
        FeePaid(D("2024-09-20")),
        Replied(D("2024-09-27"), outcome="withheld_third_party"),
        LitigationFiled(D("2024-10-15")),
    ],
    "withdrawn": [_received("2024-10-08", "王五", "other_org"), Withdrawn(D("2024-10-09"))],
    "voided-and-redone": [
        _received("2024-12-02", "赵六", "legal_service_org"),
        Replied(D("2024-12-05"), outcome="unable_not_held"),
        Voided(D("2024-12-06"), target=1, reason="误登为不掌握"),
        Replied(D("2024-12-06"), outcome="not_handled_duplicate"),
    ],
    "open-at-year-end": [_received("2024-12-27", "钱七", "public_interest_org")],
}


def _store_scenarios(store: Any) -> dict[str, Case]:
    """Record every scenario through the store; returns the pure-core cases built alongside."""
    cores: dict[str, Case] = {}
    for name, events in SCENARIOS.items():
        with store.transaction():
            store.open_case(events[0], name)
        core = Case.open(name, events[0])  # type: ignore[arg-type]
        for e in events[1:]:
            store.record(name, e)
            core = core.append(e, calendar=builtin_calendar())
        cores[name] = core
    return cores


def _counts(store: Any) -> tuple[int, int, int]:
    from xxgk.ledger.store import models as m

    a = store.alias
    return m.Case.objects.using(a).count(), m.Event.objects.using(a).count(), m.AuditEntry.objects.using(a).count()


# ---------------------------------------------------------------------------------------------
# Tests


def test_round_trip_matches_the_pure_core(new_store: Callable[..., Any], backend: Backend) -> None:
    cores = _store_scenarios(new_store())
    close(resolve_target(backend.db, backend.url).alias)  # reload from the database, new connection
    store = new_store("reader")
    loaded = {c.id: c for c in store.cases()}
    assert loaded == cores  # same ids and the very same events, in order
    for name, core in cores.items():
        assert loaded[name].state == core.state
        assert store.case(name).state == core.state
    states = [c.state for c in cores.values()]
    for year in (2023, 2024, 2025):
        assert ledger_cells(store.states(), year) == ledger_cells(states, year)
    assert ledger_cells(states, 2024)["t3.carried_over_out.total"] == 1
    assert [c.id for c in store.cases(open_only=True)] == ["open-at-year-end"]
    assert {c.id for c in store.cases(year=2025)} == {"open-at-year-end"}


def test_stored_projection_follows_the_events(new_store: Callable[..., Any]) -> None:
    from xxgk.ledger.store import models as m

    store = new_store()
    _store_scenarios(store)
    row = m.Case.objects.using(store.alias).get(number="voided-and-redone")
    assert (row.status, row.outcome, row.closed_on, row.event_count) == (
        "closed",
        "not_handled_duplicate",
        D("2024-12-06"),
        4,
    )
    stored = store.get("voided-and-redone")
    assert [r.voided_by for r in stored.records] == [None, 2, None, None]
    assert stored.records[0].recorded_by == "tester"


def test_rejected_event_leaves_no_row_and_no_audit_entry(new_store: Callable[..., Any]) -> None:
    store = new_store()
    with store.transaction():
        store.open_case(_received("2025-03-03"), "c1")
    store.record("c1", Replied(D("2025-03-10"), outcome="granted"))
    before = _counts(store)
    bad: list[Event] = [
        Replied(D("2025-03-11"), outcome="granted"),  # a second final reply
        CorrectionRequested(D("2025-03-01")),  # before receipt
        ReviewDecided(D("2025-04-01"), result="upheld"),  # decision without a review
        Voided(D("2025-03-12"), target=7),
    ]
    for e in bad:
        with pytest.raises(LedgerError) as info:
            store.record("c1", e)
        assert "案件c1" in info.value.message
    with pytest.raises(LedgerError, match="未知的申请人类型"), store.transaction():
        store.open_case(_received("2025-03-03", kind="alien"), "c2")
    with pytest.raises(StoreError, match="已存在"), store.transaction():
        store.open_case(_received("2025-03-04"), "c1")
    assert _counts(store) == before
    # Inside one enclosing transaction, a rejection rolls back to its savepoint and work goes on.
    with store.transaction():
        with pytest.raises(LedgerError):
            store.record("c1", Withdrawn(D("2025-03-12")))
        store.open_case(_received("2025-03-05"), "c3")
    assert _counts(store) == (before[0] + 1, before[1] + 1, before[2] + 1)


def test_fee_not_paid_before_the_window_ends_is_rejected(new_store: Callable[..., Any]) -> None:
    store = new_store()
    with store.transaction():
        store.open_case(_received("2025-03-03"), "f")
    store.record("f", FeeNoticeIssued(D("2025-03-05"), amount=Decimal(100)))
    with pytest.raises(LedgerError, match="缴费期限至2025-04-02"):
        store.record("f", FeeNotPaid(D("2025-03-20")))
    store.record("f", FeeNotPaid(D("2025-04-03")))
    assert store.case("f").state.outcome == "other_fee_unpaid"


def test_audit_trail_has_one_entry_per_write(new_store: Callable[..., Any]) -> None:
    store = new_store("甲")
    with store.transaction():
        store.open_case(_received("2025-03-03"), "a1")
    other = new_store("乙")
    other.record("a1", ExtensionApproved(D("2025-03-20"), days=5))
    other.record("a1", Replied(D("2025-04-10"), outcome="partially_granted"))
    audit = other.audit()
    assert [(a.user, a.action, a.case, a.event_seq) for a in audit] == [
        ("甲", "init", None, None),
        ("甲", "open_case", "a1", 0),
        ("乙", "record_event", "a1", 1),
        ("乙", "record_event", "a1", 2),
    ]
    assert audit[2].detail == {"kind": "extension_approved", "on": "2025-03-20", "days": 5}
    assert all(a.at.tzinfo is not None for a in audit)
    assert [a.event_seq for a in other.audit("a1")] == [0, 1, 2]


def test_events_and_audit_rows_are_append_only(new_store: Callable[..., Any]) -> None:
    from xxgk.ledger.store import models as m

    store = new_store()
    with store.transaction():
        store.open_case(_received("2025-03-03"), "x")
    row = m.Event.objects.using(store.alias).get(case__number="x")
    row.kind = "withdrawn"
    with pytest.raises(StoreError, match="只能追加"):
        row.save(using=store.alias)
    with pytest.raises(StoreError):
        m.Event.objects.using(store.alias).filter(case__number="x").update(kind="withdrawn")
    with pytest.raises(StoreError):
        m.AuditEntry.objects.using(store.alias).all().delete()
    assert store.case("x").state.status.value == "open"


def test_automatic_case_numbers(new_store: Callable[..., Any]) -> None:
    store = new_store()
    with store.transaction():
        ids = [store.open_case(_received(d)).id for d in ("2024-12-30", "2025-01-02", "2025-01-03")]
        store.open_case(_received("2025-01-04"), "2025-0003")  # taken by hand: the next automatic number skips it
        ids.append(store.open_case(_received("2025-01-05")).id)
    assert ids == ["2024-0001", "2025-0001", "2025-0002", "2025-0004"]
    with pytest.raises(StoreError, match="案件编号"), store.transaction():
        store.open_case(_received("2025-01-05"), "a b")


def test_opening_a_ledger_that_does_not_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_HOME", str(tmp_path))
    with pytest.raises(StoreError, match="请先运行 xxgk ledger init"):
        open_store(db=tmp_path / "nothing.sqlite3")
    with pytest.raises(StoreError, match="还没有机关"):
        init_store(db=tmp_path / "new.sqlite3")
    store = init_store(db=tmp_path / "new.sqlite3", agency="甲局")
    init_store(db=tmp_path / "new.sqlite3", agency="乙局")
    with pytest.raises(StoreError, match="多个机关"):
        open_store(db=tmp_path / "new.sqlite3")
    assert open_store(db=tmp_path / "new.sqlite3", agency="甲局").agency == store.agency == "甲局"
    with pytest.raises(StoreError, match="没有机关「丙局」"):
        open_store(db=tmp_path / "new.sqlite3", agency="丙局")
    assert (tmp_path / "new.sqlite3").exists()
    import sqlite3

    with sqlite3.connect(tmp_path / "new.sqlite3") as c:
        assert c.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    close(resolve_target(tmp_path / "new.sqlite3").alias)


def test_default_location_and_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_HOME", str(tmp_path))
    monkeypatch.delenv("XXGK_DATABASE_URL", raising=False)
    assert resolve_target().display == str(tmp_path / "ledger.sqlite3")
    monkeypatch.setenv("XXGK_DATABASE_URL", "postgresql://u:p@db.example:6543/ledger")
    assert resolve_target().engine == "postgresql"
    assert resolve_target(db=tmp_path / "x.sqlite3").engine == "sqlite"  # --db wins


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgresql://xxgk:s%40cret@db.example.org:5433/ledger?sslmode=require",
            {"USER": "xxgk", "PASSWORD": "s@cret", "HOST": "db.example.org", "PORT": "5433", "NAME": "ledger"},
        ),
        ("postgres://localhost/ledger", {"USER": "", "HOST": "localhost", "PORT": "", "NAME": "ledger"}),
        ("postgresql://u@%2Fvar%2Frun%2Fpostgresql/l", {"HOST": "/var/run/postgresql", "NAME": "l"}),
        ("postgresql:///l?host=/tmp/Sock&port=5444", {"HOST": "/tmp/Sock", "PORT": "5444", "NAME": "l"}),
        ("postgresql://u:p@[::1]:5432/l", {"HOST": "::1", "PORT": "5432"}),
    ],
)
def test_parse_database_url(url: str, expected: dict[str, str]) -> None:
    target = parse_database_url(url)
    assert {k: target.config[k] for k in expected} == expected
    assert "s@cret" not in target.display and "s%40cret" not in target.display
    if "sslmode" in url:
        assert target.config["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize(
    ("url", "message"),
    [("mysql://u@h/db", "postgresql://"), ("postgresql://h:port/db", "端口"), ("postgresql://h:5432/", "数据库名")],
)
def test_bad_database_url(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        parse_database_url(url)


WRITER = """
import sys
from datetime import date
from xxgk.ledger.calendar import builtin_calendar
from xxgk.ledger.deadlines import Channel
from xxgk.ledger.events import ConsultationAnswered, ConsultationSent, ExtensionApproved, Received, Replied
from xxgk.ledger.store import open_store

db, url, tag, n = sys.argv[1] or None, sys.argv[2] or None, sys.argv[3], int(sys.argv[4])
store = open_store(db=db, url=url, user=tag, calendar=builtin_calendar())
for i in range(n):
    with store.transaction():
        case = store.open_case(Received(date(2025, 3, 3), Channel.IN_PERSON, tag, "natural_person"))
    store.record(case.id, ExtensionApproved(date(2025, 3, 10), days=5))
    store.record(case.id, Replied(date(2025, 3, 20), outcome="granted"))
    store.record("shared", ConsultationSent(date(2025, 3, 4), ref=f"{tag}{i}"))
    store.record("shared", ConsultationAnswered(date(2025, 3, 5), ref=f"{tag}{i}"))
"""


def test_concurrent_writers_do_not_corrupt(new_store: Callable[..., Any], backend: Backend, tmp_path: Path) -> None:
    from xxgk.ledger.store import models as m

    store = new_store()
    with store.transaction():
        store.open_case(_received("2025-03-03"), "shared")
    n = 15
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "XXGK_HOME": str(tmp_path / "home")}
    args = [str(backend.db or ""), backend.url or ""]
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, *args, tag, str(n)], env=env, stderr=subprocess.PIPE, text=True)
        for tag in ("p", "q")
    ]
    for p in procs:
        _, stderr = p.communicate(timeout=120)
        assert p.returncode == 0, stderr
    a = store.alias
    assert m.Case.objects.using(a).count() == 2 * n + 1
    numbers = sorted(store.numbers())
    assert numbers[: 2 * n] == [f"2025-{i:04d}" for i in range(1, 2 * n + 1)]
    for c in store.cases():
        seqs = list(m.Event.objects.using(a).filter(case__number=c.id).order_by("seq").values_list("seq", flat=True))
        assert seqs == list(range(len(c.events)))
    shared = store.case("shared")
    assert len(shared.events) == 1 + 2 * 2 * n and len(shared.state.consultations) == 2 * n
    writes = 1 + 1 + 2 * n * 5  # init, shared case, 5 writes per iteration and process
    assert m.AuditEntry.objects.using(a).count() == writes
    assert {u for u in m.AuditEntry.objects.using(a).values_list("user", flat=True)} == {"tester", "p", "q"}
    if backend.name == "sqlite":
        import sqlite3

        with sqlite3.connect(backend.db) as c:  # type: ignore[arg-type]
            assert c.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_ledgers_round_trip(data: st.DataObject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_HOME", str(tmp_path / "home"))
    db = tmp_path / f"r{next(_RUN)}.sqlite3"
    store = init_store(db=db, agency=AGENCY, calendar=builtin_calendar())
    cores = [data.draw(random_cases(f"c{i}")) for i in range(data.draw(st.integers(1, 6)))]
    for core in cores:  # the store checks with the calendar too (逾期未缴费 only once the payment window is over)
        try:
            checked = Case.open(core.id, core.events[0])  # type: ignore[arg-type]
            for e in core.events[1:]:
                checked = checked.append(e, calendar=builtin_calendar())
        except LedgerError:
            assume(False)
    for core in cores:
        with store.transaction():
            store.open_case(core.events[0], core.id)  # type: ignore[arg-type]
            for e in core.events[1:]:
                store.record(core.id, e)
    close(store.alias)
    loaded = open_store(db=db).cases()
    assert sorted(loaded, key=lambda c: c.id) == sorted(cores, key=lambda c: c.id)
    for year in (2022, 2024, 2025):
        assert ledger_cells([c.state for c in loaded], year) == ledger_cells([c.state for c in cores], year)
    close(store.alias)


_RUN = itertools.count()


def test_read_check_and_render_never_import_django() -> None:
    code = (
        "import sys\n"
        "import xxgk, xxgk.api, xxgk.readers, xxgk.write, xxgk.checker, xxgk.ledger, xxgk.ledger.store, xxgk.cli.main\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not bad, bad\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
