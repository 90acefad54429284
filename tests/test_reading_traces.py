"""Never blame the report for what the reader lost (issue 19 §1), and labels misspelt by more than
one character (§2.7).

A row, table or title the reader did not place, but whose text is in the document, is a reading
note (R017, R018) naming where it was seen, with the row's cells missing; B031/B032/B051 are left
for what has no trace anywhere. Every input is the rule tests' clean report with one change: small
texts, read from bytes (no files), so these tests stay cheap.
"""

from __future__ import annotations

import html
import random

import pytest

from tests.generate import random_consistent_tables, write_report
from tests.rules.cases import CLEAN, Change, requests
from xxgk.api import check_report, read
from xxgk.findings import Finding, Severity
from xxgk.format import load_format
from xxgk.readers.base import RawCell, RawDocument, RawLine
from xxgk.recognize import recognize
from xxgk.report import CellState, Provenance, Report

SPEC = load_format("gov2021")
TITLE = "某某镇人民政府2024年政府信息公开工作年度报告"
GRANTED = "\t（一）予以公开\t\t0\t0\t0\t0\t0\t0\t0\n"
GRANTED_CELLS = [key for key in SPEC.cells if key.startswith("t3.granted.")]


def checked(text: str, name: str = "report.txt") -> tuple[Report, list[Finding]]:
    report = read(text.encode("utf-8"), name=name)
    return report, check_report(report)


def blame(findings: list[Finding]) -> set[str]:
    """The codes that hold the report at fault (B/C warnings and errors; C062 says only that an
    identity could not be checked)."""
    return {f.code for f in findings if f.code[0] in "BC" and f.severity is not Severity.INFO}


def line_of(text: str, needle: str) -> int:
    """The 1-based line of `text` that holds `needle`."""
    return next(n for n, line in enumerate(text.split("\n"), start=1) if needle in line)


# The forms in which a row's label is printed but not read: run into other text, cut over lines
# one piece per line, a number printed inside it (a broken extraction), a note before it. Each
# starts on the line of the group label 三、本年度办理结果 (the row's first line).
GROUP_LINE = "三、本年度办理结果"
UNREAD_FORMS = {
    "note-after-label": "\t（一）予以公开（含部分）\t\t0\t0\t0\t0\t0\t0\t0\n",
    "cut-over-lines": "（一）\n予以公开\n0\n0\n0\n0\n0\n0\n0\n",  # (run into the group label's cell)
    "number-inside": "\t（一） 0 予以公开 0 0 0 0 0 0\n",
    "note-before-label": "\t注：（一）予以公开\t\t0\t0\t0\t0\t0\t0\t0\n",
}


@pytest.mark.parametrize("form", UNREAD_FORMS.values(), ids=list(UNREAD_FORMS))
def test_a_row_printed_but_not_read_is_a_reading_note_not_a_missing_row(form: str) -> None:
    text = Change(edits=((GRANTED, form),)).text()
    report, findings = checked(text)
    notes = [f for f in findings if f.code == "R017"]
    assert [f.location for f in notes] == ["t3.granted"]
    assert notes[0].source is not None and notes[0].source.line == line_of(text, GROUP_LINE)
    assert f"在原文第{line_of(text, GROUP_LINE)}行" in notes[0].message(SPEC)
    assert blame(findings) == set()
    assert "B041" not in {f.code for f in findings}  # (the row is no local addition either)
    for key in GRANTED_CELLS:  # missing, never 0
        assert report.cells[key].value is None
        assert report.cells[key].state is CellState.ABSENT


def test_a_bare_label_with_a_note_in_brackets_is_a_trace_of_its_row() -> None:
    text = Change(edits=(("规章\t0\t0\t0\n", "规章（含地方性法规）\t0\t0\t0\n"),)).text()
    _, findings = checked(text)
    assert [(f.code, f.found) for f in findings if f.code in ("R017", "B032")] == [("R017", "规章（含地方性法规）")]


def test_a_row_with_no_trace_anywhere_is_still_missing() -> None:
    text = Change(edits=(("\t\t3.其他\t0\t0\t0\t0\t0\t0\t0\n", ""),)).text()
    _, findings = checked(text)
    codes = {f.code for f in findings}
    assert "B032" in codes and "R017" not in codes


