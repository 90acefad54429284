"""The columns of the usual Excel 台账 and how their headers are matched.

`field` names a column in code, `header` is what export writes and `synonyms` are other headers the import
accepts; columns of a `group` (征求意见, 延期, 复议, 诉讼) repeat, numbered from the second instance
(「征求意见日期（2）」). Derived columns (状态, 答复期限, 超期答复) are written by export and ignored on import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from xxgk.ledger.vocabulary import norm

SHEET_TITLE = "台账"
HEADER_SCAN_ROWS = 10  # the header row is looked for among the first rows (a title row may come first)
DATE_FORMAT = "yyyy-mm-dd"
Kind = Literal["text", "date", "int", "amount"]


@dataclass(frozen=True)
class Column:
    """One column of the 台账: `field` names it in code, `header` is what export writes, `synonyms` are other
    headers import accepts. Columns of a `group` repeat, numbered from the second instance."""

    field: str
    header: str
    kind: Kind = "text"
    synonyms: tuple[str, ...] = ()
    group: str | None = None
    required: bool = False
    derived: bool = False  # written by export, ignored by import
    width: int = 12


COLUMNS: tuple[Column, ...] = (
    Column("number", "案件编号", synonyms=("编号", "申请编号", "登记编号", "受理编号", "案号")),
    Column(
        "applicant",
        "申请人",
        synonyms=("申请人姓名", "申请人名称", "申请人姓名或名称", "申请人姓名/名称", "姓名或名称"),
        required=True,
        width=16,
    ),
    Column(
        "applicant_type",
        "申请人类型",
        synonyms=("申请人类别", "申请人性质", "申请主体类型", "申请人身份"),
        required=True,
    ),
    Column(
        "received_on",
        "收到日期",
        "date",
        ("收到申请日期", "申请收到日期", "收件日期", "接收日期", "受理日期", "申请日期"),
        required=True,
    ),
    Column("channel", "申请方式", synonyms=("申请渠道", "申请途径", "提交方式", "申请形式", "收到方式"), required=True),
    Column("submitted_on", "提交日期", "date", ("到达日期", "申请提交日期", "提交申请日期")),
    Column(
        "subject",
        "申请内容",
        synonyms=("申请公开内容", "申请公开的内容", "申请事项", "所需信息", "所需政府信息", "申请信息内容"),
        width=30,
    ),
    Column("correction_requested_on", "补正通知日期", "date", ("补正日期", "发出补正通知日期", "告知补正日期")),
    Column("correction_reply_by", "补正期限", "date", ("补正截止日期",)),
    Column("correction_received_on", "收到补正日期", "date", ("收到补正材料日期", "补正材料收到日期", "补正完成日期")),
    Column("correction_lapsed_on", "逾期未补正日期", "date", ("未补正日期",)),
    Column("consultation_party", "征求意见对象", synonyms=("征求意见类型",), group="consultation"),
    Column(
        "consultation_sent_on", "征求意见日期", "date", ("征求意见发函日期", "发出征求意见日期"), group="consultation"
    ),
    Column(
        "consultation_answered_on",
        "征求意见答复日期",
        "date",
        ("收到征求意见答复日期", "意见答复日期"),
        group="consultation",
    ),
    Column("extension_on", "延期日期", "date", ("批准延期日期", "延长答复期限日期"), group="extension"),
    Column("extension_days", "延期工作日数", "int", ("延长工作日数", "延期天数", "延长天数"), group="extension"),
    Column("fee_notice_on", "收费通知日期", "date", ("收费日期", "发出收费通知日期")),
    Column("fee_method", "收费方式", synonyms=("计费方式", "收费类型")),
    Column("fee_pages", "页数", "int", ("收费页数", "信息页数")),
    Column("fee_amount", "收费金额（元）", "amount", ("收费金额", "收费", "信息处理费", "应收金额")),
    Column("fee_paid_on", "缴费日期", "date", ("缴纳日期", "缴纳费用日期")),
    Column("fee_not_paid_on", "逾期未缴费日期", "date", ("未缴费日期",)),
    Column("replied_on", "答复日期", "date", ("告知日期", "答复书日期", "办结日期")),
    Column("outcome", "答复类型", synonyms=("答复结果", "办理结果", "处理结果", "答复情况"), width=24),
    Column("withdrawn_on", "撤回日期", "date", ("撤回申请日期", "申请人撤回日期")),
    Column(
        "review_filed_on",
        "复议申请日期",
        "date",
        ("行政复议日期", "申请行政复议日期", "行政复议申请日期"),
        group="review",
    ),
    Column("review_result", "复议结果", synonyms=("行政复议结果",), group="review"),
    Column("review_decided_on", "复议决定日期", "date", ("行政复议决定日期",), group="review"),
    Column(
        "litigation_filed_on",
        "起诉日期",
        "date",
        ("行政诉讼日期", "提起行政诉讼日期", "行政诉讼起诉日期"),
        group="litigation",
    ),
    Column("litigation_kind", "诉讼类型", synonyms=("起诉类型", "行政诉讼类型"), group="litigation", width=18),
    Column("litigation_result", "诉讼结果", synonyms=("行政诉讼结果",), group="litigation"),
    Column(
        "litigation_decided_on",
        "裁判日期",
        "date",
        ("诉讼裁判日期", "判决日期", "行政诉讼裁判日期"),
        group="litigation",
    ),
    Column("status", "状态", synonyms=("办理状态",), derived=True, width=24),
    Column("late_reply", "超期答复", synonyms=("是否超期",), derived=True, width=24),
    Column("reply_due", "答复期限", "date", ("答复截止日期", "法定答复期限"), derived=True),
)
BY_FIELD = {c.field: c for c in COLUMNS}
GROUPS: dict[str, tuple[Column, ...]] = {}
for _c in COLUMNS:
    if _c.group is not None:
        GROUPS[_c.group] = (*GROUPS.get(_c.group, ()), _c)


_NOTE = re.compile(r"\([^()]*\)$")
_REPEAT = re.compile(r"^(.*?)(?:\((\d+)\)|(?<=\D)(\d+))$")


def split_header(text: str) -> tuple[str, int]:
    """(compare form of the column name, instance number): 「征求意见日期（2）」→ ("征求意见日期", 2); notes in
    brackets dropped (「收费金额（元）」), 「…时间」 read as 「…日期」."""
    n = norm(text)
    instance = 1
    m = _REPEAT.match(n)
    if m and m.group(1):
        n, instance = m.group(1), int(m.group(2) or m.group(3))
    while _NOTE.search(n) and _NOTE.sub("", n):
        n = _NOTE.sub("", n)
    if n.endswith("时间"):
        n = n[: -len("时间")] + "日期"
    return n, instance


@cache
def header_names() -> dict[str, str]:
    """Compare form of every accepted header → column field (a clash is a programming error)."""
    names: dict[str, str] = {}
    for c in COLUMNS:
        for h in (c.header, *c.synonyms):
            key = split_header(h)[0]
            if names.get(key, c.field) != c.field:
                raise AssertionError(f"header {h!r} names both {names[key]} and {c.field}")
            names[key] = c.field
    return names


def header_text(column: Column, instance: int) -> str:
    return column.header if instance == 1 else f"{column.header}（{instance}）"


__all__ = [
    "BY_FIELD",
    "COLUMNS",
    "DATE_FORMAT",
    "GROUPS",
    "HEADER_SCAN_ROWS",
    "SHEET_TITLE",
    "Column",
    "header_names",
    "header_text",
    "split_header",
]
