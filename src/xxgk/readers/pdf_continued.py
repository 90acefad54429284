"""A PDF table continued over page breaks: one table, on the column borders of all its parts.

A table's column borders are those its rows draw. A part of a table can lack some: 表三's
sub-label column (1.属于国家秘密 …) starts with the row group （三）, so when the table breaks
before it, the part on the first page has one column fewer than the parts after it (Word and
LibreOffice PDFs of real reports do this). The parts are one table when they have the same outer
borders and the borders of one are all borders of the other; the table's columns are then the
union of the parts' borders, and every row is laid out on them: a cell keeps its text at the
first column it covers and "" at the others, as a merged cell does.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from xxgk.readers.base import SNAP_TOLERANCE, RawCell, RawLine

Placed = tuple[str, float, float]  # (text, x, y) of a table cell on its page


def _has(borders: Sequence[float], x: float) -> bool:
    return any(abs(b - x) <= SNAP_TOLERANCE for b in borders)


def continues(borders: Sequence[float], part: Sequence[float]) -> bool:
    """Whether a table part with column borders `part`, at the top of a page, continues the table
    with `borders`: the same outer borders, and one's borders all among the other's. Or the same
    right border and every border of the part one of the table's: its first columns were merged
    cells that ended before the break (三、本年度办理结果 and （三）不予公开 beside 表三's rows), whose
    left border a browser does not draw again on the next page."""
    if abs(borders[-1] - part[-1]) > SNAP_TOLERANCE:
        return False
    if abs(borders[0] - part[0]) > SNAP_TOLERANCE:
        return part[0] > borders[0] and all(_has(borders, x) for x in part)
    return all(_has(borders, x) for x in part) or all(_has(part, x) for x in borders)


def united(borders: Sequence[float], part: Sequence[float]) -> list[float]:
    """The column borders of both (a border of `part` within the tolerance of one of `borders` is that one)."""
    return sorted([*borders, *(x for x in part if not _has(borders, x))])


def _spans(borders: Sequence[float], onto: Sequence[float]) -> list[range]:
    """Per column of `borders`, the columns of `onto` (a finer set of borders) it covers."""
    spans = []
    for left, right in pairwise(borders):
        first = next(k for k, x in enumerate(onto) if abs(x - left) <= SNAP_TOLERANCE)
        last = next(k for k, x in enumerate(onto) if abs(x - right) <= SNAP_TOLERANCE)
        spans.append(range(first, last))
    return spans


def regrid_cells(cells: list[Placed], borders: Sequence[float], onto: Sequence[float]) -> list[Placed]:
    """A row's cells laid out on the finer borders `onto`. A row may start with one extra cell (a
    row label left of the table, see the PDF reader's `_side_text`): it stays first."""
    side = len(cells) - (len(borders) - 1)
    out = cells[:side]
    # Columns left of the part (merged cells that ended before the page break): empty, as covered.
    y = cells[side][2] if len(cells) > side else 0.0
    out += [("", x, y) for x in onto if x < borders[0] - SNAP_TOLERANCE]
    for (text, x, y), span in zip(cells[side:], _spans(borders, onto), strict=True):
        out.append((text, x, y))
        out += [("", onto[k], y) for k in span[1:]]
    return out


def regrid_line(line: RawLine, borders: Sequence[float], onto: Sequence[float]) -> RawLine:
    """A table row already emitted, laid out on the finer borders `onto` (cell numbers renumbered)."""
    side = len(line.cells) - (len(borders) - 1)
    out = list(line.cells[:side])
    for cell, span in zip(line.cells[side:], _spans(borders, onto), strict=True):
        for k in span:
            source = cell.source._replace(cell=len(out))
            if k == span[0]:
                out.append(RawCell(cell.text, source))
            else:  # (a covered position: at its column's border, as the reader places them)
                out.append(RawCell("", source._replace(x=round(onto[k], 1))))
    return RawLine(tuple(out))


def regrid_texts(texts: tuple[str, ...], borders: Sequence[float], onto: Sequence[float]) -> tuple[str, ...]:
    """A row's texts laid out on the finer borders `onto`."""
    return tuple(text for text, _, _ in regrid_cells([(t, 0.0, 0.0) for t in texts], borders, onto))
