"""The HTML reader: grids from rowspan/colspan, cell and prose text, charsets, page chrome,
generated pages in five CMS styles read back cell for cell, the real pages of shared/corpus,
and bad input."""

from __future__ import annotations

import random
import re
import time
from decimal import Decimal
from pathlib import Path

import pytest

from xxgk.api import check_report
from xxgk.errors import NotAReportError
from xxgk.findings import Severity
from xxgk.readers.base import RawDocument
from xxgk.readers.html import HtmlReader, clean_text, decode_html
from xxgk.readers.txt import TxtReader
from xxgk.recognize import recognize
from xxgk.report import CellState, Report
from xxgk.settings import ReadSettings

from .conftest import CORPUS
from .generate import SPEC, random_consistent_tables, report_blocks, write_report
from .htmlgen import STYLES, expand, table_cells, write_html

READER = HtmlReader()
SETTINGS = ReadSettings()
CASES_PER_STYLE = 20


def read(data: bytes | str, path: str = "page.html") -> RawDocument:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return READER.read(path, raw, SETTINGS)


def texts(doc: RawDocument) -> list[list[str]]:
    return [[c.text for c in line.cells] for line in doc.lines]


def page(body: str, head: str = '<meta charset="utf-8">') -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


# ---------------------------------------------------------------------------------------------
# Sniffing


@pytest.mark.parametrize(
    "head",
    [
        b"<!DOCTYPE html><html>",
        b"\xef\xbb\xbf<!doctype html>",
        b'<html xmlns:o="urn:schemas-microsoft-com:office:office">',
        b"  \n<HTML><HEAD>",
        b'<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html PUBLIC>',
        b"<meta charset=gb2312><p>",
        b"<table><tr><td>1</td></tr></table>",
        "<html>".encode("utf-16"),
    ],
)
def test_sniffs_html_by_content(head: bytes) -> None:
    assert READER.sniff(head, ".txt")


@pytest.mark.parametrize(
    "head",
    ["一、总体情况\n2024年，本机关……".encode(), b"MIME-Version: 1.0\nContent-Type: multipart/related; <html>"],
)
def test_does_not_sniff_text_or_mhtml(head: bytes) -> None:
    assert not READER.sniff(head, ".txt")


def test_sniffs_a_fragment_only_with_an_html_suffix() -> None:
    assert READER.sniff("<p>一、总体情况</p>".encode(), ".htm")
    assert not READER.sniff("<p>一、总体情况</p>".encode(), ".txt")


# ---------------------------------------------------------------------------------------------
# Grids


def test_rowspan_and_colspan_expand_into_a_full_grid() -> None:
    doc = read(
        page(
            "<table>"
            "<tr><td rowspan=2 colspan=2>角</td><td colspan=2>申请人情况</td></tr>"
            "<tr><td>自然人</td><td>法人</td></tr>"
            "<tr><td rowspan=2>三、结果</td><td>（一）</td><td>1</td><td>2</td></tr>"
            "<tr><td>（二）</td><td></td><td>4</td></tr>"
            "</table>"
        )
    )
    assert texts(doc) == [
        ["角", "", "申请人情况", ""],
        ["", "", "自然人", "法人"],
        ["三、结果", "（一）", "1", "2"],
        ["", "（二）", "", "4"],
    ]
    cell = doc.lines[3].cells[2]
    assert (cell.source.table, cell.source.row, cell.source.cell, cell.source.reader) == (0, 3, 2, "html")
    assert cell.source.line == 1


