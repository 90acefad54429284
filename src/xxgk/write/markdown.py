"""Markdown output (GFM pipe tables) and the reader that reads it back.

Convention for merged cells, since pipe tables cannot merge: a merged cell's text is printed in
its top-left grid position and every position it covers is left empty, so each table line has
all the grid's columns (the TAB-export layout the recogniser already reads). Missing values are
empty cells, never 0.

The tables alone are readable by the plain-text reader (it splits `| a | b |` lines on `|`).
The ATX headings (`## 一、总体情况`) are not, so `MarkdownReader` strips the Markdown syntax
(heading marks, the `|---|` delimiter rows, backslash escapes) and yields the same lines and
cells as the text reader would for the unmarked text.
"""

from __future__ import annotations

import re

from xxgk.format.normalize import normalize_text
from xxgk.readers.base import RawCell, RawDocument, RawLine
from xxgk.readers.decode import decode_bytes
from xxgk.report import Provenance, Report
from xxgk.settings import ReadSettings
from xxgk.write.content import Kind, cell_texts, document_blocks
from xxgk.write.layout import TableLayout

# A paragraph opening with one of these would become Markdown syntax: escape it with "\".
_LEADING_SYNTAX = re.compile(r"^([#>|\-+*=`~]|\d+[.)]\s)")
_HEADING = re.compile(r"^#{1,6}\s+")
_DELIMITER = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")
_ESCAPED = re.compile(r"^\\(?=[#>|\-+*=`~\d])")


def _escape(text: str) -> str:
    return "\\" + text if _LEADING_SYNTAX.match(text) else text


def _table(layout: TableLayout, texts: dict[str, str]) -> list[str]:
    lines: list[str] = []
    for n, row in enumerate(layout.grid()):
        cells = []
        for p in row:
            if p is None:
                cells.append("")
            elif p.cell.key is not None:
                cells.append(texts[p.cell.key])
            else:
                cells.append(p.cell.text.replace("|", "\\|"))
        lines.append("| " + " | ".join(cells) + " |")
        if n == 0:
            lines.append("|" + "---|" * layout.ncols)
    return lines


def render_markdown(report: Report) -> str:
    texts = cell_texts(report)
    out: list[str] = []
    for b in document_blocks(report):
        if b.kind is Kind.TITLE:
            out.append(f"# {b.text}")
        elif b.kind is Kind.HEADING:
            out.append(f"## {b.text}")
        elif b.kind is Kind.TABLE:
            assert b.table is not None
            out.extend(_table(b.table, texts))
        else:  # paragraphs, （一） subheadings and the signature stay plain paragraphs
            out.append(_escape(b.text))
        out.append("")
    return "\n".join(out)


def _split_row(line: str) -> list[str]:
    body = line.strip()[1:-1]
    return [c.replace("\\|", "|") for c in re.split(r"(?<!\\)\|", body)]


class MarkdownReader:
    """Reads the Markdown written by `render_markdown` (and similar GFM): one RawLine per line."""

    name = "markdown"
    suffixes = (".md", ".markdown")

    def sniff(self, head: bytes, suffix: str) -> bool:
        return suffix in self.suffixes

    def read(self, path: str, data: bytes, settings: ReadSettings) -> RawDocument:
        text, encoding = decode_bytes(data, path)
        lines: list[RawLine] = []
        for number, raw in enumerate(text.splitlines(), start=1):
            stripped = raw.strip()
            if _DELIMITER.match(stripped):
                cells = [RawCell("", Provenance(path, number, reader=self.name))]
            elif stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
                cells = [
                    RawCell(normalize_text(c).strip(), Provenance(path, number, i, reader=self.name))
                    for i, c in enumerate(_split_row(stripped))
                ]
            else:
                prose = _ESCAPED.sub("", _HEADING.sub("", stripped))
                cells = [RawCell(normalize_text(prose).strip(), Provenance(path, number, reader=self.name))]
            lines.append(RawLine(tuple(cells)))
        return RawDocument(path, lines, encoding=encoding, reader=self.name)
