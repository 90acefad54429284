"""No network, ever (issue 24 §3): no reader, with or without --ocr, opens a connection or looks
up a host name; the programs the readers run (LibreOffice) run where no network exists."""

from __future__ import annotations

import http.server
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import bombs
from tests.docxgen import python_docx_report
from tests.pdfgen import report_html, report_pdf
from xxgk.readers import read_bytes
from xxgk.readers.offline import namespace_prefix, offline
from xxgk.settings import ReadSettings

URL = "http://198.51.100.7/x.png"  # (TEST-NET-2: never routed; the guard fails the test before any packet)


class NetworkAttempt(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every connect and name lookup in this process is recorded and refused."""
    attempts: list[str] = []

    def refuse(what: str):  # type: ignore[no-untyped-def]
        def guard(*args: object, **kwargs: object) -> object:
            attempts.append(f"{what}{args[1:] if what.startswith('socket.') else args}")
            raise NetworkAttempt(what)

        return guard

    for name in ("connect", "connect_ex"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "create_connection"):
        monkeypatch.setattr(socket, name, refuse(name))
    yield attempts


@pytest.fixture(scope="module")
def listener() -> Iterator[tuple[int, list[str]]]:
    """A local HTTP server recording the paths asked of it."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hits
    server.shutdown()


def _inputs() -> dict[str, tuple[str, bytes]]:
    """A file for every reader, each linking to a URL where it can (pictures, chunks, locations)."""
    from tests.conftest import SEEDS

    values, pdf = report_pdf(3)
    page = report_html(values).replace("</body>", f'<img src="{URL}" width="800" height="600"></body>').encode()
    mhtml = (
        b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: text/html; charset=utf-8\r\nContent-Location: "
        + URL.encode()
        + b"\r\n\r\n"
        + page
        + b"\r\n--b--\r\n"
    )
    return {
        "txt": ("a.txt", SEEDS[0].read_bytes()),
        "md": ("a.md", f"# 报告\n\n![表]({URL})\n\n[链接]({URL})\n".encode()),
        "html": ("a.html", page),
        "mhtml": ("a.mhtml", mhtml),
        "docx": ("a.docx", python_docx_report(values)),
        "docx-external-chunk": (
            "b.docx",
            bombs.docx_with_chunks([("x.html", b"<p>x</p>")]).replace(
                b'Target="x.html"', f'Target="{URL}" TargetMode="External"'.encode()
            ),
        ),
        "pdf": ("a.pdf", pdf),
    }


INPUTS = _inputs()


@pytest.mark.parametrize("ocr", [False, True], ids=["plain", "ocr"])
@pytest.mark.parametrize("name", sorted(INPUTS))
def test_no_reader_touches_the_network(name: str, ocr: bool, no_network: list[str]) -> None:
    if ocr:
        pytest.importorskip("rapidocr_onnxruntime")
    file_name, data = INPUTS[name]
    try:
        read_bytes(data, file_name, ReadSettings(ocr=ocr))
    except NetworkAttempt:
        pass  # (recorded: reported below)
    except Exception as e:  # (a refusal is fine here; reaching out is not)
        assert not isinstance(e.__context__, NetworkAttempt), e
    assert no_network == []


def test_ocr_engine_starts_without_network(no_network: list[str]) -> None:
    """A scanned page read by OCR: the engine (onnxruntime) is created in this test when it was not
    yet, with its telemetry off; no lookup of a telemetry host, no connect."""
    pytest.importorskip("rapidocr_onnxruntime")
    import pypdfium2 as pdfium

    from xxgk.readers import ocr

    ocr.engine.cache_clear()
    _, pdf = report_pdf(3)
    image = pdfium.PdfDocument(pdf)[0].render(scale=1.0, grayscale=True).to_pil().crop((60, 60, 360, 140))
    import io

    png = io.BytesIO()
    image.save(png, format="PNG")
    doc = read_bytes(png.getvalue(), "scan.png", ReadSettings(ocr=True))
    assert doc.lines and no_network == []


def test_the_guard_sees_connects_and_lookups(no_network: list[str]) -> None:
    import urllib.request

    with pytest.raises(Exception):  # noqa: B017 (whatever urllib makes of the refusal)
        urllib.request.urlopen(URL, timeout=1)
    with pytest.raises(NetworkAttempt):
        socket.socket().connect(("127.0.0.1", 9))
    assert len(no_network) == 2 and no_network[1].startswith("socket.connect")


needs_namespace = pytest.mark.skipif(not namespace_prefix(), reason="no network namespace can be made here")


@needs_namespace
def test_offline_programs_cannot_connect(listener: tuple[int, list[str]]) -> None:
    """The wrapper the readers run programs with: a connect to a listener on this machine fails
    and the listener sees nothing (the same command without it does connect)."""
    port, _ = listener
    probe = f"import socket, sys\ns = socket.socket(); s.settimeout(3)\nsys.exit(s.connect_ex(('127.0.0.1', {port})))\n"
    blocked = subprocess.run(offline([sys.executable, "-c", probe]), timeout=30, check=False)
    lookup = subprocess.run(
        offline([sys.executable, "-c", "import socket; socket.getaddrinfo('example.org', 80)"]),
        capture_output=True,
        timeout=30,
        check=False,
    )
    open_ = subprocess.run([sys.executable, "-c", probe], timeout=30, check=False)
    assert blocked.returncode != 0 and lookup.returncode != 0
    assert open_.returncode == 0  # (the probe itself works: the namespace is what stops it)


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@needs_namespace
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_legacy_doc_with_a_linked_picture_fetches_nothing(tmp_path: Path, listener: tuple[int, list[str]]) -> None:
    """A .doc whose picture is linked from http://127.0.0.1:PORT/ (LibreOffice fetches it when it
    converts the file as it is): read by xxgk, the listener is asked nothing."""
    assert SOFFICE is not None
    port, hits = listener
    page = tmp_path / "linked.html"
    page.write_text(
        f'<html><body><p>一、总体情况</p><img src="http://127.0.0.1:{port}/linked.png" width="300" height="200">'
        "</body></html>",
        encoding="utf-8",
    )
    made = subprocess.run(  # (made offline too: making it must not fetch the picture either)
        offline(
            [
                SOFFICE,
                "--headless",
                "--infilter=HTML (StarWriter)",
                "--convert-to",
                "doc:MS Word 97",
                "--outdir",
                str(tmp_path),
                str(page),
            ]
        ),
        capture_output=True,
        timeout=180,
        check=False,
    )
    doc_file = tmp_path / "linked.doc"
    assert made.returncode == 0 and doc_file.is_file(), made.stderr
    assert f"127.0.0.1:{port}/linked.png".encode() in doc_file.read_bytes()  # (the link is in the file)
    before = len(hits)
    doc = read_bytes(doc_file.read_bytes(), str(doc_file))
    assert any("LibreOffice" in note for note in doc.notes)
    assert hits[before:] == []
