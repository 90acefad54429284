"""Run the rule catalogue over a report: check(report) -> findings, sorted and filtered."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

from xxgk.findings import Finding
from xxgk.report import Report
from xxgk.rules import RULES
from xxgk.rules.context import CheckContext
from xxgk.settings import CheckSettings


def selected(code: str, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """--select/--ignore take codes or prefixes: "C" or "C01" or "C011"."""
    select, ignore = tuple(select), tuple(ignore)
    return (not select or code.startswith(select)) and not (ignore and code.startswith(ignore))


def _active_checks(settings: CheckSettings) -> tuple[Callable[[CheckContext], Iterable[Finding]], ...]:
    """The check functions of the stable rules that --select/--ignore keep, in catalogue order."""
    return _checks_for(settings.select, settings.ignore, len(RULES))


@cache
def _checks_for(
    select: frozenset[str], ignore: frozenset[str], _rule_count: int
) -> tuple[Callable[[CheckContext], Iterable[Finding]], ...]:
    # (_rule_count keys the cache on the catalogue's size: a rule registered later is not missed)
    return tuple(
        rule.check
        for rule in RULES.values()
        if rule.check is not None and rule.status == "stable" and selected(rule.code, select, ignore)
    )


def check(report: Report, settings: CheckSettings | None = None) -> list[Finding]:
    settings = CheckSettings.resolve(settings)
    ctx = CheckContext(report, settings)
    findings: list[Finding] = list(report.diagnostics)
    for check_rule in _active_checks(settings):
        findings.extend(check_rule(ctx))
    if settings.select or settings.ignore:  # the reader's diagnostics are filtered the same way
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
