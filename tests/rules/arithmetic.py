"""C: arithmetic (勾稽) — the identities of 表三 and 表四, the value domain, missing cells."""

from __future__ import annotations

from decimal import Decimal

from tests.rules.cases import CLEAN, Case, Change, requests

LICENSING = "t2.administrative_licensing.decisions"
FEES = "t2.administrative_fees.amount_wan_yuan"
REVIEW = ("t4.review.upheld", "t4.review.corrected", "t4.review.other", "t4.review.pending", "t4.review.total")
REGULATIONS = {"t2.regulations.issued": 2, "t2.regulations.in_force": 2}

CASES = [
    Case(
        "C011",  # one more new request, counted in its row's total but decided nowhere
        fires=Change(cells={"t3.new_received.natural_person": 1, "t3.new_received.total": 1}),
        quiet=Change(cells=requests("granted", 1)),
    ),
    Case(
        "C021",
        fires=Change(cells={**requests("granted", 2), "t3.granted.total": 1}),
        quiet=Change(cells=requests("granted", 2)),
    ),
    Case(
        "C031",
        fires=Change(cells={**requests("granted", 2), "t3.processed_total.natural_person": 3}),
        quiet=Change(cells=requests("granted", 2)),
    ),
    Case(
        "C041",
        fires=Change(cells={"t4.review.upheld": 1}),
        quiet=Change(cells={"t4.review.upheld": 1, "t4.review.total": 1}),
    ),
    Case("C051", fires=Change(cells={LICENSING: -1}), quiet=Change(cells={LICENSING: 1})),
    Case("C052", fires=Change(cells={LICENSING: "12.5"}), quiet=Change(cells={LICENSING: 12})),
    Case("C053", fires=Change(cells={LICENSING: "见附件"}), quiet=Change(cells={LICENSING: 3})),
    Case(
        "C054",  # above a township's plausible bound for 表二 (the format's count_bounds); a province reaches it
        fires=Change(cells={LICENSING: 100_000_000}),
        quiet=Change(cells={LICENSING: 100_000_000}, agency="某某省人民政府"),
    ),
    Case("C061", fires=Change(missing=("t4.review.upheld",)), quiet=CLEAN),
    Case("C062", fires=Change(missing=("t4.review.upheld",)), quiet=CLEAN),
    Case("C071", fires=Change(cells={FEES: "2500元"}), quiet=Change(cells={FEES: Decimal("0.25")})),
    Case(
        "C101",  # a township cannot make 规章; a city government can
        fires=Change(cells=REGULATIONS),
        quiet=Change(cells=REGULATIONS, agency="某某市人民政府"),
    ),
]
