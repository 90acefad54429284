"""Synthetic annual reports for tests: consistent tables and their text in the seed layouts.

Every label, key and identity comes from the format definition (`load_format()`); nothing
here repeats the labels of the official form. Three layouts mirror the seed reports:

- "tab": one TAB-separated table row per line (like seed 000);
- "cell_per_line": one cell per line, each starting with a TAB, rows separated by a blank
  line (like seed 002);
- "pipe": one cell per line ending in " |", runs of empty cells as one "||…|" line (like 004).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, Protocol

from hypothesis import strategies as st

from xxgk.format import load_format
from xxgk.format.spec import FormatSpec, TableSpec

SPEC: FormatSpec = load_format("gov2021")
LAYOUTS = ("tab", "cell_per_line", "pipe")

Value = int | Decimal | str  # str: written verbatim (for deliberately bad cells)
Row = list[str]  # the printed cells of one table row, "" for an empty (or spanned) cell


class _Rng(Protocol):
    def randint(self, a: int, b: int) -> int: ...


def _set(name: str) -> tuple[str, ...]:
    """A named key set of the format's [sets] (plain lists only)."""
    value = SPEC.raw["sets"][name]
    assert isinstance(value, list), name
    return tuple(value)


def _t3_keys() -> tuple[tuple[str, ...], tuple[str, ...], str, str, tuple[str, ...]]:
    """(applicant columns, result rows, total column, processed-total row, other rows) of 表三."""
    t3 = SPEC.tables["t3"]
    applicants = tuple(c.key for c in t3.columns if not c.derived)
    (total,) = [c.key for c in t3.columns if c.derived]
    (processed,) = [r.key for r in t3.rows if r.derived]
    results = tuple(r.key for r in t3.rows if r.group is not None and not r.derived)
    others = tuple(r.key for r in t3.rows if r.group is None)
    assert set(applicants) == set(_set("t3_applicant_columns"))
    assert set(results) == set(_set("t3_result_rows"))
    return applicants, results, total, processed, others


# ---------------------------------------------------------------------------------------------
# Values


def random_consistent_tables(rng: _Rng | None = None) -> dict[str, int | Decimal]:
    """All 200 cells, every one non-zero, satisfying identities I1–I4.

    `rng` is anything with `randint(a, b)`: a `random.Random`, or hypothesis' `st.randoms()`.
    """
    rng = rng or random.Random()
    values: dict[str, int | Decimal] = {}

    # 表二: any positive counts; the fee in 万元 with up to four decimals (kept below 1亿元).
    for cell in SPEC.iter_cells("t2"):
        if cell.decimal:
            scale = rng.randint(0, 4)
            values[cell.key] = Decimal(rng.randint(1, 9_999 * 10**scale)).scaleb(-scale)
        else:
            values[cell.key] = rng.randint(1, 500)

    # 表三: outcome rows per applicant column, then the derived rows and the total column.
    applicants, results, total, processed, others = _t3_keys()
    (new_row, carried_in_row, carried_out_row) = _balance_rows(others)
    for col in applicants:
        for row in results:
            values[f"t3.{row}.{col}"] = _count(rng)
        processed_sum = sum(int(values[f"t3.{row}.{col}"]) for row in results)
        values[f"t3.{processed}.{col}"] = processed_sum
        carried_in = rng.randint(1, 20)
        new = rng.randint(processed_sum - carried_in + 1, processed_sum - carried_in + 30)
        values[f"t3.{new_row}.{col}"] = new
        values[f"t3.{carried_in_row}.{col}"] = carried_in
        values[f"t3.{carried_out_row}.{col}"] = new + carried_in - processed_sum
    for spec_row in SPEC.tables["t3"].rows:
        key = spec_row.key
        values[f"t3.{key}.{total}"] = sum((int(values[f"t3.{key}.{c}"]) for c in applicants), start=0)

    # 表四: the four results of each group, and their total.
    t4 = SPEC.tables["t4"]
    parts = [c.key for c in t4.columns if not c.derived]
    (t4_total,) = [c.key for c in t4.columns if c.derived]
    for group in t4.groups:
        for part in parts:
            values[f"t4.{group.key}.{part}"] = rng.randint(1, 20)
        values[f"t4.{group.key}.{t4_total}"] = sum(int(values[f"t4.{group.key}.{p}"]) for p in parts)

    assert set(values) == set(SPEC.cells), "every cell of the format gets a value"
    return values


def _count(rng: _Rng) -> int:
    """A small count most of the time, now and then a large one (printed without separators)."""
    return rng.randint(1, 5_000) if rng.randint(0, 9) == 0 else rng.randint(1, 12)


