"""A: publication — the printed date against the deadlines."""

from __future__ import annotations

from tests.rules.cases import Case, Change

DATE = "2025年1月15日"
DEPARTMENT = "某某市统计局"

CASES = [
    Case(
        "A011",
        fires=Change(agency=DEPARTMENT, edits=((DATE, "2025年2月10日"),)),
        quiet=Change(agency=DEPARTMENT, edits=((DATE, "2025年1月31日"),)),
    ),
    Case(
        "A012",
        fires=Change(edits=((DATE, "2025年4月15日"),)),
        quiet=Change(edits=((DATE, "2025年3月31日"),)),
    ),
    Case("A013", fires=Change(edits=((DATE, "2024年12月20日"),)), quiet=Change(edits=((DATE, "2025年1月2日"),))),
]
