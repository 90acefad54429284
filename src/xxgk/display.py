"""How a value of a report or a finding is written: as JSON, and as zh-CN text for people.

One place for both, so that the JSON output, the finding messages and the text output never
disagree on how a decimal or a missing value is shown.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

MISSING_TEXT = "（缺失）"  # a missing value shown to people: never 0, never blank


def json_value(value: Any) -> Any:
    """`value` ready for `json.dumps`: a Decimal becomes an int when it was read without a fraction
    ("12" -> 12), else a float ("12.50" -> 12.5, "12.0" -> 12.0: the fraction printed stays visible);
    anything else is returned as it is."""
    if type(value) is not Decimal:
        return value
    return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)


def show(value: Any) -> str:
    """`value` as zh-CN text: missing (None) as （缺失）, a list or tuple joined by 、."""
    if value is None:
        return MISSING_TEXT
    if isinstance(value, list | tuple):
        return "、".join(show(x) for x in value)
    return str(value)
