"""Markdown output (GFM pipe tables); xxgk.readers.markdown reads it back.

Convention for merged cells, since pipe tables cannot merge: a merged cell's text is printed in
its top-left grid position and every position it covers is left empty, so each table line has
all the grid's columns (the TAB-export layout the recogniser already reads). Missing values are
empty cells, never 0.

"""

from __future__ import annotations

import re

from xxgk.report import Report
from xxgk.write.content import Kind, cell_texts, document_blocks
from xxgk.write.layout import TableLayout

# A paragraph opening with one of these would become Markdown syntax: escape it with "\".
_LEADING_SYNTAX = re.compile(r"^([#>|\-+*=`~]|\d+[.)]\s)")


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
