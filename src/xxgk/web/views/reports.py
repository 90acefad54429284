from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from xxgk.web import originals, pages, review
from xxgk.web.access import report_or_404
from xxgk.web.search import ReportFilter, searched_reports
from xxgk.web.views.downloads import attach, download

PAGE_SIZE = 50


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    found = ReportFilter(request.GET, queryset=searched_reports(request.user))
    page = Paginator(found.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "xxgk_web/reports.html", {"filter": found, "page": page})


@require_GET
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = report_or_404(request, report_id)
    page = pages.report_page(report)
    context = {
        "page": page,
        "state": review.state_of(report),
        "review": review.review_of(report),
        "fixed": review.fixed_findings(report),
        "approved_then_changed": review.changed_after_approval(report),
        "can_review": request.user.has_perm("xxgk_web.review_report", report),
        "pages": range(1, page.pdf_pages + 1),
    }
    return render(request, "xxgk_web/report.html", context)


@require_GET
def cell_detail(request: HttpRequest, report_id: int, key: str) -> HttpResponse:
    report = report_or_404(request, report_id)
    detail = pages.cell_detail(report, key)
    if detail is None:
        raise Http404("没有该单元格")
    return render(request, "xxgk_web/_cell.html", {"cell": detail})


@require_GET
def page_image(request: HttpRequest, report_id: int, page_number: int) -> HttpResponse:
    report = report_or_404(request, report_id)
    path = originals.document_path(report.document)
    if path is None or not originals.is_pdf(report.document):
        raise Http404("该报告不是 PDF")
    try:
        data = originals.page_png(path, page_number)
    except IndexError:
        raise Http404("没有这一页") from None
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
def original(request: HttpRequest, report_id: int) -> HttpResponse:
    """The file as received, always as a download (never rendered by the browser as a page of ours)."""
    report = report_or_404(request, report_id)
    path = originals.document_path(report.document)
    if path is None:
        raise Http404("原件已不在服务器上")
    name = f"{report.agency_printed or '报告'}{report.year or ''}{path.suffix}"
    return attach(FileResponse(path.open("rb"), content_type="application/octet-stream"), name)


@require_POST
def decide(request: HttpRequest, report_id: int, finding_id: int) -> HttpResponse:
    report = report_or_404(request, report_id, "xxgk_web.review_report")
    error = ""
    try:
        review.decide(
            request,
            report,
            finding_id,
            request.POST.get("state", ""),
            request.POST.get("reason", ""),
            request.POST.get("comment", ""),
        )
    except review.ReviewRefused as e:
        error = e.message
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("xxgk_web:report", report_id=report.pk)
    finding = next((f for f in review.shown_findings(report) if f.id == finding_id), None)
    context = {"f": finding, "report": report, "can_review": True, "error": error}
    return render(request, "xxgk_web/_finding.html", context, status=422 if error else 200)


@require_POST
def change_state(request: HttpRequest, report_id: int) -> HttpResponse:
    report = report_or_404(request, report_id, "xxgk_web.review_report")
    try:
        review.set_state(request, report, request.POST.get("state", ""))
        messages.success(request, "审查状态已更新")
    except review.ReviewRefused as e:
        messages.error(request, e.message)
    return redirect("xxgk_web:report", report_id=report.pk)


OPINION_KINDS = ("html", "pdf", "docx")


@require_GET
def opinion(request: HttpRequest, report_id: int, kind: str) -> HttpResponse:
    report = report_or_404(request, report_id)
    if kind not in OPINION_KINDS:
        raise Http404("审查意见只有 HTML、PDF 和 DOCX 三种格式")
    name = f"审查意见-{report.agency_printed or report.pk}-{report.year or ''}.{kind}"
    return download(review.opinion_file(report, kind), name)
