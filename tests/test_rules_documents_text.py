"""D034 (and D033 for 表二): what sections one and two say about 规章 and 规范性文件 vs 表二."""

from __future__ import annotations

import random

import pytest

from xxgk.api import check_report
from xxgk.findings import Finding
from xxgk.readers.txt import TxtReader
from xxgk.recognize import recognize
from xxgk.report import Report
from xxgk.settings import ReadSettings

from .generate import random_consistent_tables, write_report

S2_SENTENCE = "本机关按照条例规定主动公开规章、规范性文件和行政许可、处罚、强制及收费信息，具体情况如下表所示。"


def report_saying(sentence: str, *, seed: int = 1, missing: tuple[str, ...] = ()) -> Report:
    """A generated report (TAB layout) whose section two says `sentence` before its usual text."""
    values = dict(random_consistent_tables(random.Random(seed)))
    text = write_report(values, "tab", missing=missing)  # type: ignore[arg-type]
    assert S2_SENTENCE in text
    text = text.replace(S2_SENTENCE, sentence + S2_SENTENCE)
    return recognize(TxtReader().read("r.txt", text.encode(), ReadSettings()))


def findings(report: Report, code: str) -> dict[str, Finding]:
    return {f.location: f for f in check_report(report) if f.code == code}


def test_counts_that_agree_with_the_table_fire_nothing() -> None:
    report = report_saying("")
    v = {k: report.cells[f"t2.normative_documents.{k}"].value for k in ("issued", "repealed", "in_force")}
    sentence = f"本年新制发行政规范性文件{v['issued']}件，废止{v['repealed']}件，现行有效规范性文件{v['in_force']}件。"
    report = report_saying(sentence)
    assert findings(report, "D034") == {}


def test_each_count_is_compared_with_its_cell() -> None:
    report = report_saying("")
    issued = report.cells["t2.normative_documents.issued"].value
    in_force = report.cells["t2.regulations.in_force"].value
    assert isinstance(issued, int) and isinstance(in_force, int)
    # The noun after the word, the noun carried from earlier in the clause, and 规章.
    sentence = f"公布现行有效规章{in_force + 2}件；全年出台规范性文件{issued + 1}件，新公布{issued + 1}件。"
    report = report_saying(sentence)
    found = findings(report, "D034")
    assert set(found) == {"t2.normative_documents.issued", "t2.regulations.in_force"}
    assert (found["t2.normative_documents.issued"].expected, found["t2.normative_documents.issued"].found) == (
        issued,
        issued + 1,
    )
    assert found["t2.regulations.in_force"].found == in_force + 2
    assert "公布现行有效规章" in found["t2.regulations.in_force"].params["sentence"]
    assert found["t2.normative_documents.issued"].params["word"] == "出台"  # one finding per cell and number


@pytest.mark.parametrize(
    "sentence",
    [
        "本年度制定规章制度3件。",  # 规章制度: rules in general, not 规章
        "全市发布各类政策规范性文件150份。",  # 份 and 发布: not a count of this table
        "新公布4件。",  # no noun in the clause
        "主动公开规范性文件12件。",  # 主动公开 is not one of the column's words
        "制发规范性文件；废止9件通知。",  # 废止 follows a clause end: no noun in its clause
    ],
)
def test_statements_that_name_no_count_of_the_table(sentence: str) -> None:
    report = report_saying(sentence, seed=3)
    assert findings(report, "D034") == {}
    assert not [f for f in findings(report, "D033") if f.startswith("t2.")]


def test_a_missing_cell_that_the_text_states_is_offered_by_d033() -> None:
    key = "t2.normative_documents.repealed"
    report = report_saying("本年废止、宣布失效行政规范性文件7件。", seed=5, missing=(key,))
    assert report.cells[key].missing
    found = findings(report, "D033")
    assert found[key].found == 7 and found[key].params["kind"] == "废止"
    assert key not in findings(report, "D034")  # nothing to compare a missing cell with
