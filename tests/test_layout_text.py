"""Text a PDF extractor printed from a Word table (pdftotext -layout, pdfplumber, pypdfium2).

A Word table's row labels wrap over several lines; its merged cells (三、本年度办理结果, 表四's
header) print their labels in pieces beside the rows; the numbers of a row stand beside one line
of its label; an extractor may cut a label at its row number (“2” | “.其他法律行政”). Each case
below is written as such text, with random consistent values, and read back cell for cell; where
the text cannot tell the order of a row's numbers, the row is missing, never a guess.
"""

from __future__ import annotations

import random
from pathlib import Path

from tests.conftest import diagnostic_codes, read_text_report
from tests.generate import SPEC, random_consistent_tables, write_report
from tests.test_reading_order import _replace_table
from xxgk.report import CellState

T3 = {p.key: p for p in SPEC.tables["t3"].physical_rows}
(T4,) = SPEC.tables["t4"].physical_rows


def _numbers(values: dict[str, object], row: str) -> str:
    return "   ".join(str(values[k]) for k in T3[row].cells)


def _t3_layout(values: dict[str, object]) -> list[str]:
    """表三 as `pdftotext -layout` prints xxgk's Word table saved as PDF by LibreOffice (the lines
    of the 2021 seed reports, numbers replaced): header pieces, group labels beside the rows,
    labels wrapped with their numbers beside one line."""
    n = lambda row: _numbers(values, row)  # noqa: E731
    return [
        "                                     申请人情况",
        "                                   法人或其他组织",
        "（本列数据的勾稽关系为：第一项加第二项",
        "                    自然                社会 法律",
        "  之和，等于第三项加第四项之和）            商业   科研                  总计",
        "                     人                公益 服务      其他",
        "                             企业   机构",
        "                                      组织 机构",
        f"一、本年新收政府信息公开申请数量       {n('new_received')}",
        f"二、上年结转政府信息公开申请数量        {n('carried_over_in')}",
        f"三、 （一）予以公开              {n('granted')}",
        "本年 （二）部分公开（区分处理的，只计",
        f"                       {n('partially_granted')}",
        "度办 这一情形，不计其他情形）",
        f"理结 （三）不予公开 1.属于国家秘密    {n('withheld_state_secret')}",
        "果          2.其他法律行政法",
        f"                       {n('withheld_prohibited_by_law')}",
        "           规禁止公开",
        "           3.危及“三安全一",
        f"                        {n('withheld_security_stability')}",
        "           稳定”",
        f"           4.保护第三方合法   {n('withheld_third_party')}",
        "           权益",
        "   （三）不予公开 5.属于三类内部事",
        f"                       {n('withheld_internal_affairs')}",
        "           务信息",
        "           6.属于四类过程性",
        f"                       {n('withheld_process_info')}",
        "           信息",
        f"           7.属于行政执法案   {n('withheld_enforcement_file')}",
        "           卷",
        f"           8.属于行政查询事   {n('withheld_admin_query')}",
        "           项",
        "           1.本机关不掌握相",
        f"                       {n('unable_not_held')}",
        "           关政府信息",
        "           2.没有现成信息需",
        f"   （四）无法提供          {n('unable_needs_creation')}",
        "           要另行制作",
        "           3.补正后申请内容",
        f"                       {n('unable_unclear_after_correction')}",
        "           仍不明确",
        "           1.信访举报投诉类",
        f"果                       {n('not_handled_petition')}",
        "           申请",
        f"           2.重复申请      {n('not_handled_duplicate')}",
        "           3.要求提供公开出",
        f"                       {n('not_handled_publication')}",
        "           版物",
        "   （五）不予处理",
        "           4.无正当理由大量",
        f"                       {n('not_handled_excessive')}",
        "           反复申请",
        "           5.要求行政机关确",
        f"           认或重新出具已获    {n('not_handled_reissue')}",
        "           取信息",
        "           1.申请人无正当理",
        "           由逾期不补正、行",
        f"                        {n('other_no_correction')}",
        "           政机关不再处理其",
        "           政府信息公开申请",
        "           2.申请人逾期未按",
        "   （六）其他处理",
        "           收费通知要求缴纳",
        f"           费用、行政机关不    {n('other_fee_unpaid')}",
        "           再处理其政府信息",
        "           公开申请",
        f"           3.其他         {n('other_other')}",
        f"   （七）总计               {n('processed_total')}",
        f"四、结转下年度继续办理             {n('carried_over_out')}",
    ]


def _t4_layout(values: dict[str, object]) -> list[str]:
    """表四 as `pdftotext -layout` prints it: its header a word per column and line."""
    return [
        "      行政复议                  行政诉讼",
        "                  未经复议直接起诉          复议后起诉",
        "结果 结果 其他 尚未",
        "            总计 结果 结果 其他 尚未    结果 结果 其他 尚未",
        "维持 纠正 结果 审结                总计               总计",
        "               维持 纠正 结果 审结    维持 纠正 结果 审结",
        "  ".join(str(values[k]) for k in T4.cells),
    ]


def test_tables_three_and_four_as_pdftotext_layout_prints_them(tmp_path: Path) -> None:
    values = random_consistent_tables(random.Random(41))
    text = _replace_table(write_report(values, "tab"), 2, _t3_layout(values))
    text = _replace_table(text, 3, _t4_layout(values))
    report = read_text_report(tmp_path, text)
    wrong = {k: (report.cells[k].value, v) for k, v in values.items() if report.cells[k].value != v}
    assert not wrong, diagnostic_codes(report)
    # No piece of a header became a row of its own (B041), and no row was left unread.
    assert not {"B041", "R001", "R009", "R015"} & set(diagnostic_codes(report))


