"""The DOCX reader: generated reports round-trip cell for cell; each WordprocessingML feature; bad input."""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from xxgk.errors import UnreadableInputError
from xxgk.readers.base import RawDocument
from xxgk.readers.docx import MAX_COLUMNS, OLE_MAGIC, DocxReader, convert_legacy, is_docx, join_lines
from xxgk.recognize import recognize
from xxgk.report import Report
from xxgk.settings import ReadSettings

from .docxgen import complex_field, handwritten_report, package, para, python_docx_report, run, text_box
from .generate import SPEC, Value, random_consistent_tables

READER = DocxReader()
SETTINGS = ReadSettings()
AGENCIES = ("某某镇人民政府", "某某市生态环境局", "某某县人民政府办公室", "某某区住房和城乡建设局")
CASES = 20


def read(data: bytes, path: str = "report.docx", settings: ReadSettings = SETTINGS) -> RawDocument:
    return READER.read(path, data, settings)


def texts(doc: RawDocument) -> list[str]:
    return [line.text for line in doc.lines]


def cells(doc: RawDocument) -> list[list[str]]:
    return [[c.text for c in line.cells] for line in doc.lines]


def tc(inner: str, props: str = "") -> str:
    return f"<w:tc>{f'<w:tcPr>{props}</w:tcPr>' if props else ''}{inner}</w:tc>"


def table(*rows: str, grid: int = 0) -> str:
    cols = "".join('<w:gridCol w:w="1000"/>' for _ in range(grid))
    return f"<w:tbl><w:tblGrid>{cols}</w:tblGrid>{''.join(rows)}</w:tbl>"


def tr(*tcs: str, props: str = "") -> str:
    return f"<w:tr>{f'<w:trPr>{props}</w:trPr>' if props else ''}{''.join(tcs)}</w:tr>"


def p(text: str) -> str:
    return para(run(text))


# ---------------------------------------------------------------------------------------------
# Round trips: random consistent non-zero reports, every one of the 200 cells read back


def _case(seed: int) -> tuple[dict[str, Value], list[str], str, int]:
    rng = random.Random(seed)
    values: dict[str, Value] = dict(random_consistent_tables(rng))
    missing = rng.sample(sorted(SPEC.cells), rng.choice((0, 0, 1, 5, 20)))
    return values, missing, AGENCIES[seed % len(AGENCIES)], 2021 + seed % 4


def _assert_round_trip(report: Report, values: dict[str, Value], missing: list[str], agency: str, year: int) -> None:
    assert len(values) == 200
    got = {k: report.cells[k].value for k in values}
    want = {k: (None if k in missing else v) for k, v in values.items()}
    assert got == want
    assert all(report.cells[k].missing for k in missing)  # missing is None, never 0
    assert all(s.found for s in report.sections.values()), [k for k, s in report.sections.items() if not s.found]
    assert report.heading_order == [s.key for s in SPEC.sections]
    assert (report.meta.agency, report.meta.year) == (agency, year)
    assert [f.code for f in report.diagnostics if f.code in ("R001", "B041")] == []


@pytest.mark.parametrize("seed", range(CASES))
def test_python_docx_report_round_trips(seed: int) -> None:
    values, missing, agency, year = _case(seed)
    data = python_docx_report(values, agency, year, missing)
    report = recognize(read(data))
    _assert_round_trip(report, values, missing, agency, year)


@pytest.mark.parametrize("seed", range(CASES))
def test_handwritten_report_round_trips(seed: int) -> None:
    values, missing, agency, year = _case(1000 + seed)
    data = handwritten_report(values, agency, year, missing, seed=seed)
    doc = read(data)
    report = recognize(doc)
    _assert_round_trip(report, values, missing, agency, year)
    assert any("修订" in n for n in doc.notes) and any("文本框" in n for n in doc.notes)
    all_text = "\n".join(texts(doc))
    assert "删除的文字" not in all_text and "隐藏的批注文字" not in all_text and "DOCPROPERTY" not in all_text
    lines = texts(doc)
    assert lines[0].startswith(agency) and lines.count(agency) == 1  # title (a field), signature (a text box, once)


