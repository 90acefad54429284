"""What every rule's check function is given: the report, the settings, and the views of the
report that several rules share (computed once per report, on first use)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property
from operator import itemgetter
from typing import Any, NamedTuple

from xxgk.agency import AgencyKind, classify_agency
from xxgk.format import FormatSpec, load_format
from xxgk.format.normalize import prose_key
from xxgk.format.spec import Identity, IdentityInstance
from xxgk.report import Cell, Number, Report
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
