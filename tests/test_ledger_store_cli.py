"""`xxgk ledger …` through the real CLI app (typer CliRunner), on SQLite and, when available, PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from xxgk import check_report
from xxgk.cli import ledger as ledger_cli
from xxgk.cli.main import app
from xxgk.findings import Severity
from xxgk.ledger.calendar import builtin_calendar
from xxgk.ledger.case import Case
from xxgk.ledger.deadlines import Channel
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
from xxgk.ledger.store import open_store
from xxgk.ledger.store.bootstrap import close, resolve_target
from xxgk.ledger.tables import ledger_cells
from xxgk.report import Cell, CellState
from xxgk.write.template import dump_yaml, load_template, template_report

from .test_ledger_store import Backend, pg_server  # noqa: F401  (pg_server is a fixture)

D = date.fromisoformat
runner = CliRunner()
COMMAND = app


def _make_cli(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Result]:
    monkeypatch.setenv("XXGK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XXGK_DATABASE_URL", raising=False)
    if kind == "sqlite":
        backend = Backend("sqlite", db=tmp_path / "l.sqlite3")
        extra = ["--db", str(backend.db)]
    else:
        backend = Backend("postgresql", url=request.getfixturevalue("pg_server").new_database())
        monkeypatch.setenv("XXGK_DATABASE_URL", backend.url)
        extra = []

    def run(*args: str, code: int = 0) -> Result:
        r = runner.invoke(COMMAND, ["ledger", *args, *extra])
        assert r.exit_code == code, r.output
        return r

    run.backend = backend  # type: ignore[attr-defined]
    monkeypatch.setattr(ledger_cli.out, "width", 240)  # tables unwrapped, so the assertions see whole cells
    request.addfinalizer(lambda: close(resolve_target(backend.db, backend.url).alias))
    return run


@pytest.fixture(params=["sqlite", "postgresql"])
def cli(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Runs `xxgk ledger ARGS…` against a fresh ledger: SQLite through --db, PostgreSQL through XXGK_DATABASE_URL."""
    return _make_cli(request.param, request, tmp_path, monkeypatch)


@pytest.fixture
def sqlite_cli(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Result]:
    """The same on SQLite only, for tests of presentation rather than storage."""
    return _make_cli("sqlite", request, tmp_path, monkeypatch)


def _store(run: Callable[..., Result]) -> Any:
    b: Backend = run.backend  # type: ignore[attr-defined]
    return open_store(db=b.db, url=b.url, calendar=builtin_calendar())


