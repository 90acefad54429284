"""The X rules over stored reports: one agency across years, several agencies in one year, versions.

Input: the core's `CorpusReport` records (the latest version of every report, and every version for the
version rules); output: `CrossResult`s, each a catalogue Finding with the agency, year and report it is
about and its stable fingerprint. Nothing here touches the database.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any, NamedTuple

from xxgk.corpus import similarity
from xxgk.corpus.changes import describe
from xxgk.corpus.deadlines import DeadlineTable, load_deadlines
from xxgk.corpus.fingerprint import fingerprint
from xxgk.corpus.records import CorpusReport, Number
from xxgk.corpus.regiontotals import region_totals
from xxgk.findings import Finding
from xxgk.format import load_format

CARRY_IN, CARRY_OUT = "t3.carried_over_in", "t3.carried_over_out"
STOCK_ROWS = ("regulations", "normative_documents")
FEE_CELL = "t3.other_fee_unpaid.total"
NARRATIVE = ("s1_overview", "s2_proactive", "s3_applications", "s4_review_litigation", "s5_problems", "s6_other")
SIMILAR_SHARE = 0.5
# Versions this different are two reports, not one report modified: the share of cells both read that differ.
DIFFERENT_REPORTS_SHARE = 0.5
_FEE_WORDS = re.compile(r"信息处理费")
_FEE_CHARGED = re.compile(r"(收取|收缴|收到)[^。；;，,]{0,12}信息处理费[^。；;]{0,20}?(\d+(?:\.\d+)?)\s*(元|件|笔|次)")
_FEE_NEGATED = re.compile(r"(未|没有|无|不)[^。；;，,]{0,6}(收取|收缴|产生)")


@dataclass(frozen=True)
class CrossResult:
    finding: Finding
    agency_key: str | None
    year: int | None
    report_id: int | None
    fingerprint: str
    message: str = ""
    severity: str = ""


@dataclass
class CrossSettings:
    similar_share: float = SIMILAR_SHARE
    deadlines: DeadlineTable | None = None
    sections: tuple[str, ...] = NARRATIVE
    select: frozenset[str] = field(default_factory=frozenset)
    summary_agencies: frozenset[str] = field(default_factory=frozenset)  # marked `summary = true` by the user


def _result(
    finding: Finding, report: CorpusReport | None, agency: str | None, year: int | None, *scope: Any
) -> CrossResult:
    spec = load_format(report.spec_id if report else "gov2021")
    fp = fingerprint(finding.code, finding.location, finding.expected, finding.found, agency, year, *scope)
    return CrossResult(
        finding,
        agency,
        year,
        report.id if report else None,
        fp,
        finding.message(spec),
        str(finding.severity),
    )


def check_corpus(
    latest: list[CorpusReport], versions: list[CorpusReport] | None = None, settings: CrossSettings | None = None
) -> list[CrossResult]:
    settings = settings or CrossSettings()
    by_agency_year: dict[tuple[str, int], CorpusReport] = {}
    for r in latest:
        if r.agency_key and r.year is not None:
            by_agency_year[(r.agency_key, r.year)] = r
    out: list[CrossResult] = []
    out += carry_over(by_agency_year)
    out += stock(by_agency_year)
    out += copied_from_last_year(by_agency_year, settings)
    out += copied_from_others(latest, settings)
    out += missing_reports(by_agency_year)
    out += version_findings(versions or [])
    out += fees(latest)
    out += deadlines(latest, settings.deadlines or load_deadlines())
    out += [
        _result(finding, summary, summary.agency_key, summary.year, region)
        for finding, summary, region in region_totals(by_agency_year.values(), settings.summary_agencies)
    ]
    if settings.select:
        out = [r for r in out if r.finding.code in settings.select]
    return out


def _pairs(by_agency_year: dict[tuple[str, int], CorpusReport]) -> Iterator[tuple[CorpusReport, CorpusReport]]:
    """(last year's report, this year's) for every agency with both."""
    for (agency, year), report in sorted(by_agency_year.items()):
        previous = by_agency_year.get((agency, year - 1))
        if previous is not None:
            yield previous, report


def carry_over(by_agency_year: dict[tuple[str, int], CorpusReport]) -> Iterator[CrossResult]:
    for previous, report in _pairs(by_agency_year):
        columns = [c.key for c in load_format(report.spec_id).tables["t3"].columns]
        for column in columns:
            carried_in = report.value(f"{CARRY_IN}.{column}")
            carried_out = previous.value(f"{CARRY_OUT}.{column}")
            if carried_in is None or carried_out is None or carried_in == carried_out:
                continue  # (missing is not zero: a cell either report could not read is not compared)
            finding = Finding(
                "X011",
                f"{CARRY_IN}.{column}",
                expected=carried_out,
                found=carried_in,
                params={"previous_year": previous.year},
            )
            yield _result(finding, report, report.agency_key, report.year)


def stock(by_agency_year: dict[tuple[str, int], CorpusReport]) -> Iterator[CrossResult]:
    for previous, report in _pairs(by_agency_year):
        if previous.spec_id != report.spec_id:
            continue  # (the 2019 format counts every document ever published, not those in force)
        for row in STOCK_ROWS:
            before = previous.value(f"t2.{row}.in_force")
            issued = report.value(f"t2.{row}.issued")
            repealed = report.value(f"t2.{row}.repealed")
            now = report.value(f"t2.{row}.in_force")
            if None in (before, issued, repealed, now):
                continue
            expected = before + issued - repealed  # type: ignore[operator]
            if expected == now:
                continue
            finding = Finding(
                "X021",
                f"t2.{row}.in_force",
                expected=expected,
                found=now,
                params={
                    "previous": before,
                    "issued": issued,
                    "repealed": repealed,
                    "difference": now - expected,  # type: ignore[operator]
                },
            )
            yield _result(finding, report, report.agency_key, report.year)


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def _passages(passages: list[str]) -> str:
    return "；".join(f"“{p}”" for p in passages) or "（见原文）"


def copied_from_last_year(
    by_agency_year: dict[tuple[str, int], CorpusReport], settings: CrossSettings
) -> Iterator[CrossResult]:
    for previous, report in _pairs(by_agency_year):
        for key in settings.sections:
            text = similarity.normalised(report.sections.get(key, ""))
            before = similarity.normalised(previous.sections.get(key, ""))
            if len(text) < similarity.MIN_CHARS or not before:
                continue
            found = similarity.overlap(text, before)
            if found.share <= settings.similar_share:
                continue
            finding = Finding(
                "X031",
                key,
                expected=None,
                found=round(found.share, 3),
                params={
                    "share": _percent(found.share),
                    "previous_year": previous.year,
                    "passages": _passages(found.passages),
                },
            )
            yield _result(finding, report, report.agency_key, report.year, previous.year)


class ExactCopies(NamedTuple):
    groups: dict[str, list[int]]  # each distinct text -> the reports printing it
    unique: dict[int, str]  # one report per distinct text -> the text
    copies: list[tuple[int, CorpusReport, list[str]]]  # (report, another agency's word-for-word twin, passages)


def exact_copies(texts: dict[int, str], by_id: dict[int, CorpusReport]) -> ExactCopies:
    """The reports' texts grouped where they are the same, and the copies among agencies."""
    groups: dict[str, list[int]] = defaultdict(list)
    for ident, text in texts.items():
        groups[text].append(ident)
    unique: dict[int, str] = {}
    copies: list[tuple[int, CorpusReport, list[str]]] = []
    for text, members in groups.items():
        unique[members[0]] = text
        if len({by_id[i].agency_key for i in members}) > 1:
            passages = similarity.overlap(text, text).passages
            for i in members:
                twin = next(by_id[j] for j in members if by_id[j].agency_key != by_id[i].agency_key)
                copies.append((i, twin, passages))
    return ExactCopies(groups, unique, copies)


