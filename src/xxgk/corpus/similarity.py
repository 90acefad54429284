"""内容雷同: how much of a narrative section is the same text as another report's.

Texts are compared on their characters with spaces and punctuation set aside, by shingles (runs of
`SHINGLE` characters). The share of a section that is identical with another text is the share of its
characters covered by shingles the other text also has; the shared passages are the runs of covered
characters, longest first. Candidates among many reports are found by MinHash signatures and LSH bands
(so 10,000 reports are not compared pair by pair); for each text, the share is then computed exactly for
the candidates that can still beat its best one, from the shingles each misses (few, for a copy).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Set
from dataclasses import dataclass

import numpy as np

SHINGLE = 8  # characters: long enough that common phrases ("政府信息公开") alone do not match
SIGNATURE_SHINGLE = 5  # shorter for the signatures, so that a lightly edited copy still collides
MIN_CHARS = 60  # a section shorter than this is not compared (a sentence or a "无")
PERMUTATIONS = 64
BANDS = 32  # 32 bands × 2 rows: a pair with a Jaccard of 0.3 collides in some band with p ≈ 0.95
BUCKET_CAP = 200  # a band value shared by more texts is boilerplate (exact copies are grouped before)
PASSAGE_MIN = 20  # shortest shared passage shown
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
_MERSENNE = (1 << 61) - 1
_MASK = (1 << 61) - 1
_BLOCK = 1 << 16  # shingles hashed together for signatures
_BASE = np.uint64(0x100000001B3)  # (the 64-bit FNV prime: odd, and spreads a code point over the bits)
_RNG = np.random.default_rng(20260101)  # fixed: signatures must not change between runs
_A = _RNG.integers(1, _MERSENNE, PERMUTATIONS, dtype=np.uint64)
_B = _RNG.integers(0, _MERSENNE, PERMUTATIONS, dtype=np.uint64)


def normalised(text: str) -> str:
    return _NOISE.sub("", text)


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    return {text[i : i + size] for i in range(len(text) - size + 1)}


@dataclass(frozen=True)
class Overlap:
    share: float  # of the first text's characters, in shingles the other text has
    passages: list[str]  # the shared runs, longest first (at most 3, each cut at 60 characters)


def overlap(text: str, other: str) -> Overlap:
    """How much of `text` is identical with `other` (both already `normalised`)."""
    if len(text) < SHINGLE or len(other) < SHINGLE:
        return Overlap(0.0, [])
    theirs = shingles(other)
    found = [i for i in range(len(text) - SHINGLE + 1) if text[i : i + SHINGLE] in theirs]
    # the covered characters: the shingles found, merged where they overlap or touch
    spans: list[tuple[int, int]] = []
    for i in found:
        if spans and i <= spans[-1][1]:
            spans[-1] = (spans[-1][0], i + SHINGLE)
        else:
            spans.append((i, i + SHINGLE))
    runs = [text[a:b] for a, b in spans if b - a >= PASSAGE_MIN]
    runs.sort(key=len, reverse=True)
    shown = [r if len(r) <= 60 else r[:60] + "…" for r in runs[:3]]
    return Overlap(sum(b - a for a, b in spans) / len(text), shown)


def signature(text: str) -> np.ndarray:
    """The MinHash signature of a text's shingles (PERMUTATIONS values).

    Shingles are hashed by a polynomial over their code points, the same in every run (Python's `hash` of
    text is salted per process: the LSH candidates, and so the 内容雷同 findings of a large corpus, changed
    slightly from one run to the next)."""
    found: np.ndarray = signatures([text])[0]
    return found


def signatures(texts: list[str]) -> np.ndarray:
    """The signatures of many texts (one row each), computed over all their shingles at once: numpy's
    per-call cost, not the arithmetic, is what one text at a time would spend."""
    hashed = [_hashes(t) for t in texts]
    out = np.full((len(texts), PERMUTATIONS), np.iinfo(np.uint64).max, dtype=np.uint64)
    start = 0
    while start < len(texts):
        # texts together up to ~64k shingles: a (64 × 64k) uint64 array, 32 MB
        stop, size = start, 0
        while stop < len(texts) and (size == 0 or size + hashed[stop].size <= _BLOCK):
            size += hashed[stop].size
            stop += 1
        rows = [i for i in range(start, stop) if hashed[i].size]
        if rows:
            hashes = np.concatenate([hashed[i] for i in rows])
            # (a·h + b) mod p for every permutation, with the overflow of uint64 arithmetic: a universal hash family
            values = (np.outer(_A, hashes) + _B[:, None]) % np.uint64(_MERSENNE)
            offsets = np.cumsum([0] + [hashed[i].size for i in rows[:-1]])
            out[rows] = np.minimum.reduceat(values, offsets, axis=1).T
        start = stop
    return out


def _hashes(text: str) -> np.ndarray:
    """The hash of the signature shingle at each position: Σ code·BASE^k over its characters, in uint64
    arithmetic (which wraps), to 61 bits. A shingle met twice gives the same value twice: the minimum, all a
    signature keeps, is the same as over the distinct shingles."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = codes.size - SIGNATURE_SHINGLE + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint64)
    found = np.zeros(count, dtype=np.uint64)
    for k in range(SIGNATURE_SHINGLE):
        found = found * _BASE + codes[k : k + count]
    return found & np.uint64(_MASK)


