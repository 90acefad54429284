"""The usual Excel 台账: one row per case, columns matched by header name, events validated by the core.

Export (`export_workbook`) writes the effective events of each case (voided events are left out, as a
snapshot of the ledger would) into fixed columns: dates as real Excel dates, applicant types, reply types
and 表四 results as the Chinese labels of the format (`xxgk.ledger.keys`). Repeated facts (several
consultations, extensions, 复议 or 诉讼 on one case) get numbered column groups (「征求意见日期（2）」…);
「状态」 and 「答复期限」 are derived and ignored on import.

Import is two-phase and all or nothing. `read_workbook` (pure, no storage) finds the header row, matches
columns by name (synonyms, spacing, 「时间」 for 「日期」, notes in brackets and full-width forms tolerated),
turns each row into a `Received` event and the events of its other columns, and replays them through the
core (`Case.append`), so an impossible order is reported at the column that caused it. Every problem of
every row is collected (row number, column letter, header as written); any problem raises `XlsxImportError`
before anything is written. `write_rows` then opens the cases through the store in the caller's
transaction: one transaction for the whole file, so a failure or a killed process leaves nothing partial.

Two reading choices: 「收到日期」 is the receipt date of 第三十一条 (the date the deadline runs from); for
平信、网络、传真 it is the confirmation date, and 「提交日期」 (optional, default 收到日期) is when the request
arrived. Consultation and 复议/诉讼 numbers (`ref`) are not exported; import numbers them 1, 2, … in column
order.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from xxgk.format import load_format
from xxgk.ledger import keys as K
from xxgk.ledger.calendar import WorkCalendar
from xxgk.ledger.case import Case, CaseState, Status, case_pauses
from xxgk.ledger.counting import CountingRules
from xxgk.ledger.deadlines import Channel, parse_channel, reply_due
from xxgk.ledger.errors import LedgerError
from xxgk.ledger.events import (
    ConsultationAnswered,
    ConsultationSent,
    CorrectionLapsed,
    CorrectionReceived,
    CorrectionRequested,
    Event,
    ExtensionApproved,
    FeeNoticeIssued,
    FeeNotPaid,
    FeePaid,
    LitigationDecided,
    LitigationFiled,
    Received,
    Replied,
    ReviewDecided,
    ReviewFiled,
    Voided,
    Withdrawn,
)
from xxgk.ledger.fees import per_page_fee
from xxgk.ledger.keys import LedgerKeys, ledger_keys

if TYPE_CHECKING:
    from openpyxl import Workbook

    from xxgk.ledger.store.repository import LedgerStore

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
    Column("reply_due", "答复期限", "date", ("答复截止日期", "法定答复期限"), derived=True),
)
BY_FIELD = {c.field: c for c in COLUMNS}
GROUPS: dict[str, tuple[Column, ...]] = {}
for _c in COLUMNS:
    if _c.group is not None:
        GROUPS[_c.group] = (*GROUPS.get(_c.group, ()), _c)

PARTY_LABELS = {"third_party": "第三方", "agency": "其他机关"}
PARTY_SYNONYMS = {"第三方": "third_party", "第三人": "third_party", "其他机关": "agency", "机关": "agency"}
METHOD_LABELS = {"per_request": "按件计收", "per_page": "按量计收"}
METHOD_SYNONYMS = {"按件": "per_request", "按件计收": "per_request", "按量": "per_page", "按量计收": "per_page"}
# Everyday words for applicant types, besides the format's own labels (matched after those).
APPLICANT_SYNONYMS = {
    "个人": "natural_person",
    "公民": "natural_person",
    "企业": "commercial_enterprise",
    "公司": "commercial_enterprise",
    "律师事务所": "legal_service_org",
    "律所": "legal_service_org",
    "公益组织": "public_interest_org",
    "其他组织": "other_org",
}
PENDING_WORDS = ("尚未审结", "未审结", "审理中", "待决定")


# ---------------------------------------------------------------------------------------------
# Normalising headers and values


_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans("", "", "“”‘’\"'「」《》*＊")
_NUMBERING = re.compile(r"^(\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d+[.、])")
_NOTE = re.compile(r"\([^()]*\)$")
_REPEAT = re.compile(r"^(.*?)(?:\((\d+)\)|(?<=\D)(\d+))$")
_SEPARATORS = re.compile(r"[:：、/·\-—_|]+")


def norm(text: str) -> str:
    """Compare form: NFKC (full-width → half-width), no spaces, quotes or asterisks."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).translate(_QUOTES)


