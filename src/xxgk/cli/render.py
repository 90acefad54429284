"""How findings and reports are shown: rich text for people, JSON for programs."""

from __future__ import annotations

import json
import os
import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape

from xxgk.display import show as plain
from xxgk.findings import Finding, Severity

if TYPE_CHECKING:
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
    from xxgk.format.spec import WHOLE_DOCUMENT

    spec = report.spec
    for f in findings:
        where = f.source.describe_zh() if f.source else ""
        console.print(f"   {where:<10} {_finding_text(f, spec)}")
        # (the key of what the finding is about; a finding about the whole file has none to show)
        detail = [] if f.location == WHOLE_DOCUMENT else [f"位置：{f.location}"]
        if f.expected is not None:
            detail.append(f"期望：{plain(f.expected)}")
        if f.found is not None or f.expected is not None:
            detail.append(f"实际：{plain(f.found)}")
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
        header = ("行", *(col.label.text for col in table.columns))
        rows: list[tuple[str, ...]] = []
        for row in table.rows:
            cells = [report.cells.get(f"{tkey}.{row.key}.{c.key}") for c in table.columns]
            if all(c is None for c in cells):
                continue
            label = row.label.text if row.label else row.key
            rows.append((label, *(_cell_text(c) for c in cells)))
        print_table(console, f"{table.name} {table.title}", header, rows, wrap=(0,), right=range(1, len(header)))
    if report.diagnostics:  # how the values above were read (the R findings; `xxgk check` has them all)
        console.print(f"[bold]读取情况[/]（{len(report.diagnostics)} 条）")
        for f in report.diagnostics:
            where = escape(f.source.describe_zh() + " ") if f.source else ""
            console.print(f"  {where}{_finding_text(f, spec)}")


def _cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if cell.value is None:
        return f"缺({cell.raw})" if cell.raw else "缺"
    return str(cell.value)


def print_rules(console: Console, rules: list[Rule]) -> None:
    # (the zh-CN one-line title is the rule's name for people; the English slug is kept beside it,
    # as it is what configuration files and other tools may use)
    rows = [(r.code, r.title, r.name, r.severity.zh) for r in rules]
    print_table(console, "xxgk 规则目录", ("代码", "名称", "英文名", "级别"), rows, wrap=(1, 2))


def print_table(
    console: Console,
    title: str,
    header: tuple[str, ...],
    rows: Sequence[tuple[str, ...]],
    wrap: tuple[int, ...] = (),
    right: range | tuple[int, ...] = (),
) -> None:
    """A table of plain text: on a terminal, drawn, with the `wrap` columns wrapped to fit (never
    cut: codes, dates and numbers stay whole); anywhere else (a pipe, a file), tab-separated lines
    under the title, for other programs to read."""
    if not console.is_terminal:
        lines = [title, *("\t".join(_tsv(c) for c in row) for row in (header, *rows))]
        console.file.write("\n".join(lines) + "\n")
        console.file.flush()
        return
    from rich.cells import cell_len
    from rich.table import Table

    t = Table(title=escape(title), title_justify="left")
    widest = [max((cell_len(str(row[i])) for row in rows), default=0) for i in range(len(header))]
    # (the width left for the columns that are not to wrap once the others have their minimum:
    # 3 cells of padding and border per column; their headers are wrapped to their share)
    fixed = [i for i in range(len(header)) if i not in wrap]
    room = console.width - 3 * len(header) - 1 - sum(min(12, widest[i]) for i in wrap)
    share = max(4, room // len(fixed)) if fixed else 0
    for i, name in enumerate(header):
        if i in wrap:
            # (codes, dates and numbers in the other columns are never broken; these share the rest)
            t.add_column(escape(name), overflow="fold", min_width=min(12, max(widest[i], cell_len(name))))
        else:
            width = max(widest[i], min(share, cell_len(name)))
            t.add_column(
                escape(_wrap_cells(name, width)),
                justify="right" if i in right else "left",
                overflow="fold",
                min_width=width,
                max_width=max(width, widest[i]),
            )
    for row in rows:
        t.add_row(*(escape(c) for c in row))
    console.print(t)


def _wrap_cells(text: str, width: int) -> str:
    """`text` in lines of at most `width` terminal cells (a CJK character takes two)."""
    from rich.cells import cell_len

    lines, line = [], ""
    for char in text:
        if line and cell_len(line + char) > width:
            lines.append(line)
            line = ""
        line += char
    return "\n".join([*lines, line])


def _tsv(text: str) -> str:
    # (a tab or line break inside a cell would break the line's columns)
    return " ".join(str(text).split()) if any(c in str(text) for c in "\t\r\n") else str(text)


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)