# The same lives as test_ledger_store.SCENARIOS, entered as a 公开专员 would.
CLI_EVENTS: list[tuple[str, ...]] = [
    ("add", "--id", "a", "--received", "2024-03-01", "--applicant", "张三", "--type", "自然人", "--subject", "批复"),
    ("event", "a", "补正", "--date", "2024-03-05", "--reply-by", "2024-03-20"),
    ("event", "a", "收到补正", "--date", "2024-03-15"),
    ("event", "a", "延期", "--date", "2024-04-01", "--days", "10"),
    ("event", "a", "答复", "--date", "2024-04-20", "--outcome", "予以公开"),
    ("event", "a", "复议", "--date", "2024-05-10"),
    ("event", "a", "复议决定", "--date", "2024-07-01", "--result", "维持"),
    ("event", "a", "诉讼", "--date", "2024-07-10", "--after-review"),
    ("event", "a", "litigation_decided", "--date", "2024-11-20", "--result", "结果纠正"),
    (
        "add",
        "--id",
        "b",
        "--received",
        "2024-05-06",
        "--applicant",
        "某公司",
        "--type",
        "商业企业",
        "--channel",
        "网络",
        "--confirmed",
        "2024-05-08",
    ),
    ("event", "b", "补正", "--date", "2024-05-08", "--reply-by", "2024-05-20"),
    ("event", "b", "逾期未补正", "--date", "2024-05-21"),
    ("add", "--id", "c", "--received", "2024-06-03", "--applicant", "某研究所", "--type", "科研机构"),
    ("event", "c", "收费通知", "--date", "2024-06-05", "--pages", "120"),
    ("event", "c", "未缴费", "--date", "2024-07-10"),
    ("add", "--id", "d", "--received", "2024-09-02", "--applicant", "李四", "--type", "natural_person"),
    ("event", "d", "征求意见", "--date", "2024-09-03", "--party", "第三方", "--ref", "A"),
    ("event", "d", "征求意见", "--date", "2024-09-04", "--party", "机关", "--ref", "B"),
    ("event", "d", "征求意见答复", "--date", "2024-09-10", "--ref", "A"),
    ("event", "d", "意见答复", "--date", "2024-09-12", "--ref", "B"),
    ("event", "d", "收费通知", "--date", "2024-09-13", "--amount", "100", "--method", "按件"),
    ("event", "d", "缴费", "--date", "2024-09-20"),
    ("event", "d", "答复", "--date", "2024-09-27", "--outcome", "保护第三方合法权益"),
    ("event", "d", "诉讼", "--date", "2024-10-15", "--direct"),
    ("add", "--id", "e", "--received", "2024-10-08", "--applicant", "王五", "--type", "其他"),
    ("event", "e", "撤回", "--date", "2024-10-09"),
    ("add", "--id", "f", "--received", "2024-12-02", "--applicant", "赵六", "--type", "法律服务机构"),
    ("event", "f", "答复", "--date", "2024-12-05", "--outcome", "本机关不掌握相关政府信息"),
    ("event", "f", "作废", "--date", "2024-12-06", "--target", "1", "--reason", "误登"),
    ("event", "f", "答复", "--date", "2024-12-06", "--outcome", "not_handled_duplicate"),
    ("add", "--id", "g", "--received", "2024-12-27", "--applicant", "钱七", "--type", "社会公益组织"),
]

EXPECTED: dict[str, list[Event]] = {
    "a": [
        Received(D("2024-03-01"), Channel.IN_PERSON, "张三", "natural_person", subject="批复"),
        CorrectionRequested(D("2024-03-05"), reply_by=D("2024-03-20")),
        CorrectionReceived(D("2024-03-15")),
        ExtensionApproved(D("2024-04-01"), days=10),
        Replied(D("2024-04-20"), outcome="granted"),
        ReviewFiled(D("2024-05-10")),
        ReviewDecided(D("2024-07-01"), result="upheld"),
        LitigationFiled(D("2024-07-10"), after_review=True),
        LitigationDecided(D("2024-11-20"), result="corrected"),
    ],
    "b": [
        Received(D("2024-05-06"), Channel.ONLINE, "某公司", "commercial_enterprise", confirmed_on=D("2024-05-08")),
        CorrectionRequested(D("2024-05-08"), reply_by=D("2024-05-20")),
        CorrectionLapsed(D("2024-05-21")),
    ],
    "c": [
        Received(D("2024-06-03"), Channel.IN_PERSON, "某研究所", "research_institution"),
        FeeNoticeIssued(D("2024-06-05"), amount=Decimal(1100), method="per_page", pages=120),
        FeeNotPaid(D("2024-07-10")),
    ],
    "d": [
        Received(D("2024-09-02"), Channel.IN_PERSON, "李四", "natural_person"),
        ConsultationSent(D("2024-09-03"), party="third_party", ref="A"),
        ConsultationSent(D("2024-09-04"), party="agency", ref="B"),
        ConsultationAnswered(D("2024-09-10"), ref="A"),
        ConsultationAnswered(D("2024-09-12"), ref="B"),
        FeeNoticeIssued(D("2024-09-13"), amount=Decimal(100)),
        FeePaid(D("2024-09-20")),
        Replied(D("2024-09-27"), outcome="withheld_third_party"),
        LitigationFiled(D("2024-10-15")),
    ],
    "e": [Received(D("2024-10-08"), Channel.IN_PERSON, "王五", "other_org"), Withdrawn(D("2024-10-09"))],
    "f": [
        Received(D("2024-12-02"), Channel.IN_PERSON, "赵六", "legal_service_org"),
        Replied(D("2024-12-05"), outcome="unable_not_held"),
        Voided(D("2024-12-06"), target=1, reason="误登"),
        Replied(D("2024-12-06"), outcome="not_handled_duplicate"),
    ],
    "g": [Received(D("2024-12-27"), Channel.IN_PERSON, "钱七", "public_interest_org")],
}


