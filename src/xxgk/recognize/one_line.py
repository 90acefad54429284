"""A whole page's text on one line, as a crawler stores `element.textContent`: cut into lines.

Such a file has no line breaks: the headings, the prose and the tables' cells run together
(`…申请数量350010844二、上年结转…`, `行政规范性文件582147`). The recogniser reads lines, so a line
that holds a report's tables is cut here into the lines it would have had:

- the section headings (一、总体情况 … 六、其他需要报告的事项, as the format definitions print them
  and with their keywords), each a line, the prose between them a line;
- between the heading of the first table's section and the one after the last table's, every
  label of the formats' tables (captions, headers, columns, row groups, rows, with their variants:
  `xxgk.recognize.anchors`), each a line;
- the numbers between two labels, a line each: cut at spaces (a space is a cell boundary), before a
  sign (本年增/减 “-15”), and after a leading zero (a number other than 0 never starts with 0:
  `000023` is 0, 0, 0, 0, 23).

A row whose numbers ran together comes out with fewer numbers than cells, which the recogniser
reports (R001); `xxgk.recognize.joint_splits` then splits the digit runs by the identities, all
rows at once (one reading: R006; several that agree on some cells: those read, R021; none agreed:
R007, missing; none at all: the R001 stays, missing). Identical cells never collapse in such text,
so no short row is read as collapsed lines; a blank cell vanishes from it, which is tried too.

Nothing here knows a label: they all come from the format definitions (`xxgk.format`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from xxgk.format import label_key
from xxgk.format.spec import KNOWN_FORMATS, load_format
from xxgk.readers.base import RawCell, RawDocument, RawLine
from xxgk.recognize.anchors import AnchorKind, anchor_index
from xxgk.recognize.metadata import TITLE_WORDS

__all__ = ["unfold"]

MIN_LINE_CHARS = 200  # a shorter line is a table row or a paragraph, never a whole report
# Distinct table labels in one line (of the plain CJK ones, at least MIN_LABEL_CHARS long) that
# make it a whole report's tables: a paragraph names a few (行政许可、行政处罚), a table line
# read as cells never reaches here (a line of one cell only is looked at).
MIN_LABELS = 8
MIN_LABEL_CHARS = 4
MIN_ROWS = 5  # distinct row labels with a number right after them
MAX_HEADING_CHARS = 40  # as `xxgk.recognize.sections`
MAX_HEADING_TAIL = 10  # characters after a heading's keyword looked at for the heading's last word
MAX_TITLE_CHARS = 80  # the title printed before the text, cut off after its 年度报告 (TITLE_WORDS)
NOTE_ZH = "全文在一行内（网页正文的 textContent）：已按部分标题和表格标签切分，连写的数字按勾稽关系拆分"

_NUMERALS = "一二三四五六"
_HEADING_START = re.compile(f"[{_NUMERALS}][、,.]")
# A number as the cells of such text hold them, with the units a cell may print after it (as
# `xxgk.recognize.values`); its sign stays with it (本年增/减).
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:万元|元|件|个|条|项|次|人次|批)?")
_BETWEEN_NUMBERS = re.compile(r"\s*")
_ENUMERATION_MARKS = (".", "．", "、")
_PLAIN_CJK = re.compile(r"^[\u4e00-\u9fff]+$")


@dataclass(frozen=True)
class _Vocabulary:
    labels: re.Pattern[str]  # every table label key of every format, longest first
    rows_then_number: re.Pattern[str]  # a row label key and the first digit of its values
    numbered: tuple[str, ...]  # label keys that start like a heading (一、本年新收…, 三、本年度办理结果)
    plain: re.Pattern[str]  # the plain CJK labels, matched on the raw text (the cheap first test)
    sections: dict[str, tuple[tuple[str, ...], tuple[str, ...], bool]]  # numeral -> (headings, keywords, has table)
    heading_ends: tuple[str, ...]  # the last words of the official headings (情况, 事项)


@cache
def _vocabulary() -> _Vocabulary:
    keys: set[str] = set()
    rows: set[str] = set()
    sections: dict[str, tuple[set[str], set[str], bool]] = {}
    for format_id in KNOWN_FORMATS:
        exact = anchor_index(format_id).exact
        keys.update(k for k in exact if len(k) >= 2)
        rows.update(k for k, anchors in exact.items() if any(a.kind is AnchorKind.ROW for a in anchors))
        for s in load_format(format_id).sections:
            headings, keywords, table = sections.setdefault(s.number, (set(), set(), False))
            headings.add(_heading_key(label_key(s.heading)))
            keywords.update(label_key(k) for k in s.keywords)
            sections[s.number] = (headings, keywords, table or s.table is not None)
    ordered = sorted(keys, key=len, reverse=True)
    plain = [k for k in ordered if len(k) >= MIN_LABEL_CHARS and _PLAIN_CJK.match(k)]
    return _Vocabulary(
        re.compile("|".join(map(re.escape, ordered))),
        re.compile(f"({'|'.join(map(re.escape, sorted(rows, key=len, reverse=True)))})\\d"),
        tuple(k for k in ordered if _HEADING_START.match(k)),
        re.compile("|".join(map(re.escape, plain))),
        {n: (tuple(sorted(h, key=len, reverse=True)), tuple(sorted(k)), t) for n, (h, k, t) in sections.items()},
        tuple(sorted({h[-2:] for headings, _, _ in sections.values() for h in headings})),
    )


def _heading_key(key: str) -> str:
    return f"{key[0]}、{key[2:]}" if len(key) > 1 and key[1] in ",." else key


@lru_cache(maxsize=4096)
def _char_key(char: str) -> str:
    """What `char` becomes in a label key (`label_key`), alone: "" for a space or a quote. (A guard
    character keeps label_key from stripping a colon it would strip only at the end.)"""
    return label_key(char + "x")[:-1]


def _keyed(text: str) -> tuple[str, list[int]]:
    """The label key of `text` and, for each of its characters, the index in `text` it came from."""
    parts: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        key = _char_key(char)
        if key:
            parts.append(key)
            where.extend([i] * len(key))
    return "".join(parts), where


def is_one_line(text: str) -> bool:
    """Whether a line's text holds a report's tables run together: many table labels (MIN_LABELS),
    and rows whose numbers follow their labels (MIN_ROWS; a text that only names the labels, a
    catalogue of them, has none)."""
    if len(text) < MIN_LINE_CHARS:
        return False
    vocabulary = _vocabulary()
    if len(set(vocabulary.plain.findall(text))) < MIN_LABELS:
        return False
    key, _ = _keyed(text)
    return len(set(vocabulary.rows_then_number.findall(key))) >= MIN_ROWS


def unfold(doc: RawDocument) -> RawDocument | None:
    """`doc` with each line that holds a whole report on one line cut into lines (see the module
    docstring), or None when it has no such line."""
    if not any(len(line.cells) == 1 and is_one_line(text) for line, text in zip(doc.lines, doc.texts, strict=True)):
        return None
    lines: list[RawLine] = []
    aligned: list[int] = []
    for i, line in enumerate(doc.lines):
        if len(line.cells) != 1 or not is_one_line(line.cells[0].text):
            if i in doc.aligned:
                aligned.append(len(lines))
            lines.append(line)
            continue
        source = line.cells[0].source
        lines.extend(RawLine((RawCell(piece, source),)) for piece in cut(line.cells[0].text))
    return RawDocument(
        doc.path,
        lines,
        encoding=doc.encoding,
        reader=doc.reader,
        notes=[*doc.notes, NOTE_ZH],
        ocr=doc.ocr,
        textless_pages=doc.textless_pages,
        pictures=doc.pictures,
        read_with_ocr=doc.read_with_ocr,
        aligned=frozenset(aligned),
    )


def cut(text: str) -> list[str]:
    """The lines of a report printed on one line: headings, prose, labels and numbers (see the
    module docstring)."""
    vocabulary = _vocabulary()
    key, where = _keyed(text)
    headings = _headings(key, vocabulary)
    table_start = next((end for number, _, end in headings if vocabulary.sections[number][2]), 0)
    last_table = max((i for i, (n, _, _) in enumerate(headings) if vocabulary.sections[n][2]), default=-1)
    table_end = next((start for _, start, _ in headings[last_table + 1 :]), len(key)) if last_table >= 0 else len(key)
    spans: list[tuple[int, int]] = []  # (start, end) of headings and labels, in key positions
    position = 0
    for _, start, end in headings:
        spans += _labels(key, position, start, vocabulary, table_start, table_end)
        spans.append((start, end))
        position = end
    spans += _labels(key, position, len(key), vocabulary, table_start, table_end)
    pieces: list[str] = []
    done, done_key = 0, 0  # text consumed so far, in `text` and in `key`
    for start, end in spans:
        begin, stop = where[start], where[end - 1] + 1
        while stop < len(text) and not text[stop].isspace() and not _char_key(text[stop]):
            stop += 1  # a closing quote the key leaves out: 3.危及“三安全一稳定”
        _between(text[done:begin], pieces, in_table=table_start <= done_key and start <= table_end)
        pieces.append(text[begin:stop].strip())
        done, done_key = stop, end
    _between(text[done:], pieces, in_table=table_start <= done_key and len(key) <= table_end)
    return _title_first(pieces)


def _headings(key: str, vocabulary: _Vocabulary) -> list[tuple[str, int, int]]:
    """The section headings in `key`, in order of their numbers: (numeral, start, end).

    Of the places a heading could start, the longest run in increasing order is taken (the latest
    of equally long ones): a heading's words seen before the report (a site menu, a script's
    `var menu=["三、收到和处理政府信息公开申请情况",…]`, a table of contents) or in its prose
    (见四、…) do not hide the real headings after them."""
    best: dict[int, tuple[tuple[str, int, int], ...]] = {}  # rank -> longest run ending at that rank
    for m in _HEADING_START.finditer(key):
        start = m.start()
        number = key[start]
        if number not in vocabulary.sections:
            continue
        if any(key.startswith(label, start) for label in vocabulary.numbered):
            continue  # a table label that starts like a heading: 一、本年新收…, 三、本年度办理结果
        end = _heading_end(key, start, vocabulary.sections[number], vocabulary.heading_ends)
        if end is None:
            continue
        rank = _NUMERALS.index(number)
        before = max((best[r] for r in best if r < rank), key=len, default=())
        if len(before) + 1 >= len(best.get(rank, ())):
            best[rank] = (*before, (number, start, end))
    runs = sorted(best.values(), key=lambda run: (len(run), run[-1][1]))
    return list(runs[-1]) if runs else []


def _heading_end(
    key: str, start: int, section: tuple[tuple[str, ...], tuple[str, ...], bool], ends: tuple[str, ...]
) -> int | None:
    """Where the heading that starts at `start` ends, or None when no heading starts there: its
    official wording, or a keyword of its section before any digit (and the last word of an
    official heading, 情况 or 事项, when it follows closely)."""
    headings, keywords, _ = section
    shown = f"{key[start]}、{key[start + 2 : start + MAX_HEADING_CHARS]}"
    for heading in headings:
        if shown.startswith(heading):
            return start + len(heading)
    window = re.split(r"\d", shown, maxsplit=1)[0]
    found = [(window.find(k), k) for k in keywords if k in window]
    if not found:
        return None
    at, keyword = min(found)
    end = at + len(keyword)
    tail = window[end : end + MAX_HEADING_TAIL]
    for word in ends:
        if word in tail:
            end += tail.index(word) + len(word)
            break
    return start + end


def _labels(
    key: str, start: int, end: int, vocabulary: _Vocabulary, table_start: int, table_end: int
) -> list[tuple[int, int]]:
    """The table labels in key[start:end] that lie in the tables' part of the text."""
    lo, hi = max(start, table_start), min(end, table_end)
    if lo >= hi:
        return []
    return [(m.start(), m.end()) for m in vocabulary.labels.finditer(key, lo, hi)]


