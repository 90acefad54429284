"""Telling a file's form from its first bytes, cheaply: what `read_bytes` does for every file, so
nothing here imports a parser (lxml, pypdfium2, python-docx). The reader a file needs is imported
only once its sniff matched (`xxgk.readers.READERS`): checking one text report never loads them.
"""

from __future__ import annotations

import re
import struct
import zlib

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.wps (and encrypted .docx)
PDF_SUFFIXES = (".pdf",)
DOCX_SUFFIXES = (".docx", ".docm", ".dotx", ".dotm", ".doc", ".dot", ".wps", ".wpt")
_ZIP_SUFFIXES = (".docx", ".docm", ".dotx", ".dotm")
IMAGE_READER = "image"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".gif", ".webp")
MHTML_READER = "mhtml"
MHTML_SUFFIXES = (".mhtml", ".mht")
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php")
_SNIFF_TAGS = (b"<!doctype html", b"<html", b"<table", b"<body", b"<head", b"<meta ", b"<meta\t", b"<?xml")
_TAG = re.compile(rb"<(?:[a-z][a-z0-9:]*[\s/>]|!--|!doctype)", re.IGNORECASE)
_MIME = (b"mime-version:", b"content-type: multipart")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# MIME headers a saved page starts with (Chrome: "From: <Saved by Blink>", Word and IE:
# "MIME-Version: 1.0"), compared lower-cased at the start of a line of the file's head.
_HEADER_NAMES = (b"mime-version:", b"content-type:", b"from:", b"snapshot-content-location:", b"subject:", b"date:")

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
)


def sniff_pdf(head: bytes, suffix: str) -> bool:
    return head.startswith(b"%PDF") or b"%PDF-" in head[:1024]  # readers accept junk before the header


def sniff_image(head: bytes, suffix: str) -> bool:
    return image_kind(head) is not None


def image_kind(head: bytes) -> str | None:
    """ "PNG", "JPEG", "TIFF", "GIF" or "WebP" by the file's magic bytes; None for anything else."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    return None


def sniff_docx(head: bytes, suffix: str) -> bool:
    """A ZIP package that holds a Word document, or any OLE file (legacy .doc/.wps, encrypted .docx).

    Only the head of the file is given, so the ZIP's local file headers in it are read (names,
    and the [Content_Types].xml part). A ZIP with a Word suffix is accepted whatever it holds,
    so that read() can say what it is. `is_docx(data)` is the exact test on the whole file.
    """
    if head.startswith(OLE_MAGIC):
        return True  # read() tells a legacy Word file from an encrypted .docx or an .xls
    if not head.startswith(b"PK"):
        return False
    # A Word package by content; any ZIP named like one (an empty archive, an .xlsx renamed
    # .docx), so that read() says what it is instead of a generic refusal.
    return bool(head.startswith(ZIP_MAGIC) and _sniff_zip_head(head)) or suffix in _ZIP_SUFFIXES


def _sniff_zip_head(head: bytes) -> bool | None:
    """Decide from the local file headers in `head`: True for Word, False for another package."""
    pos, other = 0, False
    while head.startswith(ZIP_MAGIC, pos) and pos + 30 <= len(head):
        flags, method = struct.unpack_from("<HH", head, pos + 6)
        (csize,) = struct.unpack_from("<I", head, pos + 18)
        nlen, xlen = struct.unpack_from("<HH", head, pos + 26)
        name = head[pos + 30 : pos + 30 + nlen]
        start = pos + 30 + nlen + xlen
        if name.startswith(b"word/"):
            return True
        if name.startswith((b"xl/", b"ppt/")):
            other = True
        if name == b"[Content_Types].xml":
            raw = head[start : start + csize] if not flags & 0x08 else head[start:]
            try:
                types = zlib.decompressobj(-15).decompress(raw, 1 << 16) if method == 8 else raw
            except zlib.error:
                types = b""
            if b"wordprocessingml" in types:
                return True
            if b"spreadsheetml" in types or b"presentationml" in types:
                other = True
        if flags & 0x08:  # sizes follow the data: cannot step to the next header
            break
        pos = start + csize
    return False if other else None


def sniff_mhtml(head: bytes, suffix: str) -> bool:
    """A MIME archive of related parts: MIME headers at the start, then `multipart/related`."""
    lowered = head.lstrip().lower()
    if not lowered.startswith(_HEADER_NAMES):
        return False
    header = lowered.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    return b"multipart/related" in header or (suffix in MHTML_SUFFIXES and b"content-type:" in header)


def sniff_html(head: bytes, suffix: str) -> bool:
    """HTML by content: a doctype, `<html>`, `<table>`, `<meta>`… near the start of the file."""
    if b"<" not in head:
        return False  # no tag at all (in UTF-8, GBK or UTF-16): every plain-text report, decided at once
    sample = ascii_view(head)
    lowered = sample.lstrip().lower()
    if lowered.startswith(_MIME):
        return False  # MHTML (a MIME archive), not a page
    if any(tag in lowered for tag in _SNIFF_TAGS):
        return True
    # A page fragment saved as .html: any tag will do.
    return suffix in HTML_SUFFIXES and _TAG.search(lowered) is not None


def ascii_view(head: bytes) -> bytes:
    """The head as ASCII-compatible bytes: a BOM removed, UTF-16 reduced to its low bytes."""
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    if head[:200].count(0) > len(head[:200]) // 4:
        head = head.replace(b"\x00", b"")
    return head
