"""The Excel 台账: export → import round trip, header matching, every bad input, all or nothing (injected failure
and a killed process), and `ledger list --overdue / --due-within`."""

from __future__ import annotations

import dataclasses
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.db.utils import OperationalError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import Result

from xxgk.ledger.calendar import builtin_calendar
from xxgk.ledger.case import Case, CaseState
from xxgk.ledger.deadlines import Channel
from xxgk.ledger.errors import LedgerError
from xxgk.ledger.events import (
    ConsultationAnswered,
    ConsultationSent,
    CorrectionReceived,
    CorrectionRequested,
    FeeNoticeIssued,
    FeePaid,
    Received,
    Replied,
    ReviewFiled,
)
from xxgk.ledger.keys import ledger_keys
from xxgk.ledger.store import init_store, open_store
from xxgk.ledger.store.bootstrap import close
from xxgk.ledger.xlsx import (
    COLUMNS,
    XlsxImportError,
    export_workbook,
    header_names,
    outcome_label,
    read_workbook,
    save_workbook,
    split_header,
)

from .test_ledger_store import pg_server  # noqa: F401  (fixture used by _make_cli)
from .test_ledger_store_cli import CLI_EVENTS, _make_cli
from .test_ledger_tables import cases as random_cases

ROOT = Path(__file__).resolve().parents[1]
D = date.fromisoformat
KEYS = ledger_keys()
CAL = builtin_calendar()
Run = Callable[..., Result]


