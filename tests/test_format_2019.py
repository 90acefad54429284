"""The 2019 format (国办公开办函〔2019〕60号): defined in specs/gov2019.toml, read and checked by its
own definition. Real 2019/2020 reports are compared cell by cell with the cells written by hand
in tests/fixtures/format2019/*.toml (see the README there)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from xxgk import check_report, read_report
from xxgk.errors import XxgkError
from xxgk.findings import Finding
from xxgk.format import load_format
from xxgk.format.spec import format_for_year
from xxgk.readers import read_document
from xxgk.recognize import recognize
from xxgk.report import CellState, Report
from xxgk.schema import report_schema

from .conftest import CORPUS, FIXTURES, read_text_report

ROOT = Path(__file__).parent.parent
EXPECTED = sorted((FIXTURES / "format2019").glob("*.toml"))
GOV2019 = load_format("gov2019")
GOV2021 = load_format("gov2021")
SANMING_2020 = CORPUS / "902-sanming-shizf-2020.txt"
# Findings a 2019 report got when read and checked by the 2021 definition, for rows and cells its
# format does not have (issue 20 item 3). None may come back for a cell the text shows.
FALSE_BEFORE = ("B011", "B012", "B013", "B032", "B041", "C051", "C061", "C062", "R001")


def _expected(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text("utf-8"))


def _read(expected: dict[str, Any]) -> tuple[Report, list[Finding]]:
    report = read_report(ROOT / expected["source"])
    return report, check_report(report)


def _row_cells(location: str) -> tuple[str, ...]:
    table, row = location.split(".")
    (prow,) = [p for p in GOV2019.tables[table].physical_rows if p.key == row]
    return prow.cells


def _expected_cells(expected: dict[str, Any]) -> dict[str, Any]:
    """Cell key -> value the text shows (rows of `zero_tables` not listed: all 0)."""
    out: dict[str, Any] = {}
    uncertain = set(expected.get("uncertain", {}))
    for table in expected.get("zero_tables", ()):
        for prow in GOV2019.tables[table].physical_rows:
            if f"{table}.{prow.key}" not in uncertain:
                out.update(dict.fromkeys(prow.cells, 0))
    for table in ("t2", "t3", "t4"):
        for row, values in expected.get(table, {}).items():
            if table == "t4":  # (表四's one printed row holds the three groups)
                keys = tuple(f"t4.{row}.{c.key}" for c in GOV2019.tables["t4"].columns)
            else:
                keys = _row_cells(f"{table}.{row}")
            assert len(keys) == len(values), (table, row)
            out.update(zip(keys, values, strict=True))
    return out


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_every_cell_the_text_shows_is_read_under_its_2019_key(path: Path) -> None:
    expected = _expected(path)
    report, _ = _read(expected)
    assert (report.meta.format_version, report.spec_id, report.meta.year) == (
        expected["format_version"],
        "gov2019",
        expected["year"],
    )
    cells = _expected_cells(expected)
    uncertain = {k for location in expected.get("uncertain", {}) for k in _row_cells(location)}
    assert set(cells) | uncertain == set(GOV2019.cells), "the expectation covers every cell of the format"
    read = {k: report.cells[k].value for k in cells}
    assert read == {k: v if not isinstance(v, str) else report.cells[k].value for k, v in cells.items()}
    for key, value in cells.items():
        if isinstance(value, str):  # a decimal, written as printed
            assert str(report.cells[key].value) == value, key
    # Rows the text does not settle are uncertain, never a guess; R007 lists the reading given.
    r007 = {f.location: f for f in report.diagnostics if f.code == "R007"}
    for location, reading in expected.get("uncertain", {}).items():
        assert {report.cells[k].state for k in _row_cells(location)} == {CellState.UNCERTAIN}, location
        if reading:
            assert reading in r007[location].expected, location


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_no_findings_for_rows_and_cells_the_format_does_not_have(path: Path) -> None:
    expected = _expected(path)
    _, findings = _read(expected)
    uncertain = {k for location in expected.get("uncertain", {}) for k in _row_cells(location)}
    false = [
        (f.code, f.location)
        for f in findings
        if f.code in FALSE_BEFORE and not (f.code == "C062" and f.location in uncertain)
    ]
    assert false == []
    # The cells the reader could not settle are its own note (R007 on their row), not C061 of the report
    # (issue 19 §1); what is left of C062 says which identities they leave open.
    assert [f for f in findings if f.code == "C061"] == []
    noted = {f.location for f in findings if f.code.startswith("R")}
    assert set(expected.get("uncertain", {})) <= noted


def test_sanming_2020_is_the_same_report_as_shared_corpus_103() -> None:
    shared = Path("/work/shared/corpus/103-sanming-smsrmzf-2020.txt")
    if not shared.exists():
        pytest.skip("shared/corpus not present")
    assert shared.read_bytes() == SANMING_2020.read_bytes()
    assert read_report(shared).cells == {
        k: c._replace(source=c.source._replace(file=str(shared)) if c.source else None)
        for k, c in read_report(SANMING_2020).cells.items()
    }


def test_whole_page_text_in_the_2019_format_is_refused_or_read_never_a_crash() -> None:
    for path in sorted((FIXTURES / "format2019").glob("10[12]-*.txt")):
        try:
            report = read_report(path)
        except XxgkError as e:
            assert "年度报告" in e.message, path.name
            continue
        check_report(report)


# ---------------------------------------------------------------------------------------------
# The definition


def test_the_2019_definition_has_its_own_tables() -> None:
    counts = {t: sum(1 for _ in GOV2019.iter_cells(t)) for t in GOV2019.tables}
    assert counts == {"t2": 22, "t3": 23 * 7, "t4": 15}
    blocks = {b.caption.text: [c.label.text for c in b.columns] for b in GOV2019.tables["t2"].blocks}
    assert blocks["第二十条第（一）项"] == ["本年新制作数量", "本年新公开数量", "对外公开总数量"]
    assert blocks["第二十条第（五）项"] == ["上一年项目数量", "本年增/减", "处理决定数量"]
    assert blocks["第二十条第（八）项"] == ["上一年项目数量", "本年增/减"]
    assert blocks["第二十条第（九）项"] == ["采购项目数量", "采购总金额"]
    t3 = GOV2019.tables["t3"]
    other = next(r for r in t3.rows if r.key == "other_handling")
    assert other.label is not None and other.label.text == "（六）其他处理" and other.group == "results"
    assert "other_handling" not in {g.key for g in t3.groups}
    signed = {c.key for c in GOV2019.cells.values() if c.signed}
    assert signed == {k for k in GOV2019.cells if k.endswith(".items_change")} and signed
    assert (GOV2019.first_year, GOV2019.last_year, GOV2021.last_year) == (2019, 2020, None)
    assert [format_for_year(y) for y in (2018, 2019, 2020, 2021, 2030)] == [None, GOV2019, GOV2019, GOV2021, GOV2021]


def test_a_2019_cell_meaning_a_2021_cell_has_its_key() -> None:
    """Same meaning, same key: a 2020 report compares with a 2021 one (表三, 表四, 处理决定数量)."""
    shared = set(GOV2019.cells) & set(GOV2021.cells)
    t3_2021 = {k for k in GOV2021.cells if k.startswith("t3.")}
    subrows = {"other_no_correction", "other_fee_unpaid", "other_other"}
    assert {k for k in t3_2021 if k.split(".")[1] not in subrows} <= shared
    assert {k for k in GOV2021.cells if k.startswith("t4.")} <= shared
    assert {k for k in shared if k.startswith("t2.")} == {
        "t2.regulations.issued",
        "t2.normative_documents.issued",
        *(
            f"t2.{r}.decisions"
            for r in ("administrative_licensing", "administrative_penalty", "administrative_coercion")
        ),
    }
    # the same label where the key is the same (表三 columns, 表四, the sections): no drift
    for key in shared - {"t2.regulations.issued", "t2.normative_documents.issued"}:
        if not key.endswith(".decisions"):
            assert GOV2019.cells[key].name_zh == GOV2021.cells[key].name_zh, key
    assert [(s.key, s.heading) for s in GOV2019.sections] == [(s.key, s.heading) for s in GOV2021.sections]
    # The 2021 group key: （六）'s three sub-rows sum to what the 2019 row held.
    assert next(g for g in GOV2021.tables["t3"].groups if g.key == "other_handling").label.text == "（六）其他处理"


def test_the_2019_identities_sum_other_handling_as_one_row() -> None:
    (i3,) = [i for i in GOV2019.identities if i.id == "I3"]
    natural = next(inst for inst in i3.instances if inst.binding == "natural_person")
    assert "t3.other_handling.natural_person" in natural.rhs and len(natural.rhs) == 19
    assert {i.id: len(i.instances) for i in GOV2019.identities} == {"I1": 7, "I2": 23, "I3": 7, "I4": 3}


# ---------------------------------------------------------------------------------------------
# Reading: the version detected picks the definition


def test_the_version_detected_picks_the_definition() -> None:
    doc = read_document(SANMING_2020)
    report = recognize(doc)
    assert report.spec_id == "gov2019" and report.cells["t2.administrative_licensing.decisions"].value == 259610
    # Read by the 2021 definition on request: the old rows do not fit it (what issue 20 saw).
    old = recognize(doc, "gov2021")
    assert old.spec_id == "gov2021" and "R001" in {d.code for d in old.diagnostics}


def test_a_column_label_note_cut_over_lines_is_part_of_the_header() -> None:
    """902 prints 对外公开总 | 数量 | （ | 2019 | 年起） and 采购总金额 | （元） (lines 186–190, 241–242):
    the note is the header's, not a table row (B041) nor the section's text; 2019 is no value."""
    report = read_report(SANMING_2020)
    assert report.sections["s2_proactive"].text == ""
    assert report.extensions == [] and report.cells["t2.regulations.published_total"].value == 12


def test_prose_before_a_table_is_no_table_row() -> None:
    """901 lines 236–257: 2019 | 年 | ,本机关主动公开…文件 | 277 | 件 … before 第二十条第(一)项."""
    report = read_report(CORPUS / "901-putian-shizfb-2019.txt")
    assert report.extensions == []
    assert "277" in report.sections["s2_proactive"].text


def test_a_2021_report_is_read_by_the_2021_definition() -> None:
    report = read_report(CORPUS / "001-sanming-shizf-2021.txt")
    assert (report.spec_id, report.meta.format_version) == ("gov2021", "gov2021")


def test_cross_year_comparison_under_shared_keys() -> None:
    """三明市 2020 (2019 format) 结转下年度 against 2021 上年结转: the same keys, so comparable."""
    before, after = read_report(SANMING_2020), read_report(CORPUS / "001-sanming-shizf-2021.txt")
    columns = [c.key for c in GOV2021.tables["t3"].columns]
    out = [before.cells[f"t3.carried_over_out.{c}"].value for c in columns]
    into = [after.cells[f"t3.carried_over_in.{c}"].value for c in columns]
    # 902 lines 438–445: 结转下年度 0 ×7; 001 lines 246–253: 上年结转 0 ×7 (spec X1 holds)
    assert out == into == [0] * 7


# ---------------------------------------------------------------------------------------------
# Checking: each report against its own format


def _sanming(tmp_path: Path, replace: dict[str, str]) -> tuple[Report, list[Finding]]:
    text = SANMING_2020.read_text("utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    report = read_text_report(tmp_path, text)
    return report, check_report(report)


def test_a_change_may_be_negative_a_count_may_not(tmp_path: Path) -> None:
    # 行政许可 上一年项目数量 13191, 本年增/减 481, 处理决定数量 259610 (lines 207–209)
    report, findings = _sanming(tmp_path, {"\n481\n": "\n-481\n"})
    assert report.cells["t2.administrative_licensing.items_change"].value == -481
    assert "C051" not in {f.code for f in findings}
    report, findings = _sanming(tmp_path, {"\n259610\n": "\n-259610\n"})
    assert [(f.code, f.location) for f in findings if f.code == "C051"] == [
        ("C051", "t2.administrative_licensing.decisions")
    ]


def test_old_format_is_an_error_only_after_its_years(tmp_path: Path) -> None:
    _, findings = _read({"source": str(SANMING_2020.relative_to(ROOT))})
    assert "B011" not in {f.code for f in findings}
    report, findings = _sanming(
        tmp_path, {"三明市2020年政府信息公开工作年度报告": "三明市2022年政府信息公开工作年度报告"}
    )
    assert report.meta.year == 2022 and report.spec_id == "gov2019"
    (b011,) = [f for f in findings if f.code == "B011"]
    assert (b011.expected, b011.found) == (GOV2021.name, GOV2019.name)
    assert "B013" not in {f.code for f in findings}  # its （六） row is read as what it is


def test_text_claims_are_compared_with_the_2019_columns(tmp_path: Path) -> None:
    # 规范性文件 本年新制作数量 is 1013 (line 196); the text now says 5.
    _, findings = _sanming(tmp_path, {"\n第二十条第（一）项\n": "\n本年新制作规范性文件5件。\n第二十条第（一）项\n"})
    d034 = [(f.location, f.expected, f.found) for f in findings if f.code == "D034"]
    assert d034 == [("t2.normative_documents.issued", 1013, 5)]
    _, findings = _read({"source": str(SANMING_2020.relative_to(ROOT))})
    assert "D034" not in {f.code for f in findings}


def test_rules_of_2021_only_cells_stay_silent_on_a_2019_report() -> None:
    """C071 (收费金额), D071 (（六）2 逾期未缴费) have no cell in the 2019 format; C101 checks its 规章 row."""
    report, findings = _read({"source": str(SANMING_2020.relative_to(ROOT))})
    assert not {"C071", "D071", "C101"} & {f.code for f in findings}
    report.meta.agency = "三明市某某镇人民政府"  # a township has no power to make 规章 (1, 1, 12 here)
    c101 = [f.location for f in check_report(report) if f.code == "C101"]
    assert c101 == ["t2.regulations.issued", "t2.regulations.published", "t2.regulations.published_total"]


# ---------------------------------------------------------------------------------------------
# Output


def test_json_of_a_2019_report_has_its_own_keys_and_matches_the_schema() -> None:
    data = json.loads(read_report(SANMING_2020).dumps())
    schema = report_schema()
    jsonschema.validate(data, schema)
    assert data["format_version"] == "gov2019"
    assert data["tables"]["t2"]["centralised_procurement"]["amount"]["value"] == 453754632.81
    assert data["tables"]["t3"]["other_handling"]["total"]["value"] == 3
    assert "other_no_correction" not in data["tables"]["t3"]
    # The schema ties the tables to format_version: a 2019 report's tables are no 2021 tables.
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "format_version": "gov2021"}, schema)
    data2021 = json.loads(read_report(CORPUS / "001-sanming-shizf-2021.txt").dumps())
    jsonschema.validate(data2021, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data2021, "format_version": "gov2019"}, schema)
    # One format's schema alone, on request
    jsonschema.validate(data, report_schema("gov2019"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, report_schema("gov2021"))
