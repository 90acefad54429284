"""The reviewer's work on a report: decisions on its findings (by fingerprint, so they carry over to the
agency's next version), the state of the review (待审 / 已退回 / 已通过) and the 审查意见 made from the
confirmed findings by the corpus's review writer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest

from xxgk.corpus.records import plain_number
from xxgk.corpus.review import build_review, finding_row, render_docx, render_html, render_pdf
from xxgk.corpus.store.models import Cell, Finding, Report
from xxgk.corpus.store.repository import corpus_record
from xxgk.rules import RULES
from xxgk.web import audit
from xxgk.web.models import Decision, DecisionState, Review, ReviewState

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


class ReviewRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def subject(report: Report) -> dict[str, Any]:
    """What a decision or review is attached to: the agency's year, or the report when either is unknown."""
    if report.agency_id is not None and report.year is not None:
        return {"agency_id": report.agency_id, "year": report.year, "report": None}
    return {"agency_id": None, "year": None, "report": report}


@dataclass(frozen=True)
class ShownFinding:
    id: int
    code: str
    severity: str
    severity_zh: str
    location: str
    where: str  # the cell or section in Chinese
    message: str
    fingerprint: str
    provenance: dict[str, Any] | None
    cross: bool  # over several reports (X family)
    decision: str
    decision_zh: str
    reason: str
    comment: str
    title: str
    expected: Any
    params: dict[str, Any]


def _findings_query(report: Report) -> Q:
    """The report's own findings and the cross-report ones of its agency's year."""
    query = Q(report_id=report.pk)
    if report.latest and report.agency_id is not None and report.year is not None:
        query |= Q(report__isnull=True, agency_id=report.agency_id, year=report.year)
    return query


def findings_of(report: Report) -> list[Finding]:
    """The report's own findings and the cross-report ones of its agency's year."""
    return list(Finding.objects.filter(_findings_query(report)).order_by("id"))


def decisions_of(report: Report) -> dict[str, Decision]:
    return {d.fingerprint: d for d in Decision.objects.filter(**subject(report))}


def shown_findings(report: Report) -> list[ShownFinding]:
    spec = _spec(report)
    decisions = decisions_of(report)
    out = []
    for f in findings_of(report):
        d = decisions.get(f.fingerprint)
        state = d.state if d else str(DecisionState.OPEN)
        rule = RULES.get(f.code)
        where = spec.location_name(f.location) if f.location in spec.cells else ""
        out.append(
            ShownFinding(
                f.pk,
                f.code,
                f.severity,
                SEVERITY_ZH.get(f.severity, f.severity),
                f.location,
                where or (rule.title if rule else f.location),
                f.message,
                f.fingerprint,
                f.provenance,
                f.report_id is None,
                state,
                DecisionState(state).label,
                d.reason if d else "",
                d.comment if d else "",
                rule.title if rule else f.code,
                f.expected,
                f.params or {},
            )
        )
    out.sort(key=lambda s: (SEVERITY_ORDER.get(s.severity, 3), s.code, s.location))
    return out


def fixed_findings(report: Report) -> list[Decision]:
    """Decisions on findings that the current version no longer has: what the agency corrected."""
    current = set(Finding.objects.filter(_findings_query(report)).values_list("fingerprint", flat=True))
    return [d for d in decisions_of(report).values() if d.fingerprint not in current]


def _spec(report: Report) -> Any:
    from xxgk.format import load_format

    return load_format(report.spec_id)


