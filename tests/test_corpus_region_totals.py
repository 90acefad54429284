"""X071/X072: a county's 全县 report against the sum of its agencies' reports."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xxgk.cli.corpus import corpus_app
from xxgk.corpus.crossrules import CrossSettings, check_corpus
from xxgk.corpus.overrides import load_overrides
from xxgk.corpus.records import CorpusReport
from xxgk.corpus.regions import divisions
from xxgk.corpus.regiontotals import is_summary, summed_cells
from xxgk.corpus.store import open_store
from xxgk.errors import XxgkError

from .corpus_gen import report_text, write_corpus
from .test_corpus_rules import generated

COUNTY = "350426"  # 三明市尤溪县
runner = CliRunner()


def _county(tmp_path: Path) -> tuple[CorpusReport, list[CorpusReport]]:
    """A 全县 report whose every cell is the sum of three reports of the county (government, department,
    township), made from generated reports with consistent tables."""
    own, bureau, town = generated(tmp_path, agencies=3, years=(2024,))
    parts = [
        replace(own, agency_key="三明市尤溪县人民政府", kind="government", region=COUNTY, title="尤溪县2024年报告"),
        replace(bureau, agency_key="三明市尤溪县教育局", kind="department", region=COUNTY),
        replace(town, agency_key="三明市尤溪县城关镇人民政府", kind="township", level="township", region=COUNTY),
    ]
    keys = summed_cells(own)
    cells = {k: sum(p.cells[k] for p in parts) for k in keys}  # type: ignore[misc]
    summary = replace(
        own,
        id=99,
        agency_key="三明市尤溪县全县",
        kind="government",
        agency_name="尤溪县人民政府",
        title="尤溪县2024年全县政府信息公开工作年度报告",
        region=COUNTY,
        cells=cells,
    )
    return summary, parts


def _found(results: list, code: str) -> list:  # type: ignore[type-arg]
    return [r for r in results if r.finding.code == code]


def test_a_summary_equal_to_the_sum_is_silent(tmp_path: Path) -> None:
    summary, parts = _county(tmp_path)
    assert is_summary(summary) and not any(is_summary(p) for p in parts)
    assert len(summed_cells(summary)) > 60  # t2 counts, every t3 and t4 cell
    results = check_corpus([summary, *parts])
    assert not _found(results, "X071") and not _found(results, "X072")


def test_a_summary_that_differs_in_one_cell_is_warned(tmp_path: Path) -> None:
    summary, parts = _county(tmp_path)
    true_sum = sum(int(p.cells["t4.review.total"]) for p in parts)  # type: ignore[arg-type]
    wrong = replace(summary, cells={**summary.cells, "t4.review.total": true_sum + 3})
    (x071,) = _found(check_corpus([wrong, *parts]), "X071")
    assert x071.finding.location == "t4.review.total" and x071.report_id == 99
    assert (x071.finding.expected, x071.finding.found) == (true_sum, true_sum + 3)
    assert x071.severity == "warning"
    assert "表四「行政复议」×「总计」" in x071.message and "3 份报告之和" in x071.message and "相差 3" in x071.message
    # the region from the place names when no code is known, the same finding
    coded = [replace(r, region=None) for r in (wrong, *parts)]
    coded[0] = replace(coded[0], agency_key="三明市尤溪县全县汇总")
    assert [r.finding.location for r in _found(check_corpus(coded), "X071")] == ["t4.review.total"]
    # an agency of another county is not summed: its report does not change the sum
    other = replace(parts[1], id=98, agency_key="三明市大田县教育局", region="350425")
    assert len(_found(check_corpus([wrong, *parts, other]), "X071")) == 1


def test_a_missing_cell_is_skipped_and_said_once(tmp_path: Path) -> None:
    summary, parts = _county(tmp_path)
    lacking = replace(parts[1], cells={**parts[1].cells, "t4.review.total": None, "t3.granted.total": None})
    wrong = replace(summary, cells={**summary.cells, "t4.review.total": 10_000})
    results = check_corpus([wrong, parts[0], lacking, parts[2]])
    assert not _found(results, "X071")  # the one wrong cell is the one a part lacks: not compared
    (note,) = _found(results, "X072")
    skipped = ["t3.granted.total", "t4.review.total"]
    assert all(k in summary.cells for k in skipped)
    assert note.finding.found == sorted(skipped) and note.severity == "info"
    assert f"{len(skipped)}个单元格" in note.message and "三明市尤溪县教育局" in note.message


def test_the_user_marks_a_summary_and_a_department_is_never_one(tmp_path: Path) -> None:
    summary, parts = _county(tmp_path)
    plain = replace(summary, agency_key="尤溪县政务公开办公室", agency_name="尤溪县政务公开办公室", kind="department")
    wrong = replace(plain, cells={**plain.cells, "t4.review.total": 10_000})
    assert not is_summary(replace(wrong, title="尤溪县教育系统汇总报告"))
    assert not _found(check_corpus([wrong, *parts]), "X071")
    toml = tmp_path / "agencies.toml"
    toml.write_text('[[agency]]\nname = "尤溪县政务公开办公室"\nsummary = true\n', "utf-8")
    marked = load_overrides(toml).summary_agencies()
    (x071,) = _found(check_corpus([wrong, *parts], settings=CrossSettings(summary_agencies=marked)), "X071")
    assert x071.finding.found == 10_000
    toml.write_text('[[agency]]\nname = "尤溪县政务公开办公室"\nsummary = "是"\n', "utf-8")
    with pytest.raises(XxgkError, match=r"第1行.*summary"):
        load_overrides(toml)


def test_stored_reports_carry_their_region_and_the_check_finds_the_summary(tmp_path: Path) -> None:
    folder, db = tmp_path / "in", tmp_path / "c.sqlite3"
    made = write_corpus(folder, ["三明市尤溪县教育局", "三明市尤溪县城关镇人民政府"], [2024], seed=5)
    parts = [values for _, values in made.values()]
    summed = {k: sum(p[k] for p in parts) for k in parts[0]}  # type: ignore[misc]
    summed["t4.review.total"] = int(summed["t4.review.total"]) + 2
    summary_name = "三明市尤溪县政务公开办公室"
    (folder / "summary.txt").write_text(report_text(summed, summary_name, 2024, random.Random(1)), "utf-8")
    assert runner.invoke(corpus_app, ["add", str(folder), "--db", str(db)]).exit_code == 0
    toml = tmp_path / "agencies.toml"
    toml.write_text(f'[[agency]]\nname = "{summary_name}"\nsummary = true\n', "utf-8")
    done = runner.invoke(corpus_app, ["check", "--db", str(db), "--agencies", str(toml)])
    assert done.exit_code == 0, done.output
    x071 = [line for line in done.output.splitlines() if "X071" in line]
    assert len(x071) == 1 and summary_name in x071[0] and "相差 2" in x071[0] and "2 份报告之和" in x071[0]
    assert "X071" not in runner.invoke(corpus_app, ["check", "--db", str(db)]).output  # not marked: no summary
    if divisions():
        store = open_store(db=db)
        assert {r.region for r in store.reports()} == {COUNTY}
        store.close()
