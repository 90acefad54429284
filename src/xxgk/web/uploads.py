"""Receiving uploads: files (or the reports inside a ZIP) saved in the upload store, outside the web
root, one `Upload` row each, and queued for reading. Nothing here reads a report: the task does.

What a user can send is bounded: each file's size, the number of files in one request (ZIP members
included), the bytes the ZIPs of one request may expand to together (a ZIP bomb stops at the limit,
whatever its headers claim), and names (a member `../../x` or `/etc/x` is saved under its last component
only, in the batch's own folder).
"""

from __future__ import annotations

import secrets
import struct
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from xxgk.readers.sniff import ZIP_MAGIC, sniff_docx
from xxgk.web.models import Organisation, Upload, UploadState

_CHUNK = 1 << 16
# A ZIP expands to at most this many times the single-file limit (a region's reports, not a bomb).
ZIP_EXPANSION_FACTOR = 40
_NAME_MAX = 120
_EOCD_MAGIC, _EOCD_SIZE = b"PK\x05\x06", 22


class UploadRefused(Exception):
    """A whole upload refused, with the zh-CN reason shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Received:
    """What one request brought: the uploads queued, and the files refused with their reasons."""

    batch: str
    uploads: list[Upload] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file name, zh-CN reason)


def safe_name(name: str) -> str:
    """The last component of a client's file name, without control characters or leading dots."""
    last = PurePosixPath(name.replace("\\", "/")).name
    cleaned = "".join(ch for ch in last if ch.isprintable() and ch not in '<>:"|?*').strip().lstrip(".")
    if len(cleaned) > _NAME_MAX:
        stem, dot, suffix = cleaned.rpartition(".")
        cleaned = (
            (stem[: _NAME_MAX - len(suffix) - 1] + dot + suffix) if dot and len(suffix) <= 10 else cleaned[:_NAME_MAX]
        )
    return cleaned or "未命名文件"


def _member_name(info: zipfile.ZipInfo) -> str:
    """A ZIP member's name: UTF-8 when flagged, else the GBK that Chinese Windows writes (zipfile
    decodes it as cp437)."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def is_plain_zip(head: bytes) -> bool:
    """A ZIP archive of files (not a DOCX, which is a ZIP too): decided by content, not by name."""
    return head.startswith(ZIP_MAGIC) and not sniff_docx(head, "")


def upload_root() -> Path:
    root = Path(settings.UPLOAD_DIR)
    root.mkdir(parents=True, exist_ok=True)
    return root


class _Batch:
    """The folder of one request's files, and the numbering of the files in it."""

    def __init__(self) -> None:
        self.key = secrets.token_hex(8)
        self.folder = upload_root() / self.key
        self.folder.mkdir(parents=True, exist_ok=False)
        self.count = 0
        # What the request's ZIPs may expand to, together (many members each under the file limit, or
        # many ZIPs in one request, stop here too).
        self.unzip_budget = int(settings.UPLOAD_MAX_BYTES) * ZIP_EXPANSION_FACTOR

    def path_for(self, name: str) -> tuple[Path, str]:
        self.count += 1
        relative = f"{self.key}/{self.count:05d}-{name}"
        return upload_root() / relative, relative


def declared_entries(file: IO[bytes]) -> int | None:
    """The number of entries a ZIP's end record declares, read from its tail without parsing the central
    directory (None: no plain end record found, e.g. a ZIP64 archive; the directory is then counted)."""
    file.seek(0, 2)
    size = file.tell()
    tail_size = min(size, _EOCD_SIZE + 0xFFFF)  # (the end record, then a comment of up to 64 KB)
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    file.seek(0)
    at = tail.rfind(_EOCD_MAGIC)
    if at < 0 or at + _EOCD_SIZE > len(tail):
        return None
    (entries,) = struct.unpack_from("<H", tail, at + 10)
    return None if entries == 0xFFFF else int(entries)


def _copy_limited(source: IO[bytes], dest: Path, limit: int) -> int:
    """Copy at most `limit` bytes; returns the size, or -1 when the source holds more (dest removed)."""
    size = 0
    with dest.open("wb") as out:
        while block := source.read(_CHUNK):
            size += len(block)
            if size > limit:
                break
            out.write(block)
    if size > limit:
        dest.unlink(missing_ok=True)
        return -1
    return size


