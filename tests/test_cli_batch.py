"""`xxgk check` over many files in worker processes: the same output as one by one, in order."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from xxgk.cli import batch
from xxgk.cli.files import expand, suffixes
from xxgk.cli.main import app
from xxgk.findings import Severity
from xxgk.readers import READERS
from xxgk.settings import CheckSettings, ReadSettings

from .conftest import SEEDS

runner = CliRunner()
CORPUS = Path(__file__).parent / "fixtures" / "corpus"
PLAIN = batch.Styling(None, False, 100)


@pytest.fixture(scope="module")
def mixed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds, real corpus reports (text and web pages) and unusable files, 24 in all."""
    d = tmp_path_factory.mktemp("batch")
    # (the 15 first corpus files: enough kinds for the batch; the later ones add only time here)
    for p in [*SEEDS, *sorted(CORPUS.glob("[09]*.txt")), *sorted(CORPUS.glob("[09]*.html"))]:
        shutil.copy(p, d / p.name)
    (d / "empty.txt").write_bytes(b"")
    (d / "junk.pdf").write_bytes(os.urandom(3000))
    (d / "cut.pdf").write_bytes(b"%PDF-1.4\n1 0 obj")
    (d / "notes.md").write_text("# 会议记录\n\n今天没有议题。\n", encoding="utf-8")
    return d


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_parallel_output_is_the_serial_output(mixed_dir: Path, fmt: str) -> None:
    serial = runner.invoke(app, ["check", str(mixed_dir), "-j", "1", "-f", fmt])
    parallel = runner.invoke(app, ["check", str(mixed_dir), "-j", "3", "-f", fmt])
    assert serial.exit_code == parallel.exit_code == 1  # (files not read among them, others read)
    assert parallel.output == serial.output
    files = expand([mixed_dir])
    assert len(files) == 24
    if fmt == "json":
        records = json.loads(parallel.output)
        assert [r["file"] for r in records] == [str(f) for f in files]
        unusable = {Path(r["file"]).name: r for r in records if r["error"]}
        assert set(unusable) == {"empty.txt", "junk.pdf", "cut.pdf", "notes.md"}
        assert unusable["empty.txt"]["error"] == "文件为空" and unusable["empty.txt"]["status"] == "unreadable"
        assert unusable["notes.md"]["status"] == "skipped"  # (not a report, found in a folder)
    else:
        assert "共 24 个文件：" in parallel.output and "无法读取 3 个" in parallel.output
        assert "跳过 1 个（不是年度报告）" in parallel.output
        # every file's block, in the order of the file list
        positions = [parallel.output.index(f"━━ {f}") for f in files]
        assert positions == sorted(positions)


def test_outcomes_count_findings_by_severity() -> None:
    outcomes = list(batch.check_files(list(SEEDS), batch.Job(styling=PLAIN), 2))
    assert [o.path for o in outcomes] == [str(p) for p in SEEDS]
    total = {s: sum(o.counts[s] for o in outcomes) for s in Severity}
    # the same totals `xxgk check --examples` prints (test_cli.test_check_examples_text)
    assert total == {Severity.ERROR: 0, Severity.WARNING: 10, Severity.INFO: 5}
    assert all(o.text.startswith(f"━━ {o.path}") and o.record is None for o in outcomes)


def test_a_worker_that_dies_costs_its_file_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed on one file (SIGKILL, SIGABRT, os._exit: a native crash or the memory cap):
    that file is unreadable with its zh-CN reason, every other one is checked, in order, and the
    parent reads none of them."""
    parent = os.getpid()
    real = batch.read_report
    killing = {SEEDS[2]: signal.SIGKILL, SEEDS[4]: signal.SIGABRT}
    read_by_parent: list[Path] = []

    def read_or_die(path: Path, settings: ReadSettings) -> object:
        if os.getpid() == parent:
            read_by_parent.append(Path(path))
        elif Path(path) in killing:
            os.kill(os.getpid(), killing[Path(path)])
        return real(path, settings)

    monkeypatch.setattr(batch, "read_report", read_or_die)  # (inherited by the forked workers)
    paths = list(SEEDS) * 2
    job = batch.Job(mode=batch.Mode.RECORD, styling=PLAIN)
    outcomes = list(batch.check_files(paths, job, 2))
    assert [o.path for o in outcomes] == [str(p) for p in paths]
    assert not read_by_parent
    for path, outcome in zip(paths, outcomes, strict=True):
        if path in killing:
            assert outcome.unusable and outcome.error and "进程意外终止" in outcome.error, outcome
        else:
            assert not outcome.unusable, outcome
    expected = {o.path: o.record for o in batch.check_files(list(SEEDS), job, 1)}
    assert all(o.record == expected[o.path] for o in outcomes if Path(o.path) not in killing)


def test_batch_of_three_with_a_deadly_middle_file_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`xxgk check -j 2 a b c` whose middle file kills its worker: a and c checked, b has its
    reason, exit code 1 (some files could not be read)."""
    files = [tmp_path / n for n in ("a.txt", "b.txt", "c.txt")]
    for f, seed in zip(files, SEEDS, strict=False):
        shutil.copy(seed, f)
    parent, real = os.getpid(), batch.read_report

    def read_or_die(path: Path, settings: ReadSettings) -> object:
        if os.getpid() != parent and Path(path).name == "b.txt":
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, settings)

    monkeypatch.setattr(batch, "read_report", read_or_die)
    result = runner.invoke(app, ["check", "-j", "2", "--format", "json", *map(str, files)])
    records = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")] or json.loads(
        result.output
    )
    by_name = {Path(r["file"]).name: r for r in records}
    assert by_name["a.txt"]["status"] == by_name["c.txt"]["status"] == "checked", result.output
    assert by_name["b.txt"]["status"] == "unreadable" and "进程意外终止" in by_name["b.txt"]["error"]
    assert result.exit_code == 1, result.output


