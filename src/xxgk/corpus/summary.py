"""The arithmetic of a region's figures: counts and shares over stored reports, with Wilson intervals.

A share is computed only over the reports that read every cell it needs (missing is not zero): a report
whose 办结 total or outcome rows are missing is left out of that share and counted as such. Rankings list
only agencies whose sample (applications handled) reaches `min_sample`, each with its 95% Wilson interval,
ordered by the interval's lower bound (so a small lucky sample does not rank first).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from xxgk.corpus.records import CorpusReport, Number
from xxgk.format import load_format

Z95 = 1.959964
MIN_SAMPLE = 30  # applications handled, at least, to be ranked
HANDLED = "t3.processed_total.total"
RECEIVED = "t3.new_received.total"
GRANTED = ("t3.granted.total", "t3.partially_granted.total")
REVIEW, LITIGATION = "t4.review", ("t4.litigation_direct", "t4.litigation_after_review")


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (0, 0 for an empty sample)."""
    if n <= 0:
        return (0.0, 0.0)
    p = successes / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    denominator = 1 + z * z / n
    return (max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator))


def _rows(spec_id: str, group: str) -> tuple[str, ...]:
    return tuple(f"t3.{r.key}.total" for r in load_format(spec_id).tables["t3"].rows if r.group == group)


def _sum(report: CorpusReport, keys: Iterable[str]) -> Number | None:
    total: Number = 0
    for key in keys:
        value = report.value(key)
        if value is None:
            return None
        total += value
    return total


@dataclass
class Ratio:
    numerator: int = 0
    denominator: int = 0
    reports: int = 0  # reports counted
    left_out: int = 0  # reports with a needed cell missing

    def add(self, numerator: Number | None, denominator: Number | None) -> None:
        if numerator is None or denominator is None:
            self.left_out += 1
            return
        self.numerator += int(numerator)
        self.denominator += int(denominator)
        self.reports += 1

    @property
    def share(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.numerator, self.denominator)


@dataclass
class Figures:
    """The figures of one group (an agency, a region, a level, a year)."""

    name: str
    reports: int = 0
    expected: int = 0
    received: int = 0
    received_missing: int = 0
    handled: int = 0
    disclosed: Ratio = field(default_factory=Ratio)  # (予以公开 + 部分公开) / 办结
    withheld: Ratio = field(default_factory=Ratio)  # 不予公开 / 办结
    unable: Ratio = field(default_factory=Ratio)  # 无法提供 / 办结
    reviews: int = 0
    lawsuits: int = 0
    corrected: Ratio = field(default_factory=Ratio)  # 纠正 / 复议与诉讼 (已审结)
    findings: Counter[str] = field(default_factory=Counter)  # "error:C" → count (severity, family)

    def add(self, report: CorpusReport, finding_counts: Mapping[str, int] | None = None) -> None:
        self.reports += 1
        received = report.value(RECEIVED)
        if received is None:
            self.received_missing += 1
        else:
            self.received += int(received)
        handled = report.value(HANDLED)
        if handled is not None:
            self.handled += int(handled)
        self.disclosed.add(_sum(report, GRANTED), handled)
        self.withheld.add(_sum(report, _rows(report.spec_id, "withheld")), handled)
        self.unable.add(_sum(report, _rows(report.spec_id, "unable")), handled)
        review = report.value(f"{REVIEW}.total")
        lawsuits = _sum(report, (f"{g}.total" for g in LITIGATION))
        self.reviews += int(review or 0)
        self.lawsuits += int(lawsuits or 0)
        groups = (REVIEW, *LITIGATION)
        corrected = _sum(report, (f"{g}.corrected" for g in groups))
        decided = _sum(report, (f"{g}.{c}" for g in groups for c in ("upheld", "corrected", "other")))
        self.corrected.add(corrected, decided)
        self.findings.update(finding_counts or {})


@dataclass(frozen=True)
class Ranked:
    name: str
    share: float
    low: float
    high: float
    sample: int


@dataclass
class Summary:
    total: Figures
    by_agency: dict[str, Figures]
    by_region: dict[str, Figures]
    ranking: list[Ranked]
    min_sample: int


def summarise(
    reports: Iterable[CorpusReport],
    finding_counts: Mapping[int, Mapping[str, int]] | None = None,
    *,
    region_of: Callable[[CorpusReport], str] | None = None,
    expected: Mapping[str, int] | None = None,
    min_sample: int = MIN_SAMPLE,
) -> Summary:
    """Figures overall, per agency and per region; `finding_counts` maps a report id to "severity:family"
    counts; `expected` gives the number of reports expected per region (agencies known there)."""
    counts = finding_counts or {}
    total = Figures("合计")
    by_agency: dict[str, Figures] = {}
    by_region: dict[str, Figures] = defaultdict(lambda: Figures(""))
    for report in reports:
        key = report.agency_key or "（机关不详）"
        by_agency.setdefault(key, Figures(key)).add(report, counts.get(report.id))
        total.add(report, counts.get(report.id))
        region = region_of(report) if region_of else ""
        figures = by_region[region]
        figures.name = region or "（地区不详）"
        figures.add(report, counts.get(report.id))
    for region, n in (expected or {}).items():
        if region in by_region:
            by_region[region].expected = n
    total.expected = sum((expected or {}).values())
    ranking = sorted(
        (
            Ranked(name, f.disclosed.share or 0.0, *f.disclosed.interval, f.disclosed.denominator)
            for name, f in by_agency.items()
            if f.disclosed.denominator >= min_sample
        ),
        key=lambda r: (-r.low, r.name),
    )
    return Summary(total, dict(sorted(by_agency.items())), dict(sorted(by_region.items())), ranking, min_sample)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"
