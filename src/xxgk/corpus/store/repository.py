"""The corpus store: ingested files ↔ rows, stored reports → the core's `CorpusReport` records.

Import this module only through `open_corpus()` (it sets Django up first). Files are written a few at a
time, each batch in one transaction (`writer.BatchWriter`), so an interrupted batch (Ctrl-C, kill -9)
leaves every file either fully stored or not at all, and a rerun adds the rest (files already stored are
skipped by their hash).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import IntegrityError, connections, transaction

from xxgk.agency import AgencyKind
from xxgk.corpus import regions
from xxgk.corpus.agencies import AgencyName, normalise
from xxgk.corpus.ingest import Ingested
from xxgk.corpus.overrides import EMPTY, Override, Overrides
from xxgk.corpus.records import CorpusReport, Number, plain_number
from xxgk.corpus.store import models as m
from xxgk.corpus.store.writer import FINDING_FIELDS, Added, BatchWriter, insert_rows, json_text
from xxgk.ledger.store.bootstrap import DatabaseTarget, connect, default_home, schema_lock
from xxgk.ledger.store.errors import StoreError

APP_LABEL = "xxgk_corpus"
FILES_ENV = "XXGK_CORPUS_FILES"


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
        self._regions: dict[str, m.Region] = {}  # by path: the regions stored, as met

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
            (added,) = self._write([item], [stored])
        except IntegrityError:  # another process stored the same content meanwhile
            return Added("known", item.path)
        return added

    def add_batch(self, items: list[Ingested], *, keep: bool = True) -> list[Added]:
        """Several files in one transaction (fewer commits); if one of them was stored meanwhile by another
        process, the batch is rolled back and its files are added one by one."""
        stored = [self.keep_file(Path(i.path), i.sha256) if keep else "" for i in items]
        try:
            return self._write(items, stored)
        except IntegrityError:
            return [self.add(item, keep=keep) for item in items]

    def _write(self, items: list[Ingested], stored: list[str]) -> list[Added]:
        met = dict(self._regions)
        writer = BatchWriter(self.alias, self.overrides, partial(self._placement, met=met))
        with transaction.atomic(using=self.alias):
            added = writer.write(items, stored)
        if not connections[self.alias].in_atomic_block:
            self._regions = met  # (only once committed: a rolled-back region row must not be reused)
        return added

    def _placement(
        self, name: AgencyName, override: Override | None, met: dict[str, m.Region] | None = None
    ) -> tuple[str, m.Region | None]:
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
        return level, self._region(path, {} if met is None else met)

    def _region(self, path: tuple[str, ...], met: dict[str, m.Region]) -> m.Region | None:
        """The region of a place path, made with its parents when new (`met`: the regions already met, by path)."""
        parent = None
        for depth in range(1, len(path) + 1):
            full = "/".join(path[:depth])
            if full in met:
                parent = met[full]
                continue
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
            met[full] = parent
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
                        # Whatever else refers to the agency (the web app's organisations and review
                        # decisions) moves with it; then the row goes, without Django's delete collector,
                        # which would visit every related table whether the database has it or not.
                        m.agency_merged.send(sender=m.Agency, old=agency.pk, new=target.pk, using=db)
                        m.Agency.objects.using(db).filter(pk=agency.pk)._raw_delete(db)
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
            for i in range(0, len(ids), 500):
                values = m.Cell.objects.using(self.alias).filter(report_id__in=ids[i : i + 500])
                if provenance:
                    for report_id, key, value, source in values.values_list("report_id", "key", "value", "provenance"):
                        cells[report_id][key] = plain_number(value)
                        if source:
                            where[report_id][key] = source
                    continue
                for report_id, key, value in self._cell_values(values):
                    cells[report_id][key] = value
        return [corpus_record(r, cells[r.id], where[r.id]) for r in rows]

    def _cell_values(self, query: Any) -> Iterator[tuple[int, str, Number | None]]:
        """(report id, key, value) of these cells, as `values_list` gives them but ~3 times faster: the same
        SQL, and Django's conversion of the column only for what is not already a whole number (the counts;
        a corpus check reads some 200 cells a report)."""
        connection = connections[self.alias]
        field = m.Cell._meta.get_field("value")
        column = field.get_col(m.Cell._meta.db_table)
        converters = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        sql, params = query.values_list("report_id", "key", "value").query.get_compiler(self.alias).as_sql()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for report_id, key, value in cursor.fetchall():
                if value is not None and type(value) is not int:
                    for convert in converters:
                        value = convert(value, column, connection)
                    value = plain_number(value)
                yield report_id, key, value

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
            agencies = dict(m.Agency.objects.using(db).values_list("key", "id"))
            m.Finding.objects.using(db).filter(report__isnull=True).delete()
            rows = [
                (
                    None,
                    agencies.get(f.agency_key) if f.agency_key else None,
                    f.year,
                    f.code,
                    f.severity,
                    f.location[:120],
                    json_text(f.expected),
                    json_text(f.found),
                    json_text(f.params),
                    json_text({"report": f.report_id} if f.report_id else None),
                    f.message,
                    f.fingerprint,
                )
                for f in findings
            ]
            insert_rows(db, m.Finding, FINDING_FIELDS, rows)

    def close(self) -> None:
        connections[self.alias].close()


def corpus_record(row: m.Report, cells: dict[str, Any], provenance: dict[str, Any]) -> CorpusReport:
    """A stored report row as the core's `CorpusReport` (cells: key → plain number)."""
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


def _region_level(path: tuple[str, ...]) -> str:
    from xxgk.agency import AgencyKind
    from xxgk.corpus.agencies import Level, _level

    return str(_level("".join(path), AgencyKind.GOVERNMENT, path)) if path else str(Level.UNKNOWN)


def store_error(message: str) -> StoreError:
    return StoreError(message)
