"""One reading budget per document (issue 24 §2): every bomb, small on disk and huge once read,
is refused with R020 naming its limit, in ≤ 10 s and ≤ 500 MB peak RSS (measured in a subprocess
that only reads the file)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import bombs
from xxgk.errors import OverBudgetError
from xxgk.readers import read_bytes
from xxgk.settings import ReadSettings

SRC = str(Path(__file__).resolve().parents[1] / "src")
MAX_SECONDS = 10.0
MAX_RSS_MB = 500

# The peak RSS of the read alone: Linux keeps a process's high-water mark across fork and exec, so a
# subprocess of a big test worker (OCR models loaded) starts with the worker's peak; writing 5 to
# clear_refs resets it (Linux 4.0+), and VmHWM is then this process's own peak.
_READ = """
import json, resource, sys, time
def peak_mb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
try:
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
except OSError:
    pass
from xxgk.errors import XxgkError
from xxgk.readers import read_document
start = time.monotonic()
try:
    read_document(sys.argv[1])
    code, message = None, ""
except XxgkError as e:
    code, message = e.code, e.message
print(json.dumps({"code": code, "message": message, "seconds": time.monotonic() - start, "rss_mb": peak_mb()}))
"""


def read_in_subprocess(path: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": SRC}
    done = subprocess.run(
        [sys.executable, "-c", _READ, str(path)], capture_output=True, text=True, timeout=60, env=env, check=True
    )
    return json.loads(done.stdout)


BOMBS = {
    # name: (file name, generator, words the refusal must hold)
    "altchunk-fanout": ("a.docx", lambda: bombs.altchunk_fanout(100, 1.0), "解压后的内容总量过大"),
    "nested-mhtml": ("a.mhtml", lambda: bombs.nested_mhtml(1000), "嵌套层数过多"),
    "html-cells": ("a.html", lambda: bombs.html_cells(1_800_000), "表格单元格过多"),
    "pdf-path-segments": ("a.pdf", lambda: bombs.pdf_path_bomb(2_000_000), "PDF 图形路径过于复杂"),
    "pdf-content-stream": ("a.pdf", lambda: bombs.pdf_stream_bomb(48), "PDF 页面内容流解压后过大"),
    "pdf-pages": ("a.pdf", lambda: bombs.pdf_many_pages(500), "页数过多"),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_bomb_is_refused_fast_and_small(name: str, tmp_path: Path) -> None:
    file_name, make, words = BOMBS[name]
    path = tmp_path / file_name
    path.write_bytes(make())
    assert path.stat().st_size < 20 * 1024 * 1024  # (small on disk: under the file size limit)
    result = read_in_subprocess(path)
    assert result["code"] == "R020", result
    assert words in str(result["message"]) and "上限" in str(result["message"]), result
    assert float(str(result["seconds"])) <= MAX_SECONDS, result
    assert float(str(result["rss_mb"])) <= MAX_RSS_MB, result


def test_html_spans_stay_within_the_cell_budget() -> None:
    """Every cell spanning the HTML maximum: the grid is clamped, never expanded past the budget."""
    doc = read_bytes(bombs.html_spans(200), "a.html")
    assert sum(len(line.cells) for line in doc.lines) <= ReadSettings().max_cells


def test_nested_parts_share_one_budget() -> None:
    """Ten chunks of 1 MB each: read under a 16 MB budget, refused under 8 MB (the chunks'
    bytes are charged to the file, not to each chunk)."""
    page = b"<html><body><p>" + b"a" * 1048576 + b"</p></body></html>"
    data = bombs.docx_with_chunks([(f"p{i}.html", page) for i in range(10)])
    doc = read_bytes(data, "a.docx", ReadSettings(max_expanded_bytes=16 << 20))
    assert len(doc.lines) == 11
    with pytest.raises(OverBudgetError) as info:
        read_bytes(data, "a.docx", ReadSettings(max_expanded_bytes=8 << 20))
    assert info.value.code == "R020" and "8 MB" in info.value.message


def test_wall_time_limit_refuses() -> None:
    with pytest.raises(OverBudgetError) as info:
        read_bytes(bombs.pdf_many_pages(50), "a.pdf", ReadSettings(max_seconds=0.0))
    assert "读取时间过长" in info.value.message


def test_limits_do_not_refuse_real_reports() -> None:
    from xxgk.readers import read_document

    fixtures = Path(__file__).parent / "fixtures"
    read = [read_document(p) for p in sorted(fixtures.rglob("*")) if p.suffix in (".pdf", ".docx", ".html", ".mhtml")]
    assert read and all(doc.lines for doc in read)


def test_refusal_exits_2_for_that_file_only(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from xxgk.cli.main import app

    bomb = tmp_path / "bomb.mhtml"
    bomb.write_bytes(bombs.nested_mhtml(50))
    result = CliRunner().invoke(app, ["check", str(bomb)])
    assert result.exit_code == 2 and "R020" in result.output, result.output
