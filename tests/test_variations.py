"""Variations seen in real reports (issue 4, item 7): each on a generated TAB report, edited."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.conftest import diagnostic_codes, read_text_report
from tests.generate import SPEC, random_consistent_tables, write_report
from xxgk.report import CellState

T3 = SPEC.tables["t3"]
LEGAL = tuple(SPEC.raw["tables"]["t3"]["column_groups"][0]["columns"])
LOCAL = SPEC.raw["tables"]["t3"]["local_columns"][0]


_read = read_text_report
_codes = diagnostic_codes


def _with_subtotal_column(text: str, wrong_row: str | None = None) -> str:
    """The TAB report with a 法人或其他组织 subtotal column printed after the group's last column."""
    after = T3.columns[[c.key for c in T3.columns].index(LOCAL["after"])].label.text
    labels = {p.label.text: p.key for p in T3.physical_rows if p.label}
    out, in_t3 = [], False
    for line in text.split("\n"):
        cells = line.split("\t")
        if after in cells and not in_t3:
            cells.insert(cells.index(after) + 1, LOCAL["label"])
            in_t3 = True
        elif in_t3 and len(cells) == 10:
            key = next((labels[c] for c in cells if c in labels), None)
            if key is None:  # the first two header rows
                cells.insert(9, "")
            else:
                subtotal = sum(int(x) for x in cells[4:9]) + (1 if key == wrong_row else 0)
                cells.insert(9, str(subtotal))
        elif in_t3 and not line:
            in_t3 = bool(out and out[-1] != "" and len(out[-1].split("\t")) < 4)
        out.append("\t".join(cells))
    return "\n".join(out)


def test_legal_person_subtotal_column(tmp_path: Path) -> None:
    values = random_consistent_tables(random.Random(5))
    report = _read(tmp_path, _with_subtotal_column(write_report(values, "tab")))
    assert all(report.cells[k].value == v for k, v in values.items())
    subtotals = [e for e in report.extensions if e.get("column") == LOCAL["key"]]
    assert len(subtotals) == len(T3.physical_rows)
    row = subtotals[0]["row"]
    assert subtotals[0]["values"] == [str(sum(int(values[f"t3.{row}.{c}"]) for c in LEGAL))]
    assert _codes(report).count("B041") == 1 and "B042" not in _codes(report) and "R001" not in _codes(report)


def test_legal_person_subtotal_that_does_not_add_up(tmp_path: Path) -> None:
    values = random_consistent_tables(random.Random(6))
    report = _read(tmp_path, _with_subtotal_column(write_report(values, "tab"), wrong_row="granted"))
    assert all(report.cells[k].value == v for k, v in values.items())
    (b042,) = [d for d in report.diagnostics if d.code == "B042"]
    assert b042.location == "t3.granted" and b042.found == b042.expected + 1


def test_footnote_under_table_four(tmp_path: Path) -> None:
    values = random_consistent_tables(random.Random(7))
    text = write_report(values, "tab")
    heading = SPEC.sections[4].heading
    note = "注：本表统计的是本年度新收案件及上年结转案件的办理结果。"
    text = text.replace(f"\n{heading}", f"\n{note}\n{heading}")
    report = _read(tmp_path, text)
    assert all(report.cells[k].value == v for k, v in values.items())
    assert not {"R001", "B041", "R009"} & set(_codes(report))
    assert note in report.sections["s4_review_litigation"].text


def test_legal_person_columns_left_blank(tmp_path: Path) -> None:
    values = random_consistent_tables(random.Random(8))
    blank = {f"t3.{p.key}.{c}" for p in T3.physical_rows for c in LEGAL}
    report = _read(tmp_path, write_report(values, "tab", missing=blank))
    for key, value in values.items():
        cell = report.cells[key]
        if key in blank:
            assert cell.value is None and cell.state is CellState.EMPTY, key
        else:
            assert cell.value == value, key
    from xxgk.checker import check

    missing = {f.location for f in check(report) if f.code == "C061"}
    assert blank <= missing
    assert "R001" not in _codes(report)


