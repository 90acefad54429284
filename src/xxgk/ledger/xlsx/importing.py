"""Import: the usual Excel 台账 into the ledger, all or nothing.

Two phases. `read_workbook` (pure, no storage, no lock held) checks the file is a plain .xlsx (no DTD, no
entities: a refusal, never an expansion), finds the header row, matches columns by name (synonyms, spacing,
「时间」 for 「日期」, notes in brackets and full-width forms tolerated), turns each row into a `Received` event
and the events of its other columns, and replays them through the core (`Case.append`), so an impossible
order is reported at the column that caused it. Every problem of every row is collected (row number, column
letter, header as written; a row with four bad cells lists four problems); any problem raises
`XlsxImportError` before anything is written. `write_rows` then numbers the cases and hands them to the store
in one short transaction of bulk inserts (`LedgerStore.import_cases`), so a failure or a killed process
leaves nothing partial and other writers wait seconds, not the length of the file.

Two reading choices: 「收到日期」 is the receipt date of 第三十一条 (the date the deadline runs from); for
平信、网络、传真 it is the confirmation date, and 「提交日期」 (optional, default 收到日期) is when the request
arrived. Consultation and 复议/诉讼 numbers (`ref`) are not exported; import numbers them 1, 2, … in column
order.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xxgk.ledger import keys as K
from xxgk.ledger.calendar import WorkCalendar
from xxgk.ledger.case import Case
from xxgk.ledger.dates import future_problem, parse_date
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
    Withdrawn,
)
from xxgk.ledger.fees import per_page_fee
from xxgk.ledger.keys import LedgerKeys, ledger_keys
from xxgk.ledger.numbering import assign_numbers
from xxgk.ledger.vocabulary import (
    Choices,
    applicant_choices,
    is_pending,
    litigation_choices,
    method_choices,
    norm,
    outcome_choices,
    parse_channel_value,
    party_choices,
    result_choices,
)
from xxgk.ledger.xlsx.columns import (
    BY_FIELD,
    COLUMNS,
    HEADER_SCAN_ROWS,
    SHEET_TITLE,
    Column,
    header_names,
    header_text,
    split_header,
)

if TYPE_CHECKING:
    from xxgk.ledger.store.repository import LedgerStore

# Dates that may lie after today: a period given to the applicant is a future date by nature.
FUTURE_ALLOWED = frozenset({"correction_reply_by"})
# Limits on what the file may unpack to, checked before any XML is parsed (a zip bomb is refused).
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


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
    case: Case  # the events replayed (its id is the row's number, or a placeholder until one is assigned)


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


def _refuse(path: Path, problem: str) -> LedgerError:
    return LedgerError(f"无法导入 {path}：{problem}；未导入任何内容")


def check_package(path: Path) -> None:
    """Refuse, before openpyxl parses anything, an .xlsx whose XML declares a DTD or entities (billion laughs,
    external entities: never expanded, never fetched) or that unpacks to more than the limits."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES or any(i.file_size > MAX_MEMBER_BYTES for i in infos):
                raise _refuse(path, "文件解压后过大（可能是压缩炸弹）")
            for info in infos:
                if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    continue
                tail = b""
                with z.open(info) as member:
                    while chunk := member.read(1 << 20):
                        if _DTD.search(tail + chunk):
                            what = f"其中的 {info.filename} 含有文档类型定义（DTD）或实体声明，不是正常的 Excel 文件"
                            raise _refuse(path, what)
                        tail = chunk[-16:]
    except FileNotFoundError:
        raise LedgerError(f"文件不存在：{path}") from None
    except IsADirectoryError:
        raise LedgerError(f"{path} 是目录，不是 Excel 文件") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        what = "无法读取 Excel 文件：不是有效的 .xlsx 文件（已损坏，或不是 Excel 2007 以后的格式）"
        what += "；请另存为 .xlsx 后重试"
        raise _refuse(path, what) from None


