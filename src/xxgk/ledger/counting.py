"""Every counting choice the 条例, 109号 and the 2021 format leave open, in one place.

Each default says what the spec says (shared/spec/disclosure-rules.md, annual-report-format.md)
and why the value was chosen. Pass a `CountingRules` (or a dict of overrides) to the functions of
`deadlines` and `tables`; nothing reads a global.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from xxgk.ledger.keys import OTHER_ROW

# --- Deadlines (disclosure-rules.md §2.2) -------------------------------------------------------

# 第三十三条: reply within 20 working days; an extension adds at most 20 (40 in all).
DEFAULT_REPLY_DAYS = 20
DEFAULT_MAX_EXTENSION_DAYS = 20
# 第三十条: the 补正 notice within 7 working days of receipt.
DEFAULT_CORRECTION_NOTICE_DAYS = 7
# 第三十二条/第三十四条: a consulted third party or agency answers within 15 working days.
DEFAULT_CONSULTATION_DAYS = 15
# 109号 (as restated by the 四川 notice, §3.5): pay within 20 working days from the day after the notice.
DEFAULT_PAYMENT_DAYS = 20

# Whether the day of receipt is day 1 (§2.2, UNCONFIRMED for the 条例): 民法典第二百零一条 says the first
# day is not counted, and the spec's worked examples (§2.3) are computed that way.
DEFAULT_COUNT_RECEIPT_DAY = False

# 第三十一条 gives no roll-forward when a request arrives on a rest day; the spec says nothing either, and
# since day 1 is the first working day after receipt anyway the choice rarely matters. Off by default.
DEFAULT_RECEIPT_ROLLS_TO_WORKDAY = False

# Consultation pause (§2.2, which boundary days are paused is UNCONFIRMED): the clock runs on the day the
# letter is sent (the agency works that day) and stops from the next day; the answer day is paused too, so
# the clock resumes the day after the answer — the same "first day not counted" reading as for receipt.
DEFAULT_PAUSE_INCLUDES_SEND_DAY = False
DEFAULT_PAUSE_INCLUDES_ANSWER_DAY = True

# Whether an outstanding fee notice pauses the reply clock (§3.5, UNCONFIRMED). Not paused by default: no
# text read says so, and pausing would let a deadline pass silently if the payment is never recorded.
DEFAULT_FEE_PAUSES_REPLY_CLOCK = False

# --- Tables (annual-report-format.md §3.2/§3.3; the format itself says nothing on these) ----------

# A request with a 补正 restart is one request. Counted as received on its original 第三十一条 date
# ("original": what the applicant filed, and what last year's table already showed as 结转), or on the date
# the corrected request arrived ("corrected": the date the 20-day clock runs from).
CorrectionBasis = Literal["original", "corrected"]
DEFAULT_CORRECTION_RECEIPT_BASIS: CorrectionBasis = "original"

# A withdrawn request (撤回) has no row of its own; most reports put it under （六）3.其他. None drops withdrawn
# requests from the tables altogether (not counted as received either, so I1 still holds).
DEFAULT_WITHDRAWN_ROW: str | None = OTHER_ROW

# 表四 for year Y: "filed_in_year" counts the 复议/诉讼 filed in Y, each with its result as of the cut-off
# (尚未审结 if undecided then); "active_in_year" also counts those filed earlier and decided in Y or still
# pending at the start of Y. The cut-off is 12-31 of Y unless `tables` is given another `as_of` date.
T4Basis = Literal["filed_in_year", "active_in_year"]
DEFAULT_T4_BASIS: T4Basis = "filed_in_year"


@dataclass(frozen=True)
class CountingRules:
    reply_days: int = DEFAULT_REPLY_DAYS
    max_extension_days: int = DEFAULT_MAX_EXTENSION_DAYS
    correction_notice_days: int = DEFAULT_CORRECTION_NOTICE_DAYS
    consultation_days: int = DEFAULT_CONSULTATION_DAYS
    payment_days: int = DEFAULT_PAYMENT_DAYS
    count_receipt_day: bool = DEFAULT_COUNT_RECEIPT_DAY
    receipt_rolls_to_workday: bool = DEFAULT_RECEIPT_ROLLS_TO_WORKDAY
    pause_includes_send_day: bool = DEFAULT_PAUSE_INCLUDES_SEND_DAY
    pause_includes_answer_day: bool = DEFAULT_PAUSE_INCLUDES_ANSWER_DAY
    fee_pauses_reply_clock: bool = DEFAULT_FEE_PAUSES_REPLY_CLOCK
    correction_receipt_basis: CorrectionBasis = DEFAULT_CORRECTION_RECEIPT_BASIS
    withdrawn_row: str | None = DEFAULT_WITHDRAWN_ROW
    t4_basis: T4Basis = DEFAULT_T4_BASIS

    @classmethod
    def resolve(cls, value: CountingRules | dict[str, Any] | None) -> CountingRules:
        if value is None:
            return cls()
        if isinstance(value, dict):
            return replace(cls(), **value)
        return value
