"""Storage-free ledger commands (calendar, deadline, fee), on a local app built with `register`."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from xxgk.cli.ledger import register

from .test_ledger_calendar import USER_2027

app = typer.Typer()


@app.callback()
def _root() -> None:
    """xxgk"""


register(app)
runner = CliRunner()


def test_deadline_prints_iso_dates(tmp_path: Path) -> None:
    r = runner.invoke(app, ["deadline", "2025-09-26", "--extend", "20", "--dir", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert r.output.split() == ["补正通知", "2025-10-13", "答复期限", "2025-10-30", "延长后", "2025-11-27"]


def test_deadline_with_pause(tmp_path: Path) -> None:
    r = runner.invoke(app, ["deadline", "2025-03-03", "--pause", "2025-03-10:2025-03-14", "--dir", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "答复期限\t2025-04-07" in r.output


def test_deadline_in_an_uncovered_year_then_added(tmp_path: Path) -> None:
    r = runner.invoke(app, ["deadline", "2026-12-10", "--dir", str(tmp_path)])
    assert r.exit_code == 2
    assert "尚无2027年的法定节假日安排数据" in r.output
    src = tmp_path / "2027.toml"
    src.write_text(USER_2027, "utf-8")
    home = tmp_path / "home"
    r = runner.invoke(app, ["calendar", "add", str(src), "--dir", str(home)])
    assert r.exit_code == 0, r.output
    assert "已添加2027年安排" in r.output
    r = runner.invoke(app, ["deadline", "2026-12-10", "--dir", str(home)])
    assert r.exit_code == 0 and "答复期限\t2027-01-08" in r.output
    r = runner.invoke(app, ["calendar", "show", "2027", "--dir", str(home)])
    assert r.exit_code == 0 and "春节" in r.output and "2027-01-31" in r.output


def test_calendar_add_rejects_a_bad_file(tmp_path: Path) -> None:
    src = tmp_path / "2027.toml"
    src.write_text(USER_2027.replace("2027-02-20]", "2027-02-22]"), "utf-8")
    r = runner.invoke(app, ["calendar", "add", str(src), "--dir", str(tmp_path / "h")])
    assert r.exit_code == 2 and "不是周六或周日" in r.output


def test_calendar_check_agrees(tmp_path: Path) -> None:
    r = runner.invoke(app, ["calendar", "check", "--dir", str(tmp_path)])
    assert r.exit_code == 0 and "2026年：一致" in r.output


def test_fee() -> None:
    r = runner.invoke(app, ["fee", "--pages", "250"])
    assert r.exit_code == 0 and "合计4700元" in r.output
    r = runner.invoke(app, ["fee", "--requests", "35"])
    assert r.exit_code == 0 and "合计3000元" in r.output
    assert runner.invoke(app, ["fee"]).exit_code == 2