def test_memory_cap_and_time_limit_cost_the_file_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    parent, real = os.getpid(), batch.read_report

    def hungry_or_slow(path: Path, settings: ReadSettings) -> object:
        if os.getpid() != parent and Path(path) == SEEDS[1]:
            bytearray(3 * 1024**3)  # past the 1 GB cap below: MemoryError
        if os.getpid() != parent and Path(path) == SEEDS[3]:
            time.sleep(30)  # past the 1 s limit below
        return real(path, settings)

    monkeypatch.setattr(batch, "read_report", hungry_or_slow)
    job = batch.Job(mode=batch.Mode.RECORD, styling=PLAIN, worker_memory=1024**3, file_seconds=1.0)
    outcomes = list(batch.check_files(list(SEEDS)[:5], job, 2))
    assert [o.unusable for o in outcomes] == [False, True, False, True, False]
    assert outcomes[1].error and "内存超出上限（上限 1 GB）" in outcomes[1].error
    assert outcomes[3].error and "超时（上限 1 秒）" in outcomes[3].error


def test_default_jobs_grow_with_the_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))  # (an idle machine)
    cpus = len(os.sched_getaffinity(0))
    assert batch.default_jobs(1) == 1
    assert batch.default_jobs(batch.FILES_PER_JOB) == 1
    assert batch.default_jobs(batch.FILES_PER_JOB + 1) == min(cpus, 2)
    assert batch.default_jobs(10_000) == cpus


def test_default_jobs_leave_busy_cpus_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    cpus = len(os.sched_getaffinity(0))
    monkeypatch.setattr(os, "getloadavg", lambda: (float(cpus), 0.0, 0.0))  # (every core busy elsewhere)
    assert batch.default_jobs(10_000) == 1
    monkeypatch.setattr(os, "getloadavg", lambda: (cpus - 1.2, 0.0, 0.0))
    assert batch.default_jobs(10_000) == 1
    monkeypatch.setattr(os, "getloadavg", lambda: (cpus - 2.0, 0.0, 0.0))
    assert batch.default_jobs(10_000) == min(cpus, 2)


def test_directories_yield_every_readers_suffixes(tmp_path: Path) -> None:
    names = ["a.mhtml", "b.MHT", "c.shtml", "d.markdown", "e.docx", "f.htm", "g.jpg", "h", "i.xlsx"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in expand([tmp_path])] == ["a.mhtml", "b.MHT", "c.shtml", "d.markdown", "e.docx", "f.htm"]
    assert {s for r in READERS for s in r.suffixes if s} == suffixes(images=True)
    # Pictures only with --ocr (a saved web page keeps its images beside it).
    assert [p.name for p in expand([tmp_path], images=True)] == [
        "a.mhtml",
        "b.MHT",
        "c.shtml",
        "d.markdown",
        "e.docx",
        "f.htm",
        "g.jpg",
    ]


def test_ctrl_c_stops_the_batch_and_its_workers(tmp_path: Path) -> None:
    """Ctrl-C reaches the whole process group: exit 130 with 已中断, no traceback, no worker left."""
    for i in range(400):
        shutil.copy(SEEDS[i % len(SEEDS)], tmp_path / f"{i:03d}.txt")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from xxgk.cli.main import run; run()", "check", str(tmp_path), "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # (its own process group, as a terminal's foreground job)
    )
    assert proc.stdout is not None
    proc.stdout.readline()  # the first file's outcome: the workers are running
    workers = _children(proc.pid)
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "已中断" in stderr.decode() and "Traceback" not in stderr.decode()
    assert len(workers) == 2 and not any(Path(f"/proc/{pid}").exists() for pid in workers)


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_unexpected_exception_is_one_files_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    paths = [tmp_path / f"{i:02d}.txt" for i in range(12)]
    for i, p in enumerate(paths):
        shutil.copy(SEEDS[i % len(SEEDS)], p)
    real = batch.check_report

    def check_or_fail(report: Any, settings: CheckSettings) -> Any:
        if Path(report.path).name == "03.txt":
            raise ValueError("a bug")
        return real(report, settings)

    monkeypatch.delenv("XXGK_DEBUG", raising=False)
    monkeypatch.setattr(batch, "check_report", check_or_fail)  # (inherited by the forked workers)
    result = runner.invoke(app, ["check", str(tmp_path), "-j", jobs, "-f", "json"])
    assert result.exit_code == 1
    records = json.loads(result.output)
    assert [Path(r["file"]).name for r in records] == [p.name for p in paths]
    failed = records[3]
    assert failed["error"].startswith("内部错误（ValueError）") and failed["error_code"] is None
    assert all(r["error"] is None for i, r in enumerate(records) if i != 3)


def test_the_workers_start_before_the_outcomes_are_taken() -> None:
    """`xxgk check` starts its progress bar's thread after check_files: the workers must exist by then
    (a process forked while another thread holds a lock could hang)."""
    before = set(_children(os.getpid()))
    outcomes = batch.check_files(list(SEEDS) * 8, batch.Job(styling=PLAIN), 2)
    started = set(_children(os.getpid())) - before
    assert len(started) == 2
    assert len(list(outcomes)) == len(SEEDS) * 8
