"""Broken text extraction of PDFs and OCR/LLM Markdown (issue 19 §2.5, §2.6): every cell right,
or missing and flagged by a reading note (R-code); never a wrong value, never a B/C error that the
reader caused.

§2.5 cases are a report's text as `pdftotext -layout` prints it (each table row on one line, its
cells a run of spaces apart), damaged one way each: notes in parentheses inside 表二 cells
(`17（其中修订 5 件）`), a table's numbers printed after all its labels, footnotes after 表四, a
stray page number between rows. §2.6 cases are the seed and corpus reports' cells written back as
the Markdown OCR and LLM tools emit: 表三 split into one table per row group under generic or
misleading headers, 表四 split in three.

The writers here are shared with benchmarks/fidelity.py (forms txt-broken, md-groups) and the fuzzer
(tests/fuzz_readers.py, form `broken`).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from tests.conftest import CORPUS, SEEDS
from tests.generate import SPEC, _text, random_consistent_tables, report_blocks, write_report
from xxgk.api import check_report, read
from xxgk.findings import Finding
from xxgk.report import CellState, Report

Values = Mapping[str, Any]
Hook = Callable[[str, list[list[str]]], list[str]]  # (table, printed rows) -> the table's lines

# Notes as real 表二 cells print them: the count first, then what it includes.
NOTES = {
    "t2.normative_documents.issued": (17, "（其中修订 5 件）"),
    "t2.normative_documents.repealed": (40, "（含自然失效 12 件）"),
}
# Warnings that follow any missing cell (the cell itself, the identity it leaves open): they say
# what is missing, they do not blame the report for a value.
MISSING_CELL_CODES = frozenset({"C061", "C062"})


# ---------------------------------------------------------------------------------------------
# Writers


def layout_text(values: Values, hook: Hook | None = None, blank: frozenset[str] = frozenset()) -> str:
    """The report as `pdftotext -layout` prints it: one line per table row, cells 4 spaces apart,
    blank and merged cells left out. `hook` rewrites a table's lines (the damage)."""
    lines: list[str] = []
    tables = iter(("t2", "t3", "t4"))
    for kind, content in report_blocks(values, missing=blank):
        if kind == "table":
            rows = [[c for c in r if c] for r in content]
            lines += hook(next(tables), rows) if hook else ["    ".join(r) for r in rows]
        else:
            lines.append(content)
    return "\n".join(lines)


def _is_number(text: str) -> bool:
    return text.replace(".", "", 1).isdigit()


def numbers_after_labels(table: str, one_per_line: bool) -> Hook:
    """`table`'s labels first, a line each, then its numbers (a row's numbers on a line, or one
    number per line): the flow order of a PDF whose text runs column by column."""

    def hook(t: str, rows: list[list[str]]) -> list[str]:
        if t != table:
            return ["    ".join(r) for r in rows]
        head = 3 if t == "t3" else 0
        body = rows[head:]
        labels = [" ".join(c for c in r if not _is_number(c)) for r in body]
        numbers = [[c for c in r if _is_number(c)] for r in body]
        tail = [n for r in numbers for n in r] if one_per_line else ["  ".join(r) for r in numbers if r]
        return ["    ".join(r) for r in rows[:head]] + [x for x in labels if x] + tail

    return hook


FOOTNOTES = ("注：1.本表统计时限为2024年1月1日至2024年12月31日。", "2.行政复议3件均为上年结转，行政诉讼1件尚未审结。")


def footnotes_after_t4(t: str, rows: list[list[str]]) -> list[str]:
    return ["    ".join(r) for r in rows] + (list(FOOTNOTES) if t == "t4" else [])


def stray_number_in_t3(t: str, rows: list[list[str]]) -> list[str]:
    """A page number printed alone between two rows of 表三 (a page break inside the table)."""
    lines = ["    ".join(r) for r in rows]
    return [*lines[:10], "3", *lines[10:]] if t == "t3" else lines


def numbers_above_label(t: str, rows: list[list[str]]) -> list[str]:
    """表三's rows with their numbers on the line above their label (a label wrapped over three
    lines, the numbers beside the first, the label printed whole below)."""
    if t != "t3":
        return ["    ".join(r) for r in rows]
    out = ["    ".join(r) for r in rows[:3]]
    for r in rows[3:]:
        numbers = [c for c in r if _is_number(c)]
        out += ["    ".join(numbers), " ".join(c for c in r if not _is_number(c))]
    return out


