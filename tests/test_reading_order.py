"""Reading-order text (labels first, numbers later): xxgk.recognize.reading_order (R008/R009)."""

from __future__ import annotations

import random
from pathlib import Path

from tests.conftest import diagnostic_codes, read_text_report
from tests.generate import SPEC, random_consistent_tables, write_report
from xxgk.report import CellState

T2 = {p.key: p for p in SPEC.tables["t2"].physical_rows}
T3 = {p.key: p for p in SPEC.tables["t3"].physical_rows}
(T4,) = SPEC.tables["t4"].physical_rows


def _label(key: str) -> str:
    row = T2.get(key) or T3[key]
    assert row.label is not None
    return row.label.text


_read = read_text_report
_codes = diagnostic_codes


def _replace_table(text: str, section: int, lines: list[str]) -> str:
    """`text` with the table of section `section` (0-based) replaced by one cell per line."""
    out = text.split("\n")
    start = out.index(SPEC.sections[section].heading) + 2  # heading, one paragraph, then the table
    end = out.index(SPEC.sections[section + 1].heading)
    return "\n".join([*out[:start], "", *lines, "", *out[end:]])


def _values(values: dict[str, object], keys: tuple[str, ...]) -> list[str]:
    return [str(values[k]) for k in keys]


def test_table_three_block_labels_then_numbers(tmp_path: Path) -> None:
    values = random_consistent_tables(random.Random(21))
    header = [c.label.text for c in SPEC.tables["t3"].columns]
    keys = list(T3)
    lines = header[:]
    for i in range(0, len(keys), 3):  # three labels, then their 21 numbers
        block = keys[i : i + 3]
        lines += [_label(k) for k in block]
        lines += [v for k in block for v in _values(values, T3[k].cells)]
    report = _read(tmp_path, _replace_table(write_report(values, "tab"), 2, lines))
    assert all(report.cells[k].value == values[k] for k in values), _codes(report)
    assert "R001" not in _codes(report) and "R008" in _codes(report)


def test_table_three_column_by_column(tmp_path: Path) -> None:
    """Numbers of three rows printed column by column: only that reading satisfies I2."""
    values = random_consistent_tables(random.Random(22))
    block = ["unable_not_held", "unable_needs_creation", "unable_unclear_after_correction"]
    text = write_report(values, "cell_per_line")
    numbers = [str(values[T3[k].cells[c]]) for c in range(7) for k in block]
    lines = text.split("\n")
    first = lines.index(f"\t{_label(block[0])}")
    last = lines.index(f"\t{_label(block[-1])}") + 8
    lines[first:last] = [f"\t{_label(k)}" for k in block] + [f"\t{n}" for n in numbers]
    report = _read(tmp_path, "\n".join(lines))
    assert all(report.cells[k].value == values[k] for k in values), _codes(report)
    (r008,) = [d for d in report.diagnostics if d.code == "R008"]
    assert r008.params["order"] == "逐列"


def test_table_four_headers_then_fifteen_numbers(tmp_path: Path) -> None:
    values = random_consistent_tables(random.Random(23))
    t4 = SPEC.tables["t4"]
    lines = [g.label.text for g in t4.groups] + [c.label.text for c in t4.columns] * 3
    lines += _values(values, T4.cells)
    report = _read(tmp_path, _replace_table(write_report(values, "tab"), 3, lines))
    assert all(report.cells[k].value == values[k] for k in T4.cells)
    assert "R001" not in _codes(report)


def test_table_four_numbers_split_by_headers(tmp_path: Path) -> None:
    """pdftotext: the 行政复议 numbers, then the 行政诉讼 headers, then ten numbers; two numbers on one line."""
    values = random_consistent_tables(random.Random(24))
    t4 = SPEC.tables["t4"]
    cols = [c.label.text for c in t4.columns]
    nums = _values(values, T4.cells)
    lines = [t4.groups[0].label.text, *cols, *nums[:5], t4.groups[1].label.text, t4.groups[2].label.text]
    lines += cols * 2 + [*nums[5:13], f"{nums[13]} {nums[14]}"]
    report = _read(tmp_path, _replace_table(write_report(values, "tab"), 3, lines))
    assert all(report.cells[k].value == values[k] for k in T4.cells), report.diagnostics
    assert "R001" not in _codes(report) and "R008" in _codes(report)


def test_table_two_block_labels_then_numbers(tmp_path: Path) -> None:
    """表二 has no identity: one column of rows reads (only one reading), a 2×3 block is UNCERTAIN."""
    values = random_consistent_tables(random.Random(25))
    t2 = SPEC.tables["t2"]
    lines: list[str] = []
    for block in t2.blocks:
        rows = [p for p in t2.physical_rows if p.block == block.key]
        lines += [block.caption.text, t2.header_labels[0].text, *(c.label.text for c in block.columns)]
        lines += [_label(p.key) for p in rows]
        lines += [
            str(values[k]).rstrip("0").rstrip(".") if "." in str(values[k]) else str(values[k])
            for p in rows
            for k in p.cells
        ]
    report = _read(tmp_path, _replace_table(write_report(values, "tab"), 1, lines))
    two_by_three = [k for p in t2.physical_rows if p.block == t2.blocks[0].key for k in p.cells]
    for key in values:
        if key.startswith("t2."):
            cell = report.cells[key]
            if key in two_by_three:
                assert cell.value is None and cell.state is CellState.UNCERTAIN, key
            else:
                assert cell.value == values[key], key
    (r009,) = [d for d in report.diagnostics if d.code == "R009"]
    assert r009.location == f"t2.{t2.physical_rows[0].key}" and "没有勾稽关系" in r009.params["reason"]


