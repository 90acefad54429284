"""The import's fast sheet reader gives the values openpyxl's read-only reader gives (and hands over to it what
it does not read)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from xxgk.ledger.xlsx.columns import SHEET_TITLE
from xxgk.ledger.xlsx.sheet import UnreadSheet, sheet_rows

ROWS: list[list[Any]] = [
    ["案件编号", "申请人", "收到日期", "页数", "金额", "已缴", "时间", "时长", None, "备注"],
    ["2025-0001", "张三", datetime(2025, 3, 4), 12, 10.5, True, time(9, 30), timedelta(hours=30), None, "=1+1"],
    [],
    [None, None, date(2025, 12, 31), -3, 1e-7, False, None, None, None, "  前后空格  "],
    ["x005F_下划线", "＜全角＞ & <尖括号>", "2025年3月4日", "007", 3.0, None, None, None, None, None],
]


def _openpyxl_rows(path: Path) -> list[tuple[Any, ...]]:
    wb = load_workbook(path, read_only=True, data_only=True)
    ws = wb[SHEET_TITLE] if SHEET_TITLE in wb.sheetnames else wb.worksheets[0]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    return _trim(rows)


def _trim(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Without the None padding (openpyxl pads rows to the sheet's width; the fast reader does not)."""
    out = [tuple(r[: max((i + 1 for i, v in enumerate(r) if v is not None), default=0)]) for r in rows]
    while out and not out[-1]:
        out.pop()
    return out


def _book(tmp_path: Path, *, write_only: bool, epoch_1904: bool = False, first_sheet: str | None = None) -> Path:
    wb = Workbook(write_only=write_only)
    if epoch_1904:
        wb.epoch = CALENDAR_MAC_1904
    if not write_only:
        wb.remove(wb.active)
    if first_sheet is not None:
        other = wb.create_sheet(first_sheet)
        other.append(["别的表", 1])
    ws = wb.create_sheet(SHEET_TITLE)
    for row in ROWS:
        ws.append(row)
    if not write_only:
        ws["K2"] = CellRichText(["富", TextBlock(InlineFont(b=True), "文本")])
        ws["B7"] = "隔了一行"
    path = tmp_path / f"b{write_only}{epoch_1904}{first_sheet}.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize(
    "kw",
    [
        {"write_only": False},  # shared strings, dimensions, rich text
        {"write_only": True},  # inline strings, no dimensions (as xxgk ledger export writes)
        {"write_only": False, "epoch_1904": True},
        {"write_only": True, "first_sheet": "说明"},  # the 台账 sheet is found by its name
    ],
)
def test_fast_reader_gives_what_openpyxl_gives(tmp_path: Path, kw: dict[str, Any]) -> None:
    path = _book(tmp_path, **kw)
    title, rows = sheet_rows(path, SHEET_TITLE)
    expected = _openpyxl_rows(path)
    assert title == SHEET_TITLE
    assert _trim(rows) == expected
    assert expected[1][2] == datetime(2025, 3, 4) and expected[3][3] == -3  # values, not text


def test_a_sheet_it_does_not_read_is_left_to_openpyxl(tmp_path: Path) -> None:
    import zipfile

    good = _book(tmp_path, write_only=True)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b'<row r="4"', b'<row r="1"')  # rows out of order
            dst.writestr(info, data)
    with pytest.raises(UnreadSheet):
        sheet_rows(bad, SHEET_TITLE)
