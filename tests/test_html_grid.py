"""The grid expansion of web-page tables (`xxgk.readers.html_grid`), against the layout it must give.

Random tables are made from the grid they stand for: a rows × columns grid tiled with rectangular
merged cells. Written as HTML writes them (each cell in the row where it starts, in column order,
with its rowspan/colspan), they must expand back to that grid: each cell's text at its first
position, "" with its row's line everywhere it covers.
"""

from __future__ import annotations

import random

import pytest

from xxgk.readers.html_grid import Cell, expand_grid, span


def _tiled_table(rng: random.Random, nrows: int, ncols: int) -> tuple[list[list[Cell]], list[list[str]]]:
    """(cells per row as HTML lists them, the expected grid of texts). Its last row is one of
    single cells, as every report table has (its values): the table's width is plain to see."""
    owner: list[list[str | None]] = [[None] * ncols for _ in range(nrows)]
    rows: list[list[Cell]] = [[] for _ in range(nrows)]
    expected = [[""] * ncols for _ in range(nrows)]
    n = 0
    for r in range(nrows):
        for c in range(ncols):
            if owner[r][c] is not None:
                continue
            # The largest rectangle free from (r, c), then a random part of it.
            width = 1
            while c + width < ncols and owner[r][c + width] is None and rng.random() < 0.4:
                width += 1
            height = 1
            while (
                r + height < nrows
                and rng.random() < 0.35
                and all(owner[r + height][c + k] is None for k in range(width))
            ):
                height += 1
            text = f"c{n}"
            n += 1
            for dr in range(height):
                for dc in range(width):
                    owner[r + dr][c + dc] = text
            expected[r][c] = text
            rows[r].append(Cell(text, 100 + r, width, height))
    rows.append([Cell(f"v{c}", 100 + nrows, 1, 1) for c in range(ncols)])
    expected.append([f"v{c}" for c in range(ncols)])
    return rows, expected


@pytest.mark.parametrize("seed", range(40))
def test_a_tiled_table_expands_to_its_grid(seed: int) -> None:
    rng = random.Random(seed)
    nrows, ncols = rng.randint(1, 12), rng.randint(1, 9)
    rows, expected = _tiled_table(rng, nrows, ncols)
    row_lines: list[int | None] = [100 + r for r in range(nrows + 1)]
    grid = expand_grid(rows, row_lines)
    assert grid.notes == []
    assert [[text for text, _ in row] for row in grid.rows] == expected
    for r, row in enumerate(grid.rows):
        for _, line in row:
            assert line == 100 + r  # an origin's own line (here its row's), and its row's line where covered


def test_cells_fill_the_columns_left_free_by_cells_spanning_down() -> None:
    # 表三's label column: 三、 spans three rows; the rows below list only their own cells.
    rows: list[list[Cell]] = [
        [Cell("三、本年度办理结果", 1, 1, 3), Cell("（一）予以公开", 1, 1, 1), Cell("5", 1, 1, 1)],
        [Cell("（二）部分公开", 2, 1, 1), Cell("2", 2, 1, 1)],
        [Cell("（三）不予公开", 3, 1, 1), Cell("0", 3, 1, 1)],
        [Cell("四、结转下年度继续办理", 4, 2, 1), Cell("1", 4, 1, 1)],
    ]
    grid = expand_grid(rows, [1, 2, 3, 4])
    assert grid.rows == [
        [("三、本年度办理结果", 1), ("（一）予以公开", 1), ("5", 1)],
        [("", 2), ("（二）部分公开", 2), ("2", 2)],
        [("", 3), ("（三）不予公开", 3), ("0", 3)],
        [("四、结转下年度继续办理", 4), ("", 4), ("1", 4)],
    ]


def test_a_row_short_of_cells_is_padded_and_covered_columns_after_it_kept() -> None:
    rows: list[list[Cell]] = [[Cell("a", 1, 1, 1), Cell("b", 1, 1, 1), Cell("c", 1, 1, 2)], []]
    grid = expand_grid(rows, [1, 2])
    assert grid.rows == [[("a", 1), ("b", 1), ("c", 1)], [("", 2), ("", 2), ("", 2)]]


def test_spans_past_the_table_are_clamped_and_noted() -> None:
    rows: list[list[Cell]] = [[Cell("x", 1, 1, 999), Cell("1", 1, 1, 1)], [Cell("2", 2, 1, 1)]]
    grid = expand_grid(rows, [1, 2])
    assert grid.rows == [[("x", 1), ("1", 1)], [("", 2), ("2", 2)]]
    assert grid.notes == ["合并单元格的跨度（rowspan/colspan）超出表格实际大小，已截断"]


def test_spans_over_the_budget_are_placed_as_single_cells() -> None:
    rows: list[list[Cell]] = [[Cell("x", 1, 2, 2), Cell("y", 1, 1, 1)], [Cell("z", 2, 1, 1)]]
    grid = expand_grid(rows, [1, 2], budget=3)
    # (and rows are not padded: the padded grid would be over the budget too)
    assert [[t for t, _ in row] for row in grid.rows] == [["x", "y"], ["z"]]
    assert grid.notes == ["表格过大，部分合并单元格未展开"]


def test_a_row_repeating_the_cells_spanning_into_it_is_deduplicated() -> None:
    # 表四 exported by Word: 维持/纠正 with rowspan=2, and printed again in the row below.
    rows: list[list[Cell]] = [
        [Cell("维持", 1, 1, 2), Cell("纠正", 1, 1, 2), Cell("诉讼", 1, 2, 1)],
        [Cell("维持", 2, 1, 1), Cell("纠正", 2, 1, 1), Cell("起诉", 2, 1, 1), Cell("复议后", 2, 1, 1)],
    ]
    grid = expand_grid(rows, [1, 2])
    assert [[t for t, _ in row] for row in grid.rows] == [["维持", "纠正", "诉讼", ""], ["", "", "起诉", "复议后"]]
    assert grid.notes == ["表格第2行重复了上一行跨行的 2 个单元格，已去除重复"]


@pytest.mark.parametrize(
    ("written", "limit", "value"),
    [
        ("3", 10, 3),
        (" 2 ", 10, 2),
        ("0", 10, 10),
        ("12", 10, 10),
        ("abc", 10, 1),
        ("-2", 10, 1),
        ("", 10, 1),
        (None, 10, 1),
    ],
)
def test_span_attributes(written: str | None, limit: int, value: int) -> None:
    assert span(written, limit) == value
