"""Every rule of the catalogue has an input that fires it and one that must not, and what the
catalogue tells users names no file of ours."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.rules import arithmetic, corpus, publication, reading, structure, text
from tests.rules.cases import CLEAN, Case
from xxgk.rules import RULES

ROOT = Path(__file__).resolve().parents[2]
# The rule families' tables (a module each, named after the family's module in xxgk/rules/).
FAMILIES = (publication, structure, arithmetic, text, reading, corpus)
CASES: list[Case] = [case for family in FAMILIES for case in family.CASES]


def _test_source(test: str) -> tuple[str, str]:
    """(the module's source, the test function's source) of "tests/x.py::test_y"."""
    file, name = test.split("::")
    module = (ROOT / file).read_text("utf-8")
    for node in ast.parse(module).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return module, ast.get_source_segment(module, node) or ""
    raise AssertionError(f"{test} does not exist")


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.code)
def test_fires(case: Case, tmp_path: Path) -> None:
    assert case.code in case.fires.codes(tmp_path)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.code)
def test_quiet(case: Case, tmp_path: Path) -> None:
    assert case.code not in case.quiet.codes(tmp_path)


def test_the_clean_report_fires_none_of_the_codes_fired_elsewhere(tmp_path: Path) -> None:
    codes = CLEAN.codes(tmp_path)
    assert codes == set(), codes  # (the quiet case of every ELSEWHERE code, and of most tables')


def test_every_code_has_a_firing_and_a_quiet_case() -> None:
    cases = CASES
    elsewhere = {e.code: e.test for e in (*reading.ELSEWHERE, *corpus.ELSEWHERE)}
    codes = [case.code for case in cases]
    assert len(codes) == len(set(codes)), "a code has two cases"
    assert not set(codes) & set(elsewhere), "a code is both in a table and elsewhere"
    missing = set(RULES) - set(codes) - set(elsewhere)
    assert not missing, f"rules without cases: {sorted(missing)}"
    assert not (set(codes) | set(elsewhere)) - set(RULES), "cases of codes not in the catalogue"
    for case in cases:
        assert case.fires != case.quiet, case.code
    for code, test in elsewhere.items():
        module, function = _test_source(test)
        # The function asserts the code itself, or through the module's helper (R014's `pictures`).
        assert f'"{code}"' in function or f'"{code}"' in module, (code, test)


# Our own documents (the spec, the list of common errors) are not the user's: a user sees the
# 条例, the 国办 notices or plain words.
DEVELOPER_WORDS = re.compile(r"common-errors|spec\b|§|\.md\b|\.toml\b|UNCONFIRMED|xxgk\.\w|shared/")


def test_what_users_read_of_a_rule_names_no_file_of_ours() -> None:
    for rule in RULES.values():
        for field in (rule.title, rule.message, rule.what, rule.why, rule.example, rule.basis):
            assert not DEVELOPER_WORDS.search(field), (rule.code, field)