# ---------------------------------------------------------------------------------------------
# Helpers


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_cli(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """`xxgk ledger ARGS…` on a fresh ledger, SQLite and (when available) PostgreSQL."""
    return _make_cli(request.param, request, tmp_path, monkeypatch)


@pytest.fixture
def lite_cli(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    return _make_cli("sqlite", request, tmp_path, monkeypatch)


def normalized(s: CaseState) -> CaseState:
    """A state without the consultation and 复议/诉讼 numbers, which the 台账 does not carry (import renumbers)."""
    return dataclasses.replace(
        s,
        consultations=tuple(dataclasses.replace(c, ref="") for c in s.consultations),
        proceedings=tuple(dataclasses.replace(p, ref="") for p in s.proceedings),
    )


def sheet_values(path: Path) -> list[tuple[Any, ...]]:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    return [tuple(row) for row in ws.iter_rows(values_only=True)]


def write_sheet(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


HEADER = ("案件编号", "申请人", "申请人类型", "收到日期", "申请方式", "答复日期", "答复类型")


def good_row(number: str = "x1", **changes: Any) -> list[Any]:
    row = dict(
        zip(HEADER, (number, "张三", "自然人", date(2025, 3, 3), "当面", date(2025, 3, 20), "予以公开"), strict=True)
    )
    row.update(changes)
    return [row[h] for h in HEADER]


def many_cases(n: int) -> list[Case]:
    """`n` valid cases with corrections, consultations, fees, replies and reviews (deterministic)."""
    rows = [r for r in KEYS.outcome_rows if r not in ("other_no_correction", "other_fee_unpaid")]
    rows.remove("unable_unclear_after_correction")
    out = []
    for i in range(n):
        d0 = date(2024, 1, 2) + timedelta(days=i % 600)
        kind = KEYS.applicant_columns[i % len(KEYS.applicant_columns)]
        c = Case.open(f"K-{i:06d}", Received(d0, Channel.IN_PERSON, f"申请人{i % 97}", kind, subject=f"事项{i}"))
        if i % 5 == 1:
            c = c.append(CorrectionRequested(d0 + timedelta(3))).append(CorrectionReceived(d0 + timedelta(8)))
        if i % 5 == 2:
            c = c.append(ConsultationSent(d0 + timedelta(2))).append(ConsultationAnswered(d0 + timedelta(9)))
        if i % 5 == 3:
            c = c.append(FeeNoticeIssued(d0 + timedelta(4), amount=Decimal(100))).append(FeePaid(d0 + timedelta(6)))
        if i % 7:
            c = c.append(Replied(d0 + timedelta(20), outcome=rows[i % len(rows)]))
            if i % 11 == 0:
                c = c.append(ReviewFiled(d0 + timedelta(40)))
        out.append(c)
    return out


def problems_of(path: Path) -> list[str]:
    with pytest.raises(XlsxImportError) as info:
        read_workbook(path, calendar=CAL)
    return [p.describe() for p in info.value.problems]


# ---------------------------------------------------------------------------------------------
# The format: one list of columns, labels from the format


def test_headers_and_synonyms_are_unambiguous() -> None:
    names = header_names()  # raises if one spelling named two columns
    assert {c.field for c in COLUMNS} == set(names.values())
    for c in COLUMNS:
        assert all(names[split_header(h)[0]] == c.field for h in (c.header, *c.synonyms))
    assert split_header(" 征求意见 日期（2）") == ("征求意见日期", 2)
    assert split_header("收费金额(元)") == ("收费金额", 1) and split_header("答复时间") == ("答复日期", 1)


def test_reply_types_and_applicant_types_are_the_format_labels(tmp_path: Path) -> None:
    rows = [r for r in KEYS.outcome_rows if r not in ("other_no_correction", "other_fee_unpaid")]
    rows.remove("unable_unclear_after_correction")  # needs a corrected request first
    cols = KEYS.applicant_columns
    cases = [
        Case(
            f"c{i}",
            (
                Received(D("2025-03-03"), Channel.IN_PERSON, "甲", cols[i % len(cols)]),
                Replied(D("2025-03-10"), outcome=row),
            ),
        )
        for i, row in enumerate(rows)
    ]
    path = tmp_path / "t.xlsx"
    save_workbook(export_workbook(cases, calendar=CAL), path)
    rows = sheet_values(path)
    header = rows[0]
    kind, reply = header.index("申请人类型"), header.index("答复类型")
    for case, row in zip(cases, rows[1:], strict=True):
        state = case.state
        assert row[kind] == KEYS.applicant_label(state.applicant_type)
        assert state.outcome is not None and row[reply] == outcome_label(KEYS, state.outcome)
        assert str(row[reply]).split("：")[-1] in KEYS.row_label(state.outcome)
    dates = [i for i, h in enumerate(header) if h in ("收到日期", "答复日期", "答复期限")]
    assert all(isinstance(rows[1][i], datetime) for i in dates)  # real Excel dates, not text


# ---------------------------------------------------------------------------------------------
# Round trip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_ledgers_round_trip_through_excel(tmp_path: Path, data: Any) -> None:
    cases = [data.draw(random_cases(f"c{i}")) for i in range(data.draw(st.integers(1, 12)))]
    path = tmp_path / "r.xlsx"
    save_workbook(export_workbook(cases), path)
    plan = read_workbook(path)  # no calendar: random ledgers may record 逾期未缴费 early, the store would refuse
    again = [Case(r.number or "", r.events) for r in plan.rows]
    assert [normalized(c.state) for c in again] == [normalized(c.state) for c in cases]
    path2 = tmp_path / "r2.xlsx"
    save_workbook(export_workbook(again), path2)
    assert sheet_values(path2) == sheet_values(path)


def test_cli_export_import_round_trip(ledger_cli: Run, tmp_path: Path) -> None:
    ledger_cli("init", "--agency", "某某市某某局")
    for args in CLI_EVENTS:
        ledger_cli(*args)
    first = tmp_path / "台账.xlsx"
    r = ledger_cli("export", "-o", str(first))
    assert "已导出7件案件" in r.output
    ledger_cli("init", "--agency", "乙局")
    r = ledger_cli("import", str(first), "--agency", "乙局")
    assert "已导入7件案件" in r.output
    backend = ledger_cli.backend  # type: ignore[attr-defined]
    src = open_store(db=backend.db, url=backend.url, agency="某某市某某局", calendar=CAL)
    dst = open_store(db=backend.db, url=backend.url, agency="乙局", calendar=CAL)
    assert [normalized(s) for s in dst.states()] == [normalized(s) for s in src.states()]
    second = tmp_path / "again.xlsx"
    ledger_cli("export", "-o", str(second), "--agency", "乙局")
    assert sheet_values(second) == sheet_values(first)
    assert any(a.action == "import" for a in dst.audit())
    # --year: cases received in 2025 or open in it (g, received 2024-12-27, is still open)
    ledger_cli("export", "-o", str(tmp_path / "y.xlsx"), "--year", "2025", "--agency", "某某市某某局")
    assert [row[0] for row in sheet_values(tmp_path / "y.xlsx")[1:]] == ["g"]


def test_headers_by_name_synonyms_title_row_and_shuffled_columns(tmp_path: Path) -> None:
    path = write_sheet(
        tmp_path / "u.xlsx",
        [
            ("2025年依申请公开台账",),
            (
                "备注",
                "答复 时间",
                "申请人类别",
                "申请人\n姓名",
                "收到申请日期",
                "申请渠道",
                "办理结果",
                "收费金额（元）",
            ),
            ("", "2025/3/20", "企业", "某公司", "2025年3月3日", "信函", "部分公开", None),
            ("急", None, "法人或其他组织-法律服务机构", "某所", "2025-03-05", "平信", None, None),
            (None, None, None, None, None, None, None, None),  # blank rows are skipped
        ],
    )
    plan = read_workbook(path, calendar=CAL)
    assert plan.header_row == 2 and plan.ignored_headers == ("备注",)
    a, b = (Case(f"x{r.row}", r.events).state for r in plan.rows)
    assert (a.applicant, a.applicant_type, a.received_on, a.outcome) == (
        "某公司",
        "commercial_enterprise",
        D("2025-03-03"),
        "partially_granted",
    )
    assert a.closed_on == D("2025-03-20")
    # 平信: 收到日期 is the confirmation date of 第三十一条 (提交日期 defaults to it)
    assert (b.applicant_type, b.received_on, b.closed) == ("legal_service_org", D("2025-03-05"), False)


# ---------------------------------------------------------------------------------------------
# Bad input: every case names the row and the column, nothing is imported


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"申请人类型": "个体户"}, "第3行 C列「申请人类型」：未知的申请人类型「个体户」"),
        ({"答复类型": "已答复"}, "第3行 G列「答复类型」：未知的答复类型"),
        ({"答复类型": "不予公开"}, "第3行 G列「答复类型」：答复类型（表三办理结果）「不予公开」不明确"),
        ({"收到日期": "明天"}, "第3行 D列「收到日期」：「明天」不是日期"),
        ({"收到日期": "2025-02-30"}, "第3行 D列「收到日期」：「2025-02-30」不是有效的日期"),
        ({"答复日期": 45000}, "第3行 F列「答复日期」：「45000」是数字而不是日期"),
        ({"答复日期": date(2025, 2, 1)}, "第3行 F列「答复日期」：「作出答复」（2025-02-01）早于收到申请日期2025-03-03"),
        ({"答复日期": None}, "第3行 F列「答复日期」：缺少答复日期（已填写「答复类型」）"),
        ({"申请人": " "}, "第3行 B列「申请人」：申请人不能为空"),
        ({"申请方式": "飞鸽传书"}, "第3行 E列「申请方式」：未知的申请方式「飞鸽传书」"),
        ({"申请方式": "网络"}, None),  # no confirmation date needed: 收到日期 is the confirmed one
    ],
)
def test_bad_cell(tmp_path: Path, changes: dict[str, Any], expected: str | None) -> None:
    path = write_sheet(tmp_path / "b.xlsx", [HEADER, good_row("ok"), good_row("x1", **changes)])
    if expected is None:
        assert len(read_workbook(path, calendar=CAL).rows) == 2
        return
    (problem,) = problems_of(path)
    assert problem.startswith(expected), problem


