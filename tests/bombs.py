# ruff: noqa: E501  (OOXML boilerplate kept on one line each)
"""Hostile files, small on disk and huge once read (issue 24): the generators the limit tests and
the fuzz benchmark (`python3 -m tests.fuzz_readers`) share."""

from __future__ import annotations

import io
import zipfile
import zlib

_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/><Default Extension="html" ContentType="text/html"/>'
    '<Default Extension="docx" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_AFCHUNK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk"


def docx_with_chunks(chunks: list[tuple[str, bytes]], text: str = "正文") -> bytes:
    """A Word file whose body is a paragraph and one altChunk per (part name, bytes)."""
    body = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" + "".join(
        f'<w:altChunk r:id="rIdC{i}"/>' for i in range(len(chunks))
    )
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body>{body}</w:body></w:document>'
    rels = "".join(
        f'<Relationship Id="rIdC{i}" Type="{_AFCHUNK}" Target="{name}"/>' for i, (name, _) in enumerate(chunks)
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("word/document.xml", document)
        zf.writestr(
            "word/_rels/document.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>',
        )
        for name, data in chunks:
            zf.writestr("word/" + name, data)
    return buf.getvalue()


def altchunk_fanout(fan: int = 100, page_mb: float = 4.5) -> bytes:
    """A Word file of `fan` chunks, each a Word file of `fan` chunks of one page of `page_mb` MB
    (compresses to almost nothing): fan² pages once read."""
    page = b"<html><body><p>" + b"a" * int(page_mb * 1048576) + b"</p></body></html>"
    inner = docx_with_chunks([(f"p{i}.html", page) for i in range(fan)])
    return docx_with_chunks([(f"d{i}.docx", inner) for i in range(fan)])


def nested_mhtml(depth: int = 1000) -> bytes:
    """An MHTML archive of `depth` multiparts, each nested in the one before."""
    head = [b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b0"\r\n\r\n']
    for i in range(1, depth):
        head.append(f'--b{i - 1}\r\nContent-Type: multipart/related; boundary="b{i}"\r\n\r\n'.encode())
    head.append(f"--b{depth - 1}\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n".encode())
    tail = [f"--b{i}--\r\n".encode() for i in reversed(range(depth))]
    return b"".join(head + tail)


def html_cells(cells: int = 300_000, per_row: int = 10) -> bytes:
    """A web page with one table of `cells` cells."""
    row = b"<tr>" + b"<td>1</td>" * per_row + b"</tr>\n"
    return b"<html><body><table>" + row * (cells // per_row) + b"</table></body></html>"


def html_spans(rows: int = 2000) -> bytes:
    """A table whose every cell spans the HTML maximum, rows and columns."""
    row = b'<tr><td colspan="1000" rowspan="65534">1</td><td colspan="1000">2</td></tr>\n'
    return b"<html><body><table>" + row * rows + b"</table></body></html>"


def pdf(pages: list[bytes], *, compress: bool = True) -> bytes:
    """A PDF of pages whose content streams are `pages` (Flate-compressed when `compress`)."""
    objects: list[bytes] = []
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    for i, content in enumerate(pages):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + 2 * i} 0 R >>".encode())
        data = zlib.compress(content, 9) if compress else content
        flt = b" /Filter /FlateDecode" if compress else b""
        objects.append(b"<< /Length %d%s >>\nstream\n" % (len(data), flt) + data + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_path_bomb(segments: int = 40_000_000) -> bytes:
    """One page of `segments` path segments (a few hundred KB compressed)."""
    return pdf([b"0 0 m\n" + b"1 1 l\n" * segments + b"S\n"])


def pdf_stream_bomb(mb: int = 1024) -> bytes:
    """One page whose content stream inflates to `mb` MB of spaces."""
    inflater = zlib.compressobj(9)
    block = b" " * (1 << 20)
    data = b"".join(inflater.compress(block) for _ in range(mb)) + inflater.flush()
    # (written compressed directly: building the inflated stream would cost what it is to test)
    page = pdf([b"PLACEHOLDER"], compress=True)
    placeholder = zlib.compress(b"PLACEHOLDER", 9)
    page = page.replace(b"/Length %d" % len(placeholder), b"/Length %d" % len(data), 1)
    return page.replace(placeholder, data, 1)


def pdf_many_pages(pages: int = 500) -> bytes:
    """A PDF of `pages` pages of text."""
    text = b"BT /F1 12 Tf 72 720 Td (x) Tj ET"
    return pdf([text] * pages)
