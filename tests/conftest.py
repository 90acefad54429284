from __future__ import annotations

from pathlib import Path

import pytest

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
