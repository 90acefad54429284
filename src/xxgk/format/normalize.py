"""Text normalisation shared by every reader and by label matching.

Two levels:
- `normalize_text` keeps the text readable (full-width ASCII forms to half-width, odd spaces to
  plain spaces, Kangxi radicals to CJK) and is applied to everything a reader produces.
- `label_key` is the matching key of a label: it also drops whitespace, quotes and table
  decoration, so “三安全一稳定” == "三安全一稳定" and `结果 维持` == `结果维持`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Full-width CJK punctuation that NFKC keeps but that authors type in either width. Applied with
# str.replace per character present: str.translate with a dict is much slower on CJK text.
_PUNCT = {"〔": "[", "〕": "]", "【": "[", "】": "]", "—": "-", "－": "-", "–": "-", "―": "-"}
_QUOTES = "\"'“”‘’「」『』〝〞"
_SPACES = re.compile(r"[\s\u00a0\u3000\u2002-\u200b\ufeff]+")
# Control characters no reader should pass on (a damaged file or page: NUL, \x01, DEL, C1 codes).
# Those Python counts as whitespace (\x0b, \x0c, \x1c-\x1f, \x85) are spaces by `_SPACES`; these are invisible.
_INVISIBLE_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x9f]")
# Dropped from matching keys besides whitespace (str.split() covers \s, NBSP and the ideographic space).
_DROP_FOR_KEY = ("\u200b", "\ufeff", "|", *_QUOTES)


# Full-width digits and Latin letters, and Kangxi/CJK radicals (OCR and some fonts emit them):
# folded to their plain forms. CJK punctuation (，。：（）) is kept: it is part of the prose.
_FOLD = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u2e80-\u2fdf]")


@lru_cache(maxsize=16384)
def normalize_text(text: str) -> str:
    """Readable normal form: fold full-width digits/letters and radicals, unify spaces, drop
    invisible control characters."""
    if _FOLD.search(text):
        text = _FOLD.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    # Only printable text without double spaces has nothing to unify (isprintable is False for
    # TAB, newlines, NBSP, the ideographic and other Unicode spaces): a cheap test, no regex pass.
    if text.isprintable() and "  " not in text:
        return text
    text = _SPACES.sub(lambda m: "\n" if "\n" in m.group() else " ", text)
    if not text.replace("\n", "").isprintable():  # (rare: most text left is CJK and spaces)
        text = _INVISIBLE_CONTROLS.sub("", text)
    return text


def prose_key(text: str) -> str:
    """Key of a paragraph for phrase rules: no whitespace, quotes or `|`, but punctuation as printed.

    Unlike `label_key` there is no NFKC: it costs a noticeable share of checking on CJK prose,
    and the phrase patterns accept both widths of the punctuation they use. Full-width
    digits and letters are already folded by `normalize_text` in every reader.
    """
    text = "".join(text.split())
    for char in _DROP_FOR_KEY:
        if char in text:
            text = text.replace(char, "")
    return text


# NFKC costs ~2000 instructions per CJK character, so it is applied only to the runs of characters
# it may change. Outside those runs are "stable" characters (NFKC leaves them alone and nothing
# composes across them): printable ASCII, CJK ideographs, and CJK punctuation that is not a
# compatibility form. A run is taken with the character before it (`.?`), so a combining mark
# still meets its base; NFKC of the pieces then equals NFKC of the whole
# (tests/test_normalize.py compares the two on real and random text).
_NFKC_STABLE = "\t\n\r\x20-\x7e\u2014\u2018\u2019\u201c\u201d\u3001\u3002\u3008-\u3011\u4e00-\u9fff"
_NFKC_RUNS = re.compile(f".?[^{_NFKC_STABLE}]+", re.DOTALL)
# Full-width punctuation found in almost every label and paragraph: NFKC maps each to one ASCII
# character that composes with nothing, so a plain replace gives the same result, cheaper.
_FULLWIDTH_COMMON = (("，", ","), ("（", "("), ("）", ")"), ("：", ":"), ("；", ";"), ("？", "?"), ("！", "!"))


def _nfkc(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", m.group())


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), computed only where it can change something."""
    if text.isascii():
        return text
    for char, plain in _FULLWIDTH_COMMON:
        if char in text:
            text = text.replace(char, plain)
    return _NFKC_RUNS.sub(_nfkc, text)


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """Matching key of a label: normal form without spaces, quotes, `|`, or a trailing colon."""
    text = nfkc(text)
    for char, plain in _PUNCT.items():
        if char in text:
            text = text.replace(char, plain)
    text = "".join(text.split())
    for char in _DROP_FOR_KEY:
        if char in text:
            text = text.replace(char, "")
    return text.rstrip(":：")
