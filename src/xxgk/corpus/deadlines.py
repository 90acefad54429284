"""The table of publication deadlines by kind of body, level and place, each entry with its notice.

The national entries (条例第四十九条) are shipped (deadlines.toml); provinces and cities set earlier
dates for their own bodies, which a user adds in a file of the same form. Townships have no statutory
deadline, so no shipped entry: a region that sets one adds it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from xxgk.errors import XxgkError

KINDS = ("government", "department", "township", "any")
LEVELS = ("province", "city", "county", "township", "any")


@dataclass(frozen=True)
class Deadline:
    name: str
    kind: str
    level: str
    region: str
    month: int
    day: int
    notice: str

    def matches(self, kind: str, level: str, regions: tuple[str, ...]) -> bool:
        return (
            self.kind in ("any", kind) and self.level in ("any", level) and (not self.region or self.region in regions)
        )

    @property
    def specificity(self) -> tuple[bool, bool, bool]:
        return (bool(self.region), self.level != "any", self.kind != "any")


@dataclass(frozen=True)
class DeadlineTable:
    entries: tuple[Deadline, ...]

    def find(self, kind: str, level: str, regions: tuple[str, ...]) -> Deadline | None:
        matching = [e for e in self.entries if e.matches(kind, level, regions)]
        if not matching:
            return None
        best = max(e.specificity for e in matching)
        return next(e for e in matching if e.specificity == best)  # (user entries come first)


def _entries(text: str, where: str) -> list[Deadline]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise XxgkError(f"{where}：不是有效的 TOML（{e}）") from None
    out = []
    for n, raw in enumerate(data.get("deadline", []), 1):
        here = f"{where} 第{n}个 [[deadline]]"
        try:
            entry = Deadline(
                str(raw["name"]),
                str(raw.get("kind", "any")),
                str(raw.get("level", "any")),
                str(raw.get("region", "")),
                int(raw["month"]),
                int(raw["day"]),
                str(raw["notice"]),
            )
        except (KeyError, TypeError, ValueError) as e:
            raise XxgkError(f"{here}：缺少或无效的字段 {e}（需要 name、month、day、notice）") from None
        if entry.kind not in KINDS or entry.level not in LEVELS:
            raise XxgkError(f"{here}：kind 应为 {'/'.join(KINDS)}，level 应为 {'/'.join(LEVELS)}")
        if not (1 <= entry.month <= 12 and 1 <= entry.day <= 31):
            raise XxgkError(f"{here}：日期无效（{entry.month}月{entry.day}日）")
        out.append(entry)
    return out


def load_deadlines(user_file: Path | None = None) -> DeadlineTable:
    shipped = resources.files("xxgk.corpus").joinpath("deadlines.toml").read_text("utf-8")
    entries = _entries(shipped, "deadlines.toml")
    if user_file is not None:
        try:
            text = user_file.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise XxgkError(f"{user_file}：无法读取（{type(e).__name__}）") from None
        entries = _entries(text, str(user_file)) + entries
    return DeadlineTable(tuple(entries))
