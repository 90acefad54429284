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

# Full-width CJK punctuation that NFKC keeps but that authors type in either width.
_PUNCT = str.maketrans(
    {
        "〔": "[",
        "〕": "]",
        "【": "[",
        "】": "]",
        "、": "、",
        "—": "-",
        "－": "-",
        "–": "-",
        "―": "-",
        "。": "。",
    }
)
_QUOTES = "\"'“”‘’「」『』〝〞"
_SPACES = re.compile(r"[\s\u00a0\u3000\u2002-\u200b\ufeff]+")
_DROP_FOR_KEY = re.compile(r"[\s\u00a0\u3000\u200b\ufeff|" + re.escape(_QUOTES) + r"]+")


# Full-width digits and Latin letters, and Kangxi/CJK radicals (OCR and some fonts emit them):
# folded to their plain forms. CJK punctuation (，。：（）) is kept: it is part of the prose.
_FOLD = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u2e80-\u2fdf]")


@lru_cache(maxsize=16384)
def normalize_text(text: str) -> str:
    """Readable normal form: fold full-width digits/letters and radicals, unify spaces."""
    text = _FOLD.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return _SPACES.sub(lambda m: "\n" if "\n" in m.group() else " ", text)


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """Matching key of a label: normal form without spaces, quotes, `|`, or a trailing colon."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT)
    text = _DROP_FOR_KEY.sub("", text)
    return text.rstrip(":：")
