"""The real published reports of shared/corpus: read without crashing, every read value honest.

Crawler text damages tables (digits split over lines, identical cells collapsed); until the
damaged-text reader exists, such rows must come out missing with R001, never as wrong numbers.
"""

from __future__ import annotations

import pytest

from xxgk import check_report, read_report
from xxgk.errors import XxgkError

from .conftest import CORPUS

FILES = sorted(CORPUS.glob("*.txt")) + sorted(CORPUS.glob("*.html")) if CORPUS.exists() else []
IDENTITY_CODES = ("C011", "C021", "C031", "C041")


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
    expected_version = "gov2019" if path.name.startswith("9") else "gov2021"
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
