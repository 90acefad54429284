"""The README's quick start is what CI runs: exactly two commands, the second one is .ci/run's."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _quick_start_commands(section: str) -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    block = text.split(section, 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_quick_start_has_exactly_two_commands_in_both_languages() -> None:
    zh = _quick_start_commands("## 快速开始")
    en = _quick_start_commands("## Quick start")
    assert len(zh) == 2 and zh == en, (zh, en)
    assert zh[0].endswith("python3 -m xxgk check --examples")


def test_ci_runs_the_readme_test_command() -> None:
    (test_command,) = _quick_start_commands("## 快速开始")[1:]
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert test_command in ci.splitlines(), (test_command, ci)
    assert re.search(r'"\$rc" -eq 5', ci), "pytest's exit 5 (no tests) must fail CI"
