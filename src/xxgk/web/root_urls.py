"""The project's URL root: the app (namespace `xxgk_web`) and the administrators' pages (/admin/)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("xxgk.web.urls")),
]

handler400 = "xxgk.web.views.errors.bad_request"
handler403 = "xxgk.web.views.errors.forbidden"
handler404 = "xxgk.web.views.errors.not_found"
handler500 = "xxgk.web.views.errors.server_error"
