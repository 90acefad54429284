"""Writing a batch of ingested files into the store, inside the caller's transaction.

The parent process of `xxgk corpus add` writes what its worker processes read, so its time per file
bounds the whole batch: it asks the database once per batch for what is already there (documents by
hash, agencies by name, the latest report of each agency and year) and writes the documents, reports,
cells and findings of the batch as bulk inserts, instead of a dozen ORM queries per file. The caller's
transaction keeps every file either fully stored or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connections
from django.utils import timezone

from xxgk.corpus import changes as changes_mod
from xxgk.corpus.agencies import AgencyName, normalise
from xxgk.corpus.ingest import Ingested
from xxgk.corpus.overrides import Override, Overrides
from xxgk.corpus.records import plain_number
from xxgk.corpus.store import models as m

CELL_FIELDS = ("report", "key", "value", "state", "raw", "provenance", "note", "unit")
FINDING_FIELDS = (
    "report",
    "agency",
    "year",
    "code",
    "severity",
    "location",
    "expected",
    "found",
    "params",
    "provenance",
    "message",
    "fingerprint",
)
# (level, region) of a new agency, from its normalised name and the user's entry
Placement = Callable[[AgencyName, Override | None], tuple[str, m.Region | None]]


@dataclass(frozen=True)
class Added:
    """What adding one file did: "added", "version" (a new version of a stored report), "copy" (the same
    report in another form), "unusable" (stored with its reason) or "known" (content already stored)."""

    status: str
    path: str
    agency: str | None = None
    year: int | None = None
    version: int = 0
    changes: dict[str, Any] | None = None
    error: str | None = None
    published: str | None = None


@dataclass
class _Latest:
    """The latest report of an agency and year: stored, or waiting in this batch (`pending`)."""

    version: int
    sections: dict[str, str]
    ident: int = 0  # (0 while pending)
    pending: m.Report | None = None

    @property
    def pk(self) -> int:
        return self.ident if self.pending is None else int(self.pending.pk)


@dataclass
class BatchWriter:
    alias: str
    overrides: Overrides
    placement: Placement
    agencies: dict[str, m.Agency] = field(default_factory=dict)
    latest: dict[tuple[int, int], _Latest] = field(default_factory=dict)
    pending: list[tuple[m.Report, Ingested]] = field(default_factory=list)

    def write(self, items: list[Ingested], stored: list[str]) -> list[Added]:
        db = self.alias
        hashes = [i.sha256 for i in items]
        seen = set(m.Document.objects.using(db).filter(sha256__in=hashes).values_list("sha256", flat=True))
        documents: list[tuple[Ingested, m.Document]] = []
        out: list[Added | None] = []
        for item, where in zip(items, stored, strict=True):
            if item.sha256 in seen:
                out.append(Added("known", item.path))
                continue
            seen.add(item.sha256)
            documents.append((item, _document(item, where)))
            out.append(None)
        m.Document.objects.using(db).bulk_create([d for _, d in documents])
        usable = [(item, d) for item, d in documents if item.usable]
        self._load([item for item, _ in usable])
        added = iter([self._add(item, document) for item, document in documents])
        self.flush()
        return [a if a is not None else next(added) for a in out]

    def _load(self, items: list[Ingested]) -> None:
        """The agencies these files name and the latest report of each of their years, as stored."""
        db = self.alias
        keys = {self._key(i.agency)[0] for i in items if i.agency}
        query = m.Agency.objects.using(db).select_for_update().filter(key__in=keys)
        self.agencies = {a.key: a for a in query}
        years = {i.year for i in items if i.year is not None}
        ids = [a.pk for a in self.agencies.values()]
        if not ids or not years:
            return
        reports = (
            m.Report.objects.using(db)
            .select_for_update()
            .filter(agency_id__in=ids, year__in=years, latest=True)
            .order_by("-id")  # (of two, the first stored stands, as `.first()` chose)
            .values_list("id", "agency_id", "year", "version", "sections")
        )
        for ident, agency_id, year, version, sections in reports:
            self.latest[(agency_id, year)] = _Latest(version, sections, ident)

    def _key(self, printed: str) -> tuple[str, Override | None]:
        name = normalise(printed).key
        override = self.overrides.find(printed, name)
        return (override.name if override else name), override

    def _agency(self, printed: str) -> m.Agency:
        key, override = self._key(printed)
        agency = self.agencies.get(key)
        if agency is None:
            name = normalise(printed)
            level, region = self.placement(normalise(key), override)
            agency = m.Agency.objects.using(self.alias).create(
                key=key,
                names=[printed],
                kind=str(name.kind),
                level=level,
                region=region,
                resolved=region is not None and region.code is not None and level != "unknown",
            )
            self.agencies[key] = agency
        elif printed not in agency.names:
            agency.names = [*agency.names, printed]
            agency.save(using=self.alias, update_fields=["names"])
        return agency

    def _add(self, item: Ingested, document: m.Document) -> Added:
        if not item.usable:
            return Added("unusable", item.path, error=item.error)
        db = self.alias
        agency = self._agency(item.agency) if item.agency else None
        version, latest, change_json, status = 1, True, {}, "added"
        slot = (agency.pk, item.year) if agency is not None and item.year is not None else None
        previous = self.latest.get(slot) if slot else None
        if previous is not None:
            if previous.pending is not None:
                self.flush()  # (its cells are compared below, and its id named)
            rows = m.Cell.objects.using(db).filter(report_id=previous.pk).values_list("key", "value")
            before = {key: plain_number(value) for key, value in rows}
            after = {key: plain_number(value) for key, value, *_ in item.cells}
            found = changes_mod.diff(before, after, previous.sections, item.sections)
            if found.none:
                # The same report in another form: the form that read more cells stands for the version.
                version, status = previous.version, "copy"
                latest = _read_count(after) > _read_count(before)
                change_json = {"copy_of": previous.pk}
            else:
                version, status = previous.version + 1, "version"
                change_json = {**found.to_json(), "previous": previous.pk, "previous_version": previous.version}
            if latest:
                m.Report.objects.using(db).filter(pk=previous.pk).update(latest=False)
        report = m.Report(
            document=document,
            agency=agency,
            agency_printed=(item.agency or "")[:200],
            year=item.year,
            spec_id=item.spec_id,
            format_version=item.format_version,
            title=item.title or "",
            published_on=item.published_on,
            version=version,
            latest=latest,
            changes=change_json,
            sections=item.sections,
            errors=sum(1 for f in item.findings if f["severity"] == "error"),
            warnings=sum(1 for f in item.findings if f["severity"] == "warning"),
        )
        self.pending.append((report, item))
        if slot is not None and latest:
            self.latest[slot] = _Latest(version, item.sections, pending=report)
        published = item.published_on.isoformat() if item.published_on else None
        return Added(
            status, item.path, agency.key if agency else None, item.year, version, change_json, None, published
        )

    def flush(self) -> None:
        """Insert the reports waiting, then all their cells and findings (one statement each)."""
        if not self.pending:
            return
        m.Report.objects.using(self.alias).bulk_create([r for r, _ in self.pending])
        for entry in self.latest.values():
            if entry.pending is not None:
                entry.ident, entry.pending = int(entry.pending.pk), None
        # (cells and findings are many small rows: written by executemany, not as model instances, which
        # would cost the parent process ~40 ms a report and leave the worker processes waiting)
        reports = [(int(report.pk), report.agency_id, item) for report, item in self.pending]
        cells = [(pk, *cell) for pk, _, item in reports for cell in item.cells]
        findings = [_finding_row(pk, agency, item, f) for pk, agency, item in reports for f in item.findings]
        insert_rows(self.alias, m.Cell, CELL_FIELDS, cells)
        insert_rows(self.alias, m.Finding, FINDING_FIELDS, findings)
        self.pending = []


def insert_rows(alias: str, model: Any, fields: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Rows of `model` (its fields' column values, JSON as text) in one `executemany`."""
    if not rows:
        return
    connection = connections[alias]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _document(item: Ingested, stored: str) -> m.Document:
    source = item.source
    return m.Document(
        sha256=item.sha256,
        path=item.path,
        stored=stored,
        size=item.size,
        suffix=item.suffix[:16],
        source_url=source.url,
        retrieved_at=_aware(source.retrieved_at),
        source_published_at=_aware(source.published_at),
        added_at=timezone.now(),
        usable=item.usable,
        error_code=item.error_code or "",
        error=item.error or "",
        notes=item.notes,
    )


def _finding_row(pk: int, agency: int | None, item: Ingested, f: dict[str, Any]) -> tuple[Any, ...]:
    return (
        pk,
        agency,
        item.year,
        f["code"],
        f["severity"],
        f["location"][:120],
        json_text(f["expected"]),
        json_text(f["found"]),
        json_text(f["params"]),
        json_text(f["provenance"]),
        f["message"],
        f["fingerprint"],
    )


def json_text(value: Any) -> str | None:
    """A JSONField's column value as Django would write it (None: SQL NULL, as for a null field)."""
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _read_count(cells: dict[str, Any]) -> int:
    return sum(1 for v in cells.values() if v is not None)


def _aware(value: datetime | None) -> datetime | None:
    if value is None or timezone.is_aware(value):
        return value
    aware: datetime = timezone.make_aware(value)
    return aware