def _open_sheet(path: Path) -> Any:
    from openpyxl import load_workbook

    check_package(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise LedgerError(f"文件不存在：{path}") from None
    except Exception as e:  # zipfile.BadZipFile, KeyError, InvalidFileException, XML errors…
        what = f"无法读取 Excel 文件：内容已损坏或不是 Excel 格式（{type(e).__name__}）：请另存为 .xlsx 后重试"
        raise _refuse(path, what) from None
    ws = wb[SHEET_TITLE] if SHEET_TITLE in wb.sheetnames else wb.worksheets[0]
    return wb, ws


def _sheet_rows(path: Path) -> tuple[str, list[tuple[Any, ...]]]:
    from xxgk.ledger.xlsx.sheet import UnreadSheet, sheet_rows

    check_package(path)
    try:
        return sheet_rows(path, SHEET_TITLE)  # fast: lxml for the rows
    except UnreadSheet:
        pass  # something it does not expect: openpyxl reads the file and words any error
    wb, ws = _open_sheet(path)
    try:
        return str(ws.title), [tuple(cells) for cells in ws.iter_rows(values_only=True)]
    except Exception as e:  # damaged sheet XML is parsed lazily, row by row
        what = f"工作表内容已损坏（{type(e).__name__}）：请用 Excel 或 WPS 打开后另存为 .xlsx 再导入"
        raise _refuse(path, what) from None
    finally:
        wb.close()


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


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and v.strip() == "")


# group → [(instance, positions of its columns in the row)], in instance order.
GroupSlots = dict[str, list[tuple[int, tuple[int, ...]]]]


def group_slots(slots: Sequence[_Slot]) -> GroupSlots:
    out: dict[str, dict[int, list[int]]] = {}
    for s in slots:
        if s.column.group is not None:
            out.setdefault(s.column.group, {}).setdefault(s.instance, []).append(s.index)
    return {g: [(i, tuple(ix)) for i, ix in sorted(by.items())] for g, by in out.items()}


class _Reader:
    """Reads the cells of one data row by field, remembering which slot each value came from, and collects
    every problem of the row (a bad cell gives None and a problem; the row goes on being read)."""

    def __init__(
        self, cells: Sequence[Any], slots: Sequence[_Slot], today: date | None = None, groups: GroupSlots | None = None
    ) -> None:
        self.cells = cells
        self.by_key = {(s.column.field, s.instance): s for s in slots}
        self.groups = groups if groups is not None else group_slots(slots)
        self.today = today
        self.problems: list[tuple[_Slot | None, str]] = []
        self.bad: set[tuple[str, int]] = set()

    def fail(self, slot: _Slot | None, message: str) -> None:
        self.problems.append((slot, message))

    def slot(self, fld: str, instance: int = 1) -> _Slot | None:
        return self.by_key.get((fld, instance))

    def raw(self, fld: str, instance: int = 1) -> Any:
        s = self.slot(fld, instance)
        return self.cells[s.index] if s is not None and s.index < len(self.cells) else None

    def blank(self, fld: str, instance: int = 1) -> bool:
        """Nothing written in the cell (a cell with a bad value is not blank)."""
        return _blank(self.raw(fld, instance))

    def get(self, fld: str, instance: int = 1) -> Any:
        s = self.slot(fld, instance)
        raw = self.raw(fld, instance)
        column = BY_FIELD[fld]
        parser = {"date": parse_date, "int": parse_int, "amount": parse_amount, "text": parse_text}[column.kind]
        try:
            value = parser(raw)
        except LedgerError as e:
            self.bad.add((fld, instance))
            self.fail(s, e.message)
            return None
        if isinstance(value, date) and self.today is not None and fld not in FUTURE_ALLOWED:
            problem = future_problem(value, self.today, "")
            if problem:
                self.bad.add((fld, instance))
                self.fail(s, problem)
                return None
        return value

    def choice(self, fld: str, choices: Choices, instance: int = 1) -> str | None:
        text = self.get(fld, instance)
        if not text:
            return None
        try:
            return choices.parse(text)
        except LedgerError as e:
            self.bad.add((fld, instance))
            self.fail(self.slot(fld, instance), e.message)
            return None

    def instances(self, group: str) -> list[int]:
        """Instance numbers of a group that have any value in this row, in order."""
        n = len(self.cells)
        return [
            i for i, indexes in self.groups.get(group, ()) if any(j < n and not _blank(self.cells[j]) for j in indexes)
        ]

    def empty(self) -> bool:
        return all(
            _blank(self.cells[s.index])
            for s in self.by_key.values()
            if not s.column.derived and s.index < len(self.cells)
        )

    def need(self, fld: str, instance: int, because: str) -> None:
        """A value of `fld` is missing while `because` (another column) is filled: a problem, unless the
        missing cell is filled with something unreadable (already reported)."""
        if (fld, instance) in self.bad:
            return
        what = BY_FIELD[fld].header
        slot = self.slot(fld, instance)
        if slot is None:
            self.fail(self.slot(because, instance) or self.slot(because), f"填写了此列，但表中没有「{what}」列")
        else:
            self.fail(slot, f"缺少{what}（已填写「{self.header_of(because, instance)}」）")

    def required(self, fld: str, message: str) -> None:
        if self.blank(fld):
            self.fail(self.slot(fld), message)

    def header_of(self, fld: str, instance: int = 1) -> str:
        s = self.slot(fld, instance) or self.slot(fld)
        return s.header if s else BY_FIELD[fld].header


