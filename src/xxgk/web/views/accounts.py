from __future__ import annotations

from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "xxgk_web/login.html"
    redirect_authenticated_user = True


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect("xxgk_web:login")


def home(request: HttpRequest) -> HttpResponse:
    """Reviewers land on their region's dashboard, an agency's members on its ledger."""
    if request.user.has_perm("xxgk_web.view_region"):
        return redirect("xxgk_web:dashboard")
    if request.user.has_perm("xxgk_web.use_ledger"):
        return redirect("xxgk_web:cases")
    return redirect("xxgk_web:reports")