def test_short_rows_are_padded_and_thead_tbody_tfoot_keep_source_order() -> None:
    doc = read(
        page(
            "<table><thead><tr><th>a</th><th>b</th><th>c</th></tr></thead>"
            "<tbody><tr><td>1</td></tr></tbody><tfoot><tr><td>f</td><td>g</td></tr></tfoot></table>"
        )
    )
    assert texts(doc) == [["a", "b", "c"], ["1", "", ""], ["f", "g", ""]]


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        ('rowspan="999"', [["x", "1"], ["", "2"], ["", "3"]]),
        ('rowspan="0"', [["x", "1"], ["", "2"], ["", "3"]]),
        ('colspan="9999999"', [["x", "", "1"], ["a", "b", "2"], ["c", "d", "3"]]),
        ('colspan="abc" rowspan="-2"', [["x", "1", ""], ["a", "b", "2"], ["c", "d", "3"]]),
    ],
)
def test_absurd_spans_are_clamped_to_the_table(attrs: str, expected: list[list[str]]) -> None:
    rest = "" if 'rowspan="9' in attrs or 'rowspan="0' in attrs else "<td>a</td><td>b</td>"
    rest2 = "" if rest == "" else "<td>c</td><td>d</td>"
    doc = read(
        page(f"<table><tr><td {attrs}>x</td><td>1</td></tr><tr>{rest}<td>2</td></tr><tr>{rest2}<td>3</td></tr></table>")
    )
    assert texts(doc) == expected


def test_repeated_header_row_is_deduplicated() -> None:
    """A Word export fault: cells with rowspan=2 printed again in the row below."""
    head = "".join(f"<td rowspan=2>{c}</td>" for c in "ABC")
    again = "".join(f"<td>{c}</td>" for c in "ABC")
    doc = read(
        page(
            f"<table><tr><td colspan=3>G</td><td colspan=2>H</td></tr><tr>{head}<td colspan=2>J</td></tr>"
            f"<tr>{again}<td>x</td><td>y</td></tr><tr>{''.join('<td>1</td>' for _ in range(5))}</tr></table>"
        )
    )
    assert texts(doc)[2] == ["", "", "", "x", "y"]
    assert all(len(row) == 5 for row in texts(doc))
    assert any("重复" in n for n in doc.notes)


def test_header_row_that_merely_looks_alike_is_kept() -> None:
    doc = read(page("<table><tr><td rowspan=2>A</td><td>B</td></tr><tr><td>C</td></tr></table>"))
    assert texts(doc) == [["A", "B"], ["", "C"]]


# ---------------------------------------------------------------------------------------------
# Text of cells and prose


def test_header_cells_split_over_lines_spans_and_paragraphs_join() -> None:
    doc = read(
        page(
            "<table><tr><td>社会<br>公益<br/>组织</td><td><p>商业</p>\n  <p>企业</p></td>"
            "<td><span>法律</span><span>服务</span><font face=宋体>机构</font><o:p></o:p></td>"
            "<td>\n   结果\n   维持\n</td><td>&nbsp;12&nbsp;</td><td>\u3000</td><td>1<br>62</td></tr></table>"
        )
    )
    assert texts(doc) == [["社会公益组织", "商业企业", "法律服务机构", "结果维持", "12", "", "1 62"]]


def test_prose_blocks_are_lines_and_keep_their_text() -> None:
    doc = read(
        page(
            "<div>前言文字<p>\u3000\u3000一、总体情况&nbsp;</p>尾部文字</div>"
            "<p>本机关坚持以\n  习近平新时代中国特色社会主义思想为指导，"
            "<span>认真</span><b>贯彻</b>落实。Open Government Data</p>"
            "<h3>（一）主动公开</h3><ul><li>第一项</li><li>第二项</li></ul>"
            "<p>莆田市城市管理局<br>2025年1月10日</p>"
        )
    )
    assert texts(doc) == [
        ["前言文字"],
        ["一、总体情况"],
        ["尾部文字"],
        ["本机关坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实。Open Government Data"],
        ["（一）主动公开"],
        ["第一项"],
        ["第二项"],
        ["莆田市城市管理局"],
        ["2025年1月10日"],
    ]
    assert all(line.cells[0].source.table is None and line.cells[0].source.cell is None for line in doc.lines)
    assert [line.cells[0].source.line for line in doc.lines][:2] == [1, 1]


