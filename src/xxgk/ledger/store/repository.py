"""The ledger store: rows ↔ core events, every append validated by the core, every write audited.

Import this module only after `bootstrap.connect()` (it imports the models). A `LedgerStore` works on one
database alias and one agency; `transaction()` is the unit of work (the CLI runs one per command). An
event the core rejects raises `LedgerError` before anything is written, so it leaves no row and no
audit entry; inside an enclosing transaction it is rolled back to a savepoint.
"""

from __future__ import annotations

import getpass
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.utils import OperationalError, ProgrammingError
from django.utils import timezone

from xxgk.ledger.calendar import WorkCalendar, load_calendar
from xxgk.ledger.case import Case, CaseState, Proceeding
from xxgk.ledger.errors import LedgerError
from xxgk.ledger.events import Event, Received, Voided, event_from_dict
from xxgk.ledger.numbering import check_number, next_number
from xxgk.ledger.store import models as m
from xxgk.ledger.store.agenda import DeadlineColumns, deadline_columns
from xxgk.ledger.store.bootstrap import DatabaseTarget, check_integrity, connect, is_migrated, migrate, schema_lock
from xxgk.ledger.store.errors import StoreError


def default_user() -> str:
    try:
        return getpass.getuser() or "unknown"
    except (KeyError, OSError):  # no passwd entry (containers) and no LOGNAME/USER
        return "unknown"


# Rows per INSERT statement of a bulk insert (SQLite allows 32,766 variables per statement; an event row
# has 7 columns).
BULK_BATCH = 500
# Version of the way the deadline columns of a case are computed: raising it makes every ledger recompute
# them on first use (as a new calendar does).
DEADLINES_VERSION = 1
# The deadline columns of m.Case, in DeadlineColumns order.
DEADLINE_FIELDS = ("due_on", "due_what", "notice_due_on", "reply_due_on", "deadlines_known")


def proceedings_value(state: CaseState) -> list[list[Any]] | None:
    """The case's 复议/诉讼 as the `proceedings` column holds them (None: none)."""
    if not state.proceedings:
        return None
    return [
        [p.group, p.ref, p.filed_on.isoformat(), p.decided_on.isoformat() if p.decided_on else None, p.result]
        for p in state.proceedings
    ]


def proceeding_from_value(value: Sequence[Any]) -> Proceeding:
    group, ref, filed_on, decided_on, result = value
    decided = date.fromisoformat(decided_on) if decided_on else None
    return Proceeding(group, ref, date.fromisoformat(filed_on), decided, result)


# ---------------------------------------------------------------------------------------------
# Rows ↔ core events


def event_payload(event: Event) -> tuple[str, date, dict[str, Any]]:
    """(kind, on, payload): the columns of an event row. The payload is JSON (dates ISO, amounts text)."""
    data = event.to_dict()
    kind, _ = data.pop("kind"), data.pop("on")
    return kind, event.on, data


def row_event(kind: str, on: date, payload: dict[str, Any]) -> Event:
    return event_from_dict({**payload, "kind": kind, "on": on.isoformat()})


@dataclass(frozen=True)
class EventRecord:
    """A stored event with who recorded it and when; `voided_by` is the seq of the Voided event, if any."""

    seq: int
    event: Event
    recorded_at: datetime
    recorded_by: str
    voided_by: int | None = None


@dataclass(frozen=True)
class StoredCase:
    number: str
    case: Case
    channel: str
    subject: str
    created_at: datetime
    created_by: str
    records: tuple[EventRecord, ...]

    @property
    def state(self) -> CaseState:
        return self.case.state


@dataclass(frozen=True)
class AuditRecord:
    at: datetime
    user: str
    action: str
    case: str | None
    event_seq: int | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class DeadlineChange:
    """An open case whose deadlines moved when they were recomputed (a new calendar)."""

    number: str
    before: DeadlineColumns
    after: DeadlineColumns