@pytest.mark.parametrize("seed", range(3))
def test_report_inside_a_layout_table_round_trips(seed: int) -> None:
    values, missing, agency, year = _case(2000 + seed)
    doc = read(handwritten_report(values, agency, year, missing, seed=seed, frame=True))
    _assert_round_trip(recognize(doc), values, missing, agency, year)
    assert {line.cells[0].source.table for line in doc.lines} == {None, 1, 2, 3}  # table 0 is the frame


def test_generated_files_really_use_merged_cells() -> None:
    """The fixtures exercise gridSpan and vMerge, not just a plain grid."""
    values, _, _, _ = _case(0)
    for data in (python_docx_report(values), handwritten_report(values)):
        xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
        assert xml.count("w:gridSpan") >= 20
        assert len(re.findall(r"<w:vMerge w:val=\"restart\"/>", xml)) >= 10
        assert len(re.findall(r"<w:vMerge/>", xml)) >= 30


def test_table_rows_are_full_grids_with_provenance() -> None:
    values, _, _, _ = _case(3)
    doc = read(python_docx_report(values))
    rows = [line for line in doc.lines if line.cells[0].source.table == 1]  # 表三
    assert len(rows) == 28 and {len(r.cells) for r in rows} == {10}
    corner = rows[0].cells
    assert corner[0].text.startswith("（本列数据的勾稽关系为") and [c.text for c in corner[1:3]] == ["", ""]
    assert corner[3].text == "申请人情况" and corner[9].text == "总计"
    assert [c.text for c in rows[1].cells[:4]] == ["", "", "", "自然人"]  # vMerge continuations
    src = rows[5].cells[3].source  # （一）予以公开 × 自然人
    assert (src.reader, src.table, src.row, src.cell) == ("docx", 1, 5, 3)
    report = recognize(doc)
    cell = report.cells["t3.granted.natural_person"]
    assert cell.source is not None and (cell.source.table, cell.source.row, cell.source.cell) == (1, 5, 3)
    assert cell.source.describe_zh() == "第2个表格第6行第4格"
    first = doc.lines[0].cells[0].source
    assert (first.line, first.table, first.row, first.cell) == (1, None, None, None)
    lines = [line.cells[0].source.line for line in doc.lines]
    assert lines == list(range(1, len(doc.lines) + 1))  # one line per paragraph or table row


# ---------------------------------------------------------------------------------------------
# WordprocessingML features, one at a time, with the exact text expected


def test_text_split_over_runs_joins() -> None:
    body = para(run("政府信") + "<w:r><w:rPr><w:b/></w:rPr><w:t>息</w:t><w:t>公开</w:t></w:r>" + run("12") + run("34"))
    assert texts(read(package(body))) == ["政府信息公开1234"]


def test_tab_inside_paragraph_is_a_space() -> None:
    body = para(run("一、") + "<w:r><w:tab/></w:r>" + run("总体情况") + "<w:r><w:ptab/></w:r>" + run("说明"))
    assert cells(read(package(body))) == [["一、 总体情况 说明"]]


def test_line_break_inside_paragraph_starts_a_new_line() -> None:
    body = para(
        run("一、总体情况") + "<w:r><w:br/></w:r>" + run("本年度，") + '<w:r><w:br w:type="page"/><w:cr/></w:r>'
    )
    doc = read(package(body + p("下一段")))
    assert texts(doc) == ["一、总体情况", "本年度，", "下一段"]
    assert [line.cells[0].source.line for line in doc.lines] == [1, 2, 3]


def test_line_breaks_and_paragraphs_inside_a_cell_join() -> None:
    br = "<w:r><w:br/></w:r>"
    body = table(
        tr(
            tc(para(run("社会") + br + run("公益") + br + run("组织"))),
            tc(p("法人或其他") + p("组织")),
            tc(para(run("Word") + br + run("WPS"))),
            tc(p("22") + p("（其中修订16件）")),
        )
    )
    assert cells(read(package(body))) == [["社会公益组织", "法人或其他组织", "Word WPS", "22（其中修订16件）"]]
    assert join_lines(["  ", "12", "34", "", "件"]) == "12 34件"


