"""R: reading — what the reader repaired, chose or could not decide, and B042 (a local subtotal
column, found while reading).

A code whose firing input is a PDF, a picture or damaged text built elsewhere is fired by the
test named in ELSEWHERE (the enforcement test checks that it exists and names the code); the
clean report is its quiet case.
"""

from __future__ import annotations

from tests.rules.cases import CLEAN, Case, Change, Elsewhere

NEW_RECEIVED = "一、本年新收政府信息公开申请数量\t\t\t0\t0\t0\t0\t0\t0\t0"
GRANTED = "\t（一）予以公开\t"
TITLE = "某某镇人民政府2024年政府信息公开工作年度报告"
PAGE_INFO = "　发布时间：2025-01-15　来源：某某镇人民政府办公室　浏览次数：123　字号：大 中 小"

CASES = [
    Case(
        "R001",  # two of the row's seven numbers lost (no blank fields left in their place): which ones?
        fires=Change(edits=((NEW_RECEIVED, "一、本年新收政府信息公开申请数量\t0\t0\t0\t0\t0"),)),
        quiet=CLEAN,
    ),
    Case(
        "R003",
        fires=Change(edits=(("2.没有现成信息需要另行制作\t", "2.没有现成信息需要另行制\t"),)),
        quiet=CLEAN,
    ),
    Case("R004", fires=Change(edits=(("行政规范性文件\t0", "行政规范性文件\t0（其中修订0件）"),)), quiet=CLEAN),
    Case("R016", fires=Change(edits=(("行政许可\t0", "行政许可\t3 3"),)), quiet=CLEAN),  # 33 or 3 and 3?
    Case(
        "R017",  # the row's label run into a note: not read, but there (no B032); a row truly gone gives none
        fires=Change(edits=((GRANTED, "\t（一）予以公开（含部分）\t"),)),
        quiet=Change(edits=(("\t\t3.其他\t0\t0\t0\t0\t0\t0\t0\n", ""),)),
    ),
    Case(
        "R018",  # the title on one line with the page's 发布时间 (not read as the title, but there)
        fires=Change(edits=((TITLE, TITLE + PAGE_INFO),)),
        quiet=Change(edits=((TITLE + "\n", ""),)),  # no title anywhere: B051, not R018
    ),
    Case(
        "R013",  # a Word bookmark left in the text by a converter, removed while reading
        fires=Change(edits=(("二、主动公开政府信息情况\n", "二、主动公开政府信息情况\n[bookmark: _GoBack]"),)),
        quiet=CLEAN,
    ),
]

ELSEWHERE = [
    Elsewhere("R020", "tests/test_limits.py::test_nested_parts_share_one_budget"),
    Elsewhere("B042", "tests/test_variations.py::test_legal_person_subtotal_that_does_not_add_up"),
    Elsewhere("R005", "tests/test_reader_pdf.py::test_scanned_pdf_is_refused_with_its_code"),
    Elsewhere("R006", "tests/test_recover.py::test_issue_example_t3_row_run_together"),
    Elsewhere("R007", "tests/test_recover.py::test_issue_example_t2_row_run_together_is_ambiguous"),
    Elsewhere("R021", "tests/test_one_line_text.py::test_rows_split_jointly_set_the_cells_all_readings_agree_on"),
    Elsewhere(
        "R019", "tests/test_recover.py::test_a_blank_cell_in_a_row_printed_on_one_line_is_not_a_collapsed_duplicate"
    ),
    Elsewhere("R008", "tests/test_reading_order.py::test_table_three_block_labels_then_numbers"),
    Elsewhere("R009", "tests/test_reading_order.py::test_table_two_block_labels_then_numbers"),
    Elsewhere("R010", "tests/test_reader_ocr.py::test_ocr_reads_every_cell_of_a_scan_and_reports_it"),
    Elsewhere("R011", "tests/test_reader_ocr.py::test_ocr_reads_every_cell_of_a_scan_and_reports_it"),
    Elsewhere("R012", "tests/test_reader_pdf.py::test_some_pages_scanned_reads_the_rest_with_a_note"),
    Elsewhere("R014", "tests/test_tables_as_pictures.py::test_pictures_in_a_web_page"),
    Elsewhere(
        "R015",
        "tests/test_reading_order.py::test_numbers_that_do_not_fit_their_labels_leave_the_rows_unknown_not_blank",
    ),
]
