"""`xxgk check`: what a batch says about each file (skipped, not read, duplicate), its formats
(json, jsonl, csv, xlsx), -o, --min-severity, and files or folders that cannot be read."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from xxgk.cli.main import app
from xxgk.oserrors import zh_message

from .conftest import SEEDS

runner = CliRunner()
CORPUS = Path(__file__).parent / "fixtures" / "corpus"
KEYS = ["file", "status", "agency", "year", "format_version", "error", "error_code", "duplicate_of", "findings"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two seed reports, a README and a notes file that are not reports."""
    d = tmp_path / "报告"
    d.mkdir()
    for p in SEEDS[:2]:
        shutil.copy(p, d / p.name)
    (d / "README.md").write_text("# 说明\n\n本目录存放年度报告。\n", encoding="utf-8")
    (d / "notes.txt").write_text("会议记录：今天没有议题。\n", encoding="utf-8")
    return d


def test_a_non_report_in_a_folder_is_skipped_and_keeps_the_exit_code(folder: Path) -> None:
    result = runner.invoke(app, ["check", str(folder), "-j", "1"])
    assert result.exit_code == 0, result.output  # (the seeds have no error finding)
    assert result.output.count("已跳过（不是年度报告）") == 2
    assert "未识别为政府信息公开工作年度报告" in result.output  # (the reason is shown)
    assert "跳过 2 个（不是年度报告）" in result.output


def test_a_run_where_no_file_was_read_exits_2(folder: Path) -> None:
    named = runner.invoke(app, ["check", str(folder / "README.md")])
    assert named.exit_code == 2 and "没有读取到任何报告" in named.output
    only_notes = folder.parent / "notes"
    only_notes.mkdir()
    shutil.move(folder / "notes.txt", only_notes / "notes.txt")
    assert runner.invoke(app, ["check", str(only_notes)]).exit_code == 2


