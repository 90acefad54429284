"""Find the six section headings: a Chinese numeral, 、, and a keyword of that section; or, for a
section none matched, the one heading with its numeral standing where the section belongs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from xxgk.format import FormatSpec, label_key
from xxgk.format.spec import SectionSpec
from xxgk.readers.base import RawDocument

_HEADING = re.compile(r"^([一二三四五六])\s*[、,，.．]\s*(.*)$")
# The separators a heading's numeral takes, as label_key leaves them (NFKC folds ，．).
_SEPARATORS = "、,."
MAX_HEADING_CHARS = 40
# Lines looked at after the numeral's line for the rest of its heading: a heading printed one text
# run per line (一 | 、 | 总体情况, 六、 | 其他 | 需要 | 报告的事项), blank lines between them allowed.
MAX_HEADING_LINES = 8


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


def _heading_key(text: str) -> str:
    """Matching key of (the start of) a heading, its separator written 、 whatever was printed."""
    key = label_key(text)
    if len(key) > 1 and key[1] in _SEPARATORS:
        key = f"{key[0]}、{key[2:]}"
    return key


def _continued(doc: RawDocument, i: int, text: str, official: str) -> tuple[str, int]:
    """The heading begun by `text` on line `i`, with the next lines joined on while the join is still
    the start of the `official` heading: a heading split over lines, like a table label. Returns the
    joined text and the index of its last line. Only the official wording is joined this way (a
    reworded heading cut over lines keeps its first line, as before)."""
    target = label_key(official)
    last = i
    n = len(doc.lines)
    j = i + 1
    while j < min(i + 1 + MAX_HEADING_LINES, n) and _heading_key(text) != target:
        nxt = _single_text(doc, j)
        if nxt is None:
            break
        if nxt:
            joined = text + nxt
            if len(joined) > MAX_HEADING_CHARS or not target.startswith(_heading_key(joined)):
                break
            text, last = joined, j
        j += 1
    return text, last


def find_headings(doc: RawDocument, spec: FormatSpec) -> list[HeadingHit]:
    by_number = {s.number: s for s in spec.sections}
    hits: list[HeadingHit] = []
    reworded: list[HeadingHit] = []  # numbered headings without a keyword of their section
    n = len(doc.lines)
    for i, joined in enumerate(doc.texts):
        # Cheap test on the line's text first: most lines cannot be a heading.
        if not joined or joined[0] not in by_number or len(joined) > MAX_HEADING_CHARS:
            continue
        text = _single_text(doc, i)
        if not text:
            continue
        section = by_number.get(text[0])
        if section is None:
            continue
        text, last = _continued(doc, i, text, section.heading)
        m = _HEADING.match(text)
        if not m:
            continue
        rest = m.group(2)
        if not rest.strip():  # "一、" alone on a line, its words (not the official ones) on the next
            for j in range(last + 1, min(last + 4, n)):
                nxt = _single_text(doc, j)
                if nxt:
                    rest, last = nxt, j
                    break
        key = label_key(rest)
        hit = HeadingHit(section, i, last, f"{m.group(1)}、{rest.strip()}")
        (hits if any(label_key(k) in key for k in section.keywords) else reworded).append(hit)
    return _with_reworded(hits, reworded, spec)


def body_headings(hits: list[HeadingHit]) -> tuple[list[HeadingHit], list[HeadingHit]]:
    """(the headings of the report's body, those left out): a heading whose section is found again
    further on, and that comes before every heading of the body, is a site menu's link or a table of
    contents (a CMS page printed to PDF: 二、主动公开政府信息情况 in the menu above the title), not a
    second heading of its section (B023) nor one out of order (B022). A heading repeated inside the
    body stays (a leftover of copy and paste, B023)."""
    start = 0
    while start < len(hits) and any(h.section is hits[start].section for h in hits[start + 1 :]):
        start += 1
    return hits[start:], hits[:start]


def _with_reworded(hits: list[HeadingHit], reworded: list[HeadingHit], spec: FormatSpec) -> list[HeadingHit]:
    """`hits` and, for each section none of them found, its reworded heading (一、政府信息主动公开工作
    for 一、总体情况; 六、其他应说明事项): taken when exactly one line numbered for that section stands
    between the headings found before and after it, and it is not a table's row label (三's 一、本年新收…,
    四、结转下年度继续办理). Saying "第一部分 not found" of a report whose part one is there under
    another title would blame the report for our matching (issue 19 §1); B024 shows the wording."""
    found = {h.section.key for h in hits}
    row_labels = _row_label_keys(spec)
    extra = []
    for section in spec.sections:
        if section.key in found:
            continue
        before = max((h.line for h in hits if h.section.index < section.index), default=-1)
        after = min((h.line for h in hits if h.section.index > section.index), default=1 << 62)
        candidates = [
            h
            for h in reworded
            if h.section is section
            and before < h.line < after
            and not any(label_key(h.text).startswith(k) for k in row_labels)
        ]
        if len(candidates) == 1:
            extra.append(candidates[0])
    return sorted(hits + extra, key=lambda h: h.line) if extra else hits


def _row_label_keys(spec: FormatSpec) -> tuple[str, ...]:
    """Matching keys of every numbered row or group label of the tables (first four characters:
    一、本年, 三、本年 …)."""
    labels = [
        label
        for table in spec.tables.values()
        for label in (*(p.label for p in table.physical_rows), *(g.label for g in table.groups))
        if label is not None
    ]
    return tuple(sorted({key[:4] for label in labels for key in label.keys if key[:1] in "一二三四五六"}))
