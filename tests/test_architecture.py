"""The import contracts of pyproject.toml ([tool.importlinter]): arrows point one way (CLI above
the API above the core, the report model at the bottom; the ledger's service above its core), and
reading, checking and rendering never import Django. Each contract is also shown to catch a wrong
import: added to a copy of the package, it must break the contract."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("importlinter")

ROOT = Path(__file__).resolve().parent.parent
LAYERS = "CLI above the API above the core; the report model at the bottom"
LEDGER = "The ledger's service above its store and spreadsheet, above its core"
NO_DJANGO = "Reading, checking and rendering never import Django"
WEB_VIEWS = "Web views hold no logic (no ORM, no store)"


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports on the package under `root`/src with `root`'s pyproject.toml, no cache."""
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True, no_logo=True))"
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True)


def test_the_contracts_are_kept() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "wrong_import", "contracts"),
    [
        ("report.py", "import xxgk.cli.render", {LAYERS}),
        ("findings.py", "import xxgk.rules", {LAYERS}),
        ("readers/txt.py", "import xxgk.recognize", {LAYERS}),
        ("ledger/case.py", "import xxgk.ledger.store", {LEDGER}),
        ("write/html.py", "import django.db", {NO_DJANGO}),
        ("rules/text.py", "import xxgk.ledger.store.repository", {LAYERS, NO_DJANGO}),
        ("web/views/reports.py", "import xxgk.web.models", {WEB_VIEWS}),
        ("corpus/service.py", "import xxgk.web.access", {LAYERS}),
    ],
)
def test_a_wrong_import_breaks_a_contract(tmp_path: Path, module: str, wrong_import: str, contracts: set[str]) -> None:
    shutil.copytree(ROOT / "src/xxgk", tmp_path / "src/xxgk", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / "src/xxgk" / module
    path.write_text(path.read_text("utf-8") + f"\n{wrong_import}  # a deliberate wrong import\n", "utf-8")
    result = _lint(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = {line.removesuffix(" BROKEN") for line in result.stdout.splitlines() if line.endswith(" BROKEN")}
    assert broken == contracts, result.stdout
