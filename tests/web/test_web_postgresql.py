"""The web app on a real PostgreSQL server (XXGK_DATABASE_URL): upload, read, decide, search."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import CORPUS
from tests.test_ledger_store import PgServer, pg_server  # noqa: F401  (the throwaway PostgreSQL server fixture)

ROOT = Path(__file__).resolve().parents[2]


def test_the_reviewers_loop_on_postgresql(pg_server: PgServer, tmp_path: Path) -> None:  # noqa: F811
    env = {
        **os.environ,
        "XXGK_DATABASE_URL": pg_server.new_database(),
        "XXGK_HOME": str(tmp_path),
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
    }
    run = subprocess.run(
        [sys.executable, "-m", "tests.web.pg_flow", str(CORPUS / "003-sanming-shizf-2023.txt")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["vendor"] == "postgresql"
    assert seen["done"] and seen["decided"] == 200 and seen["confirmed"]
    assert len(seen["search"]) == 1  # the text search over the sections works on jsonb too
    assert seen["dashboard"] == 200
    assert not (tmp_path / "ledger.sqlite3").exists()  # nothing went to the SQLite default
