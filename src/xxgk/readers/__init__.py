"""Readers turn a file into a RawDocument: lines of cells, each cell with its provenance.

Readers never look at labels; recognising the report happens in xxgk.recognize. The reader is
chosen by content (magic bytes, markup), never by the file name alone. A new reader is a class
with `name`, `suffixes`, `sniff(head, suffix)` and `read(path, data, settings)`, added to READERS
before TxtReader, the fallback that accepts anything that decodes as text.
"""

from __future__ import annotations

import importlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

from xxgk.errors import UnreadableInputError
from xxgk.oserrors import os_error_zh
from xxgk.readers import sniff
from xxgk.readers.base import RawCell, RawDocument, RawLine, Reader
from xxgk.readers.budget import metered
from xxgk.readers.markdown import MarkdownReader
from xxgk.readers.txt import TxtReader
from xxgk.settings import ReadSettings


class LazyReader:
    """A reader whose module (and the parser it needs: lxml, pypdfium2) is imported only when a
    file is read with it; sniffing is done by `xxgk.readers.sniff`, which imports neither."""

    def __init__(
        self, name: str, suffixes: tuple[str, ...], sniffer: Callable[[bytes, str], bool], module: str, cls: str
    ) -> None:
        self.name, self.suffixes, self._sniffer, self._module, self._cls = name, suffixes, sniffer, module, cls

    def sniff(self, head: bytes, suffix: str) -> bool:
        return self._sniffer(head, suffix)

    def read(self, path: str, data: bytes, settings: ReadSettings) -> RawDocument:
        reader: Reader = getattr(importlib.import_module(self._module), self._cls)()
        return reader.read(path, data, settings)


READERS: tuple[Reader, ...] = (
    LazyReader("pdf", sniff.PDF_SUFFIXES, sniff.sniff_pdf, "xxgk.readers.pdf", "PdfReader"),
    # (by magic bytes: before the readers that sniff for markup)
    LazyReader(sniff.IMAGE_READER, sniff.IMAGE_SUFFIXES, sniff.sniff_image, "xxgk.readers.image", "ImageReader"),
    LazyReader("docx", sniff.DOCX_SUFFIXES, sniff.sniff_docx, "xxgk.readers.docx", "DocxReader"),
    LazyReader(sniff.MHTML_READER, sniff.MHTML_SUFFIXES, sniff.sniff_mhtml, "xxgk.readers.mhtml", "MhtmlReader"),
    LazyReader("html", sniff.HTML_SUFFIXES, sniff.sniff_html, "xxgk.readers.html", "HtmlReader"),
    MarkdownReader(),
    TxtReader(),
)
SUPPORTED_ZH = "文本（TXT）、Markdown、网页（HTML、单文件网页 MHTML）、Word（.docx）、PDF 和扫描图片（加 --ocr）"

# Formats we recognise by their magic bytes but do not read: a clear message, not garbage.
# (Images are read by ImageReader: by OCR with --ocr, else refused with R005.)
_KNOWN_BINARY = {
    b"PK\x03\x04": "ZIP 压缩包（不是 Word 文档）",
    b"Rar!": "RAR 压缩包",
    b"7z\xbc\xaf": "7z 压缩包",
}


def human_size(n: int) -> str:
    """Bytes as the zh-CN messages print them: "20 KB", "1.5 MB", "20 MB"."""
    if n < 1024 * 1024:
        return f"{n / 1024:.3g} KB"
    return f"{n / 1048576:.3g} MB"


def read_document(path: str | Path, settings: ReadSettings | None = None) -> RawDocument:
    """Read `path` with the first reader that accepts its content."""
    settings = ReadSettings.resolve(settings)
    return read_bytes(load_bytes(path, settings), str(Path(path)), settings)


def load_bytes(path: str | Path, settings: ReadSettings) -> bytes:
    """The content of `path`, refused with a zh-CN reason when it is no regular file or too large."""
    p = Path(path)
    try:  # one open and one fstat: this runs for every file of a batch
        # O_NONBLOCK: opening a named pipe must not wait for a writer (it is refused below).
        with open(os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as f:
            info = os.fstat(f.fileno())
            if stat.S_ISFIFO(info.st_mode) or stat.S_ISSOCK(info.st_mode):
                raise UnreadableInputError("这不是普通文件（命名管道或套接字），无法作为报告读取", path=str(p))
            size = info.st_size
            data = b""
            if size <= settings.max_bytes:
                # The size read plus one byte (asking for the whole limit at once costs an
                # allocation of the limit); a file that is longer than it said, or a device that
                # reports size 0 (and may never end), is read on to one byte past the limit.
                data = f.read(size + 1)
                if len(data) > size:
                    data += f.read(settings.max_bytes + 1 - len(data))
            if size > settings.max_bytes or len(data) > settings.max_bytes:
                _too_large(size if size > settings.max_bytes else None, settings, str(p))
    except FileNotFoundError:
        raise UnreadableInputError("文件不存在", path=str(p)) from None
    except IsADirectoryError:
        raise UnreadableInputError("这是一个目录，不是文件", path=str(p)) from None
    except OSError as e:
        raise UnreadableInputError(f"无法读取文件：{os_error_zh(e)}", path=str(p)) from None
    return data


def _too_large(size: int | None, settings: ReadSettings, path: str) -> None:
    size_zh = f"{human_size(size)}，" if size is not None else ""
    raise UnreadableInputError(
        f"文件过大（{size_zh}超过上限 {human_size(settings.max_bytes)}）；"
        "年度报告通常小于 1 MB，请确认文件是否正确（可用 --max-size 调整上限）",
        path=path,
    )


def read_bytes(data: bytes, path: str, settings: ReadSettings | None = None) -> RawDocument:
    """Read the content `data` of the file named `path` (its name and suffix, the folder a web page's
    pictures are looked up in) with the first reader that accepts it."""
    settings = ReadSettings.resolve(settings)
    if len(data) > settings.max_bytes:
        _too_large(len(data), settings, path)
    if not data.strip():
        raise UnreadableInputError("文件为空", path=path)
    head, suffix = data[:4096], Path(path).suffix.lower()
    for reader in READERS[:-1]:
        if reader.sniff(head, suffix):
            break
    else:
        for magic, kind in _KNOWN_BINARY.items():
            if head.startswith(magic):
                raise UnreadableInputError(f"这是{kind}，xxgk 能读取{SUPPORTED_ZH}格式的报告", path=path)
        reader = READERS[-1]
    with metered(settings, path):
        doc = reader.read(path, data, settings)
    doc.read_with_ocr = settings.ocr
    return doc


__all__ = [
    "READERS",
    "SUPPORTED_ZH",
    "RawCell",
    "RawDocument",
    "RawLine",
    "Reader",
    "human_size",
    "load_bytes",
    "read_bytes",
    "read_document",
]
