"""The region's dashboard: the agencies a user may see × years, with each report's review state, error and
warning counts, publication date against its deadline, applications received, 公开率 and 纠错率.

Built from a few queries whatever the number of agencies (the latest reports of the years shown, the
handful of cells the figures need, the reviews), so 1,000 agencies × 5 years stays a one-second page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from typing import Any

from django.db.models import FloatField, Q
from django.db.models.functions import Cast

from xxgk.corpus.deadlines import DeadlineTable, load_deadlines
from xxgk.corpus.store.models import Cell, Report
from xxgk.corpus.summary import GRANTED, HANDLED, LITIGATION, RECEIVED, REVIEW
from xxgk.web.access import agencies_for
from xxgk.web.models import Review, ReviewState

YEARS_SHOWN = 5
_T4 = (REVIEW, *LITIGATION)
CORRECTED = tuple(f"{g}.corrected" for g in _T4)
DECIDED = tuple(f"{g}.{c}" for g in _T4 for c in ("upheld", "corrected", "other"))
FIGURE_KEYS = tuple(dict.fromkeys((RECEIVED, HANDLED, *GRANTED, *CORRECTED, *DECIDED)))  # (CORRECTED ⊂ DECIDED)
LEVEL_ZH = {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇（街道）", "unknown": "未确定"}


@dataclass
class YearCell:
    report_id: int
    version: int
    state: str
    state_zh: str
    errors: int
    warnings: int
    published_on: date | None
    due: date | None
    late: bool
    received: int | None
    disclosed_rate: float | None
    corrected_rate: float | None


@dataclass
class AgencyRow:
    agency_id: int
    name: str
    level: str
    region: str
    years: dict[int, YearCell] = field(default_factory=dict)


@dataclass
class Dashboard:
    years: list[int]
    rows: list[AgencyRow]
    levels: list[tuple[str, str]]


def _share(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def _sum(values: dict[str, float | None], keys: tuple[str, ...]) -> float | None:
    total = 0.0
    for key in keys:
        value = values.get(key)
        if value is None:
            return None  # (missing is not zero: no share from a partly read table)
        total += value
    return total


@cache
def _deadlines() -> DeadlineTable:
    return load_deadlines()


def _due(agency_key: str, kind: str, level: str, year: int | None) -> date | None:
    if year is None:
        return None
    day = _deadline_day(agency_key, kind, level)
    return date(year + 1, *day) if day else None


@lru_cache(maxsize=65536)
def _deadline_day(agency_key: str, kind: str, level: str) -> tuple[int, int] | None:
    """(month, day) of the year after the report's by which the agency publishes (one lookup per agency,
    not per report: the name's places are parsed once)."""
    from xxgk.corpus.agencies import region_path

    entry = _deadlines().find(kind, level, region_path(agency_key))
    return (entry.month, entry.day) if entry else None


def chosen_agencies(user: Any, level: str | None, region: str | None) -> Any:
    """The agencies of the user's scope at `level` and in `region` (a name part or a code prefix)."""
    agencies = agencies_for(user)
    if level:
        agencies = agencies.filter(level=level)
    if region:
        agencies = agencies.filter(Q(region__path__contains=region) | Q(region__code__startswith=region))
    return agencies


