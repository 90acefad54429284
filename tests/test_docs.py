"""The user manual builds with `mkdocs build --strict` (as CI builds it: any warning fails), and its
rule and command pages are the ones generated from the catalogue and the command-line program."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command

from xxgk.cli.lazy import walk_commands
from xxgk.cli.main import app
from xxgk.rules import RULES

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("mkdocs", reason="the manual needs the test extras (pip install -e '.[test]')")
pytest.importorskip("material", reason="the manual needs mkdocs-material (pip install -e '.[test]')")
pytest.importorskip("mkdocs_gen_files", reason="the manual needs mkdocs-gen-files (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")]),
        # The notices MkDocs' plugins print about a future MkDocs 2 are not warnings of this build.
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
    }
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    assert not re.search(r"^WARNING", built.stderr, re.MULTILINE), built.stderr[-3000:]
    return out


def _text(page: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text("utf-8")))


def test_every_rule_has_its_page_from_the_catalogue(site: Path) -> None:
    index = _text(site / "rules" / "index.html")
    for code, rule in RULES.items():
        page = _text(site / "rules" / code / "index.html")
        for field in (rule.title, rule.what, rule.why, rule.example):
            assert field in page, (code, field)
        assert rule.severity.zh in page and "如何改正" in page
        assert code in index


def test_every_command_has_its_page_with_every_option(site: Path) -> None:
    commands = list(walk_commands(get_command(app)))
    assert len(commands) >= 15
    for path, command in commands:
        page = _text(site / "commands" / "-".join(path) / "index.html")
        assert f"xxgk {' '.join(path)}" in page
        for param in getattr(command, "params", []):
            for option in getattr(param, "opts", []) if param.param_type_name == "option" else []:
                assert option in page, (path, option)


def test_the_readme_links_to_pages_that_exist() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    links = re.findall(r"\]\((docs/[^)#]+)", readme)
    assert links
    for link in links:
        assert (ROOT / link).exists(), link
