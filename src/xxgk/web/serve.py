"""Starting the web app: Django set up with the web settings, the database migrated, the first
administrator, the task worker (in a thread for `xxgk web`, its own process for `xxgk web worker`) and a
threaded WSGI server on 127.0.0.1:8000 for one office's use. A deployment runs gunicorn instead
(docs/web-deploy.md)."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any

SETTINGS = "xxgk.web.settings"
ADMIN_USER_ENV, ADMIN_PASSWORD_ENV = "XXGK_ADMIN_USER", "XXGK_ADMIN_PASSWORD"


def setup(settings_module: str = SETTINGS) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def migrate() -> None:
    """Create or upgrade every table (the web's, the corpus's, the ledger's), once at a time."""
    from django.core.management import call_command

    from xxgk.ledger.store.bootstrap import schema_lock

    with schema_lock("default", "xxgk-web"):
        call_command("migrate", database="default", verbosity=0, interactive=False)


def has_admin() -> bool:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_superuser=True, is_active=True).exists()


def admin_from_environment() -> tuple[str, str] | None:
    user, password = os.environ.get(ADMIN_USER_ENV, ""), os.environ.get(ADMIN_PASSWORD_ENV, "")
    return (user, password) if user and password else None


@dataclass(frozen=True)
class NewUser:
    username: str
    organisation: str | None
    role: str


def password_problems(password: str, username: str = "") -> list[str]:
    """Django's password validators' verdict, in Chinese (empty: acceptable)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, get_user_model()(username=username))
    except ValidationError as e:
        return list(e.messages)
    return []


def create_user(
    username: str,
    password: str,
    *,
    organisation: str | None = None,
    kind: str = "office",
    role: str = "admin",
    superuser: bool = False,
    parent: str | None = None,
) -> NewUser:
    """An account with its organisation (made when new) and role; raises `ValueError` with a zh-CN reason."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from xxgk.web.models import Membership, Organisation, OrganisationKind, Role

    username = username.strip()
    if not username:
        raise ValueError("用户名不能为空")
    role = {label: value for value, label in Role.choices}.get(role, role)  # (the Chinese name or the code)
    if role not in Role.values:
        raise ValueError(f"角色应为 {'、'.join(str(label) for _, label in Role.choices)} 之一，实为「{role}」")
    kind = {label: value for value, label in OrganisationKind.choices}.get(kind, kind)
    if kind not in OrganisationKind.values:
        raise ValueError(f"单位类型应为政务公开办或机关，实为「{kind}」")
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValueError(f"用户名「{username}」已存在")
    problems = password_problems(password, username)
    if problems:
        raise ValueError("密码不符合要求：" + "；".join(problems))
    with transaction.atomic():
        user = User.objects.create_user(username, password=password)
        if superuser or role == Role.ADMIN:  # (an administrator manages accounts in /admin/)
            user.is_superuser = user.is_staff = True
            user.save()
        if organisation:
            above = Organisation.objects.filter(name=parent).first() if parent else None
            if parent and above is None:
                raise ValueError(f"上级单位「{parent}」不存在")
            org, _ = Organisation.objects.get_or_create(name=organisation, defaults={"kind": kind, "parent": above})
            Membership.objects.create(user=user, organisation=org, role=role)
    return NewUser(username, organisation, role)


def start_worker_thread(interval: float = 1.0) -> Any:
    """The task worker in a daemon thread of this process (the embedded default)."""
    worker = make_worker(interval)
    thread = threading.Thread(target=worker.run, name="xxgk-task-worker", daemon=True)
    thread.start()
    return worker


def make_worker(interval: float = 1.0, *, batch: bool = False) -> Any:
    from django_tasks_db.management.commands.db_worker import Worker

    from xxgk.web.tasks import recover_interrupted

    recover_interrupted()  # (uploads a stopped worker left "running" are queued again)
    return Worker(
        queue_names=["default"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"xxgk-{os.getpid()}-{threading.get_ident()}",
        excluded_queue_names=[],
    )


def remind_once_a_day(today: Any = None) -> int | None:
    """Send the day's ledger reminders unless they were sent today (by this or another process); returns
    the messages sent, None when already done. For a scheduler (`xxgk web remind` in cron) or the thread
    `xxgk web` keeps."""
    from datetime import date

    from django.db import transaction

    from xxgk.ledger.store.bootstrap import schema_lock
    from xxgk.web.ledger import send_reminders
    from xxgk.web.models import AuditEvent

    day = (today or date.today()).isoformat()
    with schema_lock("default", "xxgk-reminders"), transaction.atomic():
        if AuditEvent.objects.filter(action="reminders", target=day).exists():
            return None
        sent = send_reminders(today)
        AuditEvent.objects.create(action="reminders", target=day, detail={"messages": sent})
    return sent


def start_reminder_thread(every_s: float = 3600.0) -> threading.Thread:
    """Check every hour whether today's reminders went out (the embedded default of `xxgk web`)."""

    def loop() -> None:
        import logging
        import time

        while True:
            try:
                remind_once_a_day()
            except Exception:  # (a mail server down must not stop the server; the next hour tries again)
                logging.getLogger("xxgk.web").exception("提醒发送失败")
            time.sleep(every_s)

    thread = threading.Thread(target=loop, name="xxgk-reminders", daemon=True)
    thread.start()
    return thread


def run_pending_tasks() -> None:
    """Run every queued task now and return (a worker in batch mode)."""
    make_worker(0, batch=True).run()


def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve until interrupted (threaded WSGI server; static files by WhiteNoise)."""
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    run(host, port, get_wsgi_application(), threading=True)
