"""`xxgk ledger letter`: a reply letter or notice (告知书) of a case, written as DOCX or PDF.

Registered on the `ledger` sub-app by `register_letter(ledger_app)` (called from cli/ledger.py). The work is
done by `xxgk.ledger.letters.service`; this module parses arguments, writes the file and prints.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from xxgk.errors import XxgkError
from xxgk.ledger.dates import EXAMPLE as DATE_EXAMPLE

EXIT_UNUSABLE = 2
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
SUFFIXES = (".docx", ".pdf")
TYPES_ZH = "予以公开、部分公开、不予公开、无法提供、不予处理、其他处理、补正通知、延期通知、征求意见函、收费通知"


def _fail(message: str) -> typer.Exit:
    err.print(f"错误：{message}", markup=False)
    return typer.Exit(EXIT_UNUSABLE)


def _values(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise _fail(f"--set 应写成 名称=值（如 --set 补正事项=请写明文件的名称或文号），而不是「{pair}」")
        values[name.strip()] = value
    return values


def ledger_letter(
    case_id: Annotated[str, typer.Argument(help="案件编号", metavar="CASE")],
    letter_type: Annotated[str, typer.Option("--type", help=f"告知书类型：{TYPES_ZH}")],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件：.docx 或 .pdf")],
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help="理由：不予公开、无法提供、不予处理、其他处理须指明（如 属于国家秘密、重复申请）；"
            "予以公开可写 已主动公开；征求意见函写 第三方 或 其他机关",
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option("--date", help=f"告知书日期，如 {DATE_EXAMPLE}；默认为已登记事件的日期，否则为今天"),
    ] = None,
    values: Annotated[
        list[str] | None,
        typer.Option("--set", help="填写占位符：名称=值，可重复，如 --set 获取方式=随本答复书提供纸质复印件"),
    ] = None,
    reply_by: Annotated[str | None, typer.Option("--reply-by", help="补正通知：给申请人的补正期限")] = None,
    days: Annotated[int | None, typer.Option("--days", help="延期通知：延长的工作日数（合计不超过20）")] = None,
    ref: Annotated[str | None, typer.Option("--ref", help="征求意见函：编号（同一案件有多件时区分）")] = None,
    amount: Annotated[str | None, typer.Option("--amount", help="收费通知：金额（元）；省略时按109号计算")] = None,
    method: Annotated[str | None, typer.Option("--method", help="收费通知：按件 或 按量")] = None,
    pages: Annotated[int | None, typer.Option("--pages", help="收费通知（按量）：页数", min=0)] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            help="本机关的模板目录（其中的同名文件替换软件自带模板）；"
            "默认为 $XXGK_HOME/letters（存在时），也可用环境变量指定，见用户手册「答复书与告知书」",
        ),
    ] = None,
    record: Annotated[bool, typer.Option("--record", help="同时在台账中登记告知书对应的事件")] = False,
    allow_future: Annotated[
        bool, typer.Option("--allow-future", help="允许晚于今天的日期（默认拒绝，以免年份等录入错误）")
    ] = False,
    db: Annotated[Path | None, typer.Option("--db", help="台账数据库（SQLite 文件）")] = None,
    agency: Annotated[str | None, typer.Option("--agency", help="机关名称（台账中有多个机关时必须指定）")] = None,
    user: Annotated[str | None, typer.Option("--user", help="操作人，写入操作记录（默认：操作系统用户名）")] = None,
) -> None:
    """按模板生成案件的答复书或告知书（DOCX 或 PDF），填入申请人、日期、适用条款和救济途径。

    告知书对应台账中的一个事件（答复、补正、延期、征求意见、收费通知等）：
    加 --record 时同时登记，否则显示登记该事件的命令。

    模板和占位符见用户手册「答复书与告知书」。"""
    from xxgk.cli.ledger import _ledger
    from xxgk.ledger.commands import describe_event
    from xxgk.ledger.dates import future_problem, require_date
    from xxgk.ledger.letters import LetterFacts, TemplateSet, render_letter_docx, render_letter_pdf, resolve_kind
    from xxgk.ledger.letters.service import letter_from_store, record_letter
    from xxgk.ledger.vocabulary import method_choices
    from xxgk.oserrors import os_error_zh
    from xxgk.write.output import write_output

    suffix = output.suffix.lower()
    if suffix not in SUFFIXES:
        raise _fail(f"输出文件应为 .docx 或 .pdf：{output}")
    given = _values(values or [])
    today = date.today()
    try:
        kind = resolve_kind(letter_type, reason)
        day = require_date(on, "告知书日期") if on else None
        if day is not None and not allow_future and (problem := future_problem(day, today, "告知书日期")):
            raise _fail(problem)
        try:
            money = Decimal(amount.strip()) if amount is not None else None
        except InvalidOperation:
            raise _fail(f"金额应为数字（元）：{amount}") from None
        facts = LetterFacts(
            reply_by=require_date(reply_by, "补正期限") if reply_by else None,
            days=days,
            ref=ref,
            amount=money,
            method=method_choices().parse(method) if method else None,
            pages=pages,
        )
        template_set = TemplateSet(templates)
    except XxgkError as e:
        raise _fail(e.message) from None
    with _ledger(db, agency, user) as store:
        letter = letter_from_store(store, case_id, kind, on=day, today=today, values=given, facts=facts,
                                   templates=template_set)  # fmt: skip
        data = render_letter_docx(letter) if suffix == ".docx" else render_letter_pdf(letter)
        try:
            write_output(output, data)
        except OSError as e:
            raise _fail(f"无法写出 {output}：{os_error_zh(e)}") from None
        out.print(f"已写出 {output}：{letter.title}（{letter.kind.label_zh}，{letter.date_zh}）", markup=False)
        if letter.blanks:
            err.print(
                f"注意：{'、'.join(letter.blanks)} 未填写，文书中已标为「【请填写：…】」，发出前须补上"
                "（本机关信息可写在模板目录的 organisation.toml 中，其他用 --set 名称=值）",
                markup=False,
            )
        event = letter.event
        detail = describe_event(event)
        what = f"「{event.label_zh}」（{event.on}）" + (f"：{detail}" if detail else "")
        if letter.recorded:
            out.print(f"台账中已有对应事件{what}，未重复登记", markup=False)
        elif record:
            case = record_letter(store, letter)
            assert case is not None
            out.print(f"已登记：案件{case_id} 第{len(case.events) - 1}条{what}", markup=False)
        else:
            options = " ".join(f"--{k.replace('_', '-')} {v}" for k, v in letter.event_options.items())
            out.print(
                f"尚未登记对应事件{what}；登记：xxgk ledger event {case_id} {event.kind} --date {event.on}"
                + (f" {options}" if options else "")
                + "（或生成时加 --record）",
                markup=False,
            )


def register_letter(ledger_app: typer.Typer) -> None:
    """Add `letter` to the `xxgk ledger` sub-app."""
    ledger_app.command("letter")(ledger_letter)


__all__ = ["ledger_letter", "register_letter"]
