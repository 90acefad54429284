"""Load a format definition (xxgk/specs/<id>.toml) into frozen objects.

Everything that knows a label, a row, a column or an identity gets it from here. The TOML is
data a non-programmer can check against the official notice; this module only validates it and
derives the views the other parts need (cells in order, physical table rows, Chinese names).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Any

from xxgk.errors import SpecError
from xxgk.format.normalize import label_key

WHOLE_DOCUMENT = "document"  # the location of a finding about the whole file (R010, R012, R013…)


@dataclass(frozen=True)
class Label:
    """An official label and its known variants; `keys` are their matching keys."""

    text: str
    variants: tuple[str, ...] = ()

    @cached_property
    def key(self) -> str:
        """The official text's matching key (computed once: the recogniser asks for it per row)."""
        return label_key(self.text)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(label_key(t) for t in (self.text, *self.variants)))


@dataclass(frozen=True)
class SectionSpec:
    key: str
    number: str
    heading: str
    keywords: tuple[str, ...]
    table: str | None
    index: int


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: Label
    unit: str = "件"
    decimal: bool = False
    derived: bool = False
    group: str | None = None
    signed: bool = False  # may be negative (the 2019 format's 本年增/减)
    # Words the report's prose uses for the column's count ("新公布4件" for 本年制发件数): for
    # comparing what the text says with the table (rule D034).
    prose: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowSpec:
    key: str
    label: Label | None
    group: str | None = None
    derived: bool = False
    block: str | None = None


@dataclass(frozen=True)
class CellSpec:
    """One numeric cell of a table: its key, its place, and how it is named to users."""

    key: str
    table: str
    row: str
    column: str
    name_zh: str
    decimal: bool
    unit: str
    signed: bool = False


@dataclass(frozen=True)
class PhysicalRow:
    """A row as printed: an optional label followed by its value cells, in printed order."""

    table: str
    label: Label | None
    cells: tuple[str, ...]
    key: str
    block: str | None = None


@dataclass(frozen=True)
class GroupSpec:
    key: str
    label: Label
    parent: str | None = None


@dataclass(frozen=True)
class ColumnGroupSpec:
    """Columns printed under one merged header cell (表三's 法人或其他组织)."""

    key: str
    label: Label
    columns: tuple[str, ...]


@dataclass(frozen=True)
class LocalColumnSpec:
    """A column some local templates add to a table, outside the format (法人或其他组织小计): recognised
    in the header so that the format's own columns still read; its values are kept as extensions."""

    key: str
    table: str
    label: Label
    after: str  # the column it follows in print
    sums: frozenset[str] = frozenset()  # the columns it totals (those of its column group)


@dataclass(frozen=True)
class BlockSpec:
    key: str
    caption: Label
    columns: tuple[ColumnSpec, ...]
    rows: tuple[RowSpec, ...]


@dataclass(frozen=True)
class TableSpec:
    key: str
    name: str
    title: str
    rows: tuple[RowSpec, ...]
    columns: tuple[ColumnSpec, ...]
    physical_rows: tuple[PhysicalRow, ...]
    blocks: tuple[BlockSpec, ...] = ()
    groups: tuple[GroupSpec, ...] = ()
    header_labels: tuple[Label, ...] = ()
    column_groups: tuple[ColumnGroupSpec, ...] = ()
    local_columns: tuple[LocalColumnSpec, ...] = ()
    corner_note: str | None = None  # 表三's top-left cell: how its columns add up


@dataclass(frozen=True)
class Term:
    """A summand of an identity: the cells it adds up (one, or a whole set)."""

    cells: tuple[str, ...]


@dataclass(frozen=True)
class IdentityInstance:
    """An identity bound to one column/row/group: lhs cells sum == rhs cells sum."""

    identity: str
    rule: str
    binding: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]


@dataclass(frozen=True)
class Identity:
    id: str
    rule: str
    description: str
    instances: tuple[IdentityInstance, ...]


