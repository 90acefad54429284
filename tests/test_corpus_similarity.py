"""内容雷同 at scale: the fast share, signatures and best-counterpart search give exactly what the plain
definitions give (the search as it was is kept in benchmarks/compare_similarity.py and compared here on
a small corpus with template copies, exact copies and unrelated texts)."""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from pathlib import Path

from xxgk.corpus import similarity
from xxgk.corpus.crossrules import CrossSettings
from xxgk.corpus.records import CorpusReport

from .corpus_gen import random_text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from compare_similarity import compare, old_overlap  # noqa: E402


def _edited(text: str, share: float, rng: random.Random, alphabet: str) -> str:
    chars = list(text)
    for i in rng.sample(range(len(chars)), int(len(chars) * share)):
        chars[i] = rng.choice(alphabet)
    return "".join(chars)


def test_overlap_and_share_equal_the_per_character_definition() -> None:
    rng = random.Random(21)
    checked = 0
    for alphabet in ("甲乙丙", "甲乙丙丁戊己庚辛壬癸子丑"):
        for _ in range(120):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(8, 160)))
            other = _edited(text, rng.choice((0.0, 0.02, 0.1, 0.4)), rng, alphabet)
            if rng.random() < 0.3:
                other = other[rng.randint(0, len(other) // 2) :] + "".join(rng.choice(alphabet) for _ in range(30))
            expected = old_overlap(text, other)
            assert similarity.overlap(text, other) == expected
            fast = similarity.share(similarity.Shingled(text), similarity.Shingled(other))
            assert fast == expected.share, (text, other)
            checked += expected.share not in (0.0, 1.0)
    assert checked > 100  # (most pairs are partly covered: the runs and their ends are exercised)


def _poly(shingle: str) -> int:
    """A shingle's hash by its definition: Σ code·BASE^k in 64 bits (no salt: the same in every run), to 61."""
    h = 0
    for char in shingle:
        h = (h * 0x100000001B3 + ord(char)) % 2**64
    return h & (2**61 - 1)


def _signature(text: str) -> list[int]:
    """MinHash by its definition: the least (a·h + b) mod p over the distinct shingles."""
    size = similarity.SIGNATURE_SHINGLE
    hashes = {_poly(text[i : i + size]) for i in range(len(text) - size + 1)}
    if not hashes:
        return [2**64 - 1] * similarity.PERMUTATIONS
    return [
        min((int(a) * h + int(b)) % 2**64 % similarity._MERSENNE for h in hashes)
        for a, b in zip(similarity._A, similarity._B, strict=True)
    ]


def test_signatures_of_many_texts_follow_the_definition() -> None:
    rng = random.Random(5)
    texts = [random_text(rng, rng.randint(1, 200)) for _ in range(40)] + ["短", "重复重复重复重复重复"]
    together = similarity.signatures(texts)
    assert together.shape == (len(texts), similarity.PERMUTATIONS)
    for text, row in zip(texts, together, strict=True):
        assert row.tolist() == _signature(text)
    assert similarity._hashes("甲乙丙丁戊己").tolist() == [_poly("甲乙丙丁戊"), _poly("乙丙丁戊己")]


def test_best_counterpart_is_the_first_of_the_highest_candidates() -> None:
    rng = random.Random(8)
    template = random_text(rng, 150)
    texts = {}
    for n in range(45):  # a template filled in with each agency's name, and unrelated texts
        texts[n] = template[:40] + f"某某市第{n}局" + template[40:] if n % 3 else random_text(rng, 120)
    texts[45] = texts[2]  # an exact copy (same owner as 2: not a counterpart of 2)
    owner = {n: f"第{n}局" for n in texts} | {45: "第2局"}
    found = similarity.best_counterparts(texts, owner, 0.5)
    pairs = similarity.candidates(texts)
    for ident, partners in pairs.items():
        shares = [(old_overlap(texts[ident], texts[o]).share, -o) for o in partners if owner[o] != owner[ident]]
        top = max(shares, default=(0.0, 0))
        if top[0] > 0.5:
            assert found[ident] == (top[0], -top[1])
        else:
            assert ident not in found
    assert sum(1 for n in found if n % 3) >= 25  # (the template copies do find each other)


def _report(ident: int, agency: str, sections: dict[str, str]) -> CorpusReport:
    return CorpusReport(
        id=ident,
        agency_key=agency,
        agency_name=agency,
        level="county",
        kind="department",
        year=2024,
        version=1,
        spec_id="gov2021",
        title=None,
        published_on=None,
        source_published_at=None,
        path=f"{ident}.txt",
        sha256=str(ident),
        cells={},
        sections=sections,
    )


def test_findings_equal_the_search_as_it_was() -> None:
    rng = random.Random(13)
    template = {key: random_text(rng, 160) for key in ("s1_overview", "s5_problems", "s6_other")}
    reports = []
    for n in range(30):
        name = f"某某县第{n}局"
        sections = {
            "s1_overview": f"{name}{template['s1_overview']}",
            "s5_problems": template["s5_problems"] if n % 4 == 0 else random_text(rng, 100),
            "s6_other": random_text(rng, 70) + name + "2025年1月15日",
        }
        reports.append(_report(n + 1, name, sections))
    reports.append(replace(reports[3], id=99, sha256="99"))  # the same agency twice
    differing, _, _ = compare(reports, reports)
    assert differing == 0
    from xxgk.corpus.crossrules import copied_from_others

    found = list(copied_from_others(reports, CrossSettings()))
    assert {r.finding.location for r in found} == {"s1_overview", "s5_problems"}


def test_real_reports_give_the_findings_they_gave() -> None:
    """(The whole real corpus and the seeds: benchmarks/compare_similarity.py on a store, also 0 differing.)"""
    from xxgk.api import read_report
    from xxgk.corpus.records import from_report
    from xxgk.errors import XxgkError

    from .conftest import CORPUS, SEEDS

    reports = []
    for path in [*sorted(CORPUS.glob("*.txt")), *sorted(CORPUS.glob("*.html")), *SEEDS]:
        try:
            reports.append(from_report(read_report(path), len(reports) + 1))
        except XxgkError:
            continue  # (a file that is no report)
    assert len(reports) >= 15
    differing, _, _ = compare(reports, reports)
    assert differing == 0
    from xxgk.corpus.crossrules import copied_from_others

    assert len(list(copied_from_others(reports, CrossSettings()))) == 2  # (a text two agencies share)
