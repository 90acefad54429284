"""The words the ledger accepts for its closed sets (applicant type, reply type, 表四 result, litigation kind,
consulted party, fee method, event type): ONE vocabulary for the command line, the Excel import and the web
forms. The labels come from the format definition (`xxgk.ledger.keys`); everyday words are data, in
`vocabulary.toml` beside this module.

A value is accepted as: a key, a label, a label without its numbering or trailing note, a listed word, a unique
prefix (at least 2 characters) or a unique part (at least 3) of a label, or the last part after a separator
(「法人或其他组织-商业企业」). Comparison is on NFKC text without spaces, quotes or asterisks.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from xxgk.format import load_format
from xxgk.ledger import keys as K
from xxgk.ledger.deadlines import Channel, parse_channel
from xxgk.ledger.errors import LedgerError
from xxgk.ledger.keys import LedgerKeys, ledger_keys

_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans("", "", "“”‘’\"'「」《》*＊")
_NUMBERING = re.compile(r"^(\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d+[.、])")
_NOTE = re.compile(r"\([^()]*\)$")
_SEPARATORS = re.compile(r"[:：、/·\-—_|]+")
_SHOWN_NUMBERING = re.compile(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d+[.．、])")
_SHOWN_NOTE = re.compile(r"（[^（）]*）$")


def norm(text: str) -> str:
    """Compare form: NFKC (full-width → half-width), no spaces, quotes or asterisks."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).translate(_QUOTES)


def plain(label: str) -> str:
    """A label's compare form without its numbering and a trailing note: 「（二）部分公开（…）」→「部分公开」."""
    n = _NUMBERING.sub("", norm(label))
    while _NOTE.search(n) and _NOTE.sub("", n):
        n = _NOTE.sub("", n)
    return n


def shown(label: str) -> str:
    """A label for display without numbering and trailing note, punctuation kept: 「3.危及“三安全一稳定”」."""
    text = _SHOWN_NUMBERING.sub("", label.strip())
    while _SHOWN_NOTE.search(text) and _SHOWN_NOTE.sub("", text):
        text = _SHOWN_NOTE.sub("", text)
    return text


@cache
def _data() -> dict[str, Any]:
    text = resources.files("xxgk.ledger").joinpath("vocabulary.toml").read_text("utf-8")
    return tomllib.loads(text)


def words(group: str) -> dict[str, str]:
    """The everyday words of a group in vocabulary.toml (word → key)."""
    return dict(_data().get(group, {}).get("words", {}))


def data_labels(group: str) -> dict[str, str]:
    return dict(_data()[group]["labels"])


def pending_words() -> tuple[str, ...]:
    return tuple(_data()["pending"]["words"])


@dataclass(frozen=True)
class Choices:
    """Accepted spellings of a closed set of keys (key, label, label without numbering, words)."""

    what: str
    labels: dict[str, str]  # key → label shown (export, error messages)
    forms: dict[str, str]  # compare form → key

    def parse(self, value: str) -> str:
        v = norm(value)
        if v in self.forms:
            return self.forms[v]
        p = plain(value)
        if p in self.forms:
            return self.forms[p]
        # A unique prefix of a plain label (「本机关不掌握」) is enough; an ambiguous one is not.
        hits = {k for form, k in self.forms.items() if len(p) >= 2 and form.startswith(p)}
        if not hits:  # or a unique part of one (「逾期不补正」)
            hits = {k for form, k in self.forms.items() if len(p) >= 3 and p in form}
        if len(hits) == 1:
            return hits.pop()
        # 「法人或其他组织-商业企业」, 「不予公开/属于国家秘密」: the last part may name it alone.
        parts = [x for x in _SEPARATORS.split(v) if x]
        if len(parts) > 1:
            try:
                return self.parse(parts[-1])
            except LedgerError:
                pass
        if len(hits) > 1:
            maybe = "、".join(label for key, label in self.labels.items() if key in hits)
            raise LedgerError(f"{self.what}「{value}」不明确，可能是：{maybe}")
        raise LedgerError(f"未知的{self.what}「{value}」；可用：{'、'.join(self.labels.values())}")

    def accepts(self, value: str) -> bool:
        try:
            self.parse(value)
        except LedgerError:
            return False
        return True


def make_choices(what: str, labels: Mapping[str, str], *extra: Mapping[str, str]) -> Choices:
    """Choices from the labels and word → key maps; a form that names two keys is dropped (ambiguous)."""
    forms: dict[str, str] = {}
    clashes: set[str] = set()

    def add(form: str, key: str) -> None:
        if not form:
            return
        if forms.get(form, key) != key:
            clashes.add(form)
        forms[form] = key

    for key, label in labels.items():
        add(norm(key), key)
        add(norm(label), key)
        add(plain(label), key)
    for m in extra:
        for form, key in m.items():
            add(norm(form), key)
            add(plain(form), key)
    for form in clashes:
        del forms[form]
    return Choices(what, dict(labels), forms)