def _size(limit: int) -> str:
    """A size limit as a user reads it ("50 MB"; under 1 MB in KB, not "0 MB")."""
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{max(1, limit // 1024)} KB"


def _limit() -> str:
    return _size(int(settings.UPLOAD_MAX_BYTES))


def receive(files: Iterable[UploadedFile], organisation: Organisation, user: Any) -> Received:
    """Save every file (expanding ZIPs) and create its `Upload`; refused files are listed, not raised."""
    files = list(files)
    if not files:
        raise UploadRefused("没有选择文件")
    if len(files) > settings.UPLOAD_MAX_FILES:
        raise UploadRefused(f"一次最多上传 {settings.UPLOAD_MAX_FILES} 个文件，本次为 {len(files)} 个")
    batch = _Batch()
    received = Received(batch.key)
    for file in files:
        name = safe_name(file.name or "")
        head = file.read(8192)
        file.seek(0)
        if not head:
            received.refused.append((name, "文件为空（0 字节）"))
        elif file.size is not None and file.size > settings.UPLOAD_MAX_BYTES:
            received.refused.append((name, f"文件超过 {_limit()} 的上限"))
        elif is_plain_zip(head):
            _receive_zip(file, name, batch, received, organisation, user)
        elif batch.count >= settings.UPLOAD_MAX_FILES:
            received.refused.append((name, f"本次上传已达每次 {settings.UPLOAD_MAX_FILES} 个文件的上限，该文件未保存"))
        else:
            dest, relative = batch.path_for(name)
            size = _copy_limited(file, dest, settings.UPLOAD_MAX_BYTES)
            if size < 0:
                received.refused.append((name, f"文件超过 {_limit()} 的上限"))
                continue
            received.uploads.append(_upload(batch, organisation, user, name, relative, size))
    return received


def _receive_zip(
    file: UploadedFile, name: str, batch: _Batch, received: Received, organisation: Organisation, user: Any
) -> None:
    limit = settings.UPLOAD_MAX_FILES
    declared = declared_entries(file)
    if declared is not None and declared > limit:  # (refused before parsing a million-entry directory)
        received.refused.append((name, f"压缩包内有 {declared} 个文件，超过每次 {limit} 个的上限"))
        return
    try:
        archive = zipfile.ZipFile(file)
        members = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        received.refused.append((name, "ZIP 压缩包已损坏，无法打开"))
        return
    if len(members) > limit:
        received.refused.append((name, f"压缩包内有 {len(members)} 个文件，超过每次 {limit} 个的上限"))
        return
    if batch.count + len(members) > limit:
        received.refused.append(
            (name, f"压缩包内有 {len(members)} 个文件，与本次其他文件合计超过每次 {limit} 个的上限")
        )
        return
    for info in members:
        member_name = safe_name(_member_name(info))
        member = f"{name}/{member_name}"
        if info.flag_bits & 0x1:
            received.refused.append((member, "压缩包中的文件已加密，无法读取"))
            continue
        member_limit = min(int(settings.UPLOAD_MAX_BYTES), batch.unzip_budget)
        dest, relative = batch.path_for(member_name)
        try:
            with archive.open(info) as source:
                size = _copy_limited(source, dest, member_limit)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
            dest.unlink(missing_ok=True)
            received.refused.append((member, "压缩包中的该文件已损坏，无法解压"))
            continue
        if size < 0 and member_limit < settings.UPLOAD_MAX_BYTES:  # (the request's total ran out)
            total = _size(int(settings.UPLOAD_MAX_BYTES) * ZIP_EXPANSION_FACTOR)
            received.refused.append((name, f"压缩包解压后的总大小超过每次 {total} 的上限，其余文件未解压"))
            return
        if size < 0:
            received.refused.append((member, f"解压后超过 {_limit()} 的上限（可能是压缩炸弹）"))
            continue
        if size == 0:
            dest.unlink(missing_ok=True)
            received.refused.append((member, "文件为空（0 字节）"))
            continue
        batch.unzip_budget -= size
        received.uploads.append(_upload(batch, organisation, user, member, relative, size))


def _upload(batch: _Batch, organisation: Organisation, user: Any, name: str, relative: str, size: int) -> Upload:
    return Upload.objects.create(
        batch=batch.key, organisation=organisation, user=user, name=name[:255], stored=relative, size=size
    )


def keep_bytes(data: bytes, name: str, organisation: Organisation, user: Any) -> Upload:
    """A file made by the app itself (a report submitted from its form) kept as an upload of its own batch,
    queued for reading like any other."""
    batch = _Batch()
    dest, relative = batch.path_for(safe_name(name))
    dest.write_bytes(data)
    return _upload(batch, organisation, user, name, relative, len(data))


def stored_path(upload: Upload) -> Path:
    return upload_root() / upload.stored


@dataclass(frozen=True)
class BatchProgress:
    uploads: list[Upload]
    pending: int

    @property
    def done(self) -> int:
        return len(self.uploads) - self.pending


def batch_progress(user: Any, batch: str) -> BatchProgress | None:
    from xxgk.web.access import uploads_for

    uploads = list(uploads_for(user).filter(batch=batch).select_related("document__report"))
    if not uploads:
        return None
    pending = sum(1 for u in uploads if u.state in (UploadState.QUEUED, UploadState.RUNNING))
    return BatchProgress(uploads, pending)


def recent_uploads(user: Any, count: int = 20) -> list[Upload]:
    from xxgk.web.access import uploads_for

    return list(uploads_for(user).select_related("document__report").order_by("-id")[:count])
