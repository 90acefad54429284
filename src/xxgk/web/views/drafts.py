from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from xxgk.web import drafts as D
from xxgk.web.access import require
from xxgk.web.ledger import REFUSALS
from xxgk.web.pages import shown_tables
from xxgk.web.views.downloads import download


def _year(year: int) -> int:
    if not 2008 <= year <= date.today().year:
        raise Http404("没有该年度")
    return year


def _form_context(request: HttpRequest, draft: Any, checked: Any, *, cells: Any = None, sections: Any = None,
                  values: Any = None) -> dict[str, Any]:  # fmt: skip
    typed_cells = draft.cells if cells is None else cells
    typed_sections = draft.sections if sections is None else sections
    spec = checked.report.spec
    table_cells = {key: (None, "", typed_cells.get(key, ""), None) for key in spec.cells}
    by_cell = {key: [_finding(f, spec) for f in found] for key, found in checked.by_cell.items()}
    tables = {t.key: t for t in shown_tables(spec.id, table_cells)}
    return {
        "draft": draft,
        "values": values or {"title": draft.title, "signed_on": draft.signed_on.isoformat() if draft.signed_on else ""},
        "sections": [
            (s.key, s.heading, typed_sections.get(s.key, ""), tables.get(s.table) if s.table else None)
            for s in spec.sections
        ],
        "checked": checked,
        "by_cell": by_cell,
        "general": [_finding(f, spec) for f in checked.general],
        "filing": D.filing_of(draft),
        "can_edit": D.may_edit(request.user),
    }


def _finding(f: Any, spec: Any) -> dict[str, str]:
    return {"code": f.code, "severity": f.severity, "message": f.message(spec), "location": f.location}


def report_form(request: HttpRequest, year: int) -> HttpResponse:
    require(request, "xxgk_web.use_ledger")
    draft = D.draft_of(request.user, _year(year))
    if request.method == "POST":
        try:
            D.save(request, draft, request.POST)
        except D.DraftRefused as e:
            cells, sections = D.posted_values(request.POST)
            checked = D.check_draft(draft, cells, sections)
            context = _form_context(request, draft, checked, cells=cells, sections=sections, values=request.POST)
            context["error"] = e.message
            context["revision"] = request.POST.get("revision", draft.revision)
            status = 409 if isinstance(e, D.DraftConflict) else 422
            return render(request, "xxgk_web/drafts/form.html", context, status=status)
        messages.success(request, "已保存")
        return redirect("xxgk_web:draft", year=year)
    context = _form_context(request, draft, D.check_draft(draft))
    context["revision"] = draft.revision
    return render(request, "xxgk_web/drafts/form.html", context)


@require_POST
def report_check(request: HttpRequest, year: int) -> HttpResponse:
    """The findings of what is typed now, without saving (htmx, on every change)."""
    require(request, "xxgk_web.use_ledger")
    draft = D.draft_of(request.user, _year(year))
    cells, sections = D.posted_values(request.POST)
    checked = D.check_draft(draft, cells, sections)
    context = _form_context(request, draft, checked, cells=cells, sections=sections)
    return render(request, "xxgk_web/drafts/_findings.html", context)


@require_POST
def report_from_ledger(request: HttpRequest, year: int) -> HttpResponse:
    require(request, "xxgk_web.use_ledger")
    draft = D.draft_of(request.user, _year(year))
    try:
        n = D.fill_from_ledger(request, draft)
        messages.success(request, f"已由台账填入表三、表四（{n} 个单元格）")
    except REFUSALS as e:
        messages.error(request, e.message)
    return redirect("xxgk_web:draft", year=year)


@require_POST
def report_submit(request: HttpRequest, year: int) -> HttpResponse:
    require(request, "xxgk_web.use_ledger")
    draft = D.draft_of(request.user, _year(year))
    try:
        D.submit(request, draft)
        messages.success(request, "已提交，等待政务公开办审核")
    except D.DraftRefused as e:
        messages.error(request, e.message)
    return redirect("xxgk_web:draft", year=year)


@require_POST
def report_publish(request: HttpRequest, year: int) -> HttpResponse:
    require(request, "xxgk_web.use_ledger")
    draft = D.draft_of(request.user, _year(year))
    try:
        D.publish(request, draft, request.POST.get("published_on", ""), request.POST.get("published_url", ""))
        messages.success(request, "已登记发布")
    except D.DraftRefused as e:
        messages.error(request, e.message)
    return redirect("xxgk_web:draft", year=year)


DOWNLOADS = ("docx", "pdf", "html")


@require_GET
def report_download(request: HttpRequest, year: int, kind: str) -> HttpResponse:
    from xxgk.api import render as render_report

    require(request, "xxgk_web.use_ledger")
    if kind not in DOWNLOADS:
        raise Http404("只能下载 DOCX、PDF 或 HTML")
    draft = D.draft_of(request.user, _year(year))
    name = f"{draft.organisation.name}{draft.year}年政府信息公开工作年度报告.{kind}"
    return download(render_report(D.check_draft(draft).report, kind), name)


def report_home(request: HttpRequest) -> HttpResponse:
    require(request, "xxgk_web.use_ledger")
    return redirect("xxgk_web:draft", year=date.today().year - 1)


urlpatterns = [
    path("", report_home, name="drafts"),
    path("<int:year>/", report_form, name="draft"),
    path("<int:year>/check/", report_check, name="draft_check"),
    path("<int:year>/ledger/", report_from_ledger, name="draft_ledger"),
    path("<int:year>/submit/", report_submit, name="draft_submit"),
    path("<int:year>/publish/", report_publish, name="draft_publish"),
    path("<int:year>/download.<str:kind>", report_download, name="draft_download"),
]
