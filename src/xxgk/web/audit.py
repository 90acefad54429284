"""The append-only audit log: every change (uploads, review decisions, status changes, users and roles,
logins) as one `AuditEvent` — who, when, what, from where."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from xxgk.web.models import AuditEvent


def client_address(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def record(request: HttpRequest | None, action: str, target: str = "", user: Any = None, **detail: Any) -> AuditEvent:
    """Append one event; `user` defaults to the request's (a background task passes the uploader)."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    return AuditEvent.objects.create(
        user=user if user is not None and getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "",
        address=client_address(request),
        action=action,
        target=target[:200],
        detail=detail,
    )


ACTIONS_ZH = {
    "login": "登录",
    "logout": "退出",
    "login_failed": "登录失败",
    "upload": "上传",
    "ingest": "入库",
    "decision": "审查结论",
    "review_state": "审查状态",
    "user_saved": "用户变更",
    "membership_saved": "角色变更",
    "organisation_saved": "单位变更",
    "draft_saved": "保存报告",
    "draft_submitted": "提交报告",
    "draft_published": "登记发布",
    "calendar_added": "更新节假日安排",
    "reminders": "发送到期提醒",
}


def connect_signals() -> None:
    # (weak=False: the receivers are local functions, which a weak reference would let go at once)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
    from django.db.models.signals import post_save

    from xxgk.web.models import Membership, Organisation

    def logged_in(sender: Any, request: HttpRequest, user: Any, **kw: Any) -> None:
        record(request, "login", user.username, user=user)

    def logged_out(sender: Any, request: HttpRequest, user: Any, **kw: Any) -> None:
        if user is not None:
            record(request, "logout", user.username, user=user)

    def failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any) -> None:
        AuditEvent.objects.create(
            username=str(credentials.get("username", ""))[:150],
            address=client_address(request),
            action="login_failed",
            target=str(credentials.get("username", ""))[:200],
        )

    def user_saved(sender: Any, instance: Any, created: bool, **kw: Any) -> None:
        if kw.get("update_fields") == frozenset({"last_login"}):
            return  # (a login, recorded as such)
        AuditEvent.objects.create(
            action="user_saved",
            target=instance.username,
            detail={"created": created, "active": instance.is_active, "superuser": instance.is_superuser},
        )

    def membership_saved(sender: Any, instance: Membership, created: bool, **kw: Any) -> None:
        AuditEvent.objects.create(
            action="membership_saved",
            target=instance.user.username,
            detail={"organisation": instance.organisation.name, "role": instance.role, "created": created},
        )

    def organisation_saved(sender: Any, instance: Organisation, created: bool, **kw: Any) -> None:
        AuditEvent.objects.create(
            action="organisation_saved",
            target=instance.name,
            detail={
                "kind": instance.kind,
                "parent": instance.parent.name if instance.parent else "",
                "created": created,
            },
        )

    user_logged_in.connect(logged_in, dispatch_uid="xxgk_web_login", weak=False)
    user_logged_out.connect(logged_out, dispatch_uid="xxgk_web_logout", weak=False)
    user_login_failed.connect(failed, dispatch_uid="xxgk_web_login_failed", weak=False)
    post_save.connect(user_saved, sender=get_user_model(), dispatch_uid="xxgk_web_user_saved", weak=False)
    post_save.connect(membership_saved, sender=Membership, dispatch_uid="xxgk_web_membership_saved", weak=False)
    post_save.connect(organisation_saved, sender=Organisation, dispatch_uid="xxgk_web_organisation_saved", weak=False)


def events(action: str = "", who: str = "") -> QuerySet[AuditEvent]:
    """The log, newest first, of one kind of action and/or of users whose name contains `who`."""
    found = AuditEvent.objects.all()
    if action in ACTIONS_ZH:
        found = found.filter(action=action)
    if who:
        found = found.filter(username__contains=who)
    return found
