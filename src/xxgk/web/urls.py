"""The web app's URLs. Every one needs a login except the login page itself (LoginRequiredMiddleware);
tests/web/test_access.py walks this list so a new view cannot be forgotten."""

from __future__ import annotations

from django.urls import include, path

from xxgk.web.views import accounts, audit, drafts, ledger, region, reports, uploads

app_name = "xxgk_web"

urlpatterns = [
    path("", accounts.home, name="home"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", accounts.logout, name="logout"),
    path("upload/", uploads.upload, name="upload"),
    path("upload/<str:batch>/", uploads.batch, name="batch"),
    path("reports/", reports.report_list, name="reports"),
    path("reports/<int:report_id>/", reports.report_detail, name="report"),
    path("reports/<int:report_id>/cell/<str:key>/", reports.cell_detail, name="cell"),
    path("reports/<int:report_id>/page/<int:page_number>.png", reports.page_image, name="page"),
    path("reports/<int:report_id>/original/", reports.original, name="original"),
    path("reports/<int:report_id>/findings/<int:finding_id>/", reports.decide, name="decide"),
    path("reports/<int:report_id>/state/", reports.change_state, name="state"),
    path("reports/<int:report_id>/opinion.<str:kind>", reports.opinion, name="opinion"),
    path("region/", include(region.urlpatterns)),
    path("ledger/", include(ledger.urlpatterns)),
    path("report/", include(drafts.urlpatterns)),
    path("audit/", audit.audit_log, name="audit"),
]
