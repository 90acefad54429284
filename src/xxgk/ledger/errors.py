"""Errors of the ledger: misuse or impossible input, each with a user-facing zh-CN message."""

from __future__ import annotations

from xxgk.errors import XxgkError


class LedgerError(XxgkError):
    """An event that cannot happen (a reply before receipt, two final replies…) or a bad ledger input."""


class CalendarError(LedgerError):
    """The working-day calendar cannot answer: a year without an official arrangement, or a bad holiday file."""


class YearNotCoveredError(CalendarError):
    """No State Council holiday arrangement is loaded for `year`: we refuse to guess its working days."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"尚无{year}年的法定节假日安排数据：请在国务院办公厅发布通知后，"
            f"用 xxgk calendar template {year} > {year}.toml 生成文件、按通知填写，"
            f"再用 xxgk calendar add {year}.toml 添加"
        )


class HolidayFileError(CalendarError):
    """A holiday arrangement file is malformed or contradicts itself."""
