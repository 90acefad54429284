"""`xxgk` commands: parse, check, rules, schema.

Exit codes: 0 no error-severity finding; 1 error findings; 2 unusable input or usage error.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from xxgk.cli import usage, zh
from xxgk.cli.lazy import LazyGroup

zh.install()
if TYPE_CHECKING:
    from rich.progress import Progress

    from xxgk.cli.batch import Job
    from xxgk.cli.files import Target
    from xxgk.cli.outcomes import Tally

# (only typer, rich and the CLI's own light modules are imported here: `xxgk --help` and
# `xxgk rules` must start fast; readers, writers and the ledger are imported by the commands)

EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE, EXIT_INTERRUPTED = 0, 1, 2, 130

app = typer.Typer(
    name="xxgk",
    cls=LazyGroup,  # (new, render, deadline, fee, calendar and ledger: imported when chosen)
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
    TEXT, JSON, JSONL, CSV, XLSX = "text", "json", "jsonl", "csv", "xlsx"


CHECK_FORMATS = (Fmt.TEXT, Fmt.JSON, Fmt.JSONL, Fmt.CSV, Fmt.XLSX)
SEVERITIES = ("error", "warning", "info")


def _codes(values: list[str] | None) -> frozenset[str]:
    from xxgk.api import rule_codes
    from xxgk.errors import UnknownRuleCodeError

    try:
        return rule_codes(values)
    except UnknownRuleCodeError as e:
        raise typer.BadParameter(e.message) from None


def _format(value: str) -> str:
    if value not in (Fmt.TEXT, Fmt.JSON):
        raise typer.BadParameter("只能是 text 或 json")
    return value


def _check_format(value: str) -> str:
    if value not in CHECK_FORMATS:
        raise typer.BadParameter("只能是 " + "、".join(CHECK_FORMATS))
    return value


def _severity(value: str) -> str:
    if value not in SEVERITIES:
        raise typer.BadParameter("只能是 error（错误）、warning（警告）或 info（提示）")
    return value


FormatOpt = Annotated[str, typer.Option("--format", "-f", help="输出格式：text 或 json", callback=_format)]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="写入此文件，而不是输出到屏幕", show_default=False, dir_okay=False),
]
MaxSizeOpt = Annotated[float, typer.Option("--max-size", help="单个文件大小上限（MB）", min=0.001)]
OcrOpt = Annotated[
    bool,
    typer.Option(
        "--ocr",
        # (the backslash: rich would take "[ocr]" for markup)
        help="用 OCR 识别扫描版 PDF 中没有文字层的页面和图片文件（需安装 xxgk\\[ocr]，每页约 3–10 秒）",
    ),
]


@contextmanager
def _destination(path: Path | None, *, newline: str | None = None, bom: bool = False) -> Iterator[IO[str]]:
    """Standard output, or the file of `-o` (a file that cannot be opened is a usage error)."""
    if path is None:
        yield out.file
        return
    from xxgk.oserrors import os_error_zh

    try:
        handle = open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline=newline)  # noqa: SIM115
    except OSError as e:
        err.print(f"[bold red]无法写入 {escape(str(path))}[/]：{escape(os_error_zh(e))}")
        raise typer.Exit(EXIT_UNUSABLE) from None
    with handle:
        yield handle


def _console_for(stream: IO[str]) -> Console:
    return out if stream is out.file else Console(file=stream, highlight=False, soft_wrap=True, color_system=None)


@app.command()
def check(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="报告文件或目录（目录按后缀递归查找）", show_default=False)
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="输出格式：text（文字）、json（数组）、jsonl（每行一个文件）、csv 或 xlsx（每行一个问题）",
            callback=_check_format,
        ),
    ] = Fmt.TEXT,
    output: OutputOpt = None,
    min_severity: Annotated[
        str,
        typer.Option(
            "--min-severity",
            help="只列出此级别及以上的问题：error（错误）、warning（警告）、info（提示）",
            callback=_severity,
        ),
    ] = "info",
    select: Annotated[list[str] | None, typer.Option("--select", help="只运行这些规则（代码或前缀，逗号分隔）")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="不运行这些规则（代码或前缀，逗号分隔）")] = None,
    examples: Annotated[bool, typer.Option("--examples", help="核查随包附带的五份示例报告")] = False,
    max_size: MaxSizeOpt = 20,
    ocr: OcrOpt = False,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="并行进程数；0（默认）按 CPU 核数和文件数自动决定，1 为不并行", min=0)
    ] = 0,
) -> None:
    """核查报告：勾稽关系、格式结构、缺失单元格、正文与表格是否一致、发布期限等。

    不是年度报告的文件（如目录里的 README.md）列为“已跳过”，不影响退出码。
    退出码：0 未发现错误；1 发现错误，或部分文件无法读取；2 用法错误，或没有读取到任何报告。
    """
    from xxgk.cli import batch, files
    from xxgk.findings import Severity
    from xxgk.settings import CheckSettings, ReadSettings

    collected = files.collect(list(paths or []), images=ocr)
    targets = collected.targets + [files.Target(p, named=True) for p in (files.example_files() if examples else [])]
    for folder in collected.empty_folders:
        err.print(
            f"[yellow]目录 {escape(str(folder))} 中没有报告文件[/]（查找的后缀："
            + " ".join(sorted(files.suffixes(ocr)))
            + "）"
        )
    if not targets:
        if collected.empty_folders:
            raise typer.Exit(EXIT_UNUSABLE)
        raise typer.BadParameter("请给出至少一个报告文件或目录，或使用 --examples")
    if fmt == Fmt.XLSX and output is None:
        raise typer.BadParameter("xlsx 格式须用 -o 指定输出文件", param_hint="--format")
    settings = CheckSettings(select=_codes(select), ignore=_codes(ignore))
    read_settings = ReadSettings(max_bytes=int(max_size * 1024 * 1024), ocr=ocr)
    # (OCR runs on every core by itself: with --ocr, files are read one at a time unless -j says otherwise)
    jobs = jobs or (1 if ocr else batch.default_jobs(len(targets)))
    mode = {Fmt.TEXT: batch.Mode.TEXT, Fmt.JSON: batch.Mode.RECORD, Fmt.JSONL: batch.Mode.RECORD}.get(
        fmt, batch.Mode.ROWS
    )
    with _destination(
        output if fmt != Fmt.XLSX else None,
        newline="" if fmt == Fmt.CSV else None,
        bom=fmt == Fmt.CSV and output is not None,
    ) as stream:
        console = _console_for(stream)
        job = batch.Job(read_settings, settings, mode, batch.Styling.of(console), Severity(min_severity))
        tally, code = _check_all(targets, job, jobs, fmt, stream, console, output)
    if tally.read == 0 and tally.files:
        err.print("[bold red]没有读取到任何报告[/]（见上，每个文件的原因）")
    raise typer.Exit(code)


def _check_all(
    targets: list[Target], job: Job, jobs: int, fmt: str, stream: IO[str], console: Console, output: Path | None
) -> tuple[Tally, int]:
    """Check every target, writing each outcome as it comes; the tally and the exit code."""
    from xxgk.cli import batch, outcomes
    from xxgk.cli import stream as streams

    tally = outcomes.Tally()
    writer: outcomes.TextWriter | outcomes.RecordWriter | outcomes.RowWriter
    if fmt == Fmt.TEXT:
        writer = outcomes.TextWriter(console, tally)
    elif fmt in (Fmt.JSON, Fmt.JSONL):
        writer = outcomes.RecordWriter(stream, tally, lines=fmt == Fmt.JSONL)
    elif fmt == Fmt.CSV:
        writer = outcomes.RowWriter(streams.CsvRows(stream, batch.ROW_HEADER), tally)
    else:
        writer = outcomes.RowWriter(streams.XlsxRows(str(output), batch.ROW_HEADER), tally)
    # (the workers start here, before the progress bar's thread)
    results = batch.check_files(targets, job, jobs)
    try:
        with _progress(len(targets)) as progress, _WholeWrites() as whole:
            task = progress.add_task("核查中", total=len(targets))
            for outcome in results:
                progress.update(task, description=f"已核查 {Path(outcome.path).name}", advance=1)
                with whole:
                    writer.write(outcome)
    except KeyboardInterrupt:
        # (what is finished so far is kept: the JSON array is closed, the workbook saved)
        writer.close()
        return tally, EXIT_INTERRUPTED
    writer.close()
    return tally, tally.exit_code()


class _WholeWrites:
    """Ctrl-C while a file's outcome is being written takes effect once it is written whole (an
    interrupted write to a pipe would leave half a JSON record); at any other time, at once.

    Entered once around the batch (installs the handler), then around each write."""

    def __init__(self) -> None:
        self.writing = self.pending = False
        self.previous: object = None

    def __enter__(self) -> _WholeWrites:
        import signal
        import threading

        if self.previous is None:
            if threading.current_thread() is threading.main_thread():
                self.previous = signal.signal(signal.SIGINT, self._interrupt)
            else:
                self.previous = False
        else:
            self.writing = True
        return self

    def __exit__(self, *exc: object) -> None:
        import signal

        if self.writing:
            self.writing = False
            if self.pending:
                raise KeyboardInterrupt
            return
        if self.previous is not False:
            signal.signal(signal.SIGINT, self.previous)  # type: ignore[arg-type]

    def _interrupt(self, signum: int, frame: object) -> None:
        if self.writing:
            self.pending = True
        else:
            raise KeyboardInterrupt


@app.command()
def parse(
    path: Annotated[Path, typer.Argument(help="报告文件", show_default=False)],
    fmt: FormatOpt = Fmt.TEXT,
    output: OutputOpt = None,
    max_size: MaxSizeOpt = 20,
    ocr: OcrOpt = False,
) -> None:
    """读取一份报告，输出识别出的元数据、各部分文字和三张表（--format json 输出完整数据及来源）。"""
    from xxgk.api import read_report
    from xxgk.cli import render
    from xxgk.errors import XxgkError
    from xxgk.oserrors import zh_message
    from xxgk.settings import ReadSettings

    try:
        report = read_report(path, ReadSettings(max_bytes=int(max_size * 1024 * 1024), ocr=ocr))
    except XxgkError as e:
        render.print_error(err, str(path), zh_message(e.message), e.code)
        raise typer.Exit(EXIT_UNUSABLE) from None
    except Exception as e:
        render.print_error(err, str(path), render.internal_error(e))
        raise typer.Exit(EXIT_UNUSABLE) from None
    with _destination(output) as stream:
        if fmt == Fmt.JSON:
            stream.write(report.dumps() + "\n")
        else:
            render.print_report(_console_for(stream), report)


@app.command()
def rules(
    code: Annotated[str | None, typer.Argument(help="规则代码，如 C011；省略则列出全部", show_default=False)] = None,
    output: OutputOpt = None,
) -> None:
    """列出规则目录，或解释一条规则（检查内容、为何是问题、示例、依据）。"""
    from xxgk.cli import render
    from xxgk.rules import RULES

    if code is None:
        with _destination(output) as stream:
            render.print_rules(_console_for(stream), list(RULES.values()))
        return
    rule = RULES.get(code.strip().upper())
    if rule is None:
        err.print(f"[red]没有代码为 {escape(code)} 的规则[/]（用 xxgk rules 查看目录）")
        raise typer.Exit(EXIT_UNUSABLE)
    with _destination(output) as stream:
        stream.write(rule.explain() + "\n")


@app.command()
def schema(output: OutputOpt = None) -> None:
    """输出 `xxgk parse --format json` 所用的 JSON Schema。"""
    from xxgk.cli import stream as streams
    from xxgk.schema import report_schema

    with _destination(output) as stream:
        stream.write(streams.dumps(report_schema()) + "\n")


def _progress(total: int) -> Progress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

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
