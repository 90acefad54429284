"""The corpus store: ingested files ↔ rows, stored reports → the core's `CorpusReport` records.

Import this module only through `open_corpus()` (it sets Django up first). Each file is written in a
transaction of its own, so an interrupted batch (Ctrl-C, kill -9) leaves every file either fully stored
or not at all, and a rerun adds the rest (files already stored are skipped by their hash).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from xxgk.agency import AgencyKind
from xxgk.corpus import changes as changes_mod
from xxgk.corpus import regions
from xxgk.corpus.agencies import AgencyName, normalise
from xxgk.corpus.ingest import Ingested
from xxgk.corpus.overrides import EMPTY, Override, Overrides
from xxgk.corpus.records import CorpusReport, plain_number
from xxgk.corpus.store import models as m
from xxgk.ledger.store.bootstrap import DatabaseTarget, connect, default_home, schema_lock
from xxgk.ledger.store.errors import StoreError

APP_LABEL = "xxgk_corpus"
FILES_ENV = "XXGK_CORPUS_FILES"


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


@dataclass(frozen=True)
class CrossFinding:
    """A finding over several reports, as the store keeps it."""

    code: str
    severity: str
    agency_key: str | None
    year: int | None
    report_id: int | None
    location: str
    expected: Any
    found: Any
    params: dict[str, Any]
    message: str
    fingerprint: str


def files_root(target: DatabaseTarget) -> Path:
    """Where document copies go: $XXGK_CORPUS_FILES, else beside the SQLite file, else $XXGK_HOME."""
    if os.environ.get(FILES_ENV):
        return Path(os.environ[FILES_ENV]).expanduser()
    if target.engine == "sqlite":
        db = Path(target.config["NAME"])
        return db.with_name(db.stem + ".files")
    return default_home() / "corpus-files"


def open_corpus(target: DatabaseTarget, *, create: bool = True) -> CorpusStore:
    alias = connect(target, create_dir=create)
    with schema_lock(alias, APP_LABEL):  # (the ledger's lock: eight processes at once all succeed)
        call_command("migrate", APP_LABEL, database=alias, verbosity=0, interactive=False)
    return CorpusStore(target, alias, files_root(target))


class CorpusStore:
    def __init__(self, target: DatabaseTarget, alias: str, root: Path) -> None:
        self.target, self.alias, self.root = target, alias, root
        self.overrides: Overrides = EMPTY  # the user's agencies.toml, applied to agencies as they come

    # -----------------------------------------------------------------------------------------
    # Adding

    def known(self, hashes: Iterable[str]) -> set[str]:
        wanted = list(hashes)
        out: set[str] = set()
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            out.update(m.Document.objects.using(self.alias).filter(sha256__in=chunk).values_list("sha256", flat=True))
        return out

    def keep_file(self, path: Path, sha256: str) -> str:
        """Copy the document into the content-addressed folder (once); returns the path relative to it,
        or "" when it cannot be copied (the file went away, the folder is not writable): the document is
        then only referenced by its path, never lost from the batch."""
        relative = f"{sha256[:2]}/{sha256}{path.suffix.lower()}"
        dest = self.root / relative
        if not dest.exists():
            partial = dest.with_name(dest.name + f".{os.getpid()}.part")
            try:
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, partial)
                os.replace(partial, dest)  # (atomic: a kill leaves a .part file, never half a document)
            except OSError:
                with suppress(OSError):
                    partial.unlink(missing_ok=True)
                return ""
        return relative

    def add(self, item: Ingested, *, keep: bool = True) -> Added:
        stored = self.keep_file(Path(item.path), item.sha256) if keep else ""
        try:
            with transaction.atomic(using=self.alias):
                return self._add(item, stored)
        except IntegrityError:  # another process stored the same content meanwhile
            return Added("known", item.path)

    def add_batch(self, items: list[Ingested], *, keep: bool = True) -> list[Added]:
        """Several files in one transaction (fewer commits); if one of them was stored meanwhile by another
        process, the batch is rolled back and its files are added one by one."""
        stored = [self.keep_file(Path(i.path), i.sha256) if keep else "" for i in items]
        try:
            with transaction.atomic(using=self.alias):
                return [self._add(item, where) for item, where in zip(items, stored, strict=True)]
        except IntegrityError:
            return [self.add(item, keep=keep) for item in items]

    def _add(self, item: Ingested, stored: str) -> Added:
        db = self.alias
        if m.Document.objects.using(db).filter(sha256=item.sha256).exists():
            return Added("known", item.path)
        source = item.source
        document = m.Document.objects.using(db).create(
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
        if not item.usable:
            return Added("unusable", item.path, error=item.error)
        agency = self._agency(item.agency) if item.agency else None
        version, latest, change_json, status = 1, True, {}, "added"
        previous = None
        if agency is not None and item.year is not None:
            previous = (
                m.Report.objects.using(db)
                .select_for_update()
                .filter(agency=agency, year=item.year, latest=True)
                .first()
            )
        if previous is not None:
            before = {c.key: plain_number(c.value) for c in previous.cells.all()}
            after = {key: plain_number(value) for key, value, *_ in item.cells}
            found = changes_mod.diff(before, after, previous.sections, item.sections)
            if found.none:
                # The same report in another form: the form that read more cells stands for the version.
                version, status = previous.version, "copy"
                latest = _read_count(after) > _read_count(before)
                change_json = {"copy_of": previous.id}
                if latest:
                    m.Report.objects.using(db).filter(pk=previous.pk).update(latest=False)
            else:
                version, status = previous.version + 1, "version"
                change_json = {**found.to_json(), "previous": previous.id, "previous_version": previous.version}
                m.Report.objects.using(db).filter(pk=previous.pk).update(latest=False)
        errors = sum(1 for f in item.findings if f["severity"] == "error")
        warnings = sum(1 for f in item.findings if f["severity"] == "warning")
        report = m.Report.objects.using(db).create(
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
            errors=errors,
            warnings=warnings,
        )
        # (cells and findings are many small rows: written by executemany, not as model instances, which
        # would cost the parent process ~40 ms a report and leave the worker processes waiting)
        self._insert(
            m.Cell,
            ("report", "key", "value", "state", "raw", "provenance", "note", "unit"),
            [
                (report.pk, key, value, state, raw, provenance, note, unit)
                for key, value, state, raw, provenance, note, unit in item.cells
            ],
        )
        agency_id = agency.pk if agency else None
        self._insert(
            m.Finding,
            (
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
            ),
            [
                (
                    report.pk,
                    agency_id,
                    item.year,
                    f["code"],
                    f["severity"],
                    f["location"][:120],
                    _json(f["expected"]),
                    _json(f["found"]),
                    _json(f["params"]),
                    _json(f["provenance"]),
                    f["message"],
                    f["fingerprint"],
                )
                for f in item.findings
            ],
        )
        published = item.published_on.isoformat() if item.published_on else None
        return Added(
            status, item.path, agency.key if agency else None, item.year, version, change_json, None, published
        )

    def _insert(self, model: Any, fields: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        connection = connections[self.alias]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def _agency(self, printed: str) -> m.Agency:
        name = normalise(printed)
        override = self.overrides.find(printed, name.key)
        key = override.name if override else name.key
        db = self.alias
        agency = m.Agency.objects.using(db).select_for_update().filter(key=key).first()
        if agency is None:
            level, region = self._placement(normalise(key), override)
            agency = m.Agency.objects.using(db).create(
                key=key,
                names=[printed],
                kind=str(name.kind),
                level=level,
                region=region,
                resolved=region is not None and region.code is not None and level != "unknown",
            )
        elif printed not in agency.names:
            agency.names = [*agency.names, printed]
            agency.save(using=db, update_fields=["names"])
        found: m.Agency = agency
        return found

    def _placement(self, name: AgencyName, override: Override | None) -> tuple[str, m.Region | None]:
        """(level, region) of a new agency: the user's entry first, then the division table, then the name."""
        path = name.region_path
        if override and override.region:
            path = regions.code_path(override.region) or path
        division = regions.resolve(path) if path else None
        level = str(name.level)
        if division is not None and name.kind != AgencyKind.TOWNSHIP:
            level = division.level
        if override and override.level:
            level = override.level
        return level, self._region(path)

    def _region(self, path: tuple[str, ...]) -> m.Region | None:
        parent = None
        for depth in range(1, len(path) + 1):
            full = "/".join(path[:depth])
            division = regions.resolve(path[:depth])
            parent, _ = m.Region.objects.using(self.alias).get_or_create(
                path=full,
                defaults={
                    "name": path[depth - 1],
                    "level": division.level if division else _region_level(path[:depth]),
                    "parent": parent,
                    "code": division.code if division else None,
                },
            )
        return parent

    def apply_overrides(self) -> int:
        """Apply the user's entries to the agencies already stored (merging aliases into the named body);
        returns the number of agencies changed."""
        changed = 0
        db = self.alias
        with transaction.atomic(using=db):
            for agency in list(m.Agency.objects.using(db).all()):
                override = self.overrides.find(agency.key, *agency.names)
                if override is None:
                    continue
                target = agency
                before = (agency.key, agency.level, agency.region_id)
                merged = False
                if override.name != agency.key:
                    target = m.Agency.objects.using(db).filter(key=override.name).first() or agency
                    if target.pk != agency.pk:
                        m.Report.objects.using(db).filter(agency=agency).update(agency=target)
                        m.Finding.objects.using(db).filter(agency=agency).update(agency=target)
                        target.names = sorted({*target.names, *agency.names})
                        agency.delete(using=db)
                        merged = True
                    else:
                        target.key = override.name
                level, region = self._placement(normalise(target.key), override)
                target.level, target.region = level, region
                target.resolved = region is not None and region.code is not None and level != "unknown"
                target.save(using=db)
                changed += merged or before != (target.key, target.level, target.region_id)
        return changed

    # -----------------------------------------------------------------------------------------
    # Reading back

    def reports(
        self, *, latest: bool = True, year: int | None = None, with_cells: bool = True, provenance: bool = False
    ) -> list[CorpusReport]:
        """The stored reports (the latest version of each, or every version), with their cell values;
        `provenance` also loads where each cell was printed (costly: a JSON document a cell)."""
        query = m.Report.objects.using(self.alias).select_related("agency__region", "document").order_by("id")
        if latest:
            query = query.filter(latest=True)
        if year is not None:
            query = query.filter(year=year)
        rows = list(query)
        cells: dict[int, dict[str, Any]] = {r.id: {} for r in rows}
        where: dict[int, dict[str, Any]] = {r.id: {} for r in rows}
        if with_cells and rows:
            ids = [r.id for r in rows]
            fields = ("report_id", "key", "value", "provenance") if provenance else ("report_id", "key", "value")
            for i in range(0, len(ids), 500):
                values = m.Cell.objects.using(self.alias).filter(report_id__in=ids[i : i + 500])
                for row in values.values_list(*fields):
                    cells[row[0]][row[1]] = plain_number(row[2])
                    if provenance and row[3]:
                        where[row[0]][row[1]] = row[3]
        return [_record(r, cells[r.id], where[r.id]) for r in rows]

    def documents(self) -> list[m.Document]:
        return list(m.Document.objects.using(self.alias).order_by("id"))

    def agencies(self) -> list[m.Agency]:
        return list(m.Agency.objects.using(self.alias).select_related("region").order_by("key"))

    def findings(self, *, report_ids: Iterable[int] | None = None) -> list[m.Finding]:
        query = m.Finding.objects.using(self.alias).select_related("report__document", "agency").order_by("id")
        if report_ids is not None:
            query = query.filter(report_id__in=list(report_ids))
        return list(query)

    def finding_values(self) -> list[tuple[Any, ...]]:
        """Every finding as (report id, agency key, year, code, severity, location, expected, found,
        message, provenance, fingerprint): a plain query, for exports of many thousands."""
        query = m.Finding.objects.using(self.alias).order_by("id")
        fields = ("report_id", "agency__key", "year", "code", "severity", "location", "expected", "found")
        return list(query.values_list(*fields, "message", "provenance", "fingerprint"))

    def finding_codes(self, report_ids: list[int]) -> list[tuple[int, str, str]]:
        """(report id, code, severity) of the findings of these reports."""
        out: list[tuple[int, str, str]] = []
        for i in range(0, len(report_ids), 500):
            query = m.Finding.objects.using(self.alias).filter(report_id__in=report_ids[i : i + 500])
            out += list(query.values_list("report_id", "code", "severity"))
        return out

    def region_codes(self) -> dict[str, str]:
        """GB/T 2260 code → region name, for the regions whose code is known."""
        rows = m.Region.objects.using(self.alias).exclude(code__isnull=True).values_list("code", "name")
        return {code: name for code, name in rows if code}

    def cross_findings(self) -> list[m.Finding]:
        return list(
            m.Finding.objects.using(self.alias).filter(report__isnull=True).select_related("agency").order_by("id")
        )

    def replace_cross_findings(self, findings: list[CrossFinding]) -> None:
        """The findings over several reports, all replaced at once (one transaction)."""
        db = self.alias
        with transaction.atomic(using=db):
            agencies = {a.key: a for a in m.Agency.objects.using(db).all()}
            m.Finding.objects.using(db).filter(report__isnull=True).delete()
            m.Finding.objects.using(db).bulk_create(
                [
                    m.Finding(
                        report=None,
                        agency=agencies.get(f.agency_key) if f.agency_key else None,
                        year=f.year,
                        code=f.code,
                        severity=f.severity,
                        location=f.location[:120],
                        expected=f.expected,
                        found=f.found,
                        params=f.params,
                        provenance={"report": f.report_id} if f.report_id else None,
                        message=f.message,
                        fingerprint=f.fingerprint,
                    )
                    for f in findings
                ],
                batch_size=500,
            )

    def close(self) -> None:
        connections[self.alias].close()