def candidates(texts: Mapping[int, str]) -> dict[int, set[int]]:
    """For each text, the others whose signatures agree with its own in at least one LSH band (bands
    shared by more than BUCKET_CAP texts are set aside)."""
    rows = PERMUTATIONS // BANDS
    idents = np.array([i for i, t in texts.items() if len(t) >= MIN_CHARS], dtype=np.int64)
    sigs = signatures([texts[int(i)] for i in idents])
    partners: dict[int, set[int]] = {int(i): set() for i in idents}
    for band in range(BANDS):
        values = np.ascontiguousarray(sigs[:, band * rows : (band + 1) * rows])
        keys = values.view(np.dtype((np.void, values.dtype.itemsize * rows))).ravel()
        _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        order = np.argsort(inverse, kind="stable")
        ends = np.cumsum(counts)
        for bucket in np.flatnonzero((counts > 1) & (counts <= BUCKET_CAP)):
            members = idents[order[ends[bucket] - counts[bucket] : ends[bucket]]].tolist()
            for ident in members:
                partners[ident].update(members)
    for ident, found in partners.items():
        found.discard(ident)
    return partners


class Shingled:
    """A text's shingles and where each starts: what `share` needs, made once per text."""

    __slots__ = ("_where", "keys", "length", "positions", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.keys = frozenset(shingles(text))
        self.length = len(text)
        self.positions = max(0, len(text) - SHINGLE + 1)
        self._where: dict[str, list[int]] | None = None

    @property
    def where(self) -> dict[str, list[int]]:
        """Each shingle → its start positions (made when first needed: only near copies are counted)."""
        if self._where is None:
            self._where = {}
            for i in range(self.positions):
                self._where.setdefault(self.text[i : i + SHINGLE], []).append(i)
        return self._where

    def bound(self, missing: int) -> float:
        """The most `share` can be with `missing` of the shingles not in the other text: each shingle found
        covers SHINGLE characters at most."""
        return min(self.length, SHINGLE * (self.positions - missing)) / self.length

    def covered(self, missing: Set[str]) -> float:
        """The share of the text's characters covered by its shingles other than `missing`. A character is
        left uncovered only when every shingle over it is missing, so only the runs of positions of the
        missing shingles (few, for a copy) are counted."""
        if not missing:
            return 1.0
        where = self.where
        misses = sorted(i for key in missing for i in where[key])
        uncovered = 0
        first = last = misses[0]
        for i in [*misses[1:], -1]:
            if i == last + 1:
                last = i
                continue
            # the characters whose every shingle starts in first..last
            low = 0 if first == 0 else first + SHINGLE - 1
            high = self.length - 1 if last == self.positions - 1 else last
            uncovered += max(0, high - low + 1)
            first = last = i
        return (self.length - uncovered) / self.length


def share(text: Shingled, other: Shingled) -> float:
    """`overlap(text, other).share`, the same number, from the shingles of `text` missing in `other`."""
    if text.length < SHINGLE or other.length < SHINGLE:
        return 0.0
    return text.covered(text.keys - other.keys)


def best_counterparts(
    texts: Mapping[int, str], owner: Mapping[int, str | None], threshold: float, wanted: Set[int] | None = None
) -> dict[int, tuple[float, int]]:
    """For each text (of `wanted`, default all), the text of another owner that covers most of it, when
    more than `threshold`: (share, its id), the lowest id among equal shares. Only LSH candidates are
    compared, and a candidate is counted only when a bound on its share (from the number of its shingles
    missing) can beat the best so far."""
    shingled: dict[int, Shingled] = {}

    def made(ident: int) -> Shingled:
        found = shingled.get(ident)
        if found is None:
            found = shingled[ident] = Shingled(texts[ident])
        return found

    best: dict[int, tuple[float, int]] = {}
    for ident, partners in candidates(texts).items():
        if wanted is not None and ident not in wanted:
            continue
        mine, top, who = made(ident), threshold, -1
        counted: dict[frozenset[str], float] = {}  # (copies of one template often miss the same shingles)
        for other in sorted(partners):
            if owner[other] == owner[ident]:
                continue
            missing = mine.keys - made(other).keys
            if mine.bound(len(missing)) <= top:
                continue  # (the exact share is no more than the bound: it cannot be the best)
            found = counted.get(missing)
            if found is None:
                found = counted[missing] = mine.covered(missing)
            if found > top:
                top, who = found, other
                if top == 1.0:
                    break
        if who >= 0:
            best[ident] = (top, who)
    return best
