"""Run the rule catalogue over a report: check(report) -> findings, sorted and filtered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from xxgk.agency import AgencyKind, classify_agency
from xxgk.findings import Finding
from xxgk.format import FormatSpec, label_key
from xxgk.report import Cell, Report
from xxgk.rules import RULES
from xxgk.settings import CheckSettings


@dataclass
class CheckContext:
    report: Report
    settings: CheckSettings

    @cached_property
    def spec(self) -> FormatSpec:
        return self.report.spec

    @cached_property
    def agency_kind(self) -> AgencyKind:
        return classify_agency(self.report.meta.agency)

    def cell(self, key: str) -> Cell:
        return self.report.cells[key]

    def section_key_text(self, *keys: str) -> str:
        """Section texts as matching keys (no spaces or quotes), joined."""
        return "\n".join(label_key(self.report.sections[k].text) for k in keys if k in self.report.sections)


def selected(code: str, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """--select/--ignore take codes or prefixes: "C" or "C01" or "C011"."""
    select, ignore = tuple(select), tuple(ignore)
    if select and not any(code.startswith(s) for s in select):
        return False
    return not any(code.startswith(i) for i in ignore)


def check(report: Report, settings: CheckSettings | None = None) -> list[Finding]:
    settings = CheckSettings.resolve(settings)
    ctx = CheckContext(report, settings)
    findings: list[Finding] = list(report.diagnostics)
    for rule in RULES.values():
        if rule.check is None or rule.status != "stable":
            continue
        if not selected(rule.code, settings.select, settings.ignore):
            continue
        findings.extend(rule.check(ctx))
    findings = [f for f in findings if selected(f.code, settings.select, settings.ignore)]
    return sorted(
        findings,
        key=lambda f: (
            f.source.line or 0 if f.source else 0,
            f.source.cell or 0 if f.source else 0,
            f.severity.rank,
            f.code,
            f.location,
        ),
    )
