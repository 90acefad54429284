"""The reviewer's 审查意见 for one agency's report: every finding in the reviewer's words, grouped by the
section or table it concerns, each with the cell, where it was printed, the expected value, what last
year's report said and what to correct; rendered as HTML, PDF (the HTML through WeasyPrint) or DOCX, with
the page setup of the report writers (GB/T 9704: A4, 37/35/28/26 mm margins, 三号 body).
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from xxgk.corpus.records import CorpusReport
from xxgk.format import load_format
from xxgk.rules import RULES

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
GENERAL = "报告整体"
# What to correct, by rule family (the first letter of the code), in the reviewer's words.
CORRECTION = {
    "A": "请核实发布日期；逾期发布的，请在报告中说明原因，今后按期发布。",
    "B": "请按国办公开办函〔2021〕30号规定的格式补齐或更正相应部分、表格和栏目。",
    "C": "请对照原始台账核实数字，更正有误的单元格及相关合计，使表内勾稽关系成立。",
    "D": "请修改正文表述，使其与表格数据和实际工作一致。",
    "R": "请核对原文，确保该处文字和表格可以正确识读（不使用图片、不合并或拆分单元格）。",
    "X": "请对照上年报告和其他机关报告核实，更正数据或修改雷同内容，并在报告中说明差异原因。",
}


@dataclass(frozen=True)
class ReviewItem:
    code: str
    severity: str
    where: str  # the cell or section, in Chinese
    message: str
    printed_at: str  # 第2页第14行, or ""
    expected: Any
    last_year: Any
    correction: str


@dataclass
class ReviewDocument:
    title: str
    agency: str
    year: int
    report_title: str
    summary: str
    groups: dict[str, list[ReviewItem]] = field(default_factory=dict)
    overview: list[str] = field(default_factory=list)  # paragraphs after the summary (a region's overview)
    images: list[tuple[str, bytes]] = field(default_factory=list)  # (caption, PNG) charts after the overview
    signed: str = "政务公开工作机构"
    on: date = field(default_factory=date.today)


def _group(location: str, spec: Any) -> tuple[int, str]:
    """(order, heading) of the section or table a finding location belongs to."""
    head = location.split(".")[0]
    for n, section in enumerate(spec.sections, 1):
        if head == section.key or head == section.table:
            name = f"第{section.number}部分「{section.heading.split('、', 1)[-1]}」"
            if head == section.table:
                table = spec.tables[head]
                name += f" {table.name}「{table.title}」"
            return n, name
    return 0, GENERAL


def printed_at(provenance: dict[str, Any] | None) -> str:
    if not provenance:
        return ""
    parts = []
    if provenance.get("page"):
        parts.append(f"第{provenance['page']}页")
    if provenance.get("line"):
        parts.append(f"第{provenance['line']}行")
    return "".join(parts)


def finding_row(finding: Any, *, in_document: bool = True) -> dict[str, Any]:
    """A finding (code, severity, location, message, expected, provenance) as `build_review` takes
    it. `in_document` False: a cross-report finding, which points at no place in the document."""
    return {
        "code": finding.code,
        "severity": finding.severity,
        "location": finding.location,
        "message": finding.message,
        "expected": finding.expected,
        "provenance": finding.provenance if in_document else None,
    }


def build_review(
    report: CorpusReport,
    findings: list[dict[str, Any]],
    previous: CorpusReport | None,
    *,
    signed: str = "政务公开工作机构",
    on: date | None = None,
) -> ReviewDocument:
    """`findings`: dicts with code, severity, location, message, expected, provenance (report-level and
    cross-report findings of this agency and year). The reader's notes (R codes of severity 提示: how a
    damaged copy was read) concern the copy, not the agency's report, and are left out."""
    spec = load_format(report.spec_id)
    findings = [f for f in findings if not (f["code"].startswith("R") and f["severity"] == "info")]
    ordered = sorted(findings, key=lambda f: (_group(f["location"], spec)[0], f["severity"] != "error", f["code"]))
    groups: dict[str, list[ReviewItem]] = {}
    for f in ordered:
        rule = RULES.get(f["code"])
        location = f["location"]
        last_year = previous.cells.get(location) if previous and location in spec.cells else None
        where = spec.location_name(location) if location not in ("agency", "date") else ""
        groups.setdefault(_group(location, spec)[1], []).append(
            ReviewItem(
                f["code"],
                f["severity"],
                where or (rule.title if rule else location),
                f["message"],
                printed_at(f.get("provenance")),
                f.get("expected"),
                last_year,
                CORRECTION.get(f["code"][:1], "请核实并更正。"),
            )
        )
    errors = sum(1 for f in findings if f["severity"] == "error")
    warnings = sum(1 for f in findings if f["severity"] == "warning")
    agency = report.agency_key or report.agency_name or "（机关不详）"
    summary = (
        f"经审查，你单位{report.year}年政府信息公开工作年度报告共发现问题 {len(findings)} 处，其中错误 {errors} 处、"
        f"警告 {warnings} 处、提示 {len(findings) - errors - warnings} 处。"
        + (
            "请对照以下意见逐项核实，对确属错误的内容予以更正，并将更正后的报告重新发布。"
            if findings
            else "未发现需要更正的问题。"
        )
    )
    return ReviewDocument(
        title=f"关于{agency}{report.year}年政府信息公开工作年度报告的审查意见",
        agency=agency,
        year=report.year or 0,
        report_title=report.title or "",
        summary=summary,
        groups=groups,
        signed=signed,
        on=on or date.today(),
    )


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def _item_lines(n: int, item: ReviewItem) -> tuple[str, list[str]]:
    head = f"{n}. {item.where}（{item.code}，{SEVERITY_ZH.get(item.severity, item.severity)}）"
    lines = [f"问题：{item.message}"]
    if item.printed_at:
        lines.append(f"位置：{item.printed_at}")
    details = []
    if item.expected is not None:
        details.append(f"应为：{_show(item.expected)}")
    if item.last_year is not None:
        details.append(f"上年报告：{_show(item.last_year)}")
    if details:
        lines.append("；".join(details))
    lines.append(f"整改要求：{item.correction}")
    return head, lines