def test_scripts_styles_comments_and_word_conditionals_are_dropped() -> None:
    doc = read(
        page(
            "<script>var a = '一、总体情况';</script><style>p{}</style><!-- 二、主动公开政府信息情况 -->"
            "<!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>表三</o:Author></o:DocumentProperties>"
            "</xml><![endif]--><p><![if !supportLists]><span>1.</span><![endif]>列表项</p>"
            "<noscript>请启用脚本</noscript><select><option>大</option></select><p>正文</p>",
            head="<title>标题</title><script>x</script>",
        )
    )
    assert texts(doc) == [["1.列表项"], ["正文"]]


def test_prose_and_tables_keep_document_order_and_table_indices() -> None:
    doc = read(
        page(
            "<p>甲</p><table><tr><td>a</td><td>1</td></tr></table><p>乙</p>"
            "<div><table><caption>表二</caption><tr><td>b</td><td>2</td></tr></table></div><p>丙</p>"
        )
    )
    assert texts(doc) == [["甲"], ["a", "1"], ["乙"], ["表二"], ["b", "2"], ["丙"]]
    assert [line.cells[0].source.table for line in doc.lines] == [None, 0, None, None, 1, None]


def test_layout_tables_are_descended_into() -> None:
    doc = read(
        page(
            "<table><tr><td><a href='/'>首页</a></td></tr><tr><td><p>一、总体情况</p>"
            "<table><tr><td>信息内容</td><td>本年处理决定数量</td></tr><tr><td>行政许可</td><td>7</td></tr></table>"
            "<p>结尾</p></td></tr></table>"
        )
    )
    assert texts(doc) == [["首页"], ["一、总体情况"], ["信息内容", "本年处理决定数量"], ["行政许可", "7"], ["结尾"]]
    assert doc.lines[3].cells[1].source.table == 0


def test_single_column_frame_with_long_prose_is_layout() -> None:
    long = "本机关认真贯彻落实政府信息公开条例，" * 20
    doc = read(page(f"<table><tr><td><p>一、总体情况</p><p>{long}</p></td></tr></table>"))
    assert texts(doc) == [["一、总体情况"], [long]]


def test_clean_text() -> None:
    assert clean_text("\n  社会\n  公益\n") == "社会公益"
    assert clean_text("\u3000\u3000正文\xa0 文字\xa0") == "正文 文字"
    assert clean_text("Open\n Data") == "Open Data"
    assert clean_text("１２３") == "123"


def test_clean_text_of_one_ascii_word_is_the_word() -> None:
    """clean_text returns a one-word ASCII cell as it is, without normalize_text: the same result
    for every ASCII character (controls included) around and inside the word."""
    from xxgk.format.normalize import normalize_text

    for code in range(128):
        for raw in (f"\n  1{chr(code)}2 \n", f"{chr(code)}", f" 3{chr(code)}"):
            words = raw.split()
            expected = normalize_text(words[0]).strip() if len(words) == 1 else None
            if expected is not None:
                assert clean_text(raw) == expected, repr(raw)


# ---------------------------------------------------------------------------------------------
# Article container


def test_article_container_is_preferred_with_its_heading() -> None:
    html = page(
        "<div class=nav><a href='/'>政府信息公开年报</a><p>导航说明文字</p></div>"
        "<div class=xl-top><h1>某局2024年政府信息公开工作年度报告</h1><span>发布时间：2025-01-10</span></div>"
        "<div class='TRS_Editor'><p>一、总体情况</p><p>" + "正文" * 50 + "</p>"
        "<table><tr><td>行政许可</td><td>3</td></tr></table><p>某局</p></div>"
        "<div class=footer><p>版权所有 网站标识码</p></div>"
    )
    doc = read(html)
    assert texts(doc)[0] == ["某局2024年政府信息公开工作年度报告"]
    assert texts(doc)[-1] == ["某局"]
    assert not any("版权" in line.text or "导航" in line.text for line in doc.lines)
    assert any("TRS_Editor".lower() in n for n in doc.notes)


def test_container_not_holding_every_table_is_ignored() -> None:
    html = page(
        "<div class=TRS_Editor><p>一、总体情况</p><p>" + "正文" * 50 + "</p></div>"
        "<table><tr><td>行政许可</td><td>3</td></tr></table><p>页脚</p>"
    )
    doc = read(html)
    assert ["行政许可", "3"] in texts(doc) and ["页脚"] in texts(doc)


