"""Fill-in templates: YAML/XLSX/JSON round trips, the template's content, and bad input named by place."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from xxgk.format import load_format
from xxgk.report import CellState, Number, Report
from xxgk.write.errors import TemplateError
from xxgk.write.layout import Role, table_layouts
from xxgk.write.template import (
    PLACEHOLDER,
    dump_xlsx,
    dump_yaml,
    load_template,
    new_template,
    template_report,
)

from .generate import consistent_tables

SPEC = load_format()
KEYS = sorted(SPEC.cells)
AGENCY = "某某镇人民政府"

# Section texts: one to three stripped lines of letters, digits and punctuation.
_line = st.text(alphabet=st.characters(categories=("L", "N", "P")), min_size=1, max_size=30).map(str.strip)
section_texts = st.lists(_line.filter(bool), min_size=1, max_size=3).map("\n".join)


def make_report(
    values: Mapping[str, Number],
    missing: set[str] = frozenset(),  # type: ignore[assignment]
    texts: Mapping[str, str] | None = None,
    year: int = 2024,
) -> Report:
    """A template report with `values` filled in (cells in `missing` left empty) and section texts."""
    report = template_report(AGENCY, year, date(year + 1, 1, 15))
    for key, value in values.items():
        if key not in missing:
            report.cells[key] = report.cells[key]._replace(value=value, state=CellState.NUMBER)
    for i, s in enumerate(SPEC.sections):
        report.sections[s.key].text = (texts or {}).get(s.key, f"第{i + 1}部分的正文。\n第二段：数字 12 件。")
    return report


def cell_values(report: Report) -> dict[str, Number | None]:
    return {k: c.value for k, c in report.cells.items()}


def section_texts_of(report: Report) -> dict[str, str]:
    return {k: s.text for k, s in report.sections.items()}


def write(tmp: Path, name: str, data: bytes | str) -> Path:
    path = tmp / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# ---------------------------------------------------------------------------------------------
# The empty template


def test_new_yaml_template_has_every_cell_empty_and_commented(tmp_path: Path) -> None:
    text = new_template(AGENCY, 2024, "yaml").decode("utf-8")
    for s in SPEC.sections:
        assert f"# {s.heading}" in text and f"  {s.key}:" in text
    for t in SPEC.tables.values():
        assert f"# {t.name} {t.title}" in text
    assert SPEC.raw["tables"]["t3"]["corner_note"] in text
    report = load_template(write(tmp_path, "r.yaml", text))
    assert all(c.value is None and c.state is CellState.EMPTY for c in report.cells.values())
    assert len(report.cells) == 200
    assert all(s.heading == SPEC.section(k).heading and s.text == "" for k, s in report.sections.items())
    assert (report.meta.agency, report.meta.year) == (AGENCY, 2024)
    assert report.meta.title == f"{AGENCY}2024年政府信息公开工作年度报告"
    # Provenance: the YAML line of each cell.
    src = report.cells["t3.granted.natural_person"].source
    assert src is not None and src.file.endswith("r.yaml") and src.line is not None
    assert text.splitlines()[src.line - 1].strip().startswith("natural_person:")


def test_new_xlsx_template_layout_locks_and_validation(tmp_path: Path) -> None:
    data = new_template(AGENCY, 2024, "xlsx")
    wb = load_workbook(io.BytesIO(data))
    layouts = table_layouts()
    assert wb.sheetnames[1:] == [lay.name for lay in layouts.values()]
    for layout in layouts.values():
        ws = wb[layout.name]
        assert ws.protection.sheet
        merges = {str(r) for r in ws.merged_cells.ranges}
        spans = [p for p in layout.placed() if p.cell.rowspan > 1 or p.cell.colspan > 1]
        assert len(merges) == len(spans) + 1  # + the title row
        kinds = {dv.type for dv in ws.data_validations.dataValidation}
        assert "whole" in kinds
        for p in layout.placed():
            cell = ws.cell(p.row + 2, p.col + 1)
            if p.cell.role is Role.VALUE:
                assert cell.value is None and not cell.protection.locked
            else:
                assert cell.value == p.cell.text and cell.protection.locked
    fee = [dv for dv in wb["表二"].data_validations.dataValidation if dv.type == "decimal"]
    assert len(fee) == 1 and fee[0].operator == "greaterThanOrEqual"
    report = load_template(write(tmp_path, "r.xlsx", data))
    assert all(c.state is CellState.EMPTY for c in report.cells.values())
    src = report.cells["t3.granted.natural_person"].source
    assert src is not None and src.reader.startswith("xlsx:表三!")


# ---------------------------------------------------------------------------------------------
# Round trips: template → load → the same values and texts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=consistent_tables(),
    missing=st.sets(st.sampled_from(KEYS), max_size=30),
    texts=st.fixed_dictionaries({s.key: section_texts for s in SPEC.sections}),
)
def test_yaml_round_trip(tmp_path: Path, values: dict[str, Number], missing: set[str], texts: dict[str, str]) -> None:
    report = make_report(values, missing, texts)
    loaded = load_template(write(tmp_path, "r.yaml", dump_yaml(report)))
    assert cell_values(loaded) == cell_values(report)
    assert {k for k, c in loaded.cells.items() if c.state is CellState.EMPTY} == missing
    assert section_texts_of(loaded) == texts
    assert (loaded.meta.agency, loaded.meta.year, loaded.meta.date) == (AGENCY, 2024, date(2025, 1, 15))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=consistent_tables(),
    missing=st.sets(st.sampled_from(KEYS), max_size=30),
    texts=st.fixed_dictionaries({s.key: section_texts for s in SPEC.sections}),
)
def test_xlsx_round_trip(tmp_path: Path, values: dict[str, Number], missing: set[str], texts: dict[str, str]) -> None:
    report = make_report(values, missing, texts)
    loaded = load_template(write(tmp_path, "r.xlsx", dump_xlsx(report)))
    assert cell_values(loaded) == cell_values(report)
    assert section_texts_of(loaded) == texts
    assert (loaded.meta.agency, loaded.meta.year, loaded.meta.date) == (AGENCY, 2024, date(2025, 1, 15))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=consistent_tables(), missing=st.sets(st.sampled_from(KEYS), max_size=30))
def test_json_round_trip(tmp_path: Path, values: dict[str, Number], missing: set[str]) -> None:
    report = make_report(values, missing)
    loaded = load_template(write(tmp_path, "r.json", report.dumps()))
    assert cell_values(loaded) == cell_values(report)
    assert section_texts_of(loaded) == section_texts_of(report)
    fee = next(c for c in SPEC.iter_cells() if c.decimal).key
    if fee not in missing and isinstance(values[fee], Decimal):
        assert isinstance(loaded.cells[fee].value, Decimal | int)


def test_parse_json_of_a_seed_loads(tmp_path: Path) -> None:
    from xxgk.api import read_report

    from .conftest import seed

    report = read_report(seed("003"))
    loaded = load_template(write(tmp_path, "r.json", report.dumps()))
    assert cell_values(loaded) == cell_values(report)
    # A cell read as blank stays missing with its state, never 0.
    assert loaded.cells["t4.review.total"].value is None
    assert loaded.cells["t4.review.total"].state is report.cells["t4.review.total"].state


def test_placeholder_text_loads_as_empty(tmp_path: Path) -> None:
    text = new_template(AGENCY, 2024, "yaml").decode("utf-8")
    assert PLACEHOLDER in text
    report = load_template(write(tmp_path, "r.yaml", text))
    assert all(s.text == "" for s in report.sections.values())


# ---------------------------------------------------------------------------------------------
# Bad input: each case names the cell key and the line (YAML) or sheet cell (XLSX)

SENTINEL = 987_654_321
TARGET = "t3.granted.natural_person"


def yaml_with(target_text: str | None = None, year: int = 2024) -> tuple[str, int]:
    """A filled YAML template with TARGET's value replaced by `target_text`; (text, line of TARGET)."""
    report = make_report({}, set(), year=year)
    report.cells[TARGET] = report.cells[TARGET]._replace(value=SENTINEL)
    text = dump_yaml(report)
    line = next(i for i, s in enumerate(text.splitlines(), 1) if str(SENTINEL) in s)
    if target_text is not None:
        text = text.replace(str(SENTINEL), target_text)
    return text, line


