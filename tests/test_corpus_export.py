"""Summary arithmetic and the export: the workbook holds exactly what the store holds, and no formulas."""

from __future__ import annotations

import csv
import math
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from xxgk.cli.corpus import corpus_app
from xxgk.corpus.export import cell_keys
from xxgk.corpus.store import open_store
from xxgk.corpus.summary import wilson

from .conftest import CORPUS
from .corpus_gen import write_corpus

runner = CliRunner()


@pytest.fixture(scope="module")
def store_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    db = folder / "c.sqlite3"
    files = folder / "in"
    write_corpus(files, ["某某市统计局", '=HYPERLINK("http://x")局'], [2023, 2024], seed=21)
    for name in ("002-sanming-shizf-2022.txt", "003-sanming-shizf-2023.txt", "901-putian-shizfb-2019.txt"):
        (files / name).write_bytes((CORPUS / name).read_bytes())
    result = runner.invoke(corpus_app, ["add", str(files), "--db", str(db)])
    assert "新入库 7" in result.output, result.output
    assert runner.invoke(corpus_app, ["check", "--db", str(db)]).exit_code in (0, 1)
    return db


def test_wilson_interval_matches_the_formula() -> None:
    low, high = wilson(81, 100)
    assert math.isclose(low, 0.7222, abs_tol=1e-4) and math.isclose(high, 0.8749, abs_tol=1e-4)
    assert wilson(0, 0) == (0.0, 0.0)
    assert math.isclose(wilson(10, 10)[1], 1.0) and math.isclose(wilson(10, 10)[0], 0.7225, abs_tol=1e-4)


def test_summary_shares_from_the_cells(store_db: Path) -> None:
    from xxgk.corpus.service import Selection, summary_of

    store = open_store(db=store_db)
    (report,) = [r for r in store.reports(year=2023) if r.agency_key == "三明市人民政府"]
    result = summary_of(store, Selection(year=2023, region="三明市"), min_sample=10)
    figures = result.by_agency["三明市人民政府"]
    granted = report.cells["t3.granted.total"] + report.cells["t3.partially_granted.total"]  # type: ignore[operator]
    assert figures.disclosed.share == granted / report.cells["t3.processed_total.total"]  # type: ignore[operator]
    assert figures.received == report.cells["t3.new_received.total"] == 302
    assert [r.name for r in result.ranking] == ["三明市人民政府"]
    assert result.by_region["三明市"].expected == 1
    # a region filter keeps its own agencies only
    assert set(summary_of(store, Selection(region="莆田市")).by_agency) == {"莆田市人民政府办公室"}
    store.close()


def test_cli_summary_ranks_only_large_samples(store_db: Path) -> None:
    shown = runner.invoke(corpus_app, ["summary", "--db", str(store_db), "--min-sample", "100000"])
    assert shown.exit_code == 0 and "不作排名" in shown.output
    bad = runner.invoke(corpus_app, ["summary", "--db", str(store_db), "--level", "大区"])
    assert bad.exit_code == 2 and "层级" in bad.output


def test_excel_round_trip_every_cell(store_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "年报.xlsx"
    result = runner.invoke(corpus_app, ["export", "--db", str(store_db), "-o", str(out)])
    assert result.exit_code == 0, result.output
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["单元格", "问题", "汇总"]
    sheet = workbook["单元格"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    keys = cell_keys()
    first_cell = header.index(keys[0][1])
    store = open_store(db=store_db)
    reports = {r.id: r for r in store.reports()}
    assert sorted(row[0] for row in body) == sorted(reports)
    compared = 0
    for row in body:
        report = reports[row[0]]
        for (key, _), value in zip(keys, row[first_cell:], strict=True):
            stored = report.cells.get(key)
            if stored is None:
                assert value is None, (report.path, key)
            else:
                assert Decimal(str(value)) == stored, (report.path, key)
                compared += 1
    assert compared > 1000
    findings = list(workbook["问题"].iter_rows(values_only=True))
    assert len(findings) - 1 == len(store.findings())
    assert {"规则", "页", "行", "指纹"} <= set(findings[0])
    store.close()


def test_formula_injection_is_written_as_text(store_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "年报.xlsx"
    runner.invoke(corpus_app, ["export", "--db", str(store_db), "-o", str(out)])
    sheet = load_workbook(out)["单元格"]
    agency_column = next(c for c in sheet[1] if c.value == "机关（原文）").column
    cells = [row[agency_column - 1] for row in sheet.iter_rows(min_row=2)]
    dangerous = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert dangerous and all(c.data_type == "s" for c in dangerous)
    csv_out = tmp_path / "年报.csv"
    runner.invoke(corpus_app, ["export", "--db", str(store_db), "-o", str(csv_out)])
    with csv_out.open(encoding="utf-8-sig") as f:
        values = [row[3] for row in csv.reader(f)][1:]
    assert any(v.startswith("'=HYPERLINK") for v in values) and not any(v.startswith("=") for v in values)


def test_parquet_has_the_same_rows(store_db: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "年报.parquet"
    result = runner.invoke(corpus_app, ["export", "--db", str(store_db), "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    store = open_store(db=store_db)
    assert table.num_rows == len(store.reports())
    received = dict(zip(table.column("报告编号").to_pylist(), table.column(cell_keys()[0][1]).to_pylist(), strict=True))
    assert all(received[r.id] == r.cells.get(cell_keys()[0][0]) for r in store.reports())
    store.close()
    bad = runner.invoke(corpus_app, ["export", "--db", str(store_db), "-o", str(tmp_path / "x.pdf")])
    assert bad.exit_code == 2 and "不支持的导出格式" in bad.output


def test_charts_png_and_svg(store_db: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    png = runner.invoke(corpus_app, ["charts", "--db", str(store_db), "-o", str(tmp_path / "png")])
    assert png.exit_code == 0, png.output
    files = sorted((tmp_path / "png").iterdir())
    assert len(files) == 4 and all(f.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for f in files)
    svg = runner.invoke(corpus_app, ["charts", "--db", str(store_db), "-o", str(tmp_path / "svg"), "--svg"])
    assert svg.exit_code == 0
    text = (tmp_path / "svg" / "办理结果构成.svg").read_text("utf-8")
    assert "办理结果构成" in text and "予以公开" in text


def test_workbook_writer_keeps_values_and_types(tmp_path: Path) -> None:
    from xxgk.corpus.xlsx import column_letter, write_workbook

    assert [column_letter(n) for n in (1, 26, 27, 52, 53, 702, 703)] == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]
    rows = [
        [1, 2.5, Decimal("3.25"), Decimal("4"), True, None, " 前后有空格 ", "a<b&c>d", "=1+1", "-3", "控\x01制\x1f符"],
        [None] * 10 + ["末"],
    ]
    out = tmp_path / "t.xlsx"
    write_workbook(out, [("表", [f"列{n}" for n in range(11)], rows), ("空", ["只有表头"], [])])
    workbook = load_workbook(out)
    sheet = workbook["表"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:K3"
    got = list(sheet.iter_rows(min_row=2, values_only=True))
    assert got[0] == (1, 2.5, 3.25, 4, True, None, " 前后有空格 ", "a<b&c>d", "=1+1", "-3", "控制符")
    assert got[1] == (None,) * 10 + ("末",)
    assert all(c.data_type == "s" for c in sheet[2][8:10])  # (text, never a formula or a number)
    assert workbook["空"].auto_filter.ref is None and workbook["空"]["A1"].value == "只有表头"
