"""Two reader fixes of issue 24: page-number lines (“— 4 —”) that pdftotext puts inside a
table's text are dropped by the TXT reader (with a note), bare number lines never are; and the
Markdown reader removes CommonMark backslash escapes anywhere, so a report written as .md reads
back with its own section text."""

from __future__ import annotations

from pathlib import Path

import pytest

from xxgk.api import read
from xxgk.readers import read_document
from xxgk.write import render

from .test_write_escape import HOSTILE, PLAIN, _report

SEED = Path(__file__).parent / "fixtures" / "seeds" / "000_a7fa6606f2a08b74.txt"


def _texts(path: Path) -> list[str]:
    return [" ".join(c.text for c in line.cells) for line in read_document(path).lines]


@pytest.mark.parametrize("line", ["— 4 —", "  -12-  ", "– 3 –", "－ 1000 －", "—4—"])
def test_page_number_line_is_dropped_with_a_note(tmp_path: Path, line: str) -> None:
    path = tmp_path / "r.txt"
    path.write_text(f"一、总体情况\n{line}\n正文\n", encoding="utf-8")
    doc = read_document(path)
    assert [c.text for li in doc.lines for c in li.cells] == ["一、总体情况", "", "正文"]
    number = "".join(ch for ch in line if ch.isdigit())
    assert doc.notes == [f"删除了 1 行页码（{number}）"]


@pytest.mark.parametrize("line", ["4", "-4", "4 —", "— 4", "— 4 — 5 —", "— 12345 —", "第 4 页"])
def test_other_lines_are_kept(tmp_path: Path, line: str) -> None:
    path = tmp_path / "r.txt"
    path.write_text(f"正文\n{line}\n", encoding="utf-8")
    doc = read_document(path)
    assert _texts(path)[1] == line.strip()
    assert doc.notes == []


def test_page_number_inside_a_table_leaves_its_values(tmp_path: Path) -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    at = next(i for i, li in enumerate(lines) if li.startswith("行政规范性文件"))
    damaged = tmp_path / "damaged.txt"
    damaged.write_text("\n".join([*lines[:at], "— 4 —", *lines[at:]]), encoding="utf-8")
    before, after = read(SEED), read(damaged)
    assert {k: c.value for k, c in after.cells.items()} == {k: c.value for k, c in before.cells.items()}
    assert any(d.code == "R013" and "页码" in d.params["note"] for d in after.diagnostics)


@pytest.mark.parametrize("text", [*HOSTILE, "1. 编号开头\n\\反斜杠\\\\双\n*星号*与 \\* 和 a_b_c"])
def test_markdown_written_then_read_gives_the_section_text(text: str) -> None:
    report = _report(text)
    back = read(render(report, "md"), name="report.md")
    assert back.sections["s1_overview"].text == report.sections["s1_overview"].text
    # The last section read back also holds the sign-off (organisation and date) printed after it.
    assert back.sections["s6_other"].text.startswith(PLAIN + "\n")


def test_markdown_escape_inside_table_cell(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_text("\\# 标题\n\n| 规章 \\| 说明 | 1\\. |\n|---|---|\n", encoding="utf-8")
    cells = [[c.text for c in li.cells] for li in read_document(path).lines]
    assert cells[0] == ["# 标题"]
    assert cells[2] == ["规章 | 说明", "1."]