def _replace_line(text: str, pattern: str, new: str) -> tuple[str, int]:
    lines = text.splitlines()
    i = next(i for i, s in enumerate(lines) if re.search(pattern, s))
    lines[i] = re.sub(pattern, new, lines[i])
    return "\n".join(lines) + "\n", i + 1


def bad_yaml_cases() -> dict[str, tuple[str, list[str]]]:
    """case → (YAML text, strings the message must contain)."""
    cases: dict[str, tuple[str, list[str]]] = {}
    text, line = yaml_with("十二")
    cases["text-in-number-cell"] = (text, [TARGET, f"第{line}行", "不是数字"])
    text, line = yaml_with("-3")
    cases["negative-number"] = (text, [TARGET, f"第{line}行", "负数"])
    text, line = yaml_with("2.5")
    cases["decimal-count"] = (text, [TARGET, f"第{line}行", "整数"])
    text, _ = yaml_with()
    bad, line = _replace_line(text, r"^(\s+)natural_person: 987654321", r"\1natral_person: 1")
    cases["unknown-column-key"] = (bad, ["natral_person", f"第{line}行", "natural_person"])
    bad, line = _replace_line(text, r"^    granted:", "    granted_x:")
    cases["unknown-row-key"] = (bad, ["granted_x", f"第{line}行"])
    bad, line = _replace_line(text, r"^  s5_problems:", "  s5_problem:")
    cases["misspelt-section"] = (bad, ["s5_problem", f"第{line}行", "s5_problems"])
    bad, line = _replace_line(text, r"^year: 2024", "year: 1999")
    cases["wrong-year"] = (bad, ["1999", f"第{line}行", "报告年度"])
    bad, line = _replace_line(text, r"^year: 2024", "year: 二〇二四")
    cases["year-not-a-number"] = (bad, ["二〇二四", f"第{line}行"])
    bad, _ = _replace_line(text, r"^year: 2024.*$", "")
    cases["absent-year"] = (bad, ["缺少报告年度"])
    bad, line = _replace_line(text, r"^title: .*$", 'title: "某某镇人民政府2023年政府信息公开工作年度报告"')
    cases["title-year-mismatch"] = (bad, ["2023", f"第{line}行", "不一致"])
    bad, line = _replace_line(text, r"^agency: (.*)$", r'agency: "某某镇人民政府  # \1')
    cases["broken-yaml"] = (bad, ["YAML 语法错误", "行"])
    return cases


