"""Random bytes and damaged reports uploaded through the upload page: each upload ends read or refused with
a zh-CN reason, never an exception, a server error, or an upload left "running"."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, SEEDS
from tests.web.conftest import make_user
from xxgk.web import serve
from xxgk.web.models import Upload, UploadState

pytestmark = pytest.mark.usefixtures("web_db")

ORIGINALS = [
    p.read_bytes()
    for p in (*SEEDS[:3], CORPUS / "002-sanming-shizf-2022.txt", CORPUS / "009-putian-yingjiju-2023.html")
]


@st.composite
def damaged_report(draw: st.DrawFn) -> bytes:
    """A real report with a few bytes flipped, a slice cut out, random bytes spliced in, or cut short."""
    data = bytearray(draw(st.sampled_from(ORIGINALS)))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(("flip", "cut", "splice", "truncate")))
        if kind == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "cut":
            del data[at : at + draw(st.integers(1, 2000))]
        elif kind == "splice":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        else:
            del data[at:]
        if not data:
            break
    return bytes(data)


UPLOADED = st.one_of(st.binary(max_size=3000), damaged_report())
NAMES = st.sampled_from(("报告.txt", "report.pdf", "年报.docx", "page.html", "x", "压缩包.zip"))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=UPLOADED, name=NAMES)
def test_every_upload_ends_read_or_refused_with_a_reason(data: bytes, name: str) -> None:
    user = get_user_model().objects.filter(username="fuzz").first()
    client = Client()
    client.force_login(user or make_user("fuzz", "某市政务公开办", "reviewer"))
    before = set(Upload.objects.values_list("pk", flat=True))
    response = client.post("/upload/", {"files": [SimpleUploadedFile(name, data)]})
    assert response.status_code == 302
    serve.run_pending_tasks()
    new = list(Upload.objects.exclude(pk__in=before).select_related("document__report"))
    if not new:  # refused on arrival (empty, a broken ZIP): the page says why
        shown = [str(m) for m in get_messages(response.wsgi_request)]
        assert shown and all(not m.isascii() for m in shown), shown
        return
    for upload in new:
        assert upload.state in (UploadState.DONE, UploadState.FAILED), upload.state
        assert upload.message and not upload.message.isascii(), upload.message
        assert upload.finished_at is not None
        if upload.state == UploadState.DONE:
            assert upload.document is not None and upload.document.usable
            assert upload.document.report.errors >= 0  # (a usable document always has its report)
        else:
            assert "内部错误" not in upload.message, upload.message
    page = client.get(response["Location"])
    assert page.status_code == 200
