"""Text files whose line separator is VT, FF, NEL, U+2028 or U+2029 (issue 25, item 6): read like the
same file with LF, not refused as binary."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEEDS
from xxgk.api import read_report
from xxgk.errors import UnreadableInputError
from xxgk.report import Report

SEPARATORS = {"vt": "\x0b", "ff": "\x0c", "nel": "\x85", "ls": "\u2028", "ps": "\u2029"}


def _read(tmp_path: Path, data: bytes, name: str = "report.txt") -> Report:
    path = tmp_path / name
    path.write_bytes(data)
    return read_report(path)


def _content(report: Report) -> tuple[object, ...]:
    cells = {k: (c.value, c.state, c.raw) for k, c in report.cells.items()}
    sections = {k: (s.heading, s.text) for k, s in report.sections.items()}
    lines = {k: c.source.line for k, c in report.cells.items() if c.source is not None}
    return cells, sections, lines, report.meta.agency, report.meta.year, report.tables_found


@pytest.mark.parametrize("seed", SEEDS, ids=[p.name[:3] for p in SEEDS])
@pytest.mark.parametrize("separator", list(SEPARATORS), ids=list(SEPARATORS))
def test_seed_with_another_line_separator_reads_cell_for_cell_like_the_original(
    tmp_path: Path, seed: Path, separator: str
) -> None:
    text = seed.read_text("utf-8")
    assert "\r" not in text and text.count("\n") > 50
    original = _read(tmp_path, text.encode("utf-8"), "original.txt")
    separated = _read(tmp_path, text.replace("\n", SEPARATORS[separator]).encode("utf-8"))
    assert _content(separated) == _content(original)
    assert [d.code for d in separated.diagnostics] == [d.code for d in original.diagnostics]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_vt_separated_file_in_other_encodings_reads_like_the_original(tmp_path: Path, encoding: str) -> None:
    text = SEEDS[1].read_text("utf-8")
    original = _read(tmp_path, text.encode("utf-8"), "original.txt")
    separated = _read(tmp_path, text.replace("\n", "\x0b").encode(encoding))
    assert _content(separated) == _content(original)


def test_binary_data_is_still_refused(tmp_path: Path) -> None:
    # Control bytes other than the line breaks still mark a file as binary, VT among them or not.
    data = bytes(range(0, 32)) * 200 + b"\x0b" * 100
    with pytest.raises(UnreadableInputError, match="二进制"):
        _read(tmp_path, data)
