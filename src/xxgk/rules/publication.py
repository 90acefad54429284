"""A: publication — the printed date against the statutory deadline (条例第四十九条)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from xxgk.agency import AgencyKind
from xxgk.findings import Finding, Severity
from xxgk.rules.base import rule

if TYPE_CHECKING:
    from xxgk.rules.context import CheckContext

# Statutory deadlines (month, day) in the year after the report year, by kind of body.
STATUTORY_DEADLINE = {AgencyKind.DEPARTMENT: (1, 31), AgencyKind.GOVERNMENT: (3, 31)}


def _deadline(ctx: CheckContext) -> tuple[date, bool] | None:
    """(deadline, statutory?) for the report, or None when year is unknown."""
    year = ctx.report.meta.year
    if not year:
        return None
    if ctx.agency_kind in STATUTORY_DEADLINE:
        month, day = STATUTORY_DEADLINE[ctx.agency_kind]
        return date(year + 1, month, day), True
    month, day = (int(x) for x in ctx.settings.township_deadline.split("-"))
    return date(year + 1, month, day), False


def _late(ctx: CheckContext, code: str, *, statutory: bool) -> Iterator[Finding]:
    """The printed date against the deadline, for statutory (A011) or reference (A012) deadlines."""
    d, printed = _deadline(ctx), ctx.report.meta.date
    if d and printed and d[1] is statutory and printed > d[0]:
        yield Finding(
            code,
            "date",
            expected=d[0].isoformat(),
            found=printed.isoformat(),
            source=ctx.report.meta.date_source,
            params={"kind": ctx.agency_kind.zh},
        )


@rule(
    "A011",
    "late-publication",
    Severity.ERROR,
    title="晚于法定期限发布",
    message="落款日期 {found} 晚于{kind}的法定期限 {expected}",
    what="报告落款（成文）日期晚于条例第四十九条规定的期限：县级以上人民政府部门为次年 1 月 31 日，县级以上地方人民政府（本级政府报告）为次年 3 月 31 日。只检查文中印有日期的报告。",
    why="条例第四十九条规定了发布期限；30号文把“不按时发布”列为追责情形。",
    example="某市统计局 2024 年度报告落款“2025年2月10日”（期限 2025 年 1 月 31 日）。",
    basis="条例第四十九条；国办公开办函〔2021〕30号（四）",
    keys=("date",),
)
def late_publication(ctx: CheckContext) -> Iterator[Finding]:
    yield from _late(ctx, "A011", statutory=True)


@rule(
    "A012",
    "late-publication-township",
    Severity.WARNING,
    title="乡镇（街道）等机关晚于参照期限发布",
    message="落款日期 {found} 晚于参照期限 {expected}（{kind}的期限条例未作规定）",
    what="乡镇（街道）及无法归类的机关，条例没有规定发布期限；以可配置的参照期限（默认次年 3 月 31 日，即县级政府报告的期限）检查落款日期。",
    why="乡镇数据汇入县级政府报告，县级政府报告须在 3 月 31 日前发布；晚于此日的乡镇报告在任何口径下都已迟发。",
    example="某镇 2024 年度报告落款“2025年4月15日”。",
    basis="条例第四十九条（未规定乡镇、街道的期限）；参照期限可配置，默认次年 3 月 31 日",
    keys=("date",),
)
def late_publication_township(ctx: CheckContext) -> Iterator[Finding]:
    yield from _late(ctx, "A012", statutory=False)


@rule(
    "A013",
    "dated-before-year-end",
    Severity.ERROR,
    title="落款日期早于报告年度结束",
    message="{year}年度报告的落款日期为 {found}，早于该年度结束",
    what="报告落款日期不晚于报告年度的 12 月 31 日。",
    why="年度报告只能在年度结束后编制；日期错误多为套用上年模板未改。",
    example="《2024年…年度报告》落款“2024年1月9日”。",
    basis="年度报告在年度结束后编制、发布（条例第四十九条、第五十条）",
    keys=("date",),
)
def dated_before_year_end(ctx: CheckContext) -> Iterator[Finding]:
    meta = ctx.report.meta
    if meta.year and meta.date and meta.date <= date(meta.year, 12, 31):
        yield Finding(
            "A013",
            "date",
            expected=f"{meta.year + 1}年",
            found=meta.date.isoformat(),
            source=meta.date_source,
            params={"year": meta.year},
        )
