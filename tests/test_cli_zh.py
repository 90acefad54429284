"""Every help page and usage error in zh-CN: the help of every command and subcommand (the whole
typer/click tree, ledger and render included) and a set of usage errors hold no English word but
option names, codes, file names and the names of formats and products."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from xxgk.cli import lazy
from xxgk.cli.main import app, run

# Words that are names, not English: formats, products, standards, values typed on the command
# line (the --format and --min-severity values), environment variables and the program itself.
WHITELIST = frozenset(
    (
        *("xxgk", "PDF", "DOCX", "HTML", "OCR", "JSON", "YAML", "XLSX", "CSV", "TOML", "MB", "CPU", "ISO", "Schema"),
        *("Excel", "Markdown", "SQLite", "PostgreSQL", "postgresql", "chinesecalendar", "WPS", "LibreOffice", "URL"),
        *("text", "json", "jsonl", "csv", "xlsx", "yaml", "yml", "docx", "pdf", "html", "htm", "md", "markdown"),
        *("error", "warning", "info", "ocr", "replied", "N", "X", "PNG", "SVG", "Parquet", "parquet"),
        *(
            "XXGK_HOME",
            "XXGK_DATABASE_URL",
            "XXGK_DEBUG",
            "XXGK_NEW_PASSWORD",
            "XXGK_ADMIN_USER",
            "XXGK_ADMIN_PASSWORD",
        ),
    )
)
OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")
FILE_NAME = re.compile(
    r"[\w./$\[\]-]*\.(?:txt|md|toml|sqlite3|yaml|yml|xlsx|json|docx|pdf|html|htm)\b|\$?[\w/]+/[\w/.]+"
)
CODE = re.compile(r"\b[A-Z]\d{3}\b")
QUOTED = re.compile(r"「[^」]*」")  # (what the user typed, echoed back)
WORD = re.compile(r"[A-Za-z][A-Za-z_]*")


COMMAND_PATHS = [[], *(list(path) for path, _ in lazy.walk_commands(typer.main.get_command(app)))]
COMMAND_NAMES = frozenset(name for path in COMMAND_PATHS for name in path)


def _output(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        run(list(argv))
    captured = capsys.readouterr()
    return int(info.value.code or 0), captured.out + captured.err


def english_words(text: str) -> list[str]:
    for pattern in (QUOTED, OPTION, FILE_NAME, CODE):
        text = pattern.sub(" ", text)
    return [w for w in WORD.findall(text) if w not in WHITELIST and w not in COMMAND_NAMES]


def test_the_tree_has_every_command() -> None:
    assert {"check", "parse", "rules", "schema", "new", "render", "ledger", "deadline"} <= COMMAND_NAMES
    assert ["ledger", "add"] in COMMAND_PATHS and len(COMMAND_PATHS) > 20


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(p) or "xxgk")
def test_help_is_chinese(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, path: list[str]) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, text = _output(capsys, *path, "--help")
    assert code == 0
    assert "用法：" in text and "显示此帮助并退出" in text
    assert english_words(text) == [], text


@pytest.mark.parametrize(
    "argv",
    [
        ("chek",),
        ("rules", "C011", "extra"),
        ("parse",),
        ("ledger", "show"),
        ("ledger", "nosuch"),
        ("ledgr",),
        ("check", "--bogus"),
        ("check", "--format", "pdf", "x.txt"),
        ("check", "--min-severity", "fatal", "x.txt"),
        ("check", "-j", "x", "x.txt"),
        ("check", "-j", "-1", "x.txt"),
        ("check", "--max-size"),
        ("check", "--examples=yes"),
        ("render",),
        ("new", "--year", "2025"),
        ("deadline", "2025-09-26", "--extend", "abc"),
    ],
)
def test_usage_errors_are_chinese(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> None:
    code, text = _output(capsys, *argv)
    assert code == 2, text
    assert text.startswith("用法错误：")
    assert english_words(text) == [], text


def test_a_missing_file_is_said_in_chinese(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, text = _output(capsys, "check", str(tmp_path / "无此文件.txt"))
    assert code == 2 and "文件不存在" in text
    assert english_words(text) == [], text
