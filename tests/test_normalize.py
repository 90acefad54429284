"""The cheap NFKC behind label_key must equal unicodedata's NFKC, on real text and on random text
that mixes the characters where NFKC is subtle (combining marks, Hangul jamo, compatibility forms)."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, SEEDS
from xxgk.format.normalize import label_key, nfkc, normalize_text

# Blocks where NFKC changes, composes or reorders characters, beside the stable ones.
_BLOCKS = [
    (0x20, 0x7E),  # ASCII
    (0xA0, 0x17F),  # Latin-1 and Latin Extended-A (NBSP, ², ½, precomposed letters)
    (0x300, 0x36F),  # combining diacritics
    (0x1100, 0x11FF),  # Hangul jamo (compose into syllables)
    (0xAC00, 0xAC40),  # Hangul syllables
    (0x0B00, 0x0B7F),  # Oriya (a starter that composes with a following starter)
    (0x2000, 0x206F),  # general punctuation (… ‥ and odd spaces)
    (0x2E80, 0x2FDF),  # CJK and Kangxi radicals
    (0x3000, 0x303F),  # CJK punctuation (ideographic space)
    (0x3200, 0x32FF),  # enclosed CJK (㈠)
    (0x4E00, 0x4E40),  # CJK ideographs
    (0xF900, 0xFA10),  # CJK compatibility ideographs
    (0xFF00, 0xFFEF),  # full-width and half-width forms
]
_CHARS = st.one_of(*(st.integers(lo, hi).map(chr) for lo, hi in _BLOCKS))


@given(st.lists(_CHARS, max_size=16).map("".join))
@settings(max_examples=800, deadline=None)  # (plus every line of the seeds and corpus, below)
def test_nfkc_equals_unicodedata_on_random_text(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_nfkc_equals_unicodedata_on_every_line_of_the_seeds_and_corpus() -> None:
    lines = set()
    for path in [*SEEDS, *sorted(p for p in CORPUS.rglob("*") if p.suffix in (".txt", ".html", ".htm"))]:
        text = path.read_bytes().decode("utf-8", "replace")
        lines.update(text.splitlines())
    assert len(lines) > 2000
    assert [line for line in lines if nfkc(line) != unicodedata.normalize("NFKC", line)] == []


def test_label_key_folds_widths_quotes_and_spaces() -> None:
    assert label_key("（一）予以公开：") == "(一)予以公开"
    assert label_key("“三安全一稳定”") == label_key('"三安全一稳定"') == "三安全一稳定"
    assert label_key("结果 维持") == "结果维持"
    assert label_key("第二十条第（一）项\u3000") == "第二十条第(一)项"
    assert label_key("㈠予以公开") == "(一)予以公开"  # a compatibility form, through unicodedata


def test_normalize_text_drops_invisible_control_characters() -> None:
    """NUL, SOH…, DEL and C1 codes (a damaged file or page) are dropped; those Python counts as
    whitespace (VT, FF, FS…US, NEL) are spaces like any other. Printable text is left alone."""
    assert normalize_text("1\x002\x013\x1b4\x7f5\x816") == "123456"
    assert normalize_text("社会\x0b公益\x0c组织\x1f其他") == "社会 公益 组织 其他"
    assert normalize_text("第一行\n\x01第二行") == "第一行\n第二行"
    assert normalize_text("行政许可 78") == "行政许可 78"
