"""The cell values of one worksheet, fast: what openpyxl's read-only `iter_rows(values_only=True)` gives, for
the import of a large 台账.

openpyxl parses every cell into a dict (and every inline string into a rich-text object), and in read-only
mode first reads the whole sheet once more when the file gives no dimensions (files written by openpyxl's
write-only mode, such as `xxgk ledger export`, do not): about 0.3 ms a row. Here openpyxl still reads the
workbook's parts (shared strings, styles: which number formats are dates, the 1900/1904 epoch, the sheets),
while the rows are parsed with lxml, cell values converted as openpyxl's `WorkSheetParser.parse_cell` does
with `data_only=True` (cached formula results, never formulas). Anything this reader does not expect raises
`UnreadSheet`, and the caller reads the file with openpyxl instead, which also words the errors.

Rows are given by position (a missing row is an empty tuple, so row numbers in messages stay right); a row
holds the cells up to its last one, missing cells None.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ROW, CELL, VALUE, INLINE, TEXT, RUN = (f"{NS}{t}" for t in ("row", "c", "v", "is", "t", "r"))


class UnreadSheet(Exception):
    """The fast reader does not handle this file; read it with openpyxl."""


_COLUMNS: dict[str, int] = {}


def _column(ref: str) -> int:
    """1-based column of a cell reference such as "AB12"."""
    letters = ref.rstrip("0123456789")
    n = _COLUMNS.get(letters)
    if n is None:
        n = 0
        for ch in letters:
            if not "A" <= ch <= "Z":
                raise UnreadSheet(ref)
            n = n * 26 + ord(ch) - 64
        if n == 0 or len(letters) > 3:
            raise UnreadSheet(ref)
        _COLUMNS[letters] = n
    return n


def _number(text: str) -> int | float:
    # openpyxl's _cast_number
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _inline(cell: Any) -> str | None:
    """Text.from_tree(<is>).content: the plain text, then the text of each rich-text run."""
    node = cell.find(INLINE)
    if node is None:
        return None
    if len(node) == 1 and node[0].tag == TEXT:  # the usual case: plain text
        return node[0].text or ""
    parts = [t.text for t in node.iterchildren(TEXT) if t.text is not None]
    parts += [t.text for r in node.iterchildren(RUN) for t in r.iterchildren(TEXT) if t.text is not None]
    return "".join(parts)


def sheet_rows(path: str | Path, prefer: str) -> tuple[str, list[tuple[Any, ...]]]:
    """(title, rows) of the sheet named `prefer`, else of the first worksheet. Raises UnreadSheet."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.utils.datetime import from_excel, from_ISO8601

    try:
        reader = ExcelReader(str(path), read_only=True, data_only=True, keep_links=False)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        sheets = [
            (sheet.name, rel.target)
            for sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in str(rel.Type)
        ]
    except Exception as e:
        raise UnreadSheet(str(e)) from e
    if not sheets:
        raise UnreadSheet("no worksheet")
    title, target = next(((n, t) for n, t in sheets if n == prefer), sheets[0])
    strings = reader.shared_strings
    wb = reader.wb
    dates, durations, epoch = set(wb._date_formats), set(wb._timedelta_formats), wb.epoch
    rows: list[tuple[Any, ...]] = []
    try:
        with reader.archive.open(target) as source:
            context = etree.iterparse(
                source, events=("end",), tag=ROW, resolve_entities=False, no_network=True, load_dtd=False
            )
            for _, row in context:
                r = row.get("r")
                index = int(r) if r is not None else len(rows) + 1
                if index <= len(rows):
                    raise UnreadSheet(f"row {index} out of order")
                while len(rows) < index - 1:
                    rows.append(())
                values: list[Any] = []
                for cell in row.iterchildren(CELL):
                    ref = cell.get("r")
                    column = _column(ref) if ref is not None else len(values) + 1
                    if column <= len(values):
                        raise UnreadSheet(f"cell {ref} out of order")
                    values.extend([None] * (column - 1 - len(values)))
                    kind = cell.get("t", "n")
                    if kind == "inlineStr":
                        values.append(_inline(cell))
                        continue
                    text = cell.findtext(VALUE) or None
                    if text is None:
                        values.append(None)
                    elif kind == "n":
                        number = _number(text)
                        style = int(cell.get("s") or 0)
                        if style in dates:
                            try:
                                values.append(from_excel(number, epoch, timedelta=style in durations))
                            except (OverflowError, ValueError):
                                values.append("#VALUE!")
                        else:
                            values.append(number)
                    elif kind == "s":
                        values.append(strings[int(text)])
                    elif kind == "b":
                        values.append(bool(int(text)))
                    elif kind == "d":
                        values.append(from_ISO8601(text))
                    else:  # "str" (a formula's text result), "e" (an error such as #N/A)
                        values.append(text)
                rows.append(tuple(values))
                row.clear()
                while row.getprevious() is not None:
                    del row.getparent()[0]
    except UnreadSheet:
        raise
    except Exception as e:  # damaged XML, a bad number…: openpyxl reads it again and says what is wrong
        raise UnreadSheet(str(e)) from e
    finally:
        reader.archive.close()
    return title, rows