BAD_YAML = bad_yaml_cases()


@pytest.mark.parametrize("case", sorted(BAD_YAML))
def test_bad_yaml_names_cell_and_line(tmp_path: Path, case: str) -> None:
    text, expected = BAD_YAML[case]
    with pytest.raises(TemplateError) as info:
        load_template(write(tmp_path, "bad.yaml", text))
    for part in expected:
        assert part in info.value.message, (case, info.value.message)


def bad_xlsx_cases() -> dict[str, tuple[bytes, list[str]]]:
    data = dump_xlsx(make_report({}, set()))
    layout = table_layouts()["t3"]
    (where,) = [p for p in layout.placed() if p.cell.key == TARGET]
    ref = f"{chr(ord('A') + where.col)}{where.row + 2}"
    cases: dict[str, tuple[bytes, list[str]]] = {}

    def edit(fn: object) -> bytes:
        wb = load_workbook(io.BytesIO(data))
        fn(wb)  # type: ignore[operator]
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    def set_target(value: object) -> object:
        return lambda wb: wb["表三"].__setitem__(ref, value)

    cases["text-in-number-cell"] = (edit(set_target("见附件")), [TARGET, f"工作表「表三」单元格 {ref}", "不是数字"])
    cases["negative-number"] = (edit(set_target(-2)), [TARGET, ref, "负数"])
    cases["fraction-in-count"] = (edit(set_target(1.5)), [TARGET, ref, "整数"])
    cases["row-inserted"] = (edit(lambda wb: wb["表三"].insert_rows(6)), ["工作表「表三」", "版式被改动"])
    cases["label-changed"] = (edit(lambda wb: wb["表二"].__setitem__("A4", "规章制度")), ["表二", "A4", "规章"])
    cases["sheet-removed"] = (edit(lambda wb: wb.remove(wb["表四"])), ["表四"])
    cases["wrong-year"] = (edit(lambda wb: wb["封面与正文"].__setitem__("B4", 2019)), ["2019", "B4"])
    cases["not-an-xlsx"] = (b"PK\x03\x04 not really a zip", ["xlsx"])
    return cases


