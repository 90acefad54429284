"""Word reports (.docx/.docm, and legacy .doc/.wps through LibreOffice): the document XML read directly.

The body of `word/document.xml` is walked in document order with lxml (python-docx repeats
merged cells and is slow):

- a paragraph (`w:p`) is one line with one cell; a tab inside it is a space, and a line break
  (`w:br`, `w:cr`) starts a new line (reports pasted from web pages use breaks as paragraphs);
- a table row (`w:tr`) is one line with one cell per grid column, like the "TAB row" layout of
  the TXT reader: a cell spanning columns (`w:gridSpan`) gives its text then "" for the covered
  positions, a vertically merged continuation (`w:vMerge`) gives "", `w:gridBefore`/`w:gridAfter`
  give "", and every row is padded to the table's grid width. The paragraphs and line breaks of
  one cell are joined without a space (社会/公益/组织 → 社会公益组织) except between two Latin
  letters or digits;
- a single-column table, or a table with a table nested in one of its cells, is a layout frame:
  its cells' contents are read as body, cell after cell (paragraphs, and tables with their own
  index), so a report wrapped in a layout table reads like one that is not;
- text is the accepted text of tracked changes (`w:ins`/`w:moveTo` kept, `w:del`/`w:moveFrom`
  dropped), field results without field instructions, content controls, hyperlinks and smart tags,
  and text boxes: their paragraphs become lines after the paragraph that anchors them
  (`mc:AlternateContent`: the Choice, or the Fallback when the Choice has no text and no picture,
  never both). With `--ocr`, pictures that may be tables (DrawingML or VML) are read by OCR after
  their paragraph, or after their table when they sit in a table cell.
  Hidden text (`w:vanish`), bookmarks, comments' marks and math are skipped;
- headers, footers, footnotes, endnotes and comments are other parts of the package and are not
  read (a footnote reference mark is dropped, and a note says so).

Provenance: `line` is the 1-based number of the body block (paragraph or table row, text-box
paragraphs included, each line of a paragraph cut by line breaks counted), so it is also the
1-based index of the RawLine; table cells add `table` (0-based, document order, nested tables
included), `row` and `cell` (0-based grid positions).
"""

from __future__ import annotations

import io
import itertools
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from xxgk.errors import UnreadableInputError
from xxgk.format.normalize import normalize_text
from xxgk.oserrors import os_error_zh
from xxgk.readers.base import (
    RawCell,
    RawDocument,
    RawLine,
    length_cm,
    may_hold_table,
    style_declarations,
)
from xxgk.readers.budget import current, metered
from xxgk.readers.docx_package import main_part, main_part_name, open_package, xml_parser
from xxgk.readers.docx_parts import BodyParts
from xxgk.readers.embedded import Embedded, tables_in
from xxgk.readers.offline import offline, write_profile
from xxgk.readers.sniff import DOCX_SUFFIXES, OLE_MAGIC, ZIP_MAGIC, sniff_docx
from xxgk.report import Provenance
from xxgk.settings import ReadSettings

LEGACY_TIMEOUT_S = 120  # LibreOffice's first start (profile creation) alone can take many seconds
MAX_COLUMNS = 1000  # a table wider than this is damaged or hostile (gridSpan="99999999")

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

