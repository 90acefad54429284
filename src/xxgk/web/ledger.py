"""The 依申请公开 ledger in the browser: the agency's store for a signed-in member, and what the case pages
show and do, through the ledger's own service (`xxgk.ledger.commands`, `caselist`, `letters`) — the same
functions as `xxgk ledger …`. Every refusal is the core's zh-CN message (`LedgerError`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied

from xxgk.ledger.case import Case, case_deadlines
from xxgk.ledger.commands import EVENT_OPTIONS, describe_event, open_case, received_event, record_event
from xxgk.ledger.deadlines import Channel
from xxgk.ledger.errors import CalendarError, LedgerError
from xxgk.ledger.keys import ledger_keys
from xxgk.ledger.store.agenda import DueItem, deadline_items
from xxgk.ledger.store.errors import StoreError
from xxgk.ledger.store.repository import LedgerStore, StoredCase
from xxgk.ledger.vocabulary import (
    applicant_choices,
    event_choices,
    method_choices,
    outcome_choices,
    party_choices,
    result_choices,
)
from xxgk.web.access import actor
from xxgk.web.models import OrganisationKind, Role

# The words of each event field on a form (the field names are the ones `record_event` takes).
FIELD_ZH = {
    "outcome": "答复结果",
    "reply_by": "补正期限",
    "party": "征求对象",
    "ref": "编号",
    "days": "延长的工作日数",
    "amount": "金额（元，不填按国办函〔2020〕109号计算）",
    "method": "计收方式",
    "pages": "页数",
    "result": "审结结果",
    "after_review": "经复议后起诉",
    "target": "作废第几条事件",
    "reason": "原因",
    "submitted_on": "收到日期（更正为）",
    "confirmed_on": "确认日期（更正为）",
    "channel": "申请方式",
    "applicant_type": "申请人类型",
}
DATE_FIELDS = frozenset({"reply_by", "submitted_on", "confirmed_on"})
# What the ledger refuses with (a zh-CN `.message`): the core's rules and the store's lookups.
REFUSALS = (LedgerError, StoreError)


def ledger_of(user: Any) -> LedgerStore:
    """The ledger of the user's agency (made on first use). Only an agency's members have one."""
    from xxgk.ledger.store import models as m

    who = actor(user)
    if who.organisation is None or who.organisation.kind != OrganisationKind.AGENCY:
        raise PermissionDenied("依申请公开台账属于机关：只有机关的填报人员和只读人员可以查看")
    name = who.organisation.name
    row = m.Agency.objects.filter(name=name).first()
    if row is None:
        from django.utils import timezone

        row = m.Agency.objects.create(name=name, created_at=timezone.now(), created_by=user.get_username())
    return LedgerStore(settings.TARGET, "default", row, user.get_username())


def may_edit(user: Any) -> bool:
    return actor(user).role in (Role.EDITOR, Role.ADMIN)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: str  # "date" | "text" | "number" | "select" | "checkbox" | "textarea"
    choices: tuple[Choice, ...] = ()
    required: bool = False


def _choices(labels: Mapping[str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(k, v) for k, v in labels.items())


def event_kinds() -> tuple[Choice, ...]:
    return _choices(event_choices().labels)


def channels() -> tuple[Choice, ...]:
    return tuple(Choice(c.value, c.label_zh) for c in Channel)


def applicant_types() -> tuple[Choice, ...]:
    return _choices(applicant_choices().labels)


def event_fields(kind: str) -> list[FormField]:
    """The fields the form of an event type asks for (those of the event besides its date)."""
    from xxgk.ledger.commands import REQUIRED_OPTIONS, event_type

    cls = event_type(kind)
    choices = {
        "outcome": outcome_choices().labels,
        "result": result_choices().labels,
        "party": party_choices().labels,
        "method": method_choices().labels,
        "applicant_type": applicant_choices().labels,
        "channel": {c.value: c.label_zh for c in Channel},
    }
    required = set(REQUIRED_OPTIONS.get(cls.kind, ()))
    out = []
    for f in dataclasses.fields(cls):
        if f.name == "on" or f.name not in EVENT_OPTIONS:
            continue
        if f.name in choices:
            field = FormField(f.name, FIELD_ZH[f.name], "select", _choices(choices[f.name]), f.name in required)
        elif f.name in DATE_FIELDS:
            field = FormField(f.name, FIELD_ZH[f.name], "date", (), f.name in required)
        elif f.name == "after_review":
            field = FormField(f.name, FIELD_ZH[f.name], "checkbox")
        elif f.name in ("days", "pages", "target"):
            field = FormField(f.name, FIELD_ZH[f.name], "number", (), f.name in required)
        else:
            field = FormField(f.name, FIELD_ZH[f.name], "text", (), f.name in required)
        out.append(field)
    return out


# The field of the new-case form a refusal is about, by the words the core's messages use for it (longest
# first: 申请人类型 before 申请人).
_FIELD_WORDS = (
    ("申请人类型", "applicant_type"),
    ("收到日期", "received"),
    ("确认日期", "confirmed"),
    ("申请方式", "channel"),
    ("申请人", "applicant"),
)


def field_of(message: str) -> str:
    """The form field a refusal concerns ("" when it is about the whole request): shown beside it."""
    return next((name for word, name in _FIELD_WORDS if word in message), "")


def new_case(store: LedgerStore, data: Mapping[str, str], today: date | None = None) -> Case:
    received = received_event(
        received=data.get("received", ""),
        applicant=data.get("applicant", ""),
        applicant_type=data.get("applicant_type", ""),
        channel=data.get("channel") or "当面",
        confirmed=data.get("confirmed") or None,
        subject=data.get("subject", ""),
        today=today or date.today(),
    )
    return open_case(store, received)


def add_event(store: LedgerStore, number: str, kind: str, data: Mapping[str, str], today: date | None = None) -> Case:
    """Record an event from a form's values (empty fields are "not given"; the checkbox is a flag)."""
    given: dict[str, Any] = {}
    for field in event_fields(kind):
        value = data.get(field.name)
        if field.kind == "checkbox":
            if value:
                given[field.name] = True
        elif value not in (None, ""):
            given[field.name] = int(value) if field.kind == "number" and str(value).isdigit() else value
    return record_event(store, number, kind, data.get("on") or None, given, today=today or date.today())


