"""The corpus' application layer: what the CLI (and a web app) call, over a `CorpusStore`."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from xxgk.corpus.agencies import region_path
from xxgk.corpus.crossrules import CrossResult, CrossSettings, check_corpus
from xxgk.corpus.deadlines import DeadlineTable
from xxgk.corpus.export import FindingRow, export
from xxgk.corpus.records import CorpusReport
from xxgk.corpus.review import ReviewDocument, build_review, finding_row
from xxgk.corpus.summary import MIN_SAMPLE, Summary, summarise

if TYPE_CHECKING:
    from xxgk.corpus.store.repository import CorpusStore


def run_cross_checks(store: CorpusStore, deadlines: DeadlineTable | None = None) -> list[CrossResult]:
    """Run the X rules over the stored reports and replace the stored cross-report findings with them."""
    from xxgk.corpus.store.repository import CrossFinding

    versions = store.reports(latest=False)
    latest = [r for r in versions if r.latest]
    settings = CrossSettings(deadlines=deadlines, summary_agencies=store.overrides.summary_agencies())
    results = check_corpus(latest, versions, settings)
    store.replace_cross_findings(
        [
            CrossFinding(
                r.finding.code,
                r.severity,
                r.agency_key,
                r.year,
                r.report_id,
                r.finding.location,
                _json(_plain(r.finding.expected)),
                _json(_plain(r.finding.found)),
                {k: _json(_plain(v)) for k, v in r.finding.params.items()},
                r.message,
                r.fingerprint,
            )
            for r in results
        ]
    )
    return results


def _plain(value: object) -> object:
    """A finding's value as JSON can hold it: a Decimal as int when integral, else float."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _json(value: object) -> object:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return str(value)


# ---------------------------------------------------------------------------------------------
# Selection, summary, export


@dataclass(frozen=True)
class Selection:
    """Which reports: a year, a region (a place name of the agency's region path, or a code), a level."""

    year: int | None = None
    region: str | None = None
    level: str | None = None

    def keeps(self, report: CorpusReport, codes: Mapping[str, str] | None = None) -> bool:
        if self.year is not None and report.year != self.year:
            return False
        if self.level is not None and report.level != self.level:
            return False
        if self.region:
            places = region_path(report.agency_key or "")
            wanted = (codes or {}).get(self.region, self.region)
            return wanted in places or any(p.startswith(wanted) for p in places)
        return True


def region_name(report: CorpusReport) -> str:
    return "/".join(region_path(report.agency_key or "")) or "（地区不详）"


def selected_reports(store: CorpusStore, selection: Selection) -> list[CorpusReport]:
    codes = store.region_codes()
    return [r for r in store.reports(year=selection.year) if selection.keeps(r, codes)]


def summary_of(
    store: CorpusStore, selection: Selection, min_sample: int = MIN_SAMPLE, reports: list[CorpusReport] | None = None
) -> Summary:
    """The summary of the selected reports (`reports`: those already loaded for `selection`)."""
    if reports is None:
        reports = selected_reports(store, selection)
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for report_id, code, severity in store.finding_codes([r.id for r in reports]):
        counts[report_id][f"{severity}:{code[0]}"] += 1
    expected: Counter[str] = Counter()
    if selection.year is not None:
        # agencies of a region that published the year before are expected to publish this year too
        anywhere_in_time = replace(selection, year=None)
        before = {r.agency_key: r for r in store.reports(year=selection.year - 1) if anywhere_in_time.keeps(r)}
        now = {r.agency_key: r for r in reports}
        for report in {**before, **now}.values():
            expected[region_name(report)] += 1
    return summarise(reports, counts, region_of=region_name, expected=expected, min_sample=min_sample)


def finding_rows(store: CorpusStore, reports: list[CorpusReport]) -> list[FindingRow]:
    paths = {r.id: r.path for r in reports}
    keys = {r.agency_key for r in reports}
    rows = []
    for (
        report_id,
        agency,
        year,
        code,
        severity,
        location,
        expected,
        found,
        message,
        provenance,
        fp,
    ) in store.finding_values():
        if report_id is not None and report_id not in paths:
            continue  # (a report not selected, or an older version)
        if report_id is None and agency not in keys:
            continue
        where = provenance or {}
        if report_id is None:  # a cross-report finding names the report it is about, if one
            report_id, where = where.get("report"), {}
        rows.append(
            FindingRow(
                report_id,
                paths.get(report_id, "") if report_id else "",
                agency or "",
                year,
                code,
                severity,
                location,
                expected,
                found,
                message,
                where.get("page"),
                where.get("line"),
                fp,
            )
        )
    return rows


