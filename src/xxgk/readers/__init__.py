"""Readers turn a file into a RawDocument: lines of cells, each cell with its provenance.

Readers never look at labels; recognising the report happens in xxgk.recognize. A new reader
(HTML, DOCX, PDF…) is a class with `name`, `suffixes`, `sniff(head)` and `read(path, data)`,
added to READERS.
"""

from __future__ import annotations

from pathlib import Path

from xxgk.errors import UnreadableInputError
from xxgk.readers.base import RawCell, RawDocument, RawLine, Reader
from xxgk.readers.txt import TxtReader
from xxgk.settings import ReadSettings

READERS: tuple[Reader, ...] = (TxtReader(),)

# Formats we recognise by their magic bytes but cannot read yet: a clear message, not garbage.
_KNOWN_BINARY = {
    b"%PDF": "PDF 文件",
    b"PK\x03\x04": "ZIP/DOCX/XLSX 文件",
    b"\xd0\xcf\x11\xe0": "旧版 Office 文件（.doc/.xls/.wps）",
    b"\x89PNG": "PNG 图片",
    b"\xff\xd8\xff": "JPEG 图片",
    b"GIF8": "GIF 图片",
}


def read_document(path: str | Path, settings: ReadSettings | None = None) -> RawDocument:
    """Read `path` with the first reader that accepts its content."""
    settings = ReadSettings.resolve(settings)
    p = Path(path)
    if not p.exists():
        raise UnreadableInputError("文件不存在", path=str(p))
    if p.is_dir():
        raise UnreadableInputError("这是一个目录，不是文件", path=str(p))
    size = p.stat().st_size
    if size > settings.max_bytes:
        raise UnreadableInputError(
            f"文件过大（{size / 1048576:.1f} MB），超过上限 {settings.max_bytes / 1048576:.0f} MB；"
            "年度报告通常小于 1 MB，请确认文件是否正确（可用 --max-size 调整上限）",
            path=str(p),
        )
    try:
        data = p.read_bytes()
    except OSError as e:
        raise UnreadableInputError(f"无法读取文件：{e.strerror or e}", path=str(p)) from None
    if not data.strip():
        raise UnreadableInputError("文件为空", path=str(p))
    head = data[:8]
    for magic, kind in _KNOWN_BINARY.items():
        if head.startswith(magic):
            raise UnreadableInputError(f"这是{kind}，当前版本只能读取文本（TXT）格式的报告", path=str(p))
    lowered = data[:2048].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<table" in lowered:
        raise UnreadableInputError("这是 HTML/XML 网页，当前版本只能读取文本（TXT）格式的报告", path=str(p))
    for reader in READERS:
        if reader.sniff(data[:4096], p.suffix.lower()):
            return reader.read(str(p), data, settings)
    raise UnreadableInputError("无法识别的文件格式", path=str(p))


__all__ = ["READERS", "RawCell", "RawDocument", "RawLine", "Reader", "read_document"]
