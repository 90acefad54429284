"""Word files made of embedded documents (`w:altChunk`): read where they stand, cell for cell; bad chunks."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xxgk.cli.main import app
from xxgk.errors import UnreadableInputError
from xxgk.readers import read_document
from xxgk.readers.base import RawDocument
from xxgk.readers.docx import OLE_MAGIC, DocxReader
from xxgk.readers.docx_parts import MAX_CHUNKS, MAX_DEPTH
from xxgk.recognize import recognize
from xxgk.report import CellState
from xxgk.settings import ReadSettings

from .docxgen import alt_chunk, chunk_package, handwritten_report, mht_page, package, para, python_docx_report, run
from .generate import random_consistent_tables
from .htmlgen import STYLES, write_html

READER = DocxReader()
runner = CliRunner()


def read(data: bytes, settings: ReadSettings | None = None) -> RawDocument:
    return READER.read("download.docx", data, settings or ReadSettings())


def p(text: str) -> str:
    return para(run(text))


def _case(seed: int) -> tuple[dict[str, object], set[str]]:
    rng = random.Random(f"chunk-{seed}")
    values = random_consistent_tables(rng)
    return values, set(rng.sample(sorted(values), seed % 4))


# Forms web sites export: html-docx-js (one MHTML part, absolute target), docx4j-like (an HTML
# part, relative target), a Word document embedded whole (python-docx or hand-written XML).
FORMS = ("mht", "html", "docx-python", "docx-xml")


def _chunk(form: str, values: dict[str, object], missing: set[str], seed: int) -> tuple[str, bytes]:
    style = STYLES[seed % len(STYLES)]
    if form == "mht":
        return "/word/afchunk.mht", mht_page(write_html(values, style, seed=seed, missing=missing))  # type: ignore[arg-type]
    if form == "html":
        return "chunk1.html", write_html(values, style, seed=seed, missing=missing)  # type: ignore[arg-type]
    if form == "docx-python":
        return "/word/embedded.docx", python_docx_report(values, missing=missing)  # type: ignore[arg-type]
    return "embedded.docx", handwritten_report(values, missing=missing, seed=seed)  # type: ignore[arg-type]


@pytest.mark.parametrize("form", FORMS)
def test_word_files_of_one_embedded_document_read_cell_for_cell(form: str) -> None:
    for seed in range(6):
        values, missing = _case(seed)
        data = chunk_package(alt_chunk("htmlChunk"), {"htmlChunk": _chunk(form, values, missing, seed)})
        doc = read(data)
        report = recognize(doc)
        got = {k: report.cells[k].value for k in values}
        assert got == {k: None if k in missing else v for k, v in values.items()}, (form, seed)
        assert all(report.cells[k].state is CellState.EMPTY for k in missing)
        assert report.sections["s6_other"].found
        # The Word body's provenance: line = the body block = the 1-based index of the line;
        # the embedded tables numbered in document order, rows and cells their grid positions.
        for i, line in enumerate(doc.lines, start=1):
            assert {(c.source.line, c.source.reader, c.source.file) for c in line.cells} == {
                (i, "docx", "download.docx")
            }
        cell = report.cells[next(k for k in values if k.startswith("t3.") and k not in missing)]
        assert cell.source is not None and cell.source.table is not None and cell.source.row is not None
        assert doc.lines[cell.source.line - 1].cells[cell.source.cell].text == cell.raw  # type: ignore[index,operator]
        kind = {"mht": "单文件网页", "html": "网页"}.get(form, "Word 文档")
        assert doc.notes[0].startswith(f"文档正文嵌入了 1 段外部内容（altChunk：{kind}"), doc.notes


def test_chunks_stand_where_they_are_between_the_body_blocks() -> None:
    native = "<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>"
    body = (
        p("前言")
        + native.format(p("A"), p("1"))
        + alt_chunk("c1")
        + p("中间")
        + alt_chunk("c2")
        + native.format(p("B"), p("2"))
        + p("结尾")
    )
    html = b"<html><body><p>\xe7\xbd\x91\xe9\xa1\xb5</p><table><tr><td>x</td><td>9</td></tr></table></body></html>"
    data = chunk_package(body, {"c1": ("a.htm", html), "c2": ("b.txt", "文本一\n文本二\n".encode())})
    doc = read(data)
    assert [line.text for line in doc.lines] == ["前言", "A1", "网页", "x9", "中间", "文本一", "文本二", "B2", "结尾"]
    tables = [(line.text, {c.source.table for c in line.cells}) for line in doc.lines if len(line.cells) > 1]
    assert tables == [("A1", {0}), ("x9", {1}), ("B2", {2})]
    assert [c.source.line for line in doc.lines for c in line.cells[:1]] == list(range(1, 10))
    assert doc.notes[0].startswith("文档正文嵌入了 2 段外部内容（altChunk：网页、文本")


def test_the_notes_of_an_embedded_page_are_kept_and_reported_as_r013(tmp_path: Path) -> None:
    values, missing = _case(1)
    page = write_html(values, "trs", seed=1, missing=missing)  # type: ignore[arg-type]
    path = tmp_path / "下载.docx"
    path.write_bytes(chunk_package(alt_chunk("htmlChunk"), {"htmlChunk": ("/word/afchunk.mht", mht_page(page))}))
    result = runner.invoke(app, ["check", "--format", "json", str(path)])
    assert result.exit_code in (0, 1), result.output
    notes = [f["message"] for f in _findings(result.output) if f["code"] == "R013"]
    assert notes[0].startswith("读取说明：文档正文嵌入了 1 段外部内容（altChunk：单文件网页")
    # the page's own notes follow, numbered by chunk (not the MHTML reader's note on line numbers:
    # the lines are numbered as the Word body's here)
    assert notes[1:] == [
        "读取说明：第1段嵌入内容：只读取网页正文区域（class=trs_editor）及其上方的标题，网站导航、页脚等已略去"
    ]


def _findings(output: str) -> list[dict[str, str]]:
    data = json.loads(output)
    files = data if isinstance(data, list) else data.get("files", [data])
    return [f for entry in files for f in entry.get("findings", [])]


@pytest.mark.parametrize(
    ("chunks", "external", "reason"),
    [
        ({}, (), "找不到它引用的部件"),
        ({}, ("c1",), "链接到文档外部的文件"),
        ({"c1": ("chunk.rtf", b"{\\rtf1\\ansi hello}")}, (), "RTF"),
        ({"c1": ("chunk.doc", OLE_MAGIC + bytes(600))}, (), "旧版 Office 文件"),
        ({"c1": ("chunk.htm", b"  \n ")}, (), "内容为空"),
    ],
)
def test_a_chunk_that_cannot_be_read_is_a_note_or_the_files_error(
    chunks: dict[str, tuple[str, bytes]], external: tuple[str, ...], reason: str
) -> None:
    # The body holds nothing else: the file is unusable, and the error says why.
    with pytest.raises(UnreadableInputError) as caught:
        read(chunk_package(alt_chunk("c1"), chunks, external=external))
    assert caught.value.message.startswith("Word 文档的正文只有嵌入内容（altChunk），第1段嵌入内容无法读取：")
    assert reason in caught.value.message
    # Beside other text: the rest is read, the chunk is a note.
    doc = read(chunk_package(p("一、总体情况") + alt_chunk("c1"), chunks, external=external))
    assert [line.text for line in doc.lines] == ["一、总体情况"]
    assert len(doc.notes) == 1 and reason in doc.notes[0] and doc.notes[0].startswith("第1段嵌入内容无法读取：")


def test_a_part_missing_from_the_package() -> None:
    data = chunk_package(alt_chunk("c1"), {"c1": ("a.htm", b"<p>x</p>")})
    data = data.replace(b"word/a.htm", b"word/b.htm")  # the part renamed in the ZIP (same length)
    with pytest.raises(UnreadableInputError, match=re.escape("缺少它的部件（word/a.htm）")):
        read(data)


def test_chunks_are_bounded_in_size_in_number_and_in_depth() -> None:
    # size: a part bigger than the limit once decompressed (a zip bomb) is refused unread
    bomb = b"<p>" + b"0" * 300_000 + b"</p>"
    with pytest.raises(UnreadableInputError, match="压缩炸弹"):
        read(chunk_package(alt_chunk("c1"), {"c1": ("a.htm", bomb)}), ReadSettings(max_bytes=200_000))
    # the limit holds for all chunks together
    half = b"<p>" + b"1" * 120_000 + b"</p>"
    doc = read(
        chunk_package(alt_chunk("c1") + alt_chunk("c2"), {"c1": ("a.htm", half), "c2": ("b.htm", half)}),
        ReadSettings(max_bytes=200_000),
    )
    assert len(doc.lines) == 1 and "第2段嵌入内容无法读取" in doc.notes[-1] and "压缩炸弹" in doc.notes[-1]
    # number
    many = {f"c{i}": (f"p{i}.txt", f"第{i}段".encode()) for i in range(MAX_CHUNKS + 2)}
    doc = read(chunk_package("".join(alt_chunk(rid) for rid in many), many))
    assert len(doc.lines) == MAX_CHUNKS
    assert doc.notes[-2:] == [
        f"第{MAX_CHUNKS + k}段嵌入内容无法读取：嵌入内容超过 {MAX_CHUNKS} 段，其余未读取" for k in (1, 2)
    ]
    # depth: a Word file in a Word file in a Word file… is read MAX_DEPTH levels down
    inner = package(p("最里层"))
    for level in range(MAX_DEPTH + 1):
        inner = chunk_package(p(f"第{level}层") + alt_chunk("c"), {"c": ("inner.docx", inner)})
    doc = read(inner)
    assert [line.text for line in doc.lines] == [f"第{level}层" for level in range(MAX_DEPTH, -1, -1)]
    assert any(f"Word 文档嵌套超过 {MAX_DEPTH} 层" in n for n in doc.notes), doc.notes


def test_an_html_docx_js_file_is_chosen_by_content_and_checked(tmp_path: Path) -> None:
    values, missing = _case(2)
    page = write_html(values, "word", seed=2, missing=missing)  # type: ignore[arg-type]
    path = tmp_path / "export"  # no suffix: the reader is chosen by content
    path.write_bytes(chunk_package(alt_chunk("htmlChunk"), {"htmlChunk": ("/word/afchunk.mht", mht_page(page))}))
    assert read_document(path).reader == "docx"
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 0, result.output
    assert "表三" in result.output