BROKEN = {
    "t3-rows-after-labels": numbers_after_labels("t3", one_per_line=False),
    "t3-numbers-after-labels": numbers_after_labels("t3", one_per_line=True),
    "t2-rows-after-labels": numbers_after_labels("t2", one_per_line=False),
    "t4-footnotes": footnotes_after_t4,
    "t3-stray-number": stray_number_in_t3,
    "t3-numbers-above-label": numbers_above_label,
}


def with_notes(values: Values) -> tuple[dict[str, Any], dict[str, Any]]:
    """(truth, printed): the values with NOTES' counts, and the same with their notes printed."""
    truth, printed = dict(values), dict(values)
    for key, (count, note) in NOTES.items():
        truth[key], printed[key] = count, f"{count}{note}"
    return truth, printed


def broken_text(values: Values, blank: frozenset[str], seed: int) -> str:
    """One broken extraction of a report with `values` (for the benchmark and the fuzzer): NOTES'
    notes printed after the cells' own values, and the damage chosen by `seed` (or none)."""
    printed = dict(values)
    for key, (_, note) in NOTES.items():
        if key not in blank:
            printed[key] = f"{_text(values[key])}{note}"
    forms = [None, *BROKEN.values()]
    return layout_text(printed, forms[seed % len(forms)], blank)


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _md_header(cells: list[str]) -> list[str]:
    return [_md_row(cells), _md_row(["---"] * len(cells))]


# Headers that OCR/LLM tools put over 表三's groups: six generic columns for a row of nine cells
# (group, label, seven values), and a real-looking header repeated over every group, whose column
# names are not 表三's columns at all.
MD_STYLES = ("generic6", "misleading", "label-only", "t4-split")
_MISLEADING = ["项目", "本年新收件数", "上年结转件数", "予以公开", "部分公开", "不予公开", "无法提供", "总计"]


def _t3_markdown(values: Values, style: str, blank: frozenset[str]) -> list[str]:
    t3 = SPEC.tables["t3"]
    groups = {g.key: g for g in t3.groups}
    group_of = {r.key: r.group for r in t3.rows}
    out: list[str] = []
    current: object = object()
    for phys in t3.physical_rows:
        assert phys.label is not None
        cells = ["" if k in blank else _text(values[k]) for k in phys.cells]
        group = group_of[phys.key]
        first = group != current
        if first:  # one Markdown table per row group
            current = group
            out.append("")
            if style == "generic6":
                out += _md_header(["项目", *(f"数据{i}" for i in range(1, 7))])
            elif style == "misleading":
                out += _md_header(_MISLEADING)
            else:
                out += _md_header(["项目", *(f"数据{i}" for i in range(1, len(cells) + 1))])
        if style == "label-only":
            out.append(_md_row([phys.label.text, *cells]))
        else:
            label = groups[group].label.text if group is not None and first else ""
            out.append(_md_row([label, phys.label.text, *cells]))
    return out


def _t4_markdown(values: Values, style: str, blank: frozenset[str]) -> list[str]:
    (phys,) = SPEC.tables["t4"].physical_rows
    cells = ["" if k in blank else _text(values[k]) for k in phys.cells]
    if style != "t4-split":
        return [*_md_header(["项目", *(f"数据{i}" for i in range(1, len(cells)))]), _md_row(cells)]
    out: list[str] = []
    for caption, part in zip(
        ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"), range(3), strict=True
    ):
        out += ["", caption, "", *_md_header([f"数据{i}" for i in range(1, 6)])]
        out.append(_md_row(cells[5 * part : 5 * part + 5]))
    return out