def test_count_one_short_places_what_the_identities_prove(tmp_path: Path) -> None:
    """One number too few for the label run (the last one lost, or a blank cell left out): the
    first row's total cuts the run (R008), and the column identities place the second row's six
    numbers (R019); the cell with no number stays missing, never a guess."""
    values = random_consistent_tables(random.Random(26))
    block = ["not_handled_petition", "not_handled_duplicate"]
    text = write_report(values, "cell_per_line")
    lines = text.split("\n")
    first = lines.index(f"\t{_label(block[0])}")
    last = lines.index(f"\t{_label(block[-1])}") + 8
    numbers = [str(values[k]) for b in block for k in T3[b].cells][:-1]
    lines[first:last] = [f"\t{_label(k)}" for k in block] + [f"\t{n}" for n in numbers]
    report = _read(tmp_path, "\n".join(lines))
    lost = T3[block[-1]].cells[-1]
    assert report.cells[lost].value is None and report.cells[lost].state is CellState.UNCERTAIN
    assert {"R008", "R019"} <= set(_codes(report)) and "R001" not in _codes(report)
    assert all(report.cells[k].value == v for k, v in values.items() if k != lost)


def test_ordinary_reports_are_untouched(tmp_path: Path) -> None:
    values = random_consistent_tables(random.Random(27))
    for layout in ("tab", "cell_per_line", "pipe"):
        report = _read(tmp_path, write_report(values, layout))
        assert all(report.cells[k].value == v for k, v in values.items())
        assert not {"R008", "R009"} & set(_codes(report))


def _t2_rows_then_columns(values: dict[str, object], with_labels: bool) -> list[str]:
    """表二 as pdftotext (without -layout) prints a Word table saved as PDF: the row labels first,
    then each column's numbers after its column label (or, `with_labels` False, without them)."""
    t2 = SPEC.tables["t2"]
    lines: list[str] = [t2.header_labels[0].text]
    for block in t2.blocks:
        rows = [p for p in t2.physical_rows if p.block == block.key]
        lines += [_label(p.key) for p in rows] + [block.caption.text]
        for c, column in enumerate(block.columns):
            if with_labels:
                lines.append(column.label.text)
            lines += [str(values[p.cells[c]]).removesuffix(".0") for p in rows]
    return lines


def test_table_two_numbers_after_each_column_label(tmp_path: Path) -> None:
    """本年制发件数 1 507 本年废止件数 0 149 …: each column's numbers follow its label (R008, by labels)."""
    values = random_consistent_tables(random.Random(28))
    text = _replace_table(write_report(values, "tab"), 1, _t2_rows_then_columns(values, with_labels=True))
    report = _read(tmp_path, text)
    assert all(report.cells[k].value == v for k, v in values.items() if k.startswith("t2.")), report.diagnostics
    orders = {d.params["order"] for d in report.diagnostics if d.code == "R008"}
    assert orders == {"按各栏标题逐栏"}


def test_table_two_rows_of_several_sizes_without_labels_between_are_uncertain(tmp_path: Path) -> None:
    """The same numbers column by column, with no column label between them: 表二 has no identity
    to tell row by row from column by column, so the 2×3 block is UNCERTAIN (it used to be read
    row by row: a guess, and here a wrong one)."""
    values = random_consistent_tables(random.Random(28))
    lines = _t2_rows_then_columns(values, with_labels=False)
    report = _read(tmp_path, _replace_table(write_report(values, "tab"), 1, lines))
    block = [k for p in SPEC.tables["t2"].physical_rows[:2] for k in p.cells]
    assert all(report.cells[k].value is None and report.cells[k].state is CellState.UNCERTAIN for k in block)
    assert all(report.cells[k].value in (None, values[k]) for k in values)  # never a wrong number
    assert "R009" in _codes(report)


def test_numbers_that_do_not_fit_their_labels_leave_the_rows_unknown_not_blank(tmp_path: Path) -> None:
    """Labels first, then numbers that fit no reading: the rows are UNCERTAIN (R015), not EMPTY,
    so that the checker does not report them as left blank."""
    values = random_consistent_tables(random.Random(29))
    block = ["unable_not_held", "unable_needs_creation", "unable_unclear_after_correction"]
    text = write_report(values, "cell_per_line")
    lines = text.split("\n")
    first = lines.index(f"\t{_label(block[0])}")
    last = lines.index(f"\t{_label(block[-1])}") + 8
    numbers = [str(values[T3[k].cells[c]]) for k in block for c in range(7)][:-2]  # two numbers lost
    lines[first:last] = [f"\t{_label(k)}" for k in block] + [f"\t{n}" for n in numbers]
    report = _read(tmp_path, "\n".join(lines))
    cells = [k for b in block for k in T3[b].cells]
    assert all(report.cells[k].value is None for k in cells)
    assert all(report.cells[k].state is CellState.UNCERTAIN for k in cells)
    (r015,) = [d for d in report.diagnostics if d.code == "R015"]
    assert (r015.location, r015.expected, r015.found) == (f"t3.{block[0]}", 21, 19)
    assert all(report.cells[k].value == v for k, v in values.items() if k not in cells)