def plain(label: str) -> str:
    """A label's compare form without its numbering and a trailing note: 「（二）部分公开（…）」→「部分公开」."""
    n = _NUMBERING.sub("", norm(label))
    while _NOTE.search(n) and _NOTE.sub("", n):
        n = _NOTE.sub("", n)
    return n


_SHOWN_NUMBERING = re.compile(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d+[.．、])")
_SHOWN_NOTE = re.compile(r"（[^（）]*）$")


def shown(label: str) -> str:
    """A label for display without numbering and trailing note, punctuation kept: 「3.危及“三安全一稳定”」."""
    text = _SHOWN_NUMBERING.sub("", label.strip())
    while _SHOWN_NOTE.search(text) and _SHOWN_NOTE.sub("", text):
        text = _SHOWN_NOTE.sub("", text)
    return text


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


@dataclass(frozen=True)
class Choices:
    """Accepted spellings of a closed set of keys (key, label, label without numbering, synonyms)."""

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


def _choices(what: str, labels: Mapping[str, str], extra: Mapping[str, str], *more: Mapping[str, str]) -> Choices:
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
    for m in (extra, *more):
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
    return _choices("申请人类型", labels, variants, APPLICANT_SYNONYMS)


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
    everyday = {"逾期未缴费": K.FEE_UNPAID_ROW, "未缴费": K.FEE_UNPAID_ROW, "未补正": K.NO_CORRECTION_ROW}
    return _choices("答复类型（表三办理结果）", labels, extra, everyday)


@cache
def result_choices(format_id: str = "gov2021") -> Choices:
    keys = ledger_keys(format_id)
    labels = {r: keys.t4_column_label(r) for r in keys.t4_results}
    short = {label.removeprefix("结果").removesuffix("结果"): r for r, label in labels.items()}
    return _choices("复议/诉讼结果", labels, short)


def _own_group_label(keys: LedgerKeys, group: str) -> str:
    return keys.t4_group_label(group).split("·")[-1]


@cache
def litigation_choices(format_id: str = "gov2021") -> Choices:
    keys = ledger_keys(format_id)
    labels = {g: _own_group_label(keys, g) for g in (K.LITIGATION_DIRECT_GROUP, K.LITIGATION_AFTER_REVIEW_GROUP)}
    extra = {
        "直接起诉": K.LITIGATION_DIRECT_GROUP,
        "直接": K.LITIGATION_DIRECT_GROUP,
        "复议后": K.LITIGATION_AFTER_REVIEW_GROUP,
    }
    return _choices("诉讼类型", labels, extra)


def channel_label(channel: Channel) -> str:
    return channel.label_zh


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


# ---------------------------------------------------------------------------------------------
# Export


@dataclass
class _Row:
    """The values of one case by field; `groups` holds the repeated instances by group name."""

    values: dict[str, Any] = field(default_factory=dict)
    groups: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, group: str, **values: Any) -> None:
        self.groups.setdefault(group, []).append(values)


def _effective(events: Sequence[Event]) -> list[Event]:
    voided = {e.target for e in events if isinstance(e, Voided)}
    kept = [e for i, e in enumerate(events) if i not in voided and not isinstance(e, Voided)]
    return sorted(kept, key=lambda e: e.on)


def _reply_deadline(s: CaseState, calendar: WorkCalendar | None, rules: CountingRules) -> date | None:
    """The reply deadline that applies (or applied) to the case; None while 补正 is pending or when the case
    ended without a reply clock (逾期未补正), or when the calendar does not cover it."""
    if calendar is None or s.closed_by == CorrectionLapsed.kind:
        return None
    if s.status is Status.AWAITING_CORRECTION:
        return None
    try:
        pauses = case_pauses(s, calendar, rules)
        return reply_due(calendar, s.clock_start, rules, extension_days=s.extension_days, pauses=pauses)
    except LedgerError:
        return None


