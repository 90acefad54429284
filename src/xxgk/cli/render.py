"""How findings and reports are shown: rich text for people, JSON for programs."""

from __future__ import annotations

import json
import os
import traceback
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from xxgk.display import show as _plain
from xxgk.findings import Finding, Severity
from xxgk.format.spec import WHOLE_DOCUMENT
from xxgk.report import Report
from xxgk.rules import Rule

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
FORMAT_ZH = {"gov2021": "2021年格式", "gov2019": "2019年试行格式", "mixed": "新旧格式混用", "unknown": "格式未知"}


def report_header(report: Report) -> str:
    m = report.meta
    parts = [m.agency or "（机关未知）", f"{m.year}年度" if m.year else "（年度未知）", FORMAT_ZH[m.format_version]]
    return " · ".join(parts)


def print_findings(console: Console, path: str, report: Report, findings: list[Finding]) -> None:
    console.print(f"[bold]━━ {escape(path)}[/]  {escape(report_header(report))}")
    if not findings:
        console.print("   [green]未发现问题[/]")
    spec = report.spec
    for f in findings:
        where = f.source.describe_zh() if f.source else ""
        console.print(f"   {where:<10} {_finding_text(f, spec)}")
        # (the key of what the finding is about; a finding about the whole file has none to show)
        detail = [] if f.location == WHOLE_DOCUMENT else [f"位置：{f.location}"]
        if f.expected is not None:
            detail.append(f"期望：{_plain(f.expected)}")
        if f.found is not None or f.expected is not None:
            detail.append(f"实际：{_plain(f.found)}")
        if detail:
            console.print(f"   {'':<10} [dim]{escape('　'.join(detail))}[/]")


def _finding_text(f: Finding, spec: Any) -> str:
    """A finding's code and severity, styled, and its message (rich markup)."""
    return f"[{_STYLE[f.severity]}]{f.code} {f.severity.zh}[/]  {escape(f.message(spec))}"


def print_error(console: Console, path: str, message: str, code: str | None = None) -> None:
    tag = f"{code} " if code else ""
    console.print(f"[bold]━━ {escape(path)}[/]\n   [bold red]{tag}无法处理[/]  {escape(message)}")


def internal_error(e: Exception) -> str:
    """The zh-CN message for an unexpected exception (the traceback only with XXGK_DEBUG set)."""
    if os.environ.get("XXGK_DEBUG"):
        traceback.print_exc()
    return f"内部错误（{type(e).__name__}），请将该文件提交给开发者；设置环境变量 XXGK_DEBUG=1 可查看详情"


def print_report(console: Console, report: Report) -> None:
    console.print(f"[bold]{escape(report.meta.title or '（无标题）')}[/]")
    m = report.meta
    console.print(
        f"发布机关：{escape(m.agency or '未知')}　年度：{m.year or '未知'}　格式：{FORMAT_ZH[m.format_version]}"
        f"　落款日期：{m.date.isoformat() if m.date else '未印'}"
    )
    for key, sec in report.sections.items():
        status = escape(sec.heading) if sec.heading else "[red]未找到[/]"
        console.print(f"  {key:<22} {status}  [dim]{len(sec.text)} 字[/]")
    spec = report.spec
    for tkey, table in spec.tables.items():
        t = Table(title=f"{table.name} {table.title}", show_lines=False, title_justify="left")
        t.add_column("行")
        for col in table.columns:
            t.add_column(col.label.text, justify="right")
        for row in table.rows:
            cells = [report.cells.get(f"{tkey}.{row.key}.{c.key}") for c in table.columns]
            if all(c is None for c in cells):
                continue
            label = row.label.text if row.label else row.key
            t.add_row(escape(label[:24]), *(_cell_text(c) for c in cells))
        console.print(t)
    if report.diagnostics:  # how the values above were read (the R findings; `xxgk check` has them all)
        console.print(f"[bold]读取情况[/]（{len(report.diagnostics)} 条）")
        for f in report.diagnostics:
            where = escape(f.source.describe_zh() + " ") if f.source else ""
            console.print(f"  {where}{_finding_text(f, spec)}")


def _cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if cell.value is None:
        return f"[red]缺({escape(cell.raw or '')})[/]" if cell.raw else "[red]缺[/]"
    return str(cell.value)


def rules_table(rules: list[Rule]) -> Table:
    t = Table(title="xxgk 规则目录", title_justify="left")
    for name in ("代码", "名称", "级别", "说明"):
        t.add_column(name)
    for r in rules:
        t.add_row(r.code, r.name, f"[{_STYLE[r.severity]}]{r.severity.zh}[/]", escape(r.title))
    return t


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)
