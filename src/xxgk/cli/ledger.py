"""Ledger commands that need no storage: `xxgk calendar add|show|check`, `xxgk deadline`, `xxgk fee`.

Register them on the main app with `register(app)`. The stateful `xxgk ledger …` commands come with
the storage app (not yet written).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from xxgk.ledger.calendar import CalendarSettings, add_user_file, cross_check, load_calendar
from xxgk.ledger.counting import CountingRules
from xxgk.ledger.deadlines import Pause, correction_notice_due, pause_between, reply_due
from xxgk.ledger.errors import CalendarError, LedgerError
from xxgk.ledger.fees import per_page_statement, per_request_month_total, per_request_unit_fee

EXIT_UNUSABLE = 2
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

calendar_app = typer.Typer(
    name="calendar",
    help="工作日日历：法定节假日与调休安排（每年一份国务院办公厅通知）。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

HolidayDirOpt = Annotated[
    Path | None, typer.Option("--dir", help="用户节假日文件目录（默认 $XXGK_HOME/holidays 或 ~/.xxgk/holidays）")
]


def _fail(e: LedgerError) -> typer.Exit:
    err.print(f"错误：{e}")
    return typer.Exit(EXIT_UNUSABLE)


def _date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{what}应为日期，如 2025-09-26：{value}") from None


@calendar_app.command("add")
def calendar_add(
    file: Annotated[Path, typer.Argument(help="某一年的安排文件（TOML，格式同 xxgk/ledger/holidays/2026.toml）")],
    directory: HolidayDirOpt = None,
) -> None:
    """校验并添加一年的节假日安排；同一年已有文件时以新文件为准。"""
    try:
        arrangement, target = add_user_file(file, CalendarSettings(user_dir=directory))
    except LedgerError as e:
        raise _fail(e) from None
    n_off = len(arrangement.days_off)
    n_work = len(arrangement.make_up_workdays)
    out.print(f"已添加{arrangement.year}年安排（{arrangement.notice.title}）：放假 {n_off} 天，调休上班 {n_work} 天")
    out.print(f"保存于 {target}")
    try:
        disagree = cross_check(arrangement)
    except CalendarError:
        return
    if disagree:
        days = "、".join(d.isoformat() for d in disagree[:10])
        err.print(f"注意：与 chinesecalendar 不一致的日期 {len(disagree)} 天：{days}")


@calendar_app.command("show")
def calendar_show(year: Annotated[int, typer.Argument(help="年份")], directory: HolidayDirOpt = None) -> None:
    """列出一年的放假安排、调休上班日和来源通知。"""
    cal = load_calendar(CalendarSettings(user_dir=directory))
    try:
        cal.require(year)
    except LedgerError as e:
        raise _fail(e) from None
    a = cal.arrangements[year]
    out.print(f"{a.notice.title}　{a.notice.number}　{a.notice.date or ''}".rstrip())
    if a.notice.checked:
        out.print(f"核对情况：{a.notice.checked}")
    table = Table("假日", "放假", "调休上班")
    for b in a.breaks:
        days = f"{b.first_day_off} 至 {b.last_day_off}" if b.first_day_off != b.last_day_off else str(b.first_day_off)
        table.add_row(b.name, days, "、".join(str(d) for d in b.make_up_workdays) or "—")
    out.print(table)
    out.print(f"来源文件：{a.source}")


@calendar_app.command("check")
def calendar_check(directory: HolidayDirOpt = None) -> None:
    """逐日核对已载入的各年安排与 chinesecalendar 是否一致。"""
    cal = load_calendar(CalendarSettings(user_dir=directory))
    bad = False
    for year, a in cal.arrangements.items():
        try:
            disagree = cross_check(a)
        except CalendarError as e:
            out.print(f"{year}年：{e.message}")
            continue
        if disagree:
            bad = True
            out.print(f"{year}年：{len(disagree)} 天不一致：{'、'.join(d.isoformat() for d in disagree[:10])}")
        else:
            out.print(f"{year}年：一致")
    if bad:
        raise typer.Exit(1)


def deadline(
    received: Annotated[str, typer.Argument(help="收到申请日期（第三十一条），如 2025-09-26")],
    extend: Annotated[int, typer.Option("--extend", help="延长的工作日数（最多20）", min=0)] = 0,
    pause: Annotated[
        list[str] | None, typer.Option("--pause", help="征求意见：发函日:答复日，如 2025-10-09:2025-10-14（可重复）")
    ] = None,
    count_receipt_day: Annotated[bool, typer.Option("--count-receipt-day", help="收到当日计入第1个工作日")] = False,
    directory: HolidayDirOpt = None,
) -> None:
    """计算补正通知期限（7个工作日）和答复期限（20个工作日，可延长至40个），输出 ISO 日期。"""
    d0 = _date(received, "收到日期")
    rules = CountingRules(count_receipt_day=count_receipt_day)
    pauses: list[Pause] = []
    for p in pause or []:
        sent, sep, answered = p.partition(":")
        if not sep:
            raise typer.BadParameter(f"--pause 应写作 发函日:答复日：{p}")
        pauses.append(pause_between(_date(sent, "发函日"), _date(answered, "答复日"), rules))
    cal = load_calendar(CalendarSettings(user_dir=directory))
    try:
        typer.echo(f"补正通知\t{correction_notice_due(cal, d0, rules).isoformat()}")
        typer.echo(f"答复期限\t{reply_due(cal, d0, rules, pauses=pauses).isoformat()}")
        if extend:
            typer.echo(f"延长后\t{reply_due(cal, d0, rules, extension_days=extend, pauses=pauses).isoformat()}")
    except LedgerError as e:
        raise _fail(e) from None


def fee(
    pages: Annotated[int | None, typer.Option("--pages", help="按量计收：页数", min=0)] = None,
    requests: Annotated[
        int | None, typer.Option("--requests", help="按件计收：同一申请人本自然月的申请件数", min=0)
    ] = None,
) -> None:
    """计算信息处理费（国办函〔2020〕109号），按件或按量，二选一。"""
    if (pages is None) == (requests is None):
        raise typer.BadParameter("请给出 --pages 或 --requests 之一（同一申请不得同时按件和按量收费）")
    if pages is not None:
        out.print(per_page_statement("—", pages).describe_zh().removeprefix("案件—"))
        return
    assert requests is not None
    last = per_request_unit_fee(requests) if requests else 0
    out.print(f"按件计收：本月共{requests}件，合计{per_request_month_total(requests)}元（第{requests}件为{last}元/件）")


def register(app: typer.Typer) -> None:
    """Add `calendar`, `deadline` and `fee` to the main `xxgk` app."""
    app.add_typer(calendar_app, name="calendar")
    app.command("deadline")(deadline)
    app.command("fee")(fee)
