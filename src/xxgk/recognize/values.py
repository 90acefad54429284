"""Cell text to value: numbers, and the kinds of missing that must never become 0."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from xxgk.format.normalize import label_key
from xxgk.report import CellState, Number

_NUMBER = re.compile(
    r"^(?P<sign>[+-]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?"
    r"(?P<unit>万元|元|件|个|条|项|次|人次|批)?"
    r"(?:[(（](?P<note>[^()（）]*)[)）])?$"
)
_DASH = re.compile(r"^[-/\\—–―－─_]+$")
_NONE_WORDS = frozenset({"无", "暂无", "空"})


@dataclass(frozen=True)
class ParsedValue:
    state: CellState
    value: Number | None = None
    unit: str | None = None
    note: str | None = None


EMPTY = ParsedValue(CellState.EMPTY)


@lru_cache(maxsize=16384)
def parse_value(text: str) -> ParsedValue:
    """Classify a table cell's text. Anything that is not clearly a number stays missing."""
    key = label_key(text).replace("，", ",")
    if not key:
        return EMPTY
    if _DASH.match(key):
        return ParsedValue(CellState.DASH)
    if key in _NONE_WORDS:
        return ParsedValue(CellState.NONE_WORD)
    m = _NUMBER.match(key)
    if not m:
        return ParsedValue(CellState.TEXT)
    digits = m.group("int").replace(",", "")
    value: Number
    try:
        if m.group("frac") is not None:
            value = Decimal(f"{m.group('sign')}{digits}.{m.group('frac')}")
        else:
            value = int(f"{m.group('sign')}{digits}")
    except (InvalidOperation, ValueError):  # pragma: no cover - the regex admits only digits
        return ParsedValue(CellState.TEXT)
    return ParsedValue(CellState.NUMBER, value, m.group("unit"), m.group("note"))


def is_value_text(text: str) -> bool:
    """True when a cell holds a table value (a number, a dash or 无), not a label or prose."""
    state = parse_value(text).state
    return state in (CellState.NUMBER, CellState.DASH, CellState.NONE_WORD)