def copied_from_others(latest: list[CorpusReport], settings: CrossSettings) -> Iterator[CrossResult]:
    """Per year and section: exact copies grouped by their text, near copies found by LSH."""
    by_year: dict[int, list[CorpusReport]] = defaultdict(list)
    for r in latest:
        if r.year is not None and r.agency_key:
            by_year[r.year].append(r)
    for year, reports in sorted(by_year.items()):
        by_id = {r.id: r for r in reports}
        for key in settings.sections:
            texts = {r.id: similarity.normalised(r.sections.get(key, "")) for r in reports}
            texts = {i: t for i, t in texts.items() if len(t) >= similarity.MIN_CHARS}
            best: dict[int, tuple[float, str, list[str]]] = {}  # report id -> (share, other agency, passages)

            groups, unique, copies = exact_copies(texts, by_id)
            for i, twin, passages in copies:
                best[i] = (1.0, twin.agency_key or "", passages)
            # (a text another agency copied exactly is at 100% already: only the others look for near copies)
            wanted = {i for i in unique if i not in best}
            owners = {i: by_id[i].agency_key for i in unique}
            near = similarity.best_counterparts(unique, owners, settings.similar_share, wanted)
            for ident, (share, other) in near.items():
                passages = similarity.overlap(unique[ident], unique[other]).passages
                for member in groups[unique[ident]]:
                    best[member] = (share, by_id[other].agency_key or "", passages)
            for report_id, (share, other_agency, passages) in sorted(best.items()):
                report = by_id[report_id]
                finding = Finding(
                    "X032",
                    key,
                    found=round(share, 3),
                    params={"share": _percent(share), "other": other_agency, "passages": _passages(passages)},
                )
                yield _result(finding, report, report.agency_key, year, other_agency)


