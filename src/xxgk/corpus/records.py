"""Plain records of stored reports, the unit every cross-report rule and summary works on (no Django)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

Number = int | Decimal


@dataclass(frozen=True)
class CorpusReport:
    """One stored version of one report: its cells (None where missing) and its section texts."""

    id: int
    agency_key: str | None  # the normalised agency name (None: the reader found none)
    agency_name: str | None  # as printed
    level: str  # agencies.Level value
    kind: str  # xxgk.agency.AgencyKind value
    year: int | None
    version: int
    spec_id: str
    title: str | None
    published_on: date | None  # printed date
    source_published_at: datetime | None  # when the source says it was published (list file / crawler header)
    path: str
    sha256: str
    cells: dict[str, Number | None]
    sections: dict[str, str]
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)  # cell key -> provenance JSON
    latest: bool = True
    region: str | None = None  # GB/T 2260 code of the agency's region, when known

    def value(self, key: str) -> Number | None:
        return self.cells.get(key)


def plain_number(value: Any) -> Number | None:
    """A stored number as the reader gives it: int when integral, Decimal otherwise (None stays None)."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if d == d.to_integral_value():
        return int(d)
    return d.normalize()


def from_report(report: Any, ident: int, *, version: int = 1, path: str | None = None) -> CorpusReport:
    """A `xxgk.report.Report` as a corpus record (for checks over reports never stored)."""
    from xxgk.corpus.agencies import normalise

    name = normalise(report.meta.agency) if report.meta.agency else None
    return CorpusReport(
        id=ident,
        agency_key=name.key if name else None,
        agency_name=report.meta.agency,
        level=str(name.level) if name else "unknown",
        kind=str(name.kind) if name else "unknown",
        year=report.meta.year,
        version=version,
        spec_id=report.spec_id,
        title=report.meta.title,
        published_on=report.meta.date,
        source_published_at=None,
        path=path or report.path,
        sha256="",
        cells={key: cell.value for key, cell in report.cells.items()},
        sections={key: section.text for key, section in report.sections.items()},
    )
