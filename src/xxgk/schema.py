"""JSON Schema of `Report.to_json()`, generated from the format definition (never written by hand)."""

from __future__ import annotations

from typing import Any

from xxgk.format import FormatSpec, load_format
from xxgk.format.spec import KNOWN_FORMATS
from xxgk.report import CellState

SCHEMA_ID = "https://xxgk.invalid/schema/report-v1.json"

_SOURCE = {
    "type": ["object", "null"],
    "properties": {
        "file": {"type": "string"},
        "line": {"type": "integer", "minimum": 1},
        "cell": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "reader": {"type": "string"},
        "table": {"type": "integer", "minimum": 0},
        "row": {"type": "integer", "minimum": 0},
        "x": {"type": "number"},
        "y": {"type": "number"},
    },
    "required": ["file"],
    "additionalProperties": False,
}
_CELL = {
    "type": "object",
    "properties": {
        "value": {"type": ["number", "null"], "description": "数值；缺失时为 null（缺失不等于 0）"},
        "state": {"enum": [s.value for s in CellState]},
        "raw": {"type": ["string", "null"], "description": "单元格原文"},
        "source": {"$ref": "#/$defs/source"},
        "note": {"type": "string"},
        "unit": {"type": "string"},
    },
    "required": ["value", "state", "raw", "source"],
    "additionalProperties": False,
}


def report_schema(format_id: str | None = None) -> dict[str, Any]:
    """The schema of a report read with `format_id`; None: of a report in any known format, its
    tables and sections those of the format named by its `format_version` (a report read with the
    2019 definition says gov2019; every other report is read with the 2021 one)."""
    ids = (format_id,) if format_id else KNOWN_FORMATS
    defs: dict[str, Any] = {"cell": _CELL, "source": _SOURCE}
    for fid in ids:
        spec = load_format(fid)
        defs[f"tables_{fid}"] = _tables(spec)
        defs[f"sections_{fid}"] = _sections(spec)
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "政府信息公开工作年度报告（xxgk 读取结果）",
        "type": "object",
        "properties": {
            "file": {"type": "string"},
            "agency": {"type": ["string", "null"]},
            "year": {"type": ["integer", "null"]},
            "title": {"type": ["string", "null"]},
            "date": {"type": ["string", "null"], "format": "date"},
            "format_version": {"enum": [*KNOWN_FORMATS, "mixed", "unknown"]},
            "sections": {"$ref": f"#/$defs/sections_{ids[0]}"},
            "tables": {"$ref": f"#/$defs/tables_{ids[0]}"},
            "extensions": {"type": "array", "items": {"type": "object"}},
        },
        "required": ["agency", "year", "format_version", "sections", "tables"],
        "$defs": defs,
    }
    if len(ids) > 1:
        # The format in force (first) unless format_version names another: if/then per other format.
        schema["properties"]["sections"] = {"type": "object"}
        schema["properties"]["tables"] = {"type": "object"}
        otherwise = _shape(ids[0])
        for fid in ids[1:]:
            otherwise = {"if": _version_is(fid), "then": _shape(fid), "else": otherwise}
        schema["allOf"] = [otherwise]
    return schema


def _version_is(format_id: str) -> dict[str, Any]:
    return {"properties": {"format_version": {"const": format_id}}, "required": ["format_version"]}


def _shape(format_id: str) -> dict[str, Any]:
    return {
        "properties": {
            "sections": {"$ref": f"#/$defs/sections_{format_id}"},
            "tables": {"$ref": f"#/$defs/tables_{format_id}"},
        }
    }


def _tables(spec: FormatSpec) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for tkey in spec.tables:
        rows: dict[str, dict[str, Any]] = {}
        for cell in spec.iter_cells(tkey):
            rows.setdefault(cell.row, {"type": "object", "properties": {}, "additionalProperties": False})
            rows[cell.row]["properties"][cell.column] = {"$ref": "#/$defs/cell", "description": cell.name_zh}
        for r in rows.values():
            r["required"] = list(r["properties"])
        tables[tkey] = {"type": "object", "properties": rows, "required": list(rows), "additionalProperties": False}
    return {
        "type": "object",
        "description": f"{spec.name}《{spec.raw['format']['title']}》的表二、表三、表四",
        "properties": tables,
        "required": list(tables),
        "additionalProperties": False,
    }


def _sections(spec: FormatSpec) -> dict[str, Any]:
    sections = {
        s.key: {
            "type": "object",
            "description": s.heading,
            "properties": {
                "heading": {"type": ["string", "null"]},
                "text": {"type": "string"},
                "source": {"$ref": "#/$defs/source"},
            },
            "required": ["heading", "text", "source"],
        }
        for s in spec.sections
    }
    return {"type": "object", "properties": sections, "required": list(sections), "additionalProperties": False}
