from __future__ import annotations

import tempfile
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from xxgk.web.access import require
from xxgk.web.dashboard import CHARTS, chart_png, dashboard, dashboard_sheet
from xxgk.web.pages import agency_page
from xxgk.web.views.downloads import download


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _board(request: HttpRequest):  # type: ignore[no-untyped-def]
    return dashboard(
        request.user,
        year=_int(request.GET.get("year")),
        level=request.GET.get("level") or None,
        region=(request.GET.get("region") or "").strip() or None,
    )


@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    require(request, "xxgk_web.view_region")
    board = _board(request)
    return render(request, "xxgk_web/dashboard.html", {"board": board, "query": request.GET.urlencode()})


@require_GET
def dashboard_export(request: HttpRequest) -> HttpResponse:
    """The dashboard as on screen (same filters), as an Excel workbook."""
    from xxgk.corpus.export import write_xlsx

    require(request, "xxgk_web.view_region")
    header, rows = dashboard_sheet(_board(request))
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "dashboard.xlsx"
        write_xlsx(out, [("年报概况", header, rows)])
        data = out.read_bytes()
    return download(data, "年报概况.xlsx")


@require_GET
def agency_view(request: HttpRequest, agency_id: int) -> HttpResponse:
    page = agency_page(request.user, agency_id)
    if page is None:
        raise Http404("没有找到该机关")
    return render(
        request, "xxgk_web/agency.html", {"agency": page.agency, "reports": page.reports, "cross": page.cross}
    )


@require_GET
def chart(request: HttpRequest, chart_kind: str) -> HttpResponse:
    from xxgk.errors import XxgkError

    require(request, "xxgk_web.view_region")
    if chart_kind not in CHARTS:
        raise Http404("没有该图表")
    try:
        data = chart_png(
            request.user,
            chart_kind,
            level=request.GET.get("level") or None,
            region=(request.GET.get("region") or "").strip() or None,
        )
    except XxgkError as e:
        return HttpResponse(e.message, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response


urlpatterns = [
    path("", dashboard_view, name="dashboard"),
    path("export.xlsx", dashboard_export, name="dashboard_export"),
    path("agency/<int:agency_id>/", agency_view, name="agency"),
    path("chart/<str:chart_kind>.png", chart, name="chart"),
]