def _record(row: m.Report, cells: dict[str, Any], provenance: dict[str, Any]) -> CorpusReport:
    agency = row.agency
    return CorpusReport(
        id=row.id,
        agency_key=agency.key if agency else None,
        agency_name=row.agency_printed or None,
        level=agency.level if agency else "unknown",
        kind=agency.kind if agency else "unknown",
        year=row.year,
        version=row.version,
        spec_id=row.spec_id,
        title=row.title or None,
        published_on=row.published_on,
        source_published_at=row.document.source_published_at,
        path=row.document.path,
        sha256=row.document.sha256,
        cells=cells,
        sections=dict(row.sections),
        provenance=provenance,
        latest=row.latest,
        region=agency.region.code if agency and agency.region else None,
    )


def _json(value: Any) -> str | None:
    """A JSONField's column value as Django would write it (None: SQL NULL, as for a null field)."""
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _read_count(cells: dict[str, Any]) -> int:
    return sum(1 for v in cells.values() if v is not None)


def _region_level(path: tuple[str, ...]) -> str:
    from xxgk.agency import AgencyKind
    from xxgk.corpus.agencies import Level, _level

    return str(_level("".join(path), AgencyKind.GOVERNMENT, path)) if path else str(Level.UNKNOWN)


def _aware(value: datetime | None) -> datetime | None:
    if value is None or timezone.is_aware(value):
        return value
    aware: datetime = timezone.make_aware(value)
    return aware


def store_error(message: str) -> StoreError:
    return StoreError(message)
