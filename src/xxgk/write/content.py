"""What a rendered report contains, in order: title, sections with their tables, signature.

The writers (HTML, Markdown, DOCX; PDF through HTML) walk these blocks; they only decide how a
block looks. Headings come from the format spec, tables from `layout.table_layouts()`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from xxgk.report import Number, Report
from xxgk.write.layout import TableLayout, table_layouts

# A short paragraph opening with （一）…（十） is a second-level heading (楷体 in GB/T 9704).
_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
SUBHEADING_MAX_CHARS = 30


class Kind(StrEnum):
    TITLE = "title"
    HEADING = "heading"  # 一、… (黑体)
    SUBHEADING = "subheading"  # （一）… (楷体)
    PARAGRAPH = "paragraph"
    TABLE = "table"
    SIGNATURE = "signature"  # agency and date, right-aligned


@dataclass(frozen=True)
class Block:
    kind: Kind
    text: str = ""
    table: TableLayout | None = None


def format_number(value: Number | None) -> str:
    """A cell value as printed: missing is the empty string, never 0."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def format_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def report_title(report: Report) -> str:
    m = report.meta
    if m.title:
        return m.title
    return f"{m.agency or ''}{m.year or ''}年政府信息公开工作年度报告"


# The units a title line may not break inside: the year, the words of the title's fixed part, the
# endings of agency names; anything else is one character. ("…工作年" / "度报告" is what a layout
# engine left alone prints when the title is a character too long for its line.)
_TITLE_UNITS = re.compile(
    r"(?:19|20)\d{2}\s*年|政府信息公开|工作|年度报告|年报|人民政府|办事处|委员会|办公室|管理局|[A-Za-z0-9]+|.",
    re.DOTALL,
)
_TITLE_YEAR = re.compile(r"(?:19|20)\d{2}\s*年")


def _width(text: str) -> float:
    """Width in em: half for ASCII, one for a CJK character."""
    return sum(0.5 if ord(ch) < 128 else 1.0 for ch in text)


def title_lines(title: str, width: float) -> list[str]:
    """The title as printed lines of at most `width` em: a break after the agency (before the
    year), as printed titles have it, and more only where a line is too long, never inside a word."""
    m = _TITLE_YEAR.search(title)
    parts = [title[: m.start()], title[m.start() :]] if m and m.start() > 0 else [title]
    lines: list[str] = []
    for part in parts:
        line = ""
        for unit in _TITLE_UNITS.findall(part):
            if line and _width(line + unit) > width:
                lines.append(line)
                line = ""
            line += unit
        lines.append(line)
    return [line for line in lines if line.strip()]


def signature_lines(report: Report) -> list[str]:
    lines = [report.meta.agency] if report.meta.agency else []
    if report.meta.date:
        lines.append(format_date(report.meta.date))
    return lines


def section_paragraphs(report: Report, key: str, last: bool) -> list[str]:
    """The section's paragraphs; the last section drops a trailing signature read along with it."""
    paragraphs = [p.strip() for p in report.sections[key].text.split("\n") if p.strip()]
    if last:
        signature = set(signature_lines(report))
        while paragraphs and paragraphs[-1] in signature:
            paragraphs.pop()
    return paragraphs


def paragraph_kind(text: str) -> Kind:
    if len(text) <= SUBHEADING_MAX_CHARS and _SUBHEADING.match(text):
        return Kind.SUBHEADING
    return Kind.PARAGRAPH


def document_blocks(report: Report) -> list[Block]:
    spec = report.spec
    layouts = table_layouts(spec.id)
    blocks = [Block(Kind.TITLE, report_title(report))]
    for i, section in enumerate(spec.sections):
        blocks.append(Block(Kind.HEADING, section.heading))
        for p in section_paragraphs(report, section.key, last=i == len(spec.sections) - 1):
            blocks.append(Block(paragraph_kind(p), p))
        if section.table is not None:
            blocks.append(Block(Kind.TABLE, table=layouts[section.table]))
    blocks.extend(Block(Kind.SIGNATURE, line) for line in signature_lines(report))
    return blocks


def cell_texts(report: Report) -> dict[str, str]:
    """Every cell key to its printed text."""
    return {k: format_number(c.value) for k, c in report.cells.items()}
