"""`xxgk check` over many files: one outcome per file, in the order given, in worker processes
when the batch is large enough to gain from them.

A file's outcome (its part of the text output, or its JSON record, and its counts of findings)
is made entirely in the worker, so the parent only writes and counts: the output is the same
byte for byte whatever the number of jobs. A file that cannot be read is an outcome like any
other (never an exception). If a worker process dies (a crash inside a native library), the files
not yet checked are checked in the parent process, one by one.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

from rich.console import Console

from xxgk.api import check_report, read_report
from xxgk.cli import render
from xxgk.errors import XxgkError
from xxgk.findings import Severity
from xxgk.settings import CheckSettings, ReadSettings

# Files per worker process at least: for fewer, starting the workers costs more than they save
# (measured: ~15-20 ms for two forked workers, where a text report is checked in ~3-5 ms, a web
# page in ~5-10 ms, a PDF in ~60 ms; where processes are spawned, each also imports xxgk).
FILES_PER_JOB = 8
CHUNK = 4  # files handed to a worker at a time, at most: few round trips, the progress bar still moves
CHUNKS_PER_JOB = 4  # at least, so that a short batch of slow files (PDFs) is shared out evenly


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
class Outcome:
    """What checking one file gives: its text (text format) or record (JSON format), and counts."""

    path: str
    text: str
    record: dict[str, object] | None
    counts: dict[Severity, int]  # findings by severity
    unusable: bool


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


def check_one(
    path: Path, read_settings: ReadSettings, settings: CheckSettings, as_json: bool, styling: Styling
) -> Outcome:
    """Read and check one file; every failure becomes an unusable outcome with a zh-CN reason."""
    console = _console(styling)
    name = str(path)
    try:
        report = read_report(path, read_settings)
        findings = check_report(report, settings)
    except XxgkError as e:
        return _unusable(name, e.message, e.code, as_json, console)
    except Exception as e:  # one bad file never stops the batch, and never shows a traceback
        return _unusable(name, render.internal_error(e), None, as_json, console, known=False)
    severities = [f.severity for f in findings]
    counts = {severity: severities.count(severity) for severity in Severity}
    if as_json:
        record: dict[str, object] = {
            "file": name,
            "agency": report.meta.agency,
            "year": report.meta.year,
            "format_version": report.meta.format_version,
            "error": None,
            "findings": [f.to_json(report.spec) for f in findings],
        }
        return Outcome(name, "", record, counts, False)
    with console.capture() as captured:
        render.print_findings(console, name, report, findings)
    return Outcome(name, captured.get(), None, counts, False)


def _unusable(
    name: str, message: str, code: str | None, as_json: bool, console: Console, known: bool = True
) -> Outcome:
    if as_json:
        record: dict[str, object] = {"file": name, "error": message}
        if known:  # (its catalogue code, or null)
            record["error_code"] = code
        record["findings"] = []
        return Outcome(name, "", record, dict.fromkeys(Severity, 0), True)
    with console.capture() as captured:
        render.print_error(console, name, message, code)
    return Outcome(name, captured.get(), None, dict.fromkeys(Severity, 0), True)


def default_jobs(files: int) -> int:
    """Worker processes for a batch: one per usable CPU, fewer for a small batch (1: no workers)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # (not on Linux)
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, -(-files // FILES_PER_JOB)))  # (a job per FILES_PER_JOB files, rounded up)


def check_files(
    paths: list[Path], read_settings: ReadSettings, settings: CheckSettings, as_json: bool, styling: Styling, jobs: int
) -> Iterator[Outcome]:
    """The outcomes of `paths`, in their order; `jobs` > 1 checks them in that many processes.

    The worker processes are started by this call (not when the outcomes are taken): call it
    before any thread of this process (a progress bar's) runs, as a forked process inherits only
    the thread that forked it.
    """
    one = partial(check_one, read_settings=read_settings, settings=settings, as_json=as_json, styling=styling)
    jobs = min(jobs, len(paths))
    if jobs <= 1:
        return map(one, paths)
    methods = multiprocessing.get_all_start_methods()
    pool = ProcessPoolExecutor(
        initializer=_ignore_interrupts,
        max_workers=jobs,
        mp_context=multiprocessing.get_context("fork" if "fork" in methods else None),
    )
    chunk = max(1, min(CHUNK, len(paths) // (CHUNKS_PER_JOB * jobs)))
    return _in_order(pool, pool.map(one, paths, chunksize=chunk), one, paths)  # (map submits every file now)


def _ignore_interrupts() -> None:
    """In a worker: Ctrl-C is the parent's to handle (it stops the batch and the workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _in_order(
    pool: ProcessPoolExecutor, outcomes: Iterator[Outcome], one: Callable[[Path], Outcome], paths: list[Path]
) -> Iterator[Outcome]:
    done = 0
    try:
        for outcome in outcomes:
            yield outcome
            done += 1
    except BrokenProcessPool:
        pass  # (the files not yet checked: in this process, below)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    yield from map(one, paths[done:])