def test_container_holding_little_of_the_text_is_ignored() -> None:
    html = page("<div id=zoom><p>摘要</p></div><div><p>一、总体情况</p><p>" + "正文" * 100 + "</p></div>")
    assert ["一、总体情况"] in texts(read(html))


def test_text_outside_a_container_is_the_page_less_the_container() -> None:
    """find_container counts the page's text as the container's plus what lies outside it (read
    from the siblings along the path up), so the container's text is serialised once: the sum must
    be the page's own count for every element of real and generated pages."""
    from lxml import etree

    from xxgk.readers.html import _nonspace_length, _outside_length, prepare

    pages = [write_html(random_consistent_tables(random.Random(s)), s, seed=1) for s in STYLES]
    corpus = ("010-putian-chengguanju-2024.html", "009-putian-yingjiju-2023.html")
    pages += [_corpus(name).read_bytes() for name in corpus]
    checked = 0
    for data in pages:
        text, _, _ = decode_html(data, "p.html")
        root = etree.fromstring(text.encode(), etree.HTMLParser(encoding="utf-8", remove_comments=True))
        prepare(root)
        body = root.find("body")
        whole = _nonspace_length(body)
        for el in body.iter():
            if not isinstance(el.tag, str) or any(a.tag == "a" for a in el.iterancestors()):
                continue
            outside = _outside_length(el, body)
            assert outside is not None and _nonspace_length(el) + outside == whole, el
            checked += 1
    assert checked > 1000
    nested = etree.fromstring(b"<html><body><p>x</p><a href=1><div>yy</div></a></body></html>", etree.HTMLParser())
    assert _outside_length(nested.find(".//div"), nested.find("body")) is None  # in a link: counted the old way


# ---------------------------------------------------------------------------------------------
# Charsets


@pytest.mark.parametrize(
    "head",
    [
        "<meta charset=gb2312>",
        '<meta http-equiv="Content-Type" content="text/html; charset=GBK">',
        "<META HTTP-EQUIV=content-type CONTENT='text/html;charset=gb18030'>",
    ],
)
def test_gbk_pages_declaring_their_charset(head: str) -> None:
    data = page("<p>一、总体情况</p><p>“三安全一稳定”　社会公益组织</p>", head=head).encode("gbk")
    doc = read(data)
    assert texts(doc) == [["一、总体情况"], ["“三安全一稳定” 社会公益组织"]]
    assert doc.encoding == "gb18030"


def test_wrong_declaration_of_a_utf8_page() -> None:
    text, encoding, notes = decode_html(page("<p>政府信息公开</p>", head="<meta charset=gbk>").encode(), "x.html")
    assert encoding == "utf-8" and "政府信息公开" in text and notes


def test_undeclared_gbk_and_utf16_with_bom() -> None:
    body = page("<p>" + "政府信息公开工作年度报告" * 3 + "</p>", head="")
    assert texts(read(body.encode("gbk")))[0][0].startswith("政府信息公开")
    assert texts(read(body.encode("utf-16")))[0][0].startswith("政府信息公开")


def test_xml_declaration_is_honoured() -> None:
    data = ('<?xml version="1.0" encoding="gb2312"?>\n<html><body><p>年度报告</p></body></html>').encode("gbk")
    assert texts(read(data)) == [["年度报告"]]


# ---------------------------------------------------------------------------------------------
# Generated pages: every cell read back


def test_generator_spans_expand_back_to_the_grid() -> None:
    values = random_consistent_tables(random.Random(7))
    for kind, grid in report_blocks(values):
        if kind != "table":
            continue
        width = max(len(r) for r in grid)
        assert expand(table_cells(grid, grid)) == [r + [""] * (width - len(r)) for r in grid]


def _case(style: str, seed: int) -> tuple[dict[str, int | Decimal], list[str], bytes]:
    rng = random.Random(f"{style}-{seed}")
    values = random_consistent_tables(rng)
    missing = rng.sample(sorted(SPEC.cells), rng.randint(1, 8)) if seed % 3 == 2 else []
    return values, missing, write_html(values, style, seed=seed, agency="某某县应急管理局", year=2023, missing=missing)