def test_grid_span_expands_to_empty_positions() -> None:
    body = table(
        tr(tc(p("行政复议"), '<w:gridSpan w:val="3"/>'), tc(p("行政诉讼"))),
        tr(tc(p("1")), tc(p("2")), tc(p("3")), tc(p("4"))),
        grid=4,
    )
    doc = read(package(body))
    assert cells(doc) == [["行政复议", "", "", "行政诉讼"], ["1", "2", "3", "4"]]
    assert [c.source.cell for c in doc.lines[0].cells] == [0, 1, 2, 3]
    assert {c.source.row for c in doc.lines[1].cells} == {1}


def test_vertical_merge_continuation_is_empty() -> None:
    restart, cont = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    body = table(
        tr(tc(p("三、本年度办理结果"), restart), tc(p("（一）予以公开")), tc(p("5"))),
        tr(tc(p("残留文字"), cont), tc(p("（二）部分公开")), tc(p("6"))),
        tr(tc("<w:p/>", '<w:vMerge w:val="continue"/>'), tc(p("（七）总计")), tc(p("11"))),
    )
    assert cells(read(package(body))) == [
        ["三、本年度办理结果", "（一）予以公开", "5"],
        ["", "（二）部分公开", "6"],
        ["", "（七）总计", "11"],
    ]


def test_horizontal_merge_continuation_is_empty() -> None:
    body = table(tr(tc(p("信息内容"), '<w:hMerge w:val="restart"/>'), tc(p("x"), "<w:hMerge/>"), tc(p("件数"))))
    assert cells(read(package(body))) == [["信息内容", "", "件数"]]


def test_grid_before_and_after_and_padding_to_the_grid() -> None:
    body = table(
        tr(tc(p("规章")), tc(p("5")), props='<w:gridBefore w:val="1"/><w:gridAfter w:val="1"/>'),
        tr(tc(p("行政规范性文件")), tc(p("7"))),
        grid=4,
    )
    assert cells(read(package(body))) == [["", "规章", "5", ""], ["行政规范性文件", "7", "", ""]]


def test_symbols() -> None:
    body = para(
        run("核对")
        + '<w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r>'
        + '<w:r><w:sym w:font="Symbol" w:char="F0B4"/></w:r>'
        + '<w:r><w:sym w:font="宋体" w:char="2460"/></w:r>'
        + '<w:r><w:sym w:font="Webdings" w:char="F021"/></w:r>'
    )
    assert texts(read(package(body))) == ["核对✓×①"]


