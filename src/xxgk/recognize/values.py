"""Cell text to value: numbers, and the kinds of missing that must never become 0."""

from __future__ import annotations

import re
import sys
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
# Digits a space apart inside one cell ("3 3"): two numbers or one cut in two, never 33. (Layouts
# that print a row's values on one line, "5900 67620", are split into cells before this.)
_SPACED_DIGITS = re.compile(r"\d\s+\d")
_NOTE_START = re.compile(r"[(（]")
# The longest digit string read as a number: Python refuses to convert longer ones to int
# (sys.get_int_max_str_digits(), 4300 by default; 0 means no limit). No count comes near: a longer
# string is damage, left missing with a reading note rather than a ValueError.
MAX_NUMBER_DIGITS = 4000
_DASH = re.compile(r"^[-/\\—–―－─_]+$")
_NONE_WORDS = frozenset({"无", "暂无", "空"})


@dataclass(frozen=True)
class ParsedValue:
    state: CellState
    value: Number | None = None
    unit: str | None = None
    note: str | None = None
    # Why text that reads as a number was not taken as one (the cell is UNCERTAIN, rule R016).
    doubt: str | None = None


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
    doubt = _doubt(text, len(digits))
    if doubt is not None:
        return ParsedValue(CellState.UNCERTAIN, doubt=doubt)
    value: Number
    try:
        if m.group("frac") is not None:
            value = Decimal(f"{m.group('sign')}{digits}.{m.group('frac')}")
        else:
            value = int(f"{m.group('sign')}{digits}")
    except (InvalidOperation, ValueError):  # pragma: no cover - the regex and _doubt admit only short digits
        return ParsedValue(CellState.TEXT)
    return ParsedValue(CellState.NUMBER, value, m.group("unit"), m.group("note"))


def _doubt(text: str, ndigits: int) -> str | None:
    """Why a cell's text, which matches a number once normalised, is not a count (zh-CN), or None.

    label_key drops spaces and NFKC turns ³ into 3 and ① into 1: right for labels, wrong for a
    count, where "3 3" may be two cells' numbers run together and a superscript or circled digit is
    a footnote or an enumeration mark, not the figure."""
    limit = sys.get_int_max_str_digits() or ndigits + 1
    if ndigits > min(MAX_NUMBER_DIGITS, limit):
        return f"数字长达 {ndigits} 位，不是可读取的件数"
    if text.isdecimal():  # digits alone (ASCII or full-width): nothing to doubt
        return None
    figure = _NOTE_START.split(text, 1)[0]
    odd = [c for c in figure if c.isnumeric() and not c.isdecimal()]
    if odd:
        return f"含上标、圈码等特殊数字符号「{''.join(odd)}」，不是件数"
    if _SPACED_DIGITS.search(figure):  # (any whitespace: a space, a TAB, a line break inside the cell)
        return "数字之间有空格，无法确定是一个数还是几个数"
    return None


MAX_SHOWN_CHARS = 40


def shown_text(text: str) -> str:
    """A cell's text as a message quotes it: whole up to MAX_SHOWN_CHARS, else its start and length
    (a damaged cell may hold thousands of digits; the cell keeps them all in `raw`)."""
    return text if len(text) <= MAX_SHOWN_CHARS else f"{text[:20]}…（共 {len(text)} 个字符）"


def is_value_text(text: str) -> bool:
    """True when a cell holds a table value (a number, a dash or 无), not a label or prose. A
    number not taken as one ("3 3", "³": UNCERTAIN) still stands where a value stands."""
    state = parse_value(text).state
    return state in (CellState.NUMBER, CellState.DASH, CellState.NONE_WORD, CellState.UNCERTAIN)
