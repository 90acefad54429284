"""What the report page shows, as plain data for its template: the official tables with each cell's state
and findings, the sections, the original (PDF pages with boxes, or numbered lines)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from xxgk.corpus.records import plain_number
from xxgk.corpus.review import printed_at
from xxgk.corpus.store.models import Cell as CellRow
from xxgk.corpus.store.models import Report
from xxgk.display import show
from xxgk.web import originals
from xxgk.web.review import ShownFinding, shown_findings
from xxgk.write.layout import Role, table_layouts

STATE_ZH = {
    "number": "已读取",
    "empty": "空白",
    "dash": "横线",
    "none_word": "无",
    "text": "文字",
    "uncertain": "不确定",
    "absent": "未读到",
}


@dataclass
class ShownCell:
    role: str
    text: str = ""
    key: str | None = None
    rowspan: int = 1
    colspan: int = 1
    state: str = ""
    state_zh: str = ""
    severity: str = ""  # the worst finding on the cell
    findings: list[int] = field(default_factory=list)
    raw: str = ""
    where: str = ""

    @property
    def css(self) -> str:
        parts = [f"st-{self.state}"] if self.state else []
        if self.severity:
            parts.append(f"sev-{self.severity}")
        return " ".join(parts)

    @property
    def finding_ids(self) -> str:
        return " ".join(str(i) for i in self.findings)


@dataclass
class ShownTable:
    key: str
    name: str
    title: str
    rows: list[list[ShownCell]]


@dataclass
class ReportPage:
    report: Report
    tables: list[ShownTable]
    findings: list[ShownFinding]
    sections: list[tuple[str, str, list[tuple[str, bool]]]]  # (heading, key, [(sentence, concerned)])
    pdf_pages: int
    text: list[tuple[int, str]]
    boxes: dict[int, list[Any]]
    lines_with_findings: set[int]


def report_page(report: Report) -> ReportPage:
    cells = {
        key: (value, state, raw, prov)
        for key, value, state, raw, prov in CellRow.objects.filter(report=report).values_list(
            "key", "value", "state", "raw", "provenance"
        )
    }
    findings = shown_findings(report)
    by_cell: dict[str, list[ShownFinding]] = {}
    for f in findings:
        by_cell.setdefault(f.location, []).append(f)
    tables = shown_tables(report.spec_id, cells, by_cell)
    sections = _sections(report, findings)
    path = originals.document_path(report.document)
    pdf_pages, text, boxes = 0, [], {}
    if path is not None and originals.is_pdf(report.document):
        pdf_pages = originals.page_count(path)
        boxes = originals.page_boxes(path, [(k, v[2], v[3]) for k, v in cells.items() if v[3]])
    elif path is not None:
        text = originals.document_lines(report.document.sha256, path)
    lines = {int(f.provenance["line"]) for f in findings if f.provenance and f.provenance.get("line")}
    return ReportPage(report, tables, findings, sections, pdf_pages, text, boxes, lines)


def shown_tables(
    spec_id: str,
    cells: Mapping[str, tuple[Any, str, str | None, dict[str, Any] | None]],
    by_cell: dict[str, list[ShownFinding]] | None = None,
    only: tuple[str, ...] = (),
) -> list[ShownTable]:
    """The official tables (`only` some of them) with each value cell's (value, state, raw, provenance) and
    its findings, in the renderer's layout."""
    by_cell = by_cell or {}
    tables = []
    for layout in table_layouts(spec_id).values():
        if only and layout.key not in only:
            continue
        rows = []
        for row in layout.rows:
            shown_row = []
            for cell in row:
                shown = ShownCell(cell.role.value, cell.text, cell.key, cell.rowspan, cell.colspan)
                if cell.role is Role.VALUE and cell.key is not None:
                    value, state, raw, prov = cells.get(cell.key, (None, "absent", None, None))
                    shown.text = show(plain_number(value)) if value is not None else ""
                    shown.state, shown.state_zh = state, STATE_ZH.get(state, state)
                    shown.raw, shown.where = raw or "", printed_at(prov)
                    on_cell = by_cell.get(cell.key, [])
                    shown.findings = [f.id for f in on_cell]
                    if on_cell:
                        shown.severity = min(on_cell, key=lambda f: _rank(f.severity)).severity
                shown_row.append(shown)
            rows.append(shown_row)
        tables.append(ShownTable(layout.key, layout.name, layout.title, rows))
    return tables


def _rank(severity: str) -> int:
    return {"error": 0, "warning": 1, "info": 2}.get(severity, 3)


def _sections(report: Report, findings: list[ShownFinding]) -> list[tuple[str, str, list[tuple[str, bool]]]]:
    """Each section's sentences, marking those a text rule (D) is about: the sentence it names."""
    from xxgk.format import load_format

    spec = load_format(report.spec_id)
    concerned = [
        _compact(str(f.params["sentence"])) for f in findings if f.code.startswith("D") and f.params.get("sentence")
    ]
    out = []
    for section in spec.sections:
        text = (report.sections or {}).get(section.key) or ""
        sentences = [s for s in _split_sentences(text) if s]
        marked = [(s, _is_concerned(_compact(s), concerned)) for s in sentences]
        out.append((section.heading, section.key, marked))
    return out


def _is_concerned(sentence: str, concerned: list[str]) -> bool:
    # (the rule's sentence may be longer than ours, split at a semicolon: then ours lies inside it)
    return any(c and (c in sentence or (len(sentence) >= 8 and sentence in c)) for c in concerned)


def _compact(text: str) -> str:
    return "".join(text.split())


def _split_sentences(text: str) -> list[str]:
    out, current = [], []
    for ch in text:
        current.append(ch)
        if ch in "。；！？":
            out.append("".join(current).strip())
            current = []
    if current:
        out.append("".join(current).strip())
    return out


@dataclass(frozen=True)
class CellDetail:
    name: str
    value: Any
    state_zh: str
    raw: str
    provenance: dict[str, Any] | None
    note: str
    findings: list[ShownFinding]


def cell_detail(report: Report, key: str) -> CellDetail | None:
    from xxgk.format import load_format

    cell = CellRow.objects.filter(report=report, key=key).first()
    if cell is None:
        return None
    findings = [f for f in shown_findings(report) if f.location == key]
    name = load_format(report.spec_id).location_name(key)
    value = show(plain_number(cell.value)) if cell.value is not None else None
    return CellDetail(
        name, value, STATE_ZH.get(cell.state, cell.state), cell.raw or "", cell.provenance, cell.note, findings
    )


@dataclass(frozen=True)
class AgencyPage:
    agency: Any
    reports: list[Report]
    cross: list[Any]


def agency_page(user: Any, agency_id: int) -> AgencyPage | None:
    """An agency's reports over the years and its findings over several reports (None: not in scope)."""
    from xxgk.corpus.store.models import Finding
    from xxgk.web.access import agencies_for, reports_for

    agency = agencies_for(user).select_related("region").filter(pk=agency_id).first()
    if agency is None:
        return None
    reports = list(reports_for(user).filter(agency=agency).order_by("-year", "-version"))
    cross = list(Finding.objects.filter(agency=agency, report__isnull=True).order_by("-year", "code"))
    return AgencyPage(agency, reports, cross)
