"""Case numbers: `<year>-<nnnn>` by receipt year, the first free one. The one numbering scheme of the ledger,
used by the store (`ledger add`) and the Excel import alike."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from xxgk.ledger.errors import LedgerError

NUMBER_RE = re.compile(r"^[^\s/\\]{1,64}$")


def check_number(number: str) -> str:
    """A case number given by the user, stripped; raises LedgerError when unusable."""
    number = number.strip()
    if not NUMBER_RE.match(number):
        raise LedgerError(f"案件编号「{number}」无效：不能为空、不能含空白或斜杠，最长64个字符")
    return number


def assign_numbers(wanted: Sequence[tuple[int, str | None]], taken: Iterable[str]) -> list[str]:
    """For each (receipt year, own number or None): its own number, or the next free `<year>-<nnnn>`.
    Numbers in `taken` and those given in `wanted` are never handed out."""
    used = set(taken) | {n for _, n in wanted if n is not None}
    next_n: dict[int, int] = {}
    out = []
    for year, number in wanted:
        if number is None:
            n = next_n.get(year, 1)
            while f"{year}-{n:04d}" in used:
                n += 1
            number = f"{year}-{n:04d}"
            used.add(number)
            next_n[year] = n + 1
        out.append(number)
    return out


def next_number(year: int, taken: Iterable[str]) -> str:
    return assign_numbers([(year, None)], taken)[0]


__all__ = ["NUMBER_RE", "assign_numbers", "check_number", "next_number"]
