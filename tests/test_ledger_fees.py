"""信息处理费 (109号): band edges, the spec's worked examples, per-case statements across an applicant's month."""

from __future__ import annotations

from datetime import date

import pytest

from xxgk.ledger.case import Case
from xxgk.ledger.deadlines import Channel
from xxgk.ledger.errors import LedgerError
from xxgk.ledger.events import Received
from xxgk.ledger.fees import (
    per_page_fee,
    per_page_statement,
    per_request_month_total,
    per_request_statement,
    per_request_unit_fee,
    request_positions,
)


@pytest.mark.parametrize(
    ("k", "fee"), [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400)]
)
def test_per_request_band_edges(k: int, fee: int) -> None:
    assert per_request_unit_fee(k) == fee


@pytest.mark.parametrize(
    ("n", "total"), [(0, 0), (10, 0), (11, 100), (12, 200), (30, 2000), (31, 2200), (35, 3000), (50, 7000)]
)
def test_per_request_month_totals(n: int, total: int) -> None:
    """§3.2 worked examples: N=10 → 0; 12 → 200; 35 → 3,000; 50 → 7,000."""
    assert per_request_month_total(n) == total


@pytest.mark.parametrize(
    ("pages", "fee"),
    [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (150, 1700), (200, 2700), (201, 2740), (250, 4700)],
)
def test_per_page_band_edges(pages: int, fee: int) -> None:
    """§3.3: marginal bands 31–100 at 10元, 101–200 at 20元, 201+ at 40元; worked examples 100/150/250."""
    assert per_page_fee(pages) == fee


def test_per_page_statement_lines() -> None:
    st = per_page_statement("A1", 250)
    assert [(line.quantity, line.unit_price) for line in st.lines] == [(70, 10), (100, 20), (50, 40)]
    assert st.total == 4700
    assert st.describe_zh() == (
        "案件A1（按量计收，共250页）：第31—100页：70×10元=700元；第101—200页：100×20元=2000元；"
        "第201页起：50×40元=2000元；合计4700元"
    )
    assert per_page_statement("A2", 30).describe_zh() == "案件A2（按量计收，共30页）：不收费；合计0元"
    with pytest.raises(LedgerError, match="页数不能为负数"):
        per_page_fee(-1)


def _case(cid: str, applicant: str, on: date) -> Case:
    return Case.open(cid, Received(on, Channel.IN_PERSON, applicant, "natural_person"))


def test_per_request_counts_the_applicants_natural_month_across_cases() -> None:
    cases = [_case(f"c{i}", "张三", date(2025, 3, 1 + i)) for i in range(12)]
    cases += [_case("other", "李四", date(2025, 3, 5)), _case("april", "张三", date(2025, 4, 1))]
    states = [c.state for c in cases]
    positions = request_positions(states)
    assert positions["c0"] == 1 and positions["c11"] == 12
    assert positions["other"] == 1 and positions["april"] == 1
    assert per_request_statement("c9", states).total == 0
    st = per_request_statement("c10", states)
    assert st.total == 100
    assert (
        st.describe_zh() == "案件c10（按件计收，申请人「张三」2025年3月第11件申请）：第11件：1×100元=100元；合计100元"
    )
    assert sum(per_request_statement(f"c{i}", states).total for i in range(12)) == per_request_month_total(12) == 200
    with pytest.raises(LedgerError, match="没有编号为nope的案件"):
        per_request_statement("nope", states)