def _tab_report(values: dict[str, int | Decimal], missing: list[str]) -> Report:
    text = write_report(values, "tab", agency="某某县应急管理局", year=2023, missing=missing)
    return recognize(TxtReader().read("r.txt", text.encode(), SETTINGS))


@pytest.mark.parametrize("style", STYLES)
def test_generated_pages_round_trip(style: str) -> None:
    prose = {
        s.key: t
        for s, t in zip(
            SPEC.sections, ("统筹推进", "主动公开规章", "答复时限", "办理结果", "业务培训", "信息处理费"), strict=True
        )
    }
    for seed in range(CASES_PER_STYLE):
        values, missing, data = _case(style, seed)
        report = recognize(read(data, f"{style}-{seed}.html"))
        got = {k: report.cells[k].value for k in values}
        expected = {k: None if k in missing else v for k, v in values.items()}
        assert got == expected, (style, seed, {k: (expected[k], got[k]) for k in values if got[k] != expected[k]})
        assert all(report.cells[k].state is CellState.EMPTY for k in missing), (style, seed)
        assert all(report.cells[k].state is CellState.NUMBER for k in values if k not in missing)
        # (the site chrome around the report, read whole where there is no article container, is no part of its title)
        assert (report.meta.agency, report.meta.year, report.meta.title) == (
            "某某县应急管理局",
            2023,
            "某某县应急管理局2023年政府信息公开工作年度报告",
        ), (style, seed)
        for key, word in prose.items():
            section = report.sections[key]
            assert section.found and word in section.text, (style, seed, key, section.text)
        # The page reads exactly as the TAB-row text of the same report.
        tab = _tab_report(values, missing)
        assert {k: (c.value, c.state) for k, c in report.cells.items()} == {
            k: (c.value, c.state) for k, c in tab.cells.items()
        }
        repairs = [d for d in report.diagnostics if d.code != "R013"]
        assert repairs == [] or [d.code for d in repairs] == [d.code for d in tab.diagnostics]
        # What the reader did is reported (R013), one finding per note: here, the article container.
        notes = [d.params["note"] for d in report.diagnostics if d.code == "R013"]
        assert notes == read(data, f"{style}-{seed}.html").notes
        assert any("正文区域" in n for n in notes) == (style in ("trs", "br")), (style, notes)
        if style != "layout":  # a layout page without an article container keeps its menus and footer
            assert (report.meta.agency, report.meta.year) == ("某某县应急管理局", 2023), (style, seed)
        if not missing:
            errors = [f for f in check_report(report) if f.severity is Severity.ERROR]
            assert errors == [], (style, seed, errors)


_CONTROLS = b"\x00\x01\x08\x0b\x0c\x11\x1b\x1f\x7f"


@pytest.mark.parametrize("style", STYLES)
def test_control_characters_in_a_page_do_not_stop_it_being_read(style: str) -> None:
    """Control characters of a damaged page, after tags (found by fuzzing: lxml refused the tail
    the reader gives a block back) and between the digits of numbers: the page reads as its clean
    twin, the invisible ones dropped and VT/FF/FS… taken as spaces, as a browser shows them. (One
    byte each in GBK too: its trail bytes are never below 0x40.) A space so made between the digits
    of a number makes the cell two numbers, or one cut in two: uncertain, with a reading note (R016),
    never either reading (tests/test_odd_numbers.py)."""
    values, missing, data = _case(style, 2)
    rng = random.Random(style)
    damaged = re.sub(rb"(</(?:td|p|span|div)>)", lambda m: m.group(1) + bytes([rng.choice(_CONTROLS)]), data)
    # (NUL inside text is U+FFFD to libxml2, as to HTML5 parsers: a damaged number, not tested here)
    damaged = re.sub(
        rb">(\d)(\d+)<", lambda m: b">" + m.group(1) + bytes([rng.choice(_CONTROLS[1:])]) + m.group(2) + b"<", damaged
    )
    assert damaged.count(b"\x01") + damaged.count(b"\x11") > 10  # (the page does carry them)
    clean, got = recognize(read(data)), recognize(read(damaged))
    spaced = {k for k, c in got.cells.items() if re.search(r"\d\s+\d", c.raw)}
    assert {k: (c.value, c.state) for k, c in got.cells.items()} == {
        k: (None, CellState.UNCERTAIN) if k in spaced else (c.value, c.state) for k, c in clean.cells.items()
    }
    assert {d.location for d in got.diagnostics if d.code == "R016"} == spaced
    assert all(got.cells[k].value == v for k, v in values.items() if k not in missing and k not in spaced)
    assert got.meta.agency == clean.meta.agency == "某某县应急管理局"
    assert all(not any(ord(ch) < 32 and ch != "\n" for ch in s.text) for s in got.sections.values())


