"""`xxgk new` and `xxgk render` end to end: outputs, checker findings, --strict, bad input (exit 2)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xxgk.cli.main import app

from .generate import random_consistent_tables
from .test_write_template import BAD_XLSX, BAD_YAML, make_report
from .test_write_template import write as write_file

runner = CliRunner()


def test_new_yaml_and_xlsx_then_render_every_format(tmp_path: Path) -> None:
    for suffix in ("yaml", "xlsx"):
        template = tmp_path / f"r.{suffix}"
        result = runner.invoke(app, ["new", "--agency", "某某镇人民政府", "--year", "2024", "-o", str(template)])
        assert result.exit_code == 0, result.output
        assert template.exists()
        for out in ("r.docx", "r.html", "r.md"):
            target = tmp_path / f"{suffix}-{out}"
            result = runner.invoke(app, ["render", str(template), "-o", str(target)])
            assert result.exit_code == 0, result.output
            assert "C061" in result.output  # empty cells are reported missing, not taken as 0
            assert target.stat().st_size > 0
    assert "文件已存在" in runner.invoke(app, ["new", "--agency", "甲", "--year", "2024", "-o", str(template)]).output
    assert not list(tmp_path.glob(".*.tmp"))


def test_render_fill_totals_and_strict(tmp_path: Path) -> None:
    values = random_consistent_tables(random.Random(9))
    report = make_report(values, {"t3.granted.total", "t4.review.total"})
    source = write_file(tmp_path, "r.json", report.dumps())
    out = tmp_path / "out.html"
    result = runner.invoke(app, ["render", str(source), "-o", str(out), "--fill-totals", "--strict"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert f'data-key="t3.granted.total">{values["t3.granted.total"]}<' in html
    # A total that disagrees: never overwritten, an error from the checker, --strict refuses.
    report = make_report(values, set())
    report.cells["t4.review.total"] = report.cells["t4.review.total"]._replace(value=int(values["t4.review.total"]) + 5)
    source = write_file(tmp_path, "bad.json", report.dumps())
    out = tmp_path / "strict.docx"
    result = runner.invoke(app, ["render", str(source), "-o", str(out), "--fill-totals", "--strict"])
    assert result.exit_code == 1, result.output
    assert "未覆盖" in result.output and "C041" in result.output
    assert not out.exists()
    result = runner.invoke(app, ["render", str(source), "-o", str(out)])
    assert result.exit_code == 0 and out.exists()


def test_render_a_seed_text_report(tmp_path: Path) -> None:
    from .conftest import seed

    out = tmp_path / "seed.md"
    result = runner.invoke(app, ["render", str(seed("002")), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "六安市金安区木厂镇" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", sorted(BAD_YAML))
def test_bad_yaml_exit_2_message_and_no_output(tmp_path: Path, case: str) -> None:
    text, expected = BAD_YAML[case]
    source = write_file(tmp_path, "bad.yaml", text)
    out = tmp_path / "out.docx"
    result = runner.invoke(app, ["render", str(source), "-o", str(out)])
    assert result.exit_code == 2, result.output
    for part in expected:
        assert part in result.output, (case, result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]  # nothing half-written


@pytest.mark.parametrize("case", sorted(BAD_XLSX))
def test_bad_xlsx_exit_2_message_and_no_output(tmp_path: Path, case: str) -> None:
    data, expected = BAD_XLSX[case]
    source = write_file(tmp_path, "bad.xlsx", data)
    result = runner.invoke(app, ["render", str(source), "-o", str(tmp_path / "out.pdf")])
    assert result.exit_code == 2, result.output
    for part in expected:
        assert part in result.output, (case, result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx"]


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", "--agency", "甲镇", "--year", "1999", "-o", str(tmp_path / "a.yaml")])
    assert result.exit_code == 2 and "1999" in result.output
    result = runner.invoke(app, ["new", "--agency", "甲镇", "--year", "2024", "-o", str(tmp_path / "a.txt")])
    assert result.exit_code == 2 and ".txt" in result.output
    source = write_file(tmp_path, "r.yaml", (tmp_path / "x").as_posix())
    result = runner.invoke(app, ["render", str(source), "-o", str(tmp_path / "no" / "dir.docx")])
    assert result.exit_code == 2 and "输出目录不存在" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.yaml"]