def test_an_empty_folder_says_which_suffixes_were_looked_for(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 2
    assert f"目录 {tmp_path} 中没有报告文件" in result.output
    assert ".txt" in result.output and ".pdf" in result.output and ".docx" in result.output
    assert "请给出至少一个" not in result.output


@pytest.mark.parametrize("suffix", [".yaml", ".xlsx"])
def test_a_fill_in_template_is_checked_like_render_checks_it(tmp_path: Path, suffix: str) -> None:
    template = tmp_path / f"ok{suffix}"
    made = runner.invoke(app, ["new", "--agency", "某某镇人民政府", "--year", "2025", "-o", str(template)])
    assert made.exit_code == 0, made.output
    result = runner.invoke(app, ["check", str(template), "-f", "json"])
    (record,) = json.loads(result.stdout)
    assert record["status"] == "checked" and record["agency"] == "某某镇人民政府" and record["year"] == 2025
    # (a blank template: every cell is missing, which the check says)
    assert any(f["code"].startswith("C") for f in record["findings"])


def test_every_record_has_the_same_keys(folder: Path) -> None:
    (folder / "empty.txt").write_bytes(b"")
    shutil.copy(SEEDS[0], folder / "zz-copy.txt")
    records = json.loads(runner.invoke(app, ["check", str(folder), "-f", "json", "-j", "1"]).stdout)
    assert [list(r) for r in records] == [KEYS] * len(records)
    by_name = {Path(r["file"]).name: r for r in records}
    assert by_name["empty.txt"]["status"] == "unreadable" and by_name["empty.txt"]["agency"] is None
    assert by_name["README.md"]["status"] == "skipped" and by_name["README.md"]["error_code"] is None
    assert by_name[SEEDS[0].name]["error"] is None and by_name[SEEDS[0].name]["error_code"] is None


def test_the_same_report_twice_is_a_duplicate_not_counted_twice(tmp_path: Path) -> None:
    for name in ("008-putian-yingjiju-2023.txt", "009-putian-yingjiju-2023.html"):
        shutil.copy(CORPUS / name, tmp_path / name)
    records = json.loads(runner.invoke(app, ["check", str(tmp_path), "-f", "json"]).stdout)
    assert [r["status"] for r in records] == ["checked", "duplicate"]
    assert records[1]["duplicate_of"] == records[0]["file"]
    text = runner.invoke(app, ["check", str(tmp_path)]).output
    assert "重复 1 个（未重复计数）" in text and f"与 {records[0]['file']} 是同一份报告" in text


def test_jsonl_is_the_json_array_one_line_per_file(folder: Path) -> None:
    array = json.loads(runner.invoke(app, ["check", str(folder), "-f", "json", "-j", "2"]).stdout)
    lines = runner.invoke(app, ["check", str(folder), "-f", "jsonl", "-j", "2"]).stdout.splitlines()
    assert [json.loads(line) for line in lines] == array
    assert len(lines) == 4


def test_min_severity_keeps_the_errors(tmp_path: Path) -> None:
    from tests.generate import random_consistent_tables, write_report

    values = random_consistent_tables()
    values["t3.new_received.total"] = int(values["t3.new_received.total"]) + 1  # breaks I2
    path = tmp_path / "r.txt"
    path.write_text(write_report(values, "tab"), "utf-8")
    every = json.loads(runner.invoke(app, ["check", str(path), "-f", "json"]).stdout)[0]["findings"]
    errors = json.loads(runner.invoke(app, ["check", str(path), "-f", "json", "--min-severity", "error"]).stdout)
    assert {f["severity"] for f in every} > {"error"}
    assert errors[0]["findings"] == [f for f in every if f["severity"] == "error"] != []
    bad = runner.invoke(app, ["check", str(path), "--min-severity", "fatal"])
    assert bad.exit_code == 2


def test_output_file_for_every_command(tmp_path: Path) -> None:
    for argv, name in [
        (["check", str(SEEDS[0]), "-f", "json"], "c.json"),
        (["parse", str(SEEDS[0])], "p.txt"),
        (["rules"], "r.txt"),
        (["rules", "C011"], "c011.txt"),
        (["schema"], "s.json"),
    ]:
        target = tmp_path / name
        result = runner.invoke(app, [*argv, "-o", str(target)])
        assert result.exit_code == 0, result.output
        assert result.output == "" and target.stat().st_size > 0
    assert json.loads((tmp_path / "c.json").read_text("utf-8"))[0]["file"] == str(SEEDS[0])
    assert json.loads((tmp_path / "s.json").read_text("utf-8"))["type"] == "object"
    assert "C011" in (tmp_path / "c011.txt").read_text("utf-8")


def _formula_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = Path("=cmd.txt")  # (a file name a spreadsheet would take for a formula)
    shutil.copy(SEEDS[3], path)
    return path


def test_csv_one_row_per_finding_and_no_formula(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _formula_named(tmp_path, monkeypatch)
    out = tmp_path / "out.csv"
    assert runner.invoke(app, ["check", str(path), "-f", "csv", "-o", str(out)]).exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig"))))
    findings = json.loads(runner.invoke(app, ["check", str(path), "-f", "json"]).stdout)[0]["findings"]
    assert rows[0] == ["文件", "发布机关", "年度", "代码", "级别", "单元格/部分", "页/行", "期望", "实际", "说明"]
    assert [r[3] for r in rows[1:]] == [f["code"] for f in findings]
    assert all(r[0] == "'" + str(path) for r in rows[1:])  # (not a formula, shown as text)
    assert [r[9] for r in rows[1:]] == [f["message"] for f in findings]


def test_xlsx_rows_are_text_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import load_workbook

    path = _formula_named(tmp_path, monkeypatch)
    out = tmp_path / "out.xlsx"
    assert runner.invoke(app, ["check", str(path), "-f", "xlsx", "-o", str(out)]).exit_code == 0
    sheet = load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.iter_rows())
    assert rows[0][3].value == "代码" and len(rows) > 2
    assert all(r[0].value == str(path) and r[0].data_type == "s" for r in rows[1:])
    assert runner.invoke(app, ["check", str(path), "-f", "xlsx"]).exit_code == 2  # (needs -o)


def test_text_output_ends_with_a_summary_per_file(folder: Path) -> None:
    text = runner.invoke(app, ["check", str(folder), "-j", "1"]).output
    summary = text[text.index("各文件汇总") :].splitlines()
    assert summary[1].split("\t") == ["文件", "发布机关", "年度", "错误", "警告", "读取"]
    assert [line.split("\t")[-1] for line in summary[2:6]] == ["已核查", "已核查", "已跳过", "已跳过"]


def test_an_unreadable_file_is_its_own_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked.txt"
    shutil.copy(SEEDS[0], locked)
    real_open = os.open

    def refuse(path: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(path).name == "locked.txt":  # (as chmod 000 does for anyone but root)
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    result = runner.invoke(app, ["check", str(locked), str(SEEDS[1]), "-j", "1", "-f", "json"])
    records = json.loads(result.stdout)
    assert records[0]["status"] == "unreadable" and records[0]["error"] == "无法读取文件：没有访问权限"
    assert records[1]["status"] == "checked"
    assert result.exit_code == 1  # (one file read; one not)


def test_an_unreadable_subfolder_is_reported(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = folder / "锁定"
    locked.mkdir()
    shutil.copy(SEEDS[2], locked / "x.txt")
    real_scandir = os.scandir

    def refuse(path: Any = ".") -> Any:
        if Path(path) == locked:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    records = json.loads(runner.invoke(app, ["check", str(folder), "-f", "json", "-j", "1"]).stdout)
    problem = [r for r in records if r["file"] == str(locked)]
    assert problem and problem[0]["status"] == "unreadable"
    assert problem[0]["error"] == "无法读取目录：没有访问权限"


def test_os_error_texts_in_chinese() -> None:
    assert zh_message("无法读取文件：" + os.strerror(errno.ENOENT)) == "无法读取文件：文件或目录不存在"
    assert zh_message("无法读取文件：" + os.strerror(errno.EACCES)) == "无法读取文件：没有访问权限"
    assert zh_message("文件为空") == "文件为空"


def test_ctrl_c_keeps_the_json_of_the_files_finished(tmp_path: Path) -> None:
    for i in range(300):
        shutil.copy(SEEDS[i % len(SEEDS)], tmp_path / f"{i:03d}.txt")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from xxgk.cli.main import run; run()", "check", str(tmp_path), "-j", "2", "-f", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        bufsize=0,  # (a buffered readline would take more than its line, which communicate() then misses)
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()  # "[": the first record is being written
    os.killpg(proc.pid, signal.SIGINT)
    rest, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "已中断" in stderr.decode()
    records = json.loads(first + rest)
    assert 0 < len(records) < 300
    assert [Path(r["file"]).name for r in records] == [f"{i:03d}.txt" for i in range(len(records))]
