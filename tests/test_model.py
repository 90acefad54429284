"""The report model's small contracts that other code relies on."""

from __future__ import annotations

from xxgk.report import Cell, CellState, Provenance


def test_fast_cell_provenance_equals_the_constructor() -> None:
    fast = Provenance.at_cell("a.txt", 12, 3, "html")
    assert fast == Provenance("a.txt", line=12, cell=3, reader="html")
    assert (fast.file, fast.line, fast.cell, fast.page, fast.reader, fast.table) == ("a.txt", 12, 3, None, "html", None)
    assert fast.to_json() == {"file": "a.txt", "line": 12, "cell": 3, "reader": "html"}
    assert fast.describe_zh() == "第12行第4格"


def test_provenance_describes_tables_and_pages() -> None:
    src = Provenance("r.pdf", line=40, cell=2, page=3, reader="pdf", table=1, row=5, x=100.0, y=200.5)
    assert src.describe_zh() == "第3页第2个表格第6行第3格"
    assert src.to_json()["x"] == 100.0


def test_a_new_cell_is_absent_not_zero() -> None:
    cell = Cell("t3.new_received.total")
    assert (cell.value, cell.state, cell.missing) == (None, CellState.ABSENT, True)
