"""Tables without rulings, found by the alignment of their text (pdfplumber's "text" strategy, for
report tables).

A web page whose table has `border="0"`, printed to PDF by a browser or LibreOffice, draws no
line at all: its columns exist only as the positions of its text. Such a table is found here from
the characters the ruled tables left over, and returned as a `TableGrid` like a ruled one, so the
reader places its characters in cells the same way:

1. Characters become words (a gap wider than `WORD_GAP` of a character's height ends a word: the
   padding between two cells is wider) on printed lines (characters whose vertical centres lie
   within `LINE_BAND` of a height of each other).
2. A line is a *row* of a table when it holds numbers standing apart from the words before them:
   at least `MIN_NUMBERS` of them, or one after a gap of `LABEL_GAP` heights (规章 … 380). Rows
   that follow each other, less than `ROW_GAP` line heights apart, are one table.
3. The table's value columns are the x-ranges of its numbers, overlapping ranges merged (numbers
   of one column overlap, whatever their alignment; a gutter separates columns). Its label
   columns start where at least two label words start (left-aligned labels: 三、本年度办理结果 |
   （三）不予公开 | 1.属于国家秘密); centred labels make one label column.
4. Row borders lie halfway between rows. A label printed on lines between rows (a label wrapped
   in its cell, a group label centred beside several rows) goes with the nearer row: a row's
   label is whole, a group label's pieces stay in its column (the recogniser reads such
   fragments). Lines above the first row or below the last belong to the table only within
   `EDGE_BAND` of a line height (a label wrapped around the row's numbers), so headers and
   prose stay outside.
5. A word crossing a column border in its row makes a merged cell (a label over three label
   columns, a number centred over several), whose text reads at its first column, as in a ruled
   table.

Nothing is guessed: a number the grid cannot place in one column makes that cell's text two
numbers, which the recogniser does not read as a value (missing, flagged).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise

from xxgk.readers.pdf_geometry import Char, GridCell, TableGrid

WORD_GAP = 0.08  # in character heights: a wider gap ends a word (in a run of text characters touch; cells are padded)
LINE_BAND = 0.35  # in character heights: characters whose centres are closer are on one printed line
MIN_NUMBERS = 3  # numbers on a line that make it a table row whatever precedes them
LABEL_GAP = 1.5  # in character heights: the gap between a label and the one number of its row
ROW_GAP = 8.0  # in line pitches: rows further apart are different tables (a label wraps over 7 lines)
HEADER_GAP = 5.0  # in line pitches: a line further above the table (or its header) is not its header
EDGE_BAND = 0.8  # in line heights: how far above the first row (below the last) its label may reach
WRAP_PITCH = 1.2  # in line pitches: header lines this close are one cell's text wrapped
COLUMN_TOLERANCE = 2.0  # points: label words starting this close start the same column

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?$")


@dataclass
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    gap: float  # to the word before it on its line (inf for the first)

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def number(self) -> bool:
        return bool(_NUMBER.match(self.text))


def printed_lines(chars: list[Char]) -> list[list[Word]]:
    """The words of `chars` on printed lines, top to bottom, each left to right."""
    lines: list[list[Char]] = []
    centre = total = 0.0  # the mean vertical centre of the current line's characters, their sum
    for ch in sorted((c for c in chars if not c.text.isspace()), key=lambda c: (c.yc, c.x0)):
        yc = ch.yc
        if lines and abs(yc - centre) <= LINE_BAND * (ch.bottom - ch.top):
            lines[-1].append(ch)
            total += yc
            centre = total / len(lines[-1])
        else:
            lines.append([ch])
            centre = total = yc
    out: list[list[Word]] = []
    for line in lines:
        line.sort(key=lambda c: c.x0)
        words: list[Word] = []
        group: list[Char] = []
        for ch in line:
            if group and ch.x0 - group[-1].x1 > WORD_GAP * (ch.bottom - ch.top):
                words.append(_word(group, words))
                group = []
            group.append(ch)
        words.append(_word(group, words))
        out.append(words)
    return out


def _word(chars: list[Char], before: list[Word]) -> Word:
    x0 = chars[0].x0
    gap = x0 - before[-1].x1 if before else float("inf")
    return Word(
        "".join(c.text for c in chars),
        x0,
        min(c.top for c in chars),
        max(c.x1 for c in chars),
        max(c.bottom for c in chars),
        gap,
    )


def _is_row(words: list[Word]) -> bool:
    """A line of a table row: numbers standing apart, several, or one well apart from its label."""
    numbers = [w for w in words if w.number]
    if not numbers or not all(w.number for w in words[words.index(numbers[0]) :]):
        return False  # (in a row the values come after the label; words between numbers are prose)
    if len(numbers) >= MIN_NUMBERS:
        return True
    return all(w.gap >= LABEL_GAP * (w.bottom - w.top) for w in numbers)


def text_tables(chars: list[Char]) -> list[TableGrid]:
    """The tables without rulings among `chars` (the characters outside ruled tables)."""
    lines = printed_lines(chars)
    if not lines:
        return []
    rows = [i for i, words in enumerate(lines) if _is_row(words)]
    if not rows:
        return []
    heights = sorted(w.bottom - w.top for words in lines for w in words)
    height = heights[len(heights) // 2]
    pitch = _line_pitch(lines, height)
    groups: list[list[int]] = [[rows[0]]]
    for i in rows[1:]:
        prev = groups[-1][-1]
        if _top(lines[i]) - _bottom(lines[prev]) > ROW_GAP * pitch or _headed(lines, prev, i):
            groups.append([i])
        else:
            groups[-1].append(i)
    tables: list[TableGrid] = []
    taken: set[int] = set()  # lines already in a table
    for group in groups:
        grid = _grid(lines, group, pitch, taken)
        if grid is not None:
            tables.append(grid)
    return tables


def _values_left(words: list[Word]) -> float:
    return min((w.x0 for w in words if w.number), default=float("inf"))


def _headed(lines: list[list[Word]], a: int, b: int) -> bool:
    """Whether a line between rows `a` and `b` has text over their numbers: the header of another
    table (表二's 信息内容 | 本年处理决定数量 between its parts), not a label of theirs."""
    left = min(_values_left(lines[a]), _values_left(lines[b]))
    return any(w.x1 > left for i in range(a + 1, b) for w in lines[i])


def _line_pitch(lines: list[list[Word]], height: float) -> float:
    """The usual distance between consecutive printed lines (of prose or a wrapped label)."""
    steps = sorted(
        b - a
        for a, b in zip((_centre(w) for w in lines), (_centre(w) for w in lines[1:]), strict=False)
        if 0.8 * height < b - a < 3 * height
    )
    return steps[len(steps) // 4] if steps else 1.25 * height


def _top(words: list[Word]) -> float:
    return min(w.top for w in words)


def _bottom(words: list[Word]) -> float:
    return max(w.bottom for w in words)


def _centre(words: list[Word]) -> float:
    return (_top(words) + _bottom(words)) / 2


def _clusters(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Overlapping x-ranges merged, left to right."""
    out: list[tuple[float, float]] = []
    for x0, x1 in sorted(spans):
        if out and x0 <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], x1))
        else:
            out.append((x0, x1))
    return out


def _label_lines(
    lines: list[list[Word]], start: int, step: int, edge: float, values_left: float, pitch: float
) -> list[int]:
    """The label-only lines next to a row (from `start` going `step`), within `EDGE_BAND` of its edge."""
    out: list[int] = []
    i = start
    while 0 <= i < len(lines):
        words = lines[i]
        near = edge - _centre(words) if step < 0 else _centre(words) - edge
        if (
            near > (EDGE_BAND if not out else WRAP_PITCH) * pitch
            or _is_row(words)
            or any(w.x1 > values_left for w in words)
        ):
            break
        out.append(i)
        edge = _centre(words)
        i += step
    return out


_HEADING = re.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+[章节部]")
_SENTENCE_END = ("。", "：", ":", "；")
MIN_PROSE_CHARS = 18  # a word this long over the value columns is prose (a header cell wraps sooner)
MAX_HEADER_LINES = 8  # printed lines of a table's header (表四: 3 rows, two of them wrapped)


def _header_lines(lines: list[list[Word]], start: int, values_left: float, pitch: float, taken: set[int]) -> list[int]:
    """The printed lines of the header above a table's first row (from `start` upwards): close
    lines without numbers, within the table's width, none a heading or prose running across it."""
    out: list[int] = []
    below = start + 1
    i = start
    while i >= 0 and len(out) < MAX_HEADER_LINES and i not in taken:
        words = lines[i]
        if _top(lines[below]) - _bottom(words) > HEADER_GAP * pitch:
            break
        if _is_row(words) or _HEADING.match(words[0].text):
            break
        if any(w.number for w in words) or words[-1].text.endswith(_SENTENCE_END):
            break
        if any(len(w.text) >= MIN_PROSE_CHARS and w.x1 > values_left for w in words):
            break  # prose running over the value columns
        out.append(i)
        below = i
        i -= 1
    return out


def _grid(lines: list[list[Word]], group: list[int], pitch: float, taken: set[int]) -> TableGrid | None:
    first, last = group[0], group[-1]
    numbers = [w for i in group for w in lines[i] if w.number]
    columns = _clusters([(w.x0, w.x1) for w in numbers])
    values_left = columns[0][0]
    if any(w.x0 < values_left < w.x1 and not w.number for i in group for w in lines[i]):
        return None  # text running across the first value column: prose, not a table row
    # Label lines around the first and last rows: as many above a row as below it (a label
    # wrapped around its row's centred numbers), so a header or caption line is not one.
    up = _label_lines(lines, first - 1, -1, _top(lines[first]), values_left, pitch)
    down = _label_lines(lines, last + 1, 1, _bottom(lines[last]), values_left, pitch)
    if first == last:
        up = down = up[: len(down)] if len(up) > len(down) else up
        down = down[: len(up)]
    else:
        up = up[: len(_label_lines(lines, first + 1, 1, _bottom(lines[first]), values_left, pitch))]
        down = down[: len(_label_lines(lines, last - 1, -1, _top(lines[last]), values_left, pitch))]
    up = [i for i in up if i not in taken]
    right = columns[-1][1]
    head = _header_lines(lines, (up[-1] if up else first) - 1, values_left, pitch, taken)
    body = [*range(first, last + 1), *up, *down]
    members = [*body, *head]
    taken.update(members)
    labels = [w for i in body for w in lines[i] if w.x1 <= values_left]
    # A column whose cells are all blank has no number: its header words tell where it is
    # (the narrowest first, so a header over several columns adds none).
    # Only a header word with none below it is a column's own (a wider one is a group's).
    label_right = max((w.x1 for w in labels), default=-1.0)
    heads = [w for i in head for w in lines[i] if w.x0 > label_right]
    for w in sorted(heads, key=lambda w: w.x1 - w.x0):
        if any(v.yc > w.bottom and v.x0 < w.x1 and v.x1 > w.x0 for v in heads):
            continue
        if not any(w.x0 < x1 and w.x1 > x0 for x0, x1 in columns):
            columns = sorted([*columns, (w.x0, w.x1)])
    values_left = columns[0][0]
    right = columns[-1][1]
    starts: list[float] = []
    for x in sorted(w.x0 for w in labels):
        if starts and x - starts[-1] <= COLUMN_TOLERANCE:
            continue
        if sum(1 for w in labels if abs(w.x0 - x) <= COLUMN_TOLERANCE) >= 2:
            starts.append(x)
    left = min([values_left, *(w.x0 for i in members for w in lines[i])])
    xs = [left - 1.0]
    if labels:
        xs += [s - 1.0 for s in starts if s - 1.0 > xs[-1] + COLUMN_TOLERANCE]
        xs = _gutter_borders(xs, labels)
    # Value columns: each border halfway along the gutter between two columns of numbers.
    if labels:
        xs.append(min(values_left - 1.0, (max(w.x1 for w in labels) + values_left) / 2))
        if xs[-1] <= xs[-2] + COLUMN_TOLERANCE:
            xs.pop()
    heads = [w for i in head for w in lines[i]]
    xs += [_border(a[1], b[0], heads) for a, b in pairwise(columns)]
    xs.append(max([right, *(w.x1 for i in members for w in lines[i])]) + 1.0)
    # Rows: each header line, then each table row with its labels; borders halfway between.
    spans = [(_top(lines[i]), _bottom(lines[i])) for i in sorted(head)]
    body_top = min(_top(lines[i]) for i in [first, *up])
    body_bottom = max(_bottom(lines[i]) for i in [last, *down])
    for k, i in enumerate(group):
        spans.append(
            (body_top if k == 0 else _top(lines[i]), body_bottom if k == len(group) - 1 else _bottom(lines[i]))
        )
    ys = [spans[0][0] - 0.5]
    ys += [(a[1] + b[0]) / 2 for a, b in pairwise(spans)]
    ys.append(spans[-1][1] + 0.5)
    # The last label column: the rows' own labels (the columns before it hold group labels centred
    # over several rows, （三）不予公开 | 三、本年度办理结果, whose lines fall anywhere between them).
    own = starts[-1] - COLUMN_TOLERANCE if starts else xs[0]
    for k, (a, b) in enumerate(pairwise(group)):
        ys[len(head) + k + 1] = _row_border(lines, a, b, own, values_left, ys[len(head) + k + 1])
    if any(b <= a for a, b in pairwise(ys)) or any(b <= a for a, b in pairwise(xs)):
        return None
    return _cells(
        xs,
        ys,
        [[w for i in members for w in lines[i] if ys[r] <= w.yc < ys[r + 1]] for r in range(len(ys) - 1)],
        len(head),
        pitch,
    )


def _gutter_borders(xs: list[float], labels: list[Word]) -> list[float]:
    """`xs` (the label column borders so far) with a border in each gutter that runs down through
    every label of the table's rows and holds none yet. Centred labels start nowhere in common,
    but a column of them still stands apart: 三、本年度 | 办理结果 centred in a narrow first column,
    beside a row's label that begins just right of it on the same line ((二)部分公开…)."""
    out = list(xs)
    spans = _clusters([(w.x0, w.x1) for w in labels])
    for (_, a), (b, _) in pairwise(spans):
        if b - a >= COLUMN_TOLERANCE and not any(a <= x <= b for x in out):
            out.append((a + b) / 2)
    return sorted(out)


def _row_border(lines: list[list[Word]], a: int, b: int, own: float, values_left: float, middle: float) -> float:
    """The border between table rows `a` and `b`: in the widest vertical gap between the text of
    their labels reaching into the column at `own` and their numbers (a cell's wrapped lines are one
    pitch apart, two cells twice the padding more), not halfway between their numbers: a label
    wrapped over more lines reaches further from its numbers (which are centred on it) than a short
    one. (Loose character boxes may be taller than the line pitch: the widest gap is then the least
    overlap.)"""
    spans = sorted(
        (w.top, w.bottom)
        for i in range(a, b + 1)
        for w in lines[i]
        if (own + COLUMN_TOLERANCE < w.x1 <= values_left) or (i in (a, b) and w.number)
    )
    centre_a, centre_b = _centre(lines[a]), _centre(lines[b])
    best, at = -math.inf, middle
    reach = spans[0][1] if spans else middle
    for top, bottom in spans[1:]:
        if top - reach > best and centre_a <= (top + reach) / 2 <= centre_b:
            best, at = top - reach, (top + reach) / 2
        reach = max(reach, bottom)
    return at


def _border(left: float, right: float, heads: list[Word]) -> float:
    """Where the border between two columns of numbers lies in the gutter `left`–`right` between
    them: in the middle of the widest stretch no header word of one column covers (a header is
    often wider than its numbers); a word over the whole gutter is a merged header cell."""
    cover = sorted(
        (max(w.x0, left), min(w.x1, right))
        for w in heads
        if w.x1 > left and w.x0 < right and not (w.x0 <= left and w.x1 >= right)
    )
    free: list[tuple[float, float]] = []
    at = left
    for x0, x1 in cover:
        if x0 > at:
            free.append((at, x0))
        at = max(at, x1)
    if at < right:
        free.append((at, right))
    if not free:
        return (left + right) / 2
    a, b = max(free, key=lambda span: span[1] - span[0])
    return (a + b) / 2


def _cells(xs: list[float], ys: list[float], rows: list[list[Word]], nhead: int, pitch: float) -> TableGrid:
    """The grid's cells: a word crossing a column border merges the columns in its row (a label
    over several columns, a centred header); in the header, a column's text wrapped onto the next
    printed line (one line pitch below: 结果维 / 持) makes one cell over both rows."""
    ncols = len(xs) - 1
    tol = COLUMN_TOLERANCE
    crossed = [
        {k for k in range(1, ncols) if any(w.x0 < xs[k] - tol and w.x1 > xs[k] + tol for w in ws)} for ws in rows
    ]
    held = [{bisect_right(xs, (w.x0 + w.x1) / 2) - 1 for w in ws} for ws in rows]
    grid = TableGrid(xs, ys, [])
    for r in range(len(rows)):
        c = 0
        while c < ncols:
            if (r, c) in grid.owner:
                c += 1
                continue
            c1 = c + 1
            while c1 < ncols and c1 in crossed[r]:
                c1 += 1
            r1 = r + 1
            while (
                c1 == c + 1
                and r1 < nhead
                and c in held[r1 - 1]
                and c in held[r1]
                and c not in crossed[r1]
                and c + 1 not in crossed[r1]
                and _centre_of(rows[r1]) - _centre_of(rows[r1 - 1]) <= WRAP_PITCH * pitch
            ):
                r1 += 1
            cell = GridCell(r, c, r1 - r, c1 - c, xs[c], ys[r], xs[c1], ys[r1])
            grid.cells.append(cell)
            for rr in range(r, r1):
                for cc in range(c, c1):
                    grid.owner[(rr, cc)] = cell
            c = c1
    return grid


def _centre_of(words: list[Word]) -> float:
    return sum(w.yc for w in words) / len(words) if words else 0.0
