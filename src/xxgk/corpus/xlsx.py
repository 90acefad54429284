"""Large tables as an Excel workbook (XLSX), each sheet's XML written straight into the file.

openpyxl spends some 20 µs on every cell (a cell object, its type checks, an lxml element), and the export
of 10,000 reports is 3 million cells: here a row is one string. Numbers are written as numbers; text as an
inline string, a cell whose type is text, so that nothing a report or a user wrote is ever run as a
formula, whatever it starts with (= + - @); an empty value leaves the cell out (missing is not zero).
Every sheet has its header row frozen and a filter over its columns. Characters XML cannot hold (control
characters other than tab and line breaks) are left out of the text.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def column_letter(n: int) -> str:
    """The letters of the 1-based column `n` (1 → A, 27 → AA)."""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def text_cell(ref: str, value: str) -> str:
    text = escape(_ILLEGAL.sub("", value))
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def cell(ref: str, value: Any) -> str:
    """The XML of one cell ("" for an empty value)."""
    if value is None:
        return ""
    if value is True or value is False:
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if type(value) is int:
        return f'<c r="{ref}"><v>{value}</v></c>'
    if type(value) is float and math.isfinite(value):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, Decimal) and value.is_finite():
        return cell(ref, int(value) if value == value.to_integral_value() else float(value))
    return text_cell(ref, str(value))


def _sheet(out: Any, header: list[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write one worksheet's XML to the binary file `out`; returns the number of rows written."""
    width = max(1, len(header))
    letters = [column_letter(n) for n in range(1, width + 1)]
    out.write(
        f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/><sheetData>'.encode()
    )
    number = 0
    for number, row in enumerate(_chain(header, rows), 1):
        cells = "".join([cell(f"{letters[i]}{number}", v) for i, v in enumerate(row)])
        out.write(f'<row r="{number}">{cells}</row>'.encode())
    out.write(b"</sheetData>")
    if number > 1:
        out.write(f'<autoFilter ref="A1:{letters[-1]}{number}"/>'.encode())
    out.write(b"</worksheet>")
    return number


def _chain(header: list[str], rows: Iterable[Sequence[Any]]) -> Iterable[Sequence[Any]]:
    yield header
    yield from rows


def write_workbook(path: Path, sheets: Sequence[tuple[str, list[str], Iterable[Sequence[Any]]]]) -> None:
    """The workbook of these (title, header, rows) sheets, written to `path` (replaced whole: a failure
    midway leaves no half-written file)."""
    counts = []
    partial = path.with_name(path.name + f".{os.getpid()}.part")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as package:
            for n, (_, header, rows) in enumerate(sheets, 1):
                # (through a temporary file: the zip entry's size is then known, no ZIP64 needed for it)
                with tempfile.TemporaryFile() as xml:
                    count = _sheet(xml, header, rows)
                    xml.seek(0)
                    with package.open(f"xl/worksheets/sheet{n}.xml", "w") as entry:
                        while block := xml.read(1 << 20):
                            entry.write(block)
                counts.append(count)
            _package_parts(package, sheets, counts)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _package_parts(package: zipfile.ZipFile, sheets: Sequence[tuple[str, list[str], Any]], counts: list[int]) -> None:
    n = len(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n + 1)
    )
    package.writestr(
        "[Content_Types].xml",
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>",
    )
    package.writestr(
        "_rels/.rels",
        f'{_XML}<Relationships xmlns="{_PACKAGE_REL}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    )
    names = "".join(
        f'<sheet name={quoteattr(title[:31])} sheetId="{i}" r:id="rId{i}"/>'
        for i, (title, _, _) in enumerate(sheets, 1)
    )
    # (the hidden name Excel itself keeps for each sheet's filter range)
    defined = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(_quoted(title[:31]))}!$A$1:${column_letter(max(1, len(header)))}${count}</definedName>"
        for i, ((title, header, _), count) in enumerate(zip(sheets, counts, strict=True))
        if count > 1
    )
    package.writestr(
        "xl/workbook.xml",
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{names}</sheets>'
        + (f"<definedNames>{defined}</definedNames>" if defined else "")
        + "</workbook>",
    )
    relations = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1)
    )
    package.writestr(
        "xl/_rels/workbook.xml.rels",
        f'{_XML}<Relationships xmlns="{_PACKAGE_REL}">{relations}'
        f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>',
    )
    package.writestr("xl/styles.xml", _STYLES)


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"
