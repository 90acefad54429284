"""The report model: metadata, section texts and the three tables, every cell with provenance.

A cell holds a value or is missing; missing is never 0. `CellState` keeps *why* it is missing
(blank, dash, 无, unreadable text, absent from the document) all the way to the output.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date as Date  # `date` is also a Metadata field name
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from xxgk.display import json_value
from xxgk.findings import Finding
from xxgk.format import FormatSpec, load_format

Number = int | Decimal


class CellState(StrEnum):
    NUMBER = "number"  # a number was read
    EMPTY = "empty"  # the cell is there and blank
    DASH = "dash"  # "/", "—", "-" and the like
    NONE_WORD = "none_word"  # "无"
    TEXT = "text"  # text that is not a number ("见附件", "12%")
    UNCERTAIN = "uncertain"  # read, but the reader could not tell which cell it belongs to
    ABSENT = "absent"  # the row or table was not found in the document

    @property
    def missing(self) -> bool:
        return self is not CellState.NUMBER


MISSING_ZH = {
    CellState.EMPTY: "空白",
    CellState.DASH: "横线/斜线",
    CellState.NONE_WORD: "“无”",
    CellState.TEXT: "非数字文本",
    CellState.UNCERTAIN: "无法确定归属",
    CellState.ABSENT: "未找到",
}


class Provenance(NamedTuple):
    """Where a piece of text was read.

    `line` is 1-based (the text line, or the source line of an HTML element, or the paragraph
    number of a DOCX body); `table`/`row`/`cell` are 0-based indices into the document's tables
    and the expanded grid; `page` is 1-based and `x`/`y` are PDF points from the page's top-left.
    """

    file: str
    line: int | None = None
    cell: int | None = None
    page: int | None = None
    reader: str = "txt"
    table: int | None = None
    row: int | None = None
    x: float | None = None
    y: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self._asdict().items() if v is not None}

    def describe_zh(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.table is not None:
            parts.append(f"第{self.table + 1}个表格")
        if self.row is not None:
            parts.append(f"第{self.row + 1}行")
        elif self.line is not None:
            parts.append(f"第{self.line}行")
        if self.cell is not None:
            parts.append(f"第{self.cell + 1}格")
        return "".join(parts) or "文件"


class Cell(NamedTuple):
    """One table cell as read: a value, or missing with the reason, and where it was read.
    Immutable (a NamedTuple: made for every cell of every report, so cheap to build): change a
    report's cell by replacing it, `report.cells[key] = cell._replace(value=…)`."""

    key: str
    value: Number | None = None
    state: CellState = CellState.ABSENT
    raw: str | None = None
    source: Provenance | None = None
    note: str | None = None  # text kept beside the number, e.g. "（其中修订16件）"
    unit: str | None = None  # a unit printed in the cell itself ("元", "万元", "件")

    @property
    def missing(self) -> bool:
        return self.value is None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": json_value(self.value),
            "state": str(self.state),
            "raw": self.raw,
            "source": self.source.to_json() if self.source else None,
        }
        if self.note:
            out["note"] = self.note
        if self.unit:
            out["unit"] = self.unit
        return out


@dataclass
class Section:
    key: str
    heading: str | None  # as printed; None when the section was not found
    text: str = ""
    source: Provenance | None = None

    @property
    def found(self) -> bool:
        return self.heading is not None


@dataclass
class Metadata:
    agency: str | None = None
    year: int | None = None
    title: str | None = None
    date: Date | None = None  # 成文/发布日期 as printed in the document
    format_version: str = "unknown"  # gov2021 | gov2019 | mixed | unknown
    agency_source: Provenance | None = None
    year_source: Provenance | None = None
    title_source: Provenance | None = None
    date_source: Provenance | None = None
    statistics_period: tuple[Date, Date] | None = None
    period_source: Provenance | None = None


@dataclass
class Report:
    """One annual report as read. `cells` has every cell key of the format, read or missing."""

    path: str
    meta: Metadata
    sections: dict[str, Section]
    cells: dict[str, Cell]
    tables_found: dict[str, bool] = field(default_factory=dict)
    rows_found: dict[str, bool] = field(default_factory=dict)  # "t3.granted" -> found
    extensions: list[dict[str, Any]] = field(default_factory=list)  # rows/columns outside the format
    diagnostics: list[Finding] = field(default_factory=list)  # reading Findings (R codes), added by the recogniser
    heading_order: list[str] = field(default_factory=list)  # section keys in document order
    markers: dict[str, list[str]] = field(default_factory=dict)  # format id -> marker labels seen
    spec_id: str = "gov2021"

    @property
    def spec(self) -> FormatSpec:
        return load_format(self.spec_id)

    def value(self, key: str) -> Number | None:
        return self.cells[key].value

    def to_json(self) -> dict[str, Any]:
        tables: dict[str, Any] = {}
        for key, cell in self.cells.items():
            table, row, col = key.split(".")
            tables.setdefault(table, {}).setdefault(row, {})[col] = cell.to_json()
        m = self.meta
        return {
            "file": self.path,
            "agency": m.agency,
            "year": m.year,
            "title": m.title,
            "date": m.date.isoformat() if m.date else None,
            "format_version": m.format_version,
            "sections": {
                k: {"heading": s.heading, "text": s.text, "source": s.source.to_json() if s.source else None}
                for k, s in self.sections.items()
            },
            "tables": tables,
            "extensions": self.extensions,
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2)


def empty_report(path: str, spec: FormatSpec | None = None, *, cells: bool = True) -> Report:
    """A report with every cell ABSENT and every section not found: the recogniser fills it in.

    `cells=False` leaves `cells` empty for a caller that sets cells as it reads them and then
    calls `complete_cells` (cheaper than making 200 absent cells only to replace them).
    """
    spec = spec or load_format()
    return Report(
        path=path,
        meta=Metadata(),
        sections={s.key: Section(s.key, None) for s in spec.sections},
        cells={c.key: Cell(c.key) for c in spec.iter_cells()} if cells else {},
        tables_found={t: False for t in spec.tables},
        rows_found={f"{t.key}.{r.key}": False for t in spec.tables.values() for r in t.physical_rows},
        spec_id=spec.id,
    )


def complete_cells(report: Report) -> None:
    """Every cell key of the format in format order; keys not set are ABSENT."""
    found = report.cells
    keys = report.spec.cells
    if len(found) == len(keys) and list(found) == list(keys):
        return  # every cell set, in format order (what a clean report gives): nothing to rebuild
    report.cells = {k: found[k] if k in found else Cell(k) for k in keys}
