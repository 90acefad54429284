"""A PDF's streams measured before pdfium sees a page: inflated size and path segments.

pdfium parses a page's whole content when the page is loaded: a content stream that inflates to a
gigabyte, or one of tens of millions of path segments, costs gigabytes inside pdfium, where no
limit of ours applies. So the file's streams are inflated here first, a megabyte at a time and
never kept, counting what each holds: the largest content stream and the path operators of all
of them are charged to the document's budget (`xxgk.readers.budget`) before any page is loaded.

Pictures (`/Subtype /Image`) and embedded fonts (`/Length1`…, `/Subtype /Type1C`…) are not content
and not measured here: a lossless scan holds tens of MB of picture per page and a full CJK font
10–20 MB, both legitimate; pdfium decodes a picture only when a page is rendered (OCR), where the
image reader's pixel limit applies. Streams with filters other than Flate (or none) are measured
as stored.
"""

from __future__ import annotations

import re
import zlib

from xxgk.readers.budget import Budget

CHUNK = 1 << 20  # inflated bytes looked at a time

_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_ENDSTREAM = b"endstream"
_OBJ = re.compile(rb"\d+\s+\d+\s+obj\b")
_NOT_CONTENT = re.compile(rb"/Subtype\s*/(?:Image|Type1C|CIDFontType0C|OpenType)|/Length[123]\b|/Type\s*/XRef")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)\b")
# Path construction operators (m l c v y re h) as a content stream writes them: after a number
# or a space, before a delimiter. Each is one segment for pdfium.
_PATH_OP = re.compile(rb"[\d.\s](?:m|l|c|v|y|re|h)(?=[\s\[/<(%])")


def measure_streams(data: bytes, budget: Budget) -> None:
    """Charge every stream of `data` to `budget`: refused on the first limit passed."""
    for m in _STREAM.finditer(data):
        start = m.end()
        end = data.find(_ENDSTREAM, start)
        if end < 0:
            end = len(data)
        objects = list(_OBJ.finditer(data, max(0, m.start() - 4096), m.start()))
        head = data[objects[-1].end() if objects else max(0, m.start() - 4096) : m.start()]
        if _NOT_CONTENT.search(head) is not None:
            continue
        raw = data[start:end]
        if _FLATE.search(head):
            _inflate(raw, budget)
        else:
            budget.expand(len(raw))
            budget.stream(len(raw))
            budget.add_segments(len(_PATH_OP.findall(raw)))
        budget.tick()


def _inflate(raw: bytes, budget: Budget) -> None:
    inflater = zlib.decompressobj()
    size, tail = 0, b""
    pending = raw
    while pending:
        try:
            chunk = inflater.decompress(pending, CHUNK)
        except zlib.error:
            return  # (a damaged stream: pdfium reports it, or reads what it can)
        pending = inflater.unconsumed_tail
        if not chunk:
            break
        size += len(chunk)
        budget.expand(len(chunk))
        budget.stream(size)
        # (the last few bytes of the previous chunk: an operator cut by the chunk border)
        budget.add_segments(len(_PATH_OP.findall(tail + chunk)) - len(_PATH_OP.findall(tail)))
        tail = chunk[-16:]