@dataclass(frozen=True)
class TimelineEntry:
    seq: int
    on: date
    label: str
    detail: str
    voided_by: int | None
    recorded_by: str
    recorded_at: Any


@dataclass(frozen=True)
class CountedDays:
    """How a deadline was counted: the working days from the start, the holidays skipped and the
    make-up working days (调休) counted, as people ask of a request-tracking system."""

    what: str
    start: date
    due: date
    working_days: int
    holidays: tuple[date, ...]
    makeup_days: tuple[date, ...]


@dataclass(frozen=True)
class CaseView:
    stored: StoredCase
    timeline: list[TimelineEntry]
    deadlines: list[DueItem]
    counted: list[CountedDays]
    problem: str  # why the deadlines cannot be computed ("" when they can)
    applicant_type: str
    channel: str
    outcome: str


def counted_days(store: LedgerStore, what: str, start: date, due: date) -> CountedDays:
    calendar = store.calendar
    holidays, makeup = [], []
    day = start
    while day < due:
        day = date.fromordinal(day.toordinal() + 1)
        workday = calendar.is_workday(day)
        if day.weekday() < 5 and not workday:
            holidays.append(day)
        elif day.weekday() >= 5 and workday:
            makeup.append(day)
    return CountedDays(what, start, due, calendar.workdays_between(start, due), tuple(holidays), tuple(makeup))


