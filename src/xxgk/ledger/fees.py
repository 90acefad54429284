"""信息处理费 under 国办函〔2020〕109号 (disclosure-rules.md §3): 按件计收 and 按量计收, both 超额累进.

Amounts are whole 元 (int). One method per request, never both (第三条); the agency chooses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from xxgk.ledger.case import CaseState
from xxgk.ledger.errors import LedgerError

# 第四条 按件计收, per applicant and natural month: (一) ≤10件 free; (二) 11—30件的部分 100元/件;
# (三) 31件以上的部分以10件为一档，每增加一档，收费标准提高100元/件 (31–40: 200, 41–50: 300, …).
FREE_REQUESTS = 10
FIRST_BAND_LAST = 30
FIRST_BAND_PRICE = 100
BAND_SIZE = 10
BAND_STEP = 100

# 第五条 按量计收, per request, by pages: (upper page of the band inclusive or None, 元/页), marginal.
PAGE_BANDS: tuple[tuple[int | None, int], ...] = ((30, 0), (100, 10), (200, 20), (None, 40))


def per_request_unit_fee(k: int) -> int:
    """The fee of the k-th request of an applicant in a natural month (k ≥ 1)."""
    if k < 1:
        raise ValueError("k must be >= 1")
    if k <= FREE_REQUESTS:
        return 0
    if k <= FIRST_BAND_LAST:
        return FIRST_BAND_PRICE
    return FIRST_BAND_PRICE + BAND_STEP * -(-(k - FIRST_BAND_LAST) // BAND_SIZE)


def per_request_month_total(n: int) -> int:
    """Total fee for n requests by one applicant in one natural month."""
    if n < 0:
        raise ValueError("n must be >= 0")
    return sum(per_request_unit_fee(k) for k in range(1, n + 1))


@dataclass(frozen=True)
class FeeLine:
    label_zh: str
    quantity: int
    unit_price: int
    amount: int


@dataclass(frozen=True)
class FeeStatement:
    case_id: str
    method: Literal["per_request", "per_page"]
    basis_zh: str
    lines: tuple[FeeLine, ...]

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    def describe_zh(self) -> str:
        method = "按件计收" if self.method == "per_request" else "按量计收"
        parts = [f"{line.label_zh}：{line.quantity}×{line.unit_price}元={line.amount}元" for line in self.lines]
        body = "；".join(parts) if parts else "不收费"
        return f"案件{self.case_id}（{method}，{self.basis_zh}）：{body}；合计{self.total}元"


def page_lines(pages: int) -> tuple[FeeLine, ...]:
    if pages < 0:
        raise LedgerError(f"页数不能为负数：{pages}")
    lines, lower = [], 0
    for upper, price in PAGE_BANDS:
        top = pages if upper is None else min(pages, upper)
        qty = max(0, top - lower)
        if qty and price:
            label = f"第{lower + 1}页起" if upper is None else f"第{lower + 1}—{upper}页"
            lines.append(FeeLine(label, qty, price, qty * price))
        if upper is None or pages <= upper:
            break
        lower = upper
    return tuple(lines)


def per_page_fee(pages: int) -> int:
    """按量计收 fee of one request of `pages` pages."""
    return sum(line.amount for line in page_lines(pages))


def per_page_statement(case_id: str, pages: int) -> FeeStatement:
    return FeeStatement(case_id, "per_page", f"共{pages}页", page_lines(pages))


def request_positions(states: Iterable[CaseState]) -> dict[str, int]:
    """k for every case: its rank among the same applicant's requests in the natural month of receipt
    (ordered by receipt date, then by ledger order)."""
    groups: dict[tuple[str, int, int], list[CaseState]] = defaultdict(list)
    for s in states:
        groups[s.applicant, s.received_on.year, s.received_on.month].append(s)
    out: dict[str, int] = {}
    for cases in groups.values():
        for k, s in enumerate(sorted(cases, key=lambda c: c.received_on), start=1):
            out[s.case_id] = k
    return out


def per_request_statement(case_id: str, states: Iterable[CaseState]) -> FeeStatement:
    """按件计收 statement of one case, from the applicant's other requests in the same natural month."""
    states = list(states)
    positions = request_positions(states)
    if case_id not in positions:
        raise LedgerError(f"没有编号为{case_id}的案件")
    (state,) = [s for s in states if s.case_id == case_id]
    k = positions[case_id]
    price = per_request_unit_fee(k)
    month = f"{state.received_on.year}年{state.received_on.month}月"
    basis = f"申请人「{state.applicant}」{month}第{k}件申请"
    lines = (FeeLine(f"第{k}件", 1, price, price),) if price else ()
    return FeeStatement(case_id, "per_request", basis, lines)