P, TBL, TR, TC = _W + "p", _W + "tbl", _W + "tr", _W + "tc"
R, T = _W + "r", _W + "t"
TAB, PTAB, BR, CR, SYM = _W + "tab", _W + "ptab", _W + "br", _W + "cr", _W + "sym"
NO_BREAK_HYPHEN, SOFT_HYPHEN = _W + "noBreakHyphen", _W + "softHyphen"
FLD_CHAR, FLD_CHAR_TYPE = _W + "fldChar", _W + "fldCharType"
INS, DEL, MOVE_TO, MOVE_FROM = _W + "ins", _W + "del", _W + "moveTo", _W + "moveFrom"
TXBX = _W + "txbxContent"
SDT, SDT_CONTENT, CUSTOM_XML = _W + "sdt", _W + "sdtContent", _W + "customXml"
ALT, CHOICE, FALLBACK = _MC + "AlternateContent", _MC + "Choice", _MC + "Fallback"
ALT_CHUNK = _W + "altChunk"
DRAWING = _W + "drawing"
R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
WP_EXTENT = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"
A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
V_IMAGEDATA = "{urn:schemas-microsoft-com:vml}imagedata"
EMU_PER_CM = 360_000
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
O_RELID = "{urn:schemas-microsoft-com:office:office}relid"  # (a VML picture's part in some conversions)
PICTURES = frozenset({DRAWING, V_IMAGEDATA})  # a DrawingML picture, a VML one
RPR, VANISH, VAL = _W + "rPr", _W + "vanish", _W + "val"
TBL_GRID, GRID_COL = _W + "tblGrid", _W + "gridCol"
TR_PR, GRID_BEFORE, GRID_AFTER = _W + "trPr", _W + "gridBefore", _W + "gridAfter"
TC_PR, GRID_SPAN, V_MERGE, H_MERGE = _W + "tcPr", _W + "gridSpan", _W + "vMerge", _W + "hMerge"
FOOTNOTE_REF, ENDNOTE_REF = _W + "footnoteReference", _W + "endnoteReference"
CHAR, FONT = _W + "char", _W + "font"

# Elements whose content is never text of the body (properties, deleted or instruction text, marks).
_SKIP = frozenset(
    _W + name
    for name in (
        "pPr",
        "rPr",
        "tblPr",
        "trPr",
        "tcPr",
        "tblGrid",
        "sectPr",
        "del",
        "moveFrom",
        "delText",
        "instrText",
        "delInstrText",
        "sdtPr",
        "sdtEndPr",
        "bookmarkStart",
        "bookmarkEnd",
        "proofErr",
        "commentRangeStart",
        "commentRangeEnd",
        "commentReference",
        "annotationRef",
        "lastRenderedPageBreak",
        "permStart",
        "permEnd",
        "fldData",
    )
)
# Wrappers whose children are read as if they were not there.
_BLOCK_WRAPPERS = frozenset({SDT, SDT_CONTENT, CUSTOM_XML, INS, MOVE_TO})

# Common characters of the Symbol and Wingdings fonts (`w:sym`, private-use code points F0xx).
_SYMBOLS = {
    ("symbol", 0xB7): "•",
    ("symbol", 0xB4): "×",
    ("symbol", 0xB8): "÷",
    ("symbol", 0xB1): "±",
    ("symbol", 0xD6): "√",
    ("symbol", 0xAE): "→",
    ("symbol", 0xA3): "≤",
    ("symbol", 0xB3): "≥",
    ("symbol", 0xB9): "≠",
    ("symbol", 0x2D): "-",
    ("wingdings", 0x6C): "●",
    ("wingdings", 0x6E): "■",
    ("wingdings", 0xA8): "□",
    ("wingdings", 0xFC): "✓",
    ("wingdings", 0xFB): "✗",
    ("wingdings", 0xFE): "☑",
    ("wingdings", 0x9F): "•",
}

# Word's "Strict Open XML" namespace: mapped onto the transitional one before parsing.
_STRICT_W = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
_TRANSITIONAL_W = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# ---------------------------------------------------------------------------------------------
# The reader


class DocxReader:
    name = "docx"
    suffixes = DOCX_SUFFIXES

    def sniff(self, head: bytes, suffix: str) -> bool:
        return sniff_docx(head, suffix)

    def read(self, path: str, data: bytes, settings: ReadSettings) -> RawDocument:
        return read_docx(path, data, settings)


def read_docx(path: str, data: bytes, settings: ReadSettings, depth: int = 0) -> RawDocument:
    """A Word file as a document; `depth` > 0 for one embedded in another (see docx_parts).
    Every part read, at every depth, is charged to the one budget of the file (`budget`)."""
    with metered(settings, path):
        return _read_docx(path, data, settings, depth)