@dataclass(frozen=True)
class FormatSpec:
    id: str
    name: str
    first_year: int
    markers: tuple[str, ...]
    sections: tuple[SectionSpec, ...]
    tables: Mapping[str, TableSpec]
    identities: tuple[Identity, ...]
    cells: Mapping[str, CellSpec] = field(default_factory=dict)
    title: str = ""  # the official name of the format (中华人民共和国政府信息公开工作年度报告格式)
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)
    last_year: int | None = None  # the last report year the format is for (None: still in force)

    def cell(self, key: str) -> CellSpec:
        try:
            return self.cells[key]
        except KeyError:
            raise SpecError(f"未知的单元格键：{key}") from None

    def section(self, key: str) -> SectionSpec:
        for s in self.sections:
            if s.key == key:
                return s
        raise SpecError(f"未知的部分：{key}")

    def iter_cells(self, table: str | None = None) -> Iterator[CellSpec]:
        for c in self.cells.values():
            if table is None or c.table == table:
                yield c

    def location_name(self, location: str) -> str:
        """Chinese name of a finding location: a cell key, a row/table key or a section key."""
        if location in self.cells:
            return self.cells[location].name_zh
        for s in self.sections:
            if s.key == location:
                return f"第{s.number}部分「{s.heading}」"
        parts = location.split(".")
        if parts[0] in self.tables:
            table = self.tables[parts[0]]
            if len(parts) == 1:
                return f"{table.name}「{table.title}」"
            for row in table.rows:
                if row.key == parts[1] and row.label:
                    return f"{table.name}「{row.label.text}」行"
            for col in table.columns:
                if col.key == parts[1]:
                    return f"{table.name}「{col.label.text}」列"
            for g in table.groups:
                if g.key == parts[1]:
                    return f"{table.name}「{g.label.text}」"
            for prow in table.physical_rows:  # (表四's one row of values has no label)
                if prow.key == parts[1]:
                    return f"{table.name}「{prow.label.text}」行" if prow.label else f"{table.name}的数值行"
        return {
            "title": "标题",
            "agency": "发布机关",
            "year": "报告年度",
            "date": "成文日期",
            WHOLE_DOCUMENT: "全文",
        }.get(location, location)


# ---------------------------------------------------------------------------------------------
# Loading


def _label(d: Mapping[str, Any], key: str = "label") -> Label:
    return Label(d[key], tuple(d.get("variants", ())))


def _columns(items: list[Mapping[str, Any]], group_of: Mapping[str, str]) -> tuple[ColumnSpec, ...]:
    return tuple(
        ColumnSpec(
            key=c["key"],
            label=_label(c),
            unit=c.get("unit", "件"),
            decimal=bool(c.get("decimal", False)),
            derived=bool(c.get("derived", False)),
            group=group_of.get(c["key"]),
            signed=bool(c.get("signed", False)),
            prose=tuple(c.get("prose", ())),
        )
        for c in items
    )


def _rows(items: list[Mapping[str, Any]], block: str | None = None) -> tuple[RowSpec, ...]:
    return tuple(
        RowSpec(
            key=r["key"],
            label=_label(r),
            group=r.get("group"),
            derived=bool(r.get("derived", False)),
            block=block,
        )
        for r in items
    )


def _load_t2(key: str, d: Mapping[str, Any]) -> tuple[TableSpec, list[CellSpec]]:
    blocks: list[BlockSpec] = []
    rows: list[RowSpec] = []
    phys: list[PhysicalRow] = []
    cells: list[CellSpec] = []
    all_columns: dict[str, ColumnSpec] = {}
    for b in d["blocks"]:
        cols = _columns(b["columns"], {})
        brows = _rows(b["rows"], block=b["key"])
        blocks.append(BlockSpec(b["key"], _label(b, "caption"), cols, brows))
        rows.extend(brows)
        for c in cols:
            all_columns.setdefault(c.key, c)
        for r in brows:
            assert r.label is not None
            keys = []
            for c in cols:
                ck = f"{key}.{r.key}.{c.key}"
                keys.append(ck)
                name_zh = f"{d['name']}「{r.label.text}」×「{c.label.text}」"
                cells.append(CellSpec(ck, key, r.key, c.key, name_zh, c.decimal, c.unit, c.signed))
            phys.append(PhysicalRow(key, r.label, tuple(keys), r.key, block=b["key"]))
    header = (Label(d["header_first"]),)
    spec = TableSpec(
        key,
        d["name"],
        d["title"],
        tuple(rows),
        tuple(all_columns.values()),
        tuple(phys),
        blocks=tuple(blocks),
        header_labels=header,
    )
    return spec, cells


