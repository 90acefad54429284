"""The parts of a format definition that used to be read from the untyped TOML (`spec.raw`) are
typed fields: checked here against the TOML they come from."""

from __future__ import annotations

from xxgk.format.spec import load_format, load_raw, load_version, version_markers


def test_table_fields_come_from_the_toml() -> None:
    spec = load_format("gov2021")
    raw = load_raw("gov2021")
    t3 = spec.tables["t3"]
    assert spec.title == raw["format"]["title"] == "中华人民共和国政府信息公开工作年度报告格式"
    assert t3.corner_note == raw["tables"]["t3"]["corner_note"]
    assert spec.tables["t2"].corner_note is None and spec.tables["t4"].column_groups == ()
    assert [(g.key, g.label.text, g.columns) for g in t3.column_groups] == [
        (g["key"], g["label"], tuple(g["columns"])) for g in raw["tables"]["t3"]["column_groups"]
    ]
    # every column of a group names it as its group, and the group's label is a header label of the table
    for group in t3.column_groups:
        assert {c.key for c in t3.columns if c.group == group.key} == set(group.columns)
        assert group.label in t3.header_labels


def test_a_local_column_sums_the_columns_of_its_group() -> None:
    t3 = load_format("gov2021").tables["t3"]
    (local,) = t3.local_columns
    (group,) = t3.column_groups
    assert (local.key, local.table, local.label.text) == ("legal_person_subtotal", "t3", "小计")
    assert local.sums == frozenset(group.columns)
    assert local.after in {c.key for c in t3.columns}


def test_format_versions() -> None:
    old = load_version("gov2019")
    assert old.single_row_groups == ("other_handling",)
    assert "other_handling" in {g.key for g in load_format("gov2021").tables["t3"].groups}
    assert load_version("gov2021").single_row_groups == ()
    assert version_markers() == {"gov2021": load_version("gov2021").markers, "gov2019": old.markers}
    assert "本年制发件数" in load_version("gov2021").markers
