"""Text written to a spreadsheet (XLSX, CSV) that a spreadsheet must never run as a formula.

Excel, WPS and LibreOffice take a cell starting with = + - @ (and a tab or CR before one of them)
for a formula: an applicant named `=HYPERLINK(…)` or a report text `=cmd|' /C calc'!A0` would run
when the file is opened. Every export (the ledger, `xxgk check --format csv|xlsx`, the corpus)
writes such text through here. openpyxl is imported by the caller, not here.
"""

from __future__ import annotations

from typing import Any, TypeGuard

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: object) -> TypeGuard[str]:
    """Whether `value` is text a spreadsheet would take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_text(value: Any) -> Any:
    """`value` for a CSV field: formula-like text behind a `'` (shown as text by spreadsheets)."""
    return "'" + value if formula_like(value) else value


def xlsx_text(sheet: Any, value: str) -> Any:
    """`value` as a cell of a write-only openpyxl `sheet` whose type is text, whatever it starts with."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # (openpyxl takes a string starting with "=" for a formula otherwise)
    return cell
