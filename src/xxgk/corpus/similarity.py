"""内容雷同: how much of a narrative section is the same text as another report's.

Texts are compared on their characters with spaces and punctuation set aside, by shingles (runs of
`SHINGLE` characters). The share of a section that is identical with another text is the share of its
characters covered by shingles the other text also has; the shared passages are the runs of covered
characters, longest first. Candidates among many reports are found by MinHash signatures and LSH bands
(so 10,000 reports are not compared pair by pair); the share is then computed exactly for each candidate.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
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
    covered = bytearray(len(text))
    for i in range(len(text) - SHINGLE + 1):
        if text[i : i + SHINGLE] in theirs:
            covered[i : i + SHINGLE] = b"\x01" * SHINGLE
    runs: list[str] = []
    start = None
    for i, flag in enumerate([*covered, 0]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= PASSAGE_MIN:
                runs.append(text[start:i])
            start = None
    runs.sort(key=len, reverse=True)
    shown = [r if len(r) <= 60 else r[:60] + "…" for r in runs[:3]]
    return Overlap(sum(covered) / len(text), shown)


def signature(text: str) -> np.ndarray:
    """The MinHash signature of a text's shingles (PERMUTATIONS values).

    Shingles are hashed with Python's `hash` (salted per process): signatures are only compared within one
    run and never stored, and it is ~10 times faster than a cryptographic hash."""
    hashes = np.fromiter(
        (hash(s) & _MASK for s in shingles(text, SIGNATURE_SHINGLE)),
        dtype=np.uint64,
    )
    if hashes.size == 0:
        return np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    # (a·h + b) mod p for every permutation, with the overflow of uint64 arithmetic: a universal hash family
    values = (np.outer(_A, hashes) + _B[:, None]) % np.uint64(_MERSENNE)
    return np.asarray(values.min(axis=1))


def candidates(texts: Mapping[int, str]) -> set[tuple[int, int]]:
    """Pairs (i < j) of the texts whose signatures agree in at least one LSH band."""
    rows = PERMUTATIONS // BANDS
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    for ident, text in texts.items():
        if len(text) < MIN_CHARS:
            continue
        sig = signature(text)
        for band in range(BANDS):
            buckets[(band, sig[band * rows : (band + 1) * rows].tobytes())].append(ident)
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        if 1 < len(members) <= BUCKET_CAP:
            ordered = sorted(members)
            pairs.update((a, b) for n, a in enumerate(ordered) for b in ordered[n + 1 :])
    return pairs


def similar_pairs(texts: Mapping[int, str], threshold: float) -> Iterable[tuple[int, int, Overlap, Overlap]]:
    """(i, j, i's overlap with j, j's overlap with i) for candidate pairs where either share > threshold."""
    for a, b in sorted(candidates(texts)):
        ab, ba = overlap(texts[a], texts[b]), overlap(texts[b], texts[a])
        if ab.share > threshold or ba.share > threshold:
            yield a, b, ab, ba