def case_row(case: Case, keys: LedgerKeys, calendar: WorkCalendar | None, rules: CountingRules) -> _Row:
    s = case.state
    row = _Row()
    v = row.values
    v["number"] = case.id
    r0 = case.events[0]
    assert isinstance(r0, Received)
    v["applicant"] = r0.applicant
    v["applicant_type"] = keys.applicant_label(r0.applicant_type)
    v["received_on"] = s.received_on
    v["channel"] = channel_label(r0.channel)
    if r0.on != s.received_on:
        v["submitted_on"] = r0.on
    v["subject"] = r0.subject
    t4 = result_choices(keys.format_id).labels
    for e in _effective(case.events):
        if isinstance(e, CorrectionRequested):
            v["correction_requested_on"], v["correction_reply_by"] = e.on, e.reply_by
        elif isinstance(e, CorrectionReceived):
            v["correction_received_on"] = e.on
        elif isinstance(e, CorrectionLapsed):
            v["correction_lapsed_on"] = e.on
        elif isinstance(e, ExtensionApproved):
            row.add("extension", extension_on=e.on, extension_days=e.days)
        elif isinstance(e, FeeNoticeIssued):
            v["fee_notice_on"], v["fee_method"], v["fee_amount"] = e.on, METHOD_LABELS[e.method], e.amount
            v["fee_pages"] = e.pages
        elif isinstance(e, FeePaid):
            v["fee_paid_on"] = e.on
        elif isinstance(e, FeeNotPaid):
            v["fee_not_paid_on"] = e.on
        elif isinstance(e, Replied):
            v["replied_on"], v["outcome"] = e.on, outcome_label(keys, e.outcome)
        elif isinstance(e, Withdrawn):
            v["withdrawn_on"] = e.on
    for c in s.consultations:
        row.add(
            "consultation",
            consultation_party=PARTY_LABELS.get(c.party, c.party),
            consultation_sent_on=c.sent_on,
            consultation_answered_on=c.answered_on,
        )
    for p in s.proceedings:
        result = t4[p.result] if p.result else None
        if p.group == K.REVIEW_GROUP:
            row.add("review", review_filed_on=p.filed_on, review_result=result, review_decided_on=p.decided_on)
        else:
            row.add(
                "litigation",
                litigation_filed_on=p.filed_on,
                litigation_kind=_own_group_label(keys, p.group),
                litigation_result=result,
                litigation_decided_on=p.decided_on,
            )
    if s.closed:
        end = "撤回" if s.withdrawn or s.outcome is None else outcome_label(keys, s.outcome)
        v["status"] = f"{s.status.label_zh}（{end}）"
    else:
        v["status"] = s.status.label_zh
    v["reply_due"] = _reply_deadline(s, calendar, rules)
    return row


def _layout(rows: Sequence[_Row]) -> list[tuple[Column, int]]:
    """Columns in order, each group repeated as often as the busiest case needs (at least once)."""
    counts = {g: max([len(r.groups.get(g, ())) for r in rows] + [1]) for g in GROUPS}
    layout: list[tuple[Column, int]] = []
    done: set[str] = set()
    for c in COLUMNS:
        if c.group is None:
            layout.append((c, 1))
        elif c.group not in done:
            done.add(c.group)
            layout.extend((gc, i) for i in range(1, counts[c.group] + 1) for gc in GROUPS[c.group])
    return layout


def header_text(column: Column, instance: int) -> str:
    return column.header if instance == 1 else f"{column.header}（{instance}）"


def export_workbook(
    cases: Iterable[Case],
    *,
    calendar: WorkCalendar | None = None,
    rules: CountingRules | None = None,
    keys: LedgerKeys | None = None,
) -> Workbook:
    """A workbook with one sheet 「台账」: a header row, then one row per case."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    rules, keys = CountingRules.resolve(rules), keys or ledger_keys()
    rows = [case_row(c, keys, calendar, rules) for c in cases]
    layout = _layout(rows)
    wb = Workbook(write_only=True)  # streamed: no per-cell bookkeeping, linear in the number of cases
    ws = wb.create_sheet(SHEET_TITLE)
    for n, (c, _) in enumerate(layout, start=1):
        ws.column_dimensions[get_column_letter(n)].width = c.width
    ws.freeze_panes = "B2"
    bold = Font(bold=True)
    header = []
    for c, i in layout:
        cell = WriteOnlyCell(ws, header_text(c, i))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for r in rows:
        values: list[Any] = []
        for c, i in layout:
            if c.group is None:
                v = r.values.get(c.field)
            else:
                instances = r.groups.get(c.group, [])
                v = instances[i - 1].get(c.field) if i <= len(instances) else None
            if isinstance(v, date):
                v = WriteOnlyCell(ws, v)
                v.number_format = DATE_FORMAT
            values.append(None if v == "" else v)
        ws.append(values)
    return wb


def save_workbook(wb: Workbook, path: str | Path) -> None:
    """Save next to `path` and rename over it, so a crash never leaves half a file."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".xlsx", dir=target.parent or None)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------------------------
