"""Single-file web pages (MHTML/.mht) as Chrome and Word save them: xxgk.readers.mhtml."""

from __future__ import annotations

import base64
import quopri
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xxgk.api import read_report
from xxgk.cli.main import app
from xxgk.errors import NotAReportError, UnreadableInputError
from xxgk.readers import read_document
from xxgk.readers.mhtml import MhtmlReader
from xxgk.report import CellState

from .generate import random_consistent_tables
from .htmlgen import STYLES, write_html

BOUNDARY = "----MultipartBoundary--xxgkTestBoundary----"


def part(body: bytes, content_type: str, transfer: str, *, content_id: str | None = None) -> bytes:
    """One MIME part, its body encoded as the browser does."""
    encoded = quopri.encodestring(body) if transfer == "quoted-printable" else base64.encodebytes(body)
    headers = [f"Content-Type: {content_type}", f"Content-Transfer-Encoding: {transfer}"]
    if content_id:
        headers.append(f"Content-ID: <{content_id}>")
    headers.append("Content-Location: http://www.example.gov.cn/zwgk/ndbg/t20250114_1.html")
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + encoded.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def archive(parts: list[bytes], *, saved_by: str = "chrome", start: str | None = None) -> bytes:
    """A multipart/related archive with Chrome's or Word's headers around `parts`."""
    if saved_by == "chrome":
        head = (
            "From: <Saved by Blink>\r\n"
            "Snapshot-Content-Location: http://www.example.gov.cn/zwgk/ndbg/t20250114_1.html\r\n"
            "Subject: =?utf-8?Q?2024=E5=B9=B4=E5=B9=B4=E5=BA=A6=E6=8A=A5=E5=91=8A?=\r\n"
            "Date: Tue, 14 Jan 2025 10:30:00 +0800\r\n"
            "MIME-Version: 1.0\r\n"
            f'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{BOUNDARY}"'
            + (f';\r\n\tstart="<{start}>"' if start else "")
            + "\r\n\r\n\r\n"
        ).encode()
    else:  # Word's "single file web page": a preamble in the system's code page
        head = (
            f'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="{BOUNDARY}"\r\n\r\n'.encode()
            + "此文档为“单个文件网页”，也称为“Web 档案”文件。\r\n\r\n".encode("gbk")
        )
    body = b"".join(b"--" + BOUNDARY.encode() + b"\r\n" + p + b"\r\n" for p in parts)
    return head + body + b"--" + BOUNDARY.encode() + b"--\r\n"


def _values(seed: int) -> dict[str, object]:
    return dict(random_consistent_tables(random.Random(f"mhtml-{seed}")))


def _charset(style: str) -> str:
    return "gb2312" if style == "gbk" else "utf-8"


CSS = part(b".TRS_Editor p { font-size: 16px; }", "text/css", "quoted-printable")
PNG = part(b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "image/png", "base64")


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("transfer", ["quoted-printable", "base64"])
@pytest.mark.parametrize("saved_by", ["chrome", "word"])
def test_saved_pages_round_trip(tmp_path: Path, style: str, transfer: str, saved_by: str) -> None:
    seed = STYLES.index(style) * 4 + ["quoted-printable", "base64"].index(transfer) * 2 + (saved_by == "word")
    values = _values(seed)
    html = write_html(values, style, seed=seed)  # type: ignore[arg-type]
    # Chrome writes the part without a charset (the page is UTF-8 and says so); Word names it.
    content_type = "text/html" if saved_by == "chrome" and style != "gbk" else f'text/html; charset="{_charset(style)}"'
    path = tmp_path / f"{style}.mhtml"
    path.write_bytes(archive([part(html, content_type, transfer), CSS, PNG], saved_by=saved_by))
    report = read_report(path)
    assert {k: report.cells[k].value for k in values} == values
    assert all(report.cells[k].state is CellState.NUMBER for k in values)
    doc = read_document(path)
    assert doc.reader == "mhtml"
    assert "单文件网页" in doc.notes[0]
    src = report.cells["t3.new_received.natural_person"].source
    assert src is not None and src.reader == "html" and src.table is not None and src.cell == 3


def test_the_part_charset_overrides_the_page(tmp_path: Path) -> None:
    """Word names the part's charset; the page inside may still claim another one."""
    values = _values(99)
    html = write_html(values, "gbk", seed=1).replace(b"charset=gb2312", b"charset=utf-8")  # type: ignore[arg-type]
    assert b"charset=utf-8" in html
    path = tmp_path / "word.mht"
    path.write_bytes(archive([part(html, 'text/html; charset="gb2312"', "quoted-printable")], saved_by="word"))
    report = read_report(path)
    assert {k: report.cells[k].value for k in values} == values
    assert report.meta.agency == "某某镇人民政府"


def test_the_root_part_named_by_start_is_the_page(tmp_path: Path) -> None:
    advert = "<html><body><p>广告：本网站推荐</p></body></html>".encode()
    ad = part(advert, "text/html", "quoted-printable", content_id="ad@x")
    values = _values(7)
    page = part(write_html(values, "trs", seed=7), "text/html", "quoted-printable", content_id="page@x")  # type: ignore[arg-type]
    path = tmp_path / "framed.mhtml"
    path.write_bytes(archive([ad, page], start="page@x"))
    report = read_report(path)
    assert {k: report.cells[k].value for k in values} == values
    # Without `start`, the first text/html part is the page: here the advert, which is no report.
    path.write_bytes(archive([ad, page]))
    with pytest.raises(NotAReportError, match="未识别为政府信息公开工作年度报告"):
        read_report(path)


def test_sniffing() -> None:
    reader = MhtmlReader()
    chrome = archive([part(b"<html></html>", "text/html", "quoted-printable")])
    assert reader.sniff(chrome[:4096], ".txt")
    assert reader.sniff(archive([part(b"<p>x</p>", "text/html", "base64")], saved_by="word")[:4096], ".htm")
    # Text that merely starts like a mail header is not an archive.
    assert not reader.sniff("Date: 2025-01-14\n一、总体情况\n".encode(), ".txt")
    assert not reader.sniff("Subject: 年度报告\r\nContent-Type: text/plain\r\n\r\n正文".encode(), ".txt")
    assert not reader.sniff(b"<html><body>MIME-Version: 1.0</body></html>", ".html")


def test_archive_without_a_page_is_refused_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "images.mhtml"
    path.write_bytes(archive([CSS, PNG]))
    result = CliRunner().invoke(app, ["parse", str(path)])
    assert result.exit_code == 2
    assert "没有网页（text/html）部分" in result.output
    assert "Traceback" not in result.output


def test_empty_page_part_and_truncated_archive(tmp_path: Path) -> None:
    path = tmp_path / "empty.mhtml"
    path.write_bytes(archive([part(b"   ", "text/html", "quoted-printable")]))
    with pytest.raises(UnreadableInputError, match="网页部分是空的"):
        read_document(path)
    # Cut in the middle of the page: what is there is read, as for a truncated web page.
    values = _values(3)
    whole = archive([part(write_html(values, "trs", seed=3), "text/html", "quoted-printable")])  # type: ignore[arg-type]
    path = tmp_path / "cut.mhtml"
    path.write_bytes(whole[: len(whole) * 3 // 4])
    doc = read_document(path)
    assert doc.reader == "mhtml"
    assert any("一、总体情况" in text for text in doc.texts)
