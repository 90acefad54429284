"""Documents read inside another: a Word file's altChunks, and pictures read by OCR (`--ocr`) in a
Word file or a web page. Their lines join the host document where they stand, renumbered in the
host's provenance convention, and what OCR read of them is kept for R010/R011.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from xxgk.readers.base import OcrSummary, RawCell, RawDocument, RawLine
from xxgk.report import Provenance


@dataclass
class Embedded:
    """The host's side of its embedded documents: a file path and reader name for their cells, and
    the pictures read by OCR so far with their table cells and doubtful cells."""

    path: str
    reader: str
    pictures: int = 0  # pictures read by OCR
    sources: set[Provenance] = field(default_factory=set)  # their table cells, in the host's numbering
    doubts: list[tuple[Provenance, str, float]] = field(default_factory=list)  # as OcrSummary.doubts

    def lines(self, doc: RawDocument, numbers: Iterator[int], first_table: int) -> Iterator[RawLine]:
        """`doc`'s lines with the host's provenance: line numbers from `numbers` (one per line), its
        tables numbered on from `first_table`, grid rows and cells kept. What OCR read of `doc`
        (a picture, or a document holding some) is added to this host's account."""
        moved: dict[Provenance, Provenance] = {}
        for line in doc.lines:
            number = next(numbers)
            cells = []
            for cell in line.cells:
                src = cell.source
                table = None if src.table is None else first_table + src.table
                here = Provenance(self.path, line=number, cell=src.cell, reader=self.reader, table=table, row=src.row)
                moved[src] = here
                cells.append(RawCell(cell.text, here))
            yield RawLine(tuple(cells))
        if doc.ocr is not None:
            # (a picture is read as an image document: its frames are its OCR'd pages)
            self.pictures += doc.ocr.pictures or (1 if doc.ocr.pages else 0)
            self.sources |= {here for src, here in moved.items() if src.table is not None}
            self.doubts += [(moved[s], text, conf) for s, text, conf in doc.ocr.doubts if s in moved]

    def summary(self) -> OcrSummary | None:
        """What OCR read of the host's pictures (None: nothing)."""
        if not self.pictures:
            return None
        from xxgk.readers.ocr import LOW_CONFIDENCE

        return OcrSummary(
            pages=[],
            pictures=self.pictures,
            sources=frozenset(self.sources),
            doubts=self.doubts,
            threshold=LOW_CONFIDENCE,
        )


def picture_failure(number: int, reason: str) -> str:
    """The note (R013) for the `number`th picture of a document, which OCR could not read."""
    return f"第{number}张图片无法识别：{reason}"


def tables_in(lines: list[RawLine]) -> int:
    """How many tables the lines hold (one more than their highest table index)."""
    return max((c.source.table + 1 for line in lines for c in line.cells if c.source.table is not None), default=0)
