"""D: text — what the prose says against the tables, and the prose itself."""

from __future__ import annotations

from tests.rules.cases import CLEAN, Case, Change, requests

OVERVIEW_END = "本年度未发生责任追究情况。"
ASSESSMENT = "并将政务公开纳入年度工作考核，组织开展社会评议，本年度未发生责任追究情况。"
PROBLEMS = (
    "本年度政府信息公开工作仍存在公开内容不够全面、解读形式较为单一、工作人员业务水平有待提高等问题。"
    "下一步，本机关将加强业务培训，丰富政策解读形式，完善信息发布审核机制，持续提升政务公开工作质量。"
)
FEE_NOTE = "本机关严格按照《政府信息公开信息处理费管理办法》的规定收取信息处理费，无其他需要报告的事项。"
PERIOD = "统计期限自2024年1月1日起至2024年12月31日止"
THREE_REVIEWS = "全年发生政府信息公开行政复议3件。"
FIVE_ASPECTS = "统筹推进主动公开、依申请公开、政府信息管理、政府信息公开平台建设和监督保障等各方面工作，"
REVIEW = ("t4.review.upheld", "t4.review.corrected", "t4.review.other", "t4.review.pending", "t4.review.total")


def says(sentence: str) -> tuple[tuple[str, str], ...]:
    """The overview (第一部分) ends with `sentence`."""
    return ((OVERVIEW_END, OVERVIEW_END + sentence),)


CASES = [
    Case(
        "D031",
        fires=Change(edits=says("全年共收到政府信息公开申请5件。")),
        quiet=Change(cells=requests("granted", 5), edits=says("全年共收到政府信息公开申请5件。")),
    ),
    Case(
        "D032",
        fires=Change(cells={"t4.review.upheld": 2, "t4.review.total": 2}, edits=says(THREE_REVIEWS)),
        quiet=Change(cells={"t4.review.upheld": 3, "t4.review.total": 3}, edits=says(THREE_REVIEWS)),
    ),
    Case(
        "D033",
        fires=Change(missing=REVIEW, edits=says("本年度未有政府信息公开方面的行政复议和行政诉讼。")),
        quiet=Change(edits=says("本年度未有政府信息公开方面的行政复议和行政诉讼。")),
    ),
    Case(
        "D034",
        fires=Change(
            cells={"t2.normative_documents.issued": 2, "t2.normative_documents.in_force": 2},
            edits=says("本年新制发行政规范性文件3件。"),
        ),
        quiet=Change(
            cells={"t2.normative_documents.issued": 3, "t2.normative_documents.in_force": 3},
            edits=says("本年新制发行政规范性文件3件。"),
        ),
    ),
    Case("D041", fires=Change(edits=((PROBLEMS, "无。"),)), quiet=CLEAN),
    Case(
        "D051",  # a 人民政府 must report 考核、评议、责任追究; a department need not
        fires=Change(edits=((ASSESSMENT, "。"),)),
        quiet=Change(agency="某某市统计局", edits=((ASSESSMENT, "。"),)),
    ),
    Case(
        "D061",
        fires=Change(edits=((FIVE_ASPECTS, "做好主动公开工作，"),)),
        quiet=CLEAN,
    ),
    Case(
        "D071",  # a request ended for an unpaid fee, and 第六部分 says nothing of fees
        fires=Change(cells=requests("other_fee_unpaid", 1), edits=((FEE_NOTE, "本年度无其他需要报告的事项。"),)),
        quiet=Change(cells=requests("other_fee_unpaid", 1)),
    ),
    Case(
        "D081",
        fires=Change(edits=((PERIOD, "统计期限自2023年1月1日起至2023年12月31日止"),)),
        quiet=CLEAN,
    ),
    Case(
        "D091",
        fires=Change(edits=(("完善信息发布审核机制，", "完善信息发布审核机制，完善信息发布审核机制，"),)),
        quiet=CLEAN,
    ),
]