def _read_docx(path: str, data: bytes, settings: ReadSettings, depth: int) -> RawDocument:
    notes: list[str] = []
    if data.startswith(OLE_MAGIC):
        data = convert_legacy(path, data, settings)
        notes.append("旧版 Word 文件（.doc/.wps），已用 LibreOffice 转换为 .docx 后读取")
    with open_package(path, data) as zf:
        name, xml = main_part(path, zf, settings)
        body = _parse(path, xml)
        parts = BodyParts(path, zf, name, settings, read_docx, depth)
        walk = _Walk(path, settings.max_lines, parts=parts, ocr=settings.ocr)
        walk.blocks(body)
        # (those read are not in question; a VML one read from a Fallback was never counted)
        walk.pictures += max(0, count_pictures(body) - parts.pictures_read)
    if not walk.lines and parts.failures:
        # The body is nothing but chunks none of which could be read: say why, not "no report found".
        raise UnreadableInputError("Word 文档的正文只有嵌入内容（altChunk），" + "；".join(parts.failures), path=path)
    return RawDocument(
        path,
        walk.lines,
        encoding="utf-8",
        reader=DocxReader.name,
        notes=notes + walk.report_notes(),
        pictures=walk.pictures,
        ocr=walk.embedded.summary(),
    )


def is_docx(data: bytes) -> bool:
    """True when `data` is a ZIP package with a Word main document part."""
    if not data.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return main_part_name(zf) is not None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError, EOFError):
        return False


# ---------------------------------------------------------------------------------------------
# Package


def _parse(path: str, xml: bytes) -> etree._Element:
    if _STRICT_W in xml[:4096]:
        xml = xml.replace(_STRICT_W, _TRANSITIONAL_W)
    try:
        root = etree.fromstring(xml, xml_parser())
    except etree.XMLSyntaxError:
        raise UnreadableInputError(
            "Word 文档正文（word/document.xml）不是有效的 XML，文件可能已损坏", path=path
        ) from None
    body = root.find(_W + "body")
    if body is None:
        raise UnreadableInputError("Word 文档中没有正文（w:body），文件可能已损坏或不是 Word 文档", path=path)
    return body


# ---------------------------------------------------------------------------------------------
# Legacy .doc/.wps


def convert_legacy(path: str, data: bytes, settings: ReadSettings) -> bytes:
    """The .docx bytes of a legacy OLE Word file (.doc/.wps), converted by LibreOffice.

    Raises UnreadableInputError for an encrypted OLE package (a password-protected .docx is an
    OLE file holding an `EncryptedPackage` stream), another Office file, a missing LibreOffice,
    or a conversion that fails or times out.
    """
    if _ole_has(data, "EncryptedPackage") or _ole_has(data, "EncryptionInfo"):
        raise UnreadableInputError(
            "Word 文件设有打开密码（已加密），无法读取；请在 Word/WPS 中取消密码保护后另存为 .docx 再试", path=path
        )
    if not _ole_has(data, "WordDocument") and (_ole_has(data, "Workbook") or _ole_has(data, "Book")):
        raise UnreadableInputError("这是旧版 Excel 表格（.xls），不是 Word 文档", path=path)
    if not _ole_has(data, "WordDocument") and _ole_has(data, "PowerPoint Document"):
        raise UnreadableInputError("这是旧版 PowerPoint 演示文稿（.ppt），不是 Word 文档", path=path)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise UnreadableInputError(
            "这是旧版 Word 文件（.doc/.wps），请安装 LibreOffice（apt-get install libreoffice-writer）后重试，"
            "或在 Word/WPS 中另存为 .docx",
            path=path,
        )
    suffix = Path(path).suffix.lower()
    suffix = suffix if suffix in (".doc", ".dot", ".wps", ".wpt") else ".doc"
    with tempfile.TemporaryDirectory(prefix="xxgk-doc-") as tmp:
        source = Path(tmp) / f"input{suffix}"
        source.write_bytes(data)
        profile = Path(tmp) / "profile"  # own profile: works beside a running LibreOffice
        write_profile(profile)  # (link updates off)
        command = offline(
            [
                soffice,
                "--headless",
                "--norestore",
                "--nolockcheck",
                f"-env:UserInstallation={profile.as_uri()}",
                "--convert-to",
                "docx",
                "--outdir",
                tmp,
                str(source),
            ]
        )  # (no network: a linked picture's URL is never fetched, see readers.offline)
        try:
            subprocess.run(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=LEGACY_TIMEOUT_S,
                check=False,
                env={**os.environ, "HOME": tmp},
            )
        except subprocess.TimeoutExpired:
            raise UnreadableInputError(
                f"用 LibreOffice 转换旧版 Word 文件超时（{LEGACY_TIMEOUT_S} 秒），请在 Word/WPS 中另存为 .docx 后重试",
                path=path,
            ) from None
        except OSError as e:
            raise UnreadableInputError(f"无法运行 LibreOffice：{os_error_zh(e)}", path=path) from None
        target = Path(tmp) / "input.docx"
        if not target.is_file():
            raise UnreadableInputError(
                "LibreOffice 无法转换这个旧版 Word 文件（可能已损坏或设有密码），请在 Word/WPS 中另存为 .docx 后重试",
                path=path,
            )
        converted = target.read_bytes()
    if len(converted) > settings.max_bytes:
        raise UnreadableInputError("旧版 Word 文件转换后过大，已拒绝读取", path=path)
    return converted


