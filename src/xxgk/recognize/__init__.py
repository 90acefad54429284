"""Recognise a report in a RawDocument: sections, tables and metadata, anchored on labels."""

from __future__ import annotations

from collections.abc import Callable

import xxgk.rules  # noqa: F401  (the catalogue of the codes reported here: a finding looks its rule up by code)
from xxgk.errors import NotAReportError
from xxgk.findings import Finding
from xxgk.format import load_format
from xxgk.format.spec import WHOLE_DOCUMENT, load_version
from xxgk.readers.base import OCR_HINT_ZH, OcrSummary, RawDocument, pages_zh
from xxgk.recognize import joint_splits, one_line, reading_order
from xxgk.recognize import recover as recovery
from xxgk.recognize.anchors import anchor_index
from xxgk.recognize.metadata import read_metadata
from xxgk.recognize.sections import body_headings, find_headings
from xxgk.recognize.tables import RowRun, read_tables
from xxgk.recognize.traces import note_traces
from xxgk.report import Provenance, Report, complete_cells, empty_report

__all__ = ["recognize"]


DEFAULT_FORMAT = "gov2021"  # the format in force; read with it unless the labels show another


def recognize(doc: RawDocument, format_id: str | None = None) -> Report:
    """The report in `doc`, read with the format definition `format_id`; None: with the format its
    labels show (spec §5). A document showing only 2019-format labels is read again by the 2019
    definition, so that its tables are read by their own layout and checked against their own
    rows; one showing 2021 labels, both or neither is read by the 2021 definition (a 2021 report
    printed with an old row keeps that row as a finding, B011–B013)."""
    # A whole page's text on one line (a crawler's textContent): cut into the lines it would have had.
    unfolded = one_line.unfold(doc)
    if unfolded is not None:
        doc = unfolded
    collapsed_lines = unfolded is None  # (identical cells never collapse in text on one line)
    report, found = _read(doc, format_id or DEFAULT_FORMAT, collapsed_lines)
    if format_id is None and report.meta.format_version == "gov2019":
        report, found = _read(doc, "gov2019", collapsed_lines)
    if not found:
        raise NotAReportError(
            "未识别为政府信息公开工作年度报告：没有找到任何一个部分标题（如“一、总体情况”），也没有找到表二、表三、表四",
            path=doc.path,
        )
    # What is missing but has a trace in the text is the reader's loss, not the report's (R017,
    # R018): looked for once, in the reading kept.
    note_traces(report, doc)
    return report


def _read(doc: RawDocument, format_id: str, collapsed_lines: bool = True) -> tuple[Report, bool]:
    """The report as read with the definition `format_id`, and whether any heading or table was found."""
    spec = load_format(format_id)
    report = empty_report(doc.path, spec, cells=False)
    hits, menu = body_headings(find_headings(doc, spec))
    heading_lines: dict[int, str | None] = {}
    for h in hits:
        for i in range(h.line, h.last_line + 1):
            heading_lines[i] = h.section.table
    # 2019-format groups printed as one row (（六）其他处理): read as a group total, reported (B013).
    single_row_groups = frozenset(load_version("gov2019").single_row_groups)
    runs: list[RowRun] = []  # closed rows and orphan numbers, in order, for the reading-order pass
    table_lines = read_tables(doc, report, spec, anchor_index(format_id), heading_lines, single_row_groups, runs)
    complete_cells(report)
    # Labels first, numbers later (pdftotext): placed only when counts fit.
    reading_order.align(report, runs, doc.aligned)
    # Rows the damage made uncertain: rebuilt only where the identities allow one reading.
    (recovery.recover if collapsed_lines else joint_splits.recover_one_line)(report)
    if doc.ocr is not None:
        _report_ocr(report, doc.ocr)
    _report_reading(report, doc)
    if menu:  # (the menu's first heading is where the note points)
        shown = "、".join(f"「{h.text}」" for h in menu[:3]) + ("等" if len(menu) > 3 else "")
        note = f"正文之前的{shown}，其所属部分的标题在后文出现，视为网站导航或目录，不作为部分标题"
        source = doc.lines[menu[0].line].cells[0].source
        report.diagnostics.append(Finding("R013", WHOLE_DOCUMENT, source=source, params={"note": note}))
    _fill_sections(doc, report, hits, table_lines)
    report.meta = read_metadata(doc, hits[0].line if hits else None)
    report.meta.format_version = _format_version(report)
    return report, bool(hits) or any(report.tables_found.values())


