"""Render, then check what was rendered exactly as `xxgk check` would check the written file.

Checking the in-memory report instead misses what only the reader derives from the text (the
statistics period of D081, a title's year) and anything the writer changes on the way: render
and check then disagree on the same content. So the rendered bytes are read back and checked,
and that list is what `render` prints and what `--strict` acts on. Findings about a cell or
section point at the source the user edits (the template's line or sheet cell); the others
point into the written file.

The reading and checking functions are passed in by the caller (`xxgk.api.read_report` and
`xxgk.api.check_report`, as `xxgk check` uses them): this package sits below the application
layer and beside the checker, and imports neither.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from xxgk.findings import Finding, Severity
from xxgk.report import Provenance, Report

ReadFile = Callable[[Path], Report]
CheckReport = Callable[[Report], list[Finding]]


@dataclass(frozen=True)
class Rendered:
    data: bytes  # what is to be written
    report: Report  # `data` as read back
    findings: list[Finding]  # the read-back report checked, plus the source's reading notes

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)


def read_back(data: bytes, kind: str, read: ReadFile) -> Report:
    """`data` (written as `kind`) read as `xxgk check` reads a file of that kind: a template by the
    template loader, any other file by `read`."""
    from xxgk.write import WRITERS
    from xxgk.write.template import load_template

    writer = WRITERS[kind]
    with tempfile.TemporaryDirectory(prefix="xxgk-render-") as tmp:
        path = Path(tmp) / f"report{writer.suffixes[0]}"
        path.write_bytes(data)
        return load_template(path) if writer.template else read(path)


def render_checked(report: Report, kind: str, output: str | Path, read: ReadFile, check: CheckReport) -> Rendered:
    """`report` rendered as `kind`, read back with `read` and checked with `check`; findings point
    at `report`'s sources where they can, else at `output` (where the bytes are to be written)."""
    from xxgk.write import render

    data = render(report, kind)
    back = read_back(data, kind, read)
    checked = check(back)
    # The input's own reading notes (R codes: a row recovered, a cell uncertain) are not in the
    # rendered file, whose reading is clean; the user still needs them.
    seen = {(f.code, f.location) for f in checked}
    notes = [f for f in report.diagnostics if (f.code, f.location) not in seen]
    # Where the same finding is found in the source (its template line), for the findings about
    # no cell or section (D081 about the year, from the period stated in 一、总体情况).
    at_source = {(f.code, f.location): f.source for f in check(report) if f.source is not None}
    findings = notes + [_point(f, report, back, at_source, str(output)) for f in checked]
    return Rendered(data, back, sorted(findings, key=_order))


def _order(f: Finding) -> tuple[int, int, int, str, str]:
    """The checker's order (by place, then severity), over the places the user sees."""
    src = f.source
    return ((src.line or 0) if src else 0, (src.cell or 0) if src else 0, f.severity.rank, f.code, f.location)


def _section_at(back: Report, src: Provenance) -> str | None:
    """The key of the read-back section that the line `src` of the rendered file lies in. Not for
    a PDF: its lines count per page, and a section's source keeps the line without the page."""
    if src.page is not None or src.line is None:
        return None
    starts = sorted((s.source.line or 0, k) for k, s in back.sections.items() if s.found and s.source is not None)
    inside = [k for start, k in starts if start <= src.line]
    return inside[-1] if inside else None


def _point(
    f: Finding, source: Report, back: Report, at_source: dict[tuple[str, str], Provenance], output: str
) -> Finding:
    """`f` (found in the read-back report) pointing where the user can act on it: the cell or
    section of the source, else where the source's own check found it, else the source section its
    text was found in, else the place in the written file."""
    where: Provenance | None = None
    key: str | None = f.location
    if key not in source.cells and key not in source.sections and (f.code, f.location) in at_source:
        return replace(f, source=at_source[(f.code, f.location)])
    if key not in source.cells and key not in source.sections and f.source is not None:
        key = _section_at(back, f.source)
    if key in source.cells:
        where = source.cells[key].source
    elif key in source.sections:
        where = source.sections[key].source
    if where is None and f.source is not None:
        where = f.source._replace(file=output)
    return f if where == f.source else replace(f, source=where)