@cache
def applicant_choices(format_id: str = "gov2021") -> Choices:
    keys = ledger_keys(format_id)
    spec = load_format(format_id).tables["t3"]
    labels = {c: keys.applicant_label(c) for c in keys.applicant_columns}
    variants = {v: c.key for c in spec.columns if c.key in labels for v in c.label.variants}
    return make_choices("申请人类型", labels, variants, words("applicant_type"))


def outcome_label(keys: LedgerKeys, row: str) -> str:
    """The reply type as the 台账 shows it: the row label without numbering, under its group (（三）…（六）)."""
    group = _row_groups(keys.format_id).get(row)
    own = shown(keys.row_label(row))
    return f"{shown(group)}：{own}" if group else own


@cache
def _row_groups(format_id: str) -> dict[str, str]:
    """表三 outcome row key → label of its row group, for rows under （三）…（六）."""
    t3 = load_format(format_id).tables["t3"]
    group_labels = {g.key: g.label.text for g in t3.groups if getattr(g, "parent", None)}
    return {r.key: group_labels[r.group] for r in t3.rows if r.group in group_labels}


@cache
def outcome_choices(format_id: str = "gov2021") -> Choices:
    keys = ledger_keys(format_id)
    t3 = load_format(format_id).tables["t3"]
    groups = _row_groups(format_id)
    labels = {r: outcome_label(keys, r) for r in keys.outcome_rows}
    extra: dict[str, str] = {}
    for r in t3.rows:
        if r.key not in labels or r.label is None:
            continue
        extra[r.label.text] = r.key
        for v in r.label.variants:
            extra[v] = r.key
            extra[plain(v)] = r.key
        if r.key in groups:  # 「不予公开-属于国家秘密」, 「（三）不予公开1.属于国家秘密」…
            for sep in ("", "-", "·", "/", "—", "、", ":"):
                extra[f"{plain(groups[r.key])}{sep}{plain(r.label.text)}"] = r.key
                extra[f"{groups[r.key]}{sep}{r.label.text}"] = r.key
    return make_choices("答复类型（表三办理结果）", labels, extra, words("outcome"))


@cache
def result_choices(format_id: str = "gov2021") -> Choices:
    keys = ledger_keys(format_id)
    labels = {r: keys.t4_column_label(r) for r in keys.t4_results}
    short = {label.removeprefix("结果").removesuffix("结果"): r for r, label in labels.items()}
    return make_choices("复议/诉讼结果", labels, short, words("t4_result"))


def own_group_label(keys: LedgerKeys, group: str) -> str:
    return keys.t4_group_label(group).split("·")[-1]


@cache
def litigation_choices(format_id: str = "gov2021") -> Choices:
    keys = ledger_keys(format_id)
    labels = {g: own_group_label(keys, g) for g in (K.LITIGATION_DIRECT_GROUP, K.LITIGATION_AFTER_REVIEW_GROUP)}
    return make_choices("诉讼类型", labels, words("litigation_kind"))


@cache
def party_choices() -> Choices:
    return make_choices("征求意见对象", data_labels("party"), words("party"))


@cache
def method_choices() -> Choices:
    return make_choices("收费方式", data_labels("fee_method"), words("fee_method"))


@cache
def event_choices() -> Choices:
    """Event types a user records after the receipt (「收到申请」 opens a case and is not one of them)."""
    from xxgk.ledger.events import EVENT_TYPES

    labels = {kind: cls.label_zh for kind, cls in EVENT_TYPES.items() if kind != "received"}
    return make_choices("事件类型", labels, words("event"))


def is_pending(text: str) -> bool:
    return norm(text) in {norm(w) for w in pending_words()}


def parse_channel_value(value: str) -> Channel:
    v = value.strip()
    try:
        return parse_channel(v)
    except LedgerError:
        pass
    n = norm(v)
    for ch in Channel:
        if n in (norm(ch.label_zh), plain(ch.label_zh)):
            return ch
    return parse_channel(v)  # raises with the list of channels


__all__ = [
    "Choices",
    "applicant_choices",
    "event_choices",
    "is_pending",
    "litigation_choices",
    "make_choices",
    "method_choices",
    "norm",
    "outcome_choices",
    "outcome_label",
    "own_group_label",
    "parse_channel_value",
    "party_choices",
    "plain",
    "result_choices",
    "shown",
    "words",
]
