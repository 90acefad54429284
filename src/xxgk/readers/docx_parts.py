"""The parts a Word file's body refers to: documents embedded in it (`w:altChunk`), read where
they stand, and with `--ocr` its pictures large enough to be a table (pasted screenshots), read
by OCR after the paragraph that holds them (`xxgk.readers.embedded` renumbers their lines).

An altChunk is a whole web page, single-file page (MHTML), Word document or text file kept as a
part of the package; Word converts it into ordinary paragraphs and tables when it opens the file.
Files made by the "下载 Word"/"导出 Word" buttons of web sites (html-docx-js, docx4j and the like)
are often nothing else: one altChunk holding the article page. Such a file has no text of its own,
so without this it reads as empty.

The part is found by the chunk's relationship id and read by the reader its bytes call for (chosen
by content, as for a file: MHTML, Word, HTML, else text; RTF is not read). Its lines take the
Word body's provenance convention: `line` is the body block the line becomes in Word (blocks are
counted on from the paragraphs before the chunk), tables are numbered on from the tables before
it, rows and cells keep their grid positions. A chunk that cannot be read is a note (and the
error of the file when the body holds nothing else), never a traceback; nesting is bounded.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from xxgk.errors import OverBudgetError, ScannedPdfError, UnreadableInputError
from xxgk.readers.base import RawDocument
from xxgk.readers.budget import current
from xxgk.readers.docx_package import read_part, relationships
from xxgk.readers.embedded import picture_failure
from xxgk.readers.html import HtmlReader
from xxgk.readers.mhtml import PAGE_PART_NOTE, MhtmlReader
from xxgk.readers.sniff import OLE_MAGIC, ZIP_MAGIC
from xxgk.readers.txt import TxtReader
from xxgk.settings import ReadSettings

MAX_CHUNKS = 100  # altChunks read per file (html-docx-js makes one; docx4j one per insertion)
MAX_DEPTH = 2  # a Word chunk may hold chunks of its own, this many levels down

_RTF_MAGIC = b"{\\rtf"
_KINDS_ZH = {"html": "网页", "mhtml": "单文件网页", "docx": "Word 文档", "txt": "文本"}

# Reads a nested Word file: (path, bytes, settings, depth) -> document.
ReadDocx = Callable[[str, bytes, ReadSettings, int], RawDocument]


@dataclass
class BodyParts:
    """The parts a Word body refers to, read on request in document order: its altChunks and,
    with --ocr, its pictures."""

    path: str
    zf: zipfile.ZipFile
    part: str  # the name of the body's part (its relationships name the chunks)
    settings: ReadSettings
    read_docx: ReadDocx
    depth: int = 0
    kinds: list[str] = field(default_factory=list)  # reader of each chunk read
    failures: list[str] = field(default_factory=list)  # zh-CN reason per chunk not read
    chunk_notes: list[str] = field(default_factory=list)  # what the chunks' readers repaired
    pictures_read: int = 0  # pictures read by OCR (--ocr)
    picture_failures: list[str] = field(default_factory=list)
    budget: int = 0  # decompressed bytes the chunks may still take
    _targets: dict[str, str | None] | None = None

    def __post_init__(self) -> None:
        self.budget = self.settings.max_bytes

    def chunk(self, rid: str | None) -> RawDocument | None:
        """The document of the chunk with relationship id `rid`; None (and a failure noted) when
        it cannot be read."""
        number = len(self.kinds) + len(self.failures) + 1
        try:
            doc = self._read(rid)
        except OverBudgetError:
            raise  # (the whole file is refused, not one chunk)
        except UnreadableInputError as e:
            self.failures.append(f"第{number}段嵌入内容无法读取：{e.message}")
            return None
        self.kinds.append(doc.reader)
        # (an MHTML chunk's line numbers are not the page part's here: the lines take the body's)
        self.chunk_notes += [f"第{number}段嵌入内容：{note}" for note in doc.notes if note != PAGE_PART_NOTE]
        return doc

    def _read(self, rid: str | None) -> RawDocument:
        if len(self.kinds) + len(self.failures) >= MAX_CHUNKS:
            raise UnreadableInputError(f"嵌入内容超过 {MAX_CHUNKS} 段，其余未读取", path=self.path)
        current(self.settings, self.path).part(self.depth + 1)
        name, data = self._part(rid, "嵌入内容")
        return self._read_bytes(name, data)

    def _part(self, rid: str | None, what: str) -> tuple[str, bytes]:
        """(name, bytes) of the part the body's relationship `rid` names, within the budget."""
        if self._targets is None:
            self._targets = relationships(self.zf, self.part)
        if rid is None or rid not in self._targets:
            raise UnreadableInputError("文档中找不到它引用的部件（关系 ID 缺失），文件可能已损坏", path=self.path)
        name = self._targets[rid]
        if name is None:
            raise UnreadableInputError("它链接到文档外部的文件，不在文档之中", path=self.path)
        try:
            # Charged to the file's budget before it is inflated (zipfile stops at the declared
            # size): nested documents share it, so 100 chunks of 100 chunks cannot multiply it.
            current(self.settings, self.path).expand(self.zf.getinfo(name).file_size)
            data = read_part(self.path, self.zf, name, self.budget, what=what)
        except KeyError:
            raise UnreadableInputError(f"文档中缺少它的部件（{name}），文件可能已损坏", path=self.path) from None
        self.budget -= len(data)
        return name, data

    def picture(self, rid: str | None) -> RawDocument | None:
        """A picture of the body read by OCR (`--ocr`: a table pasted as a screenshot); None (and a
        failure noted) when it cannot be read. Without the OCR extra: the file's error (R005)."""
        from xxgk.readers import ocr
        from xxgk.readers.image import read_picture

        number = self.pictures_read + len(self.picture_failures) + 1
        try:
            if self.pictures_read >= ocr.MAX_OCR_PAGES:
                raise ocr.too_many_pages(self.path)
            name, data = self._part(rid, "图片")
            doc = read_picture(self.path, data, self.settings, name)
        except (ScannedPdfError, OverBudgetError):
            raise  # (the OCR extra is missing, or the file is over its budget: it cannot be read as asked)
        except UnreadableInputError as e:
            self.picture_failures.append(picture_failure(number, e.message))
            return None
        self.pictures_read += 1
        return doc

    def _read_bytes(self, name: str, data: bytes) -> RawDocument:
        if not data.strip():
            raise UnreadableInputError("内容为空", path=self.path)
        head, suffix = data[:4096], "." + name.rsplit(".", 1)[-1].lower()
        if head.startswith(OLE_MAGIC):  # (Word itself does not take these as chunks; no LibreOffice run per chunk)
            raise UnreadableInputError("这是旧版 Office 文件（.doc 等），嵌入内容不支持这种格式", path=self.path)
        if head.startswith(ZIP_MAGIC):
            if self.depth >= MAX_DEPTH:
                raise UnreadableInputError(f"Word 文档嵌套超过 {MAX_DEPTH} 层，未读取", path=self.path)
            return self.read_docx(self.path, data, self.settings, self.depth + 1)
        if head.lstrip().startswith(_RTF_MAGIC):
            raise UnreadableInputError(
                "这是 RTF 格式的内容，xxgk 不读取 RTF；请在 Word/WPS 中另存为 .docx 后重试", path=self.path
            )
        for reader in (MhtmlReader(), HtmlReader()):
            if reader.sniff(head, suffix):
                return reader.read(self.path, data, self.settings)
        return TxtReader().read(self.path, data, self.settings)

    def notes(self) -> list[str]:
        """What the reading of the chunks tells the user (for `xxgk parse`)."""
        notes = []
        if self.kinds:
            kinds = "、".join(dict.fromkeys(_KINDS_ZH.get(k, k) for k in self.kinds))
            notes.append(
                f"文档正文嵌入了 {len(self.kinds)} 段外部内容（altChunk：{kinds}，常见于网站“下载 Word”生成的文件），"
                "已读取其文字和表格；位置按 Word 打开后显示的段落和表格计"
            )
        return notes + self.chunk_notes + self.failures + self.picture_failures
