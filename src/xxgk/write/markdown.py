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
_LEADING_SYNTAX = re.compile(r"^[#>|\-+*=`~]")
# An ordered-list opening ("1. "): the backslash goes before the "." (CommonMark escapes
# punctuation only; "\1." would be shown with its backslash).
_LEADING_NUMBER = re.compile(r"^(\d+)([.)]\s)")
# Inline syntax that would act when the Markdown is shown (a report's text comes from strangers):
# a backslash that would escape what follows it; raw HTML, comments and autolinks (`<` before a
# letter, /, ! or ?); entity references; the `]` that closes a link, an image (`![](http://…)`),
# a reference or a reference definition; code spans.
_ACTIVE = re.compile(r"\\(?=[!-/:-@\[-`{-~])|<(?=[A-Za-z/!?])|&(?=#?\w+;)|\](?=[(\[:])|`")
# Emphasis and strikethrough need an opener and a closer: a lone * _ ~ is printed as it is (so
# "[bookmark: _GoBack]" stays as written), two or more are escaped.
_PAIRED = ("*", "_", "~")


def _inline(text: str) -> str:
    """`text` as Markdown inline content that shows exactly this text and nothing else: no HTML,
    link, image or emphasis of the text's own. Plain Chinese prose is left as it is."""
    text = _ACTIVE.sub(lambda m: "\\" + m.group(), text)
    for char in _PAIRED:
        if text.count(char) > 1:
            text = text.replace(char, "\\" + char)
    return text


def _escape(text: str) -> str:
    """A paragraph: inline syntax escaped, and an opening that would start a heading, quote, list,
    table row or code fence."""
    text = _LEADING_NUMBER.sub(r"\1\\\2", _inline(text))
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
                cells.append(_inline(p.cell.text).replace("|", "\\|"))
        lines.append("| " + " | ".join(cells) + " |")
        if n == 0:
            lines.append("|" + "---|" * layout.ncols)
    return lines


def render_markdown(report: Report) -> str:
    texts = cell_texts(report)
    out: list[str] = []
    for b in document_blocks(report):
        if b.kind is Kind.TITLE:
            out.append(f"# {_inline(b.text)}")
        elif b.kind is Kind.HEADING:
            out.append(f"## {_inline(b.text)}")
        elif b.kind is Kind.TABLE:
            assert b.table is not None
            out.extend(_table(b.table, texts))
        else:  # paragraphs, （一） subheadings and the signature stay plain paragraphs
            out.append(_escape(b.text))
        out.append("")
    return "\n".join(out)
