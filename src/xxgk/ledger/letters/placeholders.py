"""The placeholders a letter template may use (`{申请人}` …), each with what it holds, in zh-CN.

One list for the template checker, the error messages and the manual (docs/ledger-letters.md). Values come
from the case (its events), from the organisation file, from the letter's own facts (date, deadlines) or are
given by the user (`--set 名称=值`); a placeholder without a value is left as a visible blank (`BLANK`).
"""

from __future__ import annotations

import string
from collections.abc import Iterable

# name → what it holds (shown in errors and in the manual)
PLACEHOLDERS: dict[str, str] = {
    # the case
    "文号": "告知书编号，如「某公开〔2025〕第12号」（由机关文号前缀和案件编号生成）",
    "案件编号": "台账中的案件编号，如 2025-0012",
    "申请人": "申请人姓名或名称",
    "申请人类型": "表三的申请人类型（自然人、法人或其他组织的各类）",
    "申请方式": "当面、信函、网络等",
    "申请日期": "申请人提交申请（或机关签收信函）的日期",
    "收到日期": "第三十一条规定的收到申请日期",
    "申请内容": "申请公开的政府信息（台账登记的申请内容）",
    "补正通知日期": "发出补正通知的日期（台账中的「发出补正通知」事件）",
    "收到补正日期": "收到补正后申请的日期（台账中的「收到补正材料」事件）",
    "收费通知日期": "发出收费通知的日期（台账中的「发出收费通知」事件）",
    # the letter
    "告知书类型": "如「不予公开：属于国家秘密」",
    "理由": "告知书类型中的理由部分，如「属于国家秘密」",
    "条款": "模板 clause 项写明的适用条款",
    "日期": "告知书日期（成文日期）",
    "文书简称": "答复书、告知书、通知书或函（由标题得出）",
    "救济途径": "行政复议（60日）和行政诉讼（6个月）的告知（common.toml 的 remedy 项）",
    # the organisation (organisation.toml)
    "机关名称": "落款机关；organisation.toml 未填时用台账登记的机关名称",
    "复议机关": "受理行政复议的机关（organisation.toml 的 review_organ）",
    "诉讼法院": "受理行政诉讼的人民法院（organisation.toml 的 court）",
    "联系人": "经办人（organisation.toml 的 contact_person）",
    "联系电话": "联系电话（organisation.toml 的 phone）",
    "通讯地址": "通讯地址（organisation.toml 的 address）",
    # 补正、延期、征求意见、收费
    "补正事项": "需要补正的事项（--set 补正事项=…）",
    "补正期限": "给申请人的补正期限（--reply-by）",
    "延长天数": "延长答复期限的工作日数（--days，最多20）",
    "原答复期限": "延期前的答复期限（按工作日计算）",
    "延长后答复期限": "延期后的答复期限（按工作日计算）",
    "延期理由": "需要延期的理由（--set 延期理由=…）",
    "征求意见对象": "被征求意见的第三方或机关名称（--set 征求意见对象=…）",
    "意见期限": "被征求意见方提出意见的期限（发函后15个工作日）",
    "收费金额": "信息处理费金额（元）",
    "收费方式": "按件计收或按量计收",
    "收费页数": "按量计收的页数",
    "缴费期限": "缴费期限（收到通知次日起20个工作日）",
    "缴费方式": "缴费方式和账户（organisation.toml 的 payment_method 或 --set）",
    # given by the user when the letter needs them
    "获取方式": "获取政府信息的方式、途径（--set 获取方式=…）",
    "负责机关": "负责公开该信息的机关名称和联系方式（--set 负责机关=…）",
    "处理说明": "对本案处理情况的具体说明（--set 处理说明=…）",
}

BLANK = "【请填写：{}】"
_FORMATTER = string.Formatter()


def fields_of(text: str) -> list[tuple[str, str, str | None]]:
    """(name, format spec, conversion) of every placeholder in `text`; raises ValueError on bad braces."""
    return [(name, spec or "", conv) for _, name, spec, conv in _FORMATTER.parse(text) if name is not None]


def problems(text: str, known: Iterable[str] = PLACEHOLDERS) -> list[str]:
    """What is wrong with the placeholders of `text`, in zh-CN (empty when all is well)."""
    allowed = set(known)
    try:
        found = fields_of(text)
    except ValueError:
        return ["花括号不成对（文字中的 { 或 } 请写成 {{ 或 }}）"]
    out = []
    for name, spec, conv in found:
        if not name:
            out.append("有空的占位符 {}（占位符须写名称，如 {申请人}）")
        elif name not in allowed:
            out.append(f"未知的占位符「{{{name}}}」")
        elif spec or conv:
            out.append(f"占位符「{{{name}}}」不能带格式说明（: 或 !）")
    return out


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with its (checked) placeholders replaced."""
    return _FORMATTER.vformat(text, (), values)


__all__ = ["BLANK", "PLACEHOLDERS", "fields_of", "fill", "problems"]