# Import


@dataclass(frozen=True)
class Problem:
    """A bad cell (or a bad row when `column` is empty) of the file, in Excel terms."""

    row: int
    message: str
    column: str = ""  # letter, e.g. "D"
    header: str = ""  # the header as written in the file

    def describe(self) -> str:
        where = f"第{self.row}行"
        if self.column:
            where += f" {self.column}列「{self.header}」"
        return f"{where}：{self.message}"


class XlsxImportError(LedgerError):
    """The 台账 cannot be imported; `problems` lists every bad cell found. Nothing has been written."""

    def __init__(self, problems: Sequence[Problem], *, path: str | None = None, limit: int = 30) -> None:
        self.problems = tuple(problems)
        lines = [p.describe() for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"……另有{len(self.problems) - limit}处问题")
        head = f"台账无法导入（共{len(self.problems)}处问题，未导入任何内容）："
        super().__init__("\n".join([head, *lines]), path=path)


@dataclass(frozen=True)
class ImportRow:
    """One case read from the file: its number (None: assigned on import) and its events in the order the
    core replays them (`Received` first)."""

    row: int
    number: str | None
    events: tuple[Event, ...]


@dataclass(frozen=True)
class ImportPlan:
    sheet: str
    header_row: int
    rows: tuple[ImportRow, ...]
    ignored_headers: tuple[str, ...]  # columns the 台账 has that xxgk does not read (备注, 经办人…)
    number_column: tuple[str, str] | None = None  # (letter, header) of 案件编号, if the file has it

    @property
    def event_count(self) -> int:
        return sum(len(r.events) for r in self.rows)


@dataclass(frozen=True)
class _Slot:
    column: Column
    instance: int
    index: int  # 0-based position in the row
    letter: str
    header: str


class _RowError(Exception):
    def __init__(self, slot: _Slot | None, message: str) -> None:
        self.slot, self.message = slot, message


def _open_sheet(path: Path) -> Any:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise LedgerError(f"文件不存在：{path}") from None
    except Exception as e:  # zipfile.BadZipFile, KeyError, InvalidFileException…: not an .xlsx we can read
        raise LedgerError(f"无法读取 Excel 文件 {path}（{type(e).__name__}）：请另存为 .xlsx 后重试") from None
    ws = wb[SHEET_TITLE] if SHEET_TITLE in wb.sheetnames else wb.worksheets[0]
    return wb, ws


def _match_header(cells: Sequence[Any]) -> tuple[list[_Slot], list[str]]:
    from openpyxl.utils import get_column_letter

    names = header_names()
    slots: list[_Slot] = []
    ignored: list[str] = []
    for i, raw in enumerate(cells):
        if raw is None or str(raw).strip() == "":
            continue
        text = str(raw).strip()
        name, instance = split_header(text)
        fld = names.get(name) or names.get(norm(text))
        if fld is None:
            ignored.append(text)
            continue
        col = BY_FIELD[fld]
        if col.group is None and instance != 1 and names.get(norm(text)) is None:
            ignored.append(text)
            continue
        slots.append(_Slot(col, instance if col.group else 1, i, get_column_letter(i + 1), text))
    return slots, ignored


def _find_header(rows: Sequence[tuple[Any, ...]]) -> tuple[int, list[_Slot], list[str]]:
    """The first of the top rows that names the most known columns (at least two)."""
    best: tuple[int, int, list[_Slot], list[str]] | None = None
    for n, cells in enumerate(rows[:HEADER_SCAN_ROWS], start=1):
        slots, ignored = _match_header(cells)
        known = len({(s.column.field, s.instance) for s in slots})
        if known >= 2 and (best is None or known > best[1]):
            best = (n, known, slots, ignored)
    if best is None:
        required = "、".join(f"「{c.header}」" for c in COLUMNS if c.required)
        raise XlsxImportError([Problem(1, f"找不到表头行：前{HEADER_SCAN_ROWS}行中没有{required}等列名")])
    return best[0], best[2], best[3]


