"""Every reading of the format that no source confirmed (spec items marked UNCONFIRMED), in one place.

Change a decision here and every part follows. Each constant says what the spec says and why
this value was chosen.
"""

from __future__ import annotations

# Publication deadline of 乡（镇）/街道 reports: the 条例 (第四十九条) sets 1月31日 for departments of
# governments at county level and above, and 3月31日 for the consolidated report of a 县级以上地方
# 人民政府; it sets nothing for townships (spec §6, UNCONFIRMED nationally). A township's figures
# feed the county report due 3月31日, so a township report published after that date is late under
# any reading: we check against 03-31 and report it as a warning (A012), not an error.
TOWNSHIP_DEADLINE = "03-31"

# Whether a blank table cell means 0 (spec §3.2, UNCONFIRMED). We never assume it does: a blank is
# missing, reported by C061, and identities over it are "not assessable" (C062), which also says
# whether the identity would hold with blanks read as 0.
BLANK_MEANS_ZERO = False

# Exact wording of section headings 二–六 comes from reproductions, not the notice (spec §2): headings
# are matched by number plus keyword, and a heading worded differently is only info (B024).
HEADINGS_FROM_REPRODUCTIONS = True

# A people's government (人民政府, not a department) must report 工作考核、社会评议和责任追究结果情况
# (条例第五十条第（四）项). That townships must do the same follows from the same article; D051 applies
# it to every 人民政府 including 乡镇.
D051_APPLIES_TO_TOWNSHIPS = True

# Words that, in section 1, announce the number of applications received ("收到申请N件"). Which
# table cell such a sentence means (新收 only, or 新收+上年结转) depends on the wording; we compare
# with 新收 (t3.new_received.total) and accept 新收+结转 as well.
APPLICATIONS_TEXT_MATCHES_NEW_OR_NEW_PLUS_CARRIED = True

# The ledger's counting choices that the format leaves open (a case restarted by 补正, a 复议 filed in
# one year and decided in the next, withdrawn requests, whether a fee notice pauses the clock, the
# receipt-day rule) live with the ledger, as one frozen dataclass: xxgk/ledger/counting.py
# (CountingRules). The holiday tables' provenance is in xxgk/ledger/holidays/<year>.toml.
