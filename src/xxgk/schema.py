"""JSON Schema of `Report.to_json()`, generated from the format definition (never written by hand)."""

from __future__ import annotations

from typing import Any

from xxgk.format import load_format
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


def report_schema(format_id: str = "gov2021") -> dict[str, Any]:
    spec = load_format(format_id)
    tables: dict[str, Any] = {}
    for tkey in spec.tables:
        rows: dict[str, dict[str, Any]] = {}
        for cell in spec.iter_cells(tkey):
            rows.setdefault(cell.row, {"type": "object", "properties": {}, "additionalProperties": False})
            rows[cell.row]["properties"][cell.column] = {"$ref": "#/$defs/cell", "description": cell.name_zh}
        for r in rows.values():
            r["required"] = list(r["properties"])
        tables[tkey] = {"type": "object", "properties": rows, "required": list(rows), "additionalProperties": False}
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
    return {
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
            "format_version": {"enum": ["gov2021", "gov2019", "mixed", "unknown"]},
            "sections": {
                "type": "object",
                "properties": sections,
                "required": list(sections),
                "additionalProperties": False,
            },
            "tables": {"type": "object", "properties": tables, "required": list(tables), "additionalProperties": False},
            "extensions": {"type": "array", "items": {"type": "object"}},
        },
        "required": ["agency", "year", "format_version", "sections", "tables"],
        "$defs": {"cell": _CELL, "source": _SOURCE},
    }