def render_html(review: ReviewDocument) -> str:
    from xxgk.write.html import CSS

    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{e(review.title)}</title><style>{CSS}\n.item {{ margin-top: 0.3em; }}</style></head><body>",
        f"<h1>{e(review.title)}</h1>",
        *([] if review.overview else [f'<p style="text-indent:0">{e(review.agency)}：</p>']),
        f"<p>{e(review.summary)}</p>",
        *(f"<p>{e(line)}</p>" for line in review.overview),
    ]
    for caption, png in review.images:
        data = base64.b64encode(png).decode("ascii")
        out.append(
            f'<figure style="margin:0.5em 0;text-align:center"><img alt="{e(caption)}" style="width:100%" '
            f'src="data:image/png;base64,{data}">'
            f'<figcaption style="font-size:10.5pt">{e(caption)}</figcaption></figure>'
        )
    for n, (group, items) in enumerate(review.groups.items(), 1):
        out.append(f"<h2>{_number(n)}、{e(group)}</h2>")
        for i, item in enumerate(items, 1):
            head, lines = _item_lines(i, item)
            out.append(f'<h3 class="item">{e(head)}</h3>')
            out += [f"<p>{e(line)}</p>" for line in lines]
    out.append(f'<p class="signature first">{e(review.signed)}</p>')
    out.append(f'<p class="signature">{review.on.year}年{review.on.month}月{review.on.day}日</p>')
    out.append("</body></html>")
    return "\n".join(out)


def render_pdf(review: ReviewDocument) -> bytes:
    import logging

    from weasyprint import HTML

    from xxgk.write.pdf import _font_config

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    pdf = HTML(string=render_html(review)).write_pdf(font_config=_font_config())
    assert pdf is not None
    return bytes(pdf)


def render_docx(review: ReviewDocument) -> bytes:
    from docx import Document

    from xxgk.write.docx import _setup

    doc = Document()
    _setup(doc)
    doc.add_paragraph(review.title, style="XxgkTitle")
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if not review.overview:  # (a 审查意见 is addressed to the agency; a region's overview to no one)
        doc.add_paragraph(f"{review.agency}：", style="XxgkSignature").alignment = WD_ALIGN_PARAGRAPH.LEFT
    doc.add_paragraph(review.summary, style="XxgkBody")
    for line in review.overview:
        doc.add_paragraph(line, style="XxgkBody")
    if review.images:
        from docx.shared import Mm

        for caption, png in review.images:
            doc.add_picture(io.BytesIO(png), width=Mm(150))
            doc.add_paragraph(caption, style="XxgkTable")
    for n, (group, items) in enumerate(review.groups.items(), 1):
        doc.add_paragraph(f"{_number(n)}、{group}", style="XxgkHeading1")
        for i, item in enumerate(items, 1):
            head, lines = _item_lines(i, item)
            doc.add_paragraph(head, style="XxgkHeading2")
            for line in lines:
                doc.add_paragraph(line, style="XxgkBody")
    doc.add_paragraph(review.signed, style="XxgkSignature")
    doc.add_paragraph(f"{review.on.year}年{review.on.month}月{review.on.day}日", style="XxgkSignature")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


_DIGITS = "零一二三四五六七八九"


def _number(n: int) -> str:
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def build_overview(region: str, year: int, figures: Any, per_agency: list[tuple[str, int, int]]) -> ReviewDocument:
    """A region's overview: its figures (`summary.Figures`) and each agency's count of errors and warnings."""
    from xxgk.corpus.summary import percent

    summary = (
        f"{region}{year}年度共收到政府信息公开工作年度报告 {figures.reports} 份"
        + (f"（应有 {figures.expected} 份）" if figures.expected else "")
        + f"；共收到政府信息公开申请 {figures.received} 件，办结 {figures.handled} 件，"
        f"公开率 {percent(figures.disclosed.share)}，"
        f"不予公开占 {percent(figures.withheld.share)}，无法提供占 {percent(figures.unable.share)}；"
        f"行政复议 {figures.reviews} 件，行政诉讼 {figures.lawsuits} 件，纠错率 {percent(figures.corrected.share)}。"
        "各机关报告的审查意见另行印发，问题数量如下："
    )
    lines = [
        f"{n}. {name}：错误 {errors} 处，警告 {warnings} 处。"
        for n, (name, errors, warnings) in enumerate(per_agency, 1)
    ]
    return ReviewDocument(
        title=f"关于{region}{year}年政府信息公开工作年度报告审查情况的报告",
        agency=region,
        year=year,
        report_title="",
        summary=summary,
        overview=lines,
    )
