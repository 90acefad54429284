"""Provenance's field order is pinned: the text and web-page readers build it as a plain tuple in
their hot loops (`tuple.__new__(Provenance, (...))`, without the constructor's Python frame), so
adding or reordering a field must fail here before it silently shifts every source."""

from __future__ import annotations

from pathlib import Path

from xxgk.readers import read_document
from xxgk.report import Provenance

FIXTURES = Path(__file__).parent / "fixtures"


def test_the_field_order_the_readers_rely_on() -> None:
    assert Provenance._fields == ("file", "line", "cell", "page", "reader", "table", "row", "x", "y")
    built = tuple.__new__(Provenance, ("a.html", 3, 2, None, "html", 1, 4, None, None))
    assert built == Provenance("a.html", line=3, cell=2, reader="html", table=1, row=4)


def test_web_page_sources_are_those_built_by_name() -> None:
    path = FIXTURES / "corpus/009-putian-yingjiju-2023.html"
    doc = read_document(path)
    sources = [c.source for line in doc.lines for c in line.cells]
    in_tables = [s for s in sources if s.table is not None]
    assert in_tables and len(in_tables) < len(sources)
    for s in sources:
        rebuilt = Provenance(s.file, line=s.line, cell=s.cell, reader="html", table=s.table, row=s.row)
        assert s == rebuilt and type(s.line) is int and s.file == str(path)
    for s in in_tables:
        assert type(s.row) is int and type(s.cell) is int and s.page is None and s.x is None


def test_text_sources_are_those_built_by_name() -> None:
    path = next((FIXTURES / "seeds").glob("*.txt"))
    doc = read_document(path)
    lines = [line for line in doc.lines if any(c.text for c in line.cells)]
    numbers = [next(c.source.line for c in line.cells if c.text) for line in lines]
    assert numbers == sorted(set(numbers)) and len(numbers) > 20 and all(type(n) is int for n in numbers)
    for line, number in zip(lines, numbers, strict=True):
        for i, c in enumerate(line.cells):
            if c.text:  # (the empty cells of a line share one source: they count by position only)
                cell = i if len(line.cells) > 1 else None
                assert c.source == Provenance(str(path), number, cell, reader="txt"), (number, i)
