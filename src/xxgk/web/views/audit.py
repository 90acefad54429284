from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xxgk.web.access import require
from xxgk.web.audit import ACTIONS_ZH, events


@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    require(request, "xxgk_web.view_audit")
    action = request.GET.get("action") or ""
    who = (request.GET.get("user") or "").strip()
    page = Paginator(events(action, who), 100).get_page(request.GET.get("page"))
    return render(request, "xxgk_web/audit.html", {"page": page, "actions": ACTIONS_ZH, "action": action, "who": who})