def _check_header(header_row: int, slots: list[_Slot]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[tuple[str, int], _Slot] = {}
    for s in slots:
        key = (s.column.field, s.instance)
        if key in seen:
            first = seen[key]
            problems.append(
                Problem(
                    header_row,
                    f"与{first.letter}列「{first.header}」是同一列"
                    f"（{header_text(s.column, s.instance)}），只能保留一列",
                    s.letter,
                    s.header,
                )
            )
        else:
            seen[key] = s
    present = {s.column.field for s in slots}
    for c in COLUMNS:
        if c.required and c.field not in present:
            also = "、".join(c.synonyms[:4])
            problems.append(Problem(header_row, f"缺少必需的列「{c.header}」（也可写作：{also}）"))
    return problems


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and v.strip() == "")


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value: Any) -> date | None:
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise LedgerError(f"「{value}」不是日期")
    if isinstance(value, int | float):
        raise LedgerError(f"「{value:g}」是数字而不是日期：请填写如 2025-09-26 的日期，或把该列设置为日期格式")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    m = _DATE_TEXT.match(text)
    if not m:
        raise LedgerError(f"「{value}」不是日期：请填写如 2025-09-26 的日期")
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise LedgerError(f"「{value}」不是有效的日期") from None


def parse_text(value: Any) -> str:
    if _blank(value):
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_int(value: Any) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, bool | datetime | date):
        raise LedgerError(f"「{value}」不是整数")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise LedgerError(f"「{value:g}」不是整数")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = re.sub(r"(个)?(工作日|天|页)$", "", text).strip()
    if not re.fullmatch(r"\d+", text):
        raise LedgerError(f"「{value}」不是整数")
    return int(text)


def parse_amount(value: Any) -> Decimal | None:
    if _blank(value):
        return None
    if isinstance(value, bool | datetime | date):
        raise LedgerError(f"「{value}」不是金额")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = unicodedata.normalize("NFKC", str(value)).strip().removeprefix("¥").removesuffix("元").replace(",", "")
    try:
        amount = Decimal(text.strip())
    except InvalidOperation:
        raise LedgerError(f"「{value}」不是金额（元）") from None
    if not amount.is_finite():
        raise LedgerError(f"「{value}」不是金额（元）")
    return amount


class _Reader:
    """Reads the cells of one data row by field, remembering which slot each value came from."""

    def __init__(self, cells: Sequence[Any], slots: Sequence[_Slot]) -> None:
        self.cells = cells
        self.by_key = {(s.column.field, s.instance): s for s in slots}

    def slot(self, fld: str, instance: int = 1) -> _Slot | None:
        return self.by_key.get((fld, instance))

    def raw(self, fld: str, instance: int = 1) -> Any:
        s = self.slot(fld, instance)
        return self.cells[s.index] if s is not None and s.index < len(self.cells) else None

    def get(self, fld: str, instance: int = 1) -> Any:
        s = self.slot(fld, instance)
        raw = self.raw(fld, instance)
        parser = {"date": parse_date, "int": parse_int, "amount": parse_amount, "text": parse_text}[BY_FIELD[fld].kind]
        try:
            return parser(raw)
        except LedgerError as e:
            raise _RowError(s, e.message) from None

    def choice(self, fld: str, choices: Choices, instance: int = 1) -> str | None:
        text = self.get(fld, instance)
        if not text:
            return None
        try:
            return choices.parse(text)
        except LedgerError as e:
            raise _RowError(self.slot(fld, instance), e.message) from None

    def instances(self, group: str) -> list[int]:
        """Instance numbers of a group that have any value in this row, in order."""
        numbers = sorted({i for (f, i) in self.by_key if BY_FIELD[f].group == group})
        return [i for i in numbers if any(not _blank(self.raw(c.field, i)) for c in GROUPS[group])]

    def empty(self) -> bool:
        return all(
            _blank(self.cells[s.index])
            for s in self.by_key.values()
            if not s.column.derived and s.index < len(self.cells)
        )

    def need(self, fld: str, instance: int, what: str, because: str) -> _RowError:
        """The error for a value `what` missing while `because` (another column) is filled."""
        slot = self.slot(fld, instance)
        if slot is None:
            return _RowError(self.slot(because, instance) or self.slot(because), f"填写了此列，但表中没有「{what}」列")
        return _RowError(slot, f"缺少{what}（已填写「{self.header_of(because, instance)}」）")

    def header_of(self, fld: str, instance: int = 1) -> str:
        s = self.slot(fld, instance) or self.slot(fld)
        return s.header if s else BY_FIELD[fld].header


