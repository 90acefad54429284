"""The web app under test: Django configured from `xxgk.web.settings` with a temporary home (database,
uploads, corpus files), the tables migrated once per worker into a template file, and a fresh copy of it
for every test (so each test commits for real: on_commit hooks and the task worker run as in production).

Django is configured here with `settings.configure(**the web settings)`, not DJANGO_SETTINGS_MODULE, so
that the subprocesses other tests start (the CLI) do not inherit the web settings.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HOME = Path(tempfile.mkdtemp(prefix="xxgk-web-test-"))
atexit.register(shutil.rmtree, HOME, ignore_errors=True)


def _configure() -> None:
    from django.conf import settings

    if settings.configured:
        return
    saved = {k: os.environ.get(k) for k in ("XXGK_HOME", "XXGK_DATABASE_URL")}
    os.environ["XXGK_HOME"] = str(HOME)
    os.environ.pop("XXGK_DATABASE_URL", None)
    try:
        import xxgk.web.settings as web_settings
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    values = {name: getattr(web_settings, name) for name in dir(web_settings) if name.isupper()}
    # (the real password hasher costs up to a second a user on a loaded machine; tests make many users)
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.configure(**{**values, "DEBUG": False, "PASSWORD_HASHERS": fast})
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()  # (the test client's host "testserver" allowed, e-mail kept in memory)


_configure()
DB = Path(str(__import__("django.conf").conf.settings.DATABASES["default"]["NAME"]))
TEMPLATE = DB.with_name("template.sqlite3")
_template_lock = threading.Lock()


def _make_template() -> None:
    from django.db import connections

    from xxgk.web import serve

    with _template_lock:
        if TEMPLATE.exists():
            return
        connections["default"].close()
        DB.unlink(missing_ok=True)
        serve.migrate()
        connections["default"].close()
        shutil.copyfile(DB, TEMPLATE)


@pytest.fixture
def web_db() -> Iterator[Path]:
    """A migrated, empty database for this test (and empty upload and corpus folders)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connections

    _make_template()
    connections.close_all()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(TEMPLATE, DB)
    for folder in (Path(settings.UPLOAD_DIR), DB.with_name(DB.stem + ".files")):
        shutil.rmtree(folder, ignore_errors=True)
    cache.clear()
    yield DB
    connections.close_all()


def make_user(
    username: str,
    organisation: str,
    role: str,
    *,
    kind: str = "office",
    parent: str | None = None,
    region: str | None = None,
    agency: str | None = None,
) -> Any:
    """A user with a role in an organisation (made when new), linked to a corpus region or agency by name."""
    from django.contrib.auth import get_user_model

    from xxgk.corpus.store.models import Agency, Region
    from xxgk.web.models import Membership, Organisation

    above = Organisation.objects.get(name=parent) if parent else None
    org, _ = Organisation.objects.get_or_create(name=organisation, defaults={"kind": kind, "parent": above})
    if region:
        org.region = Region.objects.get(path=region)
        org.save()
    if agency:
        org.agency = Agency.objects.get(key=agency)
        org.save()
    user = get_user_model().objects.create_user(username, password="Xxgk-test-2026!")
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


def upload_files(client: Any, paths: list[Path]) -> str:
    """POST files to the upload page, run the queued tasks, return the batch page's URL."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xxgk.web import serve

    files = [SimpleUploadedFile(p.name, p.read_bytes()) for p in paths]
    response = client.post("/upload/", {"files": files})
    assert response.status_code == 302, response.content.decode()[:500]
    serve.run_pending_tasks()
    return str(response["Location"])


def seed_form(prefix: str = "000") -> dict[str, str]:
    """The report form as a clerk fills it in: the figures and text of a real report (a seed)."""
    from tests.conftest import seed
    from xxgk.api import read

    report = read(seed(prefix))
    data = {f"cell:{k}": ("" if c.value is None else str(c.value)) for k, c in report.cells.items()}
    data.update({f"section:{k}": s.text or "" for k, s in report.sections.items()})
    data.update({"title": report.meta.title or "", "signed_on": "2025-01-20"})
    return data
