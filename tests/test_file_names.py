"""Hostile file names (issue 24 §4): bytes that are not UTF-8, ESC, newlines. The JSON output stays
valid UTF-8 JSON, the text output shows them escaped (no raw ESC reaches the terminal), and an
unreadable file is that file's error, never the batch's."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xxgk.cli import batch
from xxgk.cli.main import app
from xxgk.errors import UnreadableInputError
from xxgk.readers import load_bytes
from xxgk.settings import ReadSettings

from .conftest import SEEDS

runner = CliRunner()
HOSTILE = [b"bad\xff\xfe.txt", b"esc\x1b[31mred.txt", b"new\nline.txt", b"tab\there.txt"]


@pytest.fixture
def hostile(tmp_path: Path) -> list[Path]:
    if sys.platform != "linux":
        pytest.skip("file names of arbitrary bytes: Linux file systems")
    paths = []
    for raw, seed in zip(HOSTILE, SEEDS, strict=False):  # (different reports: no duplicates)
        path = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), raw)))
        shutil.copy(seed, path)
        paths.append(path)
    return paths


def test_shown_name_escapes_what_is_not_printable() -> None:
    assert batch.shown_name(Path("报告 2024.txt")) == "报告 2024.txt"
    assert batch.shown_name(Path(os.fsdecode(b"bad\xff.txt"))) == "bad\\xff.txt"
    assert batch.shown_name(Path("a\x1b[31mb\nc")) == "a\\x1b[31mb\\nc"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_json_output_stays_valid_json(hostile: list[Path], jobs: str) -> None:
    result = runner.invoke(app, ["check", "-j", jobs, "--format", "json", *map(str, hostile)])
    data = result.stdout_bytes
    records = json.loads(data.decode("utf-8"))  # (strict UTF-8: a raw \xff would fail here)
    assert [r["file"].rsplit("/", 1)[-1] for r in records] == [
        "bad\\xff\\xfe.txt",
        "esc\\x1b[31mred.txt",
        "new\\nline.txt",
        "tab\\there.txt",
    ]
    assert all(r["status"] == "checked" for r in records)
    assert b"\x1b" not in data and b"\xff" not in data


def test_text_output_shows_names_escaped(hostile: list[Path]) -> None:
    result = runner.invoke(app, ["check", *map(str, hostile)])
    assert "\x1b" not in result.output
    assert "esc\\x1b[31mred.txt" in result.output and "new\\nline.txt" in result.output
    assert "bad\\xff\\xfe.txt" in result.output


def test_an_unreadable_file_is_that_files_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Permission denied (simulated: the tests may run as root, who reads anything): a zh-CN reason
    for that file, the others checked."""
    locked = tmp_path / "locked.txt"
    shutil.copy(SEEDS[0], locked)
    real_open = os.open

    def open_or_deny(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if str(path) == str(locked):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", open_or_deny)
    with pytest.raises(UnreadableInputError) as info:
        load_bytes(locked, ReadSettings())
    assert info.value.message == "无法读取文件：没有访问权限"
    result = runner.invoke(app, ["check", "--format", "json", str(SEEDS[0]), str(locked), str(SEEDS[1])])
    records = json.loads(result.output)
    assert [r["status"] for r in records] == ["checked", "unreadable", "checked"]
    assert records[1]["error"] == "无法读取文件：没有访问权限"
