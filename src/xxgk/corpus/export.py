"""The corpus as tables for researchers: every cell of every report, every finding, the summary.

One row per report and one column per format key (Chinese headers, the 2021 format's keys first, then the
keys only the 2019 format has); a missing cell is an empty cell, never 0. Excel (`corpus.xlsx`, streamed):
frozen header row, filters, and every text a cell of type text, so that text a spreadsheet would take for
a formula (starting with = + - @, TAB or CR) stays text. CSV: the same rows, such text prefixed with an
apostrophe (the usual CSV-injection guard; CSV has no cell types). Parquet (pyarrow, the `corpus` extra):
the same rows, typed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from xxgk.corpus.records import CorpusReport
from xxgk.corpus.summary import Summary, percent
from xxgk.errors import XxgkError
from xxgk.format import load_format
from xxgk.spreadsheet import csv_text

REPORT_COLUMNS = (
    ("id", "报告编号"),
    ("path", "文件"),
    ("agency", "机关（规范名称）"),
    ("agency_printed", "机关（原文）"),
    ("level", "层级"),
    ("year", "年度"),
    ("version", "版本"),
    ("spec", "格式"),
    ("title", "标题"),
    ("date", "落款日期"),
)
FINDING_COLUMNS = (
    ("report", "报告编号"),
    ("path", "文件"),
    ("agency", "机关"),
    ("year", "年度"),
    ("code", "规则"),
    ("severity", "严重程度"),
    ("location", "位置"),
    ("expected", "应为"),
    ("found", "实为"),
    ("message", "说明"),
    ("page", "页"),
    ("line", "行"),
    ("fingerprint", "指纹"),
)
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class FindingRow:
    report: int | None
    path: str
    agency: str
    year: int | None
    code: str
    severity: str
    location: str
    expected: Any
    found: Any
    message: str
    page: int | None
    line: int | None
    fingerprint: str


def cell_keys() -> list[tuple[str, str]]:
    """(key, Chinese header) of every cell of both formats: the 2021 format's first."""
    out: dict[str, str] = {}
    for spec_id in ("gov2021", "gov2019"):
        spec = load_format(spec_id)
        for key in spec.cells:
            out.setdefault(key, spec.cells[key].name_zh + ("（2019年格式）" if spec_id == "gov2019" else ""))
    return list(out.items())


def report_rows(reports: Iterable[CorpusReport]) -> tuple[list[str], list[list[Any]]]:
    keys = cell_keys()
    header = [zh for _, zh in REPORT_COLUMNS] + [zh for _, zh in keys]
    rows = []
    for r in reports:
        meta = [
            r.id,
            r.path,
            r.agency_key,
            r.agency_name,
            r.level,
            r.year,
            r.version,
            r.spec_id,
            r.title,
            r.published_on.isoformat() if r.published_on else None,
        ]
        rows.append(meta + [r.cells.get(key) for key, _ in keys])
    return header, rows


def finding_rows(findings: Iterable[FindingRow]) -> tuple[list[str], list[list[Any]]]:
    header = [zh for _, zh in FINDING_COLUMNS]
    rows = [
        [
            f.report,
            f.path,
            f.agency,
            f.year,
            f.code,
            SEVERITY_ZH.get(f.severity, f.severity),
            f.location,
            _text(f.expected),
            _text(f.found),
            f.message,
            f.page,
            f.line,
            f.fingerprint,
        ]
        for f in findings
    ]
    return header, rows


def summary_rows(summary: Summary) -> tuple[list[str], list[list[Any]]]:
    header = ["范围", "名称", "报告数", "应有报告数", "收到申请", "办结", "公开率", "公开率95%区间", "不予公开占比",
              "无法提供占比", "行政复议", "行政诉讼", "纠错率", "错误", "警告"]  # fmt: skip
    rows = []
    groups = [("合计", summary.total)] + [("地区", f) for f in summary.by_region.values()]
    groups += [("机关", f) for f in summary.by_agency.values()]
    for scope, f in groups:
        low, high = f.disclosed.interval
        rows.append(
            [
                scope,
                f.name,
                f.reports,
                f.expected or None,
                f.received,
                f.handled,
                percent(f.disclosed.share),
                f"{low * 100:.1f}%–{high * 100:.1f}%" if f.disclosed.denominator else "—",
                percent(f.withheld.share),
                percent(f.unable.share),
                f.reviews,
                f.lawsuits,
                percent(f.corrected.share),
                sum(n for k, n in f.findings.items() if k.startswith("error")),
                sum(n for k, n in f.findings.items() if k.startswith("warning")),
            ]
        )
    return header, rows


def _text(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return value


def _cell_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return value


def write_xlsx(path: Path, sheets: Sequence[tuple[str, list[str], list[list[Any]]]]) -> None:
    from xxgk.corpus.xlsx import write_workbook

    write_workbook(path, sheets)  # (streamed: 10,000 reports × 300 columns in seconds, flat memory)


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else csv_text(v) for v in row])


def write_parquet(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise XxgkError("导出 Parquet 需要安装 pyarrow：pip install 'xxgk[corpus]'") from None
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in header]
    arrays = []
    for values in columns:
        plain = [_cell_value(v) for v in values]
        kinds = {type(v) for v in plain if v is not None}
        if kinds == {int, float}:
            plain = [float(v) if isinstance(v, int) else v for v in plain]
        elif len(kinds) > 1:  # (a column of expected/found values: numbers and text) → text
            plain = [None if v is None else str(v) for v in plain]
        arrays.append(pa.array(plain))
    pq.write_table(pa.table(dict(zip(_unique(header), arrays, strict=True))), path)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return out


def export(path: Path, reports: list[CorpusReport], findings: list[FindingRow], summary: Summary) -> list[Path]:
    """Write the corpus to `path` (.xlsx: one workbook; .csv/.parquet: one file per table beside it)."""
    tables = [
        ("单元格", *report_rows(reports)),
        ("问题", *finding_rows(findings)),
        ("汇总", *summary_rows(summary)),
    ]
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        write_xlsx(path, tables)
        return [path]
    if suffix not in (".csv", ".parquet"):
        raise XxgkError(f"不支持的导出格式「{path.suffix}」：请使用 .xlsx、.csv 或 .parquet")
    written = []
    for n, (title, header, rows) in enumerate(tables):
        target = path if n == 0 else path.with_name(f"{path.stem}-{title}{path.suffix}")
        if suffix == ".csv":
            write_csv(target, header, rows)
        else:
            write_parquet(target, header, rows)
        written.append(target)
    return written
