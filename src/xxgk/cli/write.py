"""`xxgk new` (fill-in template) and `xxgk render` (official layout: DOCX, PDF, HTML, Markdown).

Registered on the main app by `register(app)`. Bad input exits 2 with a zh-CN message; output is
written to a temporary file in the target directory and moved into place, so a failed run never
leaves a half-written file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from xxgk.cli import render as show
from xxgk.errors import XxgkError
from xxgk.oserrors import os_error_zh

EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE = 0, 1, 2
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(path: Path | str, message: str) -> typer.Exit:
    show.print_error(err, str(path), message)
    return typer.Exit(EXIT_UNUSABLE)


def _output_kind(output: Path) -> str:
    from xxgk import write

    kind = write.kind_of(output)
    if kind is None:
        raise _fail(output, f"不支持的输出类型「{output.suffix or '（无后缀）'}」；应为 {write.suffixes_zh()}")
    if not output.parent.is_dir():
        raise _fail(output, f"输出目录不存在：{output.parent}")
    return kind


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"日期应写作 2026-01-15，实际为「{value}」") from None


def new(
    agency: Annotated[str, typer.Option("--agency", help="发布机关，如 某某镇人民政府", show_default=False)],
    year: Annotated[int, typer.Option("--year", help="报告年度，如 2025", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="模板文件：.yaml 或 .xlsx", show_default=False)],
    when: Annotated[str | None, typer.Option("--date", help="落款日期，如 2026-01-15", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件")] = False,
) -> None:
    """生成填报模板（YAML 或 Excel）：全部单元格留空，六个部分带占位文字。"""
    from xxgk import write

    kind = _output_kind(output)
    if kind not in ("yaml", "xlsx"):
        raise _fail(output, "模板只能是 .yaml 或 .xlsx 文件（报告请用 xxgk render 生成）")
    if output.exists() and not force:
        raise _fail(output, "文件已存在；如需覆盖请加 --force")
    try:
        write.write_output(output, write.new_template(agency, year, kind, _date(when)))
    except XxgkError as e:
        raise _fail(output, e.message) from None
    except OSError as e:
        raise _fail(output, f"无法写入文件：{os_error_zh(e)}") from None
    out.print(f"已生成填报模板：{escape(str(output))}")
    out.print(f"填写后运行：xxgk render {escape(str(output))} -o 报告.docx（或 .pdf .html .md）")


def render(
    source: Annotated[
        Path, typer.Argument(help="填报模板（.yaml .xlsx）、报告 JSON 或任一可读取的报告文件", show_default=False)
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="输出文件：.docx .pdf .html .md（或 .yaml .xlsx）", show_default=False),
    ],
    fill_totals: Annotated[
        bool, typer.Option("--fill-totals", help="计算缺失的总计栏、（七）总计、表四总计和结转下年度")
    ] = False,
    strict: Annotated[bool, typer.Option("--strict", help="核查发现错误时不生成")] = False,
) -> None:
    """按官方版式生成报告：写出 DOCX、PDF、HTML 或 Markdown，并按 xxgk check 的全部规则核查写出的内容。"""
    from xxgk import api, write

    kind = _output_kind(output)
    try:
        report = api.load_template(source) if write.is_template(source) else api.read(source)
    except XxgkError as e:
        raise _fail(e.path or source, e.message) from None
    except Exception as e:
        raise _fail(source, show.internal_error(e)) from None
    if fill_totals:
        for conflict in write.fill_totals(report):
            out.print(f"[yellow]总计未覆盖[/]  {escape(conflict.message(report.spec))}")
    try:
        rendered = api.render_checked(report, kind, output)
    except XxgkError as e:
        raise _fail(output, e.message) from None
    except Exception as e:
        raise _fail(output, show.internal_error(e)) from None
    show.print_findings(out, str(source), report, rendered.findings)
    errors = rendered.errors
    if strict and errors:
        err.print(f"[bold red]有 {errors} 个错误，按 --strict 未生成 {escape(str(output))}[/]")
        raise typer.Exit(EXIT_ERRORS)
    try:
        write.write_output(output, rendered.data)
    except OSError as e:
        raise _fail(output, f"无法写入文件：{os_error_zh(e)}") from None
    out.print(f"已生成：{escape(str(output))}" + (f"（核查发现 {errors} 个错误，见上）" if errors else ""))


def register(app: typer.Typer) -> None:
    app.command("new")(new)
    app.command("render")(render)
