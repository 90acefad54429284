"""Agency names: one key per body whatever the report printed, its level and the region it belongs to.

"三明市", "三明市政府" and "三明市人民政府" are one body (a region's name alone means its government, as
in the title 《三明市2023年政府信息公开工作年度报告》); "X市政府办"/"X市人民政府办" are the government's
office, a department. The region is read from the name (the chain of place names it starts with); the level
is the government level the body belongs to. What the name cannot tell (a 县级市 printed alone, an OCR'd
name) is settled by the user's override file (`overrides`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from xxgk.agency import AgencyKind, classify_agency
from xxgk.corpus import regions


class Level(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    UNKNOWN = "unknown"

    @property
    def zh(self) -> str:
        return {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇（街道）", "unknown": "未知"}[
            self.value
        ]

    @classmethod
    def parse(cls, text: str) -> Level | None:
        """The level a user wrote (省 / 省级 / province …), or None when it names none."""
        word = text.strip()
        for level in cls:
            if word in (level.value, level.zh, level.zh.removesuffix("级"), level.zh.replace("（街道）", "街道")):
                return level
        return cls.TOWNSHIP if word in ("乡镇", "乡镇街道", "街道") else None


# A place name: at least two characters (not those of a department's name), then the suffix of its kind
# (longest suffixes first); "城市管理局" after "莆田市" is no place: one character before 市.
_PLACE = re.compile(r"[^\s局委厅办院所部会镇乡]{2,12}?(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|县|旗|区)")
_PROVINCE_SUFFIXES = ("省", "自治区", "特别行政区")
_CITY_SUFFIXES = ("市", "州", "盟", "自治州")
# Spellings of one body, rewritten to its full name (order matters: the office before the government).
_REWRITES = (
    (re.compile(r"(人民)?政府办公厅$"), "人民政府办公厅"),
    (re.compile(r"(人民)?政府办(公室)?$"), "人民政府办公室"),
    (re.compile(r"(?<!人民)政府$"), "人民政府"),
    (re.compile(r"街道(办)?$"), "街道办事处"),
)


@dataclass(frozen=True)
class AgencyName:
    key: str  # the normalised full name, the identity of the body in the corpus
    printed: str
    kind: AgencyKind
    level: Level
    region_path: tuple[str, ...]  # place names from the top: ("三明市", "三元区")


def clean(name: str) -> str:
    """Width, spaces and OCR look-alikes folded (NFKC turns full-width forms and compatibility ideographs)."""
    text = unicodedata.normalize("NFKC", name)
    return re.sub(r"[\s\u3000·•]+", "", text).strip("《》<>「」\"'")


def region_path(name: str) -> tuple[str, ...]:
    """The place names a body's name starts with, in order."""
    path: list[str] = []
    pos = 0
    while m := _PLACE.match(name, pos):
        path.append(m.group(0))
        pos = m.end()
    return tuple(path)


def normalise(printed: str) -> AgencyName:
    name = clean(printed)
    path = region_path(name)
    corrected = regions.misread_path(path) if path else None
    if corrected is not None:  # (雎宁县人民政府 is 睢宁县人民政府: one body, its printed name kept as seen)
        name = "".join(corrected) + name[len("".join(path)) :]
        path = corrected
    if path and "".join(path) == name:  # the region's name alone: its government
        name += "人民政府"
    for pattern, full in _REWRITES:
        if pattern.search(name):
            name = pattern.sub(full, name)
            break
    kind = classify_agency(name)
    return AgencyName(name, printed, kind, _level(name, kind, path), path)


def _level(name: str, kind: AgencyKind, path: tuple[str, ...]) -> Level:
    if kind is AgencyKind.TOWNSHIP:
        return Level.TOWNSHIP
    if not path:
        return Level.UNKNOWN
    last = path[-1]
    if last.endswith(_PROVINCE_SUFFIXES):
        return Level.PROVINCE
    if last.endswith(_CITY_SUFFIXES):
        # a city under a city (福州市福清市) is a county-level city
        return Level.COUNTY if len(path) > 1 and path[-2].endswith(_CITY_SUFFIXES) else Level.CITY
    return Level.COUNTY
