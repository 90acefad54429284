"""The official table layouts (表二, 表三, 表四) as merged-cell grids, derived from the format spec.

Every writer (HTML, Markdown, DOCX, PDF, XLSX) renders these grids; none of them knows a label.
A layout row lists only the cells that *start* in that row (as an HTML `<tr>` does); a cell
covers `rowspan` × `colspan` grid positions. `positions()` expands the grid for writers that
need every position (Markdown pipe tables, DOCX vMerge continuation cells, XLSX merges).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from types import MappingProxyType

from xxgk.format import FormatSpec, load_format
from xxgk.format.spec import ColumnSpec, GroupSpec, TableSpec


class Role(StrEnum):
    HEADER = "header"  # column headers, block captions, the corner note
    LABEL = "label"  # row labels and row-spanning group labels
    VALUE = "value"  # a numeric cell of the format (has a cell key)


@dataclass(frozen=True)
class LayoutCell:
    role: Role
    text: str = ""  # header/label text; empty for value cells
    key: str | None = None  # cell key of a value cell
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Placed:
    """A layout cell at its top-left grid position."""

    row: int
    col: int
    cell: LayoutCell


@dataclass(frozen=True)
class TableLayout:
    key: str  # t2 | t3 | t4
    name: str  # 表二
    title: str  # 主动公开政府信息情况
    ncols: int
    rows: tuple[tuple[LayoutCell, ...], ...]
    col_weights: tuple[float, ...]  # relative column widths, for DOCX/PDF/XLSX

    @property
    def nrows(self) -> int:
        return len(self.rows)

    def placed(self) -> Iterator[Placed]:
        """Every layout cell with the grid position of its top-left corner."""
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                yield Placed(r, c, cell)
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                c += cell.colspan

    def grid(self) -> list[list[Placed | None]]:
        """The expanded grid: the origin `Placed` at its top-left position, None where covered."""
        out: list[list[Placed | None]] = [[None] * self.ncols for _ in range(self.nrows)]
        for p in self.placed():
            out[p.row][p.col] = p
        return out

    @property
    def header_rows(self) -> int:
        """How many leading rows are the table's column header, to repeat on every page the table
        runs onto (表三, 表四). 0 for a table whose blocks each have their own header (表二): its
        first block's header would head the other blocks' rows."""
        n = 0
        while n < self.nrows and all(c.role is Role.HEADER for c in self.rows[n]):
            n += 1
        later = any(all(c.role is Role.HEADER for c in row) for row in self.rows[n:])
        return 0 if later else n

    def value_keys(self) -> tuple[str, ...]:
        return tuple(p.cell.key for p in self.placed() if p.cell.key is not None)


# ---------------------------------------------------------------------------------------------
# Builders, one per table shape of the spec.


def _t2(spec: FormatSpec, t: TableSpec) -> TableLayout:
    width = max(len(b.columns) for b in t.blocks)
    ncols = 1 + width
    header_first = t.header_labels[0].text
    rows: list[tuple[LayoutCell, ...]] = []
    for block in t.blocks:
        spans = _spread(len(block.columns), width)
        rows.append((LayoutCell(Role.HEADER, block.caption.text, colspan=ncols),))
        rows.append(
            (
                LayoutCell(Role.HEADER, header_first),
                *(LayoutCell(Role.HEADER, c.label.text, colspan=s) for c, s in zip(block.columns, spans, strict=True)),
            )
        )
        for phys in (p for p in t.physical_rows if p.block == block.key):
            assert phys.label is not None
            rows.append(
                (
                    LayoutCell(Role.LABEL, phys.label.text),
                    *(LayoutCell(Role.VALUE, key=k, colspan=s) for k, s in zip(phys.cells, spans, strict=True)),
                )
            )
    return TableLayout(t.key, t.name, t.title, ncols, tuple(rows), (2.2,) + (1.0,) * width)


def _spread(n: int, width: int) -> list[int]:
    """Column spans of `n` columns over `width` grid columns: the last one takes the rest."""
    return [1] * (n - 1) + [width - n + 1]


def _t3(spec: FormatSpec, t: TableSpec) -> TableLayout:
    groups = {g.key: g for g in t.groups}

    def chain(group: str | None) -> list[GroupSpec]:
        out: list[GroupSpec] = []
        while group is not None:
            out.insert(0, groups[group])
            group = groups[group].parent
        return out

    chains = [chain(r.group) for r in t.rows]
    depth = 1 + max(len(c) for c in chains)  # label columns
    cols = t.columns
    ncols = depth + len(cols)
    group_labels = {g.key: g.label.text for g in t.column_groups}

    # Header: corner note (depth × 3), the applicant header over every column, then columns
    # without a group (2 rows high) and column groups over their member columns.
    rows: list[list[LayoutCell]] = [
        [
            LayoutCell(Role.HEADER, t.corner_note or "", rowspan=3, colspan=depth),
            LayoutCell(Role.HEADER, t.header_labels[0].text, colspan=len(cols)),
        ],
        [],
        [],
    ]
    i = 0
    while i < len(cols):
        c = cols[i]
        if c.group is None:
            rows[1].append(LayoutCell(Role.HEADER, c.label.text, rowspan=2))
            i += 1
            continue
        members: list[ColumnSpec] = []
        while i < len(cols) and cols[i].group == c.group:
            members.append(cols[i])
            i += 1
        rows[1].append(LayoutCell(Role.HEADER, group_labels[c.group], colspan=len(members)))
        rows[2].extend(LayoutCell(Role.HEADER, m.label.text) for m in members)

    # Body: each group label spans the consecutive rows that share it at its level.
    for n, (phys, ch) in enumerate(zip(t.physical_rows, chains, strict=True)):
        assert phys.label is not None
        line: list[LayoutCell] = []
        for level, g in enumerate(ch):
            if n > 0 and len(chains[n - 1]) > level and chains[n - 1][level] is g:
                continue  # covered by the group cell started above
            span = 1
            while n + span < len(chains) and len(chains[n + span]) > level and chains[n + span][level] is g:
                span += 1
            line.append(LayoutCell(Role.LABEL, g.label.text, rowspan=span))
        line.append(LayoutCell(Role.LABEL, phys.label.text, colspan=depth - len(ch)))
        line.extend(LayoutCell(Role.VALUE, key=k) for k in phys.cells)
        rows.append(line)
    # Widths in units of a value column (12 mm in the 156 mm type area): the outer group label
    # (三、本年度办理结果) wraps in one unit, the inner ones (（三）不予公开) fit on one line, the
    # long row labels take the rest and wrap.
    weights = (0.9,) + (2.45,) * (depth - 2) + (2.65,) if depth > 1 else (6.0,)
    return TableLayout(t.key, t.name, t.title, ncols, tuple(tuple(r) for r in rows), weights + (1.0,) * len(cols))


def _t4(spec: FormatSpec, t: TableSpec) -> TableLayout:
    cols = t.columns
    n = len(cols)
    top: list[LayoutCell] = []
    mid: list[LayoutCell] = []
    low: list[LayoutCell] = []
    gs = list(t.groups)
    i = 0
    while i < len(gs):
        g = gs[i]
        if g.parent is None:  # 行政复议: label over its columns, which are two rows high
            top.append(LayoutCell(Role.HEADER, g.label.text, colspan=n))
            mid.extend(LayoutCell(Role.HEADER, c.label.text, rowspan=2) for c in cols)
            i += 1
            continue
        siblings = []
        while i < len(gs) and gs[i].parent == g.parent:
            siblings.append(gs[i])
            i += 1
        top.append(LayoutCell(Role.HEADER, g.parent, colspan=n * len(siblings)))
        for s in siblings:
            mid.append(LayoutCell(Role.HEADER, s.label.text, colspan=n))
            low.extend(LayoutCell(Role.HEADER, c.label.text) for c in cols)
    (phys,) = t.physical_rows
    values = tuple(LayoutCell(Role.VALUE, key=k) for k in phys.cells)
    ncols = n * len(gs)
    return TableLayout(t.key, t.name, t.title, ncols, (tuple(top), tuple(mid), tuple(low), values), (1.0,) * ncols)


_BUILDERS = {"t2": _t2, "t3": _t3, "t4": _t4}


@cache
def table_layouts(format_id: str = "gov2021") -> Mapping[str, TableLayout]:
    """The layout of every table of the format, by table key, in the format's order."""
    spec = load_format(format_id)
    return MappingProxyType({key: _BUILDERS[key](spec, t) for key, t in spec.tables.items()})