def _enter_all(run: Callable[..., Result]) -> None:
    run("init", "--agency", "某某市某某局", "--user", "管理员")
    for args in CLI_EVENTS:
        run(*args, "--user", "专员")


def test_every_event_type_through_the_cli_equals_the_core(cli: Callable[..., Result]) -> None:
    _enter_all(cli)
    store = _store(cli)
    expected = {cid: Case(cid, tuple(events)) for cid, events in EXPECTED.items()}
    loaded = {c.id: c for c in store.cases()}
    assert loaded == expected
    assert {k: c.state for k, c in loaded.items()} == {k: c.state for k, c in expected.items()}
    audit = store.audit()
    assert len(audit) == 1 + len(CLI_EVENTS)
    assert audit[0].user == "管理员" and {a.user for a in audit[1:]} == {"专员"}


def test_rejected_event_exits_2_and_writes_nothing(cli: Callable[..., Result]) -> None:
    cli("init", "--agency", "某局")
    cli("add", "--id", "x", "--received", "2025-03-03", "--applicant", "张三", "--type", "自然人")
    cli("event", "x", "答复", "--date", "2025-03-10", "--outcome", "予以公开")
    before = len(_store(cli).audit())
    r = cli("event", "x", "答复", "--date", "2025-03-11", "--outcome", "部分公开", code=2)
    assert "无法登记：本申请已于2025-03-10办结" in r.output
    r = cli("event", "x", "撤回", "--date", "2025-03-01", code=2)
    assert "早于收到申请日期" in r.output
    r = cli("event", "x", "答复", "--date", "2025-03-11", "--days", "3", code=2)
    assert "没有选项 --days" in r.output
    r = cli("event", "x", "答复", "--date", "2025-03-11", code=2)
    assert "须给出 --outcome" in r.output
    r = cli("event", "x", "答复", "--date", "2025-03-11", "--outcome", "满意", code=2)
    assert "未知的答复类型（表三办理结果）「满意」" in r.output
    r = cli("event", "x", "催办", "--date", "2025-03-11", code=2)
    assert "未知的事件类型「催办」" in r.output
    r = cli("event", "nope", "撤回", "--date", "2025-03-11", code=2)
    assert "没有编号为nope的案件" in r.output
    r = cli("add", "--received", "2025-03-03", "--applicant", "甲", "--type", "外星人", code=2)
    assert "未知的申请人类型「外星人」" in r.output
    r = cli("add", "--received", "2025-03-03", "--applicant", "甲", "--type", "自然人", "--channel", "网络", code=2)
    assert "请给出确认日期" in r.output
    cli("add", "--received", "2025-02-30", "--applicant", "甲", "--type", "自然人", code=2)
    store = _store(cli)
    assert len(store.audit()) == before and store.numbers() == ["x"]
    assert len(store.case("x").events) == 2


def test_uninitialised_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_HOME", str(tmp_path))
    monkeypatch.delenv("XXGK_DATABASE_URL", raising=False)
    r = runner.invoke(COMMAND, ["ledger", "list"])
    assert r.exit_code == 2 and "请先运行 xxgk ledger init" in r.output
    assert not (tmp_path / "ledger.sqlite3").exists()
    r = runner.invoke(COMMAND, ["ledger", "init", "--agency", "某局"])  # default location: $XXGK_HOME/ledger.sqlite3
    assert r.exit_code == 0 and (tmp_path / "ledger.sqlite3").exists()
    close(resolve_target().alias)


