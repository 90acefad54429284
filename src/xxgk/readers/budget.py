"""One budget per document: what reading a file may cost, decided up front (docs/limits.md).

A file from a stranger may be small on disk and huge once read: parts that inflate to gigabytes,
documents nested in documents, tables of millions of cells, PDF pages of millions of path
segments. Every reader charges what it is about to read to the budget of the document being
read, before reading it, and the first limit passed refuses the file (`OverBudgetError`, R020)
with a zh-CN message naming the limit and how to raise it.

The budget of the document being read is held in a context variable: a reader called for a part
of another document (an altChunk, an MHTML page) charges the same budget as its parent, so
nesting multiplies nothing. `metered(settings)` opens a budget, or joins the one already open.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from xxgk.errors import OverBudgetError
from xxgk.settings import ReadSettings

OCR_TIME_FACTOR = 10  # OCR takes ~5 s a page: with --ocr the time limit is this many times longer


def _mb(n: int) -> str:
    return f"{n / 1048576:.0f} MB"


@dataclass
class Budget:
    """What the document being read has used so far, against the limits of `settings`."""

    settings: ReadSettings
    path: str = ""
    expanded: int = 0
    parts: int = 0
    cells: int = 0
    pages: int = 0
    segments: int = 0
    started: float = field(default_factory=time.monotonic)

    def _refuse(self, what: str, limit: str, option: str) -> None:
        raise OverBudgetError(
            f"超出读取限制：{what}（上限 {limit}），可能是恶意构造或已损坏的文件，已拒绝读取"
            f"（如确为正常报告，可调整读取限制 {option}，见用户手册“读取限制与安全”）",
            path=self.path,
        )

    def expand(self, n: int) -> None:
        """`n` more bytes decompressed (a part, a nested document, a stream)."""
        self.expanded += n
        if self.expanded > self.settings.max_expanded_bytes:
            self._refuse("解压后的内容总量过大", _mb(self.settings.max_expanded_bytes), "max_expanded_bytes")
        self.tick()

    def part(self, depth: int = 0) -> None:
        """One more embedded part (a document in the document), `depth` levels down."""
        self.parts += 1
        if self.parts > self.settings.max_parts:
            self._refuse("嵌入部件过多", f"{self.settings.max_parts} 个", "max_parts")
        self.nesting(depth)
        self.tick()

    def nesting(self, depth: int) -> None:
        if depth > self.settings.max_depth:
            self._refuse("嵌套层数过多", f"{self.settings.max_depth} 层", "max_depth")

    def add_cells(self, n: int) -> None:
        self.cells += n
        if self.cells > self.settings.max_cells:
            self._refuse("表格单元格过多", f"{self.settings.max_cells} 个", "max_cells")
        self.tick()

    def page_count(self, n: int) -> None:
        if n > self.settings.max_pages:
            self._refuse(f"页数过多（{n} 页）", f"{self.settings.max_pages} 页", "max_pages")

    def stream(self, n: int) -> None:
        """A PDF content stream of `n` bytes once inflated (checked before pdfium parses it)."""
        if n > self.settings.max_stream_bytes:
            self._refuse("PDF 页面内容流解压后过大", _mb(self.settings.max_stream_bytes), "max_stream_bytes")

    def add_segments(self, n: int) -> None:
        self.segments += n
        if self.segments > self.settings.max_path_segments:
            self._refuse("PDF 图形路径过于复杂", f"{self.settings.max_path_segments} 段", "max_path_segments")

    def tick(self) -> None:
        """Refuse the document once it has taken longer than its time limit."""
        limit = self.settings.max_seconds * (OCR_TIME_FACTOR if self.settings.ocr else 1)
        if time.monotonic() - self.started > limit:
            self._refuse("读取时间过长", f"{limit:g} 秒", "max_seconds")


_CURRENT: ContextVar[Budget | None] = ContextVar("xxgk_read_budget", default=None)


@contextmanager
def metered(settings: ReadSettings, path: str = "") -> Iterator[Budget]:
    """The budget of the document being read: the one already open (a part of a document being
    read), else a new one for `settings`, closed when the block ends."""
    open_budget = _CURRENT.get()
    if open_budget is not None:
        yield open_budget
        return
    budget = Budget(settings, path)
    token = _CURRENT.set(budget)
    try:
        yield budget
    finally:
        _CURRENT.reset(token)


def current(settings: ReadSettings | None = None, path: str = "") -> Budget:
    """The open budget; outside `metered` (a reader function called on its own) a fresh one, so
    every limit of a single call is still enforced."""
    budget = _CURRENT.get()
    return budget if budget is not None else Budget(settings or ReadSettings(), path)