def test_fields_keep_the_result_not_the_instruction() -> None:
    simple = para(run("共") + '<w:fldSimple w:instr=" PAGE ">' + run("3") + "</w:fldSimple>" + run("页"))
    cplx = para(run("落款日期：") + complex_field(' DATE \\@ "yyyy年M月d日" ', "2025年1月15日"))
    nested = para(
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> IF </w:instrText></w:r>'
        + complex_field(" MERGEFIELD 机关 ", "内层结果不显示")
        + '<w:r><w:instrText> = "x" "是" "否" </w:instrText></w:r>'
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + run("外层结果")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    assert texts(read(package(simple + cplx + nested))) == ["共3页", "落款日期：2025年1月15日", "外层结果"]


def test_field_spanning_paragraphs() -> None:
    body = (
        para('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC \\o </w:instrText></w:r>')
        + para('<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + run("目录第一行"))
        + para(run("目录第二行") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
        + p("正文")
    )
    assert texts(read(package(body))) == ["", "目录第一行", "目录第二行", "正文"]


def test_tracked_changes_read_as_accepted() -> None:
    body = para(
        run("本年新收申请")
        + '<w:del w:id="1" w:author="a"><w:r><w:delText>12</w:delText></w:r></w:del>'
        + '<w:ins w:id="2" w:author="a">'
        + run("15")
        + "</w:ins>"
        + run("件")
        + '<w:moveFrom w:id="3" w:author="a">'
        + run("（移走）")
        + "</w:moveFrom>"
        + '<w:moveTo w:id="4" w:author="a">'
        + run("（移来）")
        + "</w:moveTo>"
    )
    doc = read(package(body))
    assert texts(doc) == ["本年新收申请15件（移来）"]
    assert doc.notes == ["文档含修订标记，已按接受全部修订后的文本读取（插入 2 处、删除 2 处）"]


def test_smart_tags_content_controls_hyperlinks_and_bookmarks_keep_their_text() -> None:
    inline = para(
        '<w:bookmarkStart w:id="0" w:name="_GoBack"/>'
        + '<w:smartTag w:element="place">'
        + run("某某镇")
        + "</w:smartTag>"
        + '<w:sdt><w:sdtPr><w:alias w:val="机关"/></w:sdtPr><w:sdtContent>'
        + run("人民政府")
        + "</w:sdtContent></w:sdt>"
        + '<w:hyperlink r:id="rId5"><w:r><w:t>政务网站</w:t></w:r></w:hyperlink>'
        + '<w:bookmarkEnd w:id="0"/><w:proofErr w:type="gramEnd"/>'
        + '<w:customXml w:element="x">'
        + run("公开")
        + "</w:customXml>"
    )
    block = "<w:sdt><w:sdtPr/><w:sdtContent>" + p("二、主动公开政府信息情况") + "</w:sdtContent></w:sdt>"
    assert texts(read(package(inline + block))) == ["某某镇人民政府政务网站公开", "二、主动公开政府信息情况"]


def test_text_box_read_once_after_its_paragraph() -> None:
    body = p("前一段") + para(run("锚定段落") + text_box("某某镇人民政府")) + p("后一段")
    doc = read(package(body))
    assert texts(doc) == ["前一段", "锚定段落", "某某镇人民政府", "后一段"]
    assert [line.cells[0].source.line for line in doc.lines] == [1, 2, 3, 4]


def test_alternate_content_falls_back_when_the_choice_has_no_text() -> None:
    box = "<w:txbxContent>" + p("只在 VML 里") + "</w:txbxContent>"
    body = para(
        "<w:r><mc:AlternateContent>"
        '<mc:Choice Requires="wps"><w:drawing/></mc:Choice>'
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )
    assert texts(read(package(body))) == ["", "只在 VML 里"]


def test_text_box_inside_a_cell_joins_the_cell() -> None:
    body = table(tr(tc(para(run("表外") + text_box("说明"))), tc(p("1"))))
    assert cells(read(package(body))) == [["表外说明", "1"]]


def test_hidden_text_footnote_marks_and_math_are_skipped() -> None:
    body = para(
        run("可见")
        + run("隐藏", rpr="<w:rPr><w:vanish/></w:rPr>")
        + run("仍可见", rpr='<w:rPr><w:vanish w:val="0"/></w:rPr>')
        + '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'
        + '<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"><m:r><m:t>x</m:t></m:r></m:oMath>'
    )
    doc = read(package(body, extra={"word/footnotes.xml": "<w:footnotes/>"}))
    assert texts(doc) == ["可见仍可见"]
    assert doc.notes == ["文档有 1 处脚注或尾注，未读取其内容"]


def test_strict_open_xml_namespace() -> None:
    data = package(p("一、总体情况") + table(tr(tc(p("规章")), tc(p("5")))))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(
            "word/document.xml",
            xml.replace(
                b"schemas.openxmlformats.org/wordprocessingml/2006/main", b"purl.oclc.org/ooxml/wordprocessingml/main"
            ),
        )
    assert cells(read(out.getvalue())) == [["一、总体情况"], ["规章", "5"]]


def test_headers_and_footers_are_not_body() -> None:
    header = f'<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{p("页眉文字")}</w:hdr>'
    doc = read(package(p("正文"), extra={"word/header1.xml": header, "word/footer1.xml": header}))
    assert texts(doc) == ["正文"]


def test_nested_table_is_read_as_body_after_the_outer_cells() -> None:
    inner = table(tr(tc(p("规章")), tc(p("5"))), tr(tc(p("行政规范性文件")), tc(p("7"))))
    body = table(tr(tc(p("布局") + inner + p("表后说明")), tc(p("右栏"))), grid=2) + table(tr(tc(p("甲")), tc(p("乙"))))
    doc = read(package(body))
    assert cells(doc) == [["布局"], ["规章", "5"], ["行政规范性文件", "7"], ["表后说明"], ["右栏"], ["甲", "乙"]]
    assert [line.cells[-1].source.table for line in doc.lines] == [None, 1, 1, None, None, 2]
    assert any("排版" in n for n in doc.notes)


def test_single_column_table_is_a_frame() -> None:
    body = table(tr(tc(p("一、总体情况") + p("本年度，本机关……"))), tr(tc(p("二、主动公开政府信息情况"))), grid=1)
    assert cells(read(package(body))) == [["一、总体情况"], ["本年度，本机关……"], ["二、主动公开政府信息情况"]]


def test_text_is_normalised() -> None:
    body = p("本年新收１２件\u00a0\u3000合计") + table(tr(tc(p(" ３ ")), tc(p("Ｗ"))))
    assert cells(read(package(body))) == [["本年新收12件 合计"], ["3", "W"]]


def test_huge_grid_span_is_bounded() -> None:
    body = table(tr(tc(p("甲"), '<w:gridSpan w:val="99999999"/>'), tc(p("乙"))))
    (line,) = read(package(body)).lines
    assert len(line.cells) == MAX_COLUMNS and line.cells[0].text == "甲"


def test_heading_and_table_recognised_from_a_minimal_document() -> None:
    """A small hand-written report: the recogniser reads 表四 from merged header cells split over lines."""
    values = random_consistent_tables(random.Random(7))
    br = "<w:r><w:br/></w:r>"
    t4 = SPEC.tables["t4"]
    cols = [c.label.text for c in t4.columns]
    restart, cont = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    first = tc(p("行政复议"), '<w:gridSpan w:val="5"/>') + tc(p("行政诉讼"), '<w:gridSpan w:val="10"/>')
    second = "".join(tc(para(run(c[:2]) + br + run(c[2:])), restart) for c in cols)
    second += tc(p("未经复议直接起诉"), '<w:gridSpan w:val="5"/>') + tc(p("复议后起诉"), '<w:gridSpan w:val="5"/>')
    third = "".join(tc("<w:p/>", cont) for _ in cols) + "".join(tc(p(c)) for c in cols * 2)
    (phys,) = t4.physical_rows
    data = "".join(tc(p(str(values[k]))) for k in phys.cells)
    body = p("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况") + table(
        tr(first), tr(second), tr(third), tr(data), grid=15
    )
    report = recognize(read(package(body)))
    assert report.sections["s4_review_litigation"].found
    assert {k: report.cells[k].value for k in phys.cells} == {k: values[k] for k in phys.cells}


# ---------------------------------------------------------------------------------------------
# Sniffing


def test_sniff_by_content() -> None:
    values, _, _, _ = _case(1)
    docx_bytes = python_docx_report(values)
    assert READER.sniff(docx_bytes[:4096], ".bin") and is_docx(docx_bytes)
    assert READER.sniff(package(p("x"))[:4096], "")
    xlsx = _xlsx()
    assert not READER.sniff(xlsx[:4096], ".xlsx") and not READER.sniff(xlsx[:4096], "") and not is_docx(xlsx)
    assert READER.sniff(xlsx[:4096], ".docx")  # named like a Word file: read() says it is a spreadsheet
    assert READER.sniff(OLE_MAGIC + b"\x00" * 100, ".doc")
    assert not READER.sniff("一、总体情况".encode(), ".docx") and not is_docx(b"plain text")
    assert not is_docx(b"PK\x03\x04broken")


# ---------------------------------------------------------------------------------------------
# Bad input: a clear zh-CN message, never a traceback


def _xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override '
            'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/></Types>',
        )
        zf.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def _unreadable(data: bytes, *words: str, settings: ReadSettings = SETTINGS, path: str = "report.docx") -> None:
    with pytest.raises(UnreadableInputError) as exc:
        read(data, path, settings)
    message = exc.value.message
    assert re.search(r"[\u4e00-\u9fff]", message), message
    for word in words:
        assert word in message, message
    assert exc.value.path == path


def test_empty_zip() -> None:
    out = io.BytesIO()
    zipfile.ZipFile(out, "w").close()
    _unreadable(out.getvalue(), "空的 ZIP")


def test_corrupt_zip() -> None:
    _unreadable(b"PK\x03\x04" + bytes(range(256)) * 20, "损坏")
    _unreadable(b"not a zip at all", "不是 ZIP")


def test_xlsx_given_as_docx() -> None:
    _unreadable(_xlsx(), "Excel")


def test_zip_without_a_word_document() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("readme.txt", "hello")
    _unreadable(out.getvalue(), "word/document.xml")


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.95])
def test_truncated_docx(fraction: float) -> None:
    values, _, _, _ = _case(2)
    data = python_docx_report(values)
    _unreadable(data[: int(len(data) * fraction)], "损坏")