def ocr_markdown(values: Values, style: str, blank: frozenset[str] = frozenset()) -> str:
    """A report with `values` as OCR/LLM Markdown in `style` (MD_STYLES)."""
    lines: list[str] = []
    tables = iter(("t2", "t3", "t4"))
    for kind, content in report_blocks(values, missing=blank):
        if kind == "table":
            table = next(tables)
            if table == "t3":
                lines += _t3_markdown(values, style, blank)
            elif table == "t4":
                lines += _t4_markdown(values, style, blank)
            else:
                width = max(len(r) for r in content)
                lines += _md_header(["项目", *(f"数据{i}" for i in range(1, width))])
                lines += [_md_row(r + [""] * (width - len(r))) for r in content]
            lines.append("")
        elif content.startswith(tuple("一二三四五六")) and "、" in content[:2]:
            lines += [f"## {content}", ""]
        else:
            lines += [content, ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Scoring


def outcome(report: Report, truth: Values) -> tuple[int, list[str], list[str]]:
    """(cells right, keys missing, keys wrong): a wrong value is a number other than the truth."""
    right, missing, wrong = 0, [], []
    for key, value in truth.items():
        got = report.cells[key].value if key in report.cells else None
        if got is None:
            missing.append(key)
        elif got == value and value is not None:
            right += 1
        else:
            wrong.append(key)
    return right, missing, wrong


def blamed(report: Report, clean: Report) -> set[str]:
    """B/C codes the reading adds to what the same report read cleanly gets."""
    codes = {f.code for f in check_report(report) if f.code[0] in "BC"}
    return codes - {f.code for f in check_report(clean) if f.code[0] in "BC"} - MISSING_CELL_CODES


def reading_codes(report: Report) -> set[str]:
    return {d.code for d in report.diagnostics if isinstance(d, Finding) and d.code.startswith("R")}


@pytest.fixture(scope="module")
def noted() -> tuple[dict[str, Any], dict[str, Any], Report]:
    truth, printed = with_notes(random_consistent_tables(random.Random(3)))
    return truth, printed, read(write_report(truth, "tab").encode("utf-8"), name="clean.txt")


# ---------------------------------------------------------------------------------------------
# §2.5: notes inside cells


@pytest.mark.parametrize("form", ["tab", "pipe", "cell_per_line", "layout", "layout-no-spaces", "layout-ascii"])
def test_a_note_in_a_cell_is_not_a_second_value(
    noted: tuple[dict[str, Any], dict[str, Any], Report], form: str
) -> None:
    truth, printed, clean = noted
    if form.startswith("layout"):
        if form == "layout-no-spaces":
            printed = {k: v.replace(" ", "") if isinstance(v, str) else v for k, v in printed.items()}
        elif form == "layout-ascii":
            printed = {
                k: v.replace("（", "(").replace("）", ")") if isinstance(v, str) else v for k, v in printed.items()
            }
        text = layout_text(printed)
    else:
        text = write_report(printed, form)
    report = read(text.encode("utf-8"), name="r.txt")
    right, missing, wrong = outcome(report, truth)
    assert (right, missing, wrong) == (len(truth), [], [])
    for key, (count, note) in NOTES.items():
        cell = report.cells[key]
        assert cell.value == count and cell.state is CellState.NUMBER
        assert cell.note is not None and cell.note.replace(" ", "") == note.replace(" ", "")[1:-1]
    assert "R004" in reading_codes(report) and "R017" not in reading_codes(report)
    assert blamed(report, clean) == set()


def test_a_numbered_group_label_after_a_number_is_not_a_note(
    noted: tuple[dict[str, Any], dict[str, Any], Report],
) -> None:
    """`0（三）不予公开`: an enumeration mark starts a label; the 0 is not given a note （三）."""
    from xxgk.recognize.tables import _NOTED_NUMBER

    assert _NOTED_NUMBER.fullmatch("0（三）") is None and _NOTED_NUMBER.fullmatch("12(4)") is None
    assert _NOTED_NUMBER.fullmatch("17（其中修订 5 件）") and _NOTED_NUMBER.fullmatch("40(含自然失效12件)")


# ---------------------------------------------------------------------------------------------
# §2.5: numbers out of order, footnotes, stray numbers. Measured: every cell right, or missing and
# flagged (the codes below); no case reads a wrong value or adds a B/C error.

EXPECTED = {  # case -> (cells right at least, reading codes that must be there)
    # rows of 7 numbers a line after the 25 labels: a row a line, the identities pick the order
    "t3-rows-after-labels": (200, {"R008"}),
    "t3-numbers-after-labels": (200, {"R008"}),
    # 表二's rows a line each after the labels, each line the next row's count (R008); but
    # 行政规范性文件 kept its two noted cells beside its label and its third came later: which
    # column is which cannot be told (R009, its 3 cells uncertain)
    "t2-rows-after-labels": (197, {"R008", "R009"}),
    "t4-footnotes": (200, set()),
    # the page number alone on its line after a row complete on its own: left out, the row's
    # total confirming (R006: 略去单独成行的数字「3」)
    "t3-stray-number": (200, {"R006"}),
    # each row's numbers above its label: read as printed, every row took the next row's numbers
    # (160 wrong values, C031 blamed on the report); now read as one gap, a row a line (R008)
    "t3-numbers-above-label": (200, {"R008"}),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_extraction_reads_right_or_flags(
    noted: tuple[dict[str, Any], dict[str, Any], Report], case: str
) -> None:
    truth, printed, clean = noted
    report = read(layout_text(printed, BROKEN[case]).encode("utf-8"), name="r.txt")
    right, missing, wrong = outcome(report, truth)
    least, codes = EXPECTED[case]
    assert wrong == [] and right >= least and right + len(missing) == len(truth)
    assert codes <= reading_codes(report)
    if missing:  # every missing cell is flagged as a reading problem, not blamed on the report
        assert reading_codes(report) & {"R001", "R007", "R009", "R015", "R017"}
        assert all(report.cells[k].state in (CellState.UNCERTAIN, CellState.ABSENT) for k in missing)
    if case == "t2-rows-after-labels":
        assert {k.rsplit(".", 1)[0] for k in missing} == {"t2.normative_documents"}
    assert blamed(report, clean) == set()


# ---------------------------------------------------------------------------------------------
# §2.6: OCR/LLM Markdown of the seed and corpus reports


def _real_values() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in [*SEEDS, *sorted(CORPUS.glob("0*.txt"))]:  # the 2021-format text reports
        report = read(path)
        out.append((path.name, {k: report.cells[k].value for k in SPEC.cells}))
    return out


@pytest.fixture(scope="module")
def real_values() -> list[tuple[str, dict[str, Any]]]:
    return _real_values()


@pytest.mark.parametrize("style", MD_STYLES)
def test_ocr_markdown_of_real_reports_reads_every_cell(
    real_values: list[tuple[str, dict[str, Any]]], style: str
) -> None:
    assert len(real_values) >= 12
    for name, values in real_values:
        blank = frozenset(k for k, v in values.items() if v is None)
        report = read(ocr_markdown(values, style, blank).encode("utf-8"), name="r.md")
        assert {c.source.reader for c in report.cells.values() if c.value is not None and c.source} == {"markdown"}
        _, missing, wrong = outcome(report, {k: v for k, v in values.items() if v is not None})
        assert (missing, wrong) == ([], []), (name, style)
        # (表四 split in three with a group's cells blank, seed 003's 行政复议: blank, not missing)
        assert all(report.cells[k].state is CellState.EMPTY for k in blank), (name, style)
        unread = ("B031", "B032", "B041", "R001", "R009", "R015", "R017")
        codes = {f.location for f in check_report(report) if f.code in unread}
        assert not codes, (name, style, codes)


@pytest.mark.parametrize("style", MD_STYLES)
def test_ocr_markdown_blank_cell_keeps_the_row_in_place(style: str) -> None:
    """A blank cell in the last row of a group's table: the next table's header (项目 | 数据1 | …)
    is not the row's last cell (it was: the row's values moved one place left, the total read
    as 项目)."""
    values = random_consistent_tables(random.Random(1))
    blank = frozenset({"t3.carried_over_in.research_institution", "t3.withheld_state_secret.total"})
    report = read(ocr_markdown(values, style, blank).encode("utf-8"), name="r.md")
    _, missing, wrong = outcome(report, {k: v for k, v in values.items() if k not in blank})
    assert wrong == []
    assert missing == []
    assert all(report.cells[k].state is CellState.EMPTY for k in blank)


def test_a_stray_number_after_a_row_no_identity_binds_is_not_dropped(
    noted: tuple[dict[str, Any], dict[str, Any], Report],
) -> None:
    """A number alone on its line after 规章's row: in 表三 the identities confirm leaving it out
    (t3-stray-number); 表二's rows have none, so the row stays uncertain (R001), never read without
    it on a guess."""
    truth, printed, clean = noted

    def stray_after_regulations(t: str, rows: list[list[str]]) -> list[str]:
        lines = ["    ".join(r) for r in rows]
        at = next(i for i, r in enumerate(rows) if r and r[0] == "规章") + 1 if t == "t2" else 0
        return [*lines[:at], "2", *lines[at:]] if t == "t2" else lines

    report = read(layout_text(printed, stray_after_regulations).encode("utf-8"), name="r.txt")
    _, missing, wrong = outcome(report, truth)
    assert wrong == [] and set(missing) == {k for k in truth if k.startswith("t2.regulations.")}
    assert "R001" in reading_codes(report) and blamed(report, clean) == set()


@pytest.mark.parametrize("group", ["review", "litigation_direct", "litigation_after_review"])
def test_t4_split_in_three_with_a_group_left_blank(group: str) -> None:
    """表四 as three one-row Markdown tables, one of them all blank cells: its cells are blank
    (EMPTY), the other groups read in their places, and nothing is blamed on the report (it
    was: 表四 not read at all, B032 and B041, or the next group's numbers under the blank one)."""
    values = random_consistent_tables(random.Random(5))
    blank = frozenset(k for k in values if k.startswith(f"t4.{group}."))
    report = read(ocr_markdown(values, "t4-split", blank).encode("utf-8"), name="r.md")
    _, missing, wrong = outcome(report, {k: v for k, v in values.items() if k not in blank})
    assert (missing, wrong) == ([], [])
    assert all(report.cells[k].state is CellState.EMPTY for k in blank)
    clean = read(write_report(values, "tab", missing=blank).encode("utf-8"), name="clean.txt")
    assert blamed(report, clean) == set()
    assert {f.code for f in check_report(report)} & {"B031", "B032", "B041", "R001", "R015", "R017"} == set()


@pytest.mark.parametrize("case", ["t3-numbers-above-label", "t3-rows-after-labels", "t3-numbers-after-labels"])
def test_a_blank_cell_among_numbers_away_from_their_labels_is_placed_by_the_identities(
    noted: tuple[dict[str, Any], dict[str, Any], Report], case: str
) -> None:
    """One blank among 表三's numbers printed above or after their labels (it leaves no trace):
    read as printed, every row took the next row's numbers; then the whole table was uncertain
    (R015). The rows' totals cut the numbers one way only, the column identities place the short
    row's six (R019): every cell right but the blank one, which stays missing (not a number)."""
    truth, printed, _ = noted
    key = "t3.withheld_internal_affairs.commercial_enterprise"
    report = read(layout_text(printed, BROKEN[case], frozenset({key})).encode("utf-8"), name="r.txt")
    _, missing, wrong = outcome(report, {k: v for k, v in truth.items() if k != key})
    assert (missing, wrong) == ([], [])
    assert report.cells[key].value is None and report.cells[key].state is CellState.UNCERTAIN
    assert {"R008", "R019"} <= reading_codes(report) and "R015" not in reading_codes(report)
    blank_clean = read(write_report(truth, "tab", missing={key}).encode("utf-8"), name="clean.txt")
    assert blamed(report, blank_clean) == set()


def test_numbers_on_a_rows_label_line_stay_with_that_row() -> None:
    """Found by the fidelity benchmark (txt-broken-blanks, case 7061): a page number alone before
    4.保护第三方合法权益 (whose total is blank), and 5.属于三类内部事务信息 short of a blank cell
    whose value equals 4.'s last number. Moving one number from each row to the next made 5.'s
    total add up: three wrong values. Numbers printed on a row's label line are that row's."""
    rng = random.Random(7061)
    values = random_consistent_tables(rng)
    blank = frozenset(rng.sample(sorted(values), rng.randint(1, 6)))
    assert {"t3.withheld_third_party.total", "t3.withheld_internal_affairs.research_institution"} <= blank
    report = read(broken_text(values, blank, 7061).encode("utf-8"), name="r.txt")
    read_values = {k: c.value for k, c in report.cells.items() if c.state is CellState.NUMBER}
    assert {k: v for k, v in read_values.items() if v != values[k] or k in blank} == {}
    assert report.cells["t3.withheld_internal_affairs.natural_person"].value in (None, 11)