def _load_t3(key: str, d: Mapping[str, Any]) -> tuple[TableSpec, list[CellSpec]]:
    column_groups = tuple(ColumnGroupSpec(g["key"], _label(g), tuple(g["columns"])) for g in d.get("column_groups", ()))
    group_of = {c: g.key for g in column_groups for c in g.columns}
    cols = _columns(d["columns"], group_of)
    rows = _rows(d["rows"])
    groups = tuple(GroupSpec(g["key"], _label(g), g.get("parent")) for g in d.get("row_groups", ()))
    col_groups = tuple(g.label for g in column_groups)
    sums = {g.key: frozenset(g.columns) for g in column_groups}
    local_columns = tuple(
        LocalColumnSpec(c["key"], key, _label(c), c["after"], sums.get(c.get("sum_of", ""), frozenset()))
        for c in d.get("local_columns", ())
    )
    cells, phys = [], []
    for r in rows:
        assert r.label is not None
        keys = []
        for c in cols:
            ck = f"{key}.{r.key}.{c.key}"
            keys.append(ck)
            cells.append(
                CellSpec(ck, key, r.key, c.key, f"{d['name']}「{r.label.text}」×「{c.label.text}」", c.decimal, c.unit)
            )
        phys.append(PhysicalRow(key, r.label, tuple(keys), r.key))
    headers = tuple(Label(t) for t in d.get("header_labels", ())) + col_groups
    if "corner_note" in d:
        headers += (Label(d["corner_note"]),)
    spec = TableSpec(
        key,
        d["name"],
        d["title"],
        rows,
        cols,
        tuple(phys),
        groups=groups,
        header_labels=headers,
        column_groups=column_groups,
        local_columns=local_columns,
        corner_note=d.get("corner_note"),
    )
    return spec, cells


def _load_t4(key: str, d: Mapping[str, Any]) -> tuple[TableSpec, list[CellSpec]]:
    cols = _columns(d["columns"], {})
    groups = tuple(GroupSpec(g["key"], _label(g), g.get("parent_label")) for g in d["groups"])
    rows = tuple(RowSpec(g.key, g.label) for g in groups)
    cells, keys = [], []
    for g in groups:
        prefix = f"{g.parent}·" if g.parent else ""
        for c in cols:
            ck = f"{key}.{g.key}.{c.key}"
            keys.append(ck)
            cells.append(
                CellSpec(
                    ck,
                    key,
                    g.key,
                    c.key,
                    f"{d['name']}「{prefix}{g.label.text}」×「{c.label.text}」",
                    c.decimal,
                    c.unit,
                )
            )
    phys = (PhysicalRow(key, None, tuple(keys), "values"),)
    headers = tuple(Label(t) for t in d.get("header_labels", ()))
    spec = TableSpec(key, d["name"], d["title"], rows, cols, phys, groups=groups, header_labels=headers)
    return spec, cells


_TABLE_LOADERS = {"t2": _load_t2, "t3": _load_t3, "t4": _load_t4}
_TERM = re.compile(r"\{(\w+)\}|\[(\w+)\]")


def _resolve_set(name: str, sets: Mapping[str, Any], tables: Mapping[str, TableSpec]) -> tuple[str, ...]:
    value = sets.get(name)
    if value is None:
        raise SpecError(f"恒等式引用了未定义的集合：{name}")
    if isinstance(value, str):
        table, _, what = value.partition(".")
        t = tables[table]
        keys: dict[str, tuple[str, ...]] = {
            "rows": tuple(r.key for r in t.rows),
            "columns": tuple(c.key for c in t.columns),
            "groups": tuple(g.key for g in t.groups),
        }
        return keys[what]
    return tuple(value)


def _expand(
    pattern: str, binding: Mapping[str, str], sets: Mapping[str, Any], tables: Mapping[str, TableSpec]
) -> tuple[str, ...]:
    for var, val in binding.items():
        pattern = pattern.replace("{" + var + "}", val)
    m = re.search(r"\[(\w+)\]", pattern)
    if not m:
        return (pattern,)
    members = _resolve_set(m.group(1), sets, tables)
    return tuple(pattern[: m.start()] + k + pattern[m.end() :] for k in members)