# An event with the slot (column) whose value it carries, for attributing the core's objections.
Sourced = tuple[Event, str, int]


def _received(r: _Reader, keys: LedgerKeys) -> Received | None:
    """The Received event of the row, or None when a receipt column is missing or bad (problems recorded)."""
    r.required("applicant", "申请人不能为空")
    r.required("applicant_type", "申请人类型不能为空")
    r.required("received_on", "收到日期不能为空")
    r.required("channel", "申请方式不能为空")
    applicant = r.get("applicant")
    applicant_type = r.choice("applicant_type", applicant_choices(keys.format_id))
    received_on = r.get("received_on")
    channel = None
    if not r.blank("channel"):
        try:
            channel = parse_channel_value(r.get("channel"))
        except LedgerError as e:
            r.fail(r.slot("channel"), e.message)
    submitted = r.get("submitted_on")
    if not (applicant and applicant_type and received_on and channel):
        return None
    if channel.needs_confirmation:
        arrived = submitted or received_on
        if arrived > received_on:
            r.fail(r.slot("submitted_on"), f"提交日期{arrived}晚于收到（确认）日期{received_on}")
            return None
        return Received(arrived, channel, applicant, applicant_type, received_on, r.get("subject"))
    if submitted is not None and submitted != received_on:
        r.fail(
            r.slot("submitted_on"),
            f"{channel.label_zh}的申请以提交（签收）之日为收到日期（第三十一条），提交日期应与收到日期{received_on}相同",
        )
        return None
    return Received(received_on, channel, applicant, applicant_type, None, r.get("subject"))