def _report_ocr(report: Report, ocr: OcrSummary) -> None:
    """R010 for a document read (partly) by OCR; R011 for each table cell of the report whose text
    was recognised with low confidence."""
    by_source = {cell.source: cell for cell in report.cells.values() if cell.source is not None}
    scopes: list[tuple[str, Callable[[Provenance], bool]]] = []
    if ocr.pages:
        scopes.append((f"第{pages_zh(ocr.pages)}页是扫描图像", lambda s: s.page in ocr.pages))
    if ocr.picture_pages:
        scopes.append(
            (f"第{pages_zh(ocr.picture_pages)}页有图片（表格可能以图片发布）", lambda s: s.page in ocr.picture_pages)
        )
    if ocr.pictures:
        scopes.append((f"文中有 {ocr.pictures} 张图片（表格可能以图片发布）", lambda s: s in ocr.sources))
    for scope, read_there in scopes:
        cells = sum(1 for source in by_source if read_there(source))
        report.diagnostics.append(Finding("R010", WHOLE_DOCUMENT, params={"scope": scope, "cells": cells}))
    for source, text, confidence in ocr.doubts:
        cell = by_source.get(source)
        if cell is not None:
            report.diagnostics.append(
                Finding(
                    "R011",
                    cell.key,
                    found=text,
                    source=source,
                    params={"confidence": f"{confidence:.2f}", "threshold": f"{ocr.threshold:.2f}"},
                )
            )


# R014's advice: the pictures of a PDF or a Word file are in it, read by --ocr; a web page's are
# read by --ocr when saved with it (data: addresses, a "complete" save, a single-file page), never
# fetched from the network. With --ocr given, the pictures still counted are those OCR could not read.
PICTURES_INSIDE = frozenset({"pdf", "docx"})  # readers whose files hold their pictures
PICTURE_HINT_ZH = "加 --ocr 选项可用 OCR 识别图片中的表格"
PAGE_PICTURE_HINT_ZH = "加 --ocr 选项可识别随网页一起保存的图片（xxgk 不联网下载图片，请把网页连同图片另存到本地）"
UNREAD_PICTURE_HINT_ZH = "已按 --ocr 选项识别图片，但这些图片无法识别，原因见读取说明（R013）"


def _report_reading(report: Report, doc: RawDocument) -> None:
    """R012 for PDF pages left unread for want of a text layer; R013 for each note of the reader;
    R014 when tables are missing and the text holds pictures that may be them."""
    missing = [table.name for key, table in report.spec.tables.items() if not report.tables_found.get(key)]
    if doc.pictures and missing:
        if doc.read_with_ocr:  # (every such picture was given to OCR: the notes say why each failed)
            hint = UNREAD_PICTURE_HINT_ZH
        else:
            hint = PICTURE_HINT_ZH if doc.reader in PICTURES_INSIDE else PAGE_PICTURE_HINT_ZH
        params = {"tables": "、".join(missing), "pictures": doc.pictures, "hint": hint}
        report.diagnostics.append(Finding("R014", WHOLE_DOCUMENT, params=params))
    if doc.textless_pages:
        params = {"pages": pages_zh(doc.textless_pages), "hint": OCR_HINT_ZH}
        report.diagnostics.append(Finding("R012", WHOLE_DOCUMENT, params=params))
    for note in doc.notes:
        report.diagnostics.append(Finding("R013", WHOLE_DOCUMENT, params={"note": note}))


def _fill_sections(doc: RawDocument, report: Report, hits: list, table_lines: set[int]) -> None:  # type: ignore[type-arg]
    bounds = [h.line for h in hits] + [len(doc.lines)]
    for h, end in zip(hits, bounds[1:], strict=True):
        section = report.sections[h.section.key]
        report.heading_order.append(h.section.key)
        paragraphs = []
        for i in range(h.last_line + 1, end):
            if i in table_lines:
                continue
            text = doc.texts[i]
            if text:
                paragraphs.append(text)
        text = "\n".join(paragraphs)
        if section.found:  # the heading printed twice: keep both texts
            section.text = f"{section.text}\n{text}".strip()
            continue
        section.heading = h.text
        section.text = text
        src = doc.lines[h.line].cells[0].source
        section.source = Provenance(src.file, src.line)


def _format_version(report: Report) -> str:
    seen = {fid for fid, labels in report.markers.items() if labels}
    if seen == {"gov2021", "gov2019"}:
        return "mixed"
    if seen:
        return seen.pop()
    return "unknown"