def _ole_has(data: bytes, stream: str) -> bool:
    """An OLE directory entry named `stream` (names are UTF-16LE, NUL-terminated)."""
    return stream.encode("utf-16-le") + b"\x00\x00" in data


# ---------------------------------------------------------------------------------------------
# The body walk


@dataclass
class _Walk:
    path: str
    max_lines: int
    lines: list[RawLine] = field(default_factory=list)
    block: int = 0  # body blocks so far (paragraphs and table rows)
    tables: int = 0  # tables so far (nested ones included)
    fields: list[bool] = field(default_factory=list)  # open complex fields: True while in the instruction
    insertions: int = 0
    deletions: int = 0
    text_boxes: int = 0
    layout_tables: int = 0
    footnotes: int = 0
    parts: BodyParts | None = None  # what the body refers to: embedded documents (w:altChunk), pictures
    ocr: bool = False  # read pictures that may be tables by OCR (--ocr)
    pictures: int = 0  # pictures that may hold a table (see base.may_hold_table), not read
    cell_pictures: list[etree._Element] = field(default_factory=list)  # in the cells of the table being read
    embedded: Embedded = field(init=False)  # what the chunks and pictures brought

    def __post_init__(self) -> None:
        self.embedded = Embedded(self.path, DocxReader.name)

    def report_notes(self) -> list[str]:
        notes = []
        if self.insertions or self.deletions:
            notes.append(
                f"文档含修订标记，已按接受全部修订后的文本读取（插入 {self.insertions} 处、删除 {self.deletions} 处）"
            )
        if self.text_boxes:
            notes.append(f"文本框 {self.text_boxes} 个：其中的文字按段落读取，位于所在段落之后")
        if self.layout_tables:
            notes.append(f"{self.layout_tables} 个表格用于排版（单列或内嵌表格），其内容按正文读取")
        if self.footnotes:
            notes.append(f"文档有 {self.footnotes} 处脚注或尾注，未读取其内容")
        if self.parts is not None:
            notes += self.parts.notes()
        return notes

    # -- output ----------------------------------------------------------------------------
    def emit(self, cells: tuple[RawCell, ...]) -> None:
        if len(self.lines) >= self.max_lines:
            raise UnreadableInputError(f"文件行数过多（超过 {self.max_lines} 行），不像是一份年度报告", path=self.path)
        self.lines.append(RawLine(cells))

    # -- blocks ----------------------------------------------------------------------------
    def blocks(self, container: etree._Element) -> None:
        """Body-level content: paragraphs and tables, through content controls and the like."""
        for child in container:
            tag = child.tag
            if tag == P:
                self.paragraph(child)
            elif tag == TBL:
                self.table(child)
            elif tag in _BLOCK_WRAPPERS:
                self.blocks(child)
            elif tag == ALT:
                chosen = _choose(child)
                if chosen is not None:
                    self.blocks(chosen)
            elif tag == ALT_CHUNK:
                self.alt_chunk(child)

    def alt_chunk(self, el: etree._Element) -> None:
        """An embedded document: its lines where the chunk stands."""
        doc = self.parts.chunk(el.get(R_ID)) if self.parts is not None else None
        if doc is not None:
            self.embed(doc)

    def picture(self, picture: etree._Element) -> None:
        """A picture that may be a table (`w:drawing` or VML `v:imagedata`), read by OCR (--ocr):
        its lines where it is read (after its paragraph, or its table)."""
        if self.parts is None:
            return
        if picture.tag == DRAWING:
            blip = picture.find(".//" + A_BLIP)
            if blip is None:
                return
            rid = blip.get(R_EMBED)
        else:
            rid = picture.get(R_ID) or picture.get(O_RELID)
        doc = self.parts.picture(rid)
        if doc is not None:
            self.embed(doc)

    def embed(self, doc: RawDocument) -> None:
        """The lines of an embedded document (a chunk, or a picture read by OCR) where it stands:
        one body block per line, its tables numbered on from this body's."""
        self.pictures += doc.pictures
        lines = list(self.embedded.lines(doc, itertools.count(self.block + 1), self.tables))
        for line in lines:
            self.block += 1
            self.emit(line.cells)
        self.tables = max(self.tables, tables_in(lines))

    def paragraph(self, p: etree._Element) -> None:
        out: list[str] = []
        boxes: list[etree._Element] = []
        self.inline(p, out, boxes)
        parts = [s.strip() for s in normalize_text("".join(out)).split("\n")]
        if len(parts) > 1:
            parts = [s for s in parts if s] or [""]
        for text in parts:
            self.block += 1
            self.emit((RawCell(text, Provenance(self.path, line=self.block, reader="docx")),))
        for box in boxes:
            if box.tag in PICTURES:
                self.picture(box)
            else:
                self.blocks(box)

    def inline(self, el: Iterable[etree._Element], out: list[str], boxes: list[etree._Element]) -> None:
        """Collect the text inside a paragraph; "\\n" marks a line break, text boxes go to `boxes`."""
        for child in el:
            tag = child.tag
            if tag == R:  # the common case inline: properties first, then text
                for part in child:
                    ptag = part.tag
                    if ptag == T:
                        if part.text and not (self.fields and any(self.fields)):
                            out.append(part.text)
                    elif ptag == RPR:
                        if _vanish(part):
                            break
                    else:
                        self.inline((part,), out, boxes)
            elif tag == T:
                if child.text and not (self.fields and any(self.fields)):
                    out.append(child.text)
            elif tag in _SKIP:
                if tag in (DEL, MOVE_FROM):
                    self.deletions += 1
            elif tag in (TAB, PTAB):
                out.append("\t")
            elif tag in (BR, CR):
                out.append("\n")
            elif tag == FLD_CHAR:
                kind = child.get(FLD_CHAR_TYPE)
                if kind == "begin":
                    self.fields.append(True)
                elif kind == "separate" and self.fields:
                    self.fields[-1] = False
                elif kind == "end" and self.fields:
                    self.fields.pop()
            elif tag == SYM:
                out.append(_symbol(child))
            elif tag == NO_BREAK_HYPHEN:
                out.append("-")
            elif tag == SOFT_HYPHEN:
                continue
            elif tag == TXBX:
                self.text_boxes += 1
                boxes.append(child)
            elif tag == ALT:
                self.alternate(child, out, boxes)
            elif tag in (FOOTNOTE_REF, ENDNOTE_REF):
                self.footnotes += 1
            elif tag == P:  # a paragraph nested in inline content (malformed, but Word opens it)
                self.inline(child, out, boxes)
                out.append("\n")
            else:  # w:ins, w:hyperlink, w:smartTag, w:sdt, w:fldSimple, w:drawing, w:pict, shapes…
                if tag in (INS, MOVE_TO):
                    self.insertions += 1
                elif self.ocr and (
                    (tag == DRAWING and _may_be_table(child)) or (tag == V_IMAGEDATA and _vml_may_be_table(child))
                ):
                    boxes.append(child)  # (read after the paragraph, as text boxes are)
                self.inline(child, out, boxes)

    def alternate(self, alt: etree._Element, out: list[str], boxes: list[etree._Element]) -> None:
        """`mc:AlternateContent`: the first Choice, or the Fallback when the Choice holds no text."""
        choices = [c for c in alt if c.tag == CHOICE]
        fallback = next((c for c in alt if c.tag == FALLBACK), None)
        if choices:
            mine: list[str] = []
            my_boxes: list[etree._Element] = []
            boxes_before = self.text_boxes
            self.inline(choices[0], mine, my_boxes)
            if "".join(mine).strip() or any(b.tag in PICTURES or _has_text(b) for b in my_boxes) or fallback is None:
                out += mine
                boxes += my_boxes
                return
            self.text_boxes = boxes_before
        if fallback is not None:
            self.inline(fallback, out, boxes)

    # -- tables ----------------------------------------------------------------------------
    def table(self, tbl: etree._Element) -> None:
        index = self.tables
        self.tables += 1
        rows = list(_children(tbl, TR))
        grid = tbl.find(TBL_GRID)
        width = len(grid.findall(GRID_COL)) if grid is not None else 0
        layouts = [_row_layout(tr) for tr in rows]
        width = min(MAX_COLUMNS, max([width, *(sum(s for _, s, _ in lay) for lay in layouts)]))
        current().add_cells(len(layouts) * max(width, 1))
        if width <= 1 or tbl.find(".//" + TBL) is not None:  # a frame: one column, or tables inside
            self.layout_tables += 1
            for lay in layouts:
                for tc, _, _ in lay:
                    if tc is not None:
                        self.blocks(tc)
            return
        for r, lay in enumerate(layouts):
            self.block += 1
            cells: list[RawCell] = []
            for tc, span, continued in lay:
                text = "" if tc is None or continued else self.cell_text(tc)
                for k in range(span):
                    if len(cells) >= width:
                        break
                    source = Provenance(self.path, line=self.block, cell=len(cells), reader="docx", table=index, row=r)
                    cells.append(RawCell(text if k == 0 else "", source))
            while len(cells) < width:
                source = Provenance(self.path, line=self.block, cell=len(cells), reader="docx", table=index, row=r)
                cells.append(RawCell("", source))
            self.emit(tuple(cells))
        # Pictures in its cells (a screenshot of a table put in a frame's cell): after the table.
        pictures, self.cell_pictures = self.cell_pictures, []
        for picture in pictures:
            self.picture(picture)

    def cell_text(self, tc: etree._Element) -> str:
        pieces: list[str] = []
        self.cell_pieces(tc, pieces)
        return join_lines(pieces)

    def cell_pieces(self, container: etree._Element, pieces: list[str]) -> None:
        for child in container:
            tag = child.tag
            if tag == P:
                out: list[str] = []
                boxes: list[etree._Element] = []
                self.inline(child, out, boxes)
                pieces += normalize_text("".join(out)).split("\n")
                for box in boxes:
                    if box.tag in PICTURES:
                        self.cell_pictures.append(box)
                    else:
                        self.cell_pieces(box, pieces)
            elif tag in _BLOCK_WRAPPERS:
                self.cell_pieces(child, pieces)
            elif tag == ALT:
                chosen = _choose(child)
                if chosen is not None:
                    self.cell_pieces(chosen, pieces)