def missing_reports(by_agency_year: dict[tuple[str, int], CorpusReport]) -> Iterator[CrossResult]:
    years = {year for _, year in by_agency_year}
    for agency, year in sorted(by_agency_year):
        if year + 1 in years and (agency, year + 1) not in by_agency_year:
            finding = Finding("X041", "agency", params={"agency": agency, "previous_year": year, "year": year + 1})
            yield _result(finding, None, agency, year + 1)


def version_findings(versions: list[CorpusReport]) -> Iterator[CrossResult]:
    """Per agency and year: each new version (发布后被修改), or two different reports (X042)."""
    by_key: dict[tuple[str, int], list[CorpusReport]] = defaultdict(list)
    for r in versions:
        if r.agency_key and r.year is not None:
            by_key[(r.agency_key, r.year)].append(r)
    for (agency, year), reports in sorted(by_key.items()):
        ordered = sorted(reports, key=lambda r: (r.version, r.id))
        for before, after in pairwise(ordered):
            if after.version == before.version:
                continue  # the same report in another form
            both = [k for k, v in after.cells.items() if v is not None and before.cells.get(k) is not None]
            differing = [(k, before.cells[k], after.cells[k]) for k in both if before.cells[k] != after.cells[k]]
            sections = [
                k
                for k in NARRATIVE
                if similarity.overlap(
                    similarity.normalised(after.sections.get(k, "")), similarity.normalised(before.sections.get(k, ""))
                ).share
                < 0.5
                and len(similarity.normalised(after.sections.get(k, ""))) >= similarity.MIN_CHARS
                and before.sections.get(k)
            ]
            if both and (len(differing) / len(both) > DIFFERENT_REPORTS_SHARE or sections):
                finding = Finding(
                    "X042",
                    "agency",
                    params={
                        "agency": agency,
                        "year": year,
                        "first": before.path,
                        "second": after.path,
                        "cells": len(differing),
                    },
                )
                yield _result(finding, after, agency, year, before.sha256, after.sha256)
                continue
            changed_cells = [[k, _plain(a), _plain(b)] for k, a, b in differing]
            changed_sections = [
                k for k in NARRATIVE if _text_changed(before.sections.get(k, ""), after.sections.get(k, ""))
            ]
            changes = {"cells": changed_cells, "sections": changed_sections}
            when = after.published_on or (after.source_published_at.date() if after.source_published_at else None)
            finding = Finding(
                "X043",
                "agency",
                found=[c[0] for c in changed_cells] + changed_sections,
                params={
                    "agency": agency,
                    "year": year,
                    "version": after.version,
                    "date": when.isoformat() if when else "日期不详",
                    "changes": describe(changes, after.spec_id),
                },
            )
            yield _result(finding, after, agency, year, after.version)


def _text_changed(before: str, after: str) -> bool:
    from xxgk.corpus.changes import section_text, text_changed

    return bool(before and after) and text_changed(section_text(before), section_text(after))


def _plain(v: Number | None) -> Any:
    return v if v is None or isinstance(v, int) else str(v)


def fees(latest: Iterable[CorpusReport]) -> Iterator[CrossResult]:
    for report in latest:
        unpaid = report.value(FEE_CELL)
        other = report.sections.get("s6_other", "")
        if unpaid is None:
            continue
        if unpaid > 0 and not _FEE_WORDS.search(other):
            yield _result(Finding("X051", FEE_CELL, found=unpaid), report, report.agency_key, report.year)
            continue
        charged = _FEE_CHARGED.search(other)
        if unpaid == 0 and charged and not _FEE_NEGATED.search(charged.group(0)) and Decimal(charged.group(2)) > 0:
            finding = Finding("X052", FEE_CELL, found=unpaid, params={"text": charged.group(0)})
            yield _result(finding, report, report.agency_key, report.year)


def deadlines(latest: Iterable[CorpusReport], table: DeadlineTable) -> Iterator[CrossResult]:
    for report in latest:
        if report.year is None:
            continue
        entry = table.find(report.kind, report.level, _region_names(report))
        if entry is None:
            continue
        due = date(report.year + 1, entry.month, entry.day)
        if report.published_on is not None:
            on, basis = report.published_on, "落款日期"
        elif report.source_published_at is not None:
            on, basis = report.source_published_at.date(), "来源网页的发布时间"
        else:
            continue
        if on > due:
            finding = Finding(
                "X061",
                "date",
                expected=due.isoformat(),
                found=on.isoformat(),
                params={"basis_date": basis, "rule_name": entry.name, "notice": entry.notice},
            )
            yield _result(finding, report, report.agency_key, report.year)


def _region_names(report: CorpusReport) -> tuple[str, ...]:
    from xxgk.corpus.agencies import region_path

    return region_path(report.agency_key or "")
