"""The annual report written in the browser: the agency's draft of a year (typed cells and sections), its
表三/表四 taken from the ledger, checked as typed (the same checker as `xxgk check`), and the filing loop —
submitted into the corpus as the agency's next version (the reviewer sees it as 待审), returned with the
审查意见 or approved, then published."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from xxgk.api import check, render, report_from_form
from xxgk.corpus.similarity import normalised, overlap
from xxgk.corpus.store.models import Report
from xxgk.format import load_format
from xxgk.web import audit, review
from xxgk.web.access import actor
from xxgk.web.models import Draft, Organisation, OrganisationKind, Review, ReviewState, Role

# Above this share of a section identical with last year's, the form warns (third-party assessments deduct
# points for copied text; the corpus's X031 uses the same line).
SIMILARITY_WARNING = 0.5


class DraftRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DraftConflict(DraftRefused):
    """Someone saved the draft since this form was loaded: nothing is overwritten."""


def agency_of(user: Any) -> Organisation:
    who = actor(user)
    if who.organisation is None or who.organisation.kind != OrganisationKind.AGENCY:
        raise PermissionDenied("年度报告由机关填写：只有机关的填报人员和只读人员可以查看")
    return who.organisation


def may_edit(user: Any) -> bool:
    return actor(user).role in (Role.EDITOR, Role.ADMIN)


def draft_of(user: Any, year: int) -> Draft:
    """The agency's draft of `year`, made on first visit with last year's sections offered as a start."""
    organisation = agency_of(user)
    draft = Draft.objects.filter(organisation=organisation, year=year).first()
    if draft is not None:
        return draft
    return Draft.objects.create(
        organisation=organisation, year=year, sections=last_year_sections(organisation, year), updated_by=None
    )


def last_year_sections(organisation: Organisation, year: int) -> dict[str, str]:
    """Last year's text: the agency's draft of year − 1, else its report of year − 1 in the corpus."""
    previous = Draft.objects.filter(organisation=organisation, year=year - 1).first()
    if previous is not None and any(previous.sections.values()):
        return dict(previous.sections)
    if organisation.agency_id is not None:
        report = Report.objects.filter(agency_id=organisation.agency_id, year=year - 1, latest=True).first()
        if report is not None:
            return {k: v for k, v in (report.sections or {}).items() if v}
    return {}


def posted_values(data: Any) -> tuple[dict[str, str], dict[str, str]]:
    """The cells (`cell:<key>`) and sections (`section:<key>`) of a posted form."""
    spec = load_format()
    cells = {c.key: str(data.get(f"cell:{c.key}", "")).strip() for c in spec.iter_cells()}
    sections = {s.key: str(data.get(f"section:{s.key}", "")) for s in spec.sections}
    return cells, sections


@dataclass
class CheckedDraft:
    report: Any
    problems: dict[str, str]  # cell key → why what was typed cannot be taken
    by_cell: dict[str, list[Any]] = field(default_factory=dict)  # cell key → findings on it
    general: list[Any] = field(default_factory=list)  # findings not on a cell
    errors: int = 0
    similar: dict[str, float] = field(default_factory=dict)  # section key → share identical with last year

    @property
    def flagged(self) -> str:
        return " ".join(sorted({*self.problems, *self.by_cell}))


def check_draft(draft: Draft, cells: dict[str, str] | None = None, sections: dict[str, str] | None = None,
                title: str | None = None, signed_on: date | None = None) -> CheckedDraft:  # fmt: skip
    """The draft (or the values just typed) as a report, checked by every rule of `xxgk check`."""
    cells = draft.cells if cells is None else cells
    sections = draft.sections if sections is None else sections
    form = report_from_form(
        draft.organisation.name,
        draft.year,
        title=draft.title if title is None else title,
        when=draft.signed_on if signed_on is None else signed_on,
        sections=sections,
        cells=cells,
    )
    findings = check(form.report)
    spec = form.report.spec
    checked = CheckedDraft(form.report, form.problems)
    for f in findings:
        if f.location in spec.cells and f.location not in form.problems:
            checked.by_cell.setdefault(f.location, []).append(f)
        else:
            checked.general.append(f)
    checked.errors = sum(1 for f in findings if f.severity == "error") + len(form.problems)
    checked.similar = similar_to_last_year(draft.organisation, draft.year, sections)
    return checked


def similar_to_last_year(organisation: Organisation, year: int, sections: dict[str, str]) -> dict[str, float]:
    last = last_year_sections(organisation, year)
    out = {}
    for key, text in sections.items():
        before = last.get(key, "")
        if text.strip() and before.strip():
            share = overlap(normalised(text), normalised(before)).share
            if share > SIMILARITY_WARNING:
                out[key] = share
    return out


def save(request: HttpRequest, draft: Draft, data: Any) -> Draft:
    """Store what was typed; refused when the draft changed since the form was loaded (its revision)."""
    if not may_edit(request.user):
        raise PermissionDenied("只读人员不能修改报告")
    try:
        revision = int(data.get("revision", ""))
    except ValueError:
        raise DraftRefused("表单缺少修订号，请刷新页面后重试") from None
    cells, sections = posted_values(data)
    signed = str(data.get("signed_on", "")).strip()
    try:
        signed_on = date.fromisoformat(signed) if signed else None
    except ValueError:
        raise DraftRefused(f"成文日期「{signed}」无效，应为 年-月-日") from None
    with transaction.atomic():
        # (one UPDATE guarded by the revision: two saves from the same revision cannot both pass)
        changed = Draft.objects.filter(pk=draft.pk, revision=revision).update(
            cells=cells, sections=sections, title=str(data.get("title", "")).strip()[:200], signed_on=signed_on,
            revision=revision + 1, updated_by=request.user,
        )  # fmt: skip
        if not changed:
            raise DraftConflict(
                "保存失败：此报告已被他人修改（或在另一窗口保存过）。您填写的内容仍在表单中，请复制后刷新页面再合并"
            )
        audit.record(request, "draft_saved", f"{draft.organisation.name} {draft.year}年度", revision=revision + 1)
    draft.refresh_from_db()
    return draft


def fill_from_ledger(request: HttpRequest, draft: Draft) -> int:
    """Put the ledger's 表三/表四 of the year into the draft (saved as a new revision); returns the cells set."""
    from xxgk.ledger.commands import year_tables
    from xxgk.web.ledger import ledger_of

    if not may_edit(request.user):
        raise PermissionDenied("只读人员不能修改报告")
    counted, _late = year_tables(ledger_of(request.user), draft.year)
    cells = dict(draft.cells)
    for key, cell in counted.cells.items():
        if key.startswith(("t3.", "t4.")) and cell.value is not None:
            cells[key] = str(cell.value)
    Draft.objects.filter(pk=draft.pk).update(cells=cells, revision=draft.revision + 1, updated_by=request.user)
    audit.record(request, "draft_saved", f"{draft.organisation.name} {draft.year}年度", from_ledger=True)
    draft.refresh_from_db()
    return sum(1 for k in cells if k.startswith(("t3.", "t4.")))


