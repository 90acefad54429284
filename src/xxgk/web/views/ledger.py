from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from xxgk.ledger.errors import LedgerError
from xxgk.web import ledger as L
from xxgk.web.access import require
from xxgk.web.views.downloads import download


def _store(request: HttpRequest):  # type: ignore[no-untyped-def]
    require(request, "xxgk_web.use_ledger")
    return L.ledger_of(request.user)


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    store = _store(request)
    page, error = L.cases_page(store, request.GET)
    reminder = L.reminder_of(store)
    context = {
        "page": page,
        "error": error,
        "statuses": L.statuses(),
        "applicant_types": L.applicant_types(),
        "can_edit": L.may_edit(request.user),
        "agency": store.agency,
        "current": int(request.GET.get("page") or 1) if (request.GET.get("page") or "1").isdigit() else 1,
        "query": request.GET,
        "reminder": reminder,
    }
    return render(request, "xxgk_web/ledger/cases.html", context)


def case_new(request: HttpRequest) -> HttpResponse:
    store = _store(request)
    require(request, "xxgk_web.edit_ledger")
    error, status = "", 200
    if request.method == "POST":
        try:
            case = L.new_case(store, request.POST)
        except L.REFUSALS as e:
            error, status = e.message, 422
        else:
            messages.success(request, f"已登记案件 {case.id}")
            return redirect("xxgk_web:case", number=case.id)
    context = {
        "error": error,
        "error_field": L.field_of(error),
        "form": request.POST if request.method == "POST" else {"received": date.today().isoformat()},
        "channels": L.channels(),
        "applicant_types": L.applicant_types(),
    }
    return render(request, "xxgk_web/ledger/new.html", context, status=status)