# An event with the slot (column) whose value it carries, for attributing the core's objections.
Sourced = tuple[Event, str, int]


def _row_events(r: _Reader, keys: LedgerKeys) -> tuple[str | None, Received, list[Sourced]]:
    """The number, the Received event and the other events of a row, in replay order (dates unsorted)."""
    number = r.get("number") or None
    applicant = r.get("applicant")
    if not applicant:
        raise _RowError(r.slot("applicant"), "申请人不能为空")
    type_text = r.get("applicant_type")
    if not type_text:
        raise _RowError(r.slot("applicant_type"), "申请人类型不能为空")
    applicant_type = r.choice("applicant_type", applicant_choices(keys.format_id))
    assert applicant_type is not None
    received_on = r.get("received_on")
    if received_on is None:
        raise _RowError(r.slot("received_on"), "收到日期不能为空")
    channel_text = r.get("channel")
    if not channel_text:
        raise _RowError(r.slot("channel"), "申请方式不能为空")
    try:
        channel = parse_channel_value(channel_text)
    except LedgerError as e:
        raise _RowError(r.slot("channel"), e.message) from None
    submitted = r.get("submitted_on")
    if channel.needs_confirmation:
        arrived = submitted or received_on
        if arrived > received_on:
            raise _RowError(r.slot("submitted_on"), f"提交日期{arrived}晚于收到（确认）日期{received_on}")
        received = Received(arrived, channel, applicant, applicant_type, received_on, r.get("subject"))
    else:
        if submitted is not None and submitted != received_on:
            raise _RowError(
                r.slot("submitted_on"),
                f"{channel.label_zh}的申请以提交（签收）之日为收到日期（第三十一条），提交日期应与收到日期{received_on}相同",
            )
        received = Received(received_on, channel, applicant, applicant_type, None, r.get("subject"))

    events: list[Sourced] = []

    def dated(fld: str, instance: int = 1) -> date | None:
        return r.get(fld, instance)  # type: ignore[no-any-return]

    def only_with(date_field: str, *details: str, instance: int = 1) -> None:
        """Detail columns need their date column."""
        if dated(date_field, instance) is None:
            for d in details:
                if not _blank(r.raw(d, instance)):
                    raise r.need(date_field, instance, BY_FIELD[date_field].header, d)

    # 补正
    only_with("correction_requested_on", "correction_reply_by")
    if (d := dated("correction_requested_on")) is not None:
        events.append((CorrectionRequested(d, reply_by=dated("correction_reply_by")), "correction_requested_on", 1))
    if (d := dated("correction_received_on")) is not None:
        events.append((CorrectionReceived(d), "correction_received_on", 1))
    if (d := dated("correction_lapsed_on")) is not None:
        events.append((CorrectionLapsed(d), "correction_lapsed_on", 1))
    # 征求意见
    for n, i in enumerate(r.instances("consultation"), start=1):
        only_with("consultation_sent_on", "consultation_party", "consultation_answered_on", instance=i)
        sent = dated("consultation_sent_on", i)
        assert sent is not None
        party_text = r.get("consultation_party", i)
        party = PARTY_SYNONYMS.get(norm(party_text)) if party_text else "third_party"
        if party is None:
            choices = "、".join(PARTY_LABELS.values())
            raise _RowError(r.slot("consultation_party", i), f"未知的征求意见对象「{party_text}」；可用：{choices}")
        events.append((ConsultationSent(sent, party=party, ref=str(n)), "consultation_sent_on", i))  # type: ignore[arg-type]
        if (d := dated("consultation_answered_on", i)) is not None:
            events.append((ConsultationAnswered(d, ref=str(n)), "consultation_answered_on", i))
    # 延期
    for i in r.instances("extension"):
        only_with("extension_on", "extension_days", instance=i)
        on = dated("extension_on", i)
        assert on is not None
        days = r.get("extension_days", i)
        events.append((ExtensionApproved(on, days=20 if days is None else days), "extension_on", i))
    # 收费
    fee_details = ("fee_method", "fee_pages", "fee_amount", "fee_paid_on", "fee_not_paid_on")
    only_with("fee_notice_on", *fee_details)
    if (d := dated("fee_notice_on")) is not None:
        pages = r.get("fee_pages")
        method_text = r.get("fee_method")
        if method_text:
            method = METHOD_SYNONYMS.get(norm(method_text))
            if method is None:
                raise _RowError(r.slot("fee_method"), f"未知的收费方式「{method_text}」；可用：按件计收、按量计收")
        else:
            method = "per_page" if pages is not None else "per_request"
        amount = r.get("fee_amount")
        if amount is None:
            if method != "per_page" or pages is None:
                raise r.need("fee_amount", 1, BY_FIELD["fee_amount"].header, "fee_notice_on")
            amount = Decimal(per_page_fee(pages))
        events.append((FeeNoticeIssued(d, amount=amount, method=method, pages=pages), "fee_notice_on", 1))  # type: ignore[arg-type]
    if (d := dated("fee_paid_on")) is not None:
        events.append((FeePaid(d), "fee_paid_on", 1))
    if (d := dated("fee_not_paid_on")) is not None:
        events.append((FeeNotPaid(d), "fee_not_paid_on", 1))
    # 答复 (a reply type of 逾期不补正 / 逾期未缴费 stands for the event of its own)
    outcome = r.choice("outcome", outcome_choices(keys.format_id))
    replied_on = dated("replied_on")
    if replied_on is not None and outcome is None:
        raise r.need("outcome", 1, BY_FIELD["outcome"].header, "replied_on")
    if outcome is not None and replied_on is None:
        raise r.need("replied_on", 1, BY_FIELD["replied_on"].header, "outcome")
    if replied_on is not None and outcome is not None:
        if outcome == K.NO_CORRECTION_ROW:
            events.append((CorrectionLapsed(replied_on), "replied_on", 1))
        elif outcome == K.FEE_UNPAID_ROW:
            events.append((FeeNotPaid(replied_on), "replied_on", 1))
        else:
            events.append((Replied(replied_on, outcome=outcome), "replied_on", 1))
    if (d := dated("withdrawn_on")) is not None:
        events.append((Withdrawn(d), "withdrawn_on", 1))
    # 复议、诉讼
    results = result_choices(keys.format_id)
    reviews = r.instances("review")
    for n, i in enumerate(reviews, start=1):
        only_with("review_filed_on", "review_result", "review_decided_on", instance=i)
        filed = dated("review_filed_on", i)
        assert filed is not None
        events.append((ReviewFiled(filed, ref=str(n)), "review_filed_on", i))
        _decision(r, events, "review", i, str(n), results)
    for n, i in enumerate(r.instances("litigation"), start=1):
        only_with("litigation_filed_on", "litigation_kind", "litigation_result", "litigation_decided_on", instance=i)
        filed = dated("litigation_filed_on", i)
        assert filed is not None
        kind = r.choice("litigation_kind", litigation_choices(keys.format_id), i)
        after_review = bool(reviews) if kind is None else kind == K.LITIGATION_AFTER_REVIEW_GROUP
        events.append((LitigationFiled(filed, after_review=after_review, ref=str(n)), "litigation_filed_on", i))
        _decision(r, events, "litigation", i, str(n), results)
    return number, received, events