def export_corpus(store: CorpusStore, path: Path, selection: Selection) -> list[Path]:
    reports = selected_reports(store, selection)
    return export(path, reports, finding_rows(store, reports), summary_of(store, selection, reports=reports))


# ---------------------------------------------------------------------------------------------
# The reviewer's document


def find_agency(store: CorpusStore, name: str) -> str:
    """The stored agency key a user's spelling names (its normalised form, or the one key containing it)."""
    from xxgk.corpus.agencies import normalise
    from xxgk.errors import XxgkError

    keys: list[str] = [str(a.key) for a in store.agencies()]
    wanted = normalise(name).key
    if wanted in keys:
        return wanted
    matching = [k for k in keys if name in k]
    if len(matching) == 1:
        return matching[0]
    if not matching:
        raise XxgkError(f"报告库中没有机关「{name}」")
    raise XxgkError(f"「{name}」对应多个机关：{'、'.join(matching[:10])}；请写全称")


def review_of(store: CorpusStore, agency: str, year: int) -> ReviewDocument:
    from xxgk.errors import XxgkError

    key = find_agency(store, agency)
    reports = {r.year: r for r in store.reports() if r.agency_key == key and r.year in (year, year - 1)}
    if year not in reports:
        raise XxgkError(f"报告库中没有{key}{year}年度的报告")
    report = reports[year]
    rows = [
        finding_row(f, in_document=f.report_id is not None)
        for f in store.findings()
        if f.report_id == report.id
        or (f.report_id is None and f.agency is not None and f.agency.key == key and f.year == year)
    ]
    return build_review(report, rows, reports.get(year - 1))


# ---------------------------------------------------------------------------------------------
# Charts


def charts_of(store: CorpusStore, folder: Path, selection: Selection, suffix: str = ".png") -> list[Path]:
    from xxgk.corpus import charts

    reports = selected_reports(store, selection)
    families: Counter[str] = Counter()
    for _, code, _ in store.finding_codes([r.id for r in reports]):
        families[code[0]] += 1
    keys = {r.agency_key for r in reports}
    shares = []
    for f in store.cross_findings():
        if f.agency is not None and f.agency.key in keys:
            families[f.code[0]] += 1
            if f.code in ("X031", "X032") and isinstance(f.found, int | float):
                shares.append(float(f.found))
    return [
        charts.applications_per_year(reports, region_name, folder / f"申请数量{suffix}"),
        charts.outcome_shares(reports, folder / f"办理结果构成{suffix}"),
        charts.findings_by_family(families, folder / f"问题类别{suffix}"),
        charts.similarity_distribution(shares, folder / f"内容雷同{suffix}"),
    ]


def region_reviews(store: CorpusStore, region: str, year: int) -> tuple[ReviewDocument, list[ReviewDocument]]:
    """The overview of a region's year and one 审查意见 per agency with a report that year."""
    from xxgk.corpus.review import build_overview
    from xxgk.errors import XxgkError

    selection = Selection(year=year, region=region)
    reports = selected_reports(store, selection)
    if not reports:
        raise XxgkError(f"报告库中没有「{region}」{year}年度的报告")
    reviews = [review_of(store, r.agency_key, year) for r in reports if r.agency_key]
    per_agency = []
    for document in reviews:
        items = [i for group in document.groups.values() for i in group]
        errors = sum(1 for i in items if i.severity == "error")
        per_agency.append((document.agency, errors, sum(1 for i in items if i.severity == "warning")))
    figures = summary_of(store, selection).total
    name = store.region_codes().get(region, region)
    overview = build_overview(name, year, figures, per_agency)
    overview.images = _region_charts(store, region)
    return overview, reviews


def _region_charts(store: CorpusStore, region: str) -> list[tuple[str, bytes]]:
    """The region's charts over every stored year, as PNG (none without matplotlib)."""
    import tempfile

    from xxgk.errors import XxgkError

    try:
        with tempfile.TemporaryDirectory(prefix="xxgk-charts-") as tmp:
            paths = charts_of(store, Path(tmp), Selection(region=region))[:2]
            return [(p.stem, p.read_bytes()) for p in paths]
    except XxgkError:
        return []
