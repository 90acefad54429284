"""`xxgk` commands: parse, check, rules, schema.

Exit codes: 0 no error-severity finding; 1 error findings; 2 unusable input or usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from xxgk.api import read_report
from xxgk.cli import batch, render, stream, usage
from xxgk.cli.files import example_files, expand
from xxgk.errors import XxgkError
from xxgk.findings import Severity
from xxgk.settings import CheckSettings, ReadSettings

EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE, EXIT_INTERRUPTED = 0, 1, 2, 130

app = typer.Typer(
    name="xxgk",
    help="政府信息公开工作年度报告：读取、核查、生成，以及依申请公开台账。\n\n"
    "示例：xxgk check --examples；xxgk check 报告目录/；xxgk new --agency 某某镇人民政府 --year 2025 -o 报告.yaml；"
    "xxgk render 报告.yaml -o 报告.docx；xxgk ledger list",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class Fmt:
    TEXT, JSON = "text", "json"


def _codes(values: list[str] | None) -> frozenset[str]:
    from xxgk.rules import RULES

    codes = frozenset(c.strip().upper() for v in values or () for c in v.split(",") if c.strip())
    unknown = [c for c in codes if not any(code.startswith(c) for code in RULES)]
    if unknown:
        raise typer.BadParameter(f"未知的规则代码：{'、'.join(sorted(unknown))}（用 xxgk rules 查看目录）")
    return codes


def _format(value: str) -> str:
    if value not in (Fmt.TEXT, Fmt.JSON):
        raise typer.BadParameter("只能是 text 或 json")
    return value


FormatOpt = Annotated[str, typer.Option("--format", "-f", help="输出格式：text 或 json", callback=_format)]
MaxSizeOpt = Annotated[float, typer.Option("--max-size", help="单个文件大小上限（MB）", min=0.001)]
OcrOpt = Annotated[
    bool,
    typer.Option(
        "--ocr",
        # (the backslash: rich would take "[ocr]" for markup)
        help="用 OCR 识别扫描版 PDF 中没有文字层的页面和图片文件（需安装 xxgk\\[ocr]，每页约 3–10 秒）",
    ),
]


@app.command()
def check(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="报告文件或目录（目录按后缀递归查找）", show_default=False)
    ] = None,
    fmt: FormatOpt = Fmt.TEXT,
    select: Annotated[list[str] | None, typer.Option("--select", help="只运行这些规则（代码或前缀，逗号分隔）")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="不运行这些规则（代码或前缀，逗号分隔）")] = None,
    examples: Annotated[bool, typer.Option("--examples", help="核查随包附带的五份示例报告")] = False,
    max_size: MaxSizeOpt = 20,
    ocr: OcrOpt = False,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="并行进程数；0（默认）按 CPU 核数和文件数自动决定，1 为不并行", min=0)
    ] = 0,
) -> None:
    """核查报告：勾稽关系、格式结构、缺失单元格、正文与表格是否一致、发布期限等。"""
    files = expand(list(paths or []), images=ocr) + (example_files() if examples else [])
    if not files:
        raise typer.BadParameter("请给出至少一个报告文件或目录，或使用 --examples")
    settings = CheckSettings(select=_codes(select), ignore=_codes(ignore))
    read_settings = ReadSettings(max_bytes=int(max_size * 1024 * 1024), ocr=ocr)
    # (OCR runs on every core by itself: with --ocr, files are read one at a time unless -j says otherwise)
    jobs = jobs or (1 if ocr else batch.default_jobs(len(files)))
    counts = dict.fromkeys(Severity, 0)
    unusable = 0
    as_json = fmt == Fmt.JSON
    records = stream.JsonArray(out.file) if as_json else None
    # (the workers start here, before the progress bar's thread)
    outcomes = batch.check_files(files, read_settings, settings, as_json, batch.Styling.of(out), jobs)
    with _progress(len(files)) as progress:
        task = progress.add_task("核查中", total=len(files))
        for outcome in outcomes:
            progress.update(task, description=f"已核查 {Path(outcome.path).name}", advance=1)
            unusable += outcome.unusable
            for severity, n in outcome.counts.items():
                counts[severity] += n
            if records is not None and outcome.record is not None:
                records.write(outcome.record)
            if outcome.text:
                out.file.write(outcome.text)
                out.file.flush()
    if records is not None:
        records.close()
    else:
        out.print(
            f"\n共 {len(files)} 个文件：错误 {counts[Severity.ERROR]}，警告 {counts[Severity.WARNING]}，"
            f"提示 {counts[Severity.INFO]}" + (f"；无法处理 {unusable} 个" if unusable else "")
        )
    raise typer.Exit(EXIT_UNUSABLE if unusable else EXIT_ERRORS if counts[Severity.ERROR] else EXIT_OK)


@app.command()
def parse(
    path: Annotated[Path, typer.Argument(help="报告文件", show_default=False)],
    fmt: FormatOpt = Fmt.TEXT,
    max_size: MaxSizeOpt = 20,
    ocr: OcrOpt = False,
) -> None:
    """读取一份报告，输出识别出的元数据、各部分文字和三张表（--format json 输出完整数据及来源）。"""
    try:
        report = read_report(path, ReadSettings(max_bytes=int(max_size * 1024 * 1024), ocr=ocr))
    except XxgkError as e:
        render.print_error(err, str(path), e.message, e.code)
        raise typer.Exit(EXIT_UNUSABLE) from None
    except Exception as e:
        render.print_error(err, str(path), render.internal_error(e))
        raise typer.Exit(EXIT_UNUSABLE) from None
    if fmt == Fmt.JSON:
        out.print(report.dumps(), markup=False)
    else:
        render.print_report(out, report)


@app.command()
def rules(
    code: Annotated[str | None, typer.Argument(help="规则代码，如 C011；省略则列出全部", show_default=False)] = None,
) -> None:
    """列出规则目录，或解释一条规则（检查内容、为何是问题、示例、依据）。"""
    from xxgk.rules import RULES

    if code is None:
        out.print(render.rules_table(list(RULES.values())))
        return
    rule = RULES.get(code.strip().upper())
    if rule is None:
        err.print(f"[red]没有代码为 {escape(code)} 的规则[/]（用 xxgk rules 查看目录）")
        raise typer.Exit(EXIT_UNUSABLE)
    out.print(rule.explain(), markup=False)


@app.command()
def schema() -> None:
    """输出 `xxgk parse --format json` 所用的 JSON Schema。"""
    from xxgk.schema import report_schema

    out.print(render.dumps(report_schema()), markup=False)


def _progress(total: int) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=total < 2,
    )


def run(argv: list[str] | None = None) -> None:
    """Console entry point. Usage errors are printed in zh-CN and exit 2 (click's convention)."""
    try:
        code = app(args=argv, standalone_mode=False, prog_name="xxgk")
    except KeyboardInterrupt:
        err.print("已中断")
        sys.exit(EXIT_INTERRUPTED)
    except Exception as e:
        if type(e).__name__ == "NoArgsIsHelpError":
            sys.exit(0)  # help was printed for a bare command group
        if usage.is_usage_error(e):
            err.print(escape(usage.usage_message_zh(e)))
            sys.exit(2)
        if type(e).__name__ == "Abort":
            err.print("已中断")
            sys.exit(1)
        raise
    if code == EXIT_INTERRUPTED:  # (typer turns Ctrl-C into this exit code)
        err.print("已中断")
    sys.exit(code if isinstance(code, int) else 0)


from xxgk.cli import ledger as _ledger  # noqa: E402
from xxgk.cli import write as _write  # noqa: E402

_write.register(app)
_ledger.register(app)