BAD_XLSX = bad_xlsx_cases()


@pytest.mark.parametrize("case", sorted(BAD_XLSX))
def test_bad_xlsx_names_sheet_cell(tmp_path: Path, case: str) -> None:
    data, expected = BAD_XLSX[case]
    with pytest.raises(TemplateError) as info:
        load_template(write(tmp_path, "bad.xlsx", data))
    for part in expected:
        assert part in info.value.message, (case, info.value.message)


def test_bad_json(tmp_path: Path) -> None:
    report = make_report({}, set())
    data = report.to_json()
    data["tables"]["t3"]["granted"]["natrual_person"] = {"value": 3}
    with pytest.raises(TemplateError, match=r"t3\.granted\.natrual_person"):
        load_template(write(tmp_path, "a.json", json.dumps(data, ensure_ascii=False)))
    data = report.to_json()
    data["year"] = None
    with pytest.raises(TemplateError, match="缺少报告年度"):
        load_template(write(tmp_path, "b.json", json.dumps(data, ensure_ascii=False)))
    with pytest.raises(TemplateError, match="JSON 语法错误"):
        load_template(write(tmp_path, "c.json", '{"year": 2024,'))


# ---------------------------------------------------------------------------------------------
# Every problem in one run (issue 20 item 15)


def test_yaml_with_four_problems_lists_four(tmp_path: Path) -> None:
    text, line = yaml_with("十二")
    text, year_line = _replace_line(text, r"^year: 2024", "year: 1999")
    text, section_line = _replace_line(text, r"^  s5_problems:", "  s5_problem:")
    text, fee_line = _replace_line(text, r"^(\s+)other_fee_unpaid:", r"\1other_fee_unpayed:")
    with pytest.raises(TemplateError) as info:
        load_template(write(tmp_path, "bad.yaml", text))
    message = info.value.message
    assert message.startswith("发现 4 个问题")
    for part in (
        f"第{line}行：{TARGET}",
        f"第{year_line}行：报告年度 1999",
        f"第{section_line}行：未知的部分键",
        "other_fee_unpayed",
    ):
        assert part in message, (part, message)
    assert f"第{fee_line}行" in message
    assert len(re.findall(r"^  \d+\. ", message, re.MULTILINE)) == 4


def test_xlsx_with_four_problems_lists_four(tmp_path: Path) -> None:
    wb = load_workbook(io.BytesIO(dump_xlsx(make_report({}, set()))))
    layout = table_layouts()["t3"]
    refs = {p.cell.key: f"{chr(ord('A') + p.col)}{p.row + 2}" for p in layout.placed() if p.cell.key}
    wb["表三"][refs[TARGET]] = "见附件"
    wb["表三"][refs["t3.granted.total"]] = -1
    wb["封面与正文"]["B4"] = 2019  # the year
    wb["表二"]["A4"] = "规章制度"  # a label: 表二's values are not read, the other sheets are
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(TemplateError) as info:
        load_template(write(tmp_path, "bad.xlsx", buf.getvalue()))
    message = info.value.message
    assert message.startswith("发现 4 个问题"), message
    for part in (refs[TARGET], "不是数字", refs["t3.granted.total"], "负数", "B4", "2019", "A4", "规章制度"):
        assert part in message, (part, message)


def test_json_with_three_problems_lists_three(tmp_path: Path) -> None:
    data = make_report({}, set()).to_json()
    data["agency"] = ""
    data["tables"]["t3"]["granted"]["natrual_person"] = {"value": 3}
    data["tables"]["t3"]["granted"]["total"] = {"value": "三"}
    with pytest.raises(TemplateError) as info:
        load_template(write(tmp_path, "a.json", json.dumps(data, ensure_ascii=False)))
    message = info.value.message
    assert message.startswith("发现 3 个问题")
    assert "缺少发布机关" in message and "natrual_person" in message and "t3.granted.total" in message