def case_view(store: LedgerStore, number: str, today: date | None = None) -> CaseView:
    today = today or date.today()
    stored = store.get(number)
    state = stored.state
    keys = ledger_keys()
    timeline = [
        TimelineEntry(r.seq, r.event.on, r.event.label_zh, describe_event(r.event), r.voided_by, r.recorded_by,
                      r.recorded_at)
        for r in stored.records
    ]  # fmt: skip
    items: list[DueItem] = []
    counted: list[CountedDays] = []
    problem = ""
    if not state.closed:
        try:
            dl = case_deadlines(state, store.calendar)
            items = deadline_items(state, dl, store.calendar, today)
            if dl.reply is not None:
                counted.append(counted_days(store, "答复期限", state.clock_start, dl.reply))
            if dl.correction_notice is not None:
                counted.append(counted_days(store, "补正通知期限", state.received_on, dl.correction_notice))
        except (CalendarError, LedgerError) as e:
            problem = e.message
    outcome = keys.row_label(state.outcome) if state.outcome else ""
    channel = next((c.label_zh for c in Channel if c.value == (state.channel or stored.channel)), state.channel)
    return CaseView(stored, timeline, items, counted, problem, keys.applicant_label(state.applicant_type), channel,
                    outcome)  # fmt: skip


def letter_choices() -> tuple[Choice, ...]:
    from xxgk.ledger.letters import letter_kinds

    return tuple(Choice(k.key, k.label_zh) for k in letter_kinds())


def letter_date(text: str) -> date | None:
    """The date typed for a letter (None: today), refused like every date the ledger takes."""
    from xxgk.ledger.dates import require_date

    return require_date(text, "文书日期") if text.strip() else None


def letter_templates(agency: str) -> Any:
    """The letter templates of one agency: its own folder `<letters>/<机关名称>/` (in `$XXGK_HOME/letters`
    or `$XXGK_LETTER_TEMPLATES`) over the packaged ones, else the installation's folder, else the packaged."""
    from xxgk.ledger.letters import TemplateSet
    from xxgk.ledger.letters.templates import default_user_dir

    base = default_user_dir()
    if base is not None and agency and "/" not in agency and agency not in (".", ".."):
        own = base / agency
        if own.is_dir():
            return TemplateSet(own)
    return TemplateSet()


def make_letter(
    store: LedgerStore, number: str, kind_key: str, fmt: str, *, on: date | None = None, record: bool = False
) -> tuple[bytes, str]:
    """The letter as DOCX or PDF bytes and its file name; `record`: its event goes on the case."""
    from xxgk.ledger.letters import kind_by_key, render_letter_docx, render_letter_pdf
    from xxgk.ledger.letters.service import letter_from_store, record_letter

    templates = letter_templates(store.agency)
    letter = letter_from_store(store, number, kind_by_key(kind_key), on=on, today=date.today(), templates=templates)
    data = render_letter_pdf(letter) if fmt == "pdf" else render_letter_docx(letter)
    if record:
        record_letter(store, letter)
    return data, letter.file_name(f".{fmt}")


def ledger_tables(store: LedgerStore, year: int) -> tuple[list[Any], list[str]]:
    """表三 and 表四 of `year` counted from the ledger, in the official layout, and the late replies."""
    from xxgk.ledger.commands import year_tables
    from xxgk.web.pages import shown_tables

    report, late = year_tables(store, year)
    cells = {key: (cell.value, str(cell.state), None, None) for key, cell in report.cells.items()}
    return shown_tables(report.spec_id, cells, only=("t3", "t4")), late


def cases_page(store: LedgerStore, data: Mapping[str, str]) -> tuple[Any, str]:
    """One page of the case list for a request's query, and the refusal of a bad filter ("" if none:
    the unfiltered list is shown with it)."""
    from xxgk.ledger.store.caselist import case_list

    try:
        return case_list(store, case_page_query(data)), ""
    except LedgerError as e:
        return case_list(store), e.message


def case_page_query(data: Mapping[str, str]) -> Any:
    """The case list's filters from a request's query (bad values are refused by `case_list`)."""
    from xxgk.ledger.store.caselist import CaseQuery

    def number(name: str) -> int | None:
        value = (data.get(name) or "").strip()
        return int(value) if value.isdigit() else None

    page = max(1, number("page") or 1)
    limit = 50
    return CaseQuery(
        status=tuple(s for s in [data.get("status") or ""] if s),
        applicant_type=data.get("applicant_type") or None,
        year=number("year"),
        search=data.get("q") or "",
        overdue=data.get("due") == "overdue",
        due_within=3 if data.get("due") == "soon" else None,
        order=data.get("order") or "received",
        offset=(page - 1) * limit,
        limit=limit,
    )


