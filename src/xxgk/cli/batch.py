"""`xxgk check` over many files: one outcome per file, in the order given, in worker processes
when the batch is large enough to gain from them.

A file's outcome (its part of the text output, or its record, or its rows, and its counts of
findings) is made entirely in the worker, so the parent only writes and counts: the output is the
same byte for byte whatever the number of jobs, and the parent keeps nothing of a file once it is
written. A file that cannot be read is an outcome like any other (never an exception). If a worker
process dies (a crash inside a native library), the files not yet checked are checked in the
parent process, one by one.

Each worker runs under a memory cap (`resource.setrlimit(RLIMIT_AS)`, `Job.worker_memory`) and a
time limit per file (`Job.file_seconds`: an alarm for Python code, a CPU limit for native code that
never returns to it). A file over either costs that file only: a MemoryError or the alarm is its
outcome; a worker that dies (killed by the CPU limit, SIGKILL, SIGABRT from a native library)
breaks the pool, and the files not yet checked are then checked one at a time in a fresh worker
each time one dies, so the file it died on is known and recorded with its reason. The parent
itself never reads a file of a batch with workers.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rich.console import Console

from xxgk.cli import render
from xxgk.cli.files import Target
from xxgk.display import show
from xxgk.findings import Severity
from xxgk.oserrors import zh_message
from xxgk.settings import CheckSettings, ReadSettings

if TYPE_CHECKING:
    from xxgk.findings import Finding
    from xxgk.report import Report

# Files per worker process at least: for fewer, starting the workers costs more than they save.
# Measured by benchmarks/bench_batch.py (-j 1 against -j 2 in one run): a forked worker costs
# ~15-20 ms to start, a text report is checked in ~3-5 ms, a web page in ~5-10 ms, a PDF in ~60 ms.
FILES_PER_JOB = 8
CHUNK = 4  # files handed to a worker at a time, at most: few round trips, the progress bar still moves
CHUNKS_PER_JOB = 4  # at least, so that a short batch of slow files (PDFs) is shared out evenly
TEMPLATE_SUFFIXES = frozenset({".yaml", ".yml", ".xlsx", ".json"})  # (named files only; see check_one)
# Limits of a batch worker (docs/limits.md): a report is read and checked in well under a second
# and 200 MB; these only stop a hostile or pathological file from taking the batch down with it.
DEFAULT_WORKER_MEMORY = 2 * 1024**3  # bytes of address space per worker (OCR: twice as much)
DEFAULT_FILE_SECONDS = 120.0  # per file, reading and checking (OCR: ten times as long)


class Mode:
    """What a worker makes of a file: text for people, a record (JSON), or table rows (CSV/XLSX)."""

    TEXT, RECORD, ROWS = "text", "record", "rows"


class Status:
    CHECKED = "checked"
    UNREADABLE = "unreadable"  # could not be read (or not a report, when named on the command line)
    SKIPPED = "skipped"  # found in a folder and not a report: said, and not counted
    DUPLICATE = "duplicate"  # the same report as an earlier file of the batch: said, not counted twice


ROW_HEADER = ("文件", "发布机关", "年度", "代码", "级别", "单元格/部分", "页/行", "期望", "实际", "说明")


@dataclass(frozen=True)
class Styling:
    """How the main console renders text, so that a worker renders a file's part the same way."""

    color_system: str | None
    force_terminal: bool
    width: int

    @classmethod
    def of(cls, console: Console) -> Styling:
        return cls(console.color_system, console.is_terminal, console.width)