def _row_events(r: _Reader, keys: LedgerKeys) -> tuple[str | None, Received | None, list[Sourced]]:
    """The number, the Received event and the other events of a row, in replay order (dates unsorted).
    Problems are collected in `r.problems`; the events of a row with problems are not to be replayed."""
    number = r.get("number") or None
    received = _received(r, keys)
    events: list[Sourced] = []

    def dated(fld: str, instance: int = 1) -> date | None:
        return r.get(fld, instance)  # type: ignore[no-any-return]

    def only_with(date_field: str, *details: str, instance: int = 1) -> bool:
        """Detail columns need their date column; False (problems recorded) when they lack it."""
        if dated(date_field, instance) is not None:
            return True
        for d in details:
            if not r.blank(d, instance):
                r.need(date_field, instance, d)
                break
        return False

    # 补正
    only_with("correction_requested_on", "correction_reply_by")
    if (d := dated("correction_requested_on")) is not None:
        events.append((CorrectionRequested(d, reply_by=dated("correction_reply_by")), "correction_requested_on", 1))
    if (d := dated("correction_received_on")) is not None:
        events.append((CorrectionReceived(d), "correction_received_on", 1))
    if (d := dated("correction_lapsed_on")) is not None:
        events.append((CorrectionLapsed(d), "correction_lapsed_on", 1))
    # 征求意见
    parties = party_choices()
    for n, i in enumerate(r.instances("consultation"), start=1):
        if not only_with("consultation_sent_on", "consultation_party", "consultation_answered_on", instance=i):
            continue
        sent = dated("consultation_sent_on", i)
        assert sent is not None
        party = r.choice("consultation_party", parties, i) if not r.blank("consultation_party", i) else "third_party"
        if party is None:
            continue
        events.append((ConsultationSent(sent, party=party, ref=str(n)), "consultation_sent_on", i))  # type: ignore[arg-type]
        if (d := dated("consultation_answered_on", i)) is not None:
            events.append((ConsultationAnswered(d, ref=str(n)), "consultation_answered_on", i))
    # 延期
    for i in r.instances("extension"):
        if not only_with("extension_on", "extension_days", instance=i):
            continue
        on = dated("extension_on", i)
        assert on is not None
        days = r.get("extension_days", i)
        events.append((ExtensionApproved(on, days=20 if days is None else days), "extension_on", i))
    # 收费
    fee_details = ("fee_method", "fee_pages", "fee_amount", "fee_paid_on", "fee_not_paid_on")
    if only_with("fee_notice_on", *fee_details):
        d = dated("fee_notice_on")
        assert d is not None
        pages = r.get("fee_pages")
        method = r.choice("fee_method", method_choices())
        if method is None and r.blank("fee_method"):
            method = "per_page" if pages is not None else "per_request"
        amount = r.get("fee_amount")
        if amount is None and r.blank("fee_amount"):
            if method == "per_page" and pages is not None:
                amount = Decimal(per_page_fee(pages))
            elif method is not None:
                r.need("fee_amount", 1, "fee_notice_on")
        if method is not None and amount is not None:
            notice = FeeNoticeIssued(d, amount=amount, method=method, pages=pages)  # type: ignore[arg-type]
            events.append((notice, "fee_notice_on", 1))
        if (d := dated("fee_paid_on")) is not None:
            events.append((FeePaid(d), "fee_paid_on", 1))
        if (d := dated("fee_not_paid_on")) is not None:
            events.append((FeeNotPaid(d), "fee_not_paid_on", 1))
    # 答复 (a reply type of 逾期不补正 / 逾期未缴费 stands for the event of its own)
    outcome = r.choice("outcome", outcome_choices(keys.format_id))
    replied_on = dated("replied_on")
    if replied_on is not None and outcome is None and r.blank("outcome"):
        r.need("outcome", 1, "replied_on")
    if outcome is not None and replied_on is None and r.blank("replied_on"):
        r.need("replied_on", 1, "outcome")
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
        if not only_with("review_filed_on", "review_result", "review_decided_on", instance=i):
            continue
        filed = dated("review_filed_on", i)
        assert filed is not None
        events.append((ReviewFiled(filed, ref=str(n)), "review_filed_on", i))
        _decision(r, events, "review", i, str(n), results)
    for n, i in enumerate(r.instances("litigation"), start=1):
        details = ("litigation_kind", "litigation_result", "litigation_decided_on")
        if not only_with("litigation_filed_on", *details, instance=i):
            continue
        filed = dated("litigation_filed_on", i)
        assert filed is not None
        kind = r.choice("litigation_kind", litigation_choices(keys.format_id), i)
        if kind is None and not r.blank("litigation_kind", i):
            continue
        after_review = bool(reviews) if kind is None else kind == K.LITIGATION_AFTER_REVIEW_GROUP
        events.append((LitigationFiled(filed, after_review=after_review, ref=str(n)), "litigation_filed_on", i))
        _decision(r, events, "litigation", i, str(n), results)
    return number, received, events


def _decision(r: _Reader, events: list[Sourced], group: str, i: int, ref: str, results: Choices) -> None:
    result_field, decided_field = f"{group}_result", f"{group}_decided_on"
    text = r.get(result_field, i)
    decided = r.get(decided_field, i)
    if text and is_pending(text):
        if decided is not None:
            r.fail(r.slot(result_field, i), f"结果为「{text}」，却填写了{r.header_of(decided_field, i)}")
        return
    result = r.choice(result_field, results, i) if text else None
    if decided is None and result is None:
        if text and r.blank(decided_field, i):
            r.need(decided_field, i, result_field)
        return
    if decided is None:
        if r.blank(decided_field, i):
            r.need(decided_field, i, result_field)
        return
    if result is None:
        if not text:
            r.need(result_field, i, decided_field)
        return
    cls = ReviewDecided if group == "review" else LitigationDecided
    events.append((cls(decided, result=result, ref=ref), decided_field, i))


