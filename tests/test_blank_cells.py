"""No blank cell becomes a number, no value moves to another column (issue 24 §1).

A blank field of a table line is a cell, in every position: a row read with fewer values than
cells is placed by where its values stand on the line, never by their order alone."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from xxgk.api import read
from xxgk.report import CellState, Report

from .blanking import Tally, real_reports, run
from .conftest import seed
from .generate import random_consistent_tables, write_report

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
T3_COLUMNS = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "public_interest_org",
    "legal_service_org",
    "other_org",
    "total",
)


def _read_with(tmp_path: Path, seed: str, starts: str, line: str) -> Report:
    lines = (SEEDS / seed).read_text(encoding="utf-8").split("\n")
    (at,) = [i for i, li in enumerate(lines) if li.lstrip("\t").startswith(starts)]
    lines[at] = line
    path = tmp_path / "damaged.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return read(path)


def _row(report: Report, row: str) -> list[object]:
    return [report.cells[f"t3.{row}.{c}"].value for c in T3_COLUMNS]


def _states(report: Report, row: str) -> set[CellState]:
    return {report.cells[f"t3.{row}.{c}"].state for c in T3_COLUMNS}


def test_tab_row_with_blank_total_is_not_shifted(tmp_path: Path) -> None:
    # Seed 000 prints this row's values at fields 3..9 under a header at 2..8.
    report = _read_with(
        tmp_path, "000_a7fa6606f2a08b74.txt", "7. 属于行政执法案卷", "\t\t7. 属于行政执法案卷\t1\t2\t0\t0\t0\t0\t"
    )
    assert _row(report, "withheld_enforcement_file") == [1, 2, 0, 0, 0, 0, None]
    assert report.cells["t3.withheld_enforcement_file.total"].state is CellState.EMPTY


def test_tab_row_with_blank_first_value_is_not_shifted(tmp_path: Path) -> None:
    report = _read_with(
        tmp_path, "000_a7fa6606f2a08b74.txt", "7. 属于行政执法案卷", "\t\t7. 属于行政执法案卷\t\t2\t0\t0\t0\t0\t3"
    )
    assert _row(report, "withheld_enforcement_file") == [None, 2, 0, 0, 0, 0, 3]


def test_tab_total_row_with_blank_first_value_is_never_a_number(tmp_path: Path) -> None:
    # Seed 001 prints (七) 总计 at fields 1..7 (its other rows at 2..8 and 3..9): a blank first
    # value looks exactly like a blank total of a row at 2..8. Either reading could be wrong.
    report = _read_with(tmp_path, "001_e916c221fc47842f.txt", "(七) 总计", "(七) 总计\t\t5\t0\t0\t0\t0\t5\t\t")
    assert _row(report, "processed_total") == [None] * 7
    assert _states(report, "processed_total") == {CellState.UNCERTAIN}
    assert any(d.code == "R001" and d.location == "t3.processed_total" for d in report.diagnostics)


def test_tab_row_where_blank_fields_could_be_padding(tmp_path: Path) -> None:
    # Seed 000's rows 一、… sit at the header's positions (2..8), its rows (三)… at 3..9: a row
    # whose first field after the label is blank may be either. Never a guess: R001.
    report = _read_with(
        tmp_path,
        "000_a7fa6606f2a08b74.txt",
        "二、上年结转政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量\t\t\t4\t0\t0\t0\t0\t4\t",
    )
    assert _row(report, "carried_over_in") == [None] * 7
    assert _states(report, "carried_over_in") == {CellState.UNCERTAIN}


def test_tab_row_at_header_positions_uses_them(tmp_path: Path) -> None:
    # Every complete row of a generated TAB table sits at its header's positions: a row with a
    # blank total (its last field blank, like the padding after it) is placed by them.
    values = random_consistent_tables(random.Random(5))
    text = write_report(values, "tab", missing={"t3.new_received.total", "t3.granted.natural_person"})
    report = read(text.encode("utf-8"), name="r.txt")
    assert _row(report, "new_received") == [values[f"t3.new_received.{c}"] for c in T3_COLUMNS[:-1]] + [None]
    assert report.cells["t3.new_received.total"].state is CellState.EMPTY
    assert _row(report, "granted") == [None] + [values[f"t3.granted.{c}"] for c in T3_COLUMNS[1:]]


# ---------------------------------------------------------------------------------------------
# The property, over every reader's layouts: blank any cells → each blank is missing (or its row
# uncertain), never a number; every other cell keeps its value or is flagged, never another
# number. Seeded random cases (benchmarks/blank_cells.py runs the same with many more).

CASES = {"seed": 80, "tab": 40, "cell_per_line": 80, "pipe": 80, "md": 40, "html": 30, "docx": 6, "pdf": 1}


@pytest.fixture(scope="module")
def reals() -> list[tuple[Path, Report]]:
    return real_reports()


@pytest.mark.parametrize("layout", list(CASES))
def test_blanked_cells_are_never_numbers(layout: str, reals: list[tuple[Path, Report]]) -> None:
    tally = Tally()
    run(layout, CASES[layout], random.Random(f"blanks-{layout}"), reals, tally)
    assert tally.variants == CASES[layout]
    assert tally.blanked >= CASES[layout]  # (every variant blanks at least one cell)
    assert (tally.as_number, tally.moved) == (0, 0), tally.examples[:10]
    assert tally.lost < tally.kept  # (a sanity bound: most cells not blanked are still read)


def test_value_per_line_row_with_a_blank_is_read_by_its_lines() -> None:
    """One value per line, one value blanked: "5 (blank) 2 12 9 4 36" was once rebuilt as a
    collapsed run (R006: 5, 2, 12, 9, 4, 4, 36), which fits the row's own identity and put 2 under
    商业企业, 12 under 科研机构… The blank line is the blank cell (issue 19 §2.3): the row's seven
    lines are its seven cells, read where they stand."""
    values = random_consistent_tables(random.Random(18))
    row = "t3.not_handled_reissue"
    assert [values[f"{row}.{c}"] for c in T3_COLUMNS] == [5, 4, 2, 12, 9, 4, 36]
    for layout in ("cell_per_line", "pipe"):
        text = write_report(values, layout, missing={f"{row}.commercial_enterprise"})
        report = read(text.encode("utf-8"), name="r.txt")
        assert _row(report, "not_handled_reissue") == [5, None, 2, 12, 9, 4, 36], layout
        assert report.cells[f"{row}.commercial_enterprise"].state is CellState.EMPTY
        assert [d for d in report.diagnostics if d.location == row] == []
        assert all(report.cells[k].value == v for k, v in values.items() if k != f"{row}.commercial_enterprise")


def test_value_per_line_row_with_a_blank_at_an_end_stays_uncertain() -> None:
    # A blank first or last cell cannot be told from the empty cells the layout prints around a row
    # (the item-label column after a group label, the line between rows): R001, never shifted.
    values = random_consistent_tables(random.Random(18))
    row = "t3.not_handled_reissue"
    for layout in ("cell_per_line", "pipe"):
        for blank in ("natural_person", "total"):
            text = write_report(values, layout, missing={f"{row}.{blank}"})
            report = read(text.encode("utf-8"), name="r.txt")
            cells = [report.cells[f"{row}.{c}"] for c in T3_COLUMNS]
            assert all(c.value is None for c in cells) or [c.value for c in cells] == [
                None if c == blank else values[f"{row}.{c}"] for c in T3_COLUMNS
            ], (layout, blank)


def test_seed_004_row_of_two_values_and_five_blank_lines() -> None:
    # The case: 26 |, " |" ×5, 26 | is 26, five blanks, 26 — not "2 numbers, cannot place".
    lines = seed("004").read_text("utf-8").split("\n")
    i = lines.index("一、本年新收政府信息公开申请数量 |")
    lines[i + 1 : i + 8] = ["26 |", " |", " |", " |", " |", " |", "26 |"]
    report = read("\n".join(lines).encode("utf-8"), name="r.txt")
    assert _row(report, "new_received") == [26, None, None, None, None, None, 26]
    assert {report.cells[f"t3.new_received.{c}"].state for c in T3_COLUMNS[1:6]} == {CellState.EMPTY}
    assert not [d for d in report.diagnostics if d.location == "t3.new_received"]
