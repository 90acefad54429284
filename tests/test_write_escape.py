"""Text from a report is shown as text in every output: no markup of its own in Markdown or HTML
(issue 24 §4). A report read from a stranger's file may hold <script>, <iframe>, images and links."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html
from markdown_it import MarkdownIt

from xxgk.write import render

from .test_write_template import make_report

HOSTILE = [
    "<script>alert(1)</script>本年度主动公开政府信息。",
    '<iframe src="http://evil.example/x"></iframe>',
    "![](http://evil.example/pixel.png)跟踪图片",
    "详见[通知](javascript:alert(1))和<http://evil.example>。",
    '<img src=x onerror="alert(1)">',
    "<!-- 注释 -->&lt;b&gt;实体&#60;",
    "**加粗**与_斜体_以及`代码`和~~删除~~",
    "[ref]: http://evil.example\n[ref]",
    "# 不是标题\n> 不是引用\n- 不是列表\n1. 不是编号\n| 不是 | 表格 |",
    "反斜杠\\<script>和\\](x)",
]
PLAIN = "国务院办公厅关于印发<政府信息公开信息处理费管理办法>的通知[bookmark: _GoBack]，收费1*2件。"


def _report(text: str):  # type: ignore[no-untyped-def]
    return make_report({}, set(), {"s1_overview": text, "s6_other": PLAIN})


def _shown(markdown: str) -> lxml_html.HtmlElement:
    """The Markdown as a CommonMark viewer (raw HTML allowed, GFM tables) turns it into HTML."""
    page = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    return lxml_html.fromstring(f"<div>{page}</div>")


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_shows_section_text_as_text(text: str) -> None:
    md = render(_report(text), "md").decode("utf-8")
    shown = _shown(md)
    for tag in ("script", "iframe", "img", "a", "strong", "em", "code", "s", "del", "blockquote", "ul", "ol", "h3"):
        assert not shown.findall(f".//{tag}"), (tag, text, md)
    assert [h.text_content() for h in shown.findall(".//h1")] == ["某某镇人民政府2024年政府信息公开工作年度报告"]
    # Each paragraph of the section is shown exactly as written.
    paragraphs = [p.text_content() for p in shown.findall(".//p")]
    for line in text.split("\n"):
        assert line.strip() in paragraphs, (line, paragraphs)


def test_markdown_leaves_plain_prose_as_written() -> None:
    md = render(_report("本年度主动公开政府信息。"), "md").decode("utf-8")
    assert f"\n{PLAIN}\n" in md  # a lone < [ _ * does nothing: nothing to escape
    assert PLAIN in [p.text_content() for p in _shown(md).findall(".//p")]


@pytest.mark.parametrize("text", HOSTILE)
def test_html_shows_section_text_as_text(text: str) -> None:
    page = lxml_html.fromstring(render(_report(text), "html"))
    for tag in ("script", "iframe", "img", "a", "strong", "code"):
        assert not page.findall(f".//body//{tag}"), (tag, text)
    paragraphs = [p.text_content() for p in page.findall(".//body//p")]
    for line in text.split("\n"):
        assert line.strip() in paragraphs
