"""The X findings of `xxgk corpus check` with the 内容雷同 search as it was before it was made to scale
(every LSH candidate pair measured with `overlap`, both ways) against the current one, on a store.

Usage:
    python3 benchmarks/compare_similarity.py --db STORE.sqlite3

Prints the time of each and every finding that differs (code, report, location, share, other agency,
passages, message, fingerprint); exits 1 when any does. The earlier search hashed the shingles with
Python's `hash` (salted per process), the current one with a fixed polynomial: their LSH candidates are the
same pairs only where a pair's similarity makes it a candidate with near certainty (as it does for every
finding of the real corpus and of the generated ones measured, see docs/performance.md).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from functools import partial
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

import xxgk.rules  # noqa: E402, F401  (the catalogue, for the findings' messages)
from xxgk.corpus import crossrules, similarity  # noqa: E402
from xxgk.corpus.records import CorpusReport  # noqa: E402
from xxgk.findings import Finding  # noqa: E402

# ---------------------------------------------------------------------------------------------
# The search as it was (commit 456039b), kept callable for the comparison


def old_overlap(text: str, other: str) -> similarity.Overlap:
    if len(text) < similarity.SHINGLE or len(other) < similarity.SHINGLE:
        return similarity.Overlap(0.0, [])
    theirs = similarity.shingles(other)
    covered = bytearray(len(text))
    for i in range(len(text) - similarity.SHINGLE + 1):
        if text[i : i + similarity.SHINGLE] in theirs:
            covered[i : i + similarity.SHINGLE] = b"\x01" * similarity.SHINGLE
    runs: list[str] = []
    start = None
    for i, flag in enumerate([*covered, 0]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= similarity.PASSAGE_MIN:
                runs.append(text[start:i])
            start = None
    runs.sort(key=len, reverse=True)
    shown = [r if len(r) <= 60 else r[:60] + "…" for r in runs[:3]]
    return similarity.Overlap(sum(covered) / len(text), shown)


def old_signature(text: str) -> np.ndarray:
    hashes = np.fromiter(
        (hash(s) & similarity._MASK for s in similarity.shingles(text, similarity.SIGNATURE_SHINGLE)),
        dtype=np.uint64,
    )
    if hashes.size == 0:
        return np.full(similarity.PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    values = (np.outer(similarity._A, hashes) + similarity._B[:, None]) % np.uint64(similarity._MERSENNE)
    return np.asarray(values.min(axis=1))


def old_candidates(texts: Mapping[int, str]) -> set[tuple[int, int]]:
    rows = similarity.PERMUTATIONS // similarity.BANDS
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    for ident, text in texts.items():
        if len(text) < similarity.MIN_CHARS:
            continue
        sig = old_signature(text)
        for band in range(similarity.BANDS):
            buckets[(band, sig[band * rows : (band + 1) * rows].tobytes())].append(ident)
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        if 1 < len(members) <= similarity.BUCKET_CAP:
            ordered = sorted(members)
            pairs.update((a, b) for n, a in enumerate(ordered) for b in ordered[n + 1 :])
    return pairs


def old_similar_pairs(
    texts: Mapping[int, str], threshold: float
) -> Iterable[tuple[int, int, similarity.Overlap, similarity.Overlap]]:
    for a, b in sorted(old_candidates(texts)):
        ab, ba = similarity.overlap(texts[a], texts[b]), similarity.overlap(texts[b], texts[a])
        if ab.share > threshold or ba.share > threshold:
            yield a, b, ab, ba


def _keep_best(
    best: dict[int, tuple[float, str, list[str]]],
    threshold: float,
    report_id: int,
    share: float,
    counterpart: CorpusReport,
    passages: list[str],
) -> None:
    if share > threshold and share > best.get(report_id, (0.0, "", []))[0]:
        best[report_id] = (share, counterpart.agency_key or "", passages)


def old_copied_from_others(
    latest: list[CorpusReport], settings: crossrules.CrossSettings
) -> Iterator[crossrules.CrossResult]:
    by_year: dict[int, list[CorpusReport]] = defaultdict(list)
    for r in latest:
        if r.year is not None and r.agency_key:
            by_year[r.year].append(r)
    for year, reports in sorted(by_year.items()):
        by_id = {r.id: r for r in reports}
        for key in settings.sections:
            texts = {r.id: similarity.normalised(r.sections.get(key, "")) for r in reports}
            texts = {i: t for i, t in texts.items() if len(t) >= similarity.MIN_CHARS}
            best: dict[int, tuple[float, str, list[str]]] = {}
            note = partial(_keep_best, best, settings.similar_share)
            groups, unique, copies = crossrules.exact_copies(texts, by_id)  # (the exact copies: unchanged)
            for i, twin, passages in copies:
                note(i, 1.0, twin, passages)
            for a, b, ab, ba in old_similar_pairs(unique, settings.similar_share):
                if by_id[a].agency_key == by_id[b].agency_key:
                    continue
                for x, y, o in ((a, b, ab), (b, a, ba)):
                    for member in groups[unique[x]]:
                        note(member, o.share, by_id[y], o.passages)
            for report_id, (share, other, passages) in sorted(best.items()):
                report = by_id[report_id]
                finding = Finding(
                    "X032",
                    key,
                    found=round(share, 3),
                    params={
                        "share": crossrules._percent(share),
                        "other": other,
                        "passages": crossrules._passages(passages),
                    },
                )
                yield crossrules._result(finding, report, report.agency_key, year, other)


# ---------------------------------------------------------------------------------------------


def described(results: list[crossrules.CrossResult]) -> list[tuple[object, ...]]:
    return sorted(
        (
            r.finding.code,
            r.report_id or 0,
            r.agency_key or "",
            r.year or 0,
            r.finding.location,
            repr(r.finding.found),
            repr(sorted(r.finding.params.items())),
            r.message,
            r.fingerprint,
        )
        for r in results
    )


def compare(latest: list[CorpusReport], versions: list[CorpusReport]) -> tuple[int, float, float]:
    """(number of findings that differ, seconds before, seconds now) of `check_corpus` on these reports."""
    settings = crossrules.CrossSettings()
    crossrules.check_corpus(latest[:50], versions[:50], settings)  # (the catalogue and formats loaded)
    start = time.perf_counter()
    now = crossrules.check_corpus(latest, versions, settings)
    new_seconds = time.perf_counter() - start
    current = crossrules.copied_from_others, similarity.overlap
    crossrules.copied_from_others, similarity.overlap = old_copied_from_others, old_overlap
    try:
        start = time.perf_counter()
        before = crossrules.check_corpus(latest, versions, settings)
        old_seconds = time.perf_counter() - start
    finally:
        crossrules.copied_from_others, similarity.overlap = current
    a, b = described(before), described(now)
    differing = sorted(set(a) ^ set(b))
    for row in differing[:20]:
        print(("before " if row in set(a) else "now    ") + re.sub(r"\s+", " ", repr(row))[:300])
    return len(differing), old_seconds, new_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True)
    args = parser.parse_args()
    from xxgk.corpus.store import open_store

    store = open_store(db=args.db)
    versions = store.reports(latest=False)
    latest = [r for r in versions if r.latest]
    store.close()
    differing, old_seconds, new_seconds = compare(latest, versions)
    x032 = sum(1 for r in crossrules.check_corpus(latest, versions) if r.finding.code == "X032")
    print(
        f"{len(latest)} reports, {x032} X032 findings: check before {old_seconds:.2f} s, now {new_seconds:.2f} s; "
        f"{differing} findings differ"
    )
    raise SystemExit(1 if differing else 0)


if __name__ == "__main__":
    main()