@dataclass(frozen=True)
class Job:
    """What every file of a batch is checked with."""

    read_settings: ReadSettings = field(default_factory=ReadSettings)
    settings: CheckSettings = field(default_factory=CheckSettings)
    mode: str = Mode.TEXT
    styling: Styling = Styling(None, False, 100)
    min_severity: Severity = Severity.INFO
    worker_memory: int | None = DEFAULT_WORKER_MEMORY  # None: no cap
    file_seconds: float | None = DEFAULT_FILE_SECONDS  # None: no limit

    @property
    def memory_cap(self) -> int | None:
        if self.worker_memory is None:
            return None
        return self.worker_memory * (2 if self.read_settings.ocr else 1)

    @property
    def time_limit(self) -> float | None:
        if self.file_seconds is None:
            return None
        return self.file_seconds * (10 if self.read_settings.ocr else 1)


@dataclass(frozen=True)
class Outcome:
    """What checking one file gives: its text, record or rows (by the job's mode), and counts."""

    path: str
    status: str
    text: str
    record: dict[str, object] | None
    rows: list[tuple[object, ...]] | None
    counts: dict[Severity, int]  # findings by severity (those shown: at or above --min-severity)
    named: bool = True
    agency: str | None = None
    year: int | None = None
    error: str | None = None
    not_a_report: bool = False
    fingerprint: str | None = None  # agency, year and every cell's value: equal for the same report

    @property
    def unusable(self) -> bool:
        return self.status != Status.CHECKED


@lru_cache(maxsize=4)
def _console(styling: Styling) -> Console:
    return Console(
        file=io.StringIO(),
        color_system=styling.color_system,  # type: ignore[arg-type]  # (a name rich itself gave)
        force_terminal=styling.force_terminal,
        width=styling.width,
        highlight=False,
        soft_wrap=True,
    )


def read_report(path: Path, settings: ReadSettings) -> Report:
    from xxgk.api import gc_paused
    from xxgk.api import read_report as read

    # The GC pause is process-wide: taken here, in a batch worker, never in the library (a
    # threaded web server would have its collector switched off for every thread).
    with gc_paused():
        return read(path, settings)


def check_report(report: Report, settings: CheckSettings) -> list[Finding]:
    from xxgk.api import check_report as check

    return check(report, settings)


def load_template(path: Path) -> Report:
    from xxgk.write.template import load_template as load

    return load(path)


def shown_name(path: Path) -> str:
    """The file's name as every output shows it: bytes that are not UTF-8 (surrogates in the str)
    as `\\xff`, control characters (ESC, newline, TAB) as `\\x1b`, `\\n`, `\\t`; so a hostile name
    neither breaks the JSON or CSV written nor sends escape sequences to the terminal."""
    text = str(path)
    if text.isprintable():
        return text
    return "".join(_shown_char(ch) for ch in text)


