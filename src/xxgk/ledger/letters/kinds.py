"""The letter kinds (告知书): one per 表三 reply type and reason, and the four procedural notices.

Each kind names its template file (`<key>.toml`), the words a user picks it by (type and reason, as 表三
calls them), and the case event the letter stands for, so that the caller can record it: a reply letter is a
`replied` event with the kind's 表三 outcome row; 逾期未补正 and 逾期未缴费 letters close the case by their own
events; the notices are `correction_requested`, `extension_approved`, `consultation_sent` and
`fee_notice_issued`. The event kinds are those of `xxgk.ledger.events` (the words of `commands.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from xxgk.ledger import keys as K
from xxgk.ledger.errors import LedgerError
from xxgk.ledger.keys import ledger_keys
from xxgk.ledger.vocabulary import Choices, make_choices, norm, outcome_choices, shown

REPLY_TYPES = ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理")
NOTICE_TYPES = ("补正通知", "延期通知", "征求意见函", "收费通知")


class LetterError(LedgerError):
    """A letter that cannot be made: unknown kind or reason, a bad template, an impossible event."""


@dataclass(frozen=True)
class LetterKind:
    key: str  # template file stem
    type_zh: str  # 予以公开 … 其他处理, 补正通知 …
    reason_zh: str | None  # the reason within the type (表三 row label without numbering), None if single
    event: str  # kind of the case event the letter stands for (xxgk.ledger.events)
    outcome: str | None = None  # 表三 outcome row of a reply
    party: str | None = None  # consultation: third_party (第三十二条) or agency (第三十四条)

    @property
    def label_zh(self) -> str:
        return f"{self.type_zh}：{self.reason_zh}" if self.reason_zh else self.type_zh

    @property
    def is_reply(self) -> bool:
        return self.type_zh in REPLY_TYPES


# Reasons that are not a 表三 row of their own: the letter cites a different item, the table counts the row.
_EXTRA_REASONS = (
    ("granted_proactive", "予以公开", "已主动公开", "granted"),  # 第三十六条第（一）项
    ("unable_not_responsible", "无法提供", "不属于本机关负责公开", "unable_not_held"),  # 第三十六条第（五）项
)
_GROUP_OF_PREFIX = {
    "withheld_": "不予公开",
    "unable_": "无法提供",
    "not_handled_": "不予处理",
    "other_": "其他处理",
}
_CLOSING_EVENT = {K.NO_CORRECTION_ROW: "correction_lapsed", K.FEE_UNPAID_ROW: "fee_not_paid"}


@cache
def letter_kinds() -> tuple[LetterKind, ...]:
    """Every letter kind, in 表三 order, then the notices."""
    keys = ledger_keys()
    kinds: list[LetterKind] = []
    for row in keys.outcome_rows:
        if row == "granted":
            kinds.append(LetterKind("granted", "予以公开", "可以公开", "replied", row))
            kinds.append(LetterKind("granted_proactive", "予以公开", "已主动公开", "replied", row))
            continue
        if row == "partially_granted":
            kinds.append(LetterKind(row, "部分公开", None, "replied", row))
            continue
        (group,) = [g for prefix, g in _GROUP_OF_PREFIX.items() if row.startswith(prefix)]
        reason = shown(keys.row_label(row))
        kinds.append(LetterKind(row, group, reason, _CLOSING_EVENT.get(row, "replied"), row))
        for key, type_zh, extra_reason, base in _EXTRA_REASONS:
            if base == row and type_zh == group:
                kinds.append(LetterKind(key, group, extra_reason, "replied", row))
    kinds += [
        LetterKind("correction_notice", "补正通知", None, "correction_requested"),
        LetterKind("extension_notice", "延期通知", None, "extension_approved"),
        LetterKind("consultation_third_party", "征求意见函", "第三方", "consultation_sent", party="third_party"),
        LetterKind("consultation_agency", "征求意见函", "其他机关", "consultation_sent", party="agency"),
        LetterKind("fee_notice", "收费通知", None, "fee_notice_issued"),
    ]
    return tuple(kinds)


def kind_by_key(key: str) -> LetterKind:
    for k in letter_kinds():
        if k.key == key:
            return k
    raise LetterError(f"未知的告知书种类「{key}」")


@cache
def _type_choices() -> Choices:
    labels = {t: t for t in (*REPLY_TYPES, *NOTICE_TYPES)}
    words = {
        "公开": "予以公开",
        "答复书": "予以公开",
        "补正": "补正通知",
        "补正告知书": "补正通知",
        "延期": "延期通知",
        "延长答复期限": "延期通知",
        "征求意见": "征求意见函",
        "征求第三方意见": "征求意见函",
        "收费": "收费通知",
        "收费通知书": "收费通知",
    }
    return make_choices("告知书类型", labels, words)


def _reason_choices(type_zh: str) -> Choices:
    kinds = [k for k in letter_kinds() if k.type_zh == type_zh and k.reason_zh]
    return make_choices(f"「{type_zh}」的理由", {k.key: k.reason_zh or "" for k in kinds})


def resolve_kind(type_text: str, reason: str | None = None) -> LetterKind:
    """The kind a user means: a type (予以公开 … 收费通知) and, where the type has several, its reason
    (「属于国家秘密」, 「第三方」…). A 表三 outcome alone (「重复申请」, 「不予公开：属于国家秘密」) is accepted too."""
    try:
        type_zh = _type_choices().parse(type_text)
    except LedgerError as e:
        if reason is None:
            try:  # a 表三 row named directly
                row = outcome_choices().parse(type_text)
            except LedgerError:
                pass
            else:
                return next(k for k in letter_kinds() if k.outcome == row)
        raise LetterError(e.message) from None
    kinds = [k for k in letter_kinds() if k.type_zh == type_zh]
    if len(kinds) == 1 and kinds[0].reason_zh is None:
        if reason:
            raise LetterError(f"「{type_zh}」没有可选的理由，请去掉 --reason")
        return kinds[0]
    if not reason:
        if type_zh == "予以公开":
            return kinds[0]  # 可以公开 (第三十六条第（二）项) unless said otherwise
        options = "、".join(k.reason_zh or "" for k in kinds)
        raise LetterError(f"「{type_zh}」须用 --reason 指明理由：{options}")
    try:
        key = _reason_choices(type_zh).parse(reason)
    except LedgerError as e:
        raise LetterError(e.message) from None
    return kind_by_key(key)


def is_type_word(text: str) -> bool:
    return norm(text) in {norm(t) for t in (*REPLY_TYPES, *NOTICE_TYPES)}


__all__ = [
    "NOTICE_TYPES",
    "REPLY_TYPES",
    "LetterError",
    "LetterKind",
    "kind_by_key",
    "letter_kinds",
    "resolve_kind",
]