def _load_identities(
    raw: list[Mapping[str, Any]],
    sets: Mapping[str, Any],
    tables: Mapping[str, TableSpec],
    cells: Mapping[str, CellSpec],
) -> tuple[Identity, ...]:
    out = []
    for d in raw:
        ((var, set_name),) = d["for_each"].items()
        instances = []
        for value in _resolve_set(set_name, sets, tables):
            b = {var: value}
            lhs = tuple(k for p in d["lhs"] for k in _expand(p, b, sets, tables))
            rhs = tuple(k for p in d["rhs"] for k in _expand(p, b, sets, tables))
            for k in (*lhs, *rhs):
                if k not in cells:
                    raise SpecError(f"恒等式 {d['id']} 引用了不存在的单元格：{k}")
            instances.append(IdentityInstance(d["id"], d["rule"], value, lhs, rhs))
        out.append(Identity(d["id"], d["rule"], d["description"], tuple(instances)))
    return tuple(out)


def parse_format(raw: Mapping[str, Any]) -> FormatSpec:
    """Build a FormatSpec from the parsed TOML of a full format definition."""
    sections = tuple(
        SectionSpec(s["key"], s["number"], s["heading"], tuple(s["keywords"]), s.get("table"), i)
        for i, s in enumerate(raw["sections"])
    )
    tables: dict[str, TableSpec] = {}
    cells: dict[str, CellSpec] = {}
    for tkey, tdata in raw["tables"].items():
        spec, tcells = _TABLE_LOADERS[tkey](tkey, tdata)
        tables[tkey] = spec
        for c in tcells:
            if c.key in cells:
                raise SpecError(f"单元格键重复：{c.key}")
            cells[c.key] = c
    identities = _load_identities(raw.get("identities", []), raw.get("sets", {}), tables, cells)
    fmt = raw["format"]
    return FormatSpec(
        fmt["id"],
        fmt["name"],
        fmt["first_year"],
        tuple(fmt.get("markers", ())),
        sections,
        tables,
        identities,
        cells,
        title=fmt["title"],
        raw=raw,
        last_year=fmt.get("last_year"),
    )


@cache
def load_raw(format_id: str) -> Mapping[str, Any]:
    text = resources.files("xxgk.specs").joinpath(f"{format_id}.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def load_format(format_id: str = "gov2021") -> FormatSpec:
    """The format definition `format_id` (default: the 2021 format in force)."""
    return parse_format(load_raw(format_id))


KNOWN_FORMATS = ("gov2021", "gov2019")  # every definition in xxgk/specs, newest first


@dataclass(frozen=True)
class CountBound:
    """The largest plausible count of the cells `pattern` matches (shell-style, on cell keys), by
    kind of agency (xxgk.agency.AgencyKind values): the `count_bounds` of a format (rule C054)."""

    pattern: str
    limits: Mapping[str, int]


@cache
def count_bounds(format_id: str) -> tuple[CountBound, ...]:
    """The format's plausible count bounds, in order (the first matching pattern applies); none for
    a format that defines none."""
    from xxgk.agency import AgencyKind

    kinds = {k.value for k in AgencyKind}
    out = []
    for entry in load_raw(format_id).get("count_bounds", ()):
        limits = {k: v for k, v in entry.items() if k != "cells"}
        if set(limits) != kinds or not all(type(v) is int and v > 0 for v in limits.values()):
            names = "、".join(sorted(kinds))
            raise SpecError(f"格式 {format_id} 的 count_bounds 须为每类机关（{names}）各给一个正整数上限")
        out.append(CountBound(entry["cells"], limits))
    return tuple(out)


@dataclass(frozen=True)
class FormatVersion:
    """The `[format]` table of a format file: what every version has, the full definitions and the
    files that only tell an older version apart (gov2019)."""

    id: str
    name: str
    title: str
    markers: tuple[str, ...]  # labels whose presence in a document means this version (spec §5)
    single_row_groups: tuple[str, ...] = ()  # 表三 row groups printed as one data row ((六)其他处理 in 2019)


@cache
def load_version(format_id: str) -> FormatVersion:
    fmt = load_raw(format_id)["format"]
    return FormatVersion(
        fmt["id"], fmt["name"], fmt["title"], tuple(fmt["markers"]), tuple(fmt.get("single_row_groups", ()))
    )


def version_markers() -> dict[str, tuple[str, ...]]:
    """Marker labels of every known format version, by format id (spec §5 detection rule)."""
    return {fid: load_version(fid).markers for fid in KNOWN_FORMATS}


def format_for_year(year: int) -> FormatSpec | None:
    """The format a report on `year` must use (None before the first national format, 2019)."""
    for fid in KNOWN_FORMATS:
        spec = load_format(fid)
        if spec.first_year <= year and (spec.last_year is None or year <= spec.last_year):
            return spec
    return None
