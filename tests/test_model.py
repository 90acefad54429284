"""The report model's small contracts that other code relies on."""

from __future__ import annotations

from pathlib import Path

from xxgk.report import Cell, CellState, Provenance


def test_provenance_json_and_description() -> None:
    src = Provenance("a.txt", line=12, cell=3, reader="html")
    assert src.to_json() == {"file": "a.txt", "line": 12, "cell": 3, "reader": "html"}
    assert src.describe_zh() == "第12行第4格"


def test_provenance_describes_tables_and_pages() -> None:
    src = Provenance("r.pdf", line=40, cell=2, page=3, reader="pdf", table=1, row=5, x=100.0, y=200.5)
    assert src.describe_zh() == "第3页第2个表格第6行第3格"
    assert src.to_json()["x"] == 100.0


def test_a_new_cell_is_absent_not_zero() -> None:
    cell = Cell("t3.new_received.total")
    assert (cell.value, cell.state, cell.missing) == (None, CellState.ABSENT, True)


def test_txt_reader_cells_equal_the_constructors(tmp_path: Path) -> None:
    from xxgk.readers import read_document
    from xxgk.readers.base import RawCell

    path = tmp_path / "r.txt"
    path.write_text("标题\n行政许可\t0\t\t3\n", "utf-8")
    doc = read_document(path)
    assert doc.lines[1].cells[0] == RawCell("行政许可", Provenance(str(path), 2, 0))
    assert doc.lines[1].cells[3] == RawCell("3", Provenance(str(path), 2, 3))
    assert doc.lines[0].cells == (RawCell("标题", Provenance(str(path), 1)),)
    assert type(doc.lines[1].cells[3].source) is Provenance and doc.lines[1].cells[3].source.reader == "txt"


def test_txt_reader_line_texts_equal_the_joined_cells() -> None:
    from tests.conftest import SEEDS
    from xxgk.readers import read_document

    for seed in SEEDS:
        doc = read_document(seed)
        assert doc.texts == [line.text for line in doc.lines], seed.name


def test_reading_leaves_the_garbage_collector_as_it_was(tmp_path: Path) -> None:
    """read_report pauses the cyclic GC while it builds a report (see xxgk.gc_pause) and must give
    it back in the state it found it, also when the file is unusable."""
    import gc

    import pytest

    from tests.conftest import SEEDS
    from xxgk import XxgkError, read_report
    from xxgk.readers import read_document

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    was = gc.isenabled()
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            assert read_report(SEEDS[0]).meta.year is not None
            assert gc.isenabled() is enabled
            assert read_document(SEEDS[0]).lines  # (pauses it too, around the reader)
            assert gc.isenabled() is enabled
            for read in (read_report, read_document):
                with pytest.raises(XxgkError):
                    read(empty)
                assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