def test_other_handling_printed_as_one_row(tmp_path: Path) -> None:
    """2019 layout inside a 2021 report: a group total (B013), the three sub-rows missing."""
    values = random_consistent_tables(random.Random(9))
    group = next(g for g in T3.groups if g.key == "other_handling")
    subrows = [p for p in T3.physical_rows if p.label and any(r.key == p.key and r.group == group.key for r in T3.rows)]
    lines = write_report(values, "tab").split("\n")
    at = [i for i, line in enumerate(lines) if any(p.label and p.label.text in line.split("\t") for p in subrows)]
    assert len(at) == 3
    cols = [c.key for c in T3.columns]
    totals = [str(sum(int(values[f"t3.{p.key}.{c}"]) for p in subrows)) for c in cols]
    lines[at[0] : at[-1] + 1] = ["\t".join(["", group.label.text, "", *totals])]
    report = _read(tmp_path, "\n".join(lines))
    (b013,) = [d for d in report.diagnostics if d.code == "B013"]
    assert b013.params["values"] == totals
    assert all(report.cells[k].value is None for p in subrows for k in p.cells)
    assert all(report.cells[k].value == v for k, v in values.items() if not any(k in p.cells for p in subrows))


def test_normative_documents_variant_label(tmp_path: Path) -> None:
    values = random_consistent_tables(random.Random(10))
    row = next(p for p in SPEC.tables["t2"].physical_rows if p.key == "normative_documents")
    assert row.label is not None
    variant = row.label.variants[0]
    report = _read(tmp_path, write_report(values, "tab").replace(f"\n{row.label.text}\t", f"\n{variant}\t"))
    assert all(report.cells[k].value == v for k, v in values.items())
    (r003,) = [d for d in report.diagnostics if d.code == "R003"]
    assert r003.location == "t2.normative_documents" and r003.found == variant


def test_cell_with_a_note(tmp_path: Path) -> None:
    values = random_consistent_tables(random.Random(11))
    key = "t2.normative_documents.issued"
    values[key] = 22
    text = write_report({**values, key: "22（其中修订 16 件）"}, "tab")
    report = _read(tmp_path, text)
    cell = report.cells[key]
    assert cell.value == 22 and cell.note is not None and "修订" in cell.note
    (r004,) = [d for d in report.diagnostics if d.code == "R004"]
    assert r004.location == key
    assert all(report.cells[k].value == v for k, v in values.items())


def test_row_label_missing_its_first_characters(tmp_path: Path) -> None:
    # OCR misses the thin “一” of “一、本年新收…”; a crawler may cut a cell's start. The row is
    # still the only label that ends so: read, and reported (R003) with what was printed.
    values = random_consistent_tables(random.Random(12))
    rows = {p.key: p for p in SPEC.tables["t3"].physical_rows}
    cut = {"new_received": 1, "carried_over_in": 2}  # characters lost at the start of the label
    text = write_report(values, "tab")
    for key, n in cut.items():
        label = rows[key].label
        assert label is not None
        text = text.replace(f"\n{label.text}\t", f"\n{label.text[n:]}\t")
    report = _read(tmp_path, text)
    assert all(report.cells[k].value == v for k, v in values.items())
    r003 = {d.location: d.found for d in report.diagnostics if d.code == "R003"}
    assert r003 == {f"t3.{key}": rows[key].label.text[n:] for key, n in cut.items()}  # type: ignore[union-attr]


def test_label_ends_match_only_one_row_and_only_when_nearly_whole() -> None:
    from xxgk.format import label_key
    from xxgk.recognize.anchors import anchor_index

    index = anchor_index()
    rows = {p.key: p for p in SPEC.tables["t3"].physical_rows}
    label = rows["new_received"].label
    assert label is not None and label.text.startswith("一、")
    found = index.suffix_anchor("t3", label_key(label.text[1:]))
    assert found is not None and found.ref == "new_received"
    assert index.suffix_anchor(None, label_key(label.text[2:])) is found  # any table: still the one row
    assert index.suffix_anchor("t3", label_key(label.text[3:])) is None  # three characters lost: too much
    assert index.suffix_anchor("t3", label_key(label.text)) is None  # the whole label is not a suffix match
    other = rows["other_other"].label
    assert other is not None and other.text == "3.其他"
    assert index.suffix_anchor("t3", label_key(other.text[2:])) is None  # “其他”: half of it lost


