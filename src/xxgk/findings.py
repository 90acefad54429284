"""A Finding: one defect of one report, at one location, with expected and found values.

Findings store structured data; the zh-CN message is rendered from the rule's template when it
is shown (frictionless' lesson: render late).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

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


@dataclass(frozen=True)
class Finding:
    code: str
    location: str  # a cell key (t4.review.total), row/table key (t3.granted, t4) or section key
    expected: Any = None
    found: Any = None
    source: Provenance | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def rule(self) -> Any:
        from xxgk.rules import RULES

        return RULES[self.code]

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
            "expected": _plain(self.expected),
            "found": _plain(self.found),
            "source": self.source.to_json() if self.source else None,
        }


def _plain(v: Any) -> Any:
    from decimal import Decimal

    if isinstance(v, Decimal):
        return float(v) if v != v.to_integral_value() else int(v)
    return v
