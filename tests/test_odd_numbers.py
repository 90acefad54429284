"""Odd numbers in table cells (issue 25, item 5): "3 3", superscripts and circled digits, digit strings
thousands long, and counts no agency can have (rule C054)."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import read_text_report, seed
from xxgk.api import check_report
from xxgk.format.normalize import normalize_text
from xxgk.format.spec import count_bounds
from xxgk.recognize.values import parse_value
from xxgk.report import CellState, Report

SEED = seed("000").read_text("utf-8")  # 三门峡市陕州区大营镇人民政府: a township, TAB tables
GRANTED_ROW = next(line for line in SEED.split("\n") if "予以公开\t0" in line)
LICENSING_ROW = "\n行政许可\t0\t\t\n"
NEW_TOTAL_ROW = "一、本年新收政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0\t"


def _with_granted(text: str) -> str:
    """The seed with 表三「（一）予以公开」×「自然人」written `text`."""
    return SEED.replace(GRANTED_ROW, GRANTED_ROW.replace("予以公开\t0", f"予以公开\t{text}", 1), 1)


def _with_licensing(text: str, agency: str | None = None) -> str:
    out = SEED.replace(LICENSING_ROW, f"\n行政许可\t{text}\t\t\n", 1)
    assert out != SEED
    return out.replace("三门峡市陕州区大营镇人民政府", agency, 1) if agency else out


def _r016(report: Report) -> list[tuple[str, str | None]]:
    return [(d.location, d.found) for d in report.diagnostics if d.code == "R016"]


@pytest.mark.parametrize("cell", ["3 3", "3\u30003", "1 234", "³", "①", "⑩", "10²³", "2³"])
def test_a_cell_that_is_not_one_plain_number_is_missing_with_a_reading_note(tmp_path: Path, cell: str) -> None:
    report = read_text_report(tmp_path, _with_granted(cell))
    granted = report.cells["t3.granted.natural_person"]
    assert granted.value is None
    assert granted.state is CellState.UNCERTAIN
    assert granted.raw == normalize_text(cell)  # (the ideographic space is a space to every reader)
    assert _r016(report) == [("t3.granted.natural_person", granted.raw)]
    codes = {(f.code, f.location) for f in check_report(report)}
    # missing, not 0: C062 says the identities it leaves open; the cell itself is the reader's note
    # R016, not C061 (a blank the report printed), since the report did print something there
    assert ("C062", "t3.granted.natural_person") in codes
    assert ("C061", "t3.granted.natural_person") not in codes
    assert ("C053", "t3.granted.natural_person") not in codes  # a reading doubt, not text in the cell


@pytest.mark.parametrize("text", ["3\n3", "3\t3", "3\u00a03", "3 3件", "10 ²", "¹"])
def test_parse_value_doubts_any_whitespace_between_digits_and_odd_digit_signs(text: str) -> None:
    # (What a web page's cell with a line break, or any reader's cell, may hold.)
    parsed = parse_value(text)
    assert (parsed.state, parsed.value) == (CellState.UNCERTAIN, None)
    assert parsed.doubt


@pytest.mark.parametrize("cell", ["33", "３３", "1,234", "22（其中修订 16 件）", "0"])
def test_plain_numbers_still_read(tmp_path: Path, cell: str) -> None:
    report = read_text_report(tmp_path, _with_granted(cell))
    assert report.cells["t3.granted.natural_person"].state is CellState.NUMBER
    assert report.cells["t3.granted.natural_person"].value == int(re.sub(r"\D", "", cell.split("（")[0]) or 0)
    assert _r016(report) == []


def test_a_layout_with_a_rows_values_on_one_line_is_not_in_doubt(tmp_path: Path) -> None:
    # pdftotext-like text: the TABs become spaces, so each table row is one text run with its values
    # a space apart. The layout says they are separate cells: read as before, no reading note.
    original = read_text_report(tmp_path, SEED)
    spaced = read_text_report(tmp_path, re.sub(r"\t+", " ", SEED))
    assert _r016(spaced) == []
    keys = [k for k in original.cells if k.startswith(("t3.new_received.", "t4.", "t2.regulations."))]
    assert len(keys) == 7 + 15 + 3
    for key in keys:
        assert spaced.cells[key].state is CellState.NUMBER, key
        assert spaced.cells[key].value == original.cells[key].value, key


@pytest.mark.parametrize("ndigits", [4301, 5000, 100_000])
def test_a_digit_string_thousands_long_gives_a_clean_result(ndigits: int) -> None:
    text = "7" * ndigits
    started = time.perf_counter()
    parsed = parse_value(text)
    assert time.perf_counter() - started < 1.0
    assert parsed.state is CellState.UNCERTAIN and parsed.value is None
    assert parsed.doubt is not None and str(ndigits) in parsed.doubt


def test_a_digit_string_within_pythons_limit_is_read_whatever_the_limit_set(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_value("9" * 400).value == int("9" * 400)
    old = sys.get_int_max_str_digits()
    try:
        sys.set_int_max_str_digits(640)  # (the smallest limit Python allows)
        parse_value.cache_clear()
        assert parse_value("9" * 641).state is CellState.UNCERTAIN  # not a ValueError
        assert parse_value("9" * 640).value == int("9" * 640)
        sys.set_int_max_str_digits(0)  # no limit: MAX_NUMBER_DIGITS still applies
        parse_value.cache_clear()
        assert parse_value("9" * 4001).state is CellState.UNCERTAIN
    finally:
        sys.set_int_max_str_digits(old)
        parse_value.cache_clear()


def test_a_5000_digit_cell_reads_and_checks_cleanly(tmp_path: Path) -> None:
    report = read_text_report(tmp_path, _with_licensing("1" * 5000))
    cell = report.cells["t2.administrative_licensing.decisions"]
    assert cell.value is None and cell.state is CellState.UNCERTAIN
    findings = check_report(report)
    codes = {(f.code, f.location) for f in findings}
    assert ("R016", "t2.administrative_licensing.decisions") in codes
    assert ("C061", "t2.administrative_licensing.decisions") not in codes
    messages = [f.message(report.spec) for f in findings if f.location == "t2.administrative_licensing.decisions"]
    assert any("共 5000 个字符" in m for m in messages)  # R016, quoting the cell's start
    assert all(len(m) < 400 for m in messages)


# --- C054: counts above the format's plausible bound for the agency's kind


def _c054(report: Report) -> list[tuple[str, object]]:
    return [(f.location, f.found) for f in check_report(report) if f.code == "C054"]


@pytest.mark.parametrize("cell", ["9" * 400, str(10**23)])
def test_c054_fires_on_garbage_counts_in_table_2(tmp_path: Path, cell: str) -> None:
    report = read_text_report(tmp_path, _with_licensing(cell))
    assert report.cells["t2.administrative_licensing.decisions"].value == int(cell)
    (finding,) = [f for f in check_report(report) if f.code == "C054"]
    assert (finding.location, finding.found) == ("t2.administrative_licensing.decisions", int(cell))
    assert finding.severity.value == "warning"
    message = finding.message(report.spec)
    assert "乡镇（街道）" in message and "10,000,000" in message
    assert len(message) < 200  # a 400-digit number is shown by its start and length


def test_c054_bound_depends_on_the_agencys_kind(tmp_path: Path) -> None:
    # 20 million 行政许可 decisions: impossible for a township, possible for a province.
    township = read_text_report(tmp_path, _with_licensing("20000000"))
    assert _c054(township) == [("t2.administrative_licensing.decisions", 20_000_000)]
    province = read_text_report(tmp_path, _with_licensing("20000000", agency="广东省人民政府"))
    assert province.meta.agency == "广东省人民政府"
    assert _c054(province) == []


def test_c054_fires_on_table_3_new_requests_of_a_township(tmp_path: Path) -> None:
    limit = count_bounds("gov2021")[1].limits["township"]
    row = NEW_TOTAL_ROW.replace("\t0\t", f"\t{limit + 1}\t", 1)
    report = read_text_report(tmp_path, SEED.replace(NEW_TOTAL_ROW, row, 1))
    assert ("t3.new_received.natural_person", limit + 1) in _c054(report)


def test_c054_does_not_fire_on_real_large_figures(tmp_path: Path) -> None:
    # 三明市's 554,782 行政许可 decisions in 2021 (corpus/001), even were they a township's.
    report = read_text_report(tmp_path, _with_licensing("554782"))
    assert report.cells["t2.administrative_licensing.decisions"].value == 554_782
    assert _c054(report) == []
    assert _c054(read_text_report(tmp_path, SEED)) == []


def test_count_bounds_are_generous_and_complete() -> None:
    bounds = count_bounds("gov2021")
    assert [b.pattern for b in bounds] == ["t2.*", "t3.*", "t4.*"]
    for b in bounds:
        assert set(b.limits) == {"township", "government", "department", "unknown"}
        assert b.limits["township"] <= b.limits["government"] == b.limits["unknown"]
        assert min(b.limits.values()) >= 100_000