def _case_context(request: HttpRequest, store, number: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {
        "view": L.case_view(store, number),
        "event_kinds": L.event_kinds(),
        "letters": L.letter_choices(),
        "can_edit": L.may_edit(request.user),
        "today": date.today().isoformat(),
    }


@require_GET
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    store = _store(request)
    try:
        context = _case_context(request, store, number)
    except L.REFUSALS as e:
        from django.http import Http404

        raise Http404(e.message) from None
    return render(request, "xxgk_web/ledger/case.html", context)


@require_GET
def event_fields(request: HttpRequest) -> HttpResponse:
    _store(request)
    try:
        fields = L.event_fields(request.GET.get("kind", ""))
    except LedgerError as e:
        return HttpResponse(f'<p class="err">{e.message}</p>', status=422)
    return render(request, "xxgk_web/ledger/_event_fields.html", {"fields": fields, "form": request.GET})


@require_POST
def event_add(request: HttpRequest, number: str) -> HttpResponse:
    store = _store(request)
    require(request, "xxgk_web.edit_ledger")
    try:
        L.check_unchanged(store, number, request.POST.get("seen"))
        case = L.add_event(store, number, request.POST.get("kind", ""), request.POST)
    except L.REFUSALS as e:
        context = _case_context(request, store, number)
        kind = request.POST.get("kind", "")
        fields = L.event_fields(kind) if kind in {c.value for c in L.event_kinds()} else []
        context.update({"event_error": e.message, "form": request.POST, "fields": fields})
        return render(request, "xxgk_web/ledger/case.html", context, status=422)
    messages.success(request, f"已登记：{case.events[-1].label_zh}")
    return redirect("xxgk_web:case", number=number)


@require_POST
def letter(request: HttpRequest, number: str) -> HttpResponse:
    """The letter as a download; with 「生成并登记」 its event goes on the case too."""
    store = _store(request)
    record = request.POST.get("record") == "1"
    if record:
        require(request, "xxgk_web.edit_ledger")
    fmt = "pdf" if request.POST.get("format") == "pdf" else "docx"
    try:
        on = L.letter_date(request.POST.get("on", ""))
        data, name = L.make_letter(store, number, request.POST.get("kind", ""), fmt, on=on, record=record)
    except L.REFUSALS as e:
        messages.error(request, e.message)
        return redirect("xxgk_web:case", number=number)
    return download(data, name)


@require_GET
def tables(request: HttpRequest) -> HttpResponse:
    store = _store(request)
    year_text = request.GET.get("year") or str(date.today().year - 1)
    year = int(year_text) if year_text.isdigit() else date.today().year - 1
    error = ""
    shown: list[Any] = []
    late: list[str] = []
    try:
        shown, late = L.ledger_tables(store, year)
    except LedgerError as e:
        error = e.message
    context = {"year": year, "tables": shown, "late": late, "error": error, "agency": store.agency}
    return render(request, "xxgk_web/ledger/tables.html", context)


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    import tempfile
    from pathlib import Path

    store = _store(request)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "台账.xlsx"
        L.export_ledger(store, out)
        data = out.read_bytes()
    return download(data, f"{store.agency}-台账.xlsx")


@require_GET
def cell_cases(request: HttpRequest, year: int, key: str) -> HttpResponse:
    """The cases one cell of 表三/表四 counts (htmx: the panel beside the table)."""
    store = _store(request)
    numbers = L.cases_in_cell(store, year, key)
    context = {"numbers": numbers, "name": L.cell_name(key), "year": year}
    return render(request, "xxgk_web/ledger/_cell_cases.html", context)


def import_view(request: HttpRequest) -> HttpResponse:
    """The Excel 台账 imported all or nothing; every bad cell listed with its row and column."""
    import tempfile
    from pathlib import Path

    store = _store(request)
    require(request, "xxgk_web.edit_ledger")
    result, status = None, 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or not (upload.name or "").lower().endswith(".xlsx"):
            messages.error(request, "请选择 Excel 台账文件（.xlsx）")
            return redirect("xxgk_web:ledger_import")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "台账.xlsx"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                result = L.import_workbook(store, path, upload.name or "台账.xlsx")
            except L.REFUSALS as e:
                messages.error(request, e.message)
                return redirect("xxgk_web:ledger_import")
        status = 422 if result.problems else 200
    return render(request, "xxgk_web/ledger/import.html", {"result": result}, status=status)


@require_GET
def statistics_view(request: HttpRequest) -> HttpResponse:
    store = _store(request)
    year_text = request.GET.get("year") or str(date.today().year)
    year = int(year_text) if year_text.isdigit() else date.today().year
    return render(request, "xxgk_web/ledger/statistics.html", {"stats": L.statistics(store, year)})


@require_GET
def statistics_chart(request: HttpRequest, year: int) -> HttpResponse:
    from xxgk.errors import XxgkError

    store = _store(request)
    try:
        data = L.statistics_chart(L.statistics(store, year))
    except XxgkError as e:
        return HttpResponse(e.message, status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse(data, content_type="image/png")


def calendar_view(request: HttpRequest) -> HttpResponse:
    """An administrator adds a year's 放假安排 (the TOML of `xxgk calendar template`); every open case's
    deadlines are recomputed and the cases whose due date moved are listed."""
    import tempfile
    from pathlib import Path

    require(request, "xxgk_web.view_audit")  # (administrators: the calendar serves every agency)
    moved: list[tuple[str, Any]] = []
    arrangement: Any = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择放假安排文件（.toml）")
            return redirect("xxgk_web:ledger_calendar")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "安排.toml"
            path.write_bytes(upload.read(1 << 20))
            try:
                arrangement, moved = L.add_calendar_year(path)
            except L.REFUSALS as e:
                messages.error(request, e.message)
                return redirect("xxgk_web:ledger_calendar")
        from xxgk.web import audit

        audit.record(request, "calendar_added", str(arrangement.year), moved=len(moved))
    return render(request, "xxgk_web/ledger/calendar.html", {"arrangement": arrangement, "moved": moved})


urlpatterns = [
    path("", case_list, name="cases"),
    path("new/", case_new, name="case_new"),
    path("event-fields/", event_fields, name="event_fields"),
    path("tables/", tables, name="ledger_tables"),
    path("export.xlsx", export, name="ledger_export"),
    path("tables/<int:year>/<str:key>/", cell_cases, name="ledger_cell"),
    path("import/", import_view, name="ledger_import"),
    path("statistics/", statistics_view, name="ledger_statistics"),
    path("statistics/<int:year>.png", statistics_chart, name="ledger_statistics_chart"),
    path("calendar/", calendar_view, name="ledger_calendar"),
    path("case/<str:number>/", case_detail, name="case"),
    path("case/<str:number>/event/", event_add, name="case_event"),
    path("case/<str:number>/letter/", letter, name="case_letter"),
]