def submit(request: HttpRequest, draft: Draft) -> Report:
    """File the draft with the 政务公开办: only without an error-level finding (the gate of reporting
    systems). It goes into the corpus as the agency's next version, rendered as the official DOCX."""
    from xxgk.web.tasks import ingest_upload_now
    from xxgk.web.uploads import keep_bytes

    if not may_edit(request.user):
        raise PermissionDenied("只读人员不能提交报告")
    checked = check_draft(draft)
    if checked.errors:
        raise DraftRefused(f"还有 {checked.errors} 个错误，改正后才能提交（见各单元格旁的说明）")
    data = render(checked.report, "docx")
    name = f"{draft.organisation.name}{draft.year}年政府信息公开工作年度报告（网上填报第{draft.revision}版）.docx"
    upload = keep_bytes(data, name, draft.organisation, request.user)
    done = ingest_upload_now(upload.pk)
    report = done.document.report if done is not None and done.document is not None else None
    if report is None:
        raise DraftRefused(f"提交失败：{done.message if done else '无法读取生成的报告'}")
    if report.agency_id is not None and draft.organisation.agency_id is None:
        Organisation.objects.filter(pk=draft.organisation.pk).update(agency_id=report.agency_id)
    Draft.objects.filter(pk=draft.pk).update(submitted=report, submitted_revision=draft.revision)
    # A resubmission is 待审 again; the reviewer's decisions stay with their findings (fingerprints).
    Review.objects.filter(**review.subject(report)).update(state=ReviewState.PENDING)
    audit.record(request, "draft_submitted", f"{draft.organisation.name} {draft.year}年度", report=report.pk)
    draft.refresh_from_db()
    return report


@dataclass(frozen=True)
class Filing:
    """Where the draft stands with the reviewer."""

    submitted: Report | None
    state: str  # ReviewState value, "" before the first submission
    state_zh: str
    returned: list[Any]  # the confirmed findings of a returned version (ShownFinding)
    changed_since: bool  # typed again since the last submission


def filing_of(draft: Draft) -> Filing:
    report = draft.submitted
    if report is None:
        return Filing(None, "", "未提交", [], False)
    state = review.state_of(report)
    returned = review.confirmed(report) if state == ReviewState.RETURNED else []
    return Filing(report, state, ReviewState(state).label, returned, draft.submitted_revision != draft.revision)


def publish(request: HttpRequest, draft: Draft, on: str, url: str) -> Draft:
    if not may_edit(request.user):
        raise PermissionDenied("只读人员不能登记发布")
    filing = filing_of(draft)
    if filing.state != ReviewState.APPROVED:
        raise DraftRefused("报告通过审核后才能登记发布")
    try:
        published = date.fromisoformat(on.strip())
    except ValueError:
        raise DraftRefused(f"发布日期「{on}」无效，应为 年-月-日") from None
    url = url.strip()
    if url and not url.startswith(("http://", "https://")):
        raise DraftRefused("发布网址应以 http:// 或 https:// 开头")
    Draft.objects.filter(pk=draft.pk).update(published_on=published, published_url=url[:500])
    audit.record(request, "draft_published", f"{draft.organisation.name} {draft.year}年度", on=on, url=url)
    draft.refresh_from_db()
    return draft
