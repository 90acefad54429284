"""Settings as frozen dataclasses with DEFAULT_* constants, passed in explicitly (no globals)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from xxgk import unconfirmed

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # real reports are < 1 MB; bigger input is refused, not read
DEFAULT_MAX_LINES = 200_000


@dataclass(frozen=True)
class ReadSettings:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_lines: int = DEFAULT_MAX_LINES
    ocr: bool = False  # read scanned PDF pages by OCR (the extra xxgk[ocr]; ~5 s per page)

    @classmethod
    def resolve(cls, value: ReadSettings | dict[str, Any] | None) -> ReadSettings:
        if value is None:
            return cls()
        if isinstance(value, dict):
            return replace(cls(), **value)
        return value


@dataclass(frozen=True)
class CheckSettings:
    """Knobs of the checker. Defaults for UNCONFIRMED points come from xxgk.unconfirmed."""

    township_deadline: str = unconfirmed.TOWNSHIP_DEADLINE  # "MM-DD" in the year after the report year
    section5_min_chars: int = 60
    select: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()

    @classmethod
    def resolve(cls, value: CheckSettings | dict[str, Any] | None) -> CheckSettings:
        if value is None:
            return cls()
        if isinstance(value, dict):
            return replace(cls(), **value)
        return value
