"""`xxgk web` itself, as a user starts it: a fresh home, the first administrator from the environment,
the tables made, the pages served (with the task worker and the reminder thread in the same process), and
Ctrl-C stopping it cleanly. A second start finds the administrator and does not ask again."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import xxgk

SRC = Path(xxgk.__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(home: Path, port: int, **extra: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XXGK_", "DJANGO_"))}
    env.update(PYTHONPATH=str(SRC), XXGK_HOME=str(home), **extra)
    return subprocess.Popen(
        [sys.executable, "-m", "xxgk", "web", "--port", str(port)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _get(url: str, deadline: float) -> tuple[int, str]:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return r.status, r.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_xxgk_web_starts_makes_the_administrator_serves_and_stops(tmp_path: Path) -> None:
    port = _free_port()
    first = _start(tmp_path, port, XXGK_ADMIN_USER="chief", XXGK_ADMIN_PASSWORD="Xxgk-test-2026!")
    try:
        status, page = _get(f"http://127.0.0.1:{port}/login/", time.monotonic() + 60)
        assert status == 200 and "<h1>登录</h1>" in page
    finally:
        first.send_signal(signal.SIGINT)
        out, _ = first.communicate(timeout=30)
    assert "已创建管理员「chief」" in out and "网页版已启动" in out
    assert "Traceback" not in out
    assert (tmp_path / "ledger.sqlite3").exists()  # the CLI's own store
    # the second start: the administrator is there, nothing is asked (stdin is closed: a prompt would fail)
    second = _start(tmp_path, port)
    try:
        status, _ = _get(f"http://127.0.0.1:{port}/login/", time.monotonic() + 60)
        assert status == 200
    finally:
        second.send_signal(signal.SIGINT)
        out, _ = second.communicate(timeout=30)
    assert "已创建管理员" not in out and "Traceback" not in out
