"""Ledger commands: `xxgk calendar add|show|check`, `xxgk deadline`, `xxgk fee` (no storage) and the stateful
`xxgk ledger init|add|event|list|show|due|tables|audit|import|export`.

Register them on the main app with `register(app)`. The stateful commands set Django up lazily (inside
the command), so `xxgk check` and friends never import it. Each stateful command is one transaction;
an event the core rejects is not stored, its zh-CN message is printed and the exit code is 2.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from xxgk.cli.letters import register_letter
from xxgk.errors import XxgkError
from xxgk.format import load_format
from xxgk.ledger.calendar import (
    CalendarSettings,
    add_user_file,
    arrangement_template,
    cross_check,
    load_calendar,
)
from xxgk.ledger.case import Case, CaseState, Status, late_reply_days, late_reply_zh
from xxgk.ledger.counting import CountingRules
from xxgk.ledger.dates import EXAMPLE as DATE_EXAMPLE
from xxgk.ledger.dates import require_date
from xxgk.ledger.deadlines import Pause, correction_notice_due, pause_between, reply_due
from xxgk.ledger.errors import CalendarError, LedgerError
from xxgk.ledger.fees import per_page_statement, per_request_month_total, per_request_unit_fee
from xxgk.ledger.keys import LedgerKeys, ledger_keys
from xxgk.ledger.vocabulary import shown

if TYPE_CHECKING:
    from xxgk.ledger.calendar import WorkCalendar

if TYPE_CHECKING:
    from xxgk.ledger.store.repository import LedgerStore, StoredCase

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
    err.print(f"错误：{e}", markup=False)
    return typer.Exit(EXIT_UNUSABLE)


def _date(value: str, what: str) -> date:
    """A date as written on the command line: 2025-09-26, 2025/9/26 or 2025年9月26日 (as in the Excel import)."""
    try:
        return require_date(value, what)
    except LedgerError:
        raise typer.BadParameter(f"{what}应为日期，如 {DATE_EXAMPLE}：{value}") from None


@calendar_app.command("add")
def calendar_add(
    file: Annotated[
        Path,
        typer.Argument(help="某一年的安排文件（TOML；用 xxgk calendar template 年份 > 年份.toml 生成后按通知填写）"),
    ],
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
    _recompute_ledger_deadlines(directory)
    try:
        disagree = cross_check(arrangement)
    except CalendarError:
        return
    if disagree:
        days = "、".join(d.isoformat() for d in disagree[:10])
        err.print(f"注意：与 chinesecalendar 不一致的日期 {len(disagree)} 天：{days}")


def _recompute_ledger_deadlines(directory: Path | None) -> None:
    """The ledger's open cases (when there is a ledger) counted again with the new calendar; those whose
    deadline moved are listed, for the people waiting on them to be told."""
    from xxgk.ledger.store.bootstrap import connect, is_migrated, resolve_target, setup_django

    target = resolve_target()
    if target.engine == "sqlite" and not Path(target.config["NAME"]).exists():
        return  # no ledger on this machine
    setup_django()
    from django.db import DatabaseError

    from xxgk.ledger.store.repository import refresh_every_agency

    try:
        alias = connect(target)
        if not is_migrated(alias):
            return
        moved = refresh_every_agency(target, alias, load_calendar(CalendarSettings(user_dir=directory)))
    except (DatabaseError, LedgerError) as e:
        err.print(f"注意：台账的期限未能重新计算（{getattr(e, 'message', e)}）；下次打开台账时将自动重新计算")
        return
    if not moved:
        out.print("台账中未办结案件的期限没有变化。")
        return
    out.print(f"台账中期限有变化的未办结案件 {len(moved)} 件：")
    for agency, change in moved[:50]:
        before, after = change.before.reply_due_on, change.after.reply_due_on or "无法计算"
        out.print(f"  {agency} {change.number}：答复期限 {before} → {after}", markup=False)


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
    # The user's own file is worth naming; the shipped data is not a file users know of.
    source = "xxgk 内置数据" if a.source.startswith("xxgk:") else a.source
    out.print(f"来源：{source}", markup=False)


@calendar_app.command("template")
def calendar_template(year: Annotated[int, typer.Argument(help="年份，如 2027")]) -> None:
    """输出某一年节假日安排文件的模板（含中文说明），如 xxgk calendar template 2027 > 2027.toml。"""
    try:
        typer.echo(arrangement_template(year), nl=False)
    except LedgerError as e:
        raise _fail(e) from None


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


# ---------------------------------------------------------------------------------------------
# xxgk ledger …: the stateful commands (Django is imported inside them only)

ledger_app = typer.Typer(
    name="ledger",
    help=(
        "依申请公开台账：登记申请和办理事件，提示期限，由台账生成表三、表四。\n\n"
        "数据库：默认 $XXGK_HOME/ledger.sqlite3（未设置时为 ~/.xxgk/ledger.sqlite3），--db 指定其他 SQLite 文件；"
        "设置环境变量 XXGK_DATABASE_URL=postgresql://用户:密码@主机:端口/库名 时使用 PostgreSQL。"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DbOpt = Annotated[
    Path | None,
    typer.Option("--db", help="台账数据库（SQLite 文件）；默认 $XXGK_HOME/ledger.sqlite3 或 XXGK_DATABASE_URL"),
]
UserOpt = Annotated[str | None, typer.Option("--user", help="操作人，写入操作记录（默认：操作系统用户名）")]
AgencyOpt = Annotated[str | None, typer.Option("--agency", help="机关名称（台账中有多个机关时必须指定）")]
TodayOpt = Annotated[str | None, typer.Option("--today", help="按哪一天计算剩余工作日（默认今天）")]

_T4_GROUP_LABELS = {g.key: g.label.text for g in load_format().tables["t4"].groups}
_LITIGATION_KINDS_ZH = f"{_T4_GROUP_LABELS['litigation_after_review']} / {_T4_GROUP_LABELS['litigation_direct']}"
_APPLICANT_TYPES_ZH = "、".join(c.label.text for c in load_format().tables["t3"].columns if not c.derived)
AllowFutureOpt = Annotated[
    bool, typer.Option("--allow-future", help="允许晚于今天的日期（默认拒绝，以免年份等录入错误）")
]


def _keys() -> LedgerKeys:
    return ledger_keys()


def _db_errors() -> tuple[type[BaseException], ...]:
    from django.db import DatabaseError

    return (DatabaseError,)


@contextmanager
def _ledger(db: Path | None, agency: str | None, user: str | None, *, init: bool = False) -> Iterator[LedgerStore]:
    """The store, inside one transaction; ledger errors print their message and exit 2."""
    from xxgk.ledger.store import init_store, open_store

    try:
        store = (init_store if init else open_store)(db=db, agency=agency, user=user)
        with store.transaction():
            yield store
    except XxgkError as e:
        err.print(f"错误：{e.message}", markup=False)
        raise typer.Exit(EXIT_UNUSABLE) from None
    except _db_errors() as e:
        err.print(f"错误：台账数据库操作失败（{type(e).__name__}：{e}）；未写入任何内容", markup=False)
        raise typer.Exit(EXIT_UNUSABLE) from None


def _today(value: str | None) -> date:
    return _date(value, "--today") if value else date.today()


def _channel_zh(value: str) -> str:
    from xxgk.ledger.deadlines import Channel

    try:
        return Channel(value).label_zh
    except ValueError:
        return value


def _row_short(key: str | None) -> str:
    return shown(_keys().row_label(key)) if key else "—"


@ledger_app.command("init")
def ledger_init(
    agency: AgencyOpt = None,
    db: DbOpt = None,
    user: UserOpt = None,
) -> None:
    """创建（或升级）台账数据库，并登记机关；重复运行是安全的。"""
    with _ledger(db, agency, user, init=True) as store:
        out.print(f"台账已就绪：{store.target.display}（机关：{store.agency}）", markup=False)


@ledger_app.command("add")
def ledger_add(
    received: Annotated[
        str, typer.Option("--received", help=f"收到申请日期（当面提交日、信函签收日），如 {DATE_EXAMPLE}")
    ],
    applicant: Annotated[str, typer.Option("--applicant", help="申请人姓名或名称")],
    applicant_type: Annotated[
        str, typer.Option("--type", help=f"申请人类型：{_APPLICANT_TYPES_ZH}（也可写个人、企业、律所等）")
    ],
    channel: Annotated[str, typer.Option("--channel", help="申请方式：当面、口头、信函、平信、网络、传真")] = "当面",
    confirmed: Annotated[
        str | None,
        typer.Option("--confirmed", help="平信、网络、传真申请的确认日期（第三十一条：以确认之日为收到日期）"),
    ] = None,
    subject: Annotated[str, typer.Option("--subject", help="申请内容")] = "",
    number: Annotated[str | None, typer.Option("--id", help="案件编号（默认按收到年份自动编号，如 2025-0001）")] = None,
    allow_future: AllowFutureOpt = False,
    db: DbOpt = None,
    agency: AgencyOpt = None,
    user: UserOpt = None,
) -> None:
    """登记一件新申请（收到申请）。"""
    from xxgk.ledger import commands

    try:
        event = commands.received_event(
            received=received,
            applicant=applicant,
            applicant_type=applicant_type,
            channel=channel,
            confirmed=confirmed,
            subject=subject,
            today=date.today(),
            allow_future=allow_future,
        )
    except LedgerError as e:
        raise _fail(e) from None
    with _ledger(db, agency, user) as store:
        case = commands.open_case(store, event, number)
        s = case.state
        keys = _keys()
        out.print(
            f"已登记案件 {case.id}：{s.applicant}（{keys.applicant_label(s.applicant_type)}），"
            f"{event.channel.label_zh}，收到日期 {s.received_on}",
            markup=False,
        )
        _print_next_deadlines(store, case)


def _print_next_deadlines(store: LedgerStore, case: Case) -> None:
    from xxgk.ledger.case import case_deadlines
    from xxgk.ledger.store.agenda import deadline_items

    s = case.state
    if s.closed:
        out.print(f"状态：{s.status.label_zh}（{s.closed_on}，{_row_short(s.table_row(_rules()))}）", markup=False)
        return
    try:
        items = deadline_items(s, case_deadlines(s, store.calendar), store.calendar, date.today())
    except CalendarError as e:
        out.print(f"状态：{s.status.label_zh}；期限暂无法计算：{e.message}", markup=False)
        return
    dues = "；".join(f"{i.what_zh} {i.due}" for i in items)
    out.print(f"状态：{s.status.label_zh}" + (f"；{dues}" if dues else ""), markup=False)


def _rules() -> CountingRules:
    return CountingRules()


@ledger_app.command("event")
def ledger_event(
    case_id: Annotated[str, typer.Argument(help="案件编号", metavar="CASE")],
    kind: Annotated[
        str,
        typer.Argument(
            help="事件类型：补正、收到补正、逾期未补正、征求意见、征求意见答复、延期、收费通知、缴费、未缴费、"
            "答复、撤回、复议、复议决定、诉讼、诉讼判决、更正、作废（或英文键，如 replied）",
            metavar="TYPE",
        ),
    ],
    on: Annotated[
        str | None, typer.Option("--date", help=f"事件日期，如 {DATE_EXAMPLE}（更正可省略，默认今天）")
    ] = None,
    outcome: Annotated[
        str | None, typer.Option("--outcome", help="答复：表三结果行，如 予以公开、部分公开、本机关不掌握相关政府信息")
    ] = None,
    reply_by: Annotated[str | None, typer.Option("--reply-by", help="补正：给申请人的补正期限")] = None,
    party: Annotated[str | None, typer.Option("--party", help="征求意见：第三方（第三人）或 其他机关（机关）")] = None,
    ref: Annotated[str | None, typer.Option("--ref", help="征求意见、复议、诉讼的编号（同一案件有多件时区分）")] = None,
    days: Annotated[int | None, typer.Option("--days", help="延期：延长的工作日数（合计不超过20）")] = None,
    amount: Annotated[str | None, typer.Option("--amount", help="收费通知：金额（元）；省略时按109号计算")] = None,
    method: Annotated[str | None, typer.Option("--method", help="收费通知：按件 或 按量")] = None,
    pages: Annotated[int | None, typer.Option("--pages", help="收费通知（按量）：页数", min=0)] = None,
    result: Annotated[str | None, typer.Option("--result", help="复议决定、诉讼判决：维持、纠正 或 其他")] = None,
    after_review: Annotated[
        bool | None,
        typer.Option("--after-review/--direct", help=f"诉讼：{_LITIGATION_KINDS_ZH}", show_default=False),
    ] = None,
    target: Annotated[
        int | None, typer.Option("--target", help="作废：要作废的事件序号（见 xxgk ledger show）")
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="作废、更正：原因（更正必填）")] = None,
    received: Annotated[str | None, typer.Option("--received", help="更正：正确的收到日期")] = None,
    confirmed: Annotated[
        str | None, typer.Option("--confirmed", help="更正：正确的确认日期（平信、网络、传真）")
    ] = None,
    channel: Annotated[str | None, typer.Option("--channel", help="更正：正确的申请方式")] = None,
    applicant_type: Annotated[str | None, typer.Option("--type", help="更正：正确的申请人类型")] = None,
    allow_future: AllowFutureOpt = False,
    db: DbOpt = None,
    agency: AgencyOpt = None,
    user: UserOpt = None,
) -> None:
    """给案件登记一个办理事件；与已有事件矛盾时拒绝登记（退出码 2）。

    收到日期、申请方式或申请人类型登记有误时，登记「更正」事件（写明 --reason 原因），
    原登记和更正都保留在办理过程和操作记录中，表三按更正后的信息统计。"""
    from xxgk.ledger import commands

    given: dict[str, Any] = {
        "outcome": outcome,
        "reply_by": reply_by,
        "party": party,
        "ref": ref,
        "days": days,
        "amount": amount,
        "method": method,
        "pages": pages,
        "result": result,
        "after_review": after_review,
        "target": target,
        "reason": reason,
        "submitted_on": received,
        "confirmed_on": confirmed,
        "channel": channel,
        "applicant_type": applicant_type,
    }
    with _ledger(db, agency, user) as store:
        case = commands.record_event(store, case_id, kind, on, given, today=date.today(), allow_future=allow_future)
        seq = len(case.events) - 1
        event = case.events[-1]
        detail = commands.describe_event(event)
        out.print(
            f"已登记：案件{case_id} 第{seq}条「{event.label_zh}」（{event.on}）" + (f"：{detail}" if detail else ""),
            markup=False,
        )
        _print_next_deadlines(store, case)


def _state_line(s: CaseState, calendar: WorkCalendar | None = None) -> str:
    late = late_reply_days(s, calendar) if calendar is not None and s.closed else None
    return _status_text(s.status, s.closed_on, s.table_row(_rules()), late)


def _status_text(status: Status, closed_on: date | None, row: str | None, late_days: int | None) -> str:
    """「已办结（日期，结果）」 with the 超期答复 note, or the status of an open case."""
    if closed_on is not None:
        late = late_reply_zh(late_days)
        return f"{status.label_zh}（{closed_on}，{_row_short(row)}）" + (f"，{late}" if late else "")
    return status.label_zh


def _print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]], *, keep: Sequence[str]) -> None:
    """A table for people on a terminal, plain TSV when stdout is not a terminal (`| cat`, `> file`: header line
    then one line per row, the title on stderr). On a terminal the `keep` columns (case numbers, dates) are
    as wide as their widest cell and every other column folds, so nothing is ever cut; when even that does
    not fit, each row is printed as a block of 「列名：值」 lines."""
    if not out.is_terminal:
        err.print(title, markup=False)
        typer.echo("\t".join(columns))
        for row in rows:
            typer.echo("\t".join(_strip_markup(c).replace("\t", " ").replace("\n", " ") for c in row))
        return
    from rich.cells import cell_len

    widths = [
        max([cell_len(_strip_markup(r[i])) for r in rows if i < len(r)] + [cell_len(c)]) for i, c in enumerate(columns)
    ]
    fixed = sum(w for c, w in zip(columns, widths, strict=True) if c in keep)
    if fixed + sum(6 for c in columns if c not in keep) + 3 * len(columns) + 1 > out.width:
        out.print(title, markup=False)
        for row in rows:
            out.print("")
            for c, v in zip(columns, row, strict=False):
                out.print(f"{c}：{v}", soft_wrap=False)
        return
    table = Table(title=title)
    for c, w in zip(columns, widths, strict=True):
        if c in keep:
            table.add_column(c, no_wrap=True, min_width=w)
        else:
            table.add_column(c, overflow="fold")
    for row in rows:
        table.add_row(*row)
    out.print(table)


def _summary(text: str) -> None:
    """A closing line: on stdout for a terminal, on stderr when stdout is TSV for another program."""
    (out if out.is_terminal else err).print(text, markup=False)


_MARKUP = re.compile(r"\[/?(?:red|bold)?\]")


def _strip_markup(text: str) -> str:
    return _MARKUP.sub("", text)


@ledger_app.command("list")
def ledger_list(
    open_only: Annotated[bool, typer.Option("--open", help="只列出未办结的案件")] = False,
    year: Annotated[int | None, typer.Option("--year", help="只列出该年收到、或该年内仍在办理的案件")] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="只列出有期限已逾期的未办结案件，并显示逾期的工作日数")
    ] = False,
    due_within: Annotated[
        int | None,
        typer.Option(
            "--due-within", help="只列出N个工作日内有期限到期（含已逾期）的未办结案件，并显示剩余工作日", min=0
        ),
    ] = None,
    today: TodayOpt = None,
    db: DbOpt = None,
    agency: AgencyOpt = None,
    user: UserOpt = None,
) -> None:
    """列出台账中的案件（按收到日期；--overdue、--due-within 时按最近的期限）。"""
    from xxgk.ledger.store.agenda import DueItem

    by_deadline = overdue or due_within is not None
    with _ledger(db, agency, user) as store:
        from xxgk.ledger.store.caselist import CaseQuery, case_list  # (imports the models: Django is set up now)

        when = _today(today)
        query = CaseQuery(
            open_only=open_only,
            year=year,
            overdue=overdue,
            due_within=due_within,
            order="due" if by_deadline else "received",
            limit=None,
        )
        page = case_list(store, query, today=when)
        keys = _keys()
        columns = ["编号", "收到日期", "申请人", "类型", "方式", "状态"]
        if by_deadline:
            columns += ["最近的期限", "到期日", "剩余"]
        title = f"{store.agency} 依申请公开台账"
        if overdue:
            title += f"：期限已逾期的案件（按 {when} 计算）"
        elif due_within is not None:
            title += f"：{due_within}个工作日内到期或已逾期的案件（按 {when} 计算）"
        lines: list[list[str]] = []
        for r in page.rows:
            cells = [
                r.number,
                str(r.received_on),
                r.applicant,
                keys.applicant_label(r.applicant_type),
                _channel_zh(r.channel),
                _status_text(r.status, r.closed_on, r.table_row(_rules()), r.late_days),
            ]
            if by_deadline and r.due_on is not None and r.days_left is not None:
                urgent = DueItem(r.due_on, r.number, r.due_what, r.days_left, r.applicant)
                left = f"[red]{urgent.left_zh()}[/]" if urgent.overdue else urgent.left_zh()
                cells += [urgent.what_zh, str(urgent.due), left]
            lines.append(cells)
        _print_table(title, columns, lines, keep=("编号", "收到日期", "到期日"))
        if by_deadline:
            _summary(f"共 {page.total} 件，其中已逾期 {sum(1 for r in page.rows if r.overdue)} 件")
            if page.unknown:
                unknown = page.unknown
                err.print(f"注意：{len(unknown)} 件案件的期限无法计算（缺少节假日安排）：{'、'.join(unknown[:10])}")
        else:
            n_open = sum(1 for r in page.rows if not r.closed)
            n_late = sum(1 for r in page.rows if r.late_days)
            _summary(f"共 {page.total} 件，其中未办结 {n_open} 件" + (f"，超期答复 {n_late} 件" if n_late else ""))


@ledger_app.command("export")
def ledger_export(
    output: Annotated[Path, typer.Option("--output", "-o", help="写入的 Excel 文件（.xlsx）")] = Path("台账.xlsx"),
    year: Annotated[int | None, typer.Option("--year", help="只导出该年收到、或该年内仍在办理的案件")] = None,
    db: DbOpt = None,
    agency: AgencyOpt = None,
    user: UserOpt = None,
) -> None:
    """把台账导出为 Excel（每件案件一行，日期为 Excel 日期；可修改后用 xxgk ledger import 导入新台账）。"""
    from xxgk.ledger.xlsx import export_workbook, save_workbook

    if output.suffix.lower() != ".xlsx":
        raise typer.BadParameter("输出文件应为 .xlsx")
    if not output.parent.is_dir():  # before anything is built, so that nothing but this message is printed
        raise _fail(LedgerError(f"无法写入 {output}：目录 {output.parent} 不存在"))
    with _ledger(db, agency, user) as store:
        cases = store.cases(year=year)
        wb = export_workbook(cases, calendar=store.calendar)
        try:
            save_workbook(wb, output)
        except OSError as e:
            raise LedgerError(f"无法写入 {output}：{e.strerror or e}") from None
        scope = f"{year}年相关的" if year is not None else ""
        out.print(f"已导出{scope}{len(cases)}件案件到 {output}", markup=False)


@ledger_app.command("import")
def ledger_import(
    file: Annotated[Path, typer.Argument(help="Excel 台账（.xlsx）：第一行（或标题下的一行）为列名，每件申请一行")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查，不写入")] = False,
    allow_future: AllowFutureOpt = False,
    db: DbOpt = None,
    agency: AgencyOpt = None,
    user: UserOpt = None,
) -> None:
    """导入 Excel 台账：按列名（不按位置）读取，每行一件案件，逐个事件核验；任何一行有误则全部不导入（退出码 2）。

    必需的列：申请人、申请人类型、收到日期、申请方式；可选：案件编号（省略则自动编号）、提交日期、申请内容、
    补正、征求意见、延期、收费、答复日期和答复类型、撤回、复议、诉讼各列（见 xxgk ledger export 导出的表头）。"""
    from xxgk.ledger.xlsx import read_workbook, write_rows

    # Read and check the whole file first, outside any transaction: other writers are kept waiting only
    # for the short write at the end.
    try:
        plan = read_workbook(file, calendar=load_calendar(), today=None if allow_future else date.today())
    except LedgerError as e:
        raise _fail(e) from None
    if plan.ignored_headers:
        err.print(f"注意：以下列不会导入：{'、'.join(plan.ignored_headers)}", markup=False)
    if dry_run:
        with _ledger(db, agency, user):
            pass  # the ledger must exist and be sound
        out.print(f"检查通过：{len(plan.rows)}件案件，{plan.event_count}个事件；未写入（--dry-run）", markup=False)
        return
    err.print(f"正在导入{len(plan.rows)}件案件……", markup=False)
    with _ledger(db, agency, user) as store:
        numbers = write_rows(store, plan, source=str(file))
        span = f"（编号 {numbers[0]} 至 {numbers[-1]}）" if numbers else ""
        out.print(f"已导入{len(numbers)}件案件、{plan.event_count}个事件{span}", markup=False)


@ledger_app.command("show")
def ledger_show(
    case_id: Annotated[str, typer.Argument(help="案件编号", metavar="CASE")],
    today: TodayOpt = None,
    db: DbOpt = None,
    agency: AgencyOpt = None,
    user: UserOpt = None,
) -> None:
    """显示一件案件：办理过程、当前状态、各项期限、收费和复议诉讼情况。"""
    from xxgk.ledger.case import case_deadlines
    from xxgk.ledger.commands import describe_event
    from xxgk.ledger.store.agenda import deadline_items

    with _ledger(db, agency, user) as store:
        stored = store.get(case_id)
        s = stored.state
        keys = _keys()
        out.print(
            f"案件 {stored.number}　{s.applicant}（{keys.applicant_label(s.applicant_type)}）　"
            f"{_channel_zh(s.channel or stored.channel)}　收到日期 {s.received_on}　"
            f"状态：{_state_line(s, store.calendar)}",
            markup=False,
        )
        if s.corrected:
            out.print("收到申请信息已更正（见办理过程中的「更正收到申请信息」）", markup=False)
        if stored.subject:
            out.print(f"申请内容：{stored.subject}", markup=False)
        timeline = Table("序号", "日期", "事件", title="办理过程")
        for name in ("内容", "登记人", "登记时间"):
            timeline.add_column(name, overflow="fold")
        for r in stored.records:
            label = r.event.label_zh + (f"（已作废，见第{r.voided_by}条）" if r.voided_by is not None else "")
            timeline.add_row(
                str(r.seq), str(r.event.on), label, describe_event(r.event), r.recorded_by, _local(r.recorded_at)
            )
        out.print(timeline)
        if s.clock_start != s.received_on:
            out.print(f"收到补正材料后答复期限自 {s.clock_start} 重新起算（第三十条）", markup=False)
        if not s.closed:
            try:
                when = _today(today)
                items = deadline_items(s, case_deadlines(s, store.calendar), store.calendar, when)
                dl = case_deadlines(s, store.calendar)
            except CalendarError as e:
                out.print(f"期限暂无法计算：{e.message}", markup=False)
            else:
                t = Table("期限", "日期", "剩余", title=f"期限（按 {when} 计算）")
                for i in items:
                    t.add_row(i.what_zh, str(i.due), f"[red]{i.left_zh()}[/]" if i.overdue else i.left_zh())
                if dl.reply_if_extended is not None and s.extension_days < _rules().max_extension_days:
                    t.add_row("延期后最迟答复期限（第三十三条，最多延长20个工作日）", str(dl.reply_if_extended), "")
                out.print(t)
        _print_fee(store, stored)
        for p in s.proceedings:
            result = keys.t4_column_label(p.result) if p.result else "尚未审结"
            decided = f"，{p.decided_on}审结" if p.decided_on else ""
            out.print(
                f"{keys.t4_group_label(p.group)}（编号{p.ref}）：{p.filed_on}提起{decided}，{result}", markup=False
            )


def _local(dt: datetime) -> str:
    from django.utils import timezone

    return str(timezone.localtime(dt).strftime("%Y-%m-%d %H:%M"))


def _print_fee(store: LedgerStore, stored: StoredCase) -> None:
    from xxgk.ledger.events import FeeNoticeIssued
    from xxgk.ledger.fees import per_page_statement, per_request_statement

    s = stored.state
    notices = [r.event for r in stored.records if isinstance(r.event, FeeNoticeIssued) and r.voided_by is None]
    if not notices or s.fee_notice_on is None:
        out.print("收费：未发出收费通知", markup=False)
        return
    notice = notices[-1]
    assert isinstance(notice, FeeNoticeIssued)
    if notice.method == "per_page" and notice.pages is not None:
        statement = per_page_statement(stored.number, notice.pages)
    else:
        statement = per_request_statement(stored.number, store.states(applicant=s.applicant))
    if s.fee_paid_on:
        paid = f"已于{s.fee_paid_on}缴纳"
    elif s.closed_by == "fee_not_paid":
        paid = f"逾期未缴（{s.closed_on}不再处理）"
    else:
        paid = "待缴"
    out.print(f"收费：{s.fee_notice_on}通知{notice.amount}元，{paid}", markup=False)
    note = "" if Decimal(statement.total) == notice.amount else f"（与通知金额{notice.amount}元不一致）"
    out.print(f"按109号计算：{statement.describe_zh()}{note}", markup=False)


@ledger_app.command("due")
def ledger_due(
    within: Annotated[int, typer.Option("--within", help="列出N个工作日内到期（含已逾期）的期限", min=0)] = 5,
    overdue: Annotated[bool, typer.Option("--overdue", help="只列出已逾期的期限")] = False,
    today: TodayOpt = None,
    db: DbOpt = None,
    agency: AgencyOpt = None,
    user: UserOpt = None,
) -> None:
    """即将到期和已逾期的期限（补正通知、答复、缴费、征求意见），按日期排序。"""
    from xxgk.ledger.store.agenda import due_items

    with _ledger(db, agency, user) as store:
        when = _today(today)
        items = due_items(store.states(open_only=True), store.calendar, when, within=-1 if overdue else within)
        scope = "已逾期" if overdue else f"{within}个工作日内到期或已逾期"
        lines = [
            [str(i.due), f"[red]{i.left_zh()}[/]" if i.overdue else i.left_zh(), i.case_id, i.applicant, i.what_zh]
            for i in items
        ]
        columns = ("到期日", "剩余", "案件", "申请人", "期限")
        _print_table(f"{scope}的期限（按 {when} 计算）", columns, lines, keep=("到期日", "案件"))
        n_over = sum(1 for i in items if i.overdue)
        _summary(f"共 {len(items)} 项，其中已逾期 {n_over} 项")


@ledger_app.command("tables")
def ledger_tables(
    year: Annotated[int, typer.Option("--year", help="报告年度")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="写入文件：.yaml/.yml、.json 或 .xlsx（省略则输出 YAML）")
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option("--template", help="已填写的填报模板（YAML/XLSX/JSON）：只替换其中的表三、表四，其余保留"),
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="表四结果的截止日期（默认该年12月31日）")] = None,
    db: DbOpt = None,
    agency: AgencyOpt = None,
    user: UserOpt = None,
) -> None:
    """由台账生成表三、表四，合并到年度报告填报模板（可用 xxgk render 生成报告）。"""
    from xxgk.ledger.commands import year_tables
    from xxgk.ledger.tables import merge_ledger_tables
    from xxgk.write.template import dump_template, load_template, template_kind, template_report

    kind = template_kind(output) if output is not None else "yaml"
    if kind is None:
        raise typer.BadParameter("输出文件应为 .yaml、.yml、.json 或 .xlsx")
    with _ledger(db, agency, user) as store:
        cutoff = _date(as_of, "--as-of") if as_of else None
        ledger, late = year_tables(store, year, as_of=cutoff)
        base = load_template(template) if template is not None else template_report(store.agency, year)
        if base.meta.year != year:
            raise LedgerError(f"模板的报告年度为{base.meta.year}，与 --year {year} 不一致")
        merge_ledger_tables(base, ledger)
        data = base.dumps().encode("utf-8") if kind == "json" else dump_template(base, kind)
        keys = _keys()
        c = ledger.cells
        t = keys.total_column
        err.print(
            f"{year}年表三：新收{c[f't3.{keys.new_row}.{t}'].value}件，上年结转{c[f't3.{keys.carried_in_row}.{t}'].value}件，"
            f"办结{c[f't3.{keys.processed_row}.{t}'].value}件，结转下年度{c[f't3.{keys.carried_out_row}.{t}'].value}件；"
            f"表四：行政复议{c[f't4.review.{keys.t4_total}'].value}件，"
            f"行政诉讼{sum(c[f't4.{g}.{keys.t4_total}'].value or 0 for g in keys.t4_groups if g != 'review')}件",
            markup=False,
        )
        if late:
            err.print(
                f"其中超期答复{len(late)}件（已按答复结果计入表三）：{'、'.join(late[:10])}"
                + ("……" if len(late) > 10 else ""),
                markup=False,
            )
        if output is None:
            typer.echo(data.decode("utf-8"), nl=False)
        else:
            output.write_bytes(data)
            err.print(f"已写入 {output}", markup=False)


@ledger_app.command("audit")
def ledger_audit(
    case_id: Annotated[str | None, typer.Argument(help="案件编号（省略则列出全部）", metavar="[CASE]")] = None,
    db: DbOpt = None,
    agency: AgencyOpt = None,
    user: UserOpt = None,
) -> None:
    """操作记录：谁在何时写入了什么。"""
    from xxgk.ledger.events import EVENT_TYPES

    with _ledger(db, agency, user) as store:
        table = Table("时间", "操作人", "操作", "案件", "序号", "内容", title="操作记录")
        actions = {"init": "创建台账", "open_case": "登记案件", "record_event": "登记事件", "import": "导入"}
        for a in store.audit(case_id):
            kind = a.detail.get("kind")
            what = f"{EVENT_TYPES[kind].label_zh}（{a.detail.get('on')}）" if kind in EVENT_TYPES else ""
            table.add_row(
                _local(a.at),
                a.user,
                actions.get(a.action, a.action),
                a.case or "",
                "" if a.event_seq is None else str(a.event_seq),
                str(what or a.detail.get("agency", "")),
            )
        out.print(table)


register_letter(ledger_app)  # xxgk ledger letter (cli/letters.py)


def register(app: typer.Typer) -> None:
    """Add `calendar`, `deadline`, `fee` and `ledger` to the main `xxgk` app."""
    app.add_typer(calendar_app, name="calendar")
    app.command("deadline")(deadline)
    app.command("fee")(fee)
    app.add_typer(ledger_app, name="ledger")
