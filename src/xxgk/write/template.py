"""Fill-in templates (YAML, XLSX) and loading them (and report JSON) back into the report model.

`new_template(agency, year, fmt)` writes an empty template: every cell present and empty, the six
sections with placeholder text. `dump_yaml` / `dump_xlsx` write any report in the same form, so
template → load → template is exact. `load_template(path)` reads YAML, XLSX or the JSON of
`Report.to_json()`; an empty cell is missing (CellState.EMPTY), never 0. Anything that cannot be
taken as written raises `TemplateError` naming the cell key and the line or sheet cell.
"""

from __future__ import annotations

import difflib
import io
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import yaml

from xxgk.format import FormatSpec, label_key, load_format
from xxgk.format.normalize import normalize_text
from xxgk.format.spec import CellSpec
from xxgk.report import Cell, CellState, Metadata, Number, Provenance, Report, Section
from xxgk.write.content import format_number
from xxgk.write.errors import TemplateError
from xxgk.write.layout import Role, table_layouts

PLACEHOLDER = "【待填写】"
TEMPLATE_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".xlsx": "xlsx", ".json": "json"}
_INT = re.compile(r"^[+]?\d+$")
_DEC = re.compile(r"^[+]?\d+\.\d+$")
_NEG = re.compile(r"^-\s*\d+(\.\d+)?$")
_YEAR_IN_TEXT = re.compile(r"((?:19|20)\d{2})\s*年")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATE_ZH = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
META_KEYS = ("agency", "year", "title", "date")
T = TypeVar("T")
D = TypeVar("D")


def placeholder(heading: str) -> str:
    return f"{PLACEHOLDER}{heading}的内容"


# ---------------------------------------------------------------------------------------------
# Building a report from loaded values


@dataclass(frozen=True)
class Where:
    """Where a value sits in a template: a line (YAML) or a sheet cell (XLSX)."""

    file: str
    line: int | None = None
    sheet: str | None = None
    ref: str | None = None
    reader: str = "yaml"

    def zh(self) -> str:
        if self.sheet is not None:
            return f"工作表「{self.sheet}」单元格 {self.ref}"
        if self.line is not None:
            return f"第{self.line}行"
        return "文件"

    def provenance(self) -> Provenance:
        if self.sheet is None:
            return Provenance(self.file, self.line, reader=self.reader)
        return Provenance(self.file, reader=f"xlsx:{self.sheet}!{self.ref}")


def _fail(where: Where, message: str) -> TemplateError:
    return TemplateError(f"{where.zh()}：{message}", path=where.file)


def _cell_name(spec: FormatSpec, key: str) -> str:
    return f"{key}（{spec.cell(key).name_zh}）"


def parse_cell_text(text: str, cell: CellSpec, spec: FormatSpec, where: Where) -> Number | None:
    """A template cell's text to its value; None when empty. Bad values raise TemplateError."""
    s = text.strip().replace(",", "").replace("，", "")
    if s in _NULLS:
        return None
    name = _cell_name(spec, cell.key)
    if _NEG.match(s):
        return _raise(where, f"{name} 为负数「{text}」；件数和金额都不能为负")
    if _INT.match(s):
        return int(s)
    if _DEC.match(s):
        if not cell.decimal:
            return _raise(where, f"{name} 应为非负整数（件数），实际为「{text}」")
        return Decimal(s)
    unit = f"非负数（单位：{cell.unit}，可带小数）" if cell.decimal else "非负整数"
    return _raise(where, f"{name} 不是数字：「{text}」；请填写{unit}，或留空表示未填写（不要填“无”“/”）")


def _raise(where: Where, message: str) -> Number | None:
    raise _fail(where, message)


def _year(value: Any, spec: FormatSpec, where: Where) -> int:
    text = str(value).strip() if value is not None else ""
    if not text or text in _NULLS:
        raise _fail(where, "缺少报告年度（year），请填写四位数字年份，如 2025")
    if not _INT.match(text):
        raise _fail(where, f"报告年度（year）应为四位数字年份，实际为「{text}」")
    year = int(text)
    last = date.today().year
    if not spec.first_year <= year <= last:
        raise _fail(
            where,
            f"报告年度 {year} 不在 {spec.first_year}–{last} 之间（{spec.name}适用于 {spec.first_year} 年及以后的报告）",
        )
    return year


