"""The reviewer's 审查意见: every finding of the agency's report and of the cross-report checks, grouped by
section and table, with the expected value, last year's value and what to correct."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

from typer.testing import CliRunner

from xxgk.cli.corpus import corpus_app

from .conftest import CORPUS
from .corpus_gen import chained_values, report_text

runner = CliRunner()
AGENCY = "某某市统计局"


def _store(tmp_path: Path) -> Path:
    rng = random.Random(31)
    folder = tmp_path / "in"
    folder.mkdir()
    last = chained_values(rng, None)
    this = chained_values(rng, last)
    # 2024 says one more application was carried over (and one fewer new): its own tables still add up
    for key, delta in (("carried_over_in", 1), ("new_received", -1)):
        for column in ("natural_person", "total"):
            this[f"t3.{key}.{column}"] = int(this[f"t3.{key}.{column}"]) + delta
    (folder / "2023.txt").write_text(report_text(last, AGENCY, 2023, rng), "utf-8")
    (folder / "2024.txt").write_text(report_text(this, AGENCY, 2024, rng), "utf-8")
    db = tmp_path / "c.sqlite3"
    assert runner.invoke(corpus_app, ["add", str(folder), "--db", str(db)]).exit_code == 0
    checked = runner.invoke(corpus_app, ["check", "--db", str(db)])
    assert "X011" in checked.output
    return db


def test_review_html_lists_the_carry_over_with_last_years_value(tmp_path: Path) -> None:
    db = _store(tmp_path)
    out = tmp_path / "审查意见.html"
    result = runner.invoke(corpus_app, ["review", "统计局", "--year", "2024", "-o", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert f"关于{AGENCY}2024年政府信息公开工作年度报告的审查意见" in text
    assert "表三「收到和处理政府信息公开申请情况」" in text
    assert text.count("X011") == 2  # natural_person and total
    assert "上年报告：" in text and "应为：" in text and "整改要求：" in text


def test_review_docx_and_bad_requests(tmp_path: Path) -> None:
    db = _store(tmp_path)
    out = tmp_path / "审查意见.docx"
    result = runner.invoke(corpus_app, ["review", AGENCY, "--year", "2024", "-o", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    body = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert "审查意见" in body and "X011" in body
    missing = runner.invoke(corpus_app, ["review", AGENCY, "--year", "2030", "-o", str(out), "--db", str(db)])
    assert missing.exit_code == 2 and "没有" in missing.output and "2030" in missing.output
    unknown = runner.invoke(corpus_app, ["review", "某某县水利局", "--year", "2024", "-o", str(out), "--db", str(db)])
    assert unknown.exit_code == 2 and "没有机关" in unknown.output
    bad = runner.invoke(
        corpus_app, ["review", AGENCY, "--year", "2024", "-o", str(tmp_path / "x.txt"), "--db", str(db)]
    )
    assert bad.exit_code == 2


def test_region_review_writes_one_per_agency_and_the_overview(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    for name in ("007-putian-minzongju-2022.txt", "008-putian-yingjiju-2023.txt", "003-sanming-shizf-2023.txt"):
        assert runner.invoke(corpus_app, ["add", str(CORPUS / name), "--db", str(db)]).exit_code == 0
    out = tmp_path / "审查意见"
    result = runner.invoke(
        corpus_app,
        ["review", "--region", "莆田市", "--year", "2023", "-o", str(out), "--format", "html", "--db", str(db)],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["莆田市2023年审查情况.html", "莆田市应急管理局2023年审查意见.html"]
    overview = (out / "莆田市2023年审查情况.html").read_text("utf-8")
    # 民宗局 published for 2022 but not 2023: two reports expected, one found
    assert "年度报告 1 份（应有 2 份）" in overview and "莆田市应急管理局：错误" in overview
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        pass
    else:  # the region's charts are embedded
        assert overview.count("data:image/png;base64,") == 2
    both = runner.invoke(corpus_app, ["review", "某局", "--region", "莆田市", "--year", "2023", "--db", str(db)])
    assert both.exit_code == 2