def statuses() -> tuple[Choice, ...]:
    from xxgk.ledger.case import Status

    return tuple(Choice(s.value, s.label_zh) for s in Status)


def export_ledger(store: LedgerStore, path: Any) -> int:
    """The agency's cases as the CLI's Excel 台账 (`xxgk ledger export`); returns how many."""
    from xxgk.ledger.xlsx import export_workbook, save_workbook

    cases = store.cases()
    save_workbook(export_workbook(cases, calendar=store.calendar), path)
    return len(cases)


@dataclass(frozen=True)
class Imported:
    cases: int
    events: int
    ignored_headers: tuple[str, ...]
    problems: tuple[str, ...]  # every bad cell, in Excel terms ("第3行 D列「收到日期」：…"); nothing written


def import_workbook(store: LedgerStore, path: Any, source: str) -> Imported:
    """The CLI's all-or-nothing import (`xxgk ledger import`): checked whole first, then written at once."""
    from xxgk.ledger.calendar import load_calendar
    from xxgk.ledger.xlsx import XlsxImportError, read_workbook, write_rows

    try:
        plan = read_workbook(path, calendar=load_calendar(), today=date.today())
    except XlsxImportError as e:
        return Imported(0, 0, (), tuple(p.describe() for p in e.problems))
    numbers = write_rows(store, plan, source=source)
    return Imported(len(numbers), plan.event_count, tuple(plan.ignored_headers), ())


def check_unchanged(store: LedgerStore, number: str, seen: str | None) -> None:
    """Optimistic locking of a case: refuse an event typed on a page that no longer shows the case as it
    is (someone recorded an event on it meanwhile), so nothing is recorded on a misread state."""
    if seen in (None, ""):
        return
    now = len(store.get(number).records)
    if str(now) != str(seen):
        raise LedgerError(
            "此案件刚被他人登记了新的事件（页面已过时）：您填写的内容仍在表单中，请查看最新办理过程后再提交"
        )


@dataclass(frozen=True)
class YearStatistics:
    year: int
    received: int
    replied: int
    median_days: float | None  # working days from the (corrected) receipt to the reply
    within: dict[int, float]  # 10/15/20 working days → share of replies
    late: int
    extended: int
    fees_cases: int
    fees_total: Any
    outcomes: list[tuple[str, int]]  # 表三 row label → cases


def statistics(store: LedgerStore, year: int) -> YearStatistics:
    """Time to reply, extensions, fees and outcomes of the requests answered in `year`."""
    from statistics import median

    from xxgk.ledger.case import late_reply_days

    calendar = store.calendar
    keys = ledger_keys()
    states = store.states(year=year)
    received = sum(1 for s in states if s.received_on.year == year)
    replied = [s for s in states if s.closed_by == "replied" and s.closed_on and s.closed_on.year == year]
    days = []
    for s in replied:
        assert s.closed_on is not None
        try:
            days.append(calendar.workdays_between(s.clock_start, s.closed_on))
        except CalendarError:
            continue
    within = {n: (sum(1 for d in days if d <= n) / len(days)) for n in (10, 15, 20)} if days else {}
    outcomes: dict[str, int] = {}
    for s in replied:
        label = keys.row_label(s.outcome) if s.outcome else "其他"
        outcomes[label] = outcomes.get(label, 0) + 1
    fees = [s.fee_amount for s in states if s.fee_notice_on and s.fee_notice_on.year == year and s.fee_amount]
    return YearStatistics(
        year,
        received,
        len(replied),
        float(median(days)) if days else None,
        within,
        sum(1 for s in replied if late_reply_days(s, calendar)),
        sum(1 for s in states if s.extension_days and s.received_on.year <= year),
        len(fees),
        sum(fees) if fees else 0,
        sorted(outcomes.items(), key=lambda kv: -kv[1]),
    )


