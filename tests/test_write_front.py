"""The front door of xxgk.write: the WRITERS registry, render and check agreeing on what is written
(render --strict runs the same check as `xxgk check` of the written file), file modes kept."""

from __future__ import annotations

import ast
import os
import random
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xxgk import write
from xxgk.api import check_report, read_report
from xxgk.cli.main import app
from xxgk.findings import Finding
from xxgk.report import Report
from xxgk.write.errors import OutputError
from xxgk.write.template import dump_yaml

from .generate import random_consistent_tables
from .test_write_template import make_report

runner = CliRunner()
WRONG_PERIOD = "本报告统计期限自2024年1月1日起至2024年12月31日止。全年主动公开政府信息，依申请公开办理及时。"


def period_report(year: int = 2025, overview: str = WRONG_PERIOD, seed: int = 9) -> Report:
    values = random_consistent_tables(random.Random(seed))
    return make_report(values, set(), {"s1_overview": overview}, year=year)


# ---------------------------------------------------------------------------------------------
# The registry


def test_every_output_kind_renders_through_the_registry() -> None:
    report = period_report(2024)
    assert set(write.WRITERS) == {"docx", "pdf", "html", "md", "yaml", "xlsx"}
    starts = {"docx": b"PK", "xlsx": b"PK", "pdf": b"%PDF", "html": b"<!DOCTYPE html>", "md": b"# ", "yaml": b"# "}
    for kind in ("docx", "html", "md", "yaml", "xlsx"):
        data = write.render(report, kind)
        assert data.startswith(starts[kind]), kind
    assert write.kind_of("a/报告.PDF") == "pdf" and write.kind_of("x.markdown") == "md"
    assert write.kind_of("x.txt") is None
    with pytest.raises(OutputError, match="不支持的输出格式"):
        write.render(report, "odt")


def test_cli_write_calls_the_write_front_door_only() -> None:
    """cli/write.py parses and prints: it imports no writer module and no template module."""
    source = Path(write.__file__).parent.parent / "cli" / "write.py"
    imported = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    assert not {m for m in imported if m.startswith("xxgk.write.")}, imported
    assert "xxgk" in imported  # `from xxgk import write`


def test_load_template_is_the_one_entry(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(dump_yaml(period_report(2024)), encoding="utf-8")
    assert write.is_template(path) and not write.is_template(tmp_path / "r.txt")
    report = write.load_template(path)
    assert report.meta.year == 2024 and report.sections["s1_overview"].text == WRONG_PERIOD


# ---------------------------------------------------------------------------------------------
# render --strict is the check of `xxgk check` (issue 20 item 1)


@pytest.mark.parametrize("suffix", ["pdf", "docx", "md"])
def test_strict_refuses_a_statistics_period_of_another_year(tmp_path: Path, suffix: str) -> None:
    source = tmp_path / "x.yaml"
    source.write_text(dump_yaml(period_report(2025)), encoding="utf-8")
    out = tmp_path / f"x.{suffix}"
    result = runner.invoke(app, ["render", str(source), "-o", str(out), "--strict"])
    assert result.exit_code == 1, result.output
    assert "D081" in result.output and "2024-01-01 至 2024-12-31" in result.output
    assert not out.exists()
    # Without --strict the file is written, and `xxgk check` of it reports the same error.
    result = runner.invoke(app, ["render", str(source), "-o", str(out)])
    assert result.exit_code == 0 and "D081" in result.output
    assert "D081" in {f.code for f in check_report(read_report(out))}
    # The right period passes.
    source.write_text(dump_yaml(period_report(2025, WRONG_PERIOD.replace("2024", "2025"))), encoding="utf-8")
    result = runner.invoke(app, ["render", str(source), "-o", str(out), "--strict"])
    assert "D081" not in result.output


def _a_to_d(findings: list[Finding]) -> list[tuple[str, str, str, str]]:
    return sorted((f.code, f.location, repr(f.expected), repr(f.found)) for f in findings if f.code[0] in "ABCD")


TEMPLATES = {
    "wrong-period": lambda: period_report(2025),
    "consistent": lambda: period_report(2024, WRONG_PERIOD, seed=3),
    "cells-missing": lambda: make_report(
        random_consistent_tables(random.Random(5)), {"t3.granted.total", "t2.regulations.issued"}
    ),
}


@pytest.mark.parametrize("kind", ["md", "html", "docx", "pdf"])
@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_render_and_check_agree_on_the_written_file(tmp_path: Path, kind: str, name: str) -> None:
    report = TEMPLATES[name]()
    out = tmp_path / f"r.{write.WRITERS[kind].suffixes[0].lstrip('.')}"
    rendered = write.render_checked(report, kind, out, read_report, check_report)
    write.write_output(out, rendered.data)
    assert _a_to_d(rendered.findings) == _a_to_d(check_report(read_report(out)))
    assert _a_to_d(rendered.findings)  # (each case has findings to compare)


@pytest.mark.parametrize("kind", ["md", "docx", "pdf"])
def test_findings_point_at_the_template_line(tmp_path: Path, kind: str) -> None:
    source = tmp_path / "x.yaml"
    report = period_report(2025)
    report.cells["t3.granted.total"] = report.cells["t3.granted.total"]._replace(value=10**6)  # C0x1 errors
    text = dump_yaml(report)
    source.write_text(text, encoding="utf-8")
    rendered = write.render_checked(
        write.load_template(source), kind, tmp_path / f"x.{kind}", read_report, check_report
    )
    lines = text.splitlines()
    (d081,) = [f for f in rendered.findings if f.code == "D081"]
    assert d081.source is not None and d081.source.file == str(source)
    assert lines[d081.source.line - 1].strip().startswith("s1_overview:")
    about_total = [f for f in rendered.findings if f.location == "t3.granted.total"]
    assert about_total and all(f.source is not None and f.source.file == str(source) for f in about_total)
    assert all(lines[f.source.line - 1].strip().startswith("total: 1000000") for f in about_total if f.source)


# ---------------------------------------------------------------------------------------------
# The written file's mode (issue 25 item 8)


def test_render_over_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    source = tmp_path / "x.yaml"
    source.write_text(dump_yaml(period_report(2024)), encoding="utf-8")
    out = tmp_path / "x.md"
    out.write_text("old", encoding="utf-8")
    os.chmod(out, 0o600)
    result = runner.invoke(app, ["render", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text(encoding="utf-8").startswith("# ")
    os.chmod(out, 0o640)
    write.write_output(out, b"x")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_a_new_file_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write.write_output(tmp_path / "a.md", b"x")
        os.umask(0o022)
        write.write_output(tmp_path / "b.md", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.md").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "b.md").stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "b.md"]


def test_a_template_states_its_statistics_period_as_its_rendering_does(tmp_path: Path) -> None:
    source = tmp_path / "x.yaml"
    text = dump_yaml(period_report(2025))
    source.write_text(text, encoding="utf-8")
    report = write.load_template(source)
    assert report.meta.statistics_period is not None
    assert [d.isoformat() for d in report.meta.statistics_period] == ["2024-01-01", "2024-12-31"]
    (d081,) = [f for f in check_report(report) if f.code == "D081"]
    assert d081.source is not None and text.splitlines()[d081.source.line - 1].startswith("  s1_overview:")
    # A template written from it is refused by --strict too.
    result = runner.invoke(app, ["render", str(source), "-o", str(tmp_path / "y.yaml"), "--strict"])
    assert result.exit_code == 1 and "D081" in result.output