def test_row_label_one_character_off(tmp_path: Path) -> None:
    # OCR doubles a character (“（二）部部分公开…”), drops one, or misreads one; a typist too. A long
    # label one character off is still the only row it can be: read, and reported (R003).
    values = random_consistent_tables(random.Random(14))
    rows = {p.key: p for p in SPEC.tables["t3"].physical_rows}
    damage = {
        "partially_granted": lambda s: s.replace("部分", "部部分"),  # a character doubled
        "unable_not_held": lambda s: s.replace("掌握", "掌"),  # one dropped
        "not_handled_excessive": lambda s: s.replace("反复", "反夏"),  # one misread
    }
    text = write_report(values, "tab")
    printed = {}
    for key, change in damage.items():
        label = rows[key].label
        assert label is not None
        printed[key] = change(label.text)
        assert printed[key] != label.text
        assert text.count(f"{label.text}\t") == 1
        text = text.replace(f"{label.text}\t", f"{printed[key]}\t")
    report = _read(tmp_path, text)
    assert all(report.cells[k].value == v for k, v in values.items())
    r003 = {d.location: d.found for d in report.diagnostics if d.code == "R003"}
    assert r003 == {f"t3.{key}": text for key, text in printed.items()}


def test_a_label_start_matches_only_when_no_other_label_starts_so() -> None:
    """“3.” is long enough a start of 3.其他 (4 characters), but 3.危及…, 3.补正后… start so too:
    no row (corpus 902 prints a lone “3.” three times: each was read as 3.其他 before, and the
    row's seven cells were reported blank)."""
    from xxgk.format import label_key
    from xxgk.recognize.anchors import anchor_index

    index = anchor_index()
    assert index.prefix_anchor("t3", label_key("3.")) is None
    found = index.prefix_anchor("t3", label_key("3.其"))
    assert found is not None and found.ref == "other_other"
    found = index.prefix_anchor("t3", label_key("5.要求行政机关确"))
    assert found is not None and found.ref == "not_handled_reissue"
    assert index.prefix_anchor("t3", label_key("1.申请人无正当理")) is None  # unique, but too short a start


def test_one_character_off_matches_only_long_labels_and_only_one() -> None:
    from xxgk.format import label_key
    from xxgk.recognize.anchors import anchor_index

    index = anchor_index()
    label = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    found = index.near_anchor("t3", label_key(label.replace("部分", "部部分")))
    assert found is not None and found.ref == "partially_granted"
    assert index.near_anchor("t3", label_key(label.replace("部分", "部部部分"))) is None  # two off
    assert index.near_anchor("t3", label_key("3.其它")) is None  # short labels: never
    assert index.near_anchor("t4", label_key("结果维护")) is None  # (结果维持: too short to guess)
    # Two labels one character apart from the text (本年制发件数, 本年废止件数): no guess.
    assert index.near_anchor("t2", label_key("本年制止件数")) is None


def test_row_label_without_its_enumeration_comma(tmp_path: Path) -> None:
    # “二上年结转…”: OCR drops the small “、” of “二、”. A variant of the row: read and reported.
    values = random_consistent_tables(random.Random(14))
    label = next(p for p in SPEC.tables["t3"].physical_rows if p.key == "carried_over_in").label
    assert label is not None and "、" in label.text
    printed = label.text.replace("、", "")
    report = _read(tmp_path, write_report(values, "tab").replace(f"\n{label.text}\t", f"\n{printed}\t"))
    assert all(report.cells[k].value == v for k, v in values.items())
    assert [(d.location, d.found) for d in report.diagnostics if d.code == "R003"] == [("t3.carried_over_in", printed)]


def _per_line(seed: int) -> tuple[dict[str, object], str]:
    values = random_consistent_tables(random.Random(seed))
    return values, write_report(values, "cell_per_line")