def statistics_chart(stats: YearStatistics) -> bytes:
    """The outcomes of the year as a bar chart (PNG); XxgkError when matplotlib is not installed."""
    import io

    from xxgk.corpus.charts import pyplot

    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 3.6))
    labels = [label for label, _ in stats.outcomes] or ["（无）"]
    counts = [n for _, n in stats.outcomes] or [0]
    ax.barh(labels[::-1], counts[::-1], color="#1d4ed8")
    ax.set_title(f"{stats.year}年答复结果（件）")
    ax.xaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=110)
    plt.close(fig)
    return out.getvalue()


@dataclass(frozen=True)
class Reminder:
    agency: str
    due_soon: list[Any]  # CaseListRow
    overdue: list[Any]


def reminder_of(store: LedgerStore, today: date | None = None, within: int = 3) -> Reminder:
    """The agency's open cases due within `within` working days, and those overdue."""
    from xxgk.ledger.store.caselist import CaseQuery, case_list

    page = case_list(store, CaseQuery(due_within=within, order="due", limit=None), today=today)
    soon = [r for r in page.rows if not r.overdue]
    late = [r for r in page.rows if r.overdue]
    return Reminder(store.agency, soon, late)


def send_reminders(today: date | None = None) -> int:
    """The daily reminder of every agency: mailed to its members who have an e-mail address (Django's
    e-mail; the console backend unless configured). Returns the number of messages sent."""
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mail

    from xxgk.ledger.store import models as m
    from xxgk.web.models import Membership

    sent = 0
    for org in agency_organisations():
        row = m.Agency.objects.filter(name=org.name).first()
        if row is None:
            continue
        store = LedgerStore(settings.TARGET, "default", row, "提醒")
        try:
            reminder = reminder_of(store, today)
        except REFUSALS:
            continue
        if not reminder.due_soon and not reminder.overdue:
            continue
        users = (
            get_user_model()
            .objects.filter(pk__in=Membership.objects.filter(organisation=org).values("user_id"), is_active=True)
            .exclude(email="")
        )
        lines = [f"{org.name}依申请公开台账提醒："]
        lines += [f"已超期：{r.number} {r.applicant}（{r.due_what} {r.due_on}）" for r in reminder.overdue]
        lines += [f"即将到期：{r.number} {r.applicant}（{r.due_what} {r.due_on}，还剩{r.days_left}个工作日）"
                  for r in reminder.due_soon]  # fmt: skip
        recipients = [u.email for u in users]
        if recipients:
            subject = f"【依申请公开】{len(reminder.overdue)}件已超期，{len(reminder.due_soon)}件即将到期"
            send_mail(subject, "\n".join(lines), None, recipients)
            sent += 1
    return sent


def agency_organisations() -> list[Any]:
    from xxgk.web.models import Organisation

    return list(Organisation.objects.filter(kind=OrganisationKind.AGENCY))


def add_calendar_year(path: Any) -> tuple[Any, list[tuple[str, Any]]]:
    """Install a year's arrangement (as `xxgk calendar add`) and recompute every ledger's open cases:
    returns the arrangement and (agency, DeadlineChange) for each case whose deadline moved."""
    from xxgk.ledger.calendar import add_user_file, load_calendar
    from xxgk.ledger.store.repository import refresh_every_agency

    arrangement, _installed = add_user_file(path)
    return arrangement, refresh_every_agency(settings.TARGET, "default", load_calendar())


def cell_name(key: str) -> str:
    """表三「（一）予以公开」×「自然人」 for t3.granted.natural_person (the key itself when unknown)."""
    from xxgk.format import load_format

    spec = load_format()
    return spec.location_name(key) if key in spec.cells else key


def cases_in_cell(store: LedgerStore, year: int, key: str) -> list[str]:
    """The numbers of the cases a cell of 表三/表四 counts for `year`: each case's own contribution by the
    per-case counting (`tables.ledger_cells` of that case alone), the same counting as the table's."""
    from xxgk.ledger.tables import ledger_cells

    if not key.startswith(("t3.", "t4.")):
        return []
    found = []
    for state in store.states(year=year):
        value = ledger_cells([state], year).get(key)
        if value:
            found.append(state.case_id)
    return found