def count_pictures(body: etree._Element) -> int:
    """Pictures in the body that may hold a table: DrawingML pictures (`a:blip` in a
    `wp:inline`/`wp:anchor`, size from `wp:extent`) and VML images (`v:imagedata`, size from the
    shape's style) that are not the fallback of a DrawingML one."""
    count = sum(map(_may_be_table, body.iter(DRAWING)))
    for image in body.iter(V_IMAGEDATA):
        if next(image.iterancestors(FALLBACK), None) is None:
            count += _vml_may_be_table(image)
    return count


def _vml_may_be_table(image: etree._Element) -> bool:
    """A VML picture (`v:imagedata`) whose shape's size (its style) may hold a table."""
    shape = image.getparent()
    style = style_declarations(shape.get("style") if shape is not None else None)
    return may_hold_table(length_cm(style.get("width")), length_cm(style.get("height")))


def _may_be_table(drawing: etree._Element) -> bool:
    """A DrawingML picture (`w:drawing` holding an `a:blip`) whose size (`wp:extent`) may hold a table."""
    extent = drawing.find(".//" + WP_EXTENT)
    if extent is None or drawing.find(".//" + A_BLIP) is None:
        return False
    return may_hold_table(*(_int_attr(extent, name) / EMU_PER_CM for name in ("cx", "cy")))