def test_generated_cells_have_table_provenance() -> None:
    _, _, data = _case("word", 0)
    report = recognize(read(data, "w.html"))
    src = report.cells["t4.litigation_after_review.total"].source
    assert src is not None
    assert (src.reader, src.table, src.row, src.cell) == ("html", 2, 3, 14)
    assert src.line is not None and src.line > 1
    assert report.cells["t3.new_received.natural_person"].source.cell == 3  # type: ignore[union-attr]


def test_gbk_style_is_really_gbk() -> None:
    _, _, data = _case("gbk", 1)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert READER.read("g.html", data, SETTINGS).encoding == "gb18030"


# ---------------------------------------------------------------------------------------------
# The real corpus


def _corpus(name: str) -> Path:
    path = CORPUS / name
    if not path.exists():
        pytest.skip("shared/corpus not present")
    return path


def _read_file(path: Path) -> Report:
    return recognize(READER.read(str(path), path.read_bytes(), SETTINGS))


def _no_identity_error(report: Report) -> None:
    bad = [f for f in check_report(report) if f.code.startswith("C0") and f.severity is Severity.ERROR]
    assert bad == []


def test_corpus_010_trs_page() -> None:
    report = _read_file(_corpus("010-putian-chengguanju-2024.html"))
    v = {k: c.value for k, c in report.cells.items()}
    assert v["t3.new_received.natural_person"] == 13 and v["t3.new_received.total"] == 13
    assert v["t3.withheld_internal_affairs.natural_person"] == 1
    assert v["t3.unable_not_held.natural_person"] == 12
    assert [v[f"t4.review.{k}"] for k in ("upheld", "corrected", "other", "pending", "total")] == [1, 0, 0, 0, 1]
    assert [v[f"t2.normative_documents.{k}"] for k in ("issued", "repealed", "in_force")] == [4, 4, 16]
    assert v["t2.administrative_licensing.decisions"] == 78
    assert v["t2.administrative_fees.amount_wan_yuan"] == Decimal("397.59")
    assert all(c.state is CellState.NUMBER for c in report.cells.values())
    assert (report.meta.agency, report.meta.year, report.meta.format_version) == ("莆田市城市管理局", 2024, "gov2021")
    assert all(s.found for s in report.sections.values())
    _no_identity_error(report)


def test_corpus_009_word_export_page() -> None:
    report = _read_file(_corpus("009-putian-yingjiju-2023.html"))
    v = {k: c.value for k, c in report.cells.items()}
    columns = [c.key for c in SPEC.tables["t3"].columns]
    assert [v[f"t3.new_received.{c}"] for c in columns] == [2, 1, 0, 0, 0, 0, 3]
    assert [v[f"t2.normative_documents.{k}"] for k in ("issued", "repealed", "in_force")] == [2, 7, 17]
    assert v["t2.administrative_licensing.decisions"] == 1039
    assert v["t2.administrative_fees.amount_wan_yuan"] == Decimal("60.2642")
    assert all(c.state is CellState.NUMBER for c in report.cells.values())
    assert (report.meta.agency, report.meta.year) == ("莆田市应急管理局", 2023)
    assert all(s.found for s in report.sections.values())
    _no_identity_error(report)


