from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def seed(prefix: str) -> Path:
    """The seed report whose file name starts with `prefix` ("000" … "004")."""
    (path,) = [p for p in SEEDS if p.name.startswith(prefix)]
    return path


@pytest.fixture(scope="session")
def seeds() -> list[Path]:
    return SEEDS
