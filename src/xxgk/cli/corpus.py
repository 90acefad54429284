"""Corpus commands: `xxgk corpus add|check|summary|export|agencies|list`.

Register them on the main app with `register(app)`. Django is set up inside the commands (lazily), so
`xxgk check` never imports it. `add` reads and checks files in worker processes (the batch machinery of
`xxgk check`) and writes their results in this process, a batch of at most BATCH_FILES files per
transaction (a file is never half written).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from xxgk.cli import batch
from xxgk.cli.files import expand
from xxgk.corpus.ingest import Ingested, Source, file_sha256, ingest_file
from xxgk.corpus.sources import Wanted, expand_arguments
from xxgk.ledger.store.errors import StoreError
from xxgk.settings import CheckSettings, ReadSettings

if TYPE_CHECKING:
    from xxgk.corpus.store.repository import CorpusStore

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

corpus_app = typer.Typer(
    name="corpus",
    help="年度报告库：批量入库、跨年度与跨机关核查、汇总统计、导出 Excel、审查意见。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DbOpt = Annotated[
    Path | None,
    typer.Option("--db", help="SQLite 数据库文件（默认 $XXGK_DATABASE_URL，或 $XXGK_HOME/ledger.sqlite3，与台账同库）"),
]


AgenciesOpt = Annotated[
    Path | None,
    typer.Option("--agencies", help="机关名称对照文件（默认为 $XXGK_HOME 下的 agencies.toml，存在时使用）"),
]


def _open(db: Path | None, agencies: Path | None = None) -> CorpusStore:
    from xxgk.corpus.overrides import load_overrides
    from xxgk.corpus.store import open_store
    from xxgk.errors import XxgkError
    from xxgk.ledger.store.bootstrap import default_home

    default = default_home() / "agencies.toml"
    try:
        overrides = load_overrides(agencies) if agencies else load_overrides(default) if default.is_file() else None
    except XxgkError as e:
        err.print(f"错误：{escape(e.message)}")
        raise typer.Exit(EXIT_UNUSABLE) from None
    try:
        store = open_store(db=db)
    except StoreError as e:
        err.print(f"错误：{escape(str(e))}")
        raise typer.Exit(EXIT_UNUSABLE) from None
    if overrides is not None:
        store.overrides = overrides
    return store


def _ingest_one(job: tuple[Path, str, int, Source], read_settings: ReadSettings) -> Ingested:
    path, sha256, size, source = job
    return ingest_file(path, sha256, size, source, read_settings, CheckSettings())


def _ingested(jobs: list[tuple[Path, str, int, Source]], read_settings: ReadSettings, n_jobs: int) -> Any:
    """The files read and checked, in order, in `n_jobs` worker processes, with the limits and the
    machinery of `xxgk check` (`batch.map_in_workers`): a file a worker dies on is recorded with
    its reason, and never read in this process."""
    one = partial(_ingest_one, read_settings=read_settings)
    if min(n_jobs, len(jobs)) <= 1:
        return map(one, jobs)
    cap = batch.DEFAULT_WORKER_MEMORY * (2 if read_settings.ocr else 1)
    return batch.map_in_workers(jobs, one, batch.Workers(n_jobs, cap, None), _lost)


def _lost(job: tuple[Path, str, int, Source], timed_out: bool) -> Ingested:
    """The record of a file whose worker died on it (past its memory or time limit, a reader's crash)."""
    path, sha256, size, source = job
    why = "超时" if timed_out else "意外终止"
    error = f"处理该文件的进程{why}（可能超出内存或时间上限，或读取组件崩溃），已跳过；可能是恶意构造或已损坏的文件"
    return Ingested(str(path), sha256, size, path.suffix.lower().lstrip("."), error=error, source=source)


def _progress(total: int) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("剩余"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=total < 2,
    )


@corpus_app.command("add")
def add(
    paths: Annotated[
        list[Path], typer.Argument(help="报告文件、目录，或清单文件（.tsv/.csv：路径、来源网址、获取日期）")
    ],
    db: DbOpt = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="并行进程数；0（默认）自动", min=0)] = 0,
    keep: Annotated[
        bool, typer.Option("--keep/--no-keep", help="是否在库旁按内容哈希保存原文件（默认保存）", show_default=False)
    ] = True,
    max_size: Annotated[float, typer.Option("--max-size", help="单个文件大小上限（MB）", min=0.001)] = 20,
    agencies: AgenciesOpt = None,
) -> None:
    """将报告读入报告库：逐个读取、核查并保存；内容未变的文件跳过；同一机关同一年度的新内容作为新版本保存。"""
    wanted, problems = expand_arguments(paths, expand([p for p in paths if p.is_dir() or _is_report(p)]))
    for problem in problems:
        err.print(f"错误：{escape(problem)}")
    store = _open(db, agencies)
    hashed: list[tuple[Path, str, int, Source]] = []
    seen: set[str] = set()
    for item in wanted:
        try:
            sha, size = file_sha256(item.path)
        except OSError as e:
            problems.append(f"{item.path}：无法读取（{type(e).__name__}）")
            err.print(f"错误：{escape(problems[-1])}")
            continue
        if sha not in seen:
            seen.add(sha)
            hashed.append((item.path, sha, size, item.source))
    known = store.known(sha for _, sha, _, _ in hashed)
    todo = [job for job in hashed if job[1] not in known]
    skipped = len(wanted) - len(todo)
    counts = {"added": 0, "version": 0, "copy": 0, "unusable": 0, "known": 0}
    notices: list[str] = []
    read_settings = ReadSettings(max_bytes=int(max_size * 1024 * 1024))
    n_jobs = jobs or batch.default_jobs(len(todo))
    results = _ingested(todo, read_settings, n_jobs)  # (workers start before the progress bar's thread)
    with _progress(len(todo)) as progress:
        task = progress.add_task("入库中", total=len(todo), rate="")
        for batch_items in _batches(results):
            for added in store.add_batch(batch_items, keep=keep):
                counts[added.status] += 1
                if added.status == "unusable":
                    notices.append(f"无法读取：{added.path}：{added.error}")
                elif added.status == "version":
                    notices.append(_modified_notice(added))
            speed = progress.tasks[0].speed
            name = Path(batch_items[-1].path).name
            rate = f"{speed:.1f} 个/秒" if speed else ""
            progress.update(task, advance=len(batch_items), description=f"已入库 {name}", rate=rate)
    for notice in notices:
        out.print(escape(notice))
    out.print(
        f"共 {len(wanted)} 个文件：新入库 {counts['added']}，新版本 {counts['version']}，"
        f"同一报告的其他形式 {counts['copy']}，无法读取 {counts['unusable']}，"
        f"内容未变而跳过 {skipped + counts['known']}" + (f"；清单或参数错误 {len(problems)} 处" if problems else "")
    )
    store.close()
    raise typer.Exit(EXIT_UNUSABLE if problems or counts["unusable"] else EXIT_OK)


