"""`xxgk parse` and `xxgk check` end to end, through the CLI."""

from __future__ import annotations

import json

import jsonschema
from typer.testing import CliRunner

from xxgk.cli.main import app
from xxgk.schema import report_schema

from .conftest import SEEDS, seed

runner = CliRunner()


def test_parse_json_matches_schema_and_keys() -> None:
    result = runner.invoke(app, ["parse", str(seed("003")), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    jsonschema.validate(data, report_schema())
    assert (data["agency"], data["year"], data["format_version"]) == ("虎林市宝东镇人民政府", 2024, "gov2021")
    cell = data["tables"]["t3"]["new_received"]["natural_person"]
    assert cell == {
        "value": 0,
        "state": "number",
        "raw": "0",
        "source": {"file": str(seed("003")), "line": 52, "cell": 2, "reader": "txt"},
    }
    review = data["tables"]["t4"]["review"]["total"]
    assert review["value"] is None and review["state"] == "empty"
    assert data["tables"]["t2"]["regulations"]["issued"]["value"] == 0
    assert data["sections"]["s5_problems"]["text"].startswith("2024年宝东镇政府信息公开工作虽然取得一定成")


def test_parse_text_shows_tables() -> None:
    result = runner.invoke(app, ["parse", str(seed("000"))])
    assert result.exit_code == 0
    assert "三门峡市陕州区大营镇人民政府" in result.output
    assert "表三" in result.output and "自然人" in result.output
    assert "读取情况" not in result.output  # (nothing to say about how this one was read)


def test_parse_text_says_how_the_values_were_read() -> None:
    result = runner.invoke(app, ["parse", str(seed("002"))])
    assert result.exit_code == 0
    assert result.output.rstrip().endswith("读取情况（1 条）\n  R013 提示  读取说明：第4行：删除了转换残留的书签标记")


def test_a_row_without_a_label_is_named() -> None:
    from xxgk.format import load_format

    spec = load_format("gov2021")
    assert spec.location_name("t4.values") == "表四的数值行"
    assert spec.location_name("t3.granted") == "表三「（一）予以公开」行"


def test_check_examples_text() -> None:
    result = runner.invoke(app, ["check", "--examples"])
    assert result.exit_code == 0, result.output
    assert "共 5 个文件：错误 0，警告 10，提示 5" in result.output
    assert "表四「行政复议」×「结果维持」缺失（空白），未按 0 计算" in result.output
    assert "第85行第1格" in result.output


def test_check_json_per_file() -> None:
    result = runner.invoke(app, ["check", *map(str, SEEDS), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert [d["file"] for d in data] == [str(p) for p in SEEDS]
    f003 = next(d for d in data if d["file"].endswith(seed("003").name))
    missing = [f for f in f003["findings"] if f["code"] == "C061"]
    assert len(missing) == 5
    assert set(missing[0]) >= {"code", "severity", "message", "location", "expected", "found"}
    assert {f["location"] for f in missing} == {
        f"t4.review.{c}" for c in ("upheld", "corrected", "other", "pending", "total")
    }


def test_select_and_ignore() -> None:
    only = json.loads(runner.invoke(app, ["check", str(seed("003")), "-f", "json", "--select", "C06"]).output)
    assert {f["code"] for f in only[0]["findings"]} == {"C061"}
    rest = json.loads(runner.invoke(app, ["check", str(seed("003")), "-f", "json", "--ignore", "C,D,R"]).output)
    assert rest[0]["findings"] == []


def test_errors_exit_1(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = (
        seed("000")
        .read_text("utf-8")
        .replace("一、本年新收政府信息公开申请数量\t\t0\t0", "一、本年新收政府信息公开申请数量\t\t3\t0")
    )
    bad = tmp_path / "bad.txt"
    bad.write_text(text, "utf-8")
    result = runner.invoke(app, ["check", str(bad), "-f", "json"])
    assert result.exit_code == 1
    codes = {(f["code"], f["location"]) for f in json.loads(result.output)[0]["findings"]}
    assert ("C021", "t3.new_received.total") in codes
    assert ("C011", "t3.carried_over_out.natural_person") in codes


def test_usage_errors_exit_2() -> None:
    assert runner.invoke(app, ["check"]).exit_code == 2
    assert runner.invoke(app, ["check", str(seed("000")), "--format", "xml"]).exit_code == 2