def _int_attr(el: etree._Element, name: str) -> int:
    try:
        return int(el.get(name, "0"))
    except ValueError:
        return 0


def join_lines(pieces: list[str]) -> str:
    """The lines of one table cell as one text: no space, except between two Latin letters/digits."""
    out = ""
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if out and _latin(out[-1]) and _latin(piece[0]):
            out += " "
        out += piece
    return out


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _vanish(rpr: etree._Element) -> bool:
    """Run properties that hide the run (`w:vanish`, not switched off)."""
    return any(prop.tag == VANISH and prop.get(VAL, "true") not in ("0", "false", "off") for prop in rpr)


def _symbol(sym: etree._Element) -> str:
    try:
        code = int(sym.get(CHAR, ""), 16)
    except ValueError:
        return ""
    font = (sym.get(FONT) or "").lower()
    low = code - 0xF000 if code >= 0xF000 else code
    for family in ("symbol", "wingdings"):
        if family in font and (family, low) in _SYMBOLS:
            return _SYMBOLS[(family, low)]
    if 0xF000 <= code <= 0xF0FF:
        return ""  # a decoration glyph of a symbol font we cannot map
    return chr(code) if 0 < code < 0x110000 else ""


def _has_text(el: etree._Element) -> bool:
    return any((t.text or "").strip() for t in el.iter(T))