def _between(text: str, pieces: list[str], *, in_table: bool) -> None:
    """The text between two labels or headings: prose, or (in the tables) numbers and other text."""
    text = text.strip()
    if not text:
        return
    if not in_table:
        pieces.append(text)
        return
    position = 0
    for run in _number_runs(text):
        start, end = run
        before = text[position:start].strip()
        numbers = _numbers(text[start:end])
        rest_starts_numbered = end < len(text) and text[end:].lstrip().startswith(_ENUMERATION_MARKS)
        if rest_starts_numbered and numbers and numbers[-1].isdigit():
            # A row's number run into the values before it: 00000002 | .其他法律…  (a label the
            # formats do not print so, not cut above)
            last = numbers.pop()
            if len(last) > 1:
                numbers.append(last[:-1])
            end -= 1
        if before:
            pieces.append(before)
        pieces += numbers
        position = end
    rest = text[position:].strip()
    if rest:
        pieces.append(rest)


def _number_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of numbers (a space or nothing between them) in `text`."""
    runs: list[tuple[int, int]] = []
    for m in _NUMBER.finditer(text):
        if runs and _BETWEEN_NUMBERS.fullmatch(text, runs[-1][1], m.start()):
            runs[-1] = (runs[-1][0], m.end())
        else:
            runs.append((m.start(), m.end()))
    return runs


def _numbers(run: str) -> list[str]:
    """The cells of a run of numbers: cut at spaces, before a sign and after a leading zero."""
    out: list[str] = []
    for m in _NUMBER.finditer(run):
        number = m.group()
        while len(number) > 1 and number[0] == "0" and number[1].isdigit():
            out.append("0")
            number = number[1:]
        out.append(number)
    return out


def _title_first(pieces: list[str]) -> list[str]:
    """The title printed at the start of the text, a line of its own (…工作年度报告 根据《条例》…)."""
    if not pieces:
        return pieces
    first = pieces[0]
    found = [(at, word) for word in TITLE_WORDS if (at := first.find(word, 0, MAX_TITLE_CHARS)) >= 0]
    if not found:
        return pieces
    at, word = min(found)
    end = at + len(word)
    if end >= len(first):
        return pieces
    return [first[:end].strip(), first[end:].strip(), *pieces[1:]]
