"""The usual Excel 台账: its columns (`columns`), the export (`export`) and the all-or-nothing import
(`importing`). The import talks to the store through its public interface only (`LedgerStore.import_cases`)."""

from __future__ import annotations

from xxgk.ledger.vocabulary import outcome_label
from xxgk.ledger.xlsx.columns import COLUMNS, Column, header_names, header_text, split_header
from xxgk.ledger.xlsx.export import FORMULA_START, export_workbook, save_workbook
from xxgk.ledger.xlsx.importing import ImportPlan, ImportRow, Problem, XlsxImportError, read_workbook, write_rows

__all__ = [
    "COLUMNS",
    "FORMULA_START",
    "Column",
    "ImportPlan",
    "ImportRow",
    "Problem",
    "XlsxImportError",
    "export_workbook",
    "header_names",
    "header_text",
    "outcome_label",
    "read_workbook",
    "save_workbook",
    "split_header",
    "write_rows",
]
