"""Start-up: `xxgk --help`, `xxgk rules` and `xxgk deadline` load no reader, writer or Django code.

The CLI is started with the package's own `xxgk/__init__.py` replaced by an empty package module,
so that what is measured is what the CLI modules import (the package's top level is another
module's business; benchmarks/bench_startup.py times both).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
HEAVY_PACKAGES = ("lxml", "pypdfium2", "pdfplumber", "docx", "django", "openpyxl", "weasyprint", "yaml", "PIL")
HEAVY_MODULES = ("xxgk.readers", "xxgk.write.", "xxgk.ledger.store", "xxgk.recognize", "xxgk.api")
PROBE = """
import json, sys, types
package = types.ModuleType("xxgk"); package.__path__ = [{src!r}]; sys.modules["xxgk"] = package
from xxgk.cli.main import run
try:
    run({argv!r})
except SystemExit:
    pass
sys.stdout.flush()
print("\\nMODULES " + json.dumps(sorted(sys.modules)))
"""


def _modules_loaded(*argv: str) -> list[str]:
    code = PROBE.format(src=str(SRC / "xxgk"), argv=list(argv))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    modules: list[str] = json.loads(done.stdout.rsplit("MODULES ", 1)[1])
    return modules


@pytest.mark.parametrize("argv", [("--help",), ("rules",), ("check", "--help"), ("deadline", "2025-03-03")])
def test_start_up_loads_no_reader_writer_or_django(argv: tuple[str, ...]) -> None:
    modules = _modules_loaded(*argv)
    heavy = [m for m in modules if m.split(".")[0] in HEAVY_PACKAGES or m.startswith(HEAVY_MODULES)]
    assert heavy == []
    assert "xxgk.cli.main" in modules  # (the probe did run the CLI)


@pytest.mark.parametrize("argv", [("--help",), ("rules",), ("check", "--help")])
def test_the_ledger_and_the_writers_are_loaded_only_for_their_commands(argv: tuple[str, ...]) -> None:
    modules = _modules_loaded(*argv)
    assert "xxgk.cli.ledger" not in modules and "xxgk.cli.write" not in modules
    assert not any(m.startswith("xxgk.ledger") for m in modules)


def test_the_listed_help_of_a_lazy_command_is_its_own() -> None:
    from xxgk.cli import lazy

    for name, (_, listed) in lazy.LAZY_COMMANDS.items():
        assert (lazy.load(name).help or "").split("\n")[0] == listed


def test_every_command_the_lazy_modules_register_is_listed() -> None:
    """A command added to cli/ledger.py or cli/write.py `register()` must be named in LAZY_COMMANDS,
    or `xxgk` would not offer it."""
    from xxgk.cli import lazy

    for module in {module for module, _ in lazy.LAZY_COMMANDS.values()}:
        registered = set(lazy._module_commands(module))
        listed = {name for name, (m, _) in lazy.LAZY_COMMANDS.items() if m == module}
        assert registered == listed, module
