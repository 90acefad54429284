"""Run the rule catalogue over a report: check(report) -> findings, sorted and filtered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from xxgk.agency import AgencyKind, classify_agency
from xxgk.findings import Finding
from xxgk.format import FormatSpec
from xxgk.format.normalize import prose_key
from xxgk.format.spec import Identity, IdentityInstance
from xxgk.report import Cell, Number, Report
from xxgk.rules import RULES
from xxgk.settings import CheckSettings


class IdentityResult(NamedTuple):
    """One identity instance evaluated on a report: sums of the present cells, and what is missing."""

    identity: Identity
    instance: IdentityInstance
    lhs: Number
    rhs: Number
    missing: tuple[str, ...]


@dataclass
class CheckContext:
    report: Report
    settings: CheckSettings
    memo: dict[Any, Any] = field(default_factory=dict)  # results several rules share, for this report only

    @cached_property
    def spec(self) -> FormatSpec:
        return self.report.spec

    @cached_property
    def agency_kind(self) -> AgencyKind:
        return classify_agency(self.report.meta.agency)

    def cell(self, key: str) -> Cell:
        return self.report.cells[key]

    @cached_property
    def identity_results(self) -> dict[str, list[IdentityResult]]:
        """Every identity instance evaluated once, for all the rules that need them (C0x1, C062)."""
        cells = self.report.cells
        out: dict[str, list[IdentityResult]] = {}
        for identity in self.spec.identities:
            results = out.setdefault(identity.id, [])
            for inst in identity.instances:
                lhs_values = [cells[k].value for k in inst.lhs]
                rhs_values = [cells[k].value for k in inst.rhs]
                if None in lhs_values or None in rhs_values:
                    keys = (*inst.lhs, *inst.rhs)
                    missing = tuple(k for k in keys if cells[k].value is None)
                    lhs = sum((v for v in lhs_values if v is not None), start=0)
                    rhs = sum((v for v in rhs_values if v is not None), start=0)
                else:
                    missing, lhs, rhs = (), sum(lhs_values, start=0), sum(rhs_values, start=0)  # type: ignore[arg-type]
                results.append(IdentityResult(identity, inst, lhs, rhs, missing))
        return out

    @cached_property
    def _section_keys(self) -> dict[str, str]:
        return {k: prose_key(s.text) for k, s in self.report.sections.items()}

    def section_key_text(self, *keys: str) -> str:
        """Section texts as phrase keys (no spaces or quotes; see prose_key), joined by newlines;
        each section's key is computed once per report."""
        return "\n".join(self._section_keys[k] for k in keys if k in self._section_keys)


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