def test_impossible_event_order_is_reported_at_the_later_event(tmp_path: Path) -> None:
    header = (*HEADER, "撤回日期", "补正通知日期", "收到补正日期", "收费通知日期", "收费金额", "逾期未缴费日期")
    rows = [
        # replied on 03-20 and withdrawn on 03-25: two closings
        [*good_row("a"), date(2025, 3, 25), None, None, None, None, None],
        # a corrected request without a 补正 notice
        [*good_row("b"), None, None, date(2025, 3, 10), None, None, None],
        # 逾期未缴费 before the 20-working-day payment window ends (needs the calendar)
        [*good_row("c", 答复日期=None, 答复类型=None), None, None, None, date(2025, 3, 5), 100, date(2025, 3, 10)],
    ]
    path = write_sheet(tmp_path / "o.xlsx", [header, *rows])
    assert problems_of(path) == [
        "第2行 H列「撤回日期」：「申请人撤回申请」（2025-03-25）无法登记：本申请已于2025-03-20办结（（一）予以公开）",
        "第3行 J列「收到补正日期」：「收到补正材料」（2025-03-10）没有补正通知，不能登记收到补正材料",
        "第4行 M列「逾期未缴费日期」：「逾期未缴费」（2025-03-10）缴费期限至2025-04-02，尚未届满",
    ]


