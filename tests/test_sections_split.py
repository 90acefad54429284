"""Section headings split over lines (issue 20, item 2): found like table labels split over lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPUS, read_text_report, seed
from xxgk.api import check_report, read_report

PUTIAN_2020 = CORPUS / "903-putian-minzongju-2020.txt"
SEED = seed("000").read_text("utf-8")
OFFICIAL = {
    "s1_overview": "一、总体情况",
    "s2_proactive": "二、主动公开政府信息情况",
    "s3_applications": "三、收到和处理政府信息公开申请情况",
    "s4_review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
    "s5_problems": "五、存在的主要问题及改进情况",
    "s6_other": "六、其他需要报告的事项",
}


def _heading_findings(report_path: Path) -> list[tuple[str, str]]:
    report = read_report(report_path)
    return [(f.code, f.location) for f in check_report(report) if f.code in ("B021", "B024")]


def test_putian_2020_headings_one_run_per_line_are_found() -> None:
    # 一 | 、 | 总体情况 and 六、 | 其他 | 需要 | 报告的事项: each section found, with its official words.
    report = read_report(PUTIAN_2020)
    assert {key: s.heading for key, s in report.sections.items()} == OFFICIAL
    assert report.sections["s1_overview"].source is not None
    assert report.sections["s1_overview"].source.line == 28  # not line 17, where 总体情况 is in the preface
    assert report.sections["s1_overview"].text.startswith("2020年，市民宗局以习近平")
    assert report.sections["s6_other"].text  # the text after the heading's last piece
    assert not report.sections["s6_other"].text.startswith("报告的事项")
    assert _heading_findings(PUTIAN_2020) == []


def _split(text: str, heading: str, pieces: list[str], newline: str = "\n") -> str:
    assert "".join(pieces) == heading and f"\n{heading}\n" in text
    return text.replace(f"\n{heading}\n", "\n" + newline.join(pieces) + "\n", 1)


@pytest.mark.parametrize(
    ("key", "pieces"),
    [
        ("s1_overview", ["一", "、总体情况"]),  # after the numeral
        ("s1_overview", ["一、", "总体情况"]),  # after 、
        ("s1_overview", ["一、总体", "情况"]),  # inside the heading's words
        ("s1_overview", ["一", "、", "总体情况"]),  # one run per line (903)
        ("s3_applications", ["三、收到和处理", "政府信息", "公开申请", "情况"]),  # complete, over 4 lines
        ("s5_problems", ["五、", "存在的主要问题及改进", "情况"]),
        ("s6_other", ["六", "、", "其他", "需要", "报告的事项"]),
    ],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\n\n"], ids=["lf", "crlf", "blank-line-between"])
def test_split_heading_is_found_with_its_official_words(
    tmp_path: Path, key: str, pieces: list[str], newline: str
) -> None:
    text = _split(SEED, OFFICIAL[key], pieces, newline)
    if newline == "\r\n":
        text = text.replace("\n", "\r\n").replace("\r\r\n", "\r\n")
    report = read_text_report(tmp_path, text)
    assert report.sections[key].heading == OFFICIAL[key]
    assert report.heading_order == list(OFFICIAL)
    original = read_text_report(tmp_path, SEED)
    assert report.sections[key].text == original.sections[key].text  # no heading piece in the text
    assert [f.code for f in check_report(report) if f.code in ("B021", "B024")] == []


def test_reworded_heading_split_over_lines_is_still_reported(tmp_path: Path) -> None:
    # The official words are joined; other words keep their first line, as printed, and B024 says so.
    text = SEED.replace("\n五、存在的主要问题及改进情况\n", "\n五、存在的主要问题\n和改进措施\n", 1)
    report = read_text_report(tmp_path, text)
    assert report.sections["s5_problems"].heading == "五、存在的主要问题"
    assert [(f.code, f.found) for f in check_report(report) if f.code == "B024"] == [("B024", "五、存在的主要问题")]


def test_body_sentence_mentioning_the_heading_words_is_not_a_heading(tmp_path: Path) -> None:
    # 总体情况 cut from its sentence onto a line of its own, and a line starting with the numeral 一:
    # neither begins a section (the real heading further down does).
    preface = (
        "本年报全文包括\n总体情况\n，主动公开政府信息情况等六个部分。\n"
        "一\n年来总体情况良好，没有新的问题。\n"
        "一\n、总体情况良好，无需另行说明。\n"
    )
    text = SEED.replace("\n一、总体情况\n", "\n" + preface + "一、总体情况\n", 1)
    report = read_text_report(tmp_path, text)
    section = report.sections["s1_overview"]
    assert section.heading == "一、总体情况"
    assert section.source is not None
    assert text.split("\n")[section.source.line - 1] == "一、总体情况"
    assert report.heading_order == list(OFFICIAL)
    assert "总体情况良好" not in section.text


def test_section_under_another_title_is_found_by_its_number_and_place(tmp_path: Path) -> None:
    # 107 (莆田市水利局 2025): 一、政府信息主动公开工作 for 一、总体情况 and 六、其他应说明事项 for
    # 六、其他需要报告的事项. The parts are there: B024 shows the wording, never B021 "未找到".
    text = SEED.replace("\n一、总体情况\n", "\n一、政府信息主动公开工作\n", 1).replace(
        "\n六、其他需要报告的事项\n", "\n六、其他应说明事项\n", 1
    )
    report = read_text_report(tmp_path, text)
    assert report.heading_order == list(OFFICIAL)
    assert report.sections["s1_overview"].text == read_text_report(tmp_path, SEED).sections["s1_overview"].text
    findings = [(f.code, f.location, f.found) for f in check_report(report) if f.code in ("B021", "B024")]
    assert findings == [
        ("B024", "s1_overview", "一、政府信息主动公开工作"),
        ("B024", "s6_other", "六、其他应说明事项"),
    ]
    real = CORPUS.parent / "twins" / "107-putian-ptsslj-2025.txt"
    assert [c for c, _ in _heading_findings(real)] == ["B024", "B024", "B024"]


def test_part_without_its_heading_is_still_missing(tmp_path: Path) -> None:
    # No line numbered 一 before 二, and 三's row label 一、本年新收… is not taken for it: B021 stays.
    text = SEED.replace("\n一、总体情况\n", "\n", 1)
    report = read_text_report(tmp_path, text)
    assert not report.sections["s1_overview"].found
    assert ("B021", "s1_overview") in _heading_findings_of(report)
    # A numbered line between the neighbours' headings, but it is 表三's row label: not a heading.
    text = SEED.replace("\n四、政府信息公开行政复议、行政诉讼情况\n", "\n", 1)
    report = read_text_report(tmp_path, text)
    assert not report.sections["s4_review_litigation"].found
    assert ("B021", "s4_review_litigation") in _heading_findings_of(report)


def _heading_findings_of(report) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(f.code, f.location) for f in check_report(report) if f.code in ("B021", "B024")]


def test_a_table_of_contents_or_site_menu_before_the_body_is_no_heading(tmp_path: Path) -> None:
    # The six headings listed once before the body (a table of contents, a CMS menu printed with the
    # page): not six second headings (B023) nor headings out of order (B022); an R013 note says so.
    contents = "".join(f"{h}\n" for h in OFFICIAL.values())
    text = SEED.replace("\n一、总体情况\n", "\n" + contents + "一、总体情况\n", 1)
    report = read_text_report(tmp_path, text)
    assert report.heading_order == list(OFFICIAL)
    assert report.sections["s1_overview"].text == read_text_report(tmp_path, SEED).sections["s1_overview"].text
    codes = {f.code for f in check_report(report)}
    assert not codes & {"B021", "B022", "B023"}
    assert any("网站导航或目录" in f.params["note"] for f in report.diagnostics if f.code == "R013")


def test_a_heading_repeated_inside_the_body_is_still_reported(tmp_path: Path) -> None:
    # A leftover of copy and paste between 三 and 四: the body's own repetition stays B023.
    text = SEED.replace(
        "\n四、政府信息公开行政复议、行政诉讼情况\n",
        "\n五、存在的主要问题及改进情况\n四、政府信息公开行政复议、行政诉讼情况\n",
        1,
    )
    findings = [(f.code, f.location) for f in check_report(read_text_report(tmp_path, text))]
    assert ("B023", "s5_problems") in findings