def test_list_show_due_and_audit(sqlite_cli: Callable[..., Result]) -> None:
    cli = sqlite_cli
    _enter_all(cli)
    r = cli("list")
    assert "共 7 件，其中未办结 1 件" in r.output and "某研究所" in r.output
    r = cli("list", "--open")
    assert "共 1 件" in r.output and "钱七" in r.output
    r = cli("list", "--year", "2025")
    assert "共 1 件" in r.output
    r = cli("show", "c")
    assert "逾期未缴费" in r.output and "合计1100元" in r.output and "逾期未缴" in r.output
    r = cli("show", "f")
    assert "已作废" in r.output and "误登" in r.output
    r = cli("show", "a")
    assert "2024-03-15 重新起算" in r.output and "复议后起诉" in r.output
    r = cli("show", "g", "--today", "2024-12-30")
    assert "答复期限" in r.output and "2025-01-" in r.output
    r = cli("due", "--today", "2025-02-10", "--within", "5")
    assert "已逾期" in r.output and "g" in r.output and "共 1 项，其中已逾期 1 项" in r.output
    r = cli("due", "--today", "2024-12-30", "--within", "6")  # g's 补正通知 window ends 2025-01-08, 6 working days on
    assert "共 1 项，其中已逾期 0 项" in r.output and "剩余6个工作日" in r.output and "2025-01-08" in r.output
    r = cli("due", "--today", "2024-12-30", "--within", "5")
    assert "共 0 项" in r.output
    r = cli("audit", "f")
    assert "登记事件" in r.output and "作废事件" in r.output


def test_fee_notice_amount_is_computed_when_omitted(sqlite_cli: Callable[..., Result]) -> None:
    cli = sqlite_cli
    cli("init", "--agency", "某局")
    for i in range(12):
        cli("add", "--id", f"k{i}", "--received", f"2025-03-{i + 3:02d}", "--applicant", "孙八", "--type", "自然人")
    r = cli("event", "k11", "收费通知", "--date", "2025-03-20")
    assert "100元（按件计收）" in r.output  # the 12th request of the month: 100 元
    r = cli("event", "k0", "收费通知", "--date", "2025-03-20")
    assert "0元（按件计收）" in r.output
    r = cli("event", "k1", "收费通知", "--date", "2025-03-20", "--method", "按量", code=2)
    assert "须给出 --pages" in r.output


def test_tables_from_the_ledger_load_and_pass_the_checker(cli: Callable[..., Result], tmp_path: Path) -> None:
    _enter_all(cli)
    states = [c.state for c in _store(cli).cases()]
    for suffix in (".yaml", ".json", ".xlsx"):
        out = tmp_path / f"report{suffix}"
        r = cli("tables", "--year", "2024", "-o", str(out))
        assert "2024年表三：新收7件，上年结转0件，办结6件，结转下年度1件" in r.output
        report = load_template(out)
        assert report.meta.agency == "某某市某某局" and report.meta.year == 2024
        for key, value in ledger_cells(states, 2024).items():
            assert report.value(key) == value, key
        if suffix == ".yaml":
            errors = [f for f in check_report(report) if f.code.startswith("C0") and f.severity is Severity.ERROR]
            assert errors == []
    r = cli("tables", "--year", "2024")  # YAML on stdout
    assert "new_received:" in r.output


def test_tables_merge_into_an_existing_template(sqlite_cli: Callable[..., Result], tmp_path: Path) -> None:
    cli = sqlite_cli
    _enter_all(cli)
    filled = template_report("某某市某某局", 2024)
    filled.sections["s1_overview"].text = "本机关认真贯彻落实《条例》。"
    filled.cells["t2.regulations.issued"] = Cell("t2.regulations.issued", 3, CellState.NUMBER, "3")
    src = tmp_path / "filled.yaml"
    src.write_text(dump_yaml(filled), "utf-8")
    out = tmp_path / "merged.yaml"
    cli("tables", "--year", "2024", "--template", str(src), "-o", str(out))
    merged = load_template(out)
    assert merged.sections["s1_overview"].text == "本机关认真贯彻落实《条例》。"
    assert merged.value("t2.regulations.issued") == 3
    assert merged.value("t3.new_received.total") == 7 and merged.value("t4.review.upheld") == 1
    r = cli("tables", "--year", "2025", "--template", str(src), code=2)
    assert "与 --year 2025 不一致" in r.output
