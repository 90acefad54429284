"""Markdown tables as OCR and LLM tools emit them: generic headers, one table per row group,
header rows repeated in the wrong place. Values are taken by row label and format position."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.generate import SPEC, random_consistent_tables, report_blocks
from xxgk.api import check_report, read_report
from xxgk.readers import read_document
from xxgk.report import CellState


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _generic_header(n: int) -> list[str]:
    return [_md_row(["项目", *(f"数据{i}" for i in range(1, n + 1))]), _md_row(["---"] * (n + 1))]


def _ocr_tables(table: str, values: dict[str, object], rng: random.Random) -> list[str]:
    """The table as an OCR/LLM tool prints it: generic headers; 表三 split into one table per
    row group, the group label in its own column; sometimes a stray header row inside a table."""
    spec = SPEC.tables[table]
    out: list[str] = []
    if table == "t4":
        width = len(spec.physical_rows[0].cells)
        out += _generic_header(width)
        out.append(_md_row([str(values[k]) for k in spec.physical_rows[0].cells]))
        return out
    groups = {g.key: g for g in spec.groups}
    group_of = {r.key: r.group for r in spec.rows}
    current: object = object()
    for phys in spec.physical_rows:
        assert phys.label is not None
        cells = [str(values[k]) for k in phys.cells]
        if table == "t2":
            if phys.block != current:
                current = phys.block
                out += ["", *_generic_header(len(cells))]
            out.append(_md_row([phys.label.text, *cells]))
            continue
        group = group_of[phys.key]
        if group != current:  # a new table per row group
            current = group
            out += ["", *_generic_header(len(cells) + 1)]
        label = groups[group].label.text if group is not None else ""
        out.append(_md_row([label, phys.label.text, *cells]))
        if rng.random() < 0.1:  # a header row repeated in the wrong place
            out.append(_md_row(["项目", *(f"数据{i}" for i in range(1, len(cells) + 2))]))
    return out


def write_ocr_markdown(values: dict[str, object], rng: random.Random, agency: str = "某某镇人民政府") -> str:
    lines: list[str] = []
    tables = iter(("t2", "t3", "t4"))
    for kind, content in report_blocks(values, agency=agency, year=2024):  # type: ignore[arg-type]
        if kind == "table":
            lines += _ocr_tables(next(tables), values, rng)
            lines.append("")
        elif content.startswith(tuple("一二三四五六")) and "、" in content[:2]:
            lines += [f"## {content}", ""]
        else:
            lines += [content, ""]
    return "\n".join(lines)


@pytest.mark.parametrize("seed", range(12))
def test_ocr_style_markdown_reads_every_cell(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    values = random_consistent_tables(rng)
    path = tmp_path / "ocr.md"
    path.write_text(write_ocr_markdown(values, rng), "utf-8")
    report = read_report(path)
    assert {k: report.value(k) for k in SPEC.cells} == values
    assert report.meta.agency == "某某镇人民政府" and report.meta.year == 2024
    assert all(s.found for s in report.sections.values())
    assert not [f for f in check_report(report) if f.code.startswith(("C0", "R0"))]


def test_markdown_sniffed_by_content_and_delimiter_rows_are_not_values(tmp_path: Path) -> None:
    values = random_consistent_tables(random.Random(99))
    path = tmp_path / "report.txt"  # no .md suffix: the |---| rows give it away
    path.write_text(write_ocr_markdown(values, random.Random(1)), "utf-8")
    doc = read_document(path)
    assert doc.reader == "markdown"
    report = read_report(path)
    assert all(c.state is CellState.NUMBER for c in report.cells.values())
    assert {k: report.value(k) for k in SPEC.cells} == values


def test_rows_without_closing_pipe_and_bold_headings(tmp_path: Path) -> None:
    values = random_consistent_tables(random.Random(5))
    text = write_ocr_markdown(values, random.Random(2))
    text = "\n".join(line[:-2] if line.startswith("| ") else line for line in text.splitlines())
    text = text.replace("## ", "**", 1)
    path = tmp_path / "loose.md"
    path.write_text(text, "utf-8")
    report = read_report(path)
    assert {k: report.value(k) for k in SPEC.cells} == values
