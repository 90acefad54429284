"""The 表三/表四 keys the ledger counts into, derived from the format definition (never a second list).

Only a handful of keys carry meaning for the ledger's logic (the 其他处理 rows fed by dedicated
events, the 表四 groups and the 尚未审结 column); they are named here once and checked against the
format when it is loaded, so a renamed key fails loudly instead of counting into nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from xxgk.errors import SpecError
from xxgk.format import load_format

# 表三 outcome rows the ledger produces from dedicated events rather than from a reply.
NO_CORRECTION_ROW = "other_no_correction"  # 第三十条: 逾期不补正 (event CorrectionLapsed)
FEE_UNPAID_ROW = "other_fee_unpaid"  # 109号: 逾期未缴费 (event FeeNotPaid)
UNCLEAR_AFTER_CORRECTION_ROW = "unable_unclear_after_correction"  # needs a corrected request first
OTHER_ROW = "other_other"  # （六）3.其他: default row of a withdrawn request (see counting.py)

# 表四: the group of each proceeding and the column of an undecided one.
REVIEW_GROUP = "review"
LITIGATION_DIRECT_GROUP = "litigation_direct"
LITIGATION_AFTER_REVIEW_GROUP = "litigation_after_review"
PENDING_COLUMN = "pending"


@dataclass(frozen=True)
class LedgerKeys:
    """Row and column keys of 表三 and 表四, in format order, with their Chinese labels."""

    format_id: str
    applicant_columns: tuple[str, ...]  # 表三 columns an applicant type maps to (自然人 … 其他)
    total_column: str  # 表三 总计
    outcome_rows: tuple[str, ...]  # 表三 （一）…（六） rows, each a closing outcome
    new_row: str  # 一、本年新收
    carried_in_row: str  # 二、上年结转
    processed_row: str  # （七）总计
    carried_out_row: str  # 四、结转下年度继续办理
    t4_groups: tuple[str, ...]
    t4_results: tuple[str, ...]  # decided results (结果维持/纠正/其他)
    t4_pending: str
    t4_total: str
    labels: dict[str, str]  # "t3.row:<key>" / "t3.col:<key>" / "t4.group:<key>" / "t4.col:<key>" -> label

    def row_label(self, key: str) -> str:
        return self.labels[f"t3.row:{key}"]

    def applicant_label(self, key: str) -> str:
        return self.labels[f"t3.col:{key}"]

    def t4_group_label(self, key: str) -> str:
        return self.labels[f"t4.group:{key}"]

    def t4_column_label(self, key: str) -> str:
        return self.labels[f"t4.col:{key}"]


@cache
def ledger_keys(format_id: str = "gov2021") -> LedgerKeys:
    spec = load_format(format_id)
    t3, t4 = spec.tables["t3"], spec.tables["t4"]
    applicants = tuple(c.key for c in t3.columns if not c.derived)
    (total,) = [c.key for c in t3.columns if c.derived]
    (processed,) = [r.key for r in t3.rows if r.derived]
    outcomes = tuple(r.key for r in t3.rows if r.group is not None and not r.derived)
    # Identity I1 names the balance rows: new + carried-in = processed + carried-out.
    (i1,) = [i for i in spec.identities if i.id == "I1"]
    inst = i1.instances[0]
    new_row, carried_in = (k.split(".")[1] for k in inst.lhs)
    (carried_out,) = [k.split(".")[1] for k in inst.rhs if k.split(".")[1] != processed]
    t4_parts = tuple(c.key for c in t4.columns if not c.derived)
    (t4_total,) = [c.key for c in t4.columns if c.derived]
    labels: dict[str, str] = {}
    for r in t3.rows:
        labels[f"t3.row:{r.key}"] = r.label.text if r.label else r.key
    for c in t3.columns:
        labels[f"t3.col:{c.key}"] = c.label.text
    for g in t4.groups:
        labels[f"t4.group:{g.key}"] = f"{g.parent}·{g.label.text}" if g.parent else g.label.text
    for c in t4.columns:
        labels[f"t4.col:{c.key}"] = c.label.text
    keys = LedgerKeys(
        format_id=format_id,
        applicant_columns=applicants,
        total_column=total,
        outcome_rows=outcomes,
        new_row=new_row,
        carried_in_row=carried_in,
        processed_row=processed,
        carried_out_row=carried_out,
        t4_groups=tuple(g.key for g in t4.groups),
        t4_results=tuple(k for k in t4_parts if k != PENDING_COLUMN),
        t4_pending=PENDING_COLUMN,
        t4_total=t4_total,
        labels=labels,
    )
    for row in (NO_CORRECTION_ROW, FEE_UNPAID_ROW, UNCLEAR_AFTER_CORRECTION_ROW, OTHER_ROW):
        if row not in outcomes:
            raise SpecError(f"格式 {format_id} 的表三没有台账需要的结果行：{row}")
    for group in (REVIEW_GROUP, LITIGATION_DIRECT_GROUP, LITIGATION_AFTER_REVIEW_GROUP):
        if group not in keys.t4_groups:
            raise SpecError(f"格式 {format_id} 的表四没有台账需要的分组：{group}")
    if PENDING_COLUMN not in t4_parts:
        raise SpecError(f"格式 {format_id} 的表四没有台账需要的栏目：{PENDING_COLUMN}")
    return keys
