"""Administrators' pages (Django admin, in Chinese): organisations, members and roles; the audit log is
read-only here (append-only everywhere)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from xxgk.corpus.store.models import Agency, Region
from xxgk.web.models import AuditEvent, Membership, Organisation

admin.site.site_header = admin.site.site_title = "政府信息公开年报 · 管理"
admin.site.index_title = "账号、单位与角色"


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "region", "agency")
    list_filter = ("kind",)
    search_fields = ("name",)
    autocomplete_fields = ("parent", "region", "agency")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows shown, never written here: they come from elsewhere (the region table, the audit trail)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    """行政区 of the corpus (from the GB/T 2260 table); searchable for linking an organisation."""

    list_display = ("path", "code", "level")
    search_fields = ("path", "code")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    """机关 of the corpus (named from the reports); searchable for linking an organisation to its reports."""

    list_display = ("key", "level", "region", "resolved")
    search_fields = ("key",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    extra = 0


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class MemberAdmin(UserAdmin):
    inlines = (MembershipInline,)
    list_display = ("username", "is_active", "is_superuser", "last_login")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "username", "address", "action", "target")
    list_filter = ("action",)
    search_fields = ("username", "target")