def test_corpus_009_with_the_malformed_review_header() -> None:
    """README: 表四's row 3 repeats the five 行政复议 cells that already span into it (15 cells for
    10). The archived file is well-formed, so the fault is injected here, from the page's own cells."""
    path = _corpus("009-putian-yingjiju-2023.html")
    text = path.read_text(encoding="utf-8")
    start = text.index("<table", text.index("四、政府信息公开行政复议"))
    rows = text[start:].split("<tr>")
    third = rows[3]
    first_five = "".join(re.findall(r"<td\b.*?</td>", third, re.S)[:5])
    assert first_five.count("<td") == 5
    broken = text[:start] + "<tr>".join([*rows[:3], "\n" + first_five + third, *rows[4:]])
    doc = READER.read(str(path), broken.encode("utf-8"), SETTINGS)
    report = recognize(doc)
    assert any("重复" in n for n in doc.notes)
    grid = [line for line in doc.lines if line.cells[0].source.table == 2]
    assert [len(line.cells) for line in grid] == [15, 15, 15, 15]
    assert all(report.cells[k].state is CellState.NUMBER for k in report.cells if k.startswith("t4."))
    _no_identity_error(report)


# ---------------------------------------------------------------------------------------------
# Bad input


def test_news_page_is_not_a_report() -> None:
    news = page(
        "<div class=nav><a href='/'>首页</a></div><h1>我市召开安全生产工作会议</h1>"
        "<div class=TRS_Editor><p>3月5日，我市召开安全生产工作会议，部署一季度重点工作。</p>"
        "<table><tr><td>单位</td><td>人数</td></tr><tr><td>应急局</td><td>12</td></tr></table></div>"
    )
    with pytest.raises(NotAReportError):
        recognize(read(news))


def test_truncated_page_reads_what_is_there() -> None:
    values = random_consistent_tables(random.Random(3))
    data = write_html(values, "trs", seed=3)
    cut = data[: data.index("（三）不予公开".encode()) + 5]  # inside 表三, mid-label
    report = recognize(read(cut))
    assert (
        report.cells["t2.administrative_licensing.decisions"].value == values["t2.administrative_licensing.decisions"]
    )
    assert report.cells["t3.new_received.natural_person"].value == values["t3.new_received.natural_person"]
    assert report.cells["t4.review.total"].value is None


@pytest.mark.parametrize("data", [b"<html></html>", b"", b"   ", b"<html><body></body></html>", b"<!-- only -->"])
def test_empty_pages(data: bytes) -> None:
    doc = READER.read("e.html", data, SETTINGS)
    assert doc.lines == [] and doc.reader == "html"
    with pytest.raises(NotAReportError):
        recognize(doc)


def test_too_many_lines_is_refused() -> None:
    from xxgk.errors import UnreadableInputError

    with pytest.raises(UnreadableInputError):
        READER.read("l.html", page("<p>行</p>" * 50).encode(), ReadSettings(max_lines=10))


@pytest.mark.parametrize(
    "data",
    [
        "<div>" * 100_000 + "深" + "</div>" * 100_000,
        "<font>" * 50_000 + "<p>深</p>",
        "<table>" + "<tr>" + "<td>1</td>" * 100_000 + "</tr></table>",
        "<table>" + "<tr><td>1</td></tr>" * 20_000 + "</table>",
        "<table>" + "<tr><td rowspan=65534 colspan=1000>x</td>" + "<td>1</td>" * 300 + "</tr>" * 3000 + "</table>",
        "<table><tr><td>" * 3000 + "x" + "</td></tr></table>" * 3000,
        "<p>" + "政" * 10_000_000 + "</p>",
    ],
    ids=["deep-div", "unclosed-font", "wide-row", "long-table", "huge-spans", "nested-tables", "10MB-line"],
)
def test_pathological_pages_do_not_hang(data: str) -> None:
    start = time.perf_counter()
    doc = read(data)
    assert time.perf_counter() - start < 15  # linear work; generous for a loaded CI machine
    assert isinstance(doc.lines, list)
