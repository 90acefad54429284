"""The text of a PDF page's characters: printed lines, and the text of one table cell as it is
written: across (lines wrapped in the cell), down (upright characters in columns, LibreOffice's and
Word's tbRl), turned a quarter (WPS, a CSS transform), or two blocks side by side the grid could not
part. The PDF reader (`xxgk.readers.pdf`) places the cells; this module only reads them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from itertools import pairwise

from xxgk.format.normalize import normalize_text
from xxgk.readers.pdf_geometry import Char, GridCell

WORD_GAP = 1.0  # in character heights: a wider gap between characters on a line becomes a space
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


def chars_to_lines(chars: list[Char]) -> list[list[Char]]:
    """Printed lines, top to bottom, each ordered left to right.

    A character belongs to the current line when its vertical centre lies within the band its
    characters cover so far, or its box holds the centre of the character before it. (A glyph's
    box can be its ink only: a flat “一”, “—” or opening quote has a thin box above the others'
    centres, so a band of the first character alone would cut the line in two, 一（ ）予以公开.)
    """
    lines: list[list[Char]] = []
    top, bottom, last = 0.0, -1.0, 0.0
    for ch in sorted(chars, key=lambda c: (c.yc, c.x0)):
        yc = ch.yc
        if lines and (top <= yc <= bottom or ch.top <= last <= ch.bottom):
            lines[-1].append(ch)
            top, bottom = min(top, ch.top), max(bottom, ch.bottom)
        else:
            lines.append([ch])
            top, bottom = ch.top, ch.bottom
        last = yc
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def line_text(line: list[Char]) -> str:
    parts: list[str] = []
    prev: Char | None = None
    for ch in line:
        if prev is not None and ch.x0 - prev.x1 > WORD_GAP * (ch.bottom - ch.top) and parts[-1] != " ":
            parts.append(" ")
        parts.append(ch.text)
        prev = ch
    return normalize_text("".join(parts)).strip()


def join_wrapped(texts: list[str]) -> str:
    """Lines of one table cell as one text: CJK and digits join directly, Latin words with a space."""
    out = ""
    for text in texts:
        if not text:
            continue
        if (
            out
            and _ASCII_WORD.match(out[-1])
            and _ASCII_WORD.match(text[0])
            and not (out[-1].isdigit() and text[0].isdigit())
        ):
            out += " "
        out += text
    return out


def cell_text(chars: list[Char]) -> str:
    turned = _turned(chars)
    if turned:
        return turned
    lines = chars_to_lines(chars)
    if len(chars) >= 4 and (len(lines) > 1 or _taller_than_a_line(chars)):
        columns = _upright_columns(chars) if len(lines) > 1 else None
        if columns is not None:
            return join_wrapped([line_text(line) for line in columns])
        blocks = _side_by_side(chars)
        if blocks is not None:
            return " ".join(cell_text(block) for block in blocks)
    return join_wrapped([line_text(line) for line in lines])


def _taller_than_a_line(chars: list[Char]) -> bool:
    """Whether a cell's characters stand over more than a line's height (lines that staggered
    lines chained into one, see `chars_to_lines`)."""
    return max(c.bottom for c in chars) - min(c.top for c in chars) > 1.5 * max(c.bottom - c.top for c in chars)


def _side_by_side(chars: list[Char]) -> tuple[list[Char], list[Char]] | None:
    """A cell's text as two blocks side by side, when it is: a gutter (`GUTTER`) runs down the
    whole cell, and the lines on its two sides do not line up (two cells' text the
    grid could not part, a group label centred beside its rows' labels in a table without rulings:
    （六）其他 | 处理 beside 2.申请人逾期未按… | 行政机关…, its lines between theirs). Text spaced
    out across (结　果 / 维　持) has its lines in line and stays one."""
    em = _median([c.bottom - c.top for c in chars])
    spans = sorted((c.x0, c.x1) for c in chars)
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= GUTTER * _median([c.x1 - c.x0 for c in chars]):
            left = [c for c in chars if c.x1 <= reach]
            right = [c for c in chars if c.x0 >= x0]
            if len(left) < 2 or len(right) < 2:
                return None
            centres = [c.yc for c in left]
            if all(min(abs(c.yc - y) for y in centres) < STAGGER * em for c in right):
                return None  # (lines in line: one text spaced out)
            return left, right
        reach = max(reach, x1)
    return None


# A cell is written down when its characters stand one under the other closer than this share of
# their pitch along its lines, and touch (their pitch down at most TOUCHING of their width; lines of
# text written across, "结　果 / 维　持" spaced out, have their leading between them).
VERTICAL_PITCH = 0.9
TOUCHING = 1.05
STRAIGHT = 0.25  # of a character's width: how far the characters of a column may stand apart
STAGGER = 0.25  # of a character's height: lines of two blocks further apart do not line up
GUTTER = 0.5  # of a character's width: a wider gap running down a cell parts two blocks of text


def _upright_columns(chars: list[Char]) -> list[list[Char]] | None:
    """The columns of a cell written vertically with upright characters (Word's and LibreOffice's
    tbRl on Chinese text: 三、本年度 | 办理结果 read down each column, the columns right to left),
    each as a printed line; None for text written across.

    Written down, the characters touch one under the other and the columns stand apart; written
    across, they touch side by side and the lines stand apart (their leading). So the text is
    vertical when the pitch down its columns is clearly less than the pitch along its lines, and
    no more than a character."""
    across = [b.x0 - a.x0 for line in chars_to_lines(chars) for a, b in pairwise(line)]
    # Transposed (x and y swapped), a column is a printed line: top to bottom, the columns left to right.
    columns = [
        [Char(c.text, c.top, c.x0, c.bottom, c.x1) for c in column]
        for column in chars_to_lines([Char(c.text, c.top, c.x0, c.bottom, c.x1) for c in chars])
    ]
    down = [b.top - a.top for column in columns for a, b in pairwise(column)]
    if len(columns) < 2 or not across or not down:
        return None
    em = _median([c.x1 - c.x0 for c in chars])
    # Each column straight (its characters one under the other, none beside another: centred
    # lines written across stagger by half a character and would chain into "columns").
    if any(max(c.x0 for c in column) - min(c.x0 for c in column) > STRAIGHT * em for column in columns):
        return None
    pitch = _median(down)
    if min(down) < (2 - TOUCHING) * em or pitch >= VERTICAL_PITCH * _median(across) or pitch > TOUCHING * em:
        return None
    return columns[::-1]


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


TURNED = 0.2  # radians: a glyph turned more than this is not upright


def _turned(chars: list[Char]) -> str | None:
    """The text of a cell whose characters are turned a quarter (a vertical label written sideways,
    三、本年度办理结果 turned by WPS or a transform), in reading order: up the page for text turned
    anticlockwise, down it for text turned clockwise; its lines (columns) left to right, or right
    to left. None when most characters are upright."""
    up = [c for c in chars if abs(c.angle - 3 * math.pi / 2) < TURNED]
    down = [c for c in chars if abs(c.angle - math.pi / 2) < TURNED]
    if 2 * max(len(up), len(down)) <= len(chars):
        return None
    rising = len(up) >= len(down)
    # Transposed: a turned column is a printed line (x becomes the line's position).
    flipped = [
        Char(
            c.text,
            -c.bottom if rising else c.top,
            c.x0 if rising else -c.x1,
            -c.top if rising else c.bottom,
            c.x1 if rising else -c.x0,
        )
        for c in chars
    ]
    return join_wrapped([line_text(line) for line in chars_to_lines(flipped)])


def gather_turned_runs(in_cell: dict[GridCell, list[Char]]) -> None:
    """Put each line of turned text of a table whole into one cell (in place).

    A vertical label turned by a CSS transform (a web page printed to PDF) is laid out as if it
    were not turned: it may stand out of its merged cell over the rows above or below, its
    characters falling into their cells (三、本年度办理结果 over 一、本年新收… and the header:
    度年一、本年新收…). Its cell is the one it crosses that holds nothing else (a vertical label
    fills a cell of its own), with the most of its characters; when every cell it crosses holds
    other text too, it stays where it fell."""
    turned = [(cell, ch) for cell, chars in in_cell.items() for ch in chars if ch.angle]
    if len(turned) < 2:
        return
    # Transposed, a turned line is a printed line (as `_turned` reads it); `text` holds the index.
    flipped = [Char(str(i), ch.top, ch.x0, ch.bottom, ch.x1) for i, (_, ch) in enumerate(turned)]
    for run in (run for line in chars_to_lines(flipped) for run in _unbroken(line)):
        members = [turned[int(f.text)] for f in run]
        count: dict[GridCell, int] = {}
        for cell, _ in members:
            count[cell] = count.get(cell, 0) + 1
        own = [cell for cell, n in count.items() if len(in_cell[cell]) == n]  # (nothing but the run)
        if len(count) < 2 or not own:
            continue
        home = max(own, key=lambda cell: count[cell])
        for cell, ch in members:
            if cell is not home:
                in_cell[cell] = [c for c in in_cell[cell] if c is not ch]
                in_cell[home].append(ch)
    for cell in [cell for cell, chars in in_cell.items() if not chars]:
        del in_cell[cell]


def _unbroken(line: list[Char]) -> Iterator[list[Char]]:
    """The runs of a printed line without a gap wider than a character (two labels of one column
    turned, （四）无法提供 and （五）不予处理 below it, are two runs)."""
    run = [line[0]]
    for ch in line[1:]:
        if ch.x0 - run[-1].x1 > ch.bottom - ch.top:
            yield run
            run = []
        run.append(ch)
    yield run


# ---------------------------------------------------------------------------------------------
# The reader