def test_a_header_piece_that_is_another_tables_label_stays_in_table_four(tmp_path: Path) -> None:
    """“其他” (a column of 表三) printed alone from 表四's 其他结果 does not take 表四's numbers to 表三."""
    values = random_consistent_tables(random.Random(42))
    lines = ["行政复议 行政诉讼", "结果", "维持", "结果", "纠正", "其他", "结果", "尚未", "审结 总计"]
    lines += ["未经复议直接起诉 复议后起诉"] + ["结果", "维持", "结果", "纠正", "其他", "结果", "尚未", "审结 总计"] * 2
    lines.append(" ".join(str(values[k]) for k in T4.cells))
    report = read_text_report(tmp_path, _replace_table(write_report(values, "tab"), 3, lines))
    assert [report.cells[k].value for k in T4.cells] == [values[k] for k in T4.cells]
    assert all(report.cells[k].value == values[k] for k in values if k.startswith("t3."))


def test_a_row_number_cut_from_its_label_is_no_value(tmp_path: Path) -> None:
    """pypdfium2's text of a Word table: “2” | “.其他法律行政” | “法” | “规禁止公开”, and a last
    piece with the row's first number run on (“务信息 22”)."""
    values = random_consistent_tables(random.Random(43))
    lines = [c.label.text for c in SPEC.tables["t3"].columns]
    for key, row in T3.items():
        assert row.label is not None
        label = row.label.text
        nums = [str(values[k]) for k in row.cells]
        if key == "withheld_prohibited_by_law":
            lines += ["2", ".其他法律行政", "法", "规禁止公开", *nums]
        elif key == "withheld_internal_affairs":
            lines += ["5", ".", "属于三类", "内部事", f"务信息 {nums[0]}", *nums[1:]]
        elif key == "other_fee_unpaid":  # longer than the pieces joined at once: a label start
            lines += ["2", ".申请人逾期未按", "收费", "通知要求缴纳", "费", "用、行政机关", "不", "再处理其政府信息"]
            lines += ["公开申请", *nums]
        else:
            lines += [label, *nums]
    report = read_text_report(tmp_path, _replace_table(write_report(values, "tab"), 2, lines))
    wrong = {k: (report.cells[k].value, v) for k, v in values.items() if report.cells[k].value != v}
    assert not wrong, diagnostic_codes(report)
    assert "R001" not in diagnostic_codes(report)


def test_a_row_over_two_lines_laid_out_in_columns_is_not_read_in_order(tmp_path: Path) -> None:
    """`pdftotext -layout` may print a row's numbers over two lines in an order of its own (seen:
    四、结转下年度继续办  15 14 | 1 5 16 3 54 for 14 15 1 5 16 3 54). With nothing to tell the
    order, the row is missing, never read in printed order; numbers run together in text that
    follows the content (pdftotext without -layout: single spaces) keep their order."""
    values = random_consistent_tables(random.Random(44))
    row = T3["not_handled_duplicate"]
    nums = [str(values[k]) for k in row.cells]
    lines = write_report(values, "tab").split("\n")
    (at,) = [i for i, line in enumerate(lines) if "\t2.重复申请\t" in line]
    lines[at : at + 1] = [f"2.重复申请      {nums[1]}   {nums[2]}", f"           {nums[0]}   {'   '.join(nums[3:])}"]
    report = read_text_report(tmp_path, "\n".join(lines))
    assert all(report.cells[k].value is None for k in row.cells)
    assert all(report.cells[k].state is CellState.UNCERTAIN for k in row.cells)
    assert all(report.cells[k].value == v for k, v in values.items() if k not in row.cells)
    # The same lines with single spaces: text in content order, read in order.
    lines[at : at + 2] = [f"2.重复申请 {nums[0]} {nums[1]}", " ".join(nums[2:])]
    report = read_text_report(tmp_path, "\n".join(lines))
    assert [report.cells[k].value for k in row.cells] == [values[k] for k in row.cells]


def test_a_label_cut_into_pieces_of_two_characters(tmp_path: Path) -> None:
    """A narrow label column (python-docx's equal columns, saved as PDF): each row label printed
    two characters a line, the row's numbers beside the first piece (2.其  5  3  11 … | 他法 |
    律行 | …). The pieces go on until they tell their row."""
    values = random_consistent_tables(random.Random(45))
    lines = [c.label.text for c in SPEC.tables["t3"].columns]
    for row in T3.values():
        assert row.label is not None
        label = row.label.text
        # “2.” is narrow: the first line holds one character more (2.其 | 他法 | 律行 …)
        pieces = [label[:3]] + [label[i : i + 2] for i in range(3, len(label), 2)] if label[0].isdigit() else [label]
        lines += [f"       {pieces[0]}   {_numbers(values, row.key)}", *(f"       {p}" for p in pieces[1:])]
    report = read_text_report(tmp_path, _replace_table(write_report(values, "tab"), 2, lines))
    wrong = {k: (report.cells[k].value, v) for k, v in values.items() if report.cells[k].value != v}
    assert not wrong, diagnostic_codes(report)
    assert "B041" not in diagnostic_codes(report)  # no piece read as a row of its own