def decide(
    request: HttpRequest, report: Report, finding_id: int, state: str, reason: str = "", comment: str = ""
) -> Decision:
    finding = next((f for f in findings_of(report) if f.pk == finding_id), None)
    if finding is None:
        raise ReviewRefused("该问题不属于此报告")
    if state not in DecisionState.values:
        raise ReviewRefused("审查结论只能是：确认、不采纳或待审")
    reason, comment = reason.strip(), comment.strip()
    if state == DecisionState.DISMISSED and not reason:
        raise ReviewRefused("不采纳时请填写理由")
    with transaction.atomic():
        decision, _ = Decision.objects.select_for_update().get_or_create(
            **subject(report), fingerprint=finding.fingerprint, defaults={"code": finding.code}
        )
        decision.state, decision.reason, decision.decided_by = state, reason, request.user
        if comment:
            decision.comment = comment
        decision.save()
        audit.record(
            request,
            "decision",
            _target(report),
            code=finding.code,
            fingerprint=finding.fingerprint,
            state=state,
            reason=reason,
            comment=comment,
        )
    return decision


def review_of(report: Report) -> Review | None:
    return Review.objects.filter(**subject(report)).first()


def state_of(report: Report) -> str:
    review = review_of(report)
    return review.state if review else str(ReviewState.PENDING)


def set_state(request: HttpRequest, report: Report, state: str) -> Review:
    if state not in ReviewState.values:
        raise ReviewRefused("审查状态只能是：待审、已退回或已通过")
    if not report.latest:
        raise ReviewRefused("只能审查最新版本的报告")
    open_errors = [f for f in shown_findings(report) if f.severity == "error" and f.decision == DecisionState.CONFIRMED]
    if state == ReviewState.APPROVED and open_errors:
        raise ReviewRefused(f"还有 {len(open_errors)} 个已确认的错误，不能通过；请退回或先改正")
    if state == ReviewState.RETURNED and not confirmed(report):
        raise ReviewRefused("退回前请至少确认一个问题（审查意见由已确认的问题生成）")
    with transaction.atomic():
        review, _ = Review.objects.select_for_update().get_or_create(**subject(report))
        review.state, review.changed_by = state, request.user
        review.opinion = opinion(report).summary if state == ReviewState.RETURNED else ""
        # (the version approved: a later one that differs from it was changed after approval)
        review.approved_report = report if state == ReviewState.APPROVED else review.approved_report
        review.save()
        audit.record(request, "review_state", _target(report), state=state)
    return review


def confirmed(report: Report) -> list[ShownFinding]:
    return [f for f in shown_findings(report) if f.decision == DecisionState.CONFIRMED]


def opinion(report: Report) -> Any:
    """The 审查意见 of the confirmed findings (a `ReviewDocument`)."""
    cells = dict(Cell.objects.filter(report=report).values_list("key", "value"))
    record = corpus_record(report, {k: plain_number(v) for k, v in cells.items()}, {})
    previous = None
    if report.agency_id is not None and report.year is not None:
        last = Report.objects.filter(agency_id=report.agency_id, year=report.year - 1, latest=True).first()
        if last is not None:
            last_cells = dict(Cell.objects.filter(report=last).values_list("key", "value"))
            previous = corpus_record(last, {k: plain_number(v) for k, v in last_cells.items()}, {})
    rows = [finding_row(f) for f in confirmed(report)]
    return build_review(record, rows, previous)


OPINION_FORMATS = {"docx": render_docx, "pdf": render_pdf}


def opinion_file(report: Report, kind: str) -> bytes:
    document = opinion(report)
    if kind == "html":
        return render_html(document).encode()
    return OPINION_FORMATS[kind](document)


def _target(report: Report) -> str:
    who = report.agency.key if report.agency_id else (report.agency_printed or f"报告{report.pk}")
    return f"{who} {report.year or ''}年度 第{report.version}版"


def changed_after_approval(report: Report) -> Report | None:
    """The approved version, when `report` is a later version of the same agency's year that differs from
    it (a document changed after the 政务公开办 approved it: what is published is not what was approved)."""
    review = review_of(report)
    if review is None or review.state != ReviewState.APPROVED or review.approved_report_id is None:
        return None
    approved = review.approved_report
    if approved is None or approved.pk == report.pk or report.version <= approved.version:
        return None
    changes = report.changes or {}
    return approved if changes.get("cells") or changes.get("sections") else None
