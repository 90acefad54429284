"""Who may see and do what: the one permission layer of the web app.

Every view asks here, for the rows it lists (`reports_for`, `agencies_for`, `uploads_for`) and for the
object it shows or changes (`require`); nothing is enforced by hiding links. Data scope:
- 管理员 (or a superuser): everything;
- 审核人员 / 只读 of a 政务公开办: the agencies in its region (and below it) and of the organisations
  under it, and every document uploaded by it or by them;
- 填报人员 (and 只读) of an agency: its own agency's reports and its own uploads.
An object outside the scope is "not found" (404), never "forbidden", so its existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

import rules
from xxgk.corpus.store.models import Agency, Report
from xxgk.web.models import Membership, Organisation, OrganisationKind, Role, Upload


@dataclass(frozen=True)
class Actor:
    """A signed-in user as the permission layer sees them."""

    user: Any
    role: str | None  # Role value, None: no membership (sees nothing unless superuser)
    organisation: Organisation | None

    @property
    def is_admin(self) -> bool:
        return bool(self.user.is_superuser) or self.role == Role.ADMIN

    @property
    def is_office(self) -> bool:
        return self.organisation is not None and self.organisation.kind == OrganisationKind.OFFICE


def actor(user: Any) -> Actor:
    cached = getattr(user, "_xxgk_actor", None)
    if cached is not None:
        return cached
    membership = Membership.objects.select_related("organisation__region").filter(user_id=user.pk).first()
    found = Actor(user, membership.role if membership else None, membership.organisation if membership else None)
    user._xxgk_actor = found
    return found


def subtree(organisation: Organisation) -> list[Organisation]:
    """The organisation and every organisation below it."""
    found, frontier = [organisation], [organisation.pk]
    while frontier:
        children = list(Organisation.objects.filter(parent_id__in=frontier))
        found.extend(children)
        frontier = [c.pk for c in children]
    return found


def _agency_scope(who: Actor) -> Q:
    """The agencies `who` may see, as a condition on Agency."""
    if who.is_admin:
        return Q()
    if who.organisation is None:
        return Q(pk__in=[])
    units = subtree(who.organisation) if who.is_office else [who.organisation]
    scope = Q(pk__in=[u.agency_id for u in units if u.agency_id])
    regions = [u.region.path for u in units if u.kind == OrganisationKind.OFFICE and u.region is not None]
    for path in regions:
        scope |= Q(region__path=path) | Q(region__path__startswith=f"{path}/")
    return scope


def reports_for(user: Any) -> QuerySet[Report]:
    """Every report version `user` may see (filter `latest=True` for the current ones)."""
    who = actor(user)
    if who.is_admin:
        return Report.objects.all()
    if who.organisation is None:
        return Report.objects.none()
    units = subtree(who.organisation) if who.is_office else [who.organisation]
    uploaded = Upload.objects.filter(organisation__in=units, document__isnull=False).values("document_id")
    agencies = Agency.objects.filter(_agency_scope(who)).values("pk")
    return Report.objects.filter(Q(agency_id__in=agencies) | Q(document_id__in=uploaded)).distinct()


def agencies_for(user: Any) -> QuerySet[Agency]:
    """The agencies of the user's scope, and those of the reports they (or their units) uploaded."""
    who = actor(user)
    if who.is_admin:
        return Agency.objects.all()
    seen = reports_for(user).filter(agency__isnull=False).values("agency_id")
    return Agency.objects.filter(_agency_scope(who) | Q(pk__in=seen))


def uploads_for(user: Any) -> QuerySet[Upload]:
    who = actor(user)
    if who.is_admin:
        return Upload.objects.all()
    if who.organisation is None:
        return Upload.objects.none()
    units = subtree(who.organisation) if who.is_office else [who.organisation]
    return Upload.objects.filter(organisation__in=units)


# ---------------------------------------------------------------------------------------------
# Object permissions (django-rules): one predicate per kind of action.


@rules.predicate
def is_admin(user: Any) -> bool:
    return user.is_authenticated and actor(user).is_admin


@rules.predicate
def is_reviewer(user: Any) -> bool:
    return user.is_authenticated and (actor(user).is_admin or actor(user).role == Role.REVIEWER)


@rules.predicate
def may_upload(user: Any) -> bool:
    return user.is_authenticated and (actor(user).is_admin or actor(user).role in (Role.REVIEWER, Role.EDITOR))


@rules.predicate
def sees_region(user: Any) -> bool:
    """Dashboards and cross-agency pages: administrators and the members of a 政务公开办."""
    return user.is_authenticated and (actor(user).is_admin or actor(user).is_office)


@rules.predicate
def report_in_scope(user: Any, report: Report | None) -> bool:
    return report is not None and reports_for(user).filter(pk=report.pk).exists()


rules.add_perm("xxgk_web.view_report", rules.is_authenticated & report_in_scope)
rules.add_perm("xxgk_web.review_report", is_reviewer & report_in_scope)
rules.add_perm("xxgk_web.upload", may_upload)
rules.add_perm("xxgk_web.view_region", sees_region)
rules.add_perm("xxgk_web.view_audit", is_admin)


@rules.predicate
def is_agency_member(user: Any) -> bool:
    who = actor(user)
    return user.is_authenticated and who.organisation is not None and who.organisation.kind == OrganisationKind.AGENCY


@rules.predicate
def is_editor(user: Any) -> bool:
    return user.is_authenticated and actor(user).role in (Role.EDITOR, Role.ADMIN)


# The ledger belongs to an agency: its members read it, its 填报人员 (and administrators there) write it.
rules.add_perm("xxgk_web.use_ledger", is_agency_member)
rules.add_perm("xxgk_web.edit_ledger", is_agency_member & is_editor)


def require(request: HttpRequest, permission: str, obj: Any = None) -> None:
    """Raise 404 when `obj` is out of the user's scope, 403 when it is in scope but the action is not
    theirs (a 只读 user deciding a finding)."""
    if obj is not None and not request.user.has_perm("xxgk_web.view_report", obj):
        raise Http404("没有找到该报告")
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied("您的角色不能进行此操作")


def report_or_404(request: HttpRequest, report_id: int, permission: str = "xxgk_web.view_report") -> Report:
    report = Report.objects.select_related("agency", "document").filter(pk=report_id).first()
    if report is None:
        raise Http404("没有找到该报告")
    require(request, permission, report)
    return report


def context(request: HttpRequest) -> dict[str, Any]:
    """Template context: what the navigation offers this user (the views enforce it again)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    who = actor(user)
    return {
        "actor": who,
        "role_zh": Role(who.role).label if who.role else ("管理员" if who.is_admin else "未分配角色"),
        "can_upload": user.has_perm("xxgk_web.upload"),
        "can_region": user.has_perm("xxgk_web.view_region"),
        "can_audit": user.has_perm("xxgk_web.view_audit"),
        "can_ledger": user.has_perm("xxgk_web.use_ledger"),
    }