def dashboard(user: Any, *, year: int | None = None, level: str | None = None, region: str | None = None) -> Dashboard:
    agencies = chosen_agencies(user, level, region)
    reports = Report.objects.filter(latest=True, agency__in=agencies, year__isnull=False)
    all_years: list[int] = sorted({int(y) for y in reports.values_list("year", flat=True)}, reverse=True)
    years = [year] if year is not None and year in all_years else all_years[:YEARS_SHOWN]
    rows_by_agency: dict[int, AgencyRow] = {}
    for pk, key, lvl, path in agencies.order_by("key").values_list("pk", "key", "level", "region__path"):
        rows_by_agency[pk] = AgencyRow(pk, key, LEVEL_ZH.get(lvl, lvl), path or "")
    chosen = list(
        reports.filter(year__in=years).values_list(
            "id",
            "agency_id",
            "agency__key",
            "agency__kind",
            "agency__level",
            "year",
            "version",
            "errors",
            "warnings",
            "published_on",
        )
    )
    figures: dict[int, dict[str, float | None]] = defaultdict(dict)
    # One query joined to the reports chosen (not thousands of ids sent in chunks); the values are counts
    # and only make counts and shares here, so they are read as floats: Django's exact Decimal conversion
    # of the ~65,000 values of 1,000 agencies × 5 years took a third of a second.
    cells = Cell.objects.filter(report__in=reports.filter(year__in=years), key__in=FIGURE_KEYS)
    for report_id, key, value in cells.values_list("report_id", "key", Cast("value", FloatField())):
        figures[report_id][key] = value
    states = {
        (r.agency_id, r.year): r.state
        for r in Review.objects.filter(agency__in=agencies, year__in=years).only("agency_id", "year", "state")
    }
    for rid, agency_id, key, kind, lvl, yr, version, errors, warnings, published in chosen:
        values = figures.get(rid, {})
        state = states.get((agency_id, yr), ReviewState.PENDING)
        due = _due(key, kind, lvl, yr)
        received = values.get(RECEIVED)
        rows_by_agency[agency_id].years[yr] = YearCell(
            rid,
            version,
            state,
            ReviewState(state).label,
            errors,
            warnings,
            published,
            due,
            bool(due and published and published > due),
            int(received) if received is not None else None,
            _share(_sum(values, GRANTED), values.get(HANDLED)),
            _share(_sum(values, CORRECTED), _sum(values, DECIDED)),
        )
    in_scope = agencies_for(user).order_by().values_list("level", flat=True).distinct()
    levels = sorted((lvl, LEVEL_ZH.get(lvl, lvl)) for lvl in in_scope)
    return Dashboard(years, list(rows_by_agency.values()), levels)


def dashboard_sheet(board: Dashboard) -> tuple[list[str], list[list[Any]]]:
    """What is on screen as one spreadsheet: a row per agency and year."""
    header = [
        "机关",
        "层级",
        "地区",
        "年度",
        "版本",
        "审查状态",
        "错误",
        "警告",
        "落款日期",
        "发布期限",
        "逾期",
        "收到申请",
        "公开率",
        "纠错率",
    ]
    rows = []
    for row in board.rows:
        for yr in board.years:
            c = row.years.get(yr)
            if c is None:
                rows.append(
                    [
                        row.name,
                        row.level,
                        row.region,
                        yr,
                        None,
                        "未收到报告",
                        None,
                        None,
                        None,
                        None,
                        None,
                        None,
                        None,
                        None,
                    ]
                )
                continue
            rows.append(
                [
                    row.name,
                    row.level,
                    row.region,
                    yr,
                    c.version,
                    c.state_zh,
                    c.errors,
                    c.warnings,
                    c.published_on,
                    c.due,
                    "是" if c.late else "",
                    c.received,
                    c.disclosed_rate,
                    c.corrected_rate,
                ]
            )
    return header, rows


CHARTS = ("applications", "outcomes", "findings")


def chart_png(user: Any, kind: str, *, level: str | None = None, region: str | None = None) -> bytes:
    """One of the corpus's charts over the reports the user may see (the dashboard's filters but the
    year: a chart shows the years side by side). Raises `XxgkError` when matplotlib is not installed."""
    import tempfile
    from collections import Counter
    from pathlib import Path

    from xxgk.corpus import charts
    from xxgk.corpus.store.models import Finding
    from xxgk.corpus.store.repository import corpus_record

    agencies = chosen_agencies(user, level, region)
    reports = list(
        Report.objects.filter(latest=True, agency__in=agencies, year__isnull=False).select_related(
            "agency__region", "document"
        )
    )
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"{kind}.png"
        if kind == "findings":
            counts: Counter[str] = Counter()
            for code in Finding.objects.filter(report__in=reports).values_list("code", flat=True):
                counts[code[0]] += 1
            charts.findings_by_family(counts, out)
        else:
            cells: dict[int, dict[str, Any]] = defaultdict(dict)
            ids = [r.pk for r in reports]
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                rows = Cell.objects.filter(report_id__in=chunk, key__startswith="t3.", key__endswith=".total")
                for report_id, key, value in rows.values_list("report_id", "key", "value"):
                    cells[report_id][key] = value
            records = [corpus_record(r, cells.get(r.pk, {}), {}) for r in reports]
            if kind == "applications":
                charts.applications_per_year(records, _region_name, out)
            else:
                charts.outcome_shares(records, out)
        return out.read_bytes()


def _region_name(report: Any) -> str:
    from xxgk.corpus.service import region_name

    return region_name(report)
