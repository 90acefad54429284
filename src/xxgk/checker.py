"""Run the rule catalogue over a report: check(report) -> findings, sorted and filtered."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property
from operator import itemgetter
from typing import Any, NamedTuple

from xxgk.agency import AgencyKind, classify_agency
from xxgk.findings import Finding
from xxgk.format import FormatSpec, load_format
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


class CellCensus(NamedTuple):
    """The report's cells sorted out in one pass, for the rules that look at every cell (C05x, C061):
    each list holds (key, cell) in the report's cell order, and is usually empty."""

    values: dict[str, Number | None]  # every cell's value (None when missing)
    not_numbers: list[tuple[str, Cell]]  # value None: missing, text, uncertain, absent
    negative: list[tuple[str, Cell]]
    decimal: list[tuple[str, Cell]]  # values read with a fraction part (Decimal)


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
    def census(self) -> CellCensus:
        values: dict[str, Number | None] = {}
        census = CellCensus(values, [], [], [])
        for key, cell in self.report.cells.items():
            value = values[key] = cell.value
            if value is None:
                census.not_numbers.append((key, cell))
                continue
            if value < 0:
                census.negative.append((key, cell))
            if type(value) is Decimal:
                census.decimal.append((key, cell))
        return census

    @cached_property
    def identity_results(self) -> dict[str, list[IdentityResult]]:
        """Every identity instance evaluated once, for all the rules that need them (C0x1, C062)."""
        values = self.census.values
        out: dict[str, list[IdentityResult]] = {}
        for identity, plan in _identity_plan(self.spec.id):
            results = out[identity.id] = []
            for inst, get_lhs, get_rhs in plan:
                lhs_values, rhs_values = get_lhs(values), get_rhs(values)
                missing: tuple[str, ...]
                lhs: Number
                rhs: Number
                try:  # all present (the common case): summed without first looking for None
                    missing, lhs, rhs = (), sum(lhs_values, start=0), sum(rhs_values, start=0)  # type: ignore[arg-type]
                except TypeError:  # a missing cell (None) among them
                    missing = tuple(k for k in (*inst.lhs, *inst.rhs) if values[k] is None)
                    lhs = sum((v for v in lhs_values if v is not None), start=0)
                    rhs = sum((v for v in rhs_values if v is not None), start=0)
                results.append(_new_result(IdentityResult, (identity, inst, lhs, rhs, missing)))
        return out

    @cached_property
    def _section_keys(self) -> dict[str, str]:
        return {k: prose_key(s.text) for k, s in self.report.sections.items()}

    def section_key_text(self, *keys: str) -> str:
        """Section texts as phrase keys (no spaces or quotes; see prose_key), joined by newlines;
        each section's key is computed once per report."""
        return "\n".join(self._section_keys[k] for k in keys if k in self._section_keys)


_new_result = tuple.__new__  # IdentityResult(...) without its Python-level __new__ frame
_ValuesGetter = Callable[[dict[str, Number | None]], tuple[Number | None, ...]]


def _values_getter(keys: tuple[str, ...]) -> _ValuesGetter:
    """A C-level getter of the values of `keys`, always as a tuple (itemgetter of one key is not)."""
    if len(keys) == 1:
        (key,) = keys
        return lambda values: (values[key],)
    return itemgetter(*keys)


@cache
def _identity_plan(
    spec_id: str,
) -> tuple[tuple[Identity, tuple[tuple[IdentityInstance, _ValuesGetter, _ValuesGetter], ...]], ...]:
    """Each identity with, per instance, getters of its left and right cells' values: ~40 instances
    are evaluated on every report, so their key lists are turned into getters once."""
    return tuple(
        (identity, tuple((inst, _values_getter(inst.lhs), _values_getter(inst.rhs)) for inst in identity.instances))
        for identity in load_format(spec_id).identities
    )


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