def _choose(alt: etree._Element) -> etree._Element | None:
    """Block-level `mc:AlternateContent`: the first Choice with text, else the Fallback."""
    choice = next((c for c in alt if c.tag == CHOICE), None)
    fallback = next((c for c in alt if c.tag == FALLBACK), None)
    if choice is not None and (fallback is None or _has_text(choice)):
        return choice
    return fallback


def _children(el: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with `tag`, looking through content controls and custom XML wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in (SDT, SDT_CONTENT, CUSTOM_XML):
            yield from _children(child, tag)


def _int_val(el: etree._Element, default: int) -> int:
    try:
        return max(0, min(MAX_COLUMNS, int(el.get(VAL, str(default)))))
    except ValueError:
        return default


def _row_layout(tr: etree._Element) -> list[tuple[etree._Element | None, int, bool]]:
    """(cell or None for grid positions before/after, span, continuation of a merge) per grid slot run."""
    before = after = 0
    out: list[tuple[etree._Element | None, int, bool]] = []
    tcs: list[etree._Element] = []
    for child in tr:  # direct iteration: lxml's find() costs more than the whole walk
        tag = child.tag
        if tag == TC:
            tcs.append(child)
        elif tag == TR_PR:
            for prop in child:
                if prop.tag == GRID_BEFORE:
                    before = _int_val(prop, 0)
                elif prop.tag == GRID_AFTER:
                    after = _int_val(prop, 0)
        elif tag in (SDT, SDT_CONTENT, CUSTOM_XML):
            tcs += _children(child, TC)
    if before:
        out.append((None, before, False))
    for tc in tcs:
        span, continued = 1, False
        if len(tc) and tc[0].tag == TC_PR:
            for prop in tc[0]:
                tag = prop.tag
                if tag == GRID_SPAN:
                    span = max(1, _int_val(prop, 1))
                elif tag in (V_MERGE, H_MERGE):
                    continued = continued or prop.get(VAL, "continue") != "restart"
        out.append((tc, span, continued))
    if after:
        out.append((None, after, False))
    return out
