"""Plain-text reports: prose lines, TAB-separated table rows, `cell |` rows, one cell per line."""

from __future__ import annotations

import re

from xxgk.errors import UnreadableInputError
from xxgk.format.normalize import normalize_text
from xxgk.readers.base import RawCell, RawDocument, RawLine
from xxgk.readers.decode import decode_bytes
from xxgk.report import Provenance
from xxgk.settings import ReadSettings

# Artefacts of DOCX-to-text converters, e.g. "[bookmark: _GoBack]".
_ARTEFACTS = re.compile(r"\[bookmark:[^\]]*\]")
# A page number printed with dashes on both sides (“— 4 —”), which pdftotext's flow order of a
# Word/LibreOffice PDF can put inside a table's text. A bare number line is never one: in a
# one-value-per-line table it is a value.
_PAGE_NUMBER = re.compile(r"^\s*[-—–－]\s*(\d{1,4})\s*[-—–－]\s*$")


def split_cells(line: str) -> list[str]:
    """Split a line into cells: on TABs, or on `|` when the line is a `cell |` table row."""
    if "\t" in line:
        return line.split("\t")
    stripped = line.rstrip()
    if stripped.endswith("|"):
        return stripped[:-1].split("|")
    return [line]  # the line itself (callers test identity to tell prose from a one-cell row)


def check_line_count(count: int, settings: ReadSettings, path: str) -> None:
    if count > settings.max_lines:
        raise UnreadableInputError(
            f"文件行数过多（{count} 行，上限 {settings.max_lines} 行），不像是一份年度报告", path=path
        )


class TxtReader:
    name = "txt"
    suffixes = (".txt", ".text", "")

    def sniff(self, head: bytes, suffix: str) -> bool:
        return True  # the fallback reader: anything that decodes as text

    def read(self, path: str, data: bytes, settings: ReadSettings) -> RawDocument:
        text, encoding = decode_bytes(data, path)
        raw_lines = text.splitlines()
        check_line_count(len(raw_lines), settings, path)
        notes = []
        lines: list[RawLine] = []
        texts: list[str] = []  # each line's text, which the recogniser asks for (RawDocument.texts)
        # Table rows are mostly empty cells (merged or blank): they share one cell object, as
        # RawCell allows (an empty cell matters only by its position).
        empty = RawCell("", Provenance(path))
        # A one-cell row left blank ("|", or " |"): a blank cell at position 0, which the
        # recogniser tells from a blank line (a blank cell among a row's values a line each means
        # the row is short by a blank, not by identical cells run together).
        blank = RawCell("", Provenance(path, cell=0, reader=self.name))
        # RawCell(text, Provenance(path, number, i)) and RawLine(cells) without their Python-level
        # __new__ frames, Provenance's fields written out: this loop runs for every line and cell
        # of every report (tests/test_model.py checks the result equals the constructors', and
        # tests/test_provenance_fields.py pins Provenance's field order).
        new = tuple.__new__
        add_line, add_text = lines.append, texts.append
        bookmarks = "[bookmark" in text  # one search of the text, not one per line
        aligned: list[int] = []  # lines with runs of spaces inside (RawDocument.aligned)
        page_numbers: list[str] = []
        dashes = "—" in text or "-" in text or "–" in text or "－" in text
        for number, raw in enumerate(raw_lines, start=1):
            if dashes and (page := _PAGE_NUMBER.match(raw)) is not None:
                page_numbers.append(page.group(1))
                raw = ""  # the line stays (line numbers keep pointing at the file), empty
            if bookmarks and "[bookmark" in raw:
                raw = _ARTEFACTS.sub("", raw)
                notes.append(f"第{number}行：删除了转换残留的书签标记")
            parts = split_cells(raw)
            if parts[0] is raw:  # prose or a one-cell line: no cell index
                line_text = normalize_text(raw).strip()
                if "  " in raw and "  " in raw.strip():
                    aligned.append(number - 1)
                source = new(Provenance, (path, number, None, None, "txt", None, None, None, None))
                add_line(new(RawLine, ((new(RawCell, (line_text, source)),),)))
                add_text(line_text)
                continue
            if len(parts) == 1:  # a one-cell table row, "0 |": the loop below without the loop
                cell_text = normalize_text(parts[0]).strip()
                source = new(Provenance, (path, number, 0, None, "txt", None, None, None, None))
                add_line(new(RawLine, ((new(RawCell, (cell_text, source)) if cell_text else blank,),)))
                add_text(cell_text)
                continue
            # A plain loop, not comprehensions: most table lines hold one or two cells, where a
            # comprehension's own frame costs more than the work.
            cells = []
            kept = []
            for i, c in enumerate(parts):
                if c and (cell_text := normalize_text(c).strip()):
                    source = new(Provenance, (path, number, i, None, "txt", None, None, None, None))
                    cells.append(new(RawCell, (cell_text, source)))
                    kept.append(cell_text)
                else:
                    cells.append(empty)
            add_line(new(RawLine, (tuple(cells),)))
            add_text("".join(kept))  # (join returns a lone string itself)
        if page_numbers:
            shown = "、".join(page_numbers[:10]) + ("等" if len(page_numbers) > 10 else "")
            notes.append(f"删除了 {len(page_numbers)} 行页码（{shown}）")
        doc = RawDocument(path, lines, encoding=encoding, reader=self.name, notes=notes, aligned=frozenset(aligned))
        doc.texts = texts  # known already: saves the recogniser a pass over the lines
        return doc