def _replay(
    number: str | None, row: int, received: Received, events: list[Sourced], r: _Reader, calendar: WorkCalendar | None
) -> Case | None:
    """Replay through the core in date order (ties in column order): the first event the core refuses is
    reported at its own column (the later ones depend on it, so the replay stops there)."""
    case_id = number or f"（第{row}行）"
    ordered = sorted(events, key=lambda ev: ev[0].on)
    # Fast path: one fold of the whole row. Event by event (a fold each) only to find the column at fault,
    # or when an event depends on the calendar (逾期未缴费 before the payment window ends).
    if calendar is None or not any(isinstance(e, FeeNotPaid) for e, _, _ in ordered):
        try:
            return Case(case_id, (received, *(e for e, _, _ in ordered)))
        except LedgerError:
            pass
    try:
        case = Case.open(case_id, received)
    except LedgerError as e:
        r.fail(r.slot("received_on"), e.message.removeprefix(f"案件{case_id}："))
        return None
    for event, fld, instance in ordered:
        try:
            case = case.append(event, calendar=calendar)
        except LedgerError as e:
            r.fail(r.slot(fld, instance), e.message.removeprefix(f"案件{case_id}："))
            return None
    return case


def read_workbook(
    path: str | Path,
    *,
    calendar: WorkCalendar | None = None,
    keys: LedgerKeys | None = None,
    today: date | None = None,
) -> ImportPlan:
    """Read and validate a 台账 (no storage). Raises XlsxImportError listing every problem, or returns the plan.
    With a calendar, events that depend on a deadline (逾期未缴费 before the payment window ends) are checked;
    with `today`, a date after it is a problem (a mistyped year, usually)."""
    keys = keys or ledger_keys()
    path = Path(path)
    sheet, rows = _sheet_rows(path)
    header_row, slots, ignored = _find_header(rows)
    problems = _check_header(header_row, slots)
    if problems:
        raise XlsxImportError(problems, path=str(path))
    plan_rows: list[ImportRow] = []
    numbers: dict[str, int] = {}
    groups = group_slots(slots)
    for n, cells in enumerate(rows[header_row:], start=header_row + 1):
        r = _Reader(cells, slots, today, groups)
        if r.empty():
            continue
        number, received, events = _row_events(r, keys)
        if number is not None and number in numbers:
            r.fail(r.slot("number"), f"案件编号{number}与第{numbers[number]}行重复")
        replayed = None
        if received is not None and not r.problems:
            replayed = _replay(number, n, received, events, r, calendar)
        for s, message in r.problems:
            problems.append(Problem(n, message, s.letter if s else "", s.header if s else ""))
        if number is not None and number not in numbers:
            numbers[number] = n
        if replayed is not None and not r.problems:
            plan_rows.append(ImportRow(n, number, replayed.events, replayed))
    if problems:
        raise XlsxImportError(problems, path=str(path))
    number_slot = next((s for s in slots if s.column.field == "number"), None)
    number_column = (number_slot.letter, number_slot.header) if number_slot else None
    return ImportPlan(sheet, header_row, tuple(plan_rows), tuple(ignored), number_column)


def write_rows(store: LedgerStore, plan: ImportPlan, *, source: str = "") -> list[str]:
    """Store every case of `plan` in one transaction of bulk inserts, after the last checks that need the
    store (numbers already taken). All or nothing: any problem raises XlsxImportError and nothing is written.
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
    numbers = assign_numbers([(r.events[0].on.year, r.number) for r in plan.rows], taken)
    cases = [(number, r.case) for r, number in zip(plan.rows, numbers, strict=True)]
    store.import_cases(cases, source=source)
    return numbers


__all__ = [
    "ImportPlan",
    "ImportRow",
    "Problem",
    "XlsxImportError",
    "check_package",
    "read_workbook",
    "write_rows",
]
