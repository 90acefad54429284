"""Usage errors reach the user in zh-CN with exit code 2, through the real console entry point."""

from __future__ import annotations

from pathlib import Path

import pytest

from xxgk.cli.main import run


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        run(list(argv))
    captured = capsys.readouterr()
    return int(info.value.code or 0), captured.out + captured.err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("ledger", "add", "--received", "2025-09-26"), "用法错误：缺少选项 --applicant"),
        (("check", "--bogus", "x"), "用法错误：没有选项 --bogus"),
        (("deadline", "2025-09-26", "--extend", "abc"), "用法错误：--extend 的值无效：应为整数"),
        (("deadline", "2025-09-26", "--extend", "-1"), "用法错误：--extend 的值无效：应不小于 0"),
        (("check", "--max-size", "abc", "--examples"), "用法错误：--max-size 的值无效：应为数字"),
        (("nosuch",), "用法错误：没有命令「nosuch」"),
    ],
)
def test_usage_errors_in_chinese(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], expected: str) -> None:
    code, text = _run(capsys, *argv)
    assert code == 2
    assert expected in text, text
    assert "--help 查看用法" in text
    assert "Missing" not in text and "No such" not in text and "Input should" not in text


def test_success_and_help_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _run(capsys, "rules", "C011")
    assert code == 0 and "C011" in text
    code, text = _run(capsys)
    assert code == 0 and "用法：" in text  # bare `xxgk` prints help


def test_error_findings_exit_one(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from tests.generate import random_consistent_tables, write_report

    values = random_consistent_tables()
    values["t3.new_received.total"] = int(values["t3.new_received.total"]) + 1  # breaks I2
    path = tmp_path / "r.txt"
    path.write_text(write_report(values, "tab"), "utf-8")
    code, text = _run(capsys, "check", str(path))
    assert code == 1 and "C021" in text
