"""Bad input through the upload page: hostile ZIPs (paths out of the folder, a bomb, 10,000 members, an
encrypted member), empty and unreadable files, hostile file names, a report that holds a script; and the
request guards (CSRF, session expiry). Each is refused or read with a zh-CN reason, nothing is written
outside the upload store, and the queue goes on."""

from __future__ import annotations

import io
import re
import time
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone

from tests.conftest import CORPUS
from tests.web.conftest import make_user
from xxgk.web import serve
from xxgk.web.models import Upload, UploadState

pytestmark = pytest.mark.usefixtures("web_db")

DB_NAME = Path(settings.DATABASES["default"]["NAME"]).name
REPORT = CORPUS / "002-sanming-shizf-2022.txt"


@pytest.fixture
def client() -> Client:
    client = Client()
    client.force_login(make_user("reviewer", "某市政务公开办", "reviewer"))
    return client


def _zip(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return out.getvalue()


def _post(client: Client, *files: tuple[str, bytes]) -> tuple[Any, str]:
    """POST the files, run the queued tasks; (response of the redirect followed, its page text)."""
    uploads = [SimpleUploadedFile(name, data) for name, data in files]
    response = client.post("/upload/", {"files": uploads})
    assert response.status_code == 302, response.content.decode()[:300]
    serve.run_pending_tasks()
    page = client.get(response["Location"])
    return response, page.content.decode()


def _files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


def _all_files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_zip_member_paths_stay_in_the_batch_folder(client: Client) -> None:
    upload_dir = Path(settings.UPLOAD_DIR)
    home = upload_dir.parent  # (the test's XXGK_HOME: database, corpus files, uploads)
    before = _all_files(home)
    data = REPORT.read_bytes()
    archive = _zip(
        [("../../x.txt", data), ("/etc/evil.txt", data.replace(b"2022", b"2021")), ("a/../../../y.txt", b"y")]
    )
    _, page = _post(client, ("region.zip", archive))
    written = _all_files(home) - before
    outside = {p for p in written if not p.is_relative_to(upload_dir)}
    # Outside the upload store only the corpus's content-addressed copies (named by their SHA-256) and
    # the database's own files appear.
    for path in outside:
        assert re.fullmatch(r"[0-9a-f]{64}\.txt", path.name) or path.name.startswith(DB_NAME), path
    for escaped in (home / "x.txt", home.parent / "x.txt", home.parent.parent / "x.txt", Path("/etc/evil.txt")):
        assert not escaped.exists(), escaped
    stored = sorted(Upload.objects.values_list("stored", "name"))
    assert len(stored) == 3
    for relative, name in stored:
        path = (upload_dir / relative).resolve()
        assert path.is_relative_to(upload_dir.resolve()), relative
        assert ".." not in relative and not relative.startswith("/")
        assert name.startswith("region.zip/") and "/.." not in name
    names = {n.rsplit("/", 1)[1] for _, n in stored}
    assert names == {"x.txt", "evil.txt", "y.txt"}
    assert page.count('class="state-done"') == 2  # the two reports; "y" is no report
    assert "无法读取" in page


@override_settings(UPLOAD_MAX_BYTES=64 * 1024)
def test_zip_bomb_stops_at_the_limit(client: Client) -> None:
    bomb = b"0" * (20 * 1024 * 1024)  # 20 MB of zeros: ~20 KB compressed, 300 times the limit
    archive = _zip([("bomb.txt", bomb), ("report.txt", REPORT.read_bytes())])
    assert len(archive) < 64 * 1024
    started = time.perf_counter()
    _, page = _post(client, ("bomb.zip", archive))
    assert time.perf_counter() - started < 20
    assert "bomb.zip/bomb.txt：解压后超过 64 KB 的上限（可能是压缩炸弹）" in page
    stored = list(Upload.objects.values_list("name", "size"))
    assert [n for n, _ in stored] == ["bomb.zip/report.txt"]
    assert all(size <= 64 * 1024 for _, size in stored)
    assert sum(p.stat().st_size for p in _files_under(Path(settings.UPLOAD_DIR))) <= 64 * 1024


@override_settings(UPLOAD_MAX_BYTES=64 * 1024)
def test_zips_stop_at_the_total_expansion_of_a_request(client: Client) -> None:
    """Members each under the file limit, in two ZIPs of one request: together they stop at 40 × the limit."""
    filler = [(f"f{i}.txt", bytes([65 + i % 26]) * 60 * 1024) for i in range(30)]  # 30 × 60 KB each
    response = client.post(
        "/upload/",
        {"files": [SimpleUploadedFile("a.zip", _zip(filler)), SimpleUploadedFile("b.zip", _zip(filler))]},
        follow=True,
    )
    page = response.content.decode()
    assert "b.zip：压缩包解压后的总大小超过每次 2 MB 的上限，其余文件未解压" in page
    stored = sum(p.stat().st_size for p in _files_under(Path(settings.UPLOAD_DIR)))
    assert stored <= 40 * 64 * 1024
    assert Upload.objects.count() == (40 * 64) // 60  # the members that fitted: 42 of the 60


def test_zip_of_ten_thousand_files_is_refused_quickly(client: Client) -> None:
    archive = _zip([(f"f{i}.txt", b"x") for i in range(10_000)], zipfile.ZIP_STORED)
    started = time.perf_counter()
    response = client.post("/upload/", {"files": [SimpleUploadedFile("many.zip", archive)]}, follow=True)
    elapsed = time.perf_counter() - started
    page = response.content.decode()
    assert f"压缩包内有 10000 个文件，超过每次 {settings.UPLOAD_MAX_FILES} 个的上限" in page
    assert elapsed < 5, elapsed
    assert Upload.objects.count() == 0
    assert not _files_under(Path(settings.UPLOAD_DIR))


def test_many_zips_in_one_request_share_one_count_limit(client: Client) -> None:
    small = [(f"f{i}.txt", b"x") for i in range(6)]
    with override_settings(UPLOAD_MAX_FILES=10):
        response = client.post(
            "/upload/",
            {"files": [SimpleUploadedFile("a.zip", _zip(small)), SimpleUploadedFile("b.zip", _zip(small))]},
            follow=True,
        )
    page = response.content.decode()
    assert Upload.objects.count() <= 10
    assert "超过每次 10 个的上限" in page


def test_empty_and_unreadable_files_say_why_and_the_queue_goes_on(client: Client) -> None:
    noise = bytes((i * 7919 + 13) % 256 for i in range(4096))
    _, page = _post(client, ("empty.pdf", b""), ("noise.pdf", noise), ("report.txt", REPORT.read_bytes()))
    assert "empty.pdf：文件为空（0 字节）" in page
    uploads = {u.name: u for u in Upload.objects.all()}
    assert set(uploads) == {"noise.pdf", "report.txt"}
    bad, good = uploads["noise.pdf"], uploads["report.txt"]
    assert bad.state == UploadState.FAILED and bad.message and not bad.message.isascii()
    assert bad.message in page
    assert good.state == UploadState.DONE and good.document is not None and good.document.report.errors >= 0
    assert bad.pk < good.pk  # the unreadable file came first and did not stop the next one


def test_encrypted_zip_member_is_refused(client: Client) -> None:
    archive = bytearray(_zip([("secret.txt", REPORT.read_bytes()), ("open.txt", b"plain")], zipfile.ZIP_STORED))
    # Set the "encrypted" flag of the first member in its local header and its central directory entry
    # (what an archiver writes for a password-protected file).
    local = archive.index(b"PK\x03\x04")
    central = archive.index(b"PK\x01\x02")
    archive[local + 6] |= 0x01
    archive[central + 8] |= 0x01
    _, page = _post(client, ("locked.zip", bytes(archive)))
    assert "locked.zip/secret.txt：压缩包中的文件已加密，无法读取" in page
    assert list(Upload.objects.values_list("name", flat=True)) == ["locked.zip/open.txt"]


def test_hostile_file_names_are_cleaned(client: Client) -> None:
    name = "报告\x07\x1b[31m<script>alert(1)<\\script>\u202e.txt"
    _, page = _post(client, (name, REPORT.read_bytes()))
    upload = Upload.objects.get()
    assert upload.name.isprintable()
    assert "<" not in upload.name and ">" not in upload.name and "\x1b" not in upload.name
    assert "<script>alert(1)" not in page
    assert (Path(settings.UPLOAD_DIR) / upload.stored).is_file()
    assert upload.state == UploadState.DONE


def test_script_in_a_report_shows_as_text(client: Client, tmp_path: Path) -> None:
    text = REPORT.read_text("utf-8")
    at = text.index("。", text.index("一、总体情况"))
    hostile = text[:at] + "<script>alert(1)</script>" + text[at:]
    _, batch = _post(client, ("hostile.txt", hostile.encode()))
    report_id = re.findall(r'href="/reports/(\d+)/"', batch)[0]
    page = client.get(f"/reports/{report_id}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2  # in the original's lines and in 正文


def test_anonymous_post_without_csrf_token_is_refused() -> None:
    guarded = Client(enforce_csrf_checks=True)
    for url in ("/login/", "/upload/"):
        response = guarded.post(url, {"username": "reviewer", "password": "Xxgk-test-2026!"})
        assert response.status_code == 403, url
        assert "页面已过期或来源无法验证" in response.content.decode()


def test_signed_in_post_without_csrf_token_is_refused() -> None:
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(make_user("reviewer", "某市政务公开办", "reviewer"))
    response = guarded.post("/upload/", {"files": [SimpleUploadedFile("r.txt", REPORT.read_bytes())]})
    assert response.status_code == 403
    assert Upload.objects.count() == 0


def test_sessions_expire() -> None:
    from django.contrib.sessions.models import Session

    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600
    make_user("reviewer", "某市政务公开办", "reviewer")
    client = Client()
    signed_in = client.post("/login/", {"username": "reviewer", "password": "Xxgk-test-2026!"})
    assert signed_in.status_code == 302
    assert client.get("/upload/").status_code == 200
    session = Session.objects.get()
    assert session.expire_date <= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 5)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/upload/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_nothing_is_left_running_after_an_internal_error(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure past the reader (the store refusing a row) ends the upload as failed, with a reason."""
    from xxgk.corpus.store.repository import CorpusStore

    def broken(self: Any, item: Any, **kwargs: Any) -> Any:
        raise ValueError("simulated")

    monkeypatch.setattr(CorpusStore, "add", broken)
    _, page = _post(client, ("a.txt", REPORT.read_bytes()), ("b.txt", REPORT.read_bytes().replace(b"2022", b"2021")))
    states = list(Upload.objects.values_list("state", "message"))
    assert len(states) == 2
    assert all(state == UploadState.FAILED and message and not message.isascii() for state, message in states)
    assert "全部完成" in page


def test_uploads_left_running_by_a_stopped_worker_are_read_again(client: Client) -> None:
    from xxgk.web.tasks import recover_interrupted

    _post(client, ("a.txt", REPORT.read_bytes()))
    upload = Upload.objects.get()
    upload.document.delete()  # (as if the read had never been stored)
    long_ago = timezone.now() - timedelta(hours=1)
    Upload.objects.filter(pk=upload.pk).update(state=UploadState.RUNNING, document=None, created_at=long_ago)
    recent = Upload.objects.create(
        batch=upload.batch, organisation=upload.organisation, name="b.txt", stored=upload.stored, size=upload.size
    )
    Upload.objects.filter(pk=recent.pk).update(state=UploadState.RUNNING)  # (another worker is reading it)
    assert recover_interrupted() == 1
    serve.run_pending_tasks()
    upload.refresh_from_db()
    recent.refresh_from_db()
    assert upload.state == UploadState.DONE and upload.document is not None
    assert recent.state == UploadState.RUNNING
