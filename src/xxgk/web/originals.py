"""The original document beside what was read: PDF pages as PNG images with each read cell's box, and
the text of the other forms with line numbers.

A cell's box comes from its provenance (page, and the point where its text starts): the characters of
its raw text found on the page's text layer at that point give the box; where the text layer does not
have them (a scanned page read by OCR) a small box marks the point.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from xxgk.corpus.store.models import Document

PAGE_SCALE = 1.5  # PNG pixels per PDF point: sharp enough for 小四 digits, small enough to send
MAX_PAGES = 200
_POINT_TOLERANCE = 6.0


@dataclass(frozen=True)
class Box:
    key: str  # the cell key (or "" for a finding's point)
    left: float  # percentages of the page's width/height, for an overlay that scales with the image
    top: float
    width: float
    height: float


def document_path(document: Document) -> Path | None:
    """The kept copy of a document, or its original path when no copy was kept."""
    from xxgk.web.stores import corpus_store

    candidates = []
    if document.stored:
        candidates.append(corpus_store().root / document.stored)
    candidates.append(Path(document.path))
    return next((p for p in candidates if p.is_file()), None)


def is_pdf(document: Document) -> bool:
    path = document_path(document)
    if path is None:
        return False
    with path.open("rb") as f:
        return b"%PDF-" in f.read(1024)


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return min(len(pdf), MAX_PAGES)
    finally:
        pdf.close()


def page_png(path: Path, number: int) -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        if not 1 <= number <= min(len(pdf), MAX_PAGES):
            raise IndexError(number)
        page = pdf[number - 1]
        image = page.render(scale=PAGE_SCALE).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False)
        return out.getvalue()
    finally:
        pdf.close()


def page_boxes(path: Path, cells: list[tuple[str, str | None, dict[str, Any] | None]]) -> dict[int, list[Box]]:
    """Per page, the box of every cell (key, raw text, provenance) that was read from it."""
    import pypdfium2 as pdfium

    wanted: dict[int, list[tuple[str, str, float, float]]] = {}
    for key, raw, prov in cells:
        if prov and prov.get("page") and prov.get("x") is not None and prov.get("y") is not None:
            wanted.setdefault(int(prov["page"]), []).append((key, raw or "", float(prov["x"]), float(prov["y"])))
    out: dict[int, list[Box]] = {}
    pdf = pdfium.PdfDocument(str(path))
    try:
        for number, items in wanted.items():
            if not 1 <= number <= min(len(pdf), MAX_PAGES):
                continue
            page = pdf[number - 1]
            width, height = page.get_size()
            text = page.get_textpage()
            out[number] = [_box(text, key, raw, x, y, width, height) for key, raw, x, y in items]
    finally:
        pdf.close()
    return out


def _box(text: Any, key: str, raw: str, x: float, y: float, width: float, height: float) -> Box:
    left, top, right, bottom = x - 2, y - 9, x + 14, y + 3  # (a point: where the text starts)
    index = text.get_index(x, height - y, _POINT_TOLERANCE, _POINT_TOLERANCE)
    if index is not None and index >= 0 and raw:
        boxes = [text.get_charbox(i, loose=True) for i in range(index, min(index + len(raw), text.count_chars()))]
        if boxes:
            left = min(b[0] for b in boxes)
            right = max(b[2] for b in boxes)
            top = height - max(b[3] for b in boxes)
            bottom = height - min(b[1] for b in boxes)
    pad = 1.5
    return Box(
        key,
        max(0.0, (left - pad) / width * 100),
        max(0.0, (top - pad) / height * 100),
        (right - left + 2 * pad) / width * 100,
        (bottom - top + 2 * pad) / height * 100,
    )


@lru_cache(maxsize=32)
def document_lines(sha256: str, path: Path) -> list[tuple[int, str]]:
    """`text_lines` of a document, kept for the documents shown last: a reviewer going back and forth
    between a report and its findings does not have the file read again on every view (a DOCX or a web
    page takes 5–50 ms). Keyed by the content's hash, so another file at the same path is read anew."""
    return text_lines(path)


def text_lines(path: Path, limit: int = 20000) -> list[tuple[int, str]]:
    """The document as the reader saw it: (line number of the provenance, text) — a table row's cells
    joined by " | " — so a finding's line is found on the page."""
    from xxgk.errors import XxgkError
    from xxgk.readers import read_document

    try:
        document = read_document(path)
    except XxgkError:
        return []
    out: list[tuple[int, str]] = []
    for n, line in enumerate(document.lines[:limit], 1):
        number = line.cells[0].source.line if line.cells and line.cells[0].source.line else n
        text = line.cells[0].text if len(line.cells) == 1 else " | ".join(c.text for c in line.cells)
        out.append((number, text))
    return out
