"""Title, agency, year, printed date and statistics period of a report."""

from __future__ import annotations

import re
from datetime import date

from xxgk.format import label_key
from xxgk.readers.base import RawDocument
from xxgk.report import Metadata, Provenance

_YEAR = re.compile(r"((?:19|20)\d{2})年")
_DATE = re.compile(r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日")
_PERIOD = re.compile(
    r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日(?:起)?(?:至|到|-|~)(?:((?:19|20)\d{2})年)?(\d{1,2})月(\d{1,2})日"
)
_CRAWLER_TITLE = re.compile(r"^标题[:：]\s*(.+)$")
_AGENCY_END = re.compile(r"(人民政府|政府|办事处|局|委员会|委|办公室|办|厅|署|中心|院|所|镇|乡|街道|公司|管委会)$")
TITLE_WORDS = ("年度报告", "年报", "工作报告")
MAX_TITLE_LINES = 3
MAX_TITLE_CHARS = 60
MAX_SIGNATURE_CHARS = 40  # a signature line: an agency name (<= 30 characters) or a date


def _text(doc: RawDocument, i: int) -> str:
    return doc.texts[i]


def _date(m: re.Match[str]) -> date | None:
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def read_metadata(doc: RawDocument, first_heading: int | None) -> Metadata:
    meta = Metadata()
    _title(doc, meta, first_heading if first_heading is not None else min(len(doc.lines), 15))
    _signature(doc, meta)
    _period(doc, meta)
    if meta.year is None and meta.statistics_period:
        meta.year = meta.statistics_period[0].year
        meta.year_source = meta.period_source
    if meta.year is None:
        _year_from_text(doc, meta)
    return meta


def _title(doc: RawDocument, meta: Metadata, end: int) -> None:
    nonempty = [i for i in range(end) if _text(doc, i)]
    for i in nonempty:
        m = _CRAWLER_TITLE.match(_text(doc, i))
        if m:
            _set_title(meta, m.group(1).strip(), i, doc)
            return
    found: list[tuple[str, int]] = []  # (title, its first line), in document order
    for pos, i in enumerate(nonempty):
        text = _text(doc, i)
        key = label_key(text)
        if len(key) > MAX_TITLE_CHARS:
            continue
        parts = [text]
        if not any(w in key for w in TITLE_WORDS):
            # A title wrapped inside its title word ("…政府信息公开工作年" / "度报告", as a PDF or
            # a page printed to PDF wraps a long title in a large font): the two lines together.
            # Not when the next line holds a title word of its own: that line is the title (a site
            # menu's 工作动态 above "某局2023年…工作年度报告" is no part of it).
            after = _text(doc, nonempty[pos + 1]) if pos + 1 < len(nonempty) else ""
            after_key = label_key(after)
            if not after or len(key) + len(after_key) > MAX_TITLE_CHARS or not _title_word_across(key, after_key):
                continue
            parts.append(after)
        first = i
        # A title split over lines ("六安市金安区木厂镇2024年政府" / "信息公开工作年度报告", or the
        # agency alone above "2024 年政府信息公开工作年度报告"): prepend short lines above it
        # while no agency stands before the year.
        for j in reversed(nonempty[max(0, pos - MAX_TITLE_LINES + 1) : pos]):
            if _agency_from_title("".join(parts)):
                break
            prev = _text(doc, j)
            if len(label_key(prev)) > MAX_TITLE_CHARS // 2 or prev.endswith(("。", "；", ";")):
                break
            parts.insert(0, prev)
            first = j
        title = "".join(p.strip() for p in parts)
        if _YEAR.search(re.sub(r"\s+", "", title)):
            _set_title(meta, title, first, doc)
            return
        found.append((title, first))
    # No title with a year: the first one found (a site menu's 政府信息公开年报 is passed over
    # when the report's own title, with its year, follows).
    if found:
        _set_title(meta, *found[0], doc)


def _title_word_across(first: str, second: str) -> bool:
    """Whether a title word is cut between two lines' keys (it is in their join, in neither alone)."""
    joined = first + second
    return any(w in joined and w not in first and w not in second for w in TITLE_WORDS)


def _set_title(meta: Metadata, title: str, line: int, doc: RawDocument) -> None:
    title = re.sub(r"\s*(\d{4})\s*年\s*", r"\1年", title)
    title = re.sub(r"\s+", "", title) if re.search(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]", title) else title
    meta.title = title
    src = doc.lines[line].cells[0].source
    meta.title_source = src
    agency = _agency_from_title(title)
    if agency:
        meta.agency, meta.agency_source = agency, src
    m = _YEAR.search(label_key(title))
    if m:
        meta.year, meta.year_source = int(m.group(1)), src


def _agency_from_title(title: str) -> str | None:
    key = label_key(title)
    m = _YEAR.search(key)
    if not m:
        return None
    agency = key[: m.start()].strip()
    # "三明市2021年政府信息公开工作年度报告" names the region; keep what is printed.
    return agency or None


def _signature(doc: RawDocument, meta: Metadata) -> None:
    """Agency and date printed at the end: "盖州市二台乡人民政府" / "2025年1月9日"."""
    tail: list[int] = []
    for i in range(len(doc.lines) - 1, -1, -1):
        if len(tail) == 6:
            break
        if _text(doc, i):
            tail.insert(0, i)
    for i in reversed(tail):
        text = _text(doc, i)
        if len(text) > MAX_SIGNATURE_CHARS and len("".join(text.split())) > MAX_SIGNATURE_CHARS:
            continue  # a closing paragraph, not a date or an agency name (and label_key of prose is slow)
        key = label_key(text)
        m = _DATE.fullmatch(key) or _DATE.fullmatch(key.strip("()（）"))
        if m and meta.date is None and _goes_on(doc, tail, i):
            continue  # a sentence's end wrapped onto its own line ("…时限为2024年1月1日起至" | "2024年12月31日")
        if m and meta.date is None:
            meta.date, meta.date_source = _date(m), doc.lines[i].cells[0].source
            continue
        if meta.date is not None and len(key) <= 30 and _AGENCY_END.search(key):
            if meta.agency is None:
                meta.agency, meta.agency_source = key, doc.lines[i].cells[0].source
            break


# A line ending so goes on in the next one: a date after it ends its sentence, it is no signature.
_GOES_ON = ("至", "到", "起", "—", "-", "～", "~", "，", ",", "、", "为", "于", "自", "从")


def _goes_on(doc: RawDocument, tail: list[int], i: int) -> bool:
    """Whether the nonempty line before line `i` (of the document's last lines `tail`) runs on into it."""
    k = tail.index(i)
    return k > 0 and _text(doc, tail[k - 1]).rstrip().endswith(_GOES_ON)


def _period(doc: RawDocument, meta: Metadata) -> None:
    texts = doc.texts
    for n, (line, text) in enumerate(zip(doc.lines, texts, strict=True)):
        if "月" not in text:
            continue
        key = label_key(text)
        m = _PERIOD.search(key)
        if m is None and n + 1 < len(texts) and len(texts[n + 1]) <= MAX_TITLE_CHARS:
            # A sentence wrapped over printed lines (a PDF): "…自2024年1月1日起至" | "2024年12月31日止".
            m = _PERIOD.search(label_key(text + texts[n + 1]))
        if m:
            try:
                start = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                end = date(int(m.group(4) or m.group(1)), int(m.group(5)), int(m.group(6)))
            except ValueError:
                continue
            meta.statistics_period = (start, end)
            meta.period_source = line.cells[0].source
            return


def _year_from_text(doc: RawDocument, meta: Metadata) -> None:
    """Last resort: the first "YYYY年" of the body (004 has no title)."""
    for line in doc.lines:
        for c in line.cells:
            m = _YEAR.search(label_key(c.text))
            if m:
                meta.year, meta.year_source = int(m.group(1)), Provenance(c.source.file, c.source.line)
                return