def test_header_problems(tmp_path: Path) -> None:
    no_type = [h for h in HEADER if h != "申请人类型"]
    path = write_sheet(tmp_path / "h.xlsx", [no_type, ["x", "张三", date(2025, 3, 3), "当面", None, None]])
    assert problems_of(path) == [
        "第1行：缺少必需的列「申请人类型」（也可写作：申请人类别、申请人性质、申请主体类型、申请人身份）"
    ]
    twice = write_sheet(tmp_path / "t.xlsx", [(*HEADER, "申请人类别"), [*good_row(), "企业"]])
    assert problems_of(twice) == ["第1行 H列「申请人类别」：与C列「申请人类型」是同一列（申请人类型），只能保留一列"]
    nothing = write_sheet(tmp_path / "n.xlsx", [("序号", "姓名"), (1, "张三")])
    (problem,) = problems_of(nothing)
    assert problem.startswith("第1行：找不到表头行")


def test_every_bad_row_is_listed_and_duplicates_are_caught(tmp_path: Path) -> None:
    path = write_sheet(
        tmp_path / "m.xlsx",
        [
            HEADER,
            good_row("a"),
            good_row("b", 申请人类型="个体户"),
            good_row("a"),
            good_row("c", 收到日期="2025-13-01"),
            good_row("d"),
        ],
    )
    assert problems_of(path) == [
        "第3行 C列「申请人类型」：未知的申请人类型「个体户」；可用："
        + "、".join(KEYS.applicant_label(c) for c in KEYS.applicant_columns),
        "第4行 A列「案件编号」：案件编号a与第2行重复",
        "第5行 D列「收到日期」：「2025-13-01」不是有效的日期",
    ]


def test_not_an_excel_file(tmp_path: Path) -> None:
    bad = tmp_path / "x.xlsx"
    bad.write_text("申请人,申请人类型\n张三,自然人\n", "utf-8")
    with pytest.raises(LedgerError, match="无法读取 Excel 文件"):
        read_workbook(bad)


def test_cli_bad_file_imports_nothing(lite_cli: Run, tmp_path: Path) -> None:
    lite_cli("init", "--agency", "某某市某某局")
    lite_cli("add", "--id", "old", "--received", "2025-01-06", "--applicant", "甲", "--type", "自然人")
    path = write_sheet(tmp_path / "b.xlsx", [HEADER, good_row("n1"), good_row("n2", 答复类型="不知道")])
    r = lite_cli("import", str(path), code=2)
    assert "第3行 G列「答复类型」：未知的答复类型" in r.output and "未导入任何内容" in r.output
    ok = write_sheet(tmp_path / "ok.xlsx", [HEADER, good_row("n1"), good_row("old")])  # clashes with the ledger
    r = lite_cli("import", str(ok), code=2)
    assert "第3行 A列「案件编号」：案件编号old在台账中已存在" in r.output
    assert _numbers(lite_cli) == ["old"]
    fine = write_sheet(tmp_path / "fine.xlsx", [HEADER, good_row("n1"), good_row("n2")])
    r = lite_cli("import", str(fine), "--dry-run")
    assert "检查通过：2件案件，4个事件" in r.output
    assert _numbers(lite_cli) == ["old"]
    r = lite_cli("import", str(tmp_path / "missing.xlsx"), code=2)
    assert "文件不存在" in r.output


def _numbers(run: Run) -> list[str]:
    b = run.backend  # type: ignore[attr-defined]
    return open_store(db=b.db, url=b.url, calendar=CAL).numbers()


# ---------------------------------------------------------------------------------------------
# All or nothing


