"""What changed between two versions of one report (same agency and year, different content).

A cell changed when both versions read a number and the numbers differ (a cell one form of the document
could not read, e.g. crawler text beside the HTML page, is no change). A section changed when its text
differs once spaces and punctuation are set aside, in a digit or in more than a few characters: crawler
text loses a character here and there (an enumeration mark "三" of a collapsed line) without the report
changing. No change at all: the same report in another form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
_DIGIT = re.compile(r"\d")
# Characters that may differ between two forms of one text (at least, and per 100 characters).
TOLERATED_CHARS = 4
TOLERATED_SHARE = 0.01


@dataclass(frozen=True)
class Changes:
    cells: list[tuple[str, Any, Any]]  # (key, before, after)
    sections: list[str]

    @property
    def none(self) -> bool:
        return not self.cells and not self.sections

    def to_json(self) -> dict[str, Any]:
        return {
            "cells": [[key, _plain(a), _plain(b)] for key, a, b in self.cells],
            "sections": list(self.sections),
        }


def _plain(v: Any) -> Any:
    return v if v is None or isinstance(v, int) else str(v)


def section_text(text: str) -> str:
    return _NOISE.sub("", text)


def diff(
    before_cells: Mapping[str, Any],
    after_cells: Mapping[str, Any],
    before_sections: Mapping[str, str],
    after_sections: Mapping[str, str],
) -> Changes:
    cells = [
        (key, before_cells[key], value)
        for key, value in after_cells.items()
        if value is not None and before_cells.get(key) is not None and before_cells[key] != value
    ]
    sections = [
        key
        for key, text in after_sections.items()
        if text and before_sections.get(key) and text_changed(section_text(before_sections[key]), section_text(text))
    ]
    return Changes(cells, sections)


def text_changed(before: str, after: str) -> bool:
    if before == after:
        return False
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    differing = 0
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        if _DIGIT.search(before[a0:a1]) or _DIGIT.search(after[b0:b1]):
            return True
        differing += max(a1 - a0, b1 - b0)
    return differing > max(TOLERATED_CHARS, TOLERATED_SHARE * max(len(before), len(after)))


def describe(changes: Mapping[str, Any] | None, spec_id: str = "gov2021", limit: int = 12) -> str:
    """The changes of a new version in zh-CN: the cells (before → after) and the sections."""
    from xxgk.format import load_format

    if not changes:
        return "无"
    spec = load_format(spec_id)
    parts = [f"{spec.location_name(key)} {before}→{after}" for key, before, after in changes.get("cells", [])[:limit]]
    more = len(changes.get("cells", [])) - limit
    if more > 0:
        parts.append(f"等共{len(changes['cells'])}个单元格")
    parts += [f"{spec.location_name(key)}正文" for key in changes.get("sections", [])]
    return "；".join(parts) or "无"