def _shown_char(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # (an undecodable byte, as os.fsdecode keeps it)
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x20 or 0x7F <= code < 0xA0 or 0xD800 <= code <= 0xDFFF or ch in "\u2028\u2029":
        return ch.encode("unicode_escape", "backslashreplace").decode("ascii")
    return ch


def check_one(target: Target | Path, job: Job) -> Outcome:
    """Read and check one file; every failure becomes an unusable outcome with a zh-CN reason."""
    from xxgk.errors import NotAReportError, XxgkError

    if isinstance(target, Path):
        target = Target(target, named=True)
    name = shown_name(target.path)
    if target.problem is not None:
        return _unusable(name, target, target.problem, None, job)
    try:
        # (a fill-in template of `xxgk new` named on the command line: checked as `render` checks it)
        if target.named and target.path.suffix.lower() in TEMPLATE_SUFFIXES:
            report = load_template(target.path)
        else:
            report = read_report(target.path, job.read_settings)
        findings = check_report(report, job.settings)
    except NotAReportError as e:
        return _unusable(name, target, e.message, e.code, job, not_a_report=True)
    except XxgkError as e:
        return _unusable(name, target, e.message, e.code, job)
    except MemoryError:
        return _unusable(name, target, memory_reason(job), None, job)
    except Exception as e:  # one bad file never stops the batch, and never shows a traceback
        return _unusable(name, target, render.internal_error(e), None, job)
    findings = [f for f in findings if f.severity.rank <= job.min_severity.rank]
    severities = [f.severity for f in findings]
    counts = {severity: severities.count(severity) for severity in Severity}
    meta = report.meta
    common: dict[str, Any] = {
        "named": target.named,
        "agency": meta.agency,
        "year": meta.year,
        "fingerprint": _fingerprint(report),
    }
    if job.mode == Mode.RECORD:
        record: dict[str, object] = {
            "file": name,
            "status": Status.CHECKED,
            "agency": meta.agency,
            "year": meta.year,
            "format_version": meta.format_version,
            "error": None,
            "error_code": None,
            "duplicate_of": None,
            "findings": [f.to_json(report.spec) for f in findings],
        }
        if name != str(target.path):  # (a hostile name: also where the findings' sources repeat it)
            record = _renamed(record, str(target.path), name)
        return Outcome(name, Status.CHECKED, "", record, None, counts, **common)
    if job.mode == Mode.ROWS:
        rows = [_row(name, report, f) for f in findings]
        if name != str(target.path):
            rows = [_renamed(row, str(target.path), name) for row in rows]
        return Outcome(name, Status.CHECKED, "", None, rows, counts, **common)
    console = _console(job.styling)
    with console.capture() as captured:
        render.print_findings(console, name, report, findings)
    return Outcome(name, Status.CHECKED, captured.get(), None, None, counts, **common)


def _renamed(value: Any, raw: str, shown: str) -> Any:
    """`value` (a record, a row) with the raw file name replaced by the name shown, at any depth."""
    if isinstance(value, str):
        return value.replace(raw, shown)
    if isinstance(value, dict):
        return {k: _renamed(v, raw, shown) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_renamed(v, raw, shown) for v in value)
    return value


def _row(name: str, report: Report, f: Finding) -> tuple[object, ...]:
    m = report.meta
    where = f.source.describe_zh() if f.source else ""
    expected = None if f.expected is None else show(f.expected)
    found = show(f.found) if f.found is not None or f.expected is not None else None
    return (
        name,
        m.agency,
        m.year,
        f.code,
        f.severity.zh,
        f.location_name(report.spec),
        where,
        expected,
        found,
        f.message(report.spec),
    )


def _fingerprint(report: Report) -> str | None:
    """Agency, year and every cell's value; None when the report has too little to tell it apart."""
    m = report.meta
    values = sorted((k, str(c.value)) for k, c in report.cells.items() if c.value is not None)
    if not (m.agency and m.year and values):
        return None
    return hashlib.sha256(repr((m.agency, m.year, values)).encode()).hexdigest()


def _unusable(
    name: str, target: Target, message: str, code: str | None, job: Job, not_a_report: bool = False
) -> Outcome:
    message = zh_message(message)
    zero = dict.fromkeys(Severity, 0)
    common: dict[str, Any] = {"named": target.named, "error": message, "not_a_report": not_a_report}
    if job.mode == Mode.RECORD:
        record: dict[str, object] = {
            "file": name,
            "status": Status.UNREADABLE,
            "agency": None,
            "year": None,
            "format_version": None,
            "error": message,
            "error_code": code,  # (its catalogue code, or null)
            "duplicate_of": None,
            "findings": [],
        }
        return Outcome(name, Status.UNREADABLE, "", record, None, zero, **common)
    if job.mode == Mode.ROWS:
        row = (name, None, None, code, "无法读取", None, None, None, None, message)
        return Outcome(name, Status.UNREADABLE, "", None, [row], zero, **common)
    console = _console(job.styling)
    with console.capture() as captured:
        render.print_error(console, name, message, code)
    return Outcome(name, Status.UNREADABLE, captured.get(), None, None, zero, **common)


def memory_reason(job: Job) -> str:
    cap = job.memory_cap
    limit = f"（上限 {cap / 1024**3:.3g} GB）" if cap else ""
    return f"处理该文件所需内存超出上限{limit}，已跳过；可能是恶意构造或已损坏的文件"


def time_reason(job: Job) -> str:
    return f"处理该文件超时（上限 {job.time_limit:g} 秒），已跳过；可能是恶意构造或已损坏的文件"


def died_reason(job: Job) -> str:
    cap = job.memory_cap
    limit = f"内存上限 {cap / 1024**3:.3g} GB、" if cap else ""
    return (
        f"处理该文件的进程意外终止（可能超出{limit}时间上限 {job.time_limit or 0:g} 秒，或读取组件崩溃），"
        "已跳过；可能是恶意构造或已损坏的文件"
    )


class _FileTimeout(BaseException):
    """The alarm of the per-file time limit (a BaseException: no `except Exception` swallows it)."""


def _on_alarm(signum: int, frame: object) -> None:
    raise _FileTimeout


def guarded(target: Target, job: Job) -> Outcome:
    """`check_one` under the job's time limit, in a worker process: the alarm interrupts Python
    code; native code that never returns to Python is stopped by the CPU limit (the worker dies
    and the parent records the file, see `_isolated`)."""
    limit = job.time_limit
    if limit is None:
        return check_one(target, job)
    import resource

    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime + 2 * limit) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    # (a hard limit below it, set by whoever started us, cannot be raised: the alarm still applies)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, hard if hard == resource.RLIM_INFINITY else max(cpu, hard)))
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        return check_one(target, job)
    except _FileTimeout:
        return _unusable(shown_name(target.path), target, time_reason(job), None, job)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # (not on Linux)
        return os.cpu_count() or 1


