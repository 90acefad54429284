"""Generated reports: consistent tables read back exactly; each kind of error found where it is."""

from __future__ import annotations

import random
import tempfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings

from xxgk import check_report, read_report
from xxgk.findings import Finding, Severity
from xxgk.report import CellState, Number, Report

from .generate import LAYOUTS, SPEC, Value, consistent_tables, identity_sums, random_consistent_tables, write_report

IDENTITY_CODES = ("C01", "C02", "C03", "C04")
DOMAIN_CODES = ("C051", "C052", "C053")
REVIEW_KEYS = [k for k in SPEC.cells if k.startswith("t4.review.")]


def read_text(text: str) -> Report:
    """Write `text` to a temporary .txt file and read it back."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.txt"
        path.write_text(text, encoding="utf-8")
        return read_report(path)


def findings_of(report: Report, *prefixes: str) -> list[Finding]:
    return [f for f in check_report(report) if f.code.startswith(prefixes)]


def codes_at(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.code, f.location) for f in findings}


def base_values(seed: int = 2024) -> dict[str, Number]:
    return random_consistent_tables(random.Random(seed))


def with_cell(values: dict[str, Number], key: str, text: Value) -> dict[str, Value]:
    """`values` with one cell replaced (by a number, or by text written verbatim)."""
    return {**values, key: text}


# ---------------------------------------------------------------------------------------------
# Property: consistent reports round-trip and pass every identity.


def test_generator_satisfies_every_identity() -> None:
    values = base_values()
    assert len(values) == len(SPEC.cells) == 200
    assert all(v > 0 for v in values.values())
    for identity in SPEC.identities:
        for inst in identity.instances:
            lhs, rhs = identity_sums(values, identity.id, inst.binding)
            assert lhs == rhs, (identity.id, inst.binding)


@pytest.mark.parametrize("layout", LAYOUTS)
@settings(max_examples=25, deadline=None)
@given(values=consistent_tables())
def test_consistent_report_round_trips(layout: str, values: dict[str, int | Decimal]) -> None:
    report = read_text(write_report(values, layout, agency="某某镇人民政府", year=2023))
    assert {k: report.value(k) for k in values} == values
    assert all(report.cells[k].state is CellState.NUMBER for k in values)
    assert (report.meta.agency, report.meta.year) == ("某某镇人民政府", 2023)
    findings = check_report(report)
    assert [f for f in findings if f.code.startswith(IDENTITY_CODES)] == []
    assert [(f.code, f.location) for f in findings if f.severity is Severity.ERROR] == []


# ---------------------------------------------------------------------------------------------
# Inconsistent variants: one changed cell, the right rule at the right place.


@pytest.mark.parametrize("layout", LAYOUTS)
def test_consistent_report_has_no_arithmetic_or_domain_finding(layout: str) -> None:
    report = read_text(write_report(base_values(), layout))
    assert findings_of(report, *IDENTITY_CODES, *DOMAIN_CODES) == []


@pytest.mark.parametrize("layout", LAYOUTS)
def test_bumped_outcome_cell_breaks_row_total_and_processed_total(layout: str) -> None:
    values = base_values()
    old_total = values["t3.granted.total"]
    old_processed = values["t3.processed_total.natural_person"]
    bumped = with_cell(values, "t3.granted.natural_person", values["t3.granted.natural_person"] + 1)
    report = read_text(write_report(bumped, layout))
    found = findings_of(report, *IDENTITY_CODES)
    assert codes_at(found) == {("C021", "t3.granted.total"), ("C031", "t3.processed_total.natural_person")}
    (c021,) = [f for f in found if f.code == "C021"]
    assert (c021.expected, c021.found) == (old_total + 1, old_total)
    (c031,) = [f for f in found if f.code == "C031"]
    assert (c031.expected, c031.found) == (old_processed + 1, old_processed)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_wrong_review_total(layout: str) -> None:
    values = base_values()
    parts = sum(values[f"t4.review.{p}"] for p in ("upheld", "corrected", "other", "pending"))
    assert values["t4.review.total"] == parts
    report = read_text(write_report(with_cell(values, "t4.review.total", parts + 3), layout))
    (c041,) = findings_of(report, *IDENTITY_CODES)
    assert (c041.code, c041.location, c041.expected, c041.found) == ("C041", "t4.review.total", parts, parts + 3)
    assert c041.params["diff"] == 3


@pytest.mark.parametrize("layout", LAYOUTS)
def test_wrong_carried_over_out(layout: str) -> None:
    """C011 sits on 结转下年度 (the last rhs term); expected = 新收 + 上年结转 − （七）总计."""
    values = base_values()
    col = "natural_person"
    balance = (
        values[f"t3.new_received.{col}"] + values[f"t3.carried_over_in.{col}"] - values[f"t3.processed_total.{col}"]
    )
    assert values[f"t3.carried_over_out.{col}"] == balance
    old_row_total = values["t3.carried_over_out.total"]
    report = read_text(write_report(with_cell(values, f"t3.carried_over_out.{col}", balance + 2), layout))
    found = findings_of(report, *IDENTITY_CODES)
    # The changed cell also breaks its own row total (I2).
    assert codes_at(found) == {("C011", f"t3.carried_over_out.{col}"), ("C021", "t3.carried_over_out.total")}
    (c011,) = [f for f in found if f.code == "C011"]
    assert (c011.expected, c011.found) == (balance, balance + 2)
    assert c011.params["diff"] == -2
    (c021,) = [f for f in found if f.code == "C021"]
    assert (c021.expected, c021.found) == (old_row_total + 2, old_row_total)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_negative_cell(layout: str) -> None:
    values = with_cell(base_values(), "t3.withheld_third_party.legal_service_org", -3)
    report = read_text(write_report(values, layout))
    (c051,) = findings_of(report, "C051")
    assert (c051.location, c051.found) == ("t3.withheld_third_party.legal_service_org", -3)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_fractional_count(layout: str) -> None:
    values = with_cell(base_values(), "t4.litigation_direct.corrected", "1.5")
    report = read_text(write_report(values, layout))
    (c052,) = findings_of(report, "C052")
    assert (c052.location, c052.found) == ("t4.litigation_direct.corrected", Decimal("1.5"))
    assert report.value("t4.litigation_direct.other") == values["t4.litigation_direct.other"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_fee_decimal_is_not_a_fractional_count(layout: str) -> None:
    values = with_cell(base_values(), "t2.administrative_fees.amount_wan_yuan", Decimal("12.3456"))
    report = read_text(write_report(values, layout))
    assert report.value("t2.administrative_fees.amount_wan_yuan") == Decimal("12.3456")
    assert findings_of(report, "C052") == []


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("column", ["natural_person", "research_institution", "other_org"])
def test_text_in_number_cell(layout: str, column: str) -> None:
    key = f"t3.granted.{column}"
    values = with_cell(base_values(), key, "见附件")
    report = read_text(write_report(values, layout))
    assert (report.cells[key].state, report.cells[key].value) == (CellState.TEXT, None)
    (c053,) = findings_of(report, "C053")
    assert (c053.location, c053.found) == (key, "见附件")
    # The rest of the row is still read in place.
    row = [k for k in SPEC.cells if k.startswith("t3.granted.") and k != key]
    assert {k: report.value(k) for k in row} == {k: values[k] for k in row}


# ---------------------------------------------------------------------------------------------
# Missing cells (tab layout only: the other layouts drop empty cells, as the seeds do).


def test_blank_review_cells_are_missing_not_zero() -> None:
    values = base_values()
    report = read_text(write_report(values, "tab", missing=REVIEW_KEYS))
    assert len(REVIEW_KEYS) == 5
    for key in REVIEW_KEYS:
        assert (report.value(key), report.cells[key].state) == (None, CellState.EMPTY), key
    others = [k for k in values if k not in REVIEW_KEYS]
    assert {k: report.value(k) for k in others} == {k: values[k] for k in others}
    findings = check_report(report)
    assert Counter(f.location for f in findings if f.code == "C061") == Counter(REVIEW_KEYS)
    assert [f for f in findings if f.code == "C041"] == []
    assert [f for f in findings if f.code.startswith(IDENTITY_CODES)] == []