# Files written in one transaction at most, and the longest a read file waits to be written: few commits,
# and an interrupted batch loses at most this much work (never a half-written file).
BATCH_FILES = 16
BATCH_SECONDS = 0.5


def _batches(results: Any) -> Any:
    import time

    batch: list[Ingested] = []
    started = time.monotonic()
    for item in results:
        batch.append(item)
        if len(batch) >= BATCH_FILES or time.monotonic() - started >= BATCH_SECONDS:
            yield batch
            batch, started = [], time.monotonic()
    if batch:
        yield batch


def _is_report(path: Path) -> bool:
    from xxgk.corpus.sources import LIST_SUFFIXES

    return path.is_file() and path.suffix.lower() not in LIST_SUFFIXES


def _modified_notice(added: Any) -> str:
    from xxgk.corpus.changes import describe

    return (
        f"发布后被修改：{added.agency}{added.year}年度报告第{added.version}版"
        f"（{added.published or '日期未印'}）：{describe(added.changes)}"
    )


@corpus_app.command("check")
def check(
    db: DbOpt = None,
    deadlines: Annotated[
        Path | None, typer.Option("--deadlines", help="本地区发布期限表（TOML 文件，写法见用户手册“年度报告库”一章）")
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help="只显示这一年度的问题")] = None,
    agencies: AgenciesOpt = None,
) -> None:
    """跨报告核查（X 类规则）：跨年度结转、存量、内容雷同、缺报、重复、修改、收费说明、发布期限、地区汇总。"""
    from xxgk.corpus.deadlines import load_deadlines
    from xxgk.corpus.service import run_cross_checks
    from xxgk.errors import XxgkError

    try:
        table = load_deadlines(deadlines)
    except XxgkError as e:
        err.print(f"错误：{escape(e.message)}")
        raise typer.Exit(EXIT_UNUSABLE) from None
    store = _open(db, agencies)  # agencies.toml marks the agencies whose reports are their region's summary
    results = run_cross_checks(store, table)
    shown = [r for r in results if year is None or r.year == year]
    for r in shown:
        label = {"error": "错误", "warning": "警告", "info": "提示"}[r.severity]
        out.print(f"{r.year or ''}\t{escape(r.agency_key or '')}\t{r.finding.code} {label}：{escape(r.message)}")
    counts = {s: sum(1 for r in shown if r.severity == s) for s in ("error", "warning", "info")}
    out.print(f"共 {len(shown)} 个跨报告问题：错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}")
    store.close()
    raise typer.Exit(EXIT_FINDINGS if counts["error"] else EXIT_OK)


