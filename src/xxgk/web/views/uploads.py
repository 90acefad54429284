from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from xxgk.web import audit
from xxgk.web.access import actor, require
from xxgk.web.tasks import enqueue_uploads
from xxgk.web.uploads import UploadRefused, batch_progress, receive, recent_uploads


def upload(request: HttpRequest) -> HttpResponse:
    require(request, "xxgk_web.upload")
    who = actor(request.user)
    if request.method == "POST":
        if who.organisation is None:
            messages.error(request, "您的账号尚未分配单位，不能上传；请联系管理员")
            return redirect("xxgk_web:upload")
        try:
            received = receive(request.FILES.getlist("files"), who.organisation, request.user)
        except UploadRefused as e:
            messages.error(request, e.message)
            return redirect("xxgk_web:upload")
        for name, reason in received.refused:
            messages.warning(request, f"{name}：{reason}")
        audit.record(
            request,
            "upload",
            received.batch,
            files=[u.name for u in received.uploads],
            refused=[n for n, _ in received.refused],
        )
        enqueue_uploads(received.uploads)
        if not received.uploads:
            return redirect("xxgk_web:upload")
        return redirect("xxgk_web:batch", batch=received.batch)
    recent = recent_uploads(request.user)
    return render(request, "xxgk_web/upload.html", {"recent": recent})


def batch(request: HttpRequest, batch: str) -> HttpResponse:
    """One request's files and what became of each; the table refreshes itself while any is pending."""
    progress = batch_progress(request.user, batch)
    if progress is None:
        raise Http404("没有找到该批上传")
    context = {
        "batch": batch,
        "uploads": progress.uploads,
        "pending": progress.pending,
        "done": progress.done,
        "refresh": reverse("xxgk_web:batch", args=[batch]),
    }
    template = "xxgk_web/_batch_table.html" if request.htmx else "xxgk_web/batch.html"
    return render(request, template, context)
