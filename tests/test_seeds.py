"""The five seed reports: every one of their 200 cells, their metadata and their findings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from xxgk import check_report, read_report
from xxgk.cli.files import example_files
from xxgk.format import load_format
from xxgk.report import CellState

from .conftest import SEEDS, seed

SPEC = load_format()
ALL_KEYS = [c.key for c in SPEC.iter_cells()]
REVIEW_KEYS = [f"t4.review.{c}" for c in ("upheld", "corrected", "other", "pending", "total")]

# What each seed is: agency and year as printed, the printed date (only 004 has one), title.
META = {
    "000": ("三门峡市陕州区大营镇人民政府", 2024, None, "三门峡市陕州区大营镇人民政府2024年政府信息公开工作年度报告"),
    "001": ("孟津区送庄镇人民政府", 2023, None, "孟津区送庄镇人民政府2023年政府信息公开工作年度报告"),
    "002": ("六安市金安区木厂镇", 2024, None, "六安市金安区木厂镇2024年政府信息公开工作年度报告"),
    "003": ("虎林市宝东镇人民政府", 2024, None, "虎林市宝东镇人民政府2024年政府信息公开工作年度报告"),
    "004": ("盖州市二台乡人民政府", 2024, date(2025, 1, 9), None),
}

# The findings each seed must produce, as (code, location), in output order.
FINDINGS = {
    "000": [("D051", "s1_overview")],
    "001": [("D051", "s1_overview"), ("D091", "s1_overview")],
    "002": [("R013", "document"), ("B024", "s6_other")],  # R013: a conversion's bookmark marks removed
    "003": [("D051", "s1_overview"), ("R003", "t3.unable_needs_creation")]
    + [("C061", k) for k in REVIEW_KEYS]
    + [("D033", "t4.review.total")],
    "004": [("B051", "title"), ("D051", "s1_overview")],
}


def test_package_examples_are_the_seeds() -> None:
    shipped = {p.name: p.read_bytes() for p in example_files()}
    assert shipped == {p.name: p.read_bytes() for p in SEEDS}
    assert len(shipped) == 5


@pytest.mark.parametrize("prefix", sorted(META))
def test_metadata(prefix: str) -> None:
    report = read_report(seed(prefix))
    agency, year, printed, title = META[prefix]
    assert (report.meta.agency, report.meta.year, report.meta.date, report.meta.title) == (agency, year, printed, title)
    assert report.meta.format_version == "gov2021"
    assert [k for k, s in report.sections.items() if s.found] == [s.key for s in SPEC.sections]


@pytest.mark.parametrize("prefix", sorted(META))
def test_every_cell(prefix: str) -> None:
    """All seed tables are zero, except 003's five blank 行政复议 cells, which stay missing."""
    report = read_report(seed(prefix))
    assert sorted(report.cells) == sorted(ALL_KEYS) and len(ALL_KEYS) == 200
    missing = REVIEW_KEYS if prefix == "003" else []
    for key in ALL_KEYS:
        cell = report.cells[key]
        if key in missing:
            assert (cell.value, cell.state, cell.raw) == (None, CellState.EMPTY, ""), key
        else:
            assert (cell.value, cell.state, cell.raw) == (0, CellState.NUMBER, "0"), key
        assert cell.source is not None and cell.source.file == str(seed(prefix)), key


@pytest.mark.parametrize(
    ("prefix", "key", "line", "cell"),
    [
        ("000", "t2.regulations.issued", 31, 1),
        ("000", "t3.new_received.natural_person", 49, 2),
        ("000", "t3.withheld_state_secret.natural_person", 53, 3),
        ("001", "t3.processed_total.natural_person", 78, 1),  # the shifted 总计 row
        ("001", "t3.processed_total.total", 78, 7),
        ("002", "t3.other_no_correction.total", 306, None),  # the 7th value wrapped to its own line
        ("002", "t4.litigation_after_review.total", 393, 1),
        ("003", "t3.unable_needs_creation.total", 65, 8),  # label broken over lines 65/67
        ("003", "t4.litigation_direct.upheld", 85, 5),
        ("003", "t4.review.upheld", 85, 0),
        ("004", "t3.new_received.natural_person", 69, 0),
        ("004", "t4.litigation_after_review.total", 334, 0),
    ],
)
def test_provenance(prefix: str, key: str, line: int, cell: int | None) -> None:
    source = read_report(seed(prefix)).cells[key].source
    assert source is not None
    assert (source.line, source.cell) == (line, cell)


@pytest.mark.parametrize("prefix", sorted(FINDINGS))
def test_findings(prefix: str) -> None:
    report = read_report(seed(prefix))
    got = [(f.code, f.location) for f in check_report(report)]
    assert got == FINDINGS[prefix]


def test_003_review_cells_are_missing_not_zero() -> None:
    report = read_report(seed("003"))
    findings = {(f.code, f.location): f for f in check_report(report)}
    for key in REVIEW_KEYS:
        assert report.cells[key].value is None
        f = findings[("C061", key)]
        assert f.source is not None and f.source.line == 85
    # The litigation cells of the same line were read as 0, not shifted into the review group.
    assert all(report.cells[f"t4.litigation_direct.{c}"].value == 0 for c in ("upheld", "total"))
    # The text says there was no 行政复议: D033 offers that as the likely value, the table stays missing.
    assert findings[("D033", "t4.review.total")].found == 0


def test_001_duplicated_sentence_and_shifted_total_row() -> None:
    report = read_report(seed("001"))
    (dup,) = [f for f in check_report(report) if f.code == "D091"]
    assert dup.found == "送庄镇政府信息公开考核评议制度"
    assert all(report.cells[f"t3.processed_total.{c.key}"].value == 0 for c in SPEC.tables["t3"].columns)


def test_002_bookmark_artefact_removed_and_section_texts() -> None:
    report = read_report(seed("002"))
    s1 = report.sections["s1_overview"].text
    assert "[bookmark" not in report.dumps()
    assert s1.startswith("（一）主动公开情况\n2024年度，木厂镇积极贯彻落实上级部署")
    assert report.sections["s6_other"].heading == "六、其它需要报告事项"
    assert "本年度没有产生信息公开处理费" in report.sections["s6_other"].text


def test_004_half_width_layout_and_signature() -> None:
    report = read_report(seed("004"))
    assert report.meta.agency_source is not None and report.meta.agency_source.line == 342
    assert report.meta.statistics_period == (date(2024, 1, 1), date(2024, 12, 31))
    assert report.sections["s5_problems"].text.startswith("(一)存在的主要问题")


def test_sections_exclude_table_lines(seeds: list[Path]) -> None:
    for path in seeds:
        report = read_report(path)
        for key in ("s2_proactive", "s3_applications", "s4_review_litigation"):
            assert "本年制发件数" not in report.sections[key].text
            assert "结果维持" not in report.sections[key].text.replace(" ", "")
