"""Settings as frozen dataclasses with DEFAULT_* constants, passed in explicitly (no globals)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from xxgk import unconfirmed

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # real reports are < 1 MB; bigger input is refused, not read
DEFAULT_MAX_LINES = 200_000
# One budget per document (docs/limits.md): what a hostile file may cost before it is refused
# (R020). Real reports are far below each: < 1 MB of text, a few parts, < 5,000 table cells,
# 3–50 pages of a few thousand path segments, read in well under 10 s.
DEFAULT_MAX_EXPANDED_BYTES = 64 * 1024 * 1024  # decompressed, across all parts and nested documents
DEFAULT_MAX_PARTS = 200  # embedded documents (altChunk, MIME parts) across all nesting levels
DEFAULT_MAX_DEPTH = 8  # nesting of documents in documents, of MIME multiparts in multiparts
DEFAULT_MAX_CELLS = 200_000  # table cells (after spans are expanded)
DEFAULT_MAX_PAGES = 300
DEFAULT_MAX_STREAM_BYTES = 16 * 1024 * 1024  # one PDF content stream, inflated (a dense page: < 200 KB)
DEFAULT_MAX_PATH_SEGMENTS = 1_000_000  # PDF path operators in all content streams (a table page: < 5,000)
DEFAULT_MAX_SECONDS = 60.0  # wall time to read one document (without --ocr; with it ×10)


@dataclass(frozen=True)
class ReadSettings:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_lines: int = DEFAULT_MAX_LINES
    ocr: bool = False  # read scanned PDF pages by OCR (the extra xxgk[ocr]; ~5 s per page)
    max_expanded_bytes: int = DEFAULT_MAX_EXPANDED_BYTES
    max_parts: int = DEFAULT_MAX_PARTS
    max_depth: int = DEFAULT_MAX_DEPTH
    max_cells: int = DEFAULT_MAX_CELLS
    max_pages: int = DEFAULT_MAX_PAGES
    max_stream_bytes: int = DEFAULT_MAX_STREAM_BYTES
    max_path_segments: int = DEFAULT_MAX_PATH_SEGMENTS
    max_seconds: float = DEFAULT_MAX_SECONDS

    @classmethod
    def resolve(cls, value: ReadSettings | dict[str, Any] | None) -> ReadSettings:
        if value is None:
            return cls()
        if isinstance(value, dict):
            return replace(cls(), **value)
        return value


@dataclass(frozen=True)
class CheckSettings:
    """Knobs of the checker. Defaults for UNCONFIRMED points come from xxgk.unconfirmed."""

    township_deadline: str = unconfirmed.TOWNSHIP_DEADLINE  # "MM-DD" in the year after the report year
    section5_min_chars: int = 60
    select: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()

    @classmethod
    def resolve(cls, value: CheckSettings | dict[str, Any] | None) -> CheckSettings:
        if value is None:
            return cls()
        if isinstance(value, dict):
            return replace(cls(), **value)
        return value
