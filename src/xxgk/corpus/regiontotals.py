"""X071/X072: a region's summary (汇总) report against the sum of its agencies' reports, cell by cell.

Which report is a region's summary: a report of the region's government (kind `government`) whose title
or printed agency name says 全省/全市/全州/全盟/全县/全区/全旗 or 汇总, or any report of an agency the
user's `agencies.toml` marks `summary = true`. The government's ordinary annual report (本级) is not a
summary: by 条例第五十条 it reports the government itself, and its own figures are one of the parts.

Which reports are summed: every other latest report of the same year and the same region (its GB/T 2260
code when known, otherwise the chain of place names its name starts with): the government's own report
when it is published apart from the summary, its departments and its townships. Reports of the regions
below (a city's counties) have their own code and are not summed: a 全市 report that also counts its
counties is compared only with the city's own bodies, so a city's difference may be that (hence a warning).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from xxgk.corpus.agencies import region_path
from xxgk.corpus.records import CorpusReport, Number
from xxgk.findings import Finding
from xxgk.format import load_format

SUMMED_TABLES = ("t2.", "t3.", "t4.")
# Money is rounded to 万元 by each report, so a sum of rounded amounts need not equal the rounded total.
NOT_SUMMED = ("amount_wan_yuan",)
_SUMMARY_WORDS = re.compile(r"全(?:省|市|州|盟|县|区|旗)(?!直)|汇总")
Compared = tuple[Finding, CorpusReport, str]  # a finding, the summary it is about, its region
LISTED = 5  # cells and reports named in the X072 note; the rest are counted


def region_of(report: CorpusReport) -> str | None:
    if report.region:
        return report.region
    path = region_path(report.agency_key or "")
    return "/".join(path) or None


def is_summary(report: CorpusReport, marked: frozenset[str] = frozenset()) -> bool:
    if report.agency_key in marked:
        return True
    if report.kind != "government":
        return False  # a department's 汇总 sums its own units, not the region
    words = f"{report.title or ''} {report.agency_name or ''}"
    return bool(_SUMMARY_WORDS.search(words))


def summed_cells(summary: CorpusReport) -> list[str]:
    return sorted(
        key
        for key, value in summary.cells.items()
        if value is not None and key.startswith(SUMMED_TABLES) and not key.endswith(NOT_SUMMED)
    )


def region_totals(latest: Iterable[CorpusReport], marked: frozenset[str] = frozenset()) -> Iterator[Compared]:
    """(finding, summary report, region) for every cell where a summary differs from its parts' sum."""
    groups: dict[tuple[str, int], list[CorpusReport]] = defaultdict(list)
    for report in latest:
        region = region_of(report)
        if region and report.year is not None and report.agency_key:
            groups[(region, report.year)].append(report)
    for (region, _year), reports in sorted(groups.items()):
        summaries = [r for r in reports if is_summary(r, marked)]
        parts = [r for r in reports if not is_summary(r, marked)]
        if not parts:
            continue
        for summary in summaries:
            yield from _compare(summary, parts, region)


def _compare(summary: CorpusReport, parts: list[CorpusReport], region: str) -> Iterator[Compared]:
    skipped: dict[str, list[str]] = {}  # cell -> names of the reports that lack it
    for key in summed_cells(summary):
        values = [p.value(key) for p in parts]
        if any(v is None for v in values):
            # missing is not zero: one unread cell would make any sum wrong
            skipped[key] = [p.agency_key or p.path for p, v in zip(parts, values, strict=True) if v is None]
            continue
        total: Number = sum(values)  # type: ignore[arg-type]
        found = summary.value(key)
        if found == total:
            continue
        finding = Finding(
            "X071",
            key,
            expected=total,
            found=found,
            params={"difference": found - total, "count": len(parts)},  # type: ignore[operator]
        )
        yield finding, summary, region
    if skipped:
        spec = load_format(summary.spec_id)
        names = [spec.location_name(k) for k in list(skipped)[:LISTED]]
        lacking = sorted({name for who in skipped.values() for name in who})
        finding = Finding(
            "X072",
            "agency",
            found=sorted(skipped),
            params={
                "cells": len(skipped),
                "examples": "、".join(names) + ("等" if len(skipped) > LISTED else ""),
                "reports": "、".join(lacking[:LISTED]) + (f"等{len(lacking)}份" if len(lacking) > LISTED else ""),
            },
        )
        yield finding, summary, region
