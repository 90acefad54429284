"""The reader interface and the generic document every reader produces."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple, Protocol

from xxgk.report import Provenance
from xxgk.settings import ReadSettings


class RawCell(NamedTuple):
    """One cell as read. Empty cells matter only by their position in the line, so a reader
    may give them the line's provenance (no cell index) and share one object per line."""

    text: str  # normalised text (see xxgk.format.normalize.normalize_text)
    source: Provenance


class RawLine(NamedTuple):
    """A line of the document as read: one cell for prose, several for a table row."""

    cells: tuple[RawCell, ...]

    @property
    def text(self) -> str:
        if len(self.cells) == 1:
            return self.cells[0].text.strip()
        return "".join([c.text for c in self.cells]).strip()


@dataclass
class OcrSummary:
    """What OCR read of a document: the scanned pages it read and the pages of text whose large
    pictures it read (1-based), and the table cells holding text
    recognised with low confidence (below `threshold`): (provenance, text as read, confidence 0–1)."""

    pages: list[int]
    picture_pages: list[int] = field(default_factory=list)  # pages of text whose pictures were read by OCR
    pictures: int = 0  # pictures of a document without pages (Word) read by OCR…
    sources: frozenset[Provenance] = frozenset()  # …and the table cells read from them
    doubts: list[tuple[Provenance, str, float]] = field(default_factory=list)
    threshold: float = 1.0


@dataclass
class RawDocument:
    path: str
    lines: list[RawLine]
    encoding: str = "utf-8"
    reader: str = "txt"
    notes: list[str] = field(default_factory=list)  # what the reader repaired or left out (reported as R013)
    ocr: OcrSummary | None = None  # set when some pages were read by OCR (reported as R010/R011)
    textless_pages: list[int] = field(default_factory=list)  # PDF pages with no text layer, not read (R012)
    pictures: int = 0  # pictures in the text as large as a table (`may_hold_table`), not read: tables as images? (R014)
    read_with_ocr: bool = False  # --ocr was given: the pictures above were tried and could not be read (notes say why)
    # Lines (indexes) laid out in columns with runs of spaces, as `pdftotext -layout` prints a
    # table: their words are in an order of their own, so a row's numbers over two such lines need
    # not be in the columns' order (the recogniser does not read such a row in order).
    aligned: frozenset[int] = frozenset()

    @cached_property
    def texts(self) -> list[str]:
        """The text of every line (cells joined), computed once: the recogniser reads it often.
        Readers build `lines` completely before returning the document and never change it after;
        a reader that has the texts at hand may set them (`doc.texts = [...]`)."""
        return [line.text for line in self.lines]


# How to read a scanned PDF or an image (R005, R012): in one place for every reader that says it.
OCR_HINT_ZH = "请使用带文字层的 PDF，或加 --ocr 选项用 OCR 识别（需安装 xxgk[ocr]）"

PT_PER_CM = 72 / 2.54
SNAP_TOLERANCE = 3.0  # points: PDF rulings (and column borders) closer than this are one (pdfplumber's default)

# A picture at least this large in the text of a report may be a table published as an image (R014);
# logos, icons, QR codes and seals (4 cm) are smaller.
PICTURE_MIN_WIDTH_CM = 6.0
PICTURE_MIN_HEIGHT_CM = 2.0


def may_hold_table(width_cm: float | None, height_cm: float | None) -> bool:
    """Whether a picture of this size (None: not known) in a report's text could hold a table."""
    return (width_cm is None or width_cm >= PICTURE_MIN_WIDTH_CM) and (
        height_cm is None or height_cm >= PICTURE_MIN_HEIGHT_CM
    )


def length_cm(value: str | None) -> float | None:
    """A length as HTML attributes and CSS/VML styles write it ("600", "600px", "415.5pt", "5.8in",
    "12cm") in cm, a bare number being pixels at 96 per inch; None when absent or relative (%, em)."""
    m = _LENGTH.fullmatch((value or "").strip().lower())
    return float(m.group(1)) * _CM_PER_UNIT[m.group(2) or "px"] if m else None


def style_declarations(style: str | None) -> dict[str, str]:
    """The declarations of a style attribute ("width:415.5pt;height:200pt"), lower-cased."""
    return dict(_STYLE_ITEM.findall((style or "").replace(" ", "").lower()))


_STYLE_ITEM = re.compile(r"([a-z-]+):([^;]+)")
_LENGTH = re.compile(r"([0-9]*\.?[0-9]+)(px|pt|cm|mm|in)?")
_CM_PER_UNIT = {"px": 2.54 / 96, "pt": 2.54 / 72, "cm": 1.0, "mm": 0.1, "in": 2.54}


def pages_zh(pages: list[int]) -> str:
    """Page numbers as Chinese text shows them: [1, 2, 3, 5] -> "1–3、5"."""
    runs: list[list[int]] = []
    for p in pages:
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return "、".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


class Reader(Protocol):
    @property
    def name(self) -> str: ...  # short id, recorded in every Provenance

    @property
    def suffixes(self) -> tuple[str, ...]: ...  # usual file suffixes (sniffing decides, not these)

    def sniff(self, head: bytes, suffix: str) -> bool: ...

    def read(self, path: str, data: bytes, settings: ReadSettings) -> RawDocument: ...
