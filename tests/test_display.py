"""One way to write a value as JSON and one way to show it to people (xxgk.display), used by the
report's JSON, the findings' JSON, the finding messages and the text output alike."""

from __future__ import annotations

import json
from decimal import Decimal

from xxgk.display import MISSING_TEXT, json_value, show
from xxgk.findings import Finding
from xxgk.format import load_format
from xxgk.report import Cell, CellState
from xxgk.rules import RULES

SPEC = load_format()


def test_decimals_keep_the_fraction_they_were_written_with() -> None:
    assert json_value(Decimal("12")) == 12 and type(json_value(Decimal("12"))) is int
    assert json_value(Decimal("12.50")) == 12.5
    assert json_value(Decimal("12.0")) == 12.0 and type(json_value(Decimal("12.0"))) is float
    assert json_value(Decimal("1E+1")) == 10 and type(json_value(Decimal("1E+1"))) is int
    assert [json_value(v) for v in (None, 7, "7", [Decimal("1")])] == [None, 7, "7", [Decimal("1")]]


def test_the_report_and_the_findings_write_decimals_alike() -> None:
    cell = Cell("t3.fee.total", Decimal("3.0"), CellState.NUMBER, "3.0")
    code = next(c for c, r in RULES.items() if r.check is not None)
    finding = Finding(code, "t3.fee.total", expected=Decimal("3.0"), found=Decimal("2"))
    record = finding.to_json(SPEC)
    assert json.dumps([cell.to_json()["value"], record["expected"], record["found"]]) == "[3.0, 3.0, 2]"


def test_missing_values_are_shown_as_missing_everywhere() -> None:
    assert show(None) == MISSING_TEXT == "（缺失）"
    assert show([3, None, (Decimal("1.5"), None)]) == "3、（缺失）、1.5、（缺失）"
    assert show(0) == "0"