def _build_case(number: str, rows: Sequence[tuple[str, date, dict[str, Any]]]) -> Case:
    """The case from its (kind, on, payload) rows in recording order."""
    try:
        return Case(number, tuple(row_event(kind, on, payload) for kind, on, payload in rows))
    except LedgerError as e:  # stored data the core no longer accepts: never silently skip a case
        raise StoreError(f"台账中的案件{number}无法读取：{e.message}") from None


# ---------------------------------------------------------------------------------------------
# The store


class LedgerStore:
    """The cases of one agency in one database. Methods that write run in `transaction()`."""

    def __init__(
        self,
        target: DatabaseTarget,
        alias: str,
        agency: Any,
        user: str | None = None,
        calendar: WorkCalendar | None = None,
    ) -> None:
        self.target = target
        self.alias = alias
        self._agency = agency
        self.user = user or default_user()
        self._calendar = calendar

    @property
    def agency(self) -> str:
        return str(self._agency.name)

    @property
    def agency_id(self) -> int:
        return int(self._agency.pk)

    @property
    def calendar(self) -> WorkCalendar:
        if self._calendar is None:
            self._calendar = load_calendar()
        return self._calendar

    @property
    def deadlines_key(self) -> str:
        """What the stored deadline columns must have been computed with to be current."""
        return f"{DEADLINES_VERSION}:{self.calendar.fingerprint}"

    def case_rows(self) -> Any:
        """The agency's case rows (a QuerySet), for the readers that count and list from the columns."""
        return m.Case.objects.using(self.alias).filter(agency=self._agency)

    def event_rows(self) -> Any:
        """The agency's event rows (a QuerySet)."""
        return m.Event.objects.using(self.alias).filter(case__agency=self._agency)

    # --- transactions and audit ---------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One unit of work. The agency row is locked (PostgreSQL) so writers of one ledger take turns;
        SQLite transactions begin IMMEDIATE and wait up to the busy timeout for another writer."""
        with transaction.atomic(using=self.alias):
            conn = transaction.get_connection(self.alias)
            if conn.vendor != "sqlite" and len(conn.atomic_blocks) == 1:
                list(m.Agency.objects.using(self.alias).select_for_update().filter(pk=self._agency.pk).values("pk"))
            yield

    def _audit(self, action: str, *, case: Any = None, seq: int | None = None, detail: dict[str, Any]) -> None:
        m.AuditEntry.objects.using(self.alias).create(
            agency=self._agency,
            at=timezone.now(),
            user=self.user,
            action=action,
            case=case,
            event_seq=seq,
            detail=detail,
        )

    # --- writing ------------------------------------------------------------------------------

    def open_case(self, received: Received, number: str | None = None) -> Case:
        """Register a new request (its `Received` event); `number` defaults to <year>-<nnnn>."""
        with self.transaction():
            if number is not None:
                try:
                    number = check_number(number)
                except LedgerError as e:
                    raise StoreError(e.message) from None
            else:
                number = self._next_number(received.on.year)
            case = Case.open(number, received)  # validates (applicant type, receipt date…)
            cases = m.Case.objects.using(self.alias)
            if cases.filter(agency=self._agency, number=number).exists():
                raise StoreError(f"案件编号{number}已存在")
            now = timezone.now()
            row = cases.create(
                agency=self._agency,
                number=number,
                applicant=received.applicant,
                subject=received.subject,
                created_at=now,
                created_by=self.user,
                updated_at=now,
                **self._projection(case),
            )
            self._insert_event(row, 0, received, now)
            self._audit("open_case", case=row, seq=0, detail=received.to_dict())
            return case

    def record(self, number: str, event: Event) -> Case:
        """Append `event` to case `number` once the core accepts it (with the calendar, so that e.g. 逾期未缴费
        before the payment window ends is refused)."""
        if isinstance(event, Received):
            raise LedgerError(f"案件{number}：「收到申请」只能在登记新案件时记录（xxgk ledger add）")
        with self.transaction():
            row, case = self._load(number)
            new = case.append(event, calendar=self.calendar)
            seq = len(case.events)
            now = timezone.now()
            self._insert_event(row, seq, event, now)
            projection = self._projection(new)
            for name, value in {**projection, "updated_at": now}.items():
                setattr(row, name, value)
            row.save(using=self.alias, update_fields=[*projection, "updated_at"])
            self._audit("record_event", case=row, seq=seq, detail=event.to_dict())
            return new

    def import_cases(self, cases: Sequence[tuple[str, Case]], *, source: str = "") -> None:
        """Store cases the core has already validated (an import) under the given numbers, in one transaction
        of bulk inserts: the case rows, their events and one audit row per event, then one for the import.
        Writers of other processes wait for this transaction only, not for the reading and checking that
        came before. A number already taken raises StoreError and nothing is written."""
        if not cases:
            return
        with self.transaction():
            numbers = [check_number(n) for n, _ in cases]
            existing = set(self.numbers())
            taken = existing & set(numbers)
            if taken or len(set(numbers)) != len(numbers):
                dup = sorted(taken) or sorted(n for n in set(numbers) if numbers.count(n) > 1)
                raise StoreError(f"案件编号已存在：{'、'.join(dup[:10])}；未导入任何内容")
            # Plain executemany with values adapted once by the backend's own adapters: the ORM's per-value
            # preparation costs more than the inserts themselves at this size.
            ops = transaction.get_connection(self.alias).ops
            at = ops.adapt_datetimefield_value(timezone.now())
            agency = self._agency.pk
            day = ops.adapt_datefield_value
            case_rows = []
            for number, c in cases:
                s = c.state
                first = c.events[0]
                due_on, due_what, notice_on, reply_on, known = self._deadlines(c)
                proceedings = proceedings_value(s)
                case_rows.append(
                    (
                        agency, number, s.applicant, s.applicant_type, s.channel,
                        first.subject if isinstance(first, Received) else "",
                        at, self.user, day(s.received_on), day(s.clock_start), s.status.value,
                        day(s.closed_on) if s.closed_on else None, s.outcome, len(c.events), at,
                        day(due_on) if due_on else None, due_what, day(notice_on) if notice_on else None,
                        day(reply_on) if reply_on else None, known,
                        None if proceedings is None else ops.adapt_json_value(proceedings, None),
                    )
                )  # fmt: skip
            case_fields = (
                "agency", "number", "applicant", "applicant_type", "channel", "subject", "created_at", "created_by",
                "received_on", "clock_start", "status", "closed_on", "outcome", "event_count", "updated_at",
                *DEADLINE_FIELDS, "proceedings",
            )  # fmt: skip
            self._insert_rows(m.Case, case_fields, case_rows)
            ids = dict(m.Case.objects.using(self.alias).filter(agency=self._agency).values_list("number", "id"))
            events: list[tuple[Any, ...]] = []
            audit: list[tuple[Any, ...]] = []
            for number, case in cases:
                pk = ids[number]
                for seq, event in enumerate(case.events):
                    data = event.to_dict()  # once: the audit row holds it whole, the event row without kind and on
                    payload = {k: v for k, v in data.items() if k not in ("kind", "on")}
                    events.append(
                        (pk, seq, data["kind"], day(event.on), ops.adapt_json_value(payload, None), at, self.user)
                    )
                    action = "open_case" if seq == 0 else "record_event"
                    audit.append((agency, at, self.user, action, pk, seq, ops.adapt_json_value(data, None)))
            self._insert_rows(m.Event, ("case", "seq", "kind", "on", "payload", "recorded_at", "recorded_by"), events)
            detail = ops.adapt_json_value({"file": source, "cases": len(cases), "events": len(events)}, None)
            audit.append((agency, at, self.user, "import", None, None, detail))
            audit_fields = ("agency", "at", "user", "action", "case", "event_seq", "detail")
            self._insert_rows(m.AuditEntry, audit_fields, audit)

    def _insert_rows(self, model: Any, fields: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        """INSERT adapted rows into `model`'s table in batches (inside the caller's transaction)."""
        conn = transaction.get_connection(self.alias)
        table = conn.ops.quote_name(model._meta.db_table)
        columns = ", ".join(conn.ops.quote_name(model._meta.get_field(f).column) for f in fields)
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        with conn.cursor() as cursor:
            for i in range(0, len(rows), BULK_BATCH):
                cursor.executemany(sql, rows[i : i + BULK_BATCH])

    def _insert_event(self, row: Any, seq: int, event: Event, now: datetime) -> None:
        kind, on, payload = event_payload(event)
        try:
            m.Event.objects.using(self.alias).create(
                case=row, seq=seq, kind=kind, on=on, payload=payload, recorded_at=now, recorded_by=self.user
            )
        except IntegrityError:  # another writer got there first (cannot happen under the locks; belt and braces)
            raise StoreError(f"案件{row.number}：另一进程同时登记了事件，请重试") from None

    def _projection(self, case: Case) -> dict[str, Any]:
        s = case.state
        return {
            **dict(zip(DEADLINE_FIELDS, self._deadlines(case), strict=True)),
            "proceedings": proceedings_value(s),
            "applicant_type": s.applicant_type,  # as corrected (更正)
            "channel": s.channel,
            "received_on": s.received_on,
            "clock_start": s.clock_start,
            "status": s.status.value,
            "closed_on": s.closed_on,
            "outcome": s.outcome,
            "event_count": len(case.events),
        }

    def _deadlines(self, case: Case) -> tuple[Any, ...]:
        d = deadline_columns(case.state, self.calendar)
        return (d.due_on, d.due_what, d.notice_due_on, d.reply_due_on, d.known)

    def _next_number(self, year: int) -> str:
        taken = (
            m.Case.objects.using(self.alias)
            .filter(agency=self._agency, number__startswith=f"{year}-")
            .values_list("number", flat=True)
        )
        return next_number(year, taken)

    # --- reading ------------------------------------------------------------------------------

    def _row(self, number: str) -> Any:
        try:
            return m.Case.objects.using(self.alias).get(agency=self._agency, number=number)
        except m.Case.DoesNotExist:
            raise StoreError(f"没有编号为{number}的案件（用 xxgk ledger list 查看）") from None

    def _load(self, number: str) -> tuple[Any, Case]:
        row = self._row(number)
        events = m.Event.objects.using(self.alias).filter(case=row).order_by("seq")
        return row, _build_case(row.number, list(events.values_list("kind", "on", "payload")))

    def case(self, number: str) -> Case:
        return self._load(number)[1]

    def get(self, number: str) -> StoredCase:
        """A case with its recording metadata (for display)."""
        row = self._row(number)
        rows = list(m.Event.objects.using(self.alias).filter(case=row).order_by("seq"))
        case = _build_case(row.number, [(r.kind, r.on, r.payload) for r in rows])
        voided_by = {e.target: i for i, e in enumerate(case.events) if isinstance(e, Voided)}
        records = tuple(
            EventRecord(r.seq, e, r.recorded_at, r.recorded_by, voided_by.get(r.seq))
            for r, e in zip(rows, case.events, strict=True)
        )
        return StoredCase(row.number, case, row.channel, row.subject, row.created_at, row.created_by, records)

    def numbers(self) -> list[str]:
        return list(m.Case.objects.using(self.alias).filter(agency=self._agency).values_list("number", flat=True))

    def cases(
        self,
        *,
        open_only: bool = False,
        year: int | None = None,
        applicant: str | None = None,
        numbers: Iterable[str] | None = None,
    ) -> list[Case]:
        """Cases in receipt order. `year`: received in that year, or open at some time in it."""
        qs = m.Case.objects.using(self.alias).filter(agency=self._agency)
        if open_only:
            qs = qs.exclude(status="closed")
        if year is not None:
            qs = qs.filter(received_on__lte=date(year, 12, 31)).exclude(closed_on__lt=date(year, 1, 1))
        if applicant is not None:
            qs = qs.filter(applicant=applicant)
        if numbers is not None:
            qs = qs.filter(number__in=list(numbers))
        rows = list(qs.order_by("received_on", "id").values_list("id", "number"))
        events: dict[int, list[tuple[str, date, dict[str, Any]]]] = defaultdict(list)
        ev = m.Event.objects.using(self.alias).filter(case__in=qs.values("id"))
        for case_id, kind, on, payload in ev.order_by("case_id", "seq").values_list("case_id", "kind", "on", "payload"):
            events[case_id].append((kind, on, payload))
        return [_build_case(number, events[pk]) for pk, number in rows]

    def states(self, **filters: Any) -> list[CaseState]:
        return [c.state for c in self.cases(**filters)]

    def case_info(self) -> dict[str, tuple[str, str]]:
        """number → (channel, subject) for every case (listing and export)."""
        rows = m.Case.objects.using(self.alias).filter(agency=self._agency).values_list("number", "channel", "subject")
        return {n: (c, s) for n, c, s in rows}

    def refresh_deadlines(self) -> list[DeadlineChange]:
        """Make the deadline columns current: when the calendar (a year added or changed) or the way they are
        computed differs from what they were computed with (a ledger upgraded from before these columns, too),
        recompute them, and the `proceedings` column, for every case. Returns the open cases whose deadlines
        moved (none when nothing had to be done). The readers of the columns call this first; after
        `xxgk calendar add` it is the list of cases to tell people about."""
        key = self.deadlines_key
        if self._agency.deadlines_key == key:
            return []
        with self.transaction():
            agencies = m.Agency.objects.using(self.alias).filter(pk=self._agency.pk)
            if agencies.values_list("deadlines_key", flat=True).get() == key:  # another process did it
                self._agency.deadlines_key = key
                return []
            columns = self.case_rows().values_list("id", "number", "status", "proceedings", *DEADLINE_FIELDS)
            stored = {n: (pk, status, p, DeadlineColumns(*values)) for pk, n, status, p, *values in columns}
            changes: list[DeadlineChange] = []
            updates: list[tuple[Any, ...]] = []
            ops = transaction.get_connection(self.alias).ops
            for case in self.cases():
                pk, status, proceedings, before = stored[case.id]
                after = deadline_columns(case.state, self.calendar)
                now = proceedings_value(case.state)
                if after == before and now == proceedings:
                    continue
                days = [ops.adapt_datefield_value(d) for d in (after.due_on, after.notice_due_on, after.reply_due_on)]
                value = None if now is None else ops.adapt_json_value(now, None)
                updates.append((days[0], after.due_what, days[1], days[2], after.known, value, pk))
                if status != "closed" and before.urgent(date.min) != after.urgent(date.min):
                    changes.append(DeadlineChange(case.id, before, after))
            if updates:
                conn = transaction.get_connection(self.alias)
                table = conn.ops.quote_name(m.Case._meta.db_table)
                assignments = ", ".join(f"{conn.ops.quote_name(f)} = %s" for f in (*DEADLINE_FIELDS, "proceedings"))
                with conn.cursor() as cursor:
                    cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", updates)
            agencies.update(deadlines_key=key)
            self._agency.deadlines_key = key
            return changes

    def audit(self, number: str | None = None) -> list[AuditRecord]:
        qs = m.AuditEntry.objects.using(self.alias).filter(agency=self._agency).select_related("case")
        if number is not None:
            qs = qs.filter(case=self._row(number))
        return [
            AuditRecord(a.at, a.user, a.action, a.case.number if a.case else None, a.event_seq, a.detail)
            for a in qs.order_by("id")
        ]


# ---------------------------------------------------------------------------------------------
# Opening a ledger


def _agencies(alias: str) -> list[Any]:
    return list(m.Agency.objects.using(alias).order_by("id"))


def _pick_agency(alias: str, name: str | None, target: DatabaseTarget) -> Any:
    agencies = _agencies(alias)
    if name is not None:
        for a in agencies:
            if a.name == name:
                return a
        known = "、".join(a.name for a in agencies) or "（无）"
        raise StoreError(f"台账 {target.display} 中没有机关「{name}」；已有：{known}")
    if not agencies:
        raise StoreError(f"台账 {target.display} 还没有机关：请运行 xxgk ledger init --agency 机关名称")
    if len(agencies) > 1:
        names = "、".join(a.name for a in agencies)
        raise StoreError(f"台账中有多个机关（{names}），请用 --agency 指定")
    return agencies[0]


def init_ledger(
    target: DatabaseTarget, *, agency: str | None, user: str | None = None, calendar: WorkCalendar | None = None
) -> LedgerStore:
    """Create or upgrade the ledger and register `agency`; safe to run from several processes at once (the
    migration and the agency row are made under `schema_lock`)."""
    alias = connect(target, create_dir=True)
    user = user or default_user()
    try:
        with schema_lock(alias, "xxgk_ledger"):
            check_integrity(alias, target.display)
            if not is_migrated(alias):
                migrate(alias)
            return _register_agency(target, alias, agency, user, calendar)
    except (OperationalError, ProgrammingError) as e:
        raise StoreError(f"无法打开台账数据库 {target.display}：{e}") from None


def _register_agency(
    target: DatabaseTarget, alias: str, agency: str | None, user: str, calendar: WorkCalendar | None
) -> LedgerStore:
    with transaction.atomic(using=alias):
        if agency is None:
            return LedgerStore(target, alias, _pick_agency(alias, None, target), user, calendar)
        agency = agency.strip()
        if not agency:
            raise StoreError("机关名称不能为空")
        row = m.Agency.objects.using(alias).filter(name=agency).first()
        if row is not None:
            return LedgerStore(target, alias, row, user, calendar)
        row = m.Agency(name=agency, created_at=timezone.now(), created_by=user)
        store = LedgerStore(target, alias, row, user, calendar)
        row.deadlines_key = store.deadlines_key  # no cases yet: nothing to recompute before the first list
        row.save(using=alias)
        store._audit("init", detail={"agency": agency, "database": target.display})
        return store


def open_ledger(
    target: DatabaseTarget, *, agency: str | None = None, user: str | None = None, calendar: WorkCalendar | None = None
) -> LedgerStore:
    alias = connect(target)
    check_integrity(alias, target.display)
    try:
        ready = is_migrated(alias)
    except (OperationalError, ProgrammingError) as e:
        raise StoreError(f"无法打开台账数据库 {target.display}：{e}") from None
    if not ready:
        raise StoreError(f"台账数据库 {target.display} 尚未初始化或需要升级：请运行 xxgk ledger init")
    return LedgerStore(target, alias, _pick_agency(alias, agency, target), user, calendar)


def refresh_every_agency(
    target: DatabaseTarget, alias: str, calendar: WorkCalendar | None = None
) -> list[tuple[str, DeadlineChange]]:
    """After a calendar change (`xxgk calendar add`, the web app's upload): every agency's deadline columns
    recomputed; (agency, change) for each open case whose deadlines moved."""
    moved: list[tuple[str, DeadlineChange]] = []
    for row in m.Agency.objects.using(alias).order_by("id"):
        store = LedgerStore(target, alias, row, "日历更新", calendar)
        moved += [(row.name, change) for change in store.refresh_deadlines()]
    return moved
