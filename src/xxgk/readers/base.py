"""The reader interface and the generic document every reader produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from xxgk.report import Provenance
from xxgk.settings import ReadSettings


@dataclass(frozen=True)
class RawCell:
    text: str  # normalised text (see xxgk.format.normalize.normalize_text)
    source: Provenance


@dataclass(frozen=True)
class RawLine:
    """A line of the document as read: one cell for prose, several for a table row."""

    cells: tuple[RawCell, ...]

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.cells).strip()


@dataclass
class RawDocument:
    path: str
    lines: list[RawLine]
    encoding: str = "utf-8"
    reader: str = "txt"
    notes: list[str] = field(default_factory=list)  # what the reader repaired, for `xxgk parse`


class Reader(Protocol):
    name: str
    suffixes: tuple[str, ...]

    def sniff(self, head: bytes, suffix: str) -> bool: ...

    def read(self, path: str, data: bytes, settings: ReadSettings) -> RawDocument: ...
