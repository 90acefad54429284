"""The report format as data: loaded from xxgk/specs/*.toml, the single source of truth."""

from __future__ import annotations

from xxgk.format.normalize import label_key, normalize_text
from xxgk.format.spec import FormatSpec, load_format

__all__ = ["FormatSpec", "label_key", "load_format", "normalize_text"]
