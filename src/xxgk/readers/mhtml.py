"""Web pages saved by a browser or Word as one file (.mhtml/.mht, "Webpage, Single File").

Such a file is a MIME archive (multipart/related): the page's HTML is one part, encoded as
quoted-printable or base64, followed by its images and style sheets. The page part is taken out
with the standard library's MIME parser, decoded to text by the charset its part header declares
(else as the HTML reader decodes a page) and read by the HTML reader, so everything the HTML
reader does applies. Line numbers in the provenance are those of the page part once decoded: the
archive's own lines are wrapped at 76 characters by the transfer encoding and match nothing a
person would look for.

Which part is the page: the archive's root (the part named by the `start` parameter of its
Content-Type, else the first), when it is text/html; else the first text/html part.
"""

from __future__ import annotations

import email.policy
import re
from email.message import Message
from email.parser import BytesParser

from xxgk.errors import UnreadableInputError
from xxgk.readers.base import RawDocument
from xxgk.readers.budget import Budget, metered
from xxgk.readers.html import HtmlReader, charset_codec
from xxgk.readers.sniff import MHTML_READER as READER_NAME
from xxgk.readers.sniff import MHTML_SUFFIXES, sniff_mhtml
from xxgk.settings import ReadSettings

_MULTIPART = re.compile(rb"content-type:[ \t]*multipart/", re.IGNORECASE)
_UTF8_BOM = b"\xef\xbb\xbf"
PAGE_PART_NOTE = "这是浏览器或 Word 保存的单文件网页（MHTML），已读取其中的网页部分；行号为网页部分解码后的行号"


class MhtmlReader:
    name = READER_NAME
    suffixes = MHTML_SUFFIXES

    def sniff(self, head: bytes, suffix: str) -> bool:
        return sniff_mhtml(head, suffix)

    def read(self, path: str, data: bytes, settings: ReadSettings) -> RawDocument:
        with metered(settings, path) as budget:
            return self._read(path, data, settings, budget)

    def _read(self, path: str, data: bytes, settings: ReadSettings, budget: Budget) -> RawDocument:
        # Multiparts nested in multiparts are parsed (and walked) recursively by the standard
        # library: 1,000 of them exhaust Python's stack. A saved page has one or two; their count
        # bounds the nesting and is checked in the bytes before parsing.
        budget.nesting(sum(1 for _ in _MULTIPART.finditer(data)))
        try:
            archive = BytesParser(policy=email.policy.compat32).parsebytes(data)
            parts = [p for p in archive.walk() if not p.is_multipart()]
        except RecursionError:
            budget.nesting(budget.settings.max_depth + 1)
            raise  # (not reached: nesting() refuses)
        for _ in parts:
            budget.part()
        part = page_part(archive)
        if part is None:
            raise UnreadableInputError("这个单文件网页（MHTML）中没有网页（text/html）部分，无法读取", path=path)
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not payload.strip():
            raise UnreadableInputError("这个单文件网页（MHTML）的网页部分是空的，无法读取", path=path)
        budget.expand(len(payload))
        notes = [PAGE_PART_NOTE]
        page = _as_page_bytes(payload, part.get_content_charset(), notes)
        doc = HtmlReader().read(path, page, settings, resources=pictures(archive) if settings.ocr else None)
        doc.reader = READER_NAME
        doc.notes[:0] = notes
        return doc


def page_part(archive: Message) -> Message | None:
    """The part of the archive that is the page (see the module's docstring)."""
    if not archive.is_multipart():
        return archive if archive.get_content_type() == "text/html" else None
    parts = [p for p in archive.walk() if not p.is_multipart()]
    start = archive.get_param("start")
    if isinstance(start, str):
        wanted = start.strip().strip("<>")
        for p in parts:
            if (p.get("Content-ID") or "").strip().strip("<>") == wanted and p.get_content_type() == "text/html":
                return p
    return next((p for p in parts if p.get_content_type() == "text/html"), None)


def pictures(archive: Message) -> dict[str, bytes]:
    """The archive's images by their address (Content-Location), also by its last segment (the
    page may name a picture relatively): what --ocr reads of the page's pictures."""
    found: dict[str, bytes] = {}
    for part in archive.walk():
        location = (part.get("Content-Location") or "").strip()
        if part.is_multipart() or part.get_content_maintype() != "image" or not location:
            continue
        data = part.get_payload(decode=True)
        if isinstance(data, bytes) and data:
            found.setdefault(location, data)
            found.setdefault(location.rsplit("/", 1)[-1], data)
    return found


def _as_page_bytes(payload: bytes, charset: str | None, notes: list[str]) -> bytes:
    """The page as bytes the HTML reader decodes right: by the part's charset when it declares one
    (it overrides what the page itself may say), as UTF-8 with a BOM; else as it is."""
    if charset is None:
        return payload
    codec = charset_codec(charset)
    if codec is None:
        notes.append(f"网页部分声明的编码“{charset}”无法识别，已自动判断编码")
        return payload
    try:
        return _UTF8_BOM + payload.decode(codec).encode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        notes.append(f"网页部分无法按声明的编码“{charset}”解码，已自动判断编码")
        return payload


__all__ = ["MhtmlReader", "page_part"]