def test_a_short_label_starting_a_sentence_is_no_trace_of_its_row() -> None:
    text = Change(
        edits=(
            ("\t\t3.其他\t0\t0\t0\t0\t0\t0\t0\n", ""),
            ("六、其他需要报告的事项\n", "六、其他需要报告的事项\n3.其他方面：无。\n"),
        )
    ).text()
    _, findings = checked(text)
    located = {(f.code, f.location) for f in findings}
    assert ("B032", "t3.other_other") in located and "R017" not in {code for code, _ in located}


def test_a_bare_label_in_the_prose_is_no_trace_of_its_row() -> None:
    # The clean report's prose names 行政许可 (“…规范性文件和行政许可、处罚…”): a word of a sentence,
    # not the row.
    text = Change(edits=(("行政许可\t0\t\t\n", ""),)).text()
    assert "行政许可" in text
    _, findings = checked(text)
    located = {(f.code, f.location) for f in findings}
    assert ("B032", "t2.administrative_licensing") in located
    assert "R017" not in {code for code, _ in located}


def _table_two_on_one_line(text: str) -> tuple[str, str]:
    """The report with 表二 run together on one line (a crawler's textContent), and that line."""
    start, end = text.index("第二十条第（一）项"), text.index("\n\n三、")
    line = "".join(text[start:end].split())
    return text[:start] + line + text[end:], line


def test_a_table_printed_but_not_read_is_a_reading_note_not_a_missing_table() -> None:
    text, line = _table_two_on_one_line(CLEAN.text())
    report, findings = checked(text)
    notes = [f for f in findings if f.code == "R017"]
    assert [(f.location, f.source and f.source.line) for f in notes] == [("t2", line_of(text, line))]
    assert "B031" not in {f.code for f in findings}
    assert all(report.cells[key].value is None for key in SPEC.cells if key.startswith("t2."))


def test_a_table_with_no_trace_is_still_missing() -> None:
    # The prose still names 规章、规范性文件和行政许可: words of a sentence, no trace of the table.
    text = CLEAN.text()
    text = text[: text.index("第二十条第（一）项")] + text[text.index("\n\n三、") :]
    _, findings = checked(text)
    located = {(f.code, f.location) for f in findings}
    assert ("B031", "t2") in located and "R017" not in {code for code, _ in located}


# Real reports' labels with characters lost (issue 19 §2.7): (row, printed label).
TYPOS = {
    "withheld_internal_affairs": ("5.属于三类内部事务信息", "5.属于三类内部信息"),
    "withheld_prohibited_by_law": ("2.其他法律行政法规禁止公开", "2.其他法律法规禁止公开"),
}


@pytest.mark.parametrize("row", TYPOS, ids=list(TYPOS))
def test_a_label_misspelt_by_several_characters_is_read_and_noted(row: str) -> None:
    official, printed = TYPOS[row]
    text = Change(cells=requests(row, 3), edits=((official, printed),)).text()
    report, findings = checked(text)
    assert report.value(f"t3.{row}.natural_person") == 3
    assert report.value(f"t3.{row}.total") == 3
    noted = [f for f in findings if f.code == "R003" and f.location == f"t3.{row}"]
    assert [(f.expected, f.found) for f in noted] == [(official, printed)]
    assert blame(findings) == set()


def test_a_misspelt_label_never_takes_a_row_already_read() -> None:
    # The row is printed as it is, and a local row that looks like it follows: that is no typo of it.
    official = "\t\t5.属于三类内部事务信息\t0\t0\t0\t0\t0\t0\t0\n"
    local = "\t\t5.属于三类内部信息\t1\t0\t0\t0\t0\t0\t1\n"
    report, findings = checked(Change(edits=((official, official + local),)).text())
    assert report.value("t3.withheld_internal_affairs.natural_person") == 0
    assert "R003" not in {f.code for f in findings}
    assert [e["label"] for e in report.extensions] == ["5.属于三类内部信息"]


def _page(text: str, head: str) -> bytes:
    """The report as a web page: paragraphs, and each run of TAB lines as a table, after `head`."""
    body: list[str] = []
    rows: list[str] = []
    for line in [*text.split("\n"), ""]:
        if "\t" in line:
            rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in line.split("\t")) + "</tr>")
            continue
        if rows:
            body.append("<table border='1'>" + "".join(rows) + "</table>")
            rows.clear()
        if line:
            body.append(f"<p>{html.escape(line)}</p>")
    return f"<html><body>{head}<div>{''.join(body)}</div></body></html>".encode()


