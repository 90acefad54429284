"""The ways to split a row's run-together digits into its cells that its own sums allow.

A row whose cells ran together into one digit string (a page's text on one line:
`804574164805751477414328697` for 表三's 7 cells) has too many splits to list them all (230,230
for 27 digits), yet few in which the row's own identities hold (I2: 总计 = the six applicant
columns; I4: each 表四 group's 总计 = its four results). Those are found here directly: for each
group of cells ending in its total, every place of the total's digits, then the splits of the
digits before it into parts that sum to it (a part larger than the total, or with more digits,
ends the search). `xxgk.recognize.recover` then weighs them with the identities across rows.
"""

from __future__ import annotations

from functools import cache
from itertools import accumulate, pairwise

from xxgk.format.spec import PhysicalRow

__all__ = ["sum_groups", "sum_splits"]

MAX_STEPS = 20_000  # cells tried for one row; more: no answer (the row stays as it is)


class _TooMany(Exception):
    pass


Equation = tuple[tuple[str, int], ...]  # an identity instance: (cell key, coefficient) pairs, Σ == 0


@cache
def sum_groups(equations: tuple[Equation, ...], row: PhysicalRow) -> tuple[tuple[int, int], ...] | None:
    """The row's cells as consecutive groups (start, end) whose last cell is the sum of the others,
    one per identity instance (of `equations`) inside the row, covering every cell; None when its
    identities are not of that shape (or it has none)."""
    position = {key: i for i, key in enumerate(row.cells)}
    groups = []
    for equation in equations:
        if not all(key in position for key, _ in equation):
            continue
        cells = sorted(position[key] for key, _ in equation)
        coef = {position[key]: c for key, c in equation}
        total = cells[-1]
        if cells != list(range(cells[0], total + 1)) or coef[total] != 1 or any(coef[c] != -1 for c in cells[:-1]):
            return None
        groups.append((cells[0], total + 1))
    groups.sort()
    if not groups or groups[0][0] != 0 or groups[-1][1] != len(row.cells):
        return None
    if any(a[1] != b[0] for a, b in pairwise(groups)):
        return None
    return tuple(groups)


def sum_splits(texts: tuple[str, ...], groups: tuple[tuple[int, int], ...], limit: int) -> list[tuple[int, ...]] | None:
    """Every split of the digit strings `texts` into the groups' cells (a cell never spans two
    texts, and no number but 0 starts with 0) in which each group's last cell is the sum of the
    others; None when there are more than `limit` or the search takes over MAX_STEPS."""
    digits = "".join(texts)
    cuts = frozenset(accumulate(len(t) for t in texts))  # where a cell must end (text boundaries)
    crossing = [0] * (len(digits) + 1)  # crossing[i]: text boundaries strictly before position i
    for i in range(1, len(digits) + 1):
        crossing[i] = crossing[i - 1] + ((i - 1) in cuts and i - 1 > 0)
    nines = [0, *accumulate(int(d) for d in digits)] if digits.isdigit() else []  # digit sums of each prefix
    steps = [0]
    out: list[tuple[int, ...]] = []

    def cell(a: int, b: int) -> int | None:
        """digits[a:b] as a cell, or None (spans a text boundary, or a leading zero)."""
        steps[0] += 1
        if steps[0] > MAX_STEPS:
            raise _TooMany
        if crossing[b] - crossing[a + 1] or (digits[a] == "0" and b - a > 1):
            return None
        return int(digits[a:b])

    memo: dict[tuple[int, int, int, int], list[tuple[int, ...]]] = {}

    def parts(a: int, b: int, k: int, total: int) -> list[tuple[int, ...]]:
        """Splits of digits[a:b] into k cells that sum to `total` (each state solved once)."""
        if k == 0:
            return [()] if a == b and total == 0 else []
        state = (a, b, k, total)
        known = memo.get(state)
        if known is not None:
            return known
        found: list[tuple[int, ...]] = []
        memo[state] = found
        widest = min(len(str(total)), b - a - (k - 1))
        if b - a > k * widest or total > k * (10 ** (b - a - k + 1) - 1):
            return found  # too many digits left for k cells no larger than the total, or too few
        for width in range(1, widest + 1):
            value = cell(a, a + width)
            if value is None:
                break  # a wider cell starts with the same 0, or spans the same boundary
            if value > total:
                break
            found += [(value, *rest) for rest in parts(a + width, b, k - 1, total - value)]
            if len(found) > limit:
                raise _TooMany
        return found

    def place(g: int, a: int, done: tuple[int, ...]) -> None:
        start, end = groups[g]
        k = end - start - 1  # the cells before the group's total
        after = groups[-1][1] - end  # cells after this group
        last = g == len(groups) - 1
        for e in range(a + k + 1, len(digits) - after + 1):
            if last and e != len(digits):
                continue
            for s in range(e - 1, a + k - 1, -1):
                if (nines[s] - nines[a] - nines[e] + nines[s]) % 9:
                    continue  # parts that sum to the total have its digit sum, modulo 9 (casting out nines)
                total = cell(s, e)
                if total is None:
                    if crossing[e] - crossing[s + 1]:
                        break  # wider totals span the boundary too
                    continue
                for found in parts(a, s, k, total):
                    if g + 1 < len(groups):
                        place(g + 1, e, (*done, *found, total))
                    else:
                        out.append((*done, *found, total))
                        if len(out) > limit:
                            raise _TooMany

    if not digits or not digits.isdigit():
        return []
    try:
        place(0, 0, ())
    except _TooMany:
        return None
    return out
