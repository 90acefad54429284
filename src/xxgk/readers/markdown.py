"""Markdown: GFM pipe tables as xxgk writes them, and as OCR and LLM tools emit them.

Markdown syntax is stripped (ATX heading marks, `|---|` delimiter rows, backslash escapes) and
each table line becomes one RawLine with its cells, so the recogniser sees what the text reader
would see for the unmarked text. Tables from OCR/LLM tools often have generic headers (数据1…),
one table per row group, or header rows repeated in the wrong place: none of that matters, since
values are taken by the row labels and the column positions the format defines.

xxgk's own Markdown (xxgk.write.markdown) prints a merged cell's text in its top-left grid
position and leaves the positions it covers empty: the TAB-export layout.
"""

from __future__ import annotations

import re

from xxgk.format.normalize import normalize_text
from xxgk.readers.base import RawCell, RawDocument, RawLine
from xxgk.readers.decode import decode_bytes
from xxgk.readers.txt import check_line_count
from xxgk.report import Provenance
from xxgk.settings import ReadSettings

_HEADING = re.compile(r"^#{1,6}\s+")
_DELIMITER = re.compile(r"^\|?(\s*:?-{3,}:?\s*\|)+\s*(:?-{3,}:?\s*)?$")
# A CommonMark backslash escape, anywhere in the text: a backslash before ASCII punctuation
# stands for that character (xxgk's Markdown writer escapes report text this way: `\<script>`,
# `1\. `, `\*`). One left-to-right pass, so `\\` is one backslash.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_OLD_NUMBER_ESCAPE = re.compile(r"^\\(?=\d)")  # "\1. " as older xxgk versions wrote it
_EMPHASIS = re.compile(r"(?<!\\)(\*\*|__)(.+?)(?<!\\)\1")
_DELIMITER_BYTES = re.compile(rb"^\s*\|?\s*:?-{3,}:?\s*\|", re.MULTILINE)
# A header cell that names nothing: OCR/LLM tools head every table 项目 | 数据1 | 数据2 | …
_GENERIC_HEADER_CELL = re.compile(r"^(?:项目|数据\s*\d+|列\s*\d+|序号|栏目|)$")
SUFFIXES = (".md", ".markdown")


def _split_row(line: str) -> list[str]:
    body = line.strip()[1:-1]
    return [_unescape(c) for c in re.split(r"(?<!\\)\|", body)]


def _generic_header(stripped: str, raw_lines: list[str], number: int) -> bool:
    """Whether line `number` (1-based) is a table's header row of generic names only: a row
    right above a delimiter row whose every cell is 项目, 数据N, 列N, 序号 or empty."""
    if not stripped.startswith("|") or number >= len(raw_lines) or not _DELIMITER.match(raw_lines[number].strip()):
        return False
    row = stripped if stripped.endswith("|") and not stripped.endswith("\\|") else stripped + "|"
    return all(_GENERIC_HEADER_CELL.match(normalize_text(c).strip()) for c in _split_row(row))


def _unescape(text: str) -> str:
    return _ESCAPED.sub(r"\1", text) if "\\" in text else text


class MarkdownReader:
    """Reads the Markdown written by `render_markdown` (and similar GFM): one RawLine per line."""

    name = "markdown"
    suffixes = SUFFIXES

    def sniff(self, head: bytes, suffix: str) -> bool:
        """By suffix, or by content: a GFM delimiter row (`|---|---|`) near the start."""
        if suffix in self.suffixes:
            return True
        return b"---" in head and _DELIMITER_BYTES.search(head) is not None  # cheap test first

    def read(self, path: str, data: bytes, settings: ReadSettings) -> RawDocument:
        text, encoding = decode_bytes(data, path)
        raw_lines = text.splitlines()
        check_line_count(len(raw_lines), settings, path)
        lines: list[RawLine] = []
        for number, raw in enumerate(raw_lines, start=1):
            stripped = raw.strip()
            if _DELIMITER.match(stripped) or _generic_header(stripped, raw_lines, number):
                # (A generic header, 项目 | 数据1 | …, names no column: after a row with a blank
                # cell it would be read as text of that row, or as a row of its own in 表四.)
                cells = [RawCell("", Provenance(path, number, reader=self.name))]
            elif stripped.startswith("|") and len(stripped) > 1:
                if not stripped.endswith("|") or stripped.endswith("\\|"):
                    stripped += "|"  # GFM allows the closing pipe to be left out
                cells = [
                    RawCell(normalize_text(c).strip(), Provenance(path, number, i, reader=self.name))
                    for i, c in enumerate(_split_row(stripped))
                ]
            else:
                prose = _unescape(_EMPHASIS.sub(r"\2", _OLD_NUMBER_ESCAPE.sub("", _HEADING.sub("", stripped))))
                cells = [RawCell(normalize_text(prose).strip(), Provenance(path, number, reader=self.name))]
            lines.append(RawLine(tuple(cells)))
        _join_row_pieces(raw_lines, lines)
        return RawDocument(path, lines, encoding=encoding, reader=self.name)


_NUMBER_OR_BLANK = re.compile(r"^(?:\d+(?:\.\d+)?)?$")
MAX_CAPTION_CHARS = 40


def _join_row_pieces(raw_lines: list[str], lines: list[RawLine]) -> None:
    """One table row cut into consecutive one-row tables, each under a caption of its own (表四 as
    OCR/LLM tools print it: 行政复议 | 5 cells, 行政诉讼（未经复议直接起诉） | 5 cells, …): the
    pieces are joined into one line, in place of the last piece, so that a piece left all blank
    keeps its place (its empty cells are cells; alone on its line it is nothing at all, and the
    next piece's numbers would take its place). Pieces are tables of one body row, all of the same
    width, every cell a number or empty, separated by nothing but captions and empty lines."""
    pieces: list[int] = []  # line indexes of the current run's body rows
    width = 0
    i, n = 0, len(raw_lines)
    while i < n:
        if not _DELIMITER.match(raw_lines[i].strip()):
            stripped = raw_lines[i].strip()
            header = i + 1 < n and _DELIMITER.match(raw_lines[i + 1].strip()) is not None
            if (stripped.startswith("|") and not header) or len(stripped) > MAX_CAPTION_CHARS:
                _join(pieces, lines)  # (a table line outside a delimited table, or prose: the run ends)
                pieces = []
            i += 1
            continue
        body = i + 1
        end = body
        while end < n and raw_lines[end].strip().startswith("|"):
            end += 1
        row = lines[body] if end - body == 1 else None
        cells = row.cells if row is not None else ()
        one_row = row is not None and len(cells) > 1 and all(_NUMBER_OR_BLANK.match(c.text) for c in cells)
        if not one_row or (pieces and len(cells) != width):
            _join(pieces, lines)
            pieces = []
        if one_row:
            pieces.append(body)
            width = len(cells)
        i = end
    _join(pieces, lines)


def _join(pieces: list[int], lines: list[RawLine]) -> None:
    if len(pieces) < 2 or not any(c.text for p in pieces for c in lines[p].cells):
        return
    joined = tuple(c for p in pieces for c in lines[p].cells)
    for p in pieces[:-1]:
        lines[p] = RawLine((RawCell("", lines[p].cells[0].source),))
    lines[pieces[-1]] = RawLine(joined)