def test_a_title_in_a_site_menu_line_is_a_reading_note() -> None:
    menu = f"<div>首页 | 政务公开 | 年度报告 | {TITLE} | 发布时间：2025-01-15 | 来源：某某镇人民政府办公室</div>"
    report = read(_page(CLEAN.text().replace(TITLE + "\n", ""), menu), name="report.html")
    findings = check_report(report)
    notes = [f for f in findings if f.code == "R018"]
    assert [(f.found, f.source and f.source.line) for f in notes] == [(TITLE, 1)]
    assert "B051" not in {f.code for f in findings}


def test_an_agency_named_only_by_a_title_not_read_is_no_missing_agency() -> None:
    title_line = f"{TITLE}　发布时间：2025-01-15　来源：某某镇人民政府办公室　浏览次数：123　字号：大 中 小"
    unsigned = (("某某镇人民政府\n2025年1月15日", "2025年1月15日"),)
    _, findings = checked(Change(edits=((TITLE, title_line), *unsigned)).text())
    codes = {f.code for f in findings}
    assert "R018" in codes and not codes & {"B051", "B052"}
    # The same report with no title anywhere: the agency is unknown, and that is the report's.
    _, findings = checked(Change(edits=((TITLE + "\n", ""), *unsigned)).text())
    assert {"B051", "B052"} <= {f.code for f in findings}


def test_a_title_after_the_first_heading_is_a_reading_note() -> None:
    text = Change(edits=((TITLE + "\n", ""), ("一、总体情况\n", f"一、总体情况\n{TITLE}\n"))).text()
    _, findings = checked(text)
    assert [f.found for f in findings if f.code == "R018"] == [TITLE]
    assert "B051" not in {f.code for f in findings}


def test_a_report_without_any_title_still_has_none() -> None:
    _, findings = checked(Change(edits=((TITLE + "\n", ""),)).text())
    codes = {f.code for f in findings}
    assert "B051" in codes and "R018" not in codes


def test_a_trace_in_a_pdf_is_named_by_page_and_line() -> None:
    text = Change(edits=((GRANTED, UNREAD_FORMS["note-after-label"]),)).text()
    lines = []
    for n, line in enumerate(text.split("\n"), start=1):
        page, on_page = divmod(n - 1, 30)  # 30 lines a page
        source = Provenance("report.pdf", line=on_page + 1, page=page + 1, reader="pdf")
        lines.append(RawLine(tuple(RawCell(c, source) for c in line.split("\t"))))
    report = recognize(RawDocument("report.pdf", lines, reader="pdf"))
    note = next(f for f in check_report(report) if f.code == "R017")
    page, on_page = divmod(line_of(text, GROUP_LINE) - 1, 30)
    assert f"在原文第{page + 1}页第{on_page + 1}行可见" in note.message(SPEC)


A_ROW, B_ROW = "t3.withheld_state_secret", "t3.withheld_prohibited_by_law"
B_LABEL = "2.其他法律行政法规禁止公开"


@pytest.mark.parametrize("layout", ["tab", "cell_per_line", "pipe"])
@pytest.mark.parametrize("printed", ["二其它法规禁正公开事项", "2.其他法"])
def test_a_blank_row_never_takes_the_numbers_of_a_row_whose_label_is_not_read(layout: str, printed: str) -> None:
    # 1.属于国家秘密 printed blank, then 2.其他法律… garbled past recognition or cut short: its numbers
    # were read as the blank row's (seven wrong values, no note). Now the blank row is blank.
    values = random_consistent_tables(random.Random(3))
    blank = {k for k in values if k.startswith(A_ROW + ".")}
    text = write_report(values, layout, missing=blank).replace(B_LABEL, printed)
    report = read(text.encode("utf-8"), name="r.txt")
    assert all(report.cells[k].value is None for k in blank), layout
    assert all(report.cells[k].value in (None, values[k]) for k in values)  # nothing read in another's place


def test_a_row_label_cut_short_is_that_rows_note_not_a_missing_row() -> None:
    # 2.其他法 | 12 | 6 | …: the label's start with the row's numbers, read as a row of its own. The
    # row is in the document: R017 on it, never B032 "表三缺少…行" beside a note that it was seen.
    values = random_consistent_tables(random.Random(3))
    report = read(write_report(values, "tab").replace(B_LABEL, "2.其他法").encode("utf-8"), name="r.txt")
    findings = [(f.code, f.location) for f in check_report(report)]
    assert ("R017", B_ROW) in findings
    assert not [f for f in findings if f[0] in ("B032", "B041")]
