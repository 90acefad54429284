"""The convention for rule tests: one table of cases per family, each case a code with an input
that fires it and one that must not.

An input is a `Change` to one clean report (the generator's complete report with small,
consistent numbers, on which no rule fires): other cell values, an agency or year, cells left
blank, or text replaced. `tests/rules/test_catalogue_cases.py` checks that every code of
`xxgk.rules.RULES` has both; a code whose firing input cannot be written as text (a scanned PDF
page, OCR) names the test elsewhere that fires it (`Elsewhere`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tests.generate import SPEC, Value, write_report
from xxgk.api import check_report, read_report

T3_COLUMNS = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "public_interest_org",
    "legal_service_org",
    "other_org",
)


def zero_tables() -> dict[str, Value]:
    """Every cell 0: consistent, and no rule about amounts or text-vs-table fires."""
    return dict.fromkeys(SPEC.cells, 0)


def requests(row: str, n: int, column: str = "natural_person") -> dict[str, Value]:
    """`n` new requests of `column` decided as `row` of 表三, with every total that follows from them."""
    cells: dict[str, Value] = {}
    for key in (
        f"t3.new_received.{column}",
        "t3.new_received.total",
        f"t3.{row}.{column}",
        f"t3.{row}.total",
        f"t3.processed_total.{column}",
        "t3.processed_total.total",
    ):
        cells[key] = int(cells.get(key, 0)) + n
    return cells


@dataclass(frozen=True)
class Change:
    """One change to the clean report."""

    cells: Mapping[str, Value] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    agency: str = "某某镇人民政府"
    year: int = 2024
    edits: tuple[tuple[str, str], ...] = ()  # (old, new) text replacements, each old text must be there
    layout: str = "tab"

    def text(self) -> str:
        values = {**zero_tables(), **self.cells}
        text = write_report(values, self.layout, agency=self.agency, year=self.year, missing=self.missing)
        for old, new in self.edits:
            assert old in text, f"the clean report has no {old!r} to replace"
            text = text.replace(old, new, 1)
        return text

    def codes(self, tmp_path: Path) -> set[str]:
        """The codes of every finding (the reader's and the checker's) on the changed report."""
        path = tmp_path / "report.txt"
        path.write_text(self.text(), "utf-8")
        return {finding.code for finding in check_report(read_report(path))}


CLEAN = Change()


@dataclass(frozen=True)
class Case:
    code: str
    fires: Change
    quiet: Change  # the nearest input that must not fire the code


@dataclass(frozen=True)
class Elsewhere:
    """A code whose firing input is not text: the test (file::function) that fires it and
    asserts its code; the clean report is its quiet case."""

    code: str
    test: str
