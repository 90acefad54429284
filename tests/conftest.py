from __future__ import annotations

from pathlib import Path

import pytest

from xxgk.api import read_report
from xxgk.report import Report

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
# The 15 real published reports of shared/corpus, copied in (with their README) so that every
# clone runs the corpus tests; the README there says where each came from.
CORPUS = FIXTURES / "corpus"


def seed(prefix: str) -> Path:
    """The seed report whose file name starts with `prefix` ("000" … "004")."""
    (path,) = [p for p in SEEDS if p.name.startswith(prefix)]
    return path


@pytest.fixture(scope="session")
def seeds() -> list[Path]:
    return SEEDS


def read_text_report(tmp_path: Path, text: str) -> Report:
    """Write `text` as report.txt under `tmp_path` and read it."""
    path = tmp_path / "report.txt"
    path.write_text(text, "utf-8")
    return read_report(path)


def diagnostic_codes(report: Report) -> list[str]:
    """The codes of what the reader had to repair or could not decide, in order."""
    return [d.code for d in report.diagnostics]