def test_failure_on_the_last_row_rolls_everything_back(
    lite_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lite_cli("init", "--agency", "某某市某某局")
    lite_cli("add", "--id", "old", "--received", "2025-01-06", "--applicant", "甲", "--type", "自然人")
    path = tmp_path / "many.xlsx"
    save_workbook(export_workbook(many_cases(30), calendar=CAL), path)
    b = lite_cli.backend  # type: ignore[attr-defined]
    audit_before = len(open_store(db=b.db, calendar=CAL).audit())
    from xxgk.ledger.store.repository import LedgerStore

    real_insert = LedgerStore._insert_rows

    def insert_rows(self: Any, model: Any, *args: Any) -> Any:
        if model.__name__ == "AuditEntry":  # the last insert, after the cases and events are written
            raise OperationalError("disk I/O error (injected)")
        return real_insert(self, model, *args)

    monkeypatch.setattr(LedgerStore, "_insert_rows", insert_rows)
    r = lite_cli("import", str(path), code=2)
    assert "台账数据库操作失败" in r.output and "injected" in r.output
    monkeypatch.undo()
    assert _numbers(lite_cli) == ["old"]
    assert len(open_store(db=b.db, calendar=CAL).audit()) == audit_before
    lite_cli("import", str(path))  # and the same file imports once the fault is gone
    assert len(_numbers(lite_cli)) == 31


def test_killed_import_leaves_nothing_partial(tmp_path: Path) -> None:
    db, home = tmp_path / "k.sqlite3", tmp_path / "home"
    env = {**os.environ, "XXGK_HOME": str(home), "PYTHONPATH": str(ROOT / "src")}
    env.pop("XXGK_DATABASE_URL", None)
    store = init_store(db=db, agency="某某市某某局", calendar=CAL)
    with store.transaction():
        store.open_case(Received(D("2025-01-06"), Channel.IN_PERSON, "甲", "natural_person"), "old")
    close(store.alias)
    path = tmp_path / "big.xlsx"
    save_workbook(export_workbook(many_cases(1500), calendar=CAL), path)
    cmd = [sys.executable, "-m", "xxgk", "ledger", "import", str(path), "--db", str(db)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    line = proc.stderr.readline()  # 「正在导入…」: validation is over, the one write transaction begins
    assert "正在导入" in line, line
    # Killed at once: the bulk write of 1,500 cases and their audit rows takes a few hundred ms, so the
    # kill lands before its commit (or before it began): either way nothing of the file may be stored.
    assert proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT number FROM xxgk_ledger_case").fetchall() == [("old",)]
        assert conn.execute("SELECT count(*) FROM xxgk_ledger_event").fetchone() == (1,)
        assert [a for (a,) in conn.execute("SELECT action FROM xxgk_ledger_auditentry")] == ["init", "open_case"]


# ---------------------------------------------------------------------------------------------
# ledger list --overdue / --due-within


def test_list_overdue_and_due_within(lite_cli: Run) -> None:
    lite_cli("init", "--agency", "某某市某某局")
    # replies due 2025-09-28 (a make-up Sunday), 2025-11-05 and 2025-12-18
    lite_cli("add", "--id", "late", "--received", "2025-09-01", "--applicant", "甲", "--type", "自然人")
    lite_cli("add", "--id", "soon", "--received", "2025-10-09", "--applicant", "乙", "--type", "自然人")
    lite_cli("add", "--id", "far", "--received", "2025-11-20", "--applicant", "丙", "--type", "自然人")
    lite_cli("add", "--id", "done", "--received", "2025-09-01", "--applicant", "丁", "--type", "自然人")
    lite_cli("event", "done", "答复", "--date", "2025-09-10", "--outcome", "予以公开")
    r = lite_cli("list", "--overdue", "--today", "2025-11-03")
    assert "late" in r.output and "已逾期" in r.output
    assert all(n not in r.output for n in ("soon", "far", "done"))
    assert "共 1 件，其中已逾期 1 件" in r.output
    r = lite_cli("list", "--due-within", "3", "--today", "2025-11-03")
    assert "late" in r.output and "soon" in r.output and "剩余2个工作日" in r.output  # due 2025-11-05
    assert "far" not in r.output and "done" not in r.output
    assert r.output.index("late") < r.output.index("soon")  # soonest deadline first
    r = lite_cli("list")  # unchanged without the options
    assert all(n in r.output for n in ("late", "soon", "far", "done"))
