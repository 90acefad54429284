"""Background work (django-tasks, database backend): reading and checking uploads into the corpus, then
the checks over several reports. A file that cannot be read ends as a failed upload with its zh-CN reason;
it never stops the queue."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from xxgk.corpus.ingest import Source, file_sha256, ingest_file
from xxgk.corpus.store.models import Document
from xxgk.web import audit
from xxgk.web.models import Upload, UploadState
from xxgk.web.stores import corpus_store
from xxgk.web.uploads import stored_path

logger = logging.getLogger(__name__)

OUTCOME_ZH = {
    "added": "已入库",
    "version": "已入库（新版本：发布后被修改）",
    "copy": "已入库（同一报告的另一种格式）",
    "known": "此前已上传过相同文件",
    "unusable": "无法读取",
}


def ingest_upload_now(upload_id: int) -> Upload | None:
    """Read, check and store one upload (what the task runs; callable directly). Whatever goes wrong, the
    upload ends failed with a zh-CN reason: never left "running" for a page that waits on it."""
    claimed = Upload.objects.filter(pk=upload_id, state=UploadState.QUEUED).update(state=UploadState.RUNNING)
    upload = Upload.objects.select_related("user").filter(pk=upload_id).first()
    if upload is None or not claimed:
        return upload
    try:
        _ingest(upload)
    except Exception as e:  # (a store or database failure past the reader, which has its own reasons)
        logger.exception("upload %s (%s) could not be stored", upload.pk, upload.name)
        _finish(upload, str(UploadState.FAILED), "unusable", f"内部错误（{type(e).__name__}），请将该文件提交给开发者")
    audit.record(None, "ingest", upload.name, user=upload.user, outcome=upload.outcome, message=upload.message)
    return upload


def _ingest(upload: Upload) -> None:
    path = stored_path(upload)
    try:
        sha, size = file_sha256(path)
    except OSError:
        _finish(upload, str(UploadState.FAILED), "unusable", "上传的文件已不在服务器上，请重新上传")
        return
    item = ingest_file(path, sha, size, Source())
    added = corpus_store().add(item)
    upload.document = Document.objects.filter(sha256=sha).first()
    if added.status == "unusable" or (added.status == "known" and upload.document and not upload.document.usable):
        reason = item.error or (upload.document.error if upload.document else "") or "无法读取"
        _finish(upload, str(UploadState.FAILED), "unusable", reason)
    else:
        _finish(upload, str(UploadState.DONE), added.status, OUTCOME_ZH.get(added.status, added.status))


def _finish(upload: Upload, state: str, outcome: str, message: str) -> None:
    upload.state, upload.outcome, upload.message = state, outcome, message
    upload.finished_at = timezone.now()
    upload.save(update_fields=["state", "outcome", "message", "document", "finished_at"])


@task()
def ingest_upload(upload_id: int) -> None:
    ingest_upload_now(upload_id)
    if not Upload.objects.filter(state__in=(UploadState.QUEUED, UploadState.RUNNING)).exists():
        cross_check.enqueue()


@task()
def cross_check() -> None:
    """The checks over several reports (carry-over, 内容雷同, deadlines…) after a batch is in."""
    from xxgk.corpus.service import run_cross_checks

    run_cross_checks(corpus_store())


def recover_interrupted(older_than: timedelta = timedelta(minutes=30)) -> int:
    """Queue again the uploads a stopped worker left "running" (the server was restarted in the middle of
    a read), so their batch page does not wait forever; for a worker to call when it starts. Only uploads
    sent more than `older_than` ago: another worker may be reading a recent one right now. Returns how
    many were queued again."""
    cutoff = timezone.now() - older_than
    stale = list(Upload.objects.filter(state=UploadState.RUNNING, created_at__lt=cutoff).values_list("pk", flat=True))
    requeued = [
        pk for pk in stale if Upload.objects.filter(pk=pk, state=UploadState.RUNNING).update(state=UploadState.QUEUED)
    ]
    for pk in requeued:
        ingest_upload.enqueue(pk)
    return len(requeued)


def enqueue_uploads(uploads: list[Upload]) -> None:
    """Queue each upload once the request's rows are committed (the worker must find them)."""
    ids = [u.pk for u in uploads]
    transaction.on_commit(lambda: [ingest_upload.enqueue(i) for i in ids])
