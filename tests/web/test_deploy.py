"""The deployment settings (`xxgk.web.settings_deploy`, docs/web-deploy.md): Django's deployment checklist
finds nothing to warn about, and gunicorn serves the app with them, static files by WhiteNoise."""

from __future__ import annotations

import importlib.util
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import xxgk

SRC = Path(xxgk.__file__).resolve().parents[1]
STATIC = SRC / "xxgk" / "web" / "static" / "xxgk_web"


def _deploy_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a deployment: its own home, a long random key, the deploy settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XXGK_", "DJANGO_"))}
    env.update(
        PYTHONPATH=os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        XXGK_HOME=str(home),
        XXGK_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_SETTINGS_MODULE="xxgk.web.settings_deploy",
        **extra,
    )
    return env


def test_check_deploy_finds_nothing_to_warn_about(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=_deploy_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues" in run.stdout
    assert "WARNING" not in run.stdout + run.stderr


def test_deploy_settings_refuse_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = _deploy_env(tmp_path)
    del env["XXGK_SECRET_KEY"]
    run = subprocess.run(
        [sys.executable, "-c", "import xxgk.web.settings_deploy"], env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode != 0
    assert "部署时必须设置环境变量 XXGK_SECRET_KEY" in run.stderr
    assert not (tmp_path / "web-secret-key").exists()  # (not made up into the home either)


@pytest.fixture
def gunicorn(web_db: Path, tmp_path: Path) -> Iterator[str]:
    """gunicorn with the deploy settings (plain HTTP: no redirect to HTTPS) on a free port, on a copy of
    a migrated database; yields its base URL."""
    if importlib.util.find_spec("gunicorn") is None:
        pytest.skip("需要 gunicorn（pip install 'xxgk[deploy]'）")
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(web_db, home / "ledger.sqlite3")  # (what `xxgk web user …` would have migrated)
    command = [sys.executable, "-m", "gunicorn", "xxgk.web.wsgi:application", "-b", "127.0.0.1:0", "-w", "1"]
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        # (HOME: gunicorn ≥ 24 puts its control socket in ~/.gunicorn; keep it inside the test's folder)
        env = _deploy_env(home, XXGK_SSL_REDIRECT="0", HOME=str(tmp_path))
        server = subprocess.Popen(command, env=env, stdout=out, stderr=out, start_new_session=True)
    try:
        yield _listening_at(server, log)
    finally:
        # (the master and its worker at once: a graceful stop costs a second or two of the CI's time)
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(10)


def _listening_at(server: subprocess.Popen[bytes], log: Path, timeout: float = 30) -> str:
    """The address gunicorn reports once it listens (port 0: the system chose a free one)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", log.read_text())
        if found:
            return found.group(1)
        if server.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"gunicorn did not start:\n{log.read_text()}")


def test_gunicorn_serves_the_login_page_and_whitenoise_the_static_files(gunicorn: str) -> None:
    with urllib.request.urlopen(f"{gunicorn}/login/", timeout=30) as response:
        assert response.status == 200
        html = response.read().decode("utf-8")
        headers = response.headers
    assert '<html lang="zh-CN">' in html and "<h1>登录</h1>" in html
    assert headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "csrftoken=" in headers["Set-Cookie"] and "Secure" in headers["Set-Cookie"]
    css = re.search(r'href="(/static/[^"]+\.css)"', html)
    assert css, html[:500]
    # DEBUG is off, so Django itself serves no static file: WhiteNoise does, from the package.
    with urllib.request.urlopen(f"{gunicorn}{css.group(1)}", timeout=30) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/css")
        assert response.read() == (STATIC / "app.css").read_bytes()
