"""Results written as each file's outcome arrives, so the parent holds none of them to the end.

The JSON array is written piece by piece with plain `json` in exactly the layout of
`json.dumps(records, ensure_ascii=False, indent=2)`: a reader of the whole output cannot tell it
from one dump, and it is valid JSON as soon as `close()` has run (also after Ctrl-C).
"""

from __future__ import annotations

import json
from typing import IO, Any

from xxgk.spreadsheet import csv_text, xlsx_text

INDENT = "  "


def dumps(obj: Any) -> str:
    """One JSON document, indented, in zh-CN characters (not \\u escapes)."""
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)


class JsonArray:
    """`[`, the records one by one, `]`: the bytes of one `dumps(list_of_records)` and a newline."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._count = 0

    def write(self, record: dict[str, object]) -> None:
        # (an item of an indented list is its own dump indented one level: no line of a JSON dump
        # holds a raw newline inside a string, so the lines can be indented as they are)
        item = "\n".join(INDENT + line for line in dumps(record).split("\n"))
        self._stream.write(("[\n" if self._count == 0 else ",\n") + item)
        self._stream.flush()
        self._count += 1

    def close(self) -> None:
        self._stream.write("\n]\n" if self._count else "[]\n")
        self._stream.flush()


class JsonLines:
    """One compact JSON object per line (JSON Lines), flushed as each file is done."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, record: dict[str, object]) -> None:
        self._stream.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        self._stream.flush()

    def close(self) -> None:
        self._stream.flush()


class CsvRows:
    """One row per finding (and one per file not read), a header first. A text cell that a
    spreadsheet would take for a formula (`= + - @`, tab, CR at its start) is written with a
    leading apostrophe, so it is shown as the text it is."""

    def __init__(self, stream: IO[str], header: tuple[str, ...]) -> None:
        import csv

        self._stream = stream
        self._writer = csv.writer(stream)
        self._writer.writerow(header)

    def write_rows(self, rows: list[tuple[object, ...]]) -> None:
        self._writer.writerows([tuple(_csv_cell(v) for v in row) for row in rows])
        self._stream.flush()

    def close(self) -> None:
        self._stream.flush()


def _csv_cell(value: object) -> object:
    return "" if value is None else csv_text(value)


class XlsxRows:
    """The rows of CsvRows in one worksheet, streamed (openpyxl's write-only mode); every text cell
    is of string type, so that `=…` is never a formula."""

    def __init__(self, path: str, header: tuple[str, ...]) -> None:
        from openpyxl import Workbook

        self._path = path
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet("核查结果")
        self._sheet.append(list(header))

    def write_rows(self, rows: list[tuple[object, ...]]) -> None:
        for row in rows:
            self._sheet.append([self._cell(v) for v in row])

    def _cell(self, value: object) -> object:
        return xlsx_text(self._sheet, value) if isinstance(value, str) else value

    def close(self) -> None:
        self._book.save(self._path)
