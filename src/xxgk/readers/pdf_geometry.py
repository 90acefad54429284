"""The geometry of a page, shared by the PDF reader and the OCR of pictures: characters and
rulings placed in points from the page's top-left corner, and the tables their rulings draw.

`edges_to_tables` is the "lines" strategy of pdfplumber: rulings are merged, their crossings make
cells, and cells that touch make one table. Nothing here knows how the characters and rulings were
found (a PDF's text layer, or OCR boxes of a picture).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from xxgk.readers.base import SNAP_TOLERANCE

MAX_EDGES_PER_PAGE = 4_000  # ruling paths; beyond this the page is read as text only
MIN_RULING = 5.0  # points: shorter paths are decoration, not rulings
MAX_CROSSINGS = 20_000  # horizontal × vertical merged rulings (a 表三 page has ~30 × 15)
JOIN_TOLERANCE = 3.0  # points: collinear rulings with a smaller gap are one line
INTERSECTION_TOLERANCE = 1.0  # points: how far a ruling may stop short of the one it meets
GRID_TOLERANCE = 2.0  # points: cell borders closer than this are one grid line


Box = tuple[float, float, float, float]  # (x0, top, x1, bottom) in points from the page's top-left corner


@dataclass(frozen=True, slots=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    # Radians the glyph is turned clockwise on the page (pdfium's measure): π/2 for text running
    # down the page, 3π/2 for text running up it (a vertical label turned a quarter); 0 mostly.
    angle: float = 0.0

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True, slots=True)
class Edge:
    """A ruling: horizontal (`pos` is y, `start`–`end` along x) or vertical (`pos` is x)."""

    horizontal: bool
    pos: float
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    x0: float
    top: float
    x1: float
    bottom: float
    closed: bool = True  # False: made up by `_close_open_cells` for a cell cut by a page break


@dataclass
class TableGrid:
    xs: list[float]  # column borders, left to right (ncols + 1)
    ys: list[float]  # row borders, top to bottom (nrows + 1)
    cells: list[GridCell]
    owner: dict[tuple[int, int], GridCell] = field(default_factory=dict)  # grid position -> cell

    @property
    def nrows(self) -> int:
        return len(self.ys) - 1

    @property
    def ncols(self) -> int:
        return len(self.xs) - 1

    def open_row(self, r: int) -> bool:
        """The row has no closed cell of its own: its bottom (or top) ruling is missing."""
        own = [c for c in self.cells if c.row == r]
        return bool(own) and not any(c.closed for c in own)

    def contains(self, x: float, y: float) -> bool:
        return self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]

    def cell_at(self, x: float, y: float) -> GridCell | None:
        col = min(max(bisect_right(self.xs, x) - 1, 0), self.ncols - 1)
        row = min(max(bisect_right(self.ys, y) - 1, 0), self.nrows - 1)
        return self.owner.get((row, col))


# ---------------------------------------------------------------------------------------------
# Rulings to tables (the "lines" strategy of pdfplumber)


def merge_edges(edges: list[Edge]) -> list[Edge]:
    """Snap nearly collinear rulings to one position and join the ones that touch or overlap."""
    out: list[Edge] = []
    for horizontal in (True, False):
        group = sorted((e for e in edges if e.horizontal is horizontal), key=lambda e: e.pos)
        clusters: list[list[Edge]] = []
        for e in group:
            if clusters and e.pos - clusters[-1][0].pos <= SNAP_TOLERANCE:
                clusters[-1].append(e)
            else:
                clusters.append([e])
        for cluster in clusters:
            pos = sum(e.pos for e in cluster) / len(cluster)
            spans = sorted((e.start, e.end) for e in cluster)
            start, end = spans[0]
            for s, t in spans[1:]:
                if s <= end + JOIN_TOLERANCE:
                    end = max(end, t)
                else:
                    out.append(Edge(horizontal, pos, start, end))
                    start, end = s, t
            out.append(Edge(horizontal, pos, start, end))
    return out


def edges_to_cells(edges: list[Edge]) -> list[tuple[float, float, float, float]]:
    """Cells (x0, top, x1, bottom): the smallest rectangles whose four sides are rulings."""
    hs = [e for e in edges if e.horizontal]
    vs = [e for e in edges if not e.horizontal]
    tol = INTERSECTION_TOLERANCE
    points: dict[tuple[float, float], tuple[set[int], set[int]]] = {}
    for vi, v in enumerate(vs):
        for hi, h in enumerate(hs):
            if h.start - tol <= v.pos <= h.end + tol and v.start - tol <= h.pos <= v.end + tol:
                hset, vset = points.setdefault((v.pos, h.pos), (set(), set()))
                hset.add(hi)
                vset.add(vi)
    by_x: dict[float, list[float]] = {}
    by_y: dict[float, list[float]] = {}
    for x, y in sorted(points):
        by_x.setdefault(x, []).append(y)
        by_y.setdefault(y, []).append(x)
    cells: list[tuple[float, float, float, float]] = []
    for (x, y), (h_here, v_here) in sorted(points.items()):
        column, row = by_x[x], by_y[y]
        below = column[bisect_right(column, y) :]
        right = row[bisect_right(row, x) :]
        found = False
        for yb in below:
            if not v_here & points[(x, yb)][1]:
                continue
            h_below = points[(x, yb)][0]
            for xr in right:
                if not h_here & points[(xr, y)][0]:
                    continue
                corner = points.get((xr, yb))
                if corner is not None and corner[0] & h_below and corner[1] & points[(xr, y)][1]:
                    cells.append((x, y, xr, yb))
                    found = True
                    break
            if found:
                break
    return cells


def _positions(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > GRID_TOLERANCE:
            out.append(v)
    return out


def _nearest(positions: list[float], v: float) -> int:
    i = bisect_right(positions, v)
    if i == 0:
        return 0
    if i == len(positions) or v - positions[i - 1] <= positions[i] - v:
        return i - 1
    return i


def cells_to_tables(
    cells: list[tuple[float, float, float, float]], verticals: tuple[Edge, ...] = ()
) -> list[TableGrid]:
    """Group cells that share corners into tables, top to bottom, each as an expanded grid.

    `verticals` (the merged vertical rulings) extend a table by one open row at the bottom or the
    top where its column rulings run on without a closing horizontal ruling: a row cut by a
    page break.
    """
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    corner_owner: dict[tuple[float, float], int] = {}
    for i, (x0, y0, x1, y1) in enumerate(cells):
        for corner in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
            j = corner_owner.setdefault(corner, i)
            if j != i:
                parent[find(i)] = find(j)
    groups: dict[int, list[tuple[float, float, float, float]]] = {}
    for i, c in enumerate(cells):
        groups.setdefault(find(i), []).append(c)
    tables: list[TableGrid] = []
    for group in groups.values():
        if len(group) < 2:
            continue  # a framed paragraph, not a table
        xs = _positions([v for box in group for v in (box[0], box[2])])
        ys = _positions([v for box in group for v in (box[1], box[3])])
        _open_rows(xs, ys, verticals)
        grid = TableGrid(xs, ys, [])
        for x0, y0, x1, y1 in sorted(group, key=lambda box: (box[1], box[0])):
            c0, c1, r0, r1 = _nearest(xs, x0), _nearest(xs, x1), _nearest(ys, y0), _nearest(ys, y1)
            if c1 <= c0 or r1 <= r0:
                continue
            cell = GridCell(r0, c0, r1 - r0, c1 - c0, x0, y0, x1, y1)
            grid.cells.append(cell)
            for row in range(r0, r1):
                for col in range(c0, c1):
                    grid.owner.setdefault((row, col), cell)
        _close_open_cells(grid)
        tables.append(grid)
    tables.sort(key=lambda t: t.ys[0])
    return tables


def _open_rows(xs: list[float], ys: list[float], verticals: tuple[Edge, ...]) -> None:
    """Add a row border below (above) the table where >= 2 of its column rulings run on past it."""
    tol = SNAP_TOLERANCE
    columns = [v for v in verticals if any(abs(v.pos - x) <= tol for x in xs)]
    below = [v.end for v in columns if v.start <= ys[-1] + tol and v.end > ys[-1] + MIN_RULING]
    above = [v.start for v in columns if v.end >= ys[0] - tol and v.start < ys[0] - MIN_RULING]
    if len(below) >= 2:
        ys.append(max(below))
    if len(above) >= 2:
        ys.insert(0, min(above))


def _close_open_cells(grid: TableGrid) -> None:
    """Grid positions inside the table that no closed cell covers become cells, one per column run.

    A cell that spans rows across a page break has no bottom ruling on the first page (and no top
    ruling on the next), so it is not found as a rectangle; its text must still land in its place.
    """
    for c in range(grid.ncols):
        r = 0
        while r < grid.nrows:
            if (r, c) in grid.owner:
                r += 1
                continue
            r1 = r
            while r1 < grid.nrows and (r1, c) not in grid.owner:
                r1 += 1
            cell = GridCell(r, c, r1 - r, 1, grid.xs[c], grid.ys[r], grid.xs[c + 1], grid.ys[r1], closed=False)
            grid.cells.append(cell)
            for rr in range(r, r1):
                grid.owner[(rr, c)] = cell
            r = r1


class TooManyRulingsError(Exception):
    """More rulings than any report table has: the page is read as text only (bounded work)."""


def edges_to_tables(edges: list[Edge]) -> list[TableGrid]:
    if len(edges) > MAX_EDGES_PER_PAGE:
        raise TooManyRulingsError
    nh = sum(e.horizontal for e in edges)
    if nh < 2 or len(edges) - nh < 2:
        return []
    merged = merge_edges(edges)
    nh = sum(e.horizontal for e in merged)
    if nh * (len(merged) - nh) > MAX_CROSSINGS:
        raise TooManyRulingsError
    return cells_to_tables(edges_to_cells(merged), tuple(e for e in merged if not e.horizontal))
