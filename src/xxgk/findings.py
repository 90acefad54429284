"""A Finding: one defect of one report, at one location, with expected and found values.

Findings store structured data; the zh-CN message is rendered from the rule's template when it
is shown (frictionless' lesson: render late). This module is part of the model and imports
nothing above it: the rule catalogue (xxgk.rules) registers itself here when it is imported
(`use_catalogue`), and a finding looks its rule up by code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from xxgk.display import json_value

if TYPE_CHECKING:
    from xxgk.report import Provenance


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def zh(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


class CatalogueEntry(Protocol):
    """What a finding needs of its rule (xxgk.rules.Rule): its severity and its message."""

    @property
    def severity(self) -> Severity: ...

    def render(self, finding: Finding, spec: Any) -> str: ...


_catalogue: Mapping[str, CatalogueEntry] = {}


def use_catalogue(rules: Mapping[str, CatalogueEntry]) -> None:
    """Called by xxgk.rules when it is imported (every module that makes findings imports it)."""
    global _catalogue
    _catalogue = rules


@dataclass(frozen=True)
class Finding:
    code: str
    location: str  # a cell key (t4.review.total), row/table key (t3.granted, t4) or section key
    expected: Any = None
    found: Any = None
    source: Provenance | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def rule(self) -> CatalogueEntry:
        try:
            return _catalogue[self.code]
        except KeyError:
            raise LookupError(f"rule {self.code} is not in the catalogue (is xxgk.rules imported?)") from None

    @property
    def severity(self) -> Severity:
        return Severity(self.rule.severity)

    def location_name(self, spec: Any) -> str:
        return str(spec.location_name(self.location))

    def message(self, spec: Any) -> str:
        return str(self.rule.render(self, spec))

    def to_json(self, spec: Any) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message(spec),
            "location": self.location,
            "location_name": self.location_name(spec),
            "expected": json_value(self.expected),
            "found": json_value(self.found),
            "source": self.source.to_json() if self.source else None,
        }
