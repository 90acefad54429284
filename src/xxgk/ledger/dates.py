"""Dates as people write them in a 台账 or on the command line: `2025-09-26`, `2025/9/26`, `2025.9.26`,
`2025年9月26日` (full-width digits too), or a real date from an Excel cell. One parser for the CLI, the Excel
import and the web forms."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any

from xxgk.ledger.errors import LedgerError

_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
EXAMPLE = "2025-09-26、2025/9/26 或 2025年9月26日"


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and v.strip() == "")


def parse_date(value: Any) -> date | None:
    """A date from a cell or an argument; None when blank. Raises LedgerError (zh-CN) for anything else."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise LedgerError(f"「{value}」不是日期")
    if isinstance(value, int | float):
        raise LedgerError(f"「{value:g}」是数字而不是日期：请填写如 {EXAMPLE} 的日期，或把该列设置为日期格式")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    m = _DATE_TEXT.match(text)
    if not m:
        raise LedgerError(f"「{value}」不是日期：请填写如 {EXAMPLE} 的日期")
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise LedgerError(f"「{value}」不是有效的日期") from None


def require_date(value: Any, what: str) -> date:
    """A date that must be given: the message names what it is (「收到日期」)."""
    try:
        d = parse_date(value)
    except LedgerError as e:
        raise LedgerError(f"{what}：{e.message}") from None
    if d is None:
        raise LedgerError(f"缺少{what}")
    return d


def future_problem(d: date, today: date, what: str) -> str | None:
    """The message for a date after `today` (a typo in the year, usually), or None."""
    if d > today:
        return f"{what}{d}晚于今天（{today}）：请核对；确需登记将来的日期时加 --allow-future"
    return None


__all__ = ["EXAMPLE", "future_problem", "parse_date", "require_date"]