def test_row_label_cut_with_a_short_first_part(tmp_path: Path) -> None:
    # A row broken across a page (or cut by a crawler) after too little of its label to tell:
    # the rest comes after the row's values. Together they are the row: read, and R003.
    values, text = _per_line(21)
    label = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    head, rest = label[:13], label[13:]
    before, after = text.split(f"\t{label}\n", 1)
    numbers = after.split("\n")[:7]
    text = before + f"\t{head}\n" + "\n".join(numbers) + f"\n\t{rest}\n" + "\n".join(after.split("\n")[7:])
    report = _read(tmp_path, text)
    assert all(report.cells[k].value == v for k, v in values.items())
    assert {d.location: d.found for d in report.diagnostics if d.code == "R003"} == {"t3.other_no_correction": head}
    assert "B041" not in _codes(report)


def test_short_variant_label_going_on_as_the_full_label(tmp_path: Path) -> None:
    # （二）部分公开 is a known short form; printed over lines it goes on as the full label.
    values, text = _per_line(22)
    label = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    text = text.replace(f"\t{label}\n", "\t（二）部分公开\n\t（区分处理的，\n\t只计这一情形，\n\t不计其他情形）\n")
    report = _read(tmp_path, text)
    assert all(report.cells[k].value == v for k, v in values.items())
    assert "R001" not in _codes(report)
    assert (
        report.sections["s3_applications"].text
        == "本机关依法受理和办理政府信息公开申请，严格落实答复时限要求，具体收到和处理情况如下表所示。"
    )


def test_a_row_label_in_running_text_is_no_table_row(tmp_path: Path) -> None:
    # Crawler text cut into a word per line: a row label quoted in the prose, words after it.
    values, text = _per_line(23)
    prose = "本机关按照条例规定主动公开规章、规范性文件和行政许可、处罚、强制及收费信息，具体情况如下表所示。"
    words = "\n".join(["本机关在网站设置“", "行政规范性文件", "”", "等栏目，", "公开", "行政许可", "类", "7条", "3条"])
    text = text.replace(prose, f"{words}\n{prose}")
    report = _read(tmp_path, text)
    assert all(report.cells[k].value == v for k, v in values.items())
    assert "R001" not in _codes(report)


def test_title_wrapped_inside_its_title_word_after_a_site_menu(tmp_path: Path) -> None:
    # A web page printed to PDF: the site's menu (政府信息 | 公开年报) above the report's own title,
    # which a large font wrapped inside 年度报告.
    values = random_consistent_tables(random.Random(24))
    text = write_report(values, "tab", agency="莆田市城市管理局", year=2024)
    title = "莆田市城市管理局2024年政府信息公开工作年度报告"
    menu = "返回首页\n政府信息\n公开年报\n政府信息\n公开申请\n"
    text = text.replace(title, menu + "莆田市城市管理局2024年政府信息公开工作年\n度报告", 1)
    report = _read(tmp_path, text)
    assert (report.meta.title, report.meta.agency, report.meta.year) == (title, "莆田市城市管理局", 2024)
    assert not {"B051", "B052"} & set(_codes(report))


@pytest.mark.parametrize("menu", ["工作动态", "通知公告", "首页>政务公开"])
def test_a_site_menu_line_right_above_the_title_is_no_part_of_it(tmp_path: Path, menu: str) -> None:
    # A page's site chrome read whole (no article container): a short menu line, then the report's
    # own title, whole on its line. Joining them as a wrapped title gave the agency 工作动态某某县….
    values = random_consistent_tables(random.Random(26))
    text = write_report(values, "tab", agency="某某县应急管理局", year=2023)
    title = "某某县应急管理局2023年政府信息公开工作年度报告"
    report = _read(tmp_path, text.replace(title, f"{menu}\n{title}", 1))
    assert (report.meta.title, report.meta.agency, report.meta.year) == (title, "某某县应急管理局", 2023)


def test_a_table_row_with_a_word_before_its_values_is_still_reported(tmp_path: Path) -> None:
    # In a table (a TAB line here), a row whose values do not fit is R001 even when a word comes
    # first: only a line of its own outside any table may be running text.
    values = random_consistent_tables(random.Random(25))
    licensing = values["t2.administrative_licensing.decisions"]
    text = write_report(values, "tab").replace(f"\n行政许可\t{licensing}\t", f"\n行政许可\t见附件\t{licensing}\t", 1)
    report = _read(tmp_path, text)
    (r001,) = [d for d in report.diagnostics if d.code == "R001"]
    assert (r001.location, r001.expected, r001.found) == ("t2.administrative_licensing", 1, 2)
