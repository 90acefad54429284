"""Fill the derivable cells (总计 column, （七）总计, 表四 总计, 四、结转下年度) from the identities.

A derivable cell is a cell of a `derived` row or column of the spec, or the balance remainder of
identity I1 (the right-hand cell that is not itself a total: 四、结转下年度继续办理). It is filled
only when it is missing and every other cell of an identity instance is present; a given value
that disagrees with the computed one is never overwritten but returned as a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass

from xxgk.format import FormatSpec
from xxgk.format.spec import IdentityInstance
from xxgk.report import Cell, CellState, Number, Provenance, Report

BALANCE_IDENTITY = "I1"  # 第一项加第二项之和，等于第三项加第四项之和 (its remainder is derivable)
FILLED_BY = "fill-totals"


@dataclass(frozen=True)
class TotalConflict:
    """A derivable cell whose given value disagrees with the value computed from the others."""

    key: str
    given: Number
    computed: Number
    identity: str
    rule: str
    binding: str

    def message(self, spec: FormatSpec) -> str:
        return (
            f"{spec.cell(self.key).name_zh}填写为 {self.given}，按勾稽关系 {self.identity} 计算应为 {self.computed}；"
            "未覆盖已填写的值"
        )


def derivable_cells(spec: FormatSpec) -> frozenset[str]:
    out: set[str] = set()
    for table in spec.tables.values():
        derived_rows = {r.key for r in table.rows if r.derived}
        derived_cols = {c.key for c in table.columns if c.derived}
        for c in spec.iter_cells(table.key):
            if c.row in derived_rows or c.column in derived_cols:
                out.add(c.key)
    for identity in spec.identities:
        if identity.id != BALANCE_IDENTITY:
            continue
        for inst in identity.instances:
            out.update(k for k in inst.rhs if spec.cells[k].row not in _derived_rows(spec, k))
    return frozenset(out)


def _derived_rows(spec: FormatSpec, key: str) -> set[str]:
    table = spec.tables[spec.cells[key].table]
    return {r.key for r in table.rows if r.derived}


def _solve(inst: IdentityInstance, values: dict[str, Number | None], target: str) -> Number | None:
    """The value of `target` that makes sum(lhs) == sum(rhs), when every other cell is known."""
    others_l = [values[k] for k in inst.lhs if k != target]
    others_r = [values[k] for k in inst.rhs if k != target]
    if any(v is None for v in (*others_l, *others_r)):
        return None
    lhs: Number = sum((v for v in others_l if v is not None), start=0)
    rhs: Number = sum((v for v in others_r if v is not None), start=0)
    result = rhs - lhs if target in inst.lhs else lhs - rhs
    return result if result >= 0 else None


def fill_totals(report: Report) -> list[TotalConflict]:
    """Fill missing derivable cells in place; return the given values that disagree (unchanged)."""
    spec = report.spec
    targets = derivable_cells(spec)
    values: dict[str, Number | None] = {k: c.value for k, c in report.cells.items()}
    instances = [(i.id, inst) for i in spec.identities for inst in i.instances]
    changed = True
    while changed:  # a fixpoint: row totals feed （七）总计, which feeds 结转下年度
        changed = False
        for _, inst in instances:
            missing = [k for k in (*inst.lhs, *inst.rhs) if values[k] is None]
            if len(missing) != 1 or missing[0] not in targets:
                continue
            value = _solve(inst, values, missing[0])
            if value is None:
                continue
            key = missing[0]
            values[key] = value
            report.cells[key] = Cell(
                key, value, CellState.NUMBER, str(value), Provenance(report.path, reader=FILLED_BY), note="计算得出"
            )
            changed = True
    conflicts: list[TotalConflict] = []
    seen: set[str] = set()
    for identity_id, inst in instances:
        cells = [k for k in (*inst.lhs, *inst.rhs) if k in targets]
        if not cells or any(values[k] is None for k in (*inst.lhs, *inst.rhs)):
            continue
        key = cells[0]
        expected = _solve(inst, values, key)
        given = values[key]
        if given is None or expected == given or key in seen:
            continue
        seen.add(key)
        conflicts.append(
            TotalConflict(key, given, expected if expected is not None else 0, identity_id, inst.rule, inst.binding)
        )
    return conflicts