def _decision(r: _Reader, events: list[Sourced], group: str, i: int, ref: str, results: Choices) -> None:
    result_field, decided_field = f"{group}_result", f"{group}_decided_on"
    text = r.get(result_field, i)
    decided = r.get(decided_field, i)
    pending = bool(text) and norm(text) in {norm(w) for w in PENDING_WORDS}
    if pending:
        if decided is not None:
            raise _RowError(r.slot(result_field, i), f"结果为「{text}」，却填写了{r.header_of(decided_field, i)}")
        return
    result = r.choice(result_field, results, i) if text else None
    if decided is None and result is None:
        return
    if decided is None:
        raise r.need(decided_field, i, BY_FIELD[decided_field].header, result_field)
    if result is None:
        raise r.need(result_field, i, BY_FIELD[result_field].header, decided_field)
    cls = ReviewDecided if group == "review" else LitigationDecided
    events.append((cls(decided, result=result, ref=ref), decided_field, i))


def _replay(
    number: str | None, row: int, received: Received, events: list[Sourced], r: _Reader, calendar: WorkCalendar | None
) -> tuple[Event, ...]:
    """Replay through the core in date order (ties in column order): the first event the core refuses is
    reported at its own column."""
    case_id = number or f"（第{row}行）"
    try:
        case = Case.open(case_id, received)
    except LedgerError as e:
        raise _RowError(r.slot("received_on"), e.message.removeprefix(f"案件{case_id}：")) from None
    ordered = sorted(events, key=lambda ev: ev[0].on)
    for event, fld, instance in ordered:
        try:
            case = case.append(event, calendar=calendar)
        except LedgerError as e:
            raise _RowError(r.slot(fld, instance), e.message.removeprefix(f"案件{case_id}：")) from None
    return (received, *(e for e, _, _ in ordered))


