"""The user's `agencies.toml`: what an agency's name cannot tell (a misread name, the level, the region).

    [[agency]]
    name = "莆田市人民政府办公室"          # the body's full name (the corpus key)
    aliases = ["莆田市政府办", "蒲田市人民政府办公室"]   # other spellings met in reports (OCR'd ones too)
    level = "city"                        # province | city | county | township
    region = "350300"                     # GB/T 2260 code of its region
    summary = true                        # its reports are the region's 汇总 report (rule X071)

Every mistake names its line: an unknown level, a region code that is not six digits or not in the
division table, a name given twice.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from xxgk.corpus import regions
from xxgk.corpus.agencies import clean
from xxgk.errors import XxgkError

LEVELS = ("province", "city", "county", "township")


@dataclass(frozen=True)
class Override:
    name: str
    aliases: tuple[str, ...]
    level: str | None
    region: str | None  # six-digit code
    line: int
    summary: bool = False  # its reports sum up its region's agencies (X071)


@dataclass(frozen=True)
class Overrides:
    by_name: dict[str, Override]  # every name and alias (cleaned) → its entry

    def find(self, *names: str) -> Override | None:
        for name in names:
            entry = self.by_name.get(clean(name))
            if entry is not None:
                return entry
        return None

    def summary_agencies(self) -> frozenset[str]:
        """The agency keys the user marks as publishing their region's summary report (as stored and as
        the name normalises, so the mark holds whether or not the override was applied when stored)."""
        from xxgk.corpus.agencies import normalise

        marked = {e.name for e in self.by_name.values() if e.summary}
        return frozenset(marked | {normalise(name).key for name in marked})


EMPTY = Overrides({})


def _line_of(text: str, n: int) -> int:
    """The line of the n-th (1-based) [[agency]] header."""
    starts = [m.start() for m in re.finditer(r"^[ \t]*\[\[agency\]\]", text, re.M)]
    return text.count("\n", 0, starts[n - 1]) + 1 if n <= len(starts) else 0


def load_overrides(path: Path) -> Overrides:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise XxgkError(f"{path}：无法读取（{type(e).__name__}）") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise XxgkError(f"{path}：不是有效的 TOML（{e}）") from None
    by_name: dict[str, Override] = {}
    known_codes = {d.code for d in regions.divisions()}
    for n, raw in enumerate(data.get("agency", []), 1):
        line = _line_of(text, n)
        where = f"{path} 第{line}行"
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            raise XxgkError(f"{where}：缺少机关名称 name")
        level = raw.get("level")
        if level is not None and level not in LEVELS:
            raise XxgkError(f"{where}：层级 level 应为 {'、'.join(LEVELS)} 之一，实为「{level}」")
        region = raw.get("region")
        if region is not None:
            region = str(region)
            if not re.fullmatch(r"\d{6}", region):
                raise XxgkError(f"{where}：区划代码 region 应为六位数字，实为「{region}」")
            if known_codes and region not in known_codes:
                raise XxgkError(f"{where}：未知的区划代码「{region}」（{regions.SOURCE}中没有）")
        aliases = raw.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise XxgkError(f"{where}：aliases 应为名称的列表")
        summary = raw.get("summary", False)
        if not isinstance(summary, bool):
            raise XxgkError(f"{where}：summary 应为 true 或 false，实为「{summary}」")
        entry = Override(clean(name), tuple(clean(a) for a in aliases), level, region, line, summary)
        for spelling in (entry.name, *entry.aliases):
            if spelling in by_name:
                raise XxgkError(f"{where}：名称「{spelling}」已在第{by_name[spelling].line}行出现")
            by_name[spelling] = entry
    return Overrides(by_name)