def test_invalid_xml_and_missing_body() -> None:
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as zf:
        zf.writestr("word/document.xml", "<w:document><w:body><w:p>")
    _unreadable(broken.getvalue(), "不是有效的 XML")
    nobody = io.BytesIO()
    with zipfile.ZipFile(nobody, "w") as zf:
        zf.writestr(
            "word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
        )
    _unreadable(nobody.getvalue(), "没有正文")


def test_zip_bomb_is_refused_before_reading() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<" + b" " * (3 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < 20_000
    _unreadable(data, "压缩炸弹", settings=ReadSettings(max_bytes=1024 * 1024))


def test_too_many_lines() -> None:
    _unreadable(package(p("一行") * 50), "行数过多", settings=ReadSettings(max_lines=20))


def _ole(*streams: str) -> bytes:
    directory = b"".join(s.encode("utf-16-le") + b"\x00\x00" + b"\x00" * 40 for s in streams)
    return OLE_MAGIC + b"\x00" * 504 + directory + b"\x00" * 1024


def test_encrypted_docx() -> None:
    _unreadable(_ole("Root Entry", "EncryptionInfo", "EncryptedPackage"), "密码", path="report.docx")


def test_legacy_doc_without_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    _unreadable(
        _ole("Root Entry", "WordDocument", "1Table"),
        "这是旧版 Word 文件（.doc/.wps）",
        "apt-get install libreoffice-writer",
        "另存为 .docx",
        path="report.doc",
    )
    with pytest.raises(UnreadableInputError):
        convert_legacy("report.wps", _ole("WordDocument"), SETTINGS)


def test_legacy_excel_is_not_word() -> None:
    _unreadable(_ole("Root Entry", "Workbook"), "Excel", path="report.xls")


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_legacy_doc_converted_by_libreoffice(tmp_path: Path) -> None:
    assert SOFFICE is not None
    values, _, agency, year = _case(5)
    source = tmp_path / "report.docx"
    source.write_bytes(python_docx_report(values, agency, year))
    subprocess.run(
        [SOFFICE, "--headless", "--convert-to", "doc", "--outdir", str(tmp_path), str(source)],
        check=True,
        timeout=180,
        capture_output=True,
    )
    data = (tmp_path / "report.doc").read_bytes()
    assert data.startswith(OLE_MAGIC)
    doc = read(data, str(tmp_path / "report.doc"))
    assert any("LibreOffice" in n for n in doc.notes)
    _assert_round_trip(recognize(doc), values, [], agency, year)