def read_workbook(
    path: str | Path, *, calendar: WorkCalendar | None = None, keys: LedgerKeys | None = None
) -> ImportPlan:
    """Read and validate a 台账 (no storage). Raises XlsxImportError listing every problem, or returns the plan.
    With a calendar, events that depend on a deadline (逾期未缴费 before the payment window ends) are checked."""
    keys = keys or ledger_keys()
    path = Path(path)
    wb, ws = _open_sheet(path)
    try:
        rows = [tuple(cells) for cells in ws.iter_rows(values_only=True)]
        sheet = str(ws.title)
    finally:
        wb.close()
    header_row, slots, ignored = _find_header(rows)
    problems = _check_header(header_row, slots)
    if problems:
        raise XlsxImportError(problems, path=str(path))
    plan_rows: list[ImportRow] = []
    numbers: dict[str, int] = {}
    for n, cells in enumerate(rows[header_row:], start=header_row + 1):
        r = _Reader(cells, slots)
        if r.empty():
            continue
        try:
            number, received, events = _row_events(r, keys)
            if number is not None and number in numbers:
                raise _RowError(r.slot("number"), f"案件编号{number}与第{numbers[number]}行重复")
            replayed = _replay(number, n, received, events, r, calendar)
        except _RowError as e:
            s = e.slot
            problems.append(Problem(n, e.message, s.letter if s else "", s.header if s else ""))
            continue
        if number is not None:
            numbers[number] = n
        plan_rows.append(ImportRow(n, number, replayed))
    if problems:
        raise XlsxImportError(problems, path=str(path))
    number_slot = next((s for s in slots if s.column.field == "number"), None)
    number_column = (number_slot.letter, number_slot.header) if number_slot else None
    return ImportPlan(sheet, header_row, tuple(plan_rows), tuple(ignored), number_column)


def assign_numbers(rows: Sequence[ImportRow], taken: Iterable[str]) -> list[tuple[ImportRow, str]]:
    """Each row with its case number: its own, or the next free <year>-<nnnn> (the store's default scheme)."""
    used = set(taken) | {r.number for r in rows if r.number is not None}
    next_n: dict[int, int] = {}
    out = []
    for r in rows:
        number = r.number
        if number is None:
            year = r.events[0].on.year
            n = next_n.get(year, 1)
            while f"{year}-{n:04d}" in used:
                n += 1
            number = f"{year}-{n:04d}"
            used.add(number)
            next_n[year] = n + 1
        out.append((r, number))
    return out


def write_rows(store: LedgerStore, plan: ImportPlan, *, source: str = "") -> list[str]:
    """Open every case of `plan` through the store (each event validated again and audited), inside the
    caller's transaction: a failure on any row raises XlsxImportError and the caller's rollback undoes all.
    Returns the case numbers in file order."""
    taken = set(store.numbers())
    letter, header = plan.number_column or ("", "")
    clashes = [
        Problem(r.row, f"案件编号{r.number}在台账中已存在", letter, header)
        for r in plan.rows
        if r.number is not None and r.number in taken
    ]
    if clashes:
        raise XlsxImportError(clashes, path=source or None)
    numbered = assign_numbers(plan.rows, taken)
    for r, number in numbered:
        try:
            store.open_case(_as_received(r.events[0]), number)
            for event in r.events[1:]:
                store.record(number, event)
        except LedgerError as e:
            raise XlsxImportError([Problem(r.row, e.message)], path=source or None) from None
    store._audit("import", detail={"file": source, "cases": len(numbered), "events": plan.event_count})
    return [number for _, number in numbered]


def _as_received(event: Event) -> Received:
    assert isinstance(event, Received)
    return event


__all__ = [
    "COLUMNS",
    "Column",
    "ImportPlan",
    "ImportRow",
    "Problem",
    "XlsxImportError",
    "assign_numbers",
    "export_workbook",
    "read_workbook",
    "save_workbook",
    "write_rows",
]