def idle_cpus() -> int:
    """The usable CPUs that other processes are not already keeping busy (the 1-minute load
    average): measured by benchmarks/bench_batch.py --jobs, a second worker on a core that is
    busy with another program only adds the cost of starting it and passing results."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # (not on every system)
        load = 0.0
    return max(1, cpus() - int(load + 0.5))


def default_jobs(files: int) -> int:
    """Worker processes for a batch: one per idle CPU, fewer for a small batch (1: no workers)."""
    return max(1, min(idle_cpus(), -(-files // FILES_PER_JOB)))  # (a job per FILES_PER_JOB files, rounded up)


def check_files(targets: list[Target] | list[Path], job: Job, jobs: int) -> Iterator[Outcome]:
    """The outcomes of `targets`, in their order; `jobs` > 1 checks them in that many processes
    (`map_in_workers`: call this before any thread of this process runs, a progress bar's)."""
    items = [t if isinstance(t, Target) else Target(t, named=True) for t in targets]
    if min(jobs, len(items)) <= 1:
        return map(partial(check_one, job=job), items)
    workers = Workers(jobs, job.memory_cap, None if job.time_limit is None else 3 * job.time_limit + 30)
    return map_in_workers(items, partial(guarded, job=job), workers, partial(_lost, job=job))


def _lost(target: Target, timed_out: bool, job: Job) -> Outcome:
    """The outcome of a file whose worker died on it, or never came back from it."""
    reason = time_reason(job) if timed_out else died_reason(job)
    return _unusable(shown_name(target.path), target, reason, None, job)


T = TypeVar("T")  # an item of a batch (a file to check, a document to add)
R = TypeVar("R")  # its result


@dataclass(frozen=True)
class Workers:
    """How a batch is spread over worker processes."""

    jobs: int
    memory_cap: int | None  # bytes of address space per worker (None: no cap)
    wait: float | None  # seconds to wait for one file once files are taken one at a time (None: no limit)


def map_in_workers(
    items: list[T], one: Callable[[T], R], workers: Workers, lost: Callable[[T, bool], R]
) -> Iterator[R]:
    """`one` of each item, in order, computed in `workers.jobs` processes: the batch machinery of
    `xxgk check` and `xxgk corpus add`.

    The worker processes are started by this call (not when the results are taken): call it before
    any thread of this process (a progress bar's) runs, as a forked process inherits only the
    thread that forked it. Items are handed out as the workers take them, a bounded window ahead of
    the output, so the parent holds at most a few chunks of results. When a worker dies (a file
    past its memory or time limit, a reader's crash), the items not yet done are taken one at a
    time by a fresh worker each, so that only the item a worker died on is lost: `lost(item,
    timed_out)` stands in for its result. The parent itself never runs `one`.
    """
    pool = worker_pool(workers.jobs, workers.memory_cap)
    size = max(1, min(CHUNK, len(items) // (CHUNKS_PER_JOB * workers.jobs)))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    # (not pool.map: it submits every item at once and keeps every result not yet taken; here at
    # most `ahead` chunks are in flight. The first ones are submitted now, which starts the workers
    # before any thread of ours runs.)
    ahead = max(2 * workers.jobs, 4)
    pending = deque(pool.submit(_run_chunk, chunk, one) for chunk in chunks[:ahead])
    return _in_order(pool, pending, chunks[ahead:], one, items, workers, lost)


def worker_pool(jobs: int, memory_cap: int | None) -> ProcessPoolExecutor:
    """`jobs` worker processes (forked where the system can) that leave Ctrl-C to the parent and
    run under `memory_cap` bytes of address space."""
    methods = multiprocessing.get_all_start_methods()
    return ProcessPoolExecutor(
        initializer=_start_worker,
        initargs=(memory_cap,),
        max_workers=jobs,
        mp_context=multiprocessing.get_context("fork" if "fork" in methods else None),
    )


def _start_worker(memory_cap: int | None) -> None:
    """In a worker: Ctrl-C is the parent's to handle (it stops the batch and the workers), and
    the worker's memory is capped (an allocation past it is a MemoryError, or the worker dies)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # (workers share the cores: one OCR thread each, see readers.ocr.ocr_threads)
    os.environ.setdefault("XXGK_OCR_THREADS", "1")
    if memory_cap is not None:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            memory_cap = min(memory_cap, hard)
        # (not settable here: the reading budget still bounds every file)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (memory_cap, hard))


def _run_chunk(chunk: list[T], one: Callable[[T], R]) -> list[R]:
    return [one(item) for item in chunk]


def _in_order(
    pool: ProcessPoolExecutor,
    pending: deque[Future[list[R]]],
    later: list[list[T]],
    one: Callable[[T], R],
    items: list[T],
    workers: Workers,
    lost: Callable[[T, bool], R],
) -> Iterator[R]:
    done = 0
    waiting = iter(later)
    try:
        while pending:
            results = pending.popleft().result()
            chunk = next(waiting, None)
            if chunk is not None:
                pending.append(pool.submit(_run_chunk, chunk, one))
            for result in results:
                yield result
                done += 1
    except BrokenProcessPool:
        pass  # (a worker died: the items not yet done, one at a time, below)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    yield from _isolated(items[done:], one, workers, lost)


def _isolated(items: list[T], one: Callable[[T], R], workers: Workers, lost: Callable[[T, bool], R]) -> Iterator[R]:
    """`one` of each item, taken one at a time by one worker: when it dies, the item it was on is
    the one that killed it (`lost`) and a new worker goes on with the rest."""
    position = 0
    while position < len(items):
        pool = worker_pool(1, workers.memory_cap)
        try:
            while position < len(items):
                future = pool.submit(one, items[position])
                try:
                    result = future.result(timeout=workers.wait)
                except BrokenProcessPool:
                    position += 1
                    yield lost(items[position - 1], False)
                    break  # (a new worker for the rest)
                except TimeoutError:  # (stuck outside Python and the CPU limit: blocked, not busy)
                    _kill_workers(pool)
                    position += 1
                    yield lost(items[position - 1], True)
                    break
                position += 1
                yield result
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    for process in list(getattr(pool, "_processes", {}).values()):
        process.kill()
    time.sleep(0.05)
