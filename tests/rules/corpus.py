"""Family X (checks over several reports of the corpus): each code is fired, and kept quiet on its
twin, by the corpus tests named here (a corpus, not one changed report, is their input)."""

from __future__ import annotations

from tests.rules.cases import Case, Elsewhere

CASES: list[Case] = []  # (no single-report case can fire a rule over several reports)

RULES_TESTS = "tests/test_corpus_rules.py"
TOTALS_TESTS = "tests/test_corpus_region_totals.py"
ELSEWHERE = [
    Elsewhere("X011", f"{RULES_TESTS}::test_carry_over_mismatch_fires_per_column_and_across_formats"),
    Elsewhere("X021", f"{RULES_TESTS}::test_generated_corpus_is_consistent_and_a_broken_stock_is_warned"),
    Elsewhere("X031", f"{RULES_TESTS}::test_text_copied_from_last_year_and_from_another_agency"),
    Elsewhere("X032", f"{RULES_TESTS}::test_text_copied_from_last_year_and_from_another_agency"),
    Elsewhere("X041", f"{RULES_TESTS}::test_missing_and_two_different_reports"),
    Elsewhere("X042", f"{RULES_TESTS}::test_missing_and_two_different_reports"),
    Elsewhere("X043", "tests/test_corpus_store.py::test_modified_republication_is_a_new_version_with_its_changes"),
    Elsewhere("X051", f"{RULES_TESTS}::test_fee_and_section_six"),
    Elsewhere("X052", f"{RULES_TESTS}::test_fee_and_section_six"),
    Elsewhere("X061", f"{RULES_TESTS}::test_deadline_table_by_level_with_provenance"),
    Elsewhere("X071", f"{TOTALS_TESTS}::test_a_summary_that_differs_in_one_cell_is_warned"),
    Elsewhere("X072", f"{TOTALS_TESTS}::test_a_missing_cell_is_skipped_and_said_once"),
]
