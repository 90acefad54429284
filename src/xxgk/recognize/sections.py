"""Find the six section headings: a Chinese numeral, 、, and a keyword of that section."""

from __future__ import annotations

import re
from dataclasses import dataclass

from xxgk.format import FormatSpec, label_key
from xxgk.format.spec import SectionSpec
from xxgk.readers.base import RawDocument

_HEADING = re.compile(r"^([一二三四五六])\s*[、,，.．]\s*(.*)$")
MAX_HEADING_CHARS = 40


@dataclass(frozen=True)
class HeadingHit:
    section: SectionSpec
    line: int  # index of the line holding the number
    last_line: int  # last line of the heading (a heading may be split over lines)
    text: str  # the heading as printed


def _single_text(doc: RawDocument, i: int) -> str | None:
    cells = doc.lines[i].cells
    if len(cells) == 1:
        return cells[0].text.strip()
    texts = [c.text for c in cells if c.text]
    return texts[0].strip() if len(texts) == 1 else None


def find_headings(doc: RawDocument, spec: FormatSpec) -> list[HeadingHit]:
    by_number = {s.number: s for s in spec.sections}
    hits = []
    n = len(doc.lines)
    for i, joined in enumerate(doc.texts):
        # Cheap test on the line's text first: most lines cannot be a heading.
        if not joined or joined[0] not in by_number or len(joined) > MAX_HEADING_CHARS:
            continue
        text = _single_text(doc, i)
        if not text:
            continue
        m = _HEADING.match(text)
        if not m:
            continue
        section = by_number[m.group(1)]
        rest, last = m.group(2), i
        if not rest.strip():  # "一、" alone on a line, its words on the next ones
            for j in range(i + 1, min(i + 4, n)):
                nxt = _single_text(doc, j)
                if nxt:
                    rest, last = nxt, j
                    break
        key = label_key(rest)
        if any(label_key(k) in key for k in section.keywords):
            printed = f"{m.group(1)}、{rest.strip()}"
            hits.append(HeadingHit(section, i, last, printed))
    return hits
