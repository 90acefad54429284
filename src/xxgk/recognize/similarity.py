"""How far a printed label is from a label of the format: an edit distance, with how many edits a
label of a given length may take and still be that label (typos of more than one character)."""

from __future__ import annotations

import re

# A label's leading enumeration, as matching keys print it: "5." "(一)" "一、". A typo'd label keeps
# its number: two labels that differ in it are different rows (3.其他 and 4.其他 are not typos).
_ENUMERATION = re.compile(r"^(?:\d{1,2}[.、]|\([一二三四五六七八九十]{1,2}\)|[一二三四五六七八九十]{1,2}、)")

MIN_SIMILAR_LABEL = 7  # shorter labels (规章, 3.其他, 行政许可) are too close to other words


def allowed_edits(length: int) -> int:
    """Edits a label of `length` characters may take and still be recognised: one in five
    (5.属于三类内部信息 for 5.属于三类内部事务信息 is 2 of 12), none below MIN_SIMILAR_LABEL."""
    return length // 5 if length >= MIN_SIMILAR_LABEL else 0


def enumeration(key: str) -> str:
    """The leading enumeration of a label key ("5.", "(一)", "一、"), or ""."""
    m = _ENUMERATION.match(key)
    return m.group() if m else ""


def edit_distance(a: str, b: str, limit: int) -> int:
    """The Levenshtein distance of `a` and `b`, or `limit + 1` as soon as it must exceed `limit`
    (labels are short, and most pairs compared are far apart: cut early)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if a == b:
        return 0
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        best = i
        for j, cb in enumerate(b, start=1):
            cost = previous[j - 1] + (ca != cb)
            insert = current[j - 1] + 1
            delete = previous[j] + 1
            d = min(cost, insert, delete)
            current.append(d)
            best = min(best, d)
        if best > limit:
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)


def close_enough(label: str, key: str) -> int | None:
    """The edit distance of the printed `key` from the format's `label` when it is within the
    label's allowance and both have the same enumeration; None otherwise."""
    limit = allowed_edits(len(label))
    if limit == 0 or enumeration(label) != enumeration(key):
        return None
    d = edit_distance(label, key, limit)
    return d if d <= limit else None
