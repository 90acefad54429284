"""Label anchors: every label of the format, indexed by matching key, built from the spec.

An anchor tells the recogniser what a cell *is* (a block caption, a header, a row label, a row
group) so values can be assigned by label, never by position alone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, cached_property

from xxgk.format import FormatSpec, label_key, load_format
from xxgk.format.spec import Label, PhysicalRow
from xxgk.recognize.similarity import close_enough


class AnchorKind(StrEnum):
    CAPTION = "caption"  # 表二 block caption 第二十条第（x）项
    HEADER = "header"  # a header cell (信息内容, 申请人情况, 行政复议, …)
    COLUMN = "column"  # a leaf column label (自然人 … 总计; 结果维持 … 总计)
    ROW = "row"  # a data row label
    GROUP = "group"  # a row-spanning group label (三、本年度办理结果, （三）不予公开 …)


@dataclass(frozen=True)
class Anchor:
    kind: AnchorKind
    table: str
    label: Label
    ref: str  # block key, column key, group key or physical row key
    row: PhysicalRow | None = None
    block: str | None = None
    variant: bool = False  # matched through a listed variant rather than the official text


@dataclass(slots=True)
class CellKind:
    """What a cell's text is, independent of where it stands: computed once per distinct text and
    shared (never changed after). A slots class: the recogniser reads its fields for every cell,
    and slot reads are the fastest attribute access."""

    key: str  # matching key (label_key)
    anchors: tuple[Anchor, ...]  # the labels it matches exactly
    is_value: bool  # a number, a dash or 无
    markers: tuple[str, ...]  # format ids whose marker labels it contains
    # A label and a number that ran together in one text run ("行政许可1039", "申请数量640020470"):
    # (label text, number text) when the text minus its trailing digits is exactly a label.
    split: tuple[str, str] | None = None
    # A value and nothing else (no anchor, no marker): the recogniser's fast path appends it to
    # the open row without the state machine's dispatch.
    plain_value: bool = False


_LABEL_THEN_NUMBER = re.compile(r"^(.*\D)\s*(\d+(?:\.\d+)?)$", re.DOTALL)
MAX_MARKER_TEXT = 40  # longer text is prose: markers are table labels


@dataclass(frozen=True)
class AnchorIndex:
    exact: dict[str, tuple[Anchor, ...]]
    by_table: dict[str, tuple[Anchor, ...]]
    markers: dict[str, str]  # marker key -> format id
    marker_pattern: re.Pattern[str]  # any marker, for a fast first test
    prefixes: frozenset[str] = frozenset()  # every proper prefix of a label key, for joining fragments
    longest_key: int = 0
    # classify's memo: text -> CellKind. A hot loop may look a text up here first (a C-level
    # dict.get) and call classify only on a miss; paragraphs are never in it.
    kinds: dict[str, CellKind] = field(default_factory=dict, repr=False, compare=False)
    _prefixes: dict[tuple[str | None, str], Anchor | None] = field(default_factory=dict, repr=False, compare=False)
    _suffixes: dict[tuple[str | None, str], Anchor | None] = field(default_factory=dict, repr=False, compare=False)
    _near: dict[tuple[str | None, str], Anchor | None] = field(default_factory=dict, repr=False, compare=False)
    _pieces: dict[str | None, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)
    _similar: dict[tuple[str, str], Anchor | None] = field(default_factory=dict, repr=False, compare=False)

    def heading_pieces(self, table: str | None) -> frozenset[str]:
        """Every part (a character or more, not the whole) of the labels of `table` that are not row
        labels: headers, columns, captions, row groups. Extraction by layout prints a merged header
        or group cell's wrapped label as such pieces on the lines beside the rows (结果 | 维持 |
        本年 | 度办 | 理结 | 果)."""
        pieces = self._pieces.get(table)
        if pieces is None:
            keys = {a.label.key for a in self.by_table.get(table or "", ()) if a.kind is not AnchorKind.ROW}
            pieces = self._pieces[table] = frozenset(
                k[i:j] for k in keys for i in range(len(k)) for j in range(i + 1, len(k) + 1) if j - i < len(k)
            )
        return pieces

    @cached_property
    def row_prefixes(self) -> frozenset[str]:
        """Every proper start (2 characters or more) of a row label."""
        return self._prefixes_of(AnchorKind.ROW)

    @cached_property
    def group_prefixes(self) -> frozenset[str]:
        """Every proper start of a row-group label (三、本年度办理结果, （三）不予公开 …)."""
        return self._prefixes_of(AnchorKind.GROUP)

    def _prefixes_of(self, kind: AnchorKind) -> frozenset[str]:
        keys = {k for k, anchors in self.exact.items() if any(a.kind is kind for a in anchors)}
        return frozenset(k[:i] for k in keys for i in range(2, len(k)))

    @cached_property
    def prose_chars(self) -> int:
        """Texts longer than this are prose: far longer than any label, even with spaces and a number."""
        return self.longest_key * 2 + 20

    def lookup(self, key: str) -> tuple[Anchor, ...]:
        return self.exact.get(key, ())

    def prefix_anchor(self, table: str | None, key: str) -> Anchor | None:
        """The one label (of `table`, or of any table) that `key` is the start of, if that start is
        substantial (`_starts`); None when another label starts so too (“3.” starts 3.其他 and
        3.危及“三安全一稳定” alike, though only the first is short enough for it)."""
        return self._unique_anchor(table, key, self._prefixes, _starts, among=str.startswith)

    def suffix_anchor(self, table: str | None, key: str) -> Anchor | None:
        """The one label (of `table`, or of any table) that `key` is nearly all of but its start, if
        unique: the first characters got lost (OCR misses a leading “一”, a crawler cuts a cell)."""
        return self._unique_anchor(table, key, self._suffixes, _ends)

    def near_anchor(self, table: str | None, key: str) -> Anchor | None:
        """The one label (of `table`, or of any table) that `key` is one character off, if unique
        and the label is long (`MIN_NEAR_LABEL` characters): a character doubled, dropped or
        misread (OCR reads “部分公开” as “部部分公开”, a typist drops a character)."""
        return self._unique_anchor(table, key, self._near, _one_edit) if len(key) >= MIN_NEAR_LABEL - 1 else None

    def similar_anchor(self, table: str, key: str) -> Anchor | None:
        """The one label of `table` that `key` is within a few edits of (`similarity.close_enough`:
        characters lost, doubled or misread, one in five at most, the same enumeration), if no other
        label of the table is as close: 5.属于三类内部信息 for 5.属于三类内部事务信息. The caller
        decides whether that row is still free (another row may already have matched it)."""
        memo_key = (table, key)
        if memo_key in self._similar:
            return self._similar[memo_key]
        best: dict[str, tuple[int, Anchor]] = {}  # label -> (distance, anchor), over every key of it
        for a in self.by_table.get(table, ()):
            for k in a.label.keys:
                d = close_enough(k, key)
                if d is not None and (a.label.key not in best or d < best[a.label.key][0]):
                    best[a.label.key] = (d, a)
        ranked = sorted(best.values(), key=lambda pair: pair[0])
        anchor = None
        if ranked and (len(ranked) == 1 or ranked[0][0] < ranked[1][0]):
            anchor = ranked[0][1]
        if len(self._similar) < 50_000:
            self._similar[memo_key] = anchor
        return anchor

    def _unique_anchor(
        self,
        table: str | None,
        key: str,
        memo: dict[tuple[str | None, str], Anchor | None],
        fits: Callable[[str, str], bool],
        among: Callable[[str, str], bool] | None = None,
    ) -> Anchor | None:
        """The one label that `key` `fits`; with `among`, also the only label that `among` admits."""
        if (table, key) in memo:
            return memo[(table, key)]
        found: dict[str, Anchor] = {}
        for t in [table] if table else list(self.by_table):
            for a in self.by_table.get(t, ()):
                full = a.label.key
                if full != key and (among or fits)(full, key):
                    found.setdefault(full, a)
        anchor = next(iter(found.values())) if len(found) == 1 else None
        if anchor is not None and among is not None and not fits(anchor.label.key, key):
            anchor = None
        if len(memo) < 50_000:
            memo[(table, key)] = anchor
        return anchor

    def classify(self, text: str) -> CellKind:
        """The CellKind of a cell text. Reports repeat the same few hundred texts ("0", labels),
        so this is memoised per index (bounded: a pathological input cannot grow it without end)."""
        if len(text) > self.prose_chars and not text.isdigit():
            # (A long digit string is a cell's value, damaged: parse_value says why it is not read.)
            # Prose: far longer than any label, so not a label, a value or a label+number, and
            # its exact matching key is never needed (label_key of a long text is not cheap).
            # Not memoised: paragraphs differ between reports.
            return CellKind("".join(text.split()), (), False, ())
        kind = self.kinds.get(text)
        if kind is None:
            from xxgk.recognize.values import is_value_text

            key = label_key(text)
            markers: tuple[str, ...] = ()
            if len(key) <= MAX_MARKER_TEXT and self.marker_pattern.search(key):
                markers = tuple(fid for marker, fid in self.markers.items() if marker in key)
            anchors = self.exact.get(key, ())
            is_value = is_value_text(text)
            split = None
            m = None if anchors or is_value else _LABEL_THEN_NUMBER.match(text)
            if m and label_key(m.group(1)) in self.exact:
                split = (m.group(1).strip(), m.group(2))
            kind = CellKind(key, anchors, is_value, markers, split, is_value and not anchors and not markers)
            if len(self.kinds) < 50_000:
                self.kinds[text] = kind
        return kind


def _starts(full: str, key: str) -> bool:
    """`key` is the start of the label `full`, at least 2/5 of it (the rest may follow in the next cell)."""
    return full.startswith(key) and len(key) * 5 >= len(full) * 2


MIN_NEAR_LABEL = 6  # shorter labels (其他, 行政复议) are too close to other words to allow a wrong character


def _one_edit(full: str, key: str) -> bool:
    """`key` is the label `full` with one character inserted, dropped or replaced."""
    if len(full) < MIN_NEAR_LABEL or abs(len(full) - len(key)) > 1:
        return False
    i = next((i for i, (a, b) in enumerate(zip(full, key, strict=False)) if a != b), min(len(full), len(key)))
    if len(full) == len(key):
        return full[i + 1 :] == key[i + 1 :]
    if len(key) > len(full):
        return full[i:] == key[i + 1 :]
    return full[i + 1 :] == key[i:]


def _ends(full: str, key: str) -> bool:
    """`key` is the label `full` without a short start (at most 1/5 of it and 2 characters lost)."""
    return full.endswith(key) and len(full) - len(key) <= 2 and len(key) * 5 >= len(full) * 4


def _add(index: dict[str, list[Anchor]], anchor: Anchor) -> None:
    official = anchor.label.key
    # A label printed without its enumeration comma (“二上年结转…”: OCR drops the small “、”)
    # is a variant: read, and reported (R003).
    keys = list(dict.fromkeys([*anchor.label.keys, *(k.replace("、", "") for k in anchor.label.keys)]))
    for k in keys:
        a = (
            anchor
            if k == official
            else Anchor(anchor.kind, anchor.table, anchor.label, anchor.ref, anchor.row, anchor.block, variant=True)
        )
        index[k].append(a)


@cache
def anchor_index(format_id: str = "gov2021") -> AnchorIndex:
    spec: FormatSpec = load_format(format_id)
    index: dict[str, list[Anchor]] = defaultdict(list)
    t2 = spec.tables["t2"]
    for label in t2.header_labels:
        _add(index, Anchor(AnchorKind.HEADER, "t2", label, "header"))
    for block in t2.blocks:
        _add(index, Anchor(AnchorKind.CAPTION, "t2", block.caption, block.key, block=block.key))
        for col in block.columns:
            _add(index, Anchor(AnchorKind.COLUMN, "t2", col.label, col.key, block=block.key))
    for row in t2.physical_rows:
        assert row.label is not None
        _add(index, Anchor(AnchorKind.ROW, "t2", row.label, row.key, row=row, block=row.block))
    t3 = spec.tables["t3"]
    for label in t3.header_labels:
        _add(index, Anchor(AnchorKind.HEADER, "t3", label, "header"))
    for col in t3.columns:
        _add(index, Anchor(AnchorKind.COLUMN, "t3", col.label, col.key))
    for group in t3.groups:
        _add(index, Anchor(AnchorKind.GROUP, "t3", group.label, group.key))
    for row in t3.physical_rows:
        assert row.label is not None
        _add(index, Anchor(AnchorKind.ROW, "t3", row.label, row.key, row=row))
    t4 = spec.tables["t4"]
    for label in t4.header_labels:
        _add(index, Anchor(AnchorKind.HEADER, "t4", label, "header"))
    for group in t4.groups:
        _add(index, Anchor(AnchorKind.HEADER, "t4", group.label, group.key))
    for col in t4.columns:
        _add(index, Anchor(AnchorKind.COLUMN, "t4", col.label, col.key))
    exact = {k: tuple(v) for k, v in index.items()}
    by_table: dict[str, list[Anchor]] = defaultdict(list)
    for anchors in exact.values():
        for a in anchors:
            if not a.variant:
                by_table[a.table].append(a)
    from xxgk.format.spec import version_markers

    markers = {label_key(m): fid for fid, ms in version_markers().items() for m in ms}
    pattern = re.compile("|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True)))
    prefixes = frozenset(k[:i] for k in exact for i in range(1, len(k)))
    longest = max(map(len, exact))
    return AnchorIndex(exact, {k: tuple(v) for k, v in by_table.items()}, markers, pattern, prefixes, longest)
