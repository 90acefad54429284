"""The real published reports of shared/corpus: read without crashing, every read value honest.

Crawler text damages tables (digits split over lines, identical cells collapsed); until the
damaged-text reader exists, such rows must come out missing with R001, never as wrong numbers.
"""

from __future__ import annotations

import re

import pytest

from xxgk import check_report, read_report
from xxgk.errors import XxgkError

from .conftest import CORPUS, FIXTURES

# Every real published report of shared/corpus in the repository: most in fixtures/corpus, the
# HTML/text twins, the 2019-format texts with their hand-written cells and the one-line pages in
# their own folders (their READMEs say where each came from).
FILES = sorted(
    {
        p.name: p
        for folder in (CORPUS, FIXTURES / "twins", FIXTURES / "format2019", FIXTURES / "one_line")
        for p in folder.iterdir()
        if p.suffix in (".txt", ".html")
    }.values()
)
IDENTITY_CODES = ("C011", "C021", "C031", "C041")
# The reports in the 2019 format (国办公开办函〔2019〕60号), by file-name prefix (corpus README);
# 109 and 114 cite the 2019 notice but print the 2021 tables.
GOV2019 = ("101", "102", "103", "110", "901", "902", "903")


@pytest.mark.skipif(not FILES, reason="shared/corpus not present")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_reads_and_identities_hold_or_are_reported(path) -> None:  # type: ignore[no-untyped-def]
    try:
        report = read_report(path)
    except XxgkError as e:
        assert path.suffix == ".html" and "HTML" in e.message
        return
    assert report.meta.year is not None and report.meta.agency
    findings = check_report(report)
    # No value we read breaks an identity: damaged rows are missing (R001/C061), not misread.
    assert not [f for f in findings if f.code in IDENTITY_CODES], path.name
    expected_version = "gov2019" if path.name.startswith(GOV2019) else "gov2021"
    assert report.meta.format_version == expected_version


@pytest.mark.skipif(not FILES, reason="shared/corpus not present")
def test_sanming_2024_values() -> None:
    report = read_report(CORPUS / "004-sanming-shizf-2024.txt")
    values = {k: report.cells[k].value for k in report.cells}
    assert values["t3.new_received.total"] == 357
    assert values["t3.new_received.natural_person"] == 300
    assert values["t3.processed_total.total"] == 346
    assert values["t3.carried_over_out.total"] == 11
    assert str(values["t2.administrative_fees.amount_wan_yuan"]) == "14515.939627"
    assert values["t4.review.total"] == 4 and values["t4.litigation_direct.total"] == 2
    assert not [f for f in check_report(report) if f.severity == "error"]


def test_every_file_of_the_shared_corpus_is_in_the_repository() -> None:
    # 32 files (27 reports): the corpus README lists them; each is read by the test above.
    listed = set(re.findall(r"^\| (\d{3}-[\w-]+\.(?:txt|html)) \|", (CORPUS / "README.md").read_text("utf-8"), re.M))
    assert len(listed) == 32
    assert listed == {p.name for p in FILES}


def test_prose_before_a_table_is_no_row_the_agency_added() -> None:
    # 104's preface names 收到和处理…申请情况 and 行政复议 (column words of 表三/表四), then its
    # sentence on the period runs one word a line (需要 | … | 20 | 21 | 年): no B041 "格式以外的行",
    # while a row the agency did add inside a read table still is one (tests/rules, B041).
    report = read_report(CORPUS / "104-putian-pthyyyyj-2021.txt")
    assert report.extensions == []
    codes = {f.code for f in check_report(report)}
    assert "B041" not in codes
    assert report.cells["t3.new_received.total"].value is not None