def _balance_rows(others: tuple[str, ...]) -> tuple[str, str, str]:
    """The rows of identity I1: (new, carried over in, carried over out)."""
    (i1,) = [i for i in SPEC.identities if i.id == "I1"]
    inst = i1.instances[0]
    new, carried_in = (k.split(".")[1] for k in inst.lhs)
    carried_out = next(k.split(".")[1] for k in inst.rhs if k.split(".")[1] in others)
    return new, carried_in, carried_out


def consistent_tables() -> st.SearchStrategy[dict[str, int | Decimal]]:
    """Hypothesis strategy for `random_consistent_tables`."""
    return st.randoms(use_true_random=False).map(random_consistent_tables)


def identity_sums(values: Mapping[str, Any], identity_id: str, binding: str) -> tuple[Any, Any]:
    """(lhs sum, rhs sum) of one instance of an identity over `values`."""
    (identity,) = [i for i in SPEC.identities if i.id == identity_id]
    (inst,) = [i for i in identity.instances if i.binding == binding]
    return sum(values[k] for k in inst.lhs), sum(values[k] for k in inst.rhs)


# ---------------------------------------------------------------------------------------------
# Table grids: every table as a list of printed rows, the same for all three layouts.


def _text(value: Value | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _t2_rows(cell: Callable[[str], str]) -> list[Row]:
    t2 = SPEC.tables["t2"]
    width = 1 + max(len(b.columns) for b in t2.blocks)

    def pad(cells: Row) -> Row:
        return cells + [""] * (width - len(cells))

    out: list[Row] = []
    for block in t2.blocks:
        out.append(pad([block.caption.text]))
        out.append(pad([t2.header_labels[0].text, *(c.label.text for c in block.columns)]))
        for phys in (p for p in t2.physical_rows if p.block == block.key):
            assert phys.label is not None
            out.append(pad([phys.label.text, *(cell(k) for k in phys.cells)]))
    return out


def _t3_rows(cell: Callable[[str], str]) -> list[Row]:
    t3: TableSpec = SPEC.tables["t3"]
    raw = SPEC.raw["tables"]["t3"]
    groups = {g.key: g for g in t3.groups}

    def chain(group: str | None) -> list[str]:
        out: list[str] = []
        while group is not None:
            out.insert(0, group)
            group = groups[group].parent
        return out

    depth = 1 + max(len(chain(r.group)) for r in t3.rows)  # label columns of the table
    applicants = [c for c in t3.columns if not c.derived]
    derived = [c for c in t3.columns if c.derived]
    col_groups = {g["key"]: g["label"] for g in raw.get("column_groups", ())}

    # Three header rows: corner note and 申请人情况 (plus the derived 总计, spanning all three),
    # then ungrouped applicant columns and the column-group label, then the grouped columns.
    lead = [""] * (depth - 1)
    first = [raw["corner_note"], *lead, raw["header_labels"][0]] + [""] * (len(applicants) - 1)
    first += [c.label.text for c in derived]
    second, third = ["", *lead], ["", *lead]
    seen: set[str] = set()
    for c in applicants:
        if c.group is None:
            second.append(c.label.text)
            third.append("")
        else:
            second.append("" if c.group in seen else col_groups[c.group])
            seen.add(c.group)
            third.append(c.label.text)
    second += [""] * len(derived)
    third += [""] * len(derived)
    out: list[Row] = [first, second, third]

    printed: set[str] = set()
    for phys, row in zip(t3.physical_rows, t3.rows, strict=True):
        assert phys.label is not None and phys.key == row.key
        labels = []
        for g in chain(row.group):
            labels.append("" if g in printed else groups[g].label.text)
            printed.add(g)
        labels.append(phys.label.text)
        labels += [""] * (depth - len(labels))
        out.append(labels + [cell(k) for k in phys.cells])
    return out


def _t4_rows(cell: Callable[[str], str]) -> list[Row]:
    t4 = SPEC.tables["t4"]
    cols = [c.label.text for c in t4.columns]
    n = len(cols)
    first: Row = []
    second: Row = []
    third: Row = []
    parents_done: set[str] = set()
    for g in t4.groups:
        if g.parent is None:  # 行政复议: its label over two header rows, then its columns
            first += [g.label.text] + [""] * (n - 1)
            second += cols
            third += [""] * n
        else:  # 行政诉讼 › 未经复议直接起诉 / 复议后起诉 › columns
            first += [("" if g.parent in parents_done else g.parent)] + [""] * (n - 1)
            parents_done.add(g.parent)
            second += [g.label.text] + [""] * (n - 1)
            third += cols
    (phys,) = t4.physical_rows
    return [first, second, third, [cell(k) for k in phys.cells]]


# ---------------------------------------------------------------------------------------------
# Layouts


def _render_tab(rows: list[Row]) -> list[str]:
    return ["\t".join(r) for r in rows]


def _strip_trailing(row: Row) -> Row:
    row = list(row)
    while row and not row[-1]:
        row.pop()
    return row


def _render_cell_per_line(rows: list[Row]) -> list[str]:
    out: list[str] = []
    for r in rows:
        out += [f"\t{c}" for c in _strip_trailing(r)]
        out.append("")
    return out


def _render_pipe(rows: list[Row]) -> list[str]:
    out: list[str] = []
    for r in rows:
        empties = 0
        for c in r:
            if not c:
                empties += 1
                continue
            if empties:
                out.append("|" * empties)
                empties = 0
            out.append(f"{c} |")
        if empties:
            out.append("|" * empties)
    return out


_RENDER = {"tab": _render_tab, "cell_per_line": _render_cell_per_line, "pipe": _render_pipe}
_TABLE_ROWS = {"t2": _t2_rows, "t3": _t3_rows, "t4": _t4_rows}


def _prose(agency: str, year: int) -> dict[str, list[str]]:
    """One or two sentences per section; no digits near table words, so no text-vs-table rule fires."""
    return {
        "s1_overview": [
            f"{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，统筹推进主动公开、"
            "依申请公开、政府信息管理、政府信息公开平台建设和监督保障等各方面工作，"
            "并将政务公开纳入年度工作考核，组织开展社会评议，本年度未发生责任追究情况。",
        ],
        "s2_proactive": [
            "本机关按照条例规定主动公开规章、规范性文件和行政许可、处罚、强制及收费信息，具体情况如下表所示。"
        ],
        "s3_applications": [
            "本机关依法受理和办理政府信息公开申请，严格落实答复时限要求，具体收到和处理情况如下表所示。"
        ],
        "s4_review_litigation": [
            "本机关因政府信息公开工作引发的行政复议和行政诉讼案件的办理结果情况，具体如下表所示。"
        ],
        "s5_problems": [
            "本年度政府信息公开工作仍存在公开内容不够全面、解读形式较为单一、工作人员业务水平有待提高等问题。"
            "下一步，本机关将加强业务培训，丰富政策解读形式，完善信息发布审核机制，持续提升政务公开工作质量。",
        ],
        "s6_other": [
            "本机关严格按照《政府信息公开信息处理费管理办法》的规定收取信息处理费，无其他需要报告的事项。",
        ],
    }


Block = tuple[str, Any]  # ("p", text) for a paragraph, ("table", rows) for a table grid


def report_blocks(
    values: Mapping[str, Value],
    agency: str = "某某镇人民政府",
    year: int = 2024,
    missing: Iterable[str] = (),
) -> list[Block]:
    """The content of a complete report as paragraphs and table grids, for any output form.

    A table grid is a list of rows of printed cells, "" for an empty cell or for a position
    covered by a merged cell (TAB-export style). Cells in `missing` are printed empty.
    """
    blank = set(missing)
    unknown = blank - set(SPEC.cells)
    if unknown:
        raise ValueError(f"unknown cell keys: {sorted(unknown)}")

    def cell(key: str) -> str:
        return "" if key in blank else _text(values[key])

    prose = _prose(agency, year)
    blocks: list[Block] = [
        ("p", f"{agency}{year}年政府信息公开工作年度报告"),
        (
            "p",
            f"本报告依据《中华人民共和国政府信息公开条例》编制，所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        ),
    ]
    for section in SPEC.sections:
        blocks.append(("p", section.heading))
        blocks += [("p", text) for text in prose[section.key]]
        if section.table is not None:
            blocks.append(("table", _TABLE_ROWS[section.table](cell)))
    blocks += [("p", agency), ("p", f"{year + 1}年1月15日")]
    return blocks


def write_report(
    values: Mapping[str, Value],
    layout: str,
    agency: str = "某某镇人民政府",
    year: int = 2024,
    missing: Iterable[str] = (),
) -> str:
    """The text of a complete report with `values` in its three tables, in `layout`.

    Cells in `missing` are written as empty cells; only the "tab" layout keeps their place
    (the other layouts drop empty cells, as the seed converters did).
    """
    if layout not in _RENDER:
        raise ValueError(f"unknown layout {layout!r}; expected one of {LAYOUTS}")
    render = _RENDER[layout]
    lines: list[str] = []
    for kind, content in report_blocks(values, agency, year, missing):
        if kind == "table":
            lines.append("")
            lines += render(content)
            lines.append("")
        else:
            lines.append(content)
    lines.append("")
    return "\n".join(lines)