YearOpt = Annotated[int | None, typer.Option("--year", help="年度")]
RegionOpt = Annotated[str | None, typer.Option("--region", help="地区：地名（如 三明市）或区划代码")]
LevelOpt = Annotated[
    str | None, typer.Option("--level", help="层级：省、市、县、乡镇（也可写 省级、市级、县级、乡镇街道）")
]


def _selection(year: int | None, region: str | None, level: str | None) -> Any:
    from xxgk.corpus.agencies import Level
    from xxgk.corpus.service import Selection

    if level is not None:
        parsed = Level.parse(level)
        if parsed is None:
            raise typer.BadParameter(f"层级应为 省、市、县、乡镇 之一，实际为「{level}」")
        level = parsed.value
    return Selection(year, region, level)


@corpus_app.command("summary")
def summary(
    db: DbOpt = None,
    year: YearOpt = None,
    region: RegionOpt = None,
    level: LevelOpt = None,
    min_sample: Annotated[int, typer.Option("--min-sample", help="参与排名的最少办结申请数", min=1)] = 30,
) -> None:
    """汇总统计：报告数、问题数（按规则类别）、申请数、公开率、不予公开/无法提供占比、复议诉讼、纠错率。"""
    from rich.table import Table

    from xxgk.corpus.service import summary_of
    from xxgk.corpus.summary import percent

    selection = _selection(year, region, level)
    store = _open(db)
    result = summary_of(store, selection, min_sample)
    store.close()
    if not result.total.reports:
        out.print("没有符合条件的报告")
        raise typer.Exit(EXIT_OK)
    for title, groups in (("按地区", result.by_region), ("按机关", result.by_agency)):
        table = Table(title=title, show_lines=False)
        for column in ("名称", "报告", "应有", "收到申请", "办结", "公开率", "不予公开", "无法提供", "复议",
                       "诉讼", "纠错率", "错误（按类别）", "警告（按类别）"):  # fmt: skip
            table.add_column(column)
        for f in [*groups.values(), result.total]:
            table.add_row(
                escape(f.name),
                str(f.reports),
                str(f.expected or "—"),
                str(f.received) + (f"（{f.received_missing}份缺失）" if f.received_missing else ""),
                str(f.handled),
                percent(f.disclosed.share),
                percent(f.withheld.share),
                percent(f.unable.share),
                str(f.reviews),
                str(f.lawsuits),
                percent(f.corrected.share),
                _families(f.findings, "error"),
                _families(f.findings, "warning"),
            )
        out.print(table)
    if result.ranking:
        table = Table(title=f"公开率排名（办结不少于 {result.min_sample} 件；按 95% Wilson 区间下限）")
        for column in ("名次", "机关", "办结", "公开率", "95%区间"):
            table.add_column(column)
        for n, r in enumerate(result.ranking, 1):
            interval = f"{r.low * 100:.1f}%–{r.high * 100:.1f}%"
            table.add_row(str(n), escape(r.name), str(r.sample), percent(r.share), interval)
        out.print(table)
    else:
        out.print(f"没有办结申请不少于 {result.min_sample} 件的机关，不作排名")


def _families(counts: Any, severity: str) -> str:
    parts = sorted((k.split(":")[1], n) for k, n in counts.items() if k.startswith(severity))
    return " ".join(f"{family}{n}" for family, n in parts) or "0"


@corpus_app.command("export")
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件：.xlsx、.csv 或 .parquet")],
    db: DbOpt = None,
    year: YearOpt = None,
    region: RegionOpt = None,
    level: LevelOpt = None,
) -> None:
    """导出报告库：每份报告的全部单元格、全部问题、汇总（Excel 为三个工作表；CSV/Parquet 为三个文件）。"""
    from xxgk.corpus.service import export_corpus
    from xxgk.errors import XxgkError

    selection = _selection(year, region, level)
    store = _open(db)
    try:
        written = export_corpus(store, output, selection)
    except XxgkError as e:
        err.print(f"错误：{escape(e.message)}")
        raise typer.Exit(EXIT_UNUSABLE) from None
    except OSError as e:
        err.print(f"错误：无法写入 {escape(str(output))}（{type(e).__name__}）")
        raise typer.Exit(EXIT_UNUSABLE) from None
    finally:
        store.close()
    for path in written:
        out.print(f"已写入 {escape(str(path))}")