def _date(value: Any, where: Where) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if text in _NULLS:
        return None
    m = _DATE_ISO.match(text) or _DATE_ZH.match(text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise _fail(where, f"落款日期应写作 2026-01-15 或 2026年1月15日，实际为「{text}」")


def _check_title(title: str | None, year: int, where: Where) -> None:
    if not title:
        return
    m = _YEAR_IN_TEXT.search(title)
    if m and int(m.group(1)) != year:
        raise _fail(where, f"标题中的年度（{m.group(1)}年）与报告年度（year: {year}）不一致")


def _unknown(kind: str, key: str, known: list[str], where: Where) -> TemplateError:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"，是不是「{close[0]}」？" if close else f"；应为：{'、'.join(known)}"
    return _fail(where, f"未知的{kind}「{key}」{hint}")


def _all_problems(path: str, problems: list[TemplateError]) -> TemplateError:
    if len(problems) == 1:
        return problems[0]
    listing = "\n".join(f"  {i}. {p.message}" for i, p in enumerate(problems, 1))
    return TemplateError(f"发现 {len(problems)} 个问题，请一并修改：\n{listing}", path=path)


class _Builder:
    """Collects what a loader read, then builds the Report (every cell of the format present)."""

    def __init__(self, path: str, spec: FormatSpec) -> None:
        self.path = path
        self.spec = spec
        self.meta = Metadata(format_version=spec.id)
        self.sections: dict[str, Section] = {s.key: Section(s.key, None) for s in spec.sections}
        self.cells: dict[str, Cell] = {c.key: Cell(c.key) for c in spec.iter_cells()}
        # Every problem found, in file order: the user fixes them all after one run, not one a run.
        self.problems: list[TemplateError] = []

    def attempt(self, fn: Callable[..., T], *args: Any, default: D) -> T | D:
        """`fn(*args)`, or `default` with its TemplateError noted: loading goes on past a problem."""
        try:
            return fn(*args)
        except TemplateError as e:
            self.problems.append(e)
            return default

    def note(self, problem: TemplateError) -> None:
        self.problems.append(problem)

    def section(self, key: str, text: str, where: Where) -> None:
        text = "\n".join(line.rstrip() for line in text.strip().split("\n"))
        if text == placeholder(self.spec.section(key).heading) or text == PLACEHOLDER:
            text = ""
        self.sections[key] = Section(key, self.spec.section(key).heading, text, where.provenance())

    def cell(self, key: str, value: Number | None, raw: str, where: Where, state: CellState | None = None) -> None:
        st = state or (CellState.EMPTY if value is None else CellState.NUMBER)
        self.cells[key] = Cell(key, value, st, raw, where.provenance())

    def _statistics_period(self) -> None:
        """The statistics period the text states ("统计期限自…至…"), found as the recogniser finds it
        in a written report: checking the template and checking what it renders to agree (D081)."""
        from xxgk.readers.base import RawCell, RawDocument, RawLine
        from xxgk.recognize.metadata import read_metadata

        lines = [
            RawLine((RawCell(normalize_text(line), sec.source or Provenance(self.path)),))
            for sec in self.sections.values()
            for line in sec.text.split("\n")
            if line.strip()
        ]
        found = read_metadata(RawDocument(self.path, lines), 0)
        self.meta.statistics_period, self.meta.period_source = found.statistics_period, found.period_source

    def report(self) -> Report:
        """The report; TemplateError listing every problem noted when there is one."""
        if self.problems:
            raise _all_problems(self.path, self.problems)
        self._statistics_period()
        spec = self.spec
        found = {t: any(self.cells[c.key].state != CellState.ABSENT for c in spec.iter_cells(t)) for t in spec.tables}
        rows = {
            f"{t.key}.{r.key}": any(self.cells[k].state != CellState.ABSENT for k in r.cells)
            for t in spec.tables.values()
            for r in t.physical_rows
        }
        order = [k for k, s in self.sections.items() if s.found]
        markers = {spec.id: list(spec.markers)} if any(found.values()) else {}
        return Report(
            path=self.path,
            meta=self.meta,
            sections=self.sections,
            cells=self.cells,
            tables_found=found,
            rows_found=rows,
            heading_order=order,
            markers=markers,
            spec_id=spec.id,
        )


# ---------------------------------------------------------------------------------------------
# YAML


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _block(text: str, indent: str) -> str:
    """A section text as a YAML scalar: a literal block when that is exact, else quoted."""
    lines = text.split("\n")
    literal_ok = (
        len(lines) > 1
        and all(line and line == line.strip() and "\r" not in line for line in lines)
        and not any(ord(ch) < 32 and ch != "\n" for ch in text)
    )
    if not literal_ok:
        return " " + _q(text)
    return " |-\n" + "\n".join(indent + line for line in lines)


def _comment_rows(spec: FormatSpec, table: str) -> dict[str, str]:
    """Row key → Chinese comment (with its group labels) for the YAML."""
    t = spec.tables[table]
    groups = {g.key: g for g in t.groups}
    out: dict[str, str] = {}
    for r in t.rows:
        chain: list[str] = []
        g = r.group
        while table == "t3" and g is not None:
            chain.insert(0, groups[g].label.text)
            g = groups[g].parent
        label = r.label.text if r.label else r.key
        if table == "t4" and groups[r.key].parent:
            label = f"{groups[r.key].parent} › {label}"
        out[r.key] = " › ".join([*chain, label])
    return out


def _column_comment(spec: FormatSpec, table: str, column: str) -> str:
    t = spec.tables[table]
    col = next(c for c in t.columns if c.key == column)
    text = col.label.text
    if col.group:
        group = next(g.label.text for g in spec.tables[table].column_groups if g.key == col.group)
        text = f"{group} › {text}"
    unit = "，可带小数" if col.decimal else ""
    derived = "；可由 --fill-totals 计算" if col.derived else ""
    return f"{text}{unit}{derived}"


def dump_yaml(report: Report) -> str:
    """The report as a fill-in YAML template with Chinese comments; empty cells are left blank."""
    spec = report.spec
    m = report.meta
    out = [
        f"# 政府信息公开工作年度报告填报模板（{spec.name}《{spec.title}》）",
        "# 填写说明：",
        "#   · 数字单元格只填非负整数；"
        + "；".join(f"{c.name_zh}可填小数" for c in spec.cells.values() if c.decimal)
        + "。",
        "#   · 留空表示“未填写”：核查时按缺失报告，不按 0 计算。确实没有发生的事项请填 0。",
        "#   · 不要改动英文键名；每个键后的中文注释说明它在表格中的位置。",
        "#   · 正文每段一行；以“【待填写】”开头的占位文字请替换为正文。",
        "#   · 填好后生成报告：xxgk render 本文件 -o 报告.docx（或 .pdf .html .md），",
        "#     加 --fill-totals 可自动计算总计栏、（七）总计和结转下年度。",
        f"format: {spec.id}  # 格式版本，不要改动",
        f"agency: {_q(m.agency or '')}  # {spec.location_name('agency')}",
        f"year: {m.year if m.year is not None else ''}  # {spec.location_name('year')}（四位数字）",
        f"title: {_q(m.title or '')}  # {spec.location_name('title')}（留空则按机关和年度生成）",
        f"date: {m.date.isoformat() if m.date else ''}  # 落款日期（{spec.location_name('date')}），如 2026-01-15",
        "",
        "# 六个部分的正文（标题按格式固定，不必填写）",
        "sections:",
    ]
    for s in spec.sections:
        sec = report.sections.get(s.key)
        text = sec.text if sec is not None and sec.text else placeholder(s.heading)
        table = f"（含{spec.tables[s.table].name}）" if s.table else ""
        out.append(f"  # {s.heading}{table}")
        out.append(f"  {s.key}:" + _block(text, "    "))
    out.append("")
    out.append("# 表格：每个数字单元格一个键；留空 = 未填写（缺失），不是 0")
    out.append("tables:")
    for tkey, t in spec.tables.items():
        out.append(f"  # {t.name} {t.title}")
        out.append(f"  {tkey}:")
        rows = _comment_rows(spec, tkey)
        if tkey == "t3":
            out.append(f"    # {spec.tables[tkey].corner_note}")
        block = None
        blocks = {r.key: r.block for r in t.rows}
        captions = {bl.key: bl.caption.text for bl in t.blocks}
        for rkey in dict.fromkeys(c.row for c in spec.iter_cells(tkey)):
            if blocks.get(rkey) is not None and blocks[rkey] != block:
                block = blocks[rkey]
                out.append(f"    # {captions[block or '']}")
            out.append(f"    {rkey}:  # {rows[rkey]}")
            for cs in (c for c in spec.iter_cells(tkey) if c.row == rkey):
                value = format_number(report.cells[cs.key].value)
                pad = " " if value else ""
                out.append(f"      {cs.column}:{pad}{value}  # {_column_comment(spec, tkey, cs.column)}")
    out.append("")
    return "\n".join(out)


def _node_where(path: str, node: yaml.Node) -> Where:
    return Where(path, node.start_mark.line + 1)


def _mapping(
    node: yaml.Node, path: str, what: str, note: Callable[[TemplateError], None] | None = None
) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
    """The key/value pairs of a mapping node. A key that is not text or repeats is passed to `note`
    (and left out) when given, else raised."""
    if isinstance(node, yaml.ScalarNode) and node.value in _NULLS:
        return []
    if not isinstance(node, yaml.MappingNode):
        raise _fail(_node_where(path, node), f"{what} 应为“键: 值”的映射")
    out = []
    seen: set[str] = set()
    for k, v in node.value:
        problem = None
        if not isinstance(k, yaml.ScalarNode):
            problem = _fail(_node_where(path, k), f"{what} 的键应为文字")
        elif k.value in seen:
            problem = _fail(_node_where(path, k), f"键「{k.value}」重复出现")
        if problem is not None:
            if note is None:
                raise problem
            note(problem)
            continue
        seen.add(k.value)
        out.append((k, v))
    return out


def _scalar(node: yaml.Node, path: str, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise _fail(_node_where(path, node), f"{what} 应为单个值，不能是列表或映射")
    if node.tag.endswith(":null"):
        return ""
    return str(node.value)


def _yaml_items(
    b: _Builder, top: dict[str, tuple[Any, yaml.Node]], key: str
) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
    if key not in top:
        return []
    return b.attempt(_mapping, top[key][1], b.path, key, b.note, default=[])


def _yaml_meta(b: _Builder, root: yaml.Node, top: dict[str, tuple[Any, yaml.Node]]) -> None:
    """agency, year, title, date: each problem noted, the others still read."""
    path, spec = b.path, b.spec
    year_node = top.get("year", (root, root))[1]
    year_text = b.attempt(_scalar, year_node, path, "year", default=False) if "year" in top else None
    year = None if year_text is False else b.attempt(_year, year_text, spec, _node_where(path, year_node), default=None)
    b.meta.year, b.meta.year_source = year, _node_where(path, year_node).provenance()
    agency_node = top.get("agency", (root, root))[1]
    agency = b.attempt(_scalar, agency_node, path, "agency", default="").strip() if "agency" in top else ""
    if not agency:
        b.note(_fail(_node_where(path, agency_node), "缺少发布机关（agency）"))
    b.meta.agency, b.meta.agency_source = agency or None, _node_where(path, agency_node).provenance()
    if "title" in top:
        where = _node_where(path, top["title"][1])
        title = b.attempt(_scalar, top["title"][1], path, "title", default="").strip() or None
        if year is not None:
            b.attempt(_check_title, title, year, where, default=None)
        b.meta.title, b.meta.title_source = title, where.provenance()
    if "date" in top:
        where = _node_where(path, top["date"][1])
        text = b.attempt(_scalar, top["date"][1], path, "date", default="")
        b.meta.date, b.meta.date_source = b.attempt(_date, text, where, default=None), where.provenance()


def _yaml_table(b: _Builder, table: str, node: yaml.Node) -> None:
    path, spec = b.path, b.spec
    rows = list(dict.fromkeys(c.row for c in spec.iter_cells(table)))
    for rk, rv in b.attempt(_mapping, node, path, table, b.note, default=[]):
        if rk.value not in rows:
            b.note(_unknown(f"{spec.tables[table].name}行键", rk.value, rows, _node_where(path, rk)))
            continue
        cols = [c.column for c in spec.iter_cells(table) if c.row == rk.value]
        for ck, cv in b.attempt(_mapping, rv, path, f"{table}.{rk.value}", b.note, default=[]):
            if ck.value not in cols:
                b.note(_unknown(f"「{table}.{rk.value}」的列键", ck.value, cols, _node_where(path, ck)))
                continue
            key = f"{table}.{rk.value}.{ck.value}"
            where = _node_where(path, cv)
            raw = b.attempt(_scalar, cv, path, key, default=None)
            if raw is not None:
                value = b.attempt(parse_cell_text, raw, spec.cell(key), spec, where, default=None)
                b.cell(key, value, raw, where)


def load_yaml(path: str, text: str, spec: FormatSpec | None = None) -> Report:
    try:
        root = yaml.compose(text, Loader=yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        problem = getattr(e, "problem", None) or str(e)
        where = Where(path, mark.line + 1) if mark is not None else Where(path)
        raise _fail(where, f"YAML 语法错误：{problem}（请检查缩进、冒号和引号）") from None
    if root is None:
        raise TemplateError("文件为空，不是填报模板", path=path)
    top = {k.value: (k, v) for k, v in _mapping(root, path, "模板")}
    allowed = ["format", *META_KEYS, "sections", "tables"]
    unknown = [
        _unknown("顶层键", name, allowed, _node_where(path, k)) for name, (k, _) in top.items() if name not in allowed
    ]
    if "format" in top:
        fid = _scalar(top["format"][1], path, "format")
        spec = spec or (load_format(fid) if fid == "gov2021" else None)
        if spec is None or fid != spec.id:
            raise _fail(_node_where(path, top["format"][1]), f"不支持的格式版本「{fid}」；只能是 gov2021")
    spec = spec or load_format()
    b = _Builder(path, spec)
    b.problems.extend(unknown)
    _yaml_meta(b, root, top)
    section_keys = [s.key for s in spec.sections]
    for k, v in _yaml_items(b, top, "sections"):
        if k.value not in section_keys:
            b.note(_unknown("部分键", k.value, section_keys, _node_where(path, k)))
            continue
        body = b.attempt(_scalar, v, path, k.value, default=None)
        if body is not None:
            b.section(k.value, body, _node_where(path, v))
    for tk, tv in _yaml_items(b, top, "tables"):
        if tk.value not in spec.tables:
            b.note(_unknown("表格键", tk.value, list(spec.tables), _node_where(path, tk)))
            continue
        _yaml_table(b, tk.value, tv)
    return b.report()


# ---------------------------------------------------------------------------------------------
# XLSX

META_SHEET = "封面与正文"
_LOCKED_FILL = "F2F2F2"


def _meta_rows(spec: FormatSpec) -> list[tuple[str, str]]:
    """(key, Chinese label) of the metadata rows of the first sheet."""
    return [("format", "格式版本"), *((k, spec.location_name(k)) for k in META_KEYS)]


def dump_xlsx(report: Report) -> bytes:
    """The report as an XLSX workbook: a metadata/text sheet and one sheet per table, official layout."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    spec = report.spec
    m = report.meta
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = META_SHEET
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    locked_fill = PatternFill("solid", fgColor=_LOCKED_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    unlocked = Protection(locked=False)

    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 100
    ws.cell(1, 1, "项目").font = Font(bold=True)
    ws.cell(1, 2, "内容（只填写本列；表格在“表二”“表三”“表四”工作表中）").font = Font(bold=True)
    values: dict[str, Any] = {
        "format": spec.id,
        "agency": m.agency or "",
        "year": m.year,
        "title": m.title or "",
        "date": m.date.isoformat() if m.date else "",
    }
    r = 2
    for key, label in _meta_rows(spec):
        ws.cell(r, 1, label).fill = locked_fill
        c = ws.cell(r, 2, values[key])
        if key != "format":
            c.protection = unlocked
        r += 1
    for s in spec.sections:
        sec = report.sections.get(s.key)
        ws.cell(r, 1, s.heading).fill = locked_fill
        ws.cell(r, 1).alignment = wrap
        c = ws.cell(r, 2, sec.text if sec is not None and sec.text else placeholder(s.heading))
        c.alignment, c.protection = wrap, unlocked
        ws.row_dimensions[r].height = 120
        r += 1
    ws.protection.sheet = True

    for layout in table_layouts(spec.id).values():
        sh = wb.create_sheet(layout.name)
        sh.cell(1, 1, f"{layout.name}　{layout.title}").font = Font(bold=True, size=12)
        sh.merge_cells(start_row=1, start_column=1, end_row=1, end_column=layout.ncols)
        count = DataValidation(
            type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True, showErrorMessage=True
        )
        count.error, count.errorTitle = "请填写非负整数（件数），或留空表示未填写", "数值无效"
        money = DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True, showErrorMessage=True
        )
        money.error, money.errorTitle = "请填写非负数（单位：万元，可带小数），或留空表示未填写", "数值无效"
        for i, w in enumerate(layout.col_weights, start=1):
            sh.column_dimensions[get_column_letter(i)].width = 9 * w
        for p in layout.placed():
            row, col = p.row + 2, p.col + 1
            cell = sh.cell(row, col)
            if p.cell.role is Role.VALUE:
                assert p.cell.key is not None
                v = report.cells[p.cell.key].value
                cell.value = v
                cell.protection = unlocked
                cs = spec.cell(p.cell.key)
                if cs.decimal:
                    cell.number_format = "0.0000##"
                    money.add(cell.coordinate)
                else:
                    count.add(cell.coordinate)
            else:
                cell.value = p.cell.text
                cell.fill = locked_fill
            cell.alignment = center if p.cell.role is not Role.LABEL else Alignment(vertical="center", wrap_text=True)
            for dr in range(p.cell.rowspan):
                for dc in range(p.cell.colspan):
                    sh.cell(row + dr, col + dc).border = border
            if p.cell.rowspan > 1 or p.cell.colspan > 1:
                sh.merge_cells(
                    start_row=row,
                    start_column=col,
                    end_row=row + p.cell.rowspan - 1,
                    end_column=col + p.cell.colspan - 1,
                )
        sh.add_data_validation(count)
        sh.add_data_validation(money)
        sh.protection.sheet = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_number(value: Any, cell: CellSpec, spec: FormatSpec, where: Where) -> tuple[Number | None, str]:
    if value is None:
        return None, ""
    if isinstance(value, bool | datetime | date):
        raise _fail(where, f"{_cell_name(spec, cell.key)} 不是数字：「{value}」")
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
    elif isinstance(value, Decimal):
        text = format(value, "f")
    else:
        text = str(value)
    return parse_cell_text(text, cell, spec, where), text


def _xlsx_meta(b: _Builder, meta: dict[str, tuple[Any, Where]]) -> None:
    """format, year, agency, title, date of the first sheet: each problem noted, the others read."""
    spec = b.spec
    fid, w = meta["format"]
    if _xlsx_text(fid).strip() not in ("", spec.id):
        b.note(_fail(w, f"不支持的格式版本「{fid}」；只能是 {spec.id}"))
    year_value, w = meta["year"]
    b.meta.year = b.attempt(_year, _xlsx_text(year_value), spec, w, default=None)
    b.meta.year_source = w.provenance()
    agency, w = meta["agency"]
    if not _xlsx_text(agency).strip():
        b.note(_fail(w, "缺少发布机关"))
    b.meta.agency, b.meta.agency_source = _xlsx_text(agency).strip() or None, w.provenance()
    title, w = meta["title"]
    b.meta.title = _xlsx_text(title).strip() or None
    if b.meta.year is not None:
        b.attempt(_check_title, b.meta.title, b.meta.year, w, default=None)
    b.meta.title_source = w.provenance()
    d, w = meta["date"]
    b.meta.date, b.meta.date_source = b.attempt(_date, d, w, default=None), w.provenance()


def load_xlsx(path: str, data: bytes, spec: FormatSpec | None = None) -> Report:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    spec = spec or load_format()
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as e:  # openpyxl raises many types for a broken file
        raise TemplateError(
            f"无法打开 Excel 文件（{type(e).__name__}）：不是有效的 .xlsx 填报模板", path=path
        ) from None
    layouts = table_layouts(spec.id)
    absent = [name for name in (META_SHEET, *(lay.name for lay in layouts.values())) if name not in wb.sheetnames]
    if absent:
        names = "、".join(f"「{name}」" for name in absent)
        raise TemplateError(f"缺少工作表{names}：表格版式被改动，请用 xxgk new 重新生成模板", path=path)
    b = _Builder(path, spec)
    ws = wb[META_SHEET]

    def where(sheet: str, row: int, col: int) -> Where:
        return Where(path, None, sheet, f"{get_column_letter(col)}{row}", "xlsx")

    def layout_kept(sheet: Any, labels: list[tuple[int, int, str]]) -> bool:
        """Whether every label cell of `sheet` is as generated; the first that is not is noted (one
        a sheet: after a row is inserted every label below differs, and one message says it)."""
        for row, col, text in labels:
            found = _xlsx_text(sheet.cell(row, col).value)
            if label_key(found) != label_key(text):
                b.note(
                    _fail(
                        where(sheet.title, row, col),
                        f"应为「{text}」，实际为「{found}」：表格版式被改动（标签单元格不能修改、不能插入或删除行列），"
                        "请用 xxgk new 重新生成模板后再填写",
                    )
                )
                return False
        return True

    meta_rows = _meta_rows(spec)
    labels = [(r, 1, label) for r, (_, label) in enumerate(meta_rows, 2)]
    labels += [(r, 1, s.heading) for r, s in enumerate(spec.sections, 2 + len(meta_rows))]
    if layout_kept(ws, labels):
        meta = {key: (ws.cell(r, 2).value, where(META_SHEET, r, 2)) for r, (key, _) in enumerate(meta_rows, 2)}
        _xlsx_meta(b, meta)
        for r, s in enumerate(spec.sections, 2 + len(meta_rows)):
            b.section(s.key, _xlsx_text(ws.cell(r, 2).value), where(META_SHEET, r, 2))

    for layout in layouts.values():
        sh = wb[layout.name]
        placed = list(layout.placed())
        if not layout_kept(sh, [(p.row + 2, p.col + 1, p.cell.text) for p in placed if p.cell.role is not Role.VALUE]):
            continue
        for p in placed:
            if p.cell.key is None:
                continue
            w = where(layout.name, p.row + 2, p.col + 1)
            cell = spec.cell(p.cell.key)
            value, raw = b.attempt(_xlsx_number, sh.cell(p.row + 2, p.col + 1).value, cell, spec, w, default=(None, ""))
            b.cell(p.cell.key, value, raw, w)
    return b.report()


# ---------------------------------------------------------------------------------------------
# JSON (Report.to_json / xxgk parse --format json)


def load_json(path: str, text: str, spec: FormatSpec | None = None) -> Report:
    spec = spec or load_format()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise _fail(Where(path, e.lineno), f"JSON 语法错误：{e.msg}（第{e.colno}列）") from None
    whole = Where(path, reader="json")
    if not isinstance(data, dict):
        raise _fail(whole, "JSON 顶层应为对象（xxgk parse --format json 的输出）")
    b = _Builder(path, spec)
    b.meta.year = b.attempt(_year, data.get("year"), spec, whole, default=None)
    agency = data.get("agency")
    if not isinstance(agency, str) or not agency.strip():
        b.note(_fail(whole, "缺少发布机关（agency）"))
    b.meta.agency = agency.strip() if isinstance(agency, str) and agency.strip() else None
    title = data.get("title")
    b.meta.title = title.strip() if isinstance(title, str) and title.strip() else None
    if b.meta.year is not None:
        b.attempt(_check_title, b.meta.title, b.meta.year, whole, default=None)
    b.meta.date = b.attempt(_date, data.get("date"), whole, default=None)
    section_keys = [s.key for s in spec.sections]
    for key, sec in b.attempt(_items, data.get("sections"), "sections", whole, default=[]):
        if key not in section_keys:
            b.note(_unknown("部分键", key, section_keys, whole))
            continue
        if sec is None:
            continue
        text = sec.get("text", "") if isinstance(sec, dict) else sec
        if not isinstance(text, str):
            b.note(_fail(whole, f"部分「{key}」的正文应为文字"))
            continue
        if isinstance(sec, dict) and sec.get("heading") is None and not text:
            continue  # a section the reader did not find stays absent
        b.section(key, text, whole)
    for tkey, rows in b.attempt(_items, data.get("tables"), "tables", whole, default=[]):
        if tkey not in spec.tables:
            b.note(_unknown("表格键", tkey, list(spec.tables), whole))
            continue
        for rkey, cols in b.attempt(_items, rows, tkey, whole, default=[]):
            for ckey, cell in b.attempt(_items, cols, f"{tkey}.{rkey}", whole, default=[]):
                key = f"{tkey}.{rkey}.{ckey}"
                if key not in spec.cells:
                    b.note(_unknown("单元格键", key, [k for k in spec.cells if k.startswith(f"{tkey}.")], whole))
                    continue
                b.attempt(_json_cell, b, key, cell, spec, Where(path, reader="json"), default=None)
    return b.report()


def _items(value: Any, what: str, where: Where) -> list[tuple[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, dict):
        raise _fail(where, f"「{what}」应为对象")
    return list(value.items())


def _json_cell(b: _Builder, key: str, cell: Any, spec: FormatSpec, where: Where) -> None:
    state: CellState | None = None
    value = cell
    if isinstance(cell, dict):
        value = cell.get("value")
        if value is None and cell.get("state") in CellState.__members__.values():
            state = CellState(cell["state"])
            state = None if state is CellState.NUMBER else state
    if value is None:
        b.cell(key, None, "", where, state or CellState.EMPTY)
        return
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _fail(where, f"{_cell_name(spec, key)} 不是数字：「{value}」")
    text = repr(value) if isinstance(value, float) else str(value)
    b.cell(key, parse_cell_text(text, spec.cell(key), spec, where), text, where)


# ---------------------------------------------------------------------------------------------
# Front doors

_DUMPERS: dict[str, Callable[[Report], bytes]] = {
    "yaml": lambda r: dump_yaml(r).encode("utf-8"),
    "xlsx": dump_xlsx,
}


def template_report(agency: str, year: int, when: date | None = None, spec: FormatSpec | None = None) -> Report:
    """An empty report: metadata set, sections with placeholders, every cell EMPTY."""
    spec = spec or load_format()
    b = _Builder("", spec)
    b.meta.agency, b.meta.year, b.meta.date = agency, year, when
    b.meta.title = f"{agency}{year}年政府信息公开工作年度报告"
    for s in spec.sections:
        b.sections[s.key] = Section(s.key, s.heading, "")
    for key in b.cells:
        b.cells[key] = Cell(key, None, CellState.EMPTY, "")
    return b.report()


def new_template(agency: str, year: int, fmt: str, when: date | None = None) -> bytes:
    """A fill-in template ("yaml" or "xlsx") for `agency` and `year`, every cell empty."""
    if fmt not in _DUMPERS:
        raise TemplateError(f"不支持的模板格式「{fmt}」；只能是 yaml 或 xlsx")
    agency = agency.strip()
    if not agency:
        raise TemplateError("发布机关不能为空")
    spec = load_format()
    _year(year, spec, Where("命令行"))
    return _DUMPERS[fmt](template_report(agency, year, when, spec))


def dump_template(report: Report, fmt: str) -> bytes:
    if fmt not in _DUMPERS:
        raise TemplateError(f"不支持的模板格式「{fmt}」；只能是 yaml 或 xlsx")
    return _DUMPERS[fmt](report)


def template_kind(path: str | Path) -> str | None:
    return TEMPLATE_SUFFIXES.get(Path(path).suffix.lower())


def load_template(path: str | Path) -> Report:
    """Load a YAML/XLSX/JSON template into a Report. Raises TemplateError (zh-CN) for bad input."""
    p = Path(path)
    kind = template_kind(p)
    if kind is None:
        raise TemplateError(f"不支持的模板文件类型「{p.suffix}」；应为 .yaml、.yml、.xlsx 或 .json", path=str(p))
    try:
        data = p.read_bytes()
    except OSError as e:
        raise TemplateError(f"无法读取文件：{e.strerror or e}", path=str(p)) from None
    if kind == "xlsx":
        return load_xlsx(str(p), data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TemplateError("文件不是 UTF-8 编码的文本", path=str(p)) from None
    return load_yaml(str(p), text) if kind == "yaml" else load_json(str(p), text)


def report_values(report: Report) -> Mapping[str, Number | None]:
    return {k: c.value for k, c in report.cells.items()}


@dataclass(frozen=True)
class FormReport:
    """A report built from a form's values, and what could not be taken: field name → zh-CN message."""

    report: Report
    problems: dict[str, str]


def report_from_form(
    agency: str,
    year: int,
    *,
    title: str = "",
    when: date | None = None,
    sections: Mapping[str, str] | None = None,
    cells: Mapping[str, str] | None = None,
) -> FormReport:
    """A report from what a person typed into the official layout (the web app's form): each cell's text
    read as a template cell is (blank: not filled in; a bad value: that field's message, the cell left
    blank), each section's text. Unlike a template file, a form is never refused whole: every field keeps
    its own message, so the form can show each beside its field."""
    spec = load_format()
    b = _Builder("网上填报", spec)
    b.meta.agency, b.meta.year, b.meta.date = agency, year, when
    b.meta.title = title.strip() or f"{agency}{year}年政府信息公开工作年度报告"
    where = Where("网上填报", reader="form")
    problems: dict[str, str] = {}
    for s in spec.sections:
        text = (sections or {}).get(s.key, "")
        b.section(s.key, text, where)
    for key in b.cells:
        raw = str((cells or {}).get(key, "") or "")
        try:
            value = parse_cell_text(raw, spec.cell(key), spec, where)
        except TemplateError as e:
            problems[key] = e.message.removeprefix(f"{where.zh()}：")
            value = None
        b.cell(key, value, raw.strip(), where)
    return FormReport(b.report(), problems)
