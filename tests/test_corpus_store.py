"""The corpus store and `xxgk corpus add`: every report stored with its cells and findings, incremental,
versions, list files, and writes that survive kill -9 and concurrent writers."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from typer.testing import CliRunner

from xxgk.api import read_report
from xxgk.cli.corpus import corpus_app
from xxgk.corpus.records import plain_number
from xxgk.corpus.store import open_store
from xxgk.format import load_format

from .conftest import CORPUS
from .corpus_gen import write_corpus
from .test_ledger_store import PgServer, pg_server  # noqa: F401  (the throwaway PostgreSQL server fixture)

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
N_CELLS = len(load_format("gov2021").cells)
CLI = "import sys; from xxgk.cli.corpus import corpus_app; corpus_app(sys.argv[1:], prog_name='xxgk corpus')"


def corpus(*args: str) -> object:
    return runner.invoke(corpus_app, [str(a) for a in args])


def real_files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".html"))


def test_real_corpus_stored_cell_by_cell(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    result = corpus("add", CORPUS, "--db", db, "-j", "1")
    # (103 of shared/corpus is byte for byte 902: stored once, the second file skipped as unchanged)
    assert "新入库 20" in result.output and "同一报告的其他形式 2" in result.output, result.output
    assert "内容未变而跳过 1" in result.output
    assert "README.md" in result.output  # a file that is no report is recorded with its reason
    store = open_store(db=db)
    documents = store.documents()
    assert len(documents) == 23
    (readme,) = [d for d in documents if not d.usable]
    assert readme.path.endswith("README.md") and "年度报告" in readme.error
    latest = store.reports()
    assert len(latest) == 20 and len(store.reports(latest=False)) == 22
    by_path = {Path(r.path).name: r for r in store.reports(latest=False)}
    for path in real_files():
        if path.name == "902-sanming-shizf-2020.txt":  # (the copy of 103, skipped)
            assert (
                path.name not in by_path and path.read_bytes() == (CORPUS / "103-sanming-smsrmzf-2020.txt").read_bytes()
            )
            continue
        report = read_report(path)
        stored = by_path[path.name]
        assert stored.cells == {k: c.value for k, c in report.cells.items()}, path.name
        assert stored.year == report.meta.year and stored.spec_id == report.spec_id
    # the crawler's header gives the source
    assert by_path["006-putian-tongjiju-2021.txt"].source_published_at is not None
    assert next(d.source_url for d in documents if d.path.endswith("006-putian-tongjiju-2021.txt")).startswith(
        "https://"
    )
    # the copy of a report read from HTML stands for it (it reads more cells than the crawler text)
    chengguan = [r for r in latest if r.agency_key == "莆田市城市管理局"]
    assert [Path(r.path).suffix for r in chengguan] == [".html"]
    # findings stored with stable fingerprints
    findings = store.findings()
    assert findings and all(len(f.fingerprint) == 40 for f in findings)
    store.close()


def test_unchanged_files_are_skipped_and_fingerprints_stay(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    files = tmp_path / "in"
    files.mkdir()
    shutil.copy(CORPUS / "006-putian-tongjiju-2021.txt", files)
    corpus("add", files, "--db", db)
    again = corpus("add", files, "--db", db)
    assert "内容未变而跳过 1" in again.output and "新入库 0" in again.output
    store = open_store(db=db)
    first = sorted(f.fingerprint for f in store.findings())
    # the same report in another file whose lines moved: same findings, same fingerprints
    moved = files / "moved.txt"
    moved.write_text("\n\n\n" + (files / "006-putian-tongjiju-2021.txt").read_text("utf-8"), "utf-8")
    corpus("add", moved, "--db", db)
    copies = store.reports(latest=False)
    assert len(copies) == 2
    second = sorted(f.fingerprint for f in store.findings(report_ids=[copies[1].id]))
    assert second == first
    store.close()


def test_list_file_gives_sources_and_names_bad_lines(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    listing = tmp_path / "list.tsv"
    good = CORPUS / "002-sanming-shizf-2022.txt"
    listing.write_text(
        "path\turl\tdate\n"
        f"{good}\thttps://example.gov.cn/a.htm\t2023-03-04\n"
        "missing.txt\thttps://example.gov.cn/b.htm\t2023-03-04\n"
        f"{CORPUS / '003-sanming-shizf-2023.txt'}\tnot-a-url\t2023-03-04\n"
        f"{CORPUS / '004-sanming-shizf-2024.txt'}\thttps://example.gov.cn/c.htm\t去年\n",
        "utf-8",
    )
    result = corpus("add", listing, "--db", db)
    assert result.exit_code == 2
    assert "第3行" in result.output and "文件不存在" in result.output
    assert "第4行" in result.output and "http" in result.output
    assert "第5行" in result.output and "获取日期" in result.output
    assert "新入库 1" in result.output
    store = open_store(db=db)
    (document,) = store.documents()
    assert document.source_url == "https://example.gov.cn/a.htm"
    assert document.retrieved_at is not None  # (stored in UTC, given in China's time)
    assert document.retrieved_at.astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat() == "2023-03-04"
    store.close()


def test_modified_republication_is_a_new_version_with_its_changes(tmp_path: Path) -> None:
    made = write_corpus(tmp_path / "gen", ["某某市统计局"], [2024], seed=3)
    path, _ = made[("某某市统计局", 2024)]
    db = tmp_path / "c.sqlite3"
    corpus("add", path, "--db", db)
    text = path.read_text("utf-8")
    lines = text.splitlines()
    # 表四's data row (15 cells): the 复议 纠正 count and its total, both up by 5 (the identity still holds)
    t4_row = next(n for n, line in enumerate(lines) if len(line.split("\t")) == 15 and line.split("\t")[0].isdigit())
    cells = lines[t4_row].split("\t")
    cells[0] = str(int(cells[0]) + 5)
    cells[4] = str(int(cells[4]) + 5)
    lines[t4_row] = "\t".join(cells)
    republished = tmp_path / "republished.txt"
    republished.write_text("\n".join(lines), "utf-8")
    result = corpus("add", republished, "--db", db)
    assert "新版本 1" in result.output
    assert "发布后被修改" in result.output and "表四" in result.output, result.output
    store = open_store(db=db)
    versions = store.reports(latest=False)
    assert [r.version for r in versions] == [1, 2] and [r.latest for r in versions] == [False, True]
    changed = {k for k in versions[0].cells if versions[0].cells[k] != versions[1].cells[k]}
    assert changed and all(k.startswith("t4.") for k in changed)
    from xxgk.corpus.service import run_cross_checks

    (modified,) = [r for r in run_cross_checks(store) if r.finding.code == "X043"]
    assert set(modified.finding.found) == changed
    assert "发布后被修改" in modified.message
    store.close()


def _count(db: Path, table: str) -> int:
    try:
        with sqlite3.connect(db, timeout=30) as con:
            return int(con.execute(f"SELECT count(*) FROM xxgk_corpus_{table}").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _run(args: list[str]) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, "-c", CLI, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _consistent(db: Path) -> None:
    with sqlite3.connect(db) as con:
        partial = con.execute(
            "SELECT r.id, count(c.id) FROM xxgk_corpus_report r LEFT JOIN xxgk_corpus_cell c ON c.report_id = r.id "
            "GROUP BY r.id HAVING count(c.id) != ?",
            (N_CELLS,),
        ).fetchall()
        orphans = con.execute(
            "SELECT count(*) FROM xxgk_corpus_document d LEFT JOIN xxgk_corpus_report r ON r.document_id = d.id "
            "WHERE d.usable AND r.id IS NULL"
        ).fetchone()[0]
    assert partial == [] and orphans == 0


def test_kill_9_mid_ingest_loses_nothing_committed_and_rerun_completes(tmp_path: Path) -> None:
    agencies = [f"某某市第{n}局" for n in range(12)]
    write_corpus(tmp_path / "gen", agencies, [2023, 2024, 2025], seed=5)
    db = tmp_path / "c.sqlite3"
    process = _run(["add", str(tmp_path / "gen"), "--db", str(db), "-j", "1"])
    deadline = time.monotonic() + 120
    while _count(db, "report") < 5 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    stored = _count(db, "report")
    assert 5 <= stored < 36
    _consistent(db)
    rerun = _run(["add", str(tmp_path / "gen"), "--db", str(db)])
    output, errors = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, errors
    assert f"内容未变而跳过 {stored}" in output
    assert _count(db, "report") == 36
    _consistent(db)


def test_two_add_processes_at_once_on_one_sqlite_store(tmp_path: Path) -> None:
    write_corpus(tmp_path / "a", [f"某某县第{n}局" for n in range(6)], [2024, 2025], seed=7)
    write_corpus(tmp_path / "b", [f"某某区第{n}局" for n in range(6)], [2024, 2025], seed=8)
    db = tmp_path / "c.sqlite3"
    first = _run(["add", str(tmp_path / "a"), str(tmp_path / "b"), "--db", str(db), "-j", "1"])
    second = _run(["add", str(tmp_path / "b"), str(tmp_path / "a"), "--db", str(db), "-j", "1"])
    for process in (first, second):
        output, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors
        assert "共 24 个文件" in output
    assert _count(db, "report") == 24 and _count(db, "document") == 24
    _consistent(db)


def test_postgresql_store(pg_server: PgServer, tmp_path: Path) -> None:  # noqa: F811
    url = pg_server.new_database()
    os.environ["XXGK_CORPUS_FILES"] = str(tmp_path / "files")
    try:
        from xxgk.corpus.ingest import Source, file_sha256, ingest_file
        from xxgk.ledger.store.bootstrap import parse_database_url, setup_django

        setup_django()  # (before the store's models are imported: this test may be the first of its process)
        from xxgk.corpus.store.repository import open_corpus

        store = open_corpus(parse_database_url(url))
        items = []
        for name in ("002-sanming-shizf-2022.txt", "003-sanming-shizf-2023.txt", "004-sanming-shizf-2024.txt"):
            path = CORPUS / name
            sha, size = file_sha256(path)
            items.append(ingest_file(path, sha, size, Source()))
        assert store.add(items[0]).status == "added"
        assert [a.status for a in store.add_batch(items)] == ["known", "added", "added"]  # (bulk inserts)
        reports = store.reports()
        assert [r.cells["t3.carried_over_out.total"] for r in reports][:2] == [1, 0]
        assert len(reports) == 3 and len(store.findings()) == sum(len(i.findings) for i in items)
        assert reports[1].cells["t3.carried_over_in.total"] == 1
        assert plain_number(reports[0].cells["t2.administrative_fees.amount_wan_yuan"]) is not None
        assert (tmp_path / "files").is_dir()
        store.close()
    finally:
        del os.environ["XXGK_CORPUS_FILES"]