@corpus_app.command("review")
def review(
    agency: Annotated[str | None, typer.Argument(help="机关名称（全称、简称或库中名称的一部分）")] = None,
    year: Annotated[int, typer.Option("--year", help="报告年度")] = 0,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="输出文件（.docx、.pdf、.html）；--region 时为目录")
    ] = Path("审查意见.docx"),
    region: Annotated[
        str | None, typer.Option("--region", help="为该地区（地名或区划代码）每个机关各写一份，另写地区概况")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="--region 时各文件的格式：docx、pdf 或 html")] = "docx",
    db: DbOpt = None,
) -> None:
    """生成审查意见：逐项列出问题、位置、应为数值、上年数值和整改要求；按地区生成时每个机关一份，并附地区概况。"""
    from xxgk.corpus import review as review_mod
    from xxgk.corpus.service import region_reviews, review_of
    from xxgk.errors import XxgkError

    writers: dict[str, Any] = {
        ".html": review_mod.render_html,
        ".pdf": review_mod.render_pdf,
        ".docx": review_mod.render_docx,
    }
    if not year:
        raise typer.BadParameter("请用 --year 指定报告年度")
    if (agency is None) == (region is None):
        raise typer.BadParameter("请给出一个机关名称，或用 --region 指定地区（二者择一）")
    suffix = f".{fmt.lower().lstrip('.')}" if region else output.suffix.lower()
    if suffix not in writers:
        raise typer.BadParameter(f"不支持的格式「{suffix}」：请使用 docx、pdf 或 html")
    store = _open(db)
    try:
        if region:
            overview, documents = region_reviews(store, region, year)
            targets = [(output / f"{region}{year}年审查情况{suffix}", overview)]
            targets += [(output / f"{d.agency}{year}年审查意见{suffix}", d) for d in documents]
        else:
            document = review_of(store, agency or "", year)
            targets = [(output, document)]
    except XxgkError as e:
        err.print(f"错误：{escape(e.message)}")
        raise typer.Exit(EXIT_UNUSABLE) from None
    finally:
        store.close()
    for path, document in targets:
        content = writers[suffix](document)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, str):
                path.write_text(content, "utf-8")
            else:
                path.write_bytes(content)
        except OSError as e:
            err.print(f"错误：无法写入 {escape(str(path))}（{type(e).__name__}）")
            raise typer.Exit(EXIT_UNUSABLE) from None
        n = sum(len(items) for items in document.groups.values())
        out.print(f"已写入 {escape(str(path))}" + (f"：{n} 条审查意见" if not document.overview else ""))


@corpus_app.command("agencies")
def agencies_command(
    db: DbOpt = None,
    unresolved: Annotated[
        bool, typer.Option("--unresolved", help="只列出层级或区划代码未确定、需要人工处理的机关")
    ] = False,
    agencies: AgenciesOpt = None,
) -> None:
    """列出库中的机关：规范名称、层级、所属地区及区划代码、出现过的写法；有对照文件时先按其更正。"""
    from rich.table import Table

    from xxgk.corpus.agencies import Level
    from xxgk.corpus.regions import SOURCE

    store = _open(db, agencies)
    changed = store.apply_overrides() if store.overrides.by_name else 0
    rows = [a for a in store.agencies() if not (unresolved and a.resolved)]
    store.close()
    table = Table(title="需要人工确定的机关" if unresolved else "机关")
    for column in ("规范名称", "层级", "地区", "区划代码", "出现过的写法"):
        table.add_column(column)
    for a in rows:
        level = Level(a.level).zh if a.level in Level._value2member_map_ else a.level
        region = a.region.path if a.region else "—"
        code = (a.region.code or "未确定") if a.region else "未确定"
        table.add_row(escape(a.key), level, escape(region), code, escape("、".join(a.names)))
    out.print(table)
    if changed:
        out.print(f"已按对照文件更正 {changed} 个机关")
    out.print(f"共 {len(rows)} 个机关" + ("需要在 agencies.toml 中补充层级或区划代码" if unresolved and rows else ""))
    out.print(f"区划代码来源：{SOURCE}")


@corpus_app.command("charts")
def charts(
    output: Annotated[Path, typer.Option("--output", "-o", help="输出目录")],
    db: DbOpt = None,
    year: YearOpt = None,
    region: RegionOpt = None,
    level: LevelOpt = None,
    svg: Annotated[bool, typer.Option("--svg", help="输出 SVG（默认 PNG）")] = False,
) -> None:
    """绘制图表：各地区历年申请数量、办理结果构成、问题类别、内容雷同分布。"""
    from xxgk.corpus.service import charts_of
    from xxgk.errors import XxgkError

    selection = _selection(year, region, level)
    store = _open(db)
    try:
        written = charts_of(store, output, selection, ".svg" if svg else ".png")
    except XxgkError as e:
        err.print(f"错误：{escape(e.message)}")
        raise typer.Exit(EXIT_UNUSABLE) from None
    finally:
        store.close()
    for path in written:
        out.print(f"已写入 {escape(str(path))}")


def register(app: typer.Typer) -> None:
    """Add `corpus` to the main `xxgk` app."""
    app.add_typer(corpus_app, name="corpus")


__all__ = ["Wanted", "corpus_app", "register"]
