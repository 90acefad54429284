"""Working-day calendar: weekends, statutory holidays and 调休 make-up working days, year by year.

The data is a project-owned table of the State Council's yearly arrangements
(`xxgk/ledger/holidays/<year>.toml`, one file per 《国务院办公厅关于XXXX年部分节假日安排的通知》, with
the notice as provenance), cross-checked against `chinesecalendar` by the tests (`cross_check`). A
user file for a year (in `$XXGK_HOME/holidays/`, or another directory) takes precedence, so the
year after the package's data can be added as soon as the notice is out. A year with no arrangement
raises `YearNotCoveredError`: a calendar never guesses.

Answers are fast: all working days of the loaded years are kept as a sorted list of ordinals, so
"the n-th working day after d" is one bisection.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tomllib
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from xxgk.ledger.errors import CalendarError, HolidayFileError, YearNotCoveredError

ONE_DAY = timedelta(days=1)
HOME_ENV = "XXGK_HOME"
HOLIDAYS_SUBDIR = "holidays"
_BREAK_FIELDS = {"name", "first_day_off", "last_day_off", "make_up_workdays"}
_NOTICE_FIELDS = {"title", "number", "date", "checked"}


@dataclass(frozen=True)
class Break:
    """One holiday break of the arrangement: its days off (inclusive) and its make-up working days."""

    name: str
    first_day_off: date
    last_day_off: date
    make_up_workdays: tuple[date, ...] = ()

    def days_off(self) -> Iterable[date]:
        d = self.first_day_off
        while d <= self.last_day_off:
            yield d
            d += ONE_DAY


@dataclass(frozen=True)
class Notice:
    """Provenance: the State Council General Office notice the arrangement comes from."""

    title: str
    number: str = ""  # 国办发明电〔20xx〕x号
    date: date | None = None
    checked: str = ""  # how the data was checked against the notice


@dataclass(frozen=True)
class YearArrangement:
    year: int
    notice: Notice
    breaks: tuple[Break, ...]
    source: str  # file the arrangement was read from
    days_off: frozenset[date] = field(default=frozenset(), repr=False)
    make_up_workdays: frozenset[date] = field(default=frozenset(), repr=False)

    def __post_init__(self) -> None:
        off = frozenset(d for b in self.breaks for d in b.days_off())
        work = frozenset(d for b in self.breaks for d in b.make_up_workdays)
        object.__setattr__(self, "days_off", off)
        object.__setattr__(self, "make_up_workdays", work)

    def is_workday(self, d: date) -> bool:
        if d.year != self.year:
            raise CalendarError(f"{d.isoformat()} 不在{self.year}年的安排之内")
        if d in self.make_up_workdays:
            return True
        return d.weekday() < 5 and d not in self.days_off

    def workdays(self) -> list[date]:
        d, out = date(self.year, 1, 1), []
        while d.year == self.year:
            if self.is_workday(d):
                out.append(d)
            d += ONE_DAY
        return out


# ---------------------------------------------------------------------------------------------
# Reading and validating arrangement files


def _date(value: Any, where: str, source: str) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    raise HolidayFileError(f"{where} 应为日期（如 2027-01-01），实际为 {value!r}", path=source)


def parse_arrangement(raw: Mapping[str, Any], source: str) -> YearArrangement:
    """Validate the parsed TOML of one year's arrangement; every error names the field in zh-CN."""
    year = raw.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1949 < year < 2200:
        raise HolidayFileError(f"缺少或无效的 year（年份）：{year!r}", path=source)
    unknown = set(raw) - {"year", "notice", "breaks"}
    if unknown:
        raise HolidayFileError(f"未知字段：{'、'.join(sorted(unknown))}", path=source)
    n = raw.get("notice")
    if not isinstance(n, Mapping) or not isinstance(n.get("title"), str) or not n["title"].strip():
        raise HolidayFileError("缺少 [notice] title：请写明国务院办公厅通知的标题作为来源", path=source)
    if set(n) - _NOTICE_FIELDS:
        raise HolidayFileError(f"[notice] 未知字段：{'、'.join(sorted(set(n) - _NOTICE_FIELDS))}", path=source)
    notice = Notice(
        title=n["title"],
        number=str(n.get("number", "")),
        date=_date(n["date"], "[notice] date", source) if "date" in n else None,
        checked=str(n.get("checked", "")),
    )
    items = raw.get("breaks")
    if not isinstance(items, list) or not items:
        raise HolidayFileError(
            "缺少 [[breaks]]：至少应有一个放假安排"
            "（用 xxgk calendar template 生成的文件，请按通知填写日期并去掉行首的 #）",
            path=source,
        )
    breaks: list[Break] = []
    for i, b in enumerate(items, start=1):
        where = f"第{i}个 [[breaks]]"
        if not isinstance(b, Mapping):
            raise HolidayFileError(f"{where} 格式不对", path=source)
        if set(b) - _BREAK_FIELDS or not {"name", "first_day_off", "last_day_off"} <= set(b):
            raise HolidayFileError(
                f"{where} 应有且只有 name、first_day_off、last_day_off、make_up_workdays 四项", path=source
            )
        first = _date(b["first_day_off"], f"{where} first_day_off", source)
        last = _date(b["last_day_off"], f"{where} last_day_off", source)
        work_raw = b.get("make_up_workdays", [])
        if not isinstance(work_raw, list):
            raise HolidayFileError(f"{where} make_up_workdays 应为日期列表", path=source)
        work = tuple(_date(w, f"{where} make_up_workdays", source) for w in work_raw)
        breaks.append(Break(str(b["name"]), first, last, work))
    _check_consistency(year, breaks, source)
    return YearArrangement(year, notice, tuple(breaks), source)


def _check_consistency(year: int, breaks: list[Break], source: str) -> None:
    seen_off: dict[date, str] = {}
    seen_work: dict[date, str] = {}
    for b in breaks:
        if b.first_day_off > b.last_day_off:
            raise HolidayFileError(f"「{b.name}」放假首日 {b.first_day_off} 晚于末日 {b.last_day_off}", path=source)
        for d in (b.first_day_off, b.last_day_off, *b.make_up_workdays):
            if d.year != year:
                raise HolidayFileError(f"「{b.name}」的日期 {d} 不在{year}年内", path=source)
        for d in b.days_off():
            if d in seen_off:
                raise HolidayFileError(f"{d} 同时属于「{seen_off[d]}」和「{b.name}」的放假日", path=source)
            seen_off[d] = b.name
        for d in b.make_up_workdays:
            if d.weekday() < 5:
                raise HolidayFileError(f"「{b.name}」的调休上班日 {d} 不是周六或周日", path=source)
            if d in seen_work:
                raise HolidayFileError(f"调休上班日 {d} 重复出现", path=source)
            seen_work[d] = b.name
    both = sorted(set(seen_off) & set(seen_work))
    if both:
        raise HolidayFileError(f"{both[0]} 既是放假日又是调休上班日", path=source)


HOLIDAY_NAMES = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")


def arrangement_template(year: int) -> str:
    """A starter file for one year's arrangement (`xxgk calendar template 2027 > 2027.toml`): every field
    explained in Chinese, the holidays listed but commented out, so that nothing is guessed: an unfilled
    template is refused by `calendar add`."""
    if not 1949 < year < 2200:
        raise HolidayFileError(f"年份应在1950至2199之间：{year}")
    lines = [
        f"# {year}年法定节假日安排（供 xxgk calendar add {year}.toml 使用）",
        "#",
        f"# 请对照国务院办公厅关于{year}年部分节假日安排的通知逐项填写：",
        "#   1. 填写 [notice] 中通知的标题、文号和发布日期；",
        "#   2. 每个假日去掉 [[breaks]] 一段行首的 #，填写放假首日、末日和调休上班日；",
        "#      日期写作 YYYY-MM-DD，不加引号；没有调休上班日时写 make_up_workdays = []；",
        "#   3. 保存后运行 xxgk calendar add 本文件，再用 xxgk calendar check 核对。",
        "# 调休上班日必须是周六或周日；同一天不能既放假又上班。",
        "",
        f"year = {year}",
        "",
        "[notice]",
        f'title = "国务院办公厅关于{year}年部分节假日安排的通知"',
        f'number = "国办发明电〔{year - 1}〕X号"  # 通知文号',
        f"# date = {year - 1}-11-01  # 通知发布日期",
        '# checked = "已与通知原文逐日核对"  # 核对情况（可省略）',
        "",
    ]
    for name in HOLIDAY_NAMES:
        lines += [
            "# [[breaks]]",
            f'# name = "{name}"',
            f"# first_day_off = {year}-MM-DD  # 放假首日",
            f"# last_day_off = {year}-MM-DD  # 放假末日",
            f"# make_up_workdays = []  # 调休上班日，如 [{year}-MM-DD, {year}-MM-DD]",
            "",
        ]
    return "\n".join(lines)


def load_arrangement_file(path: str | Path) -> YearArrangement:
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except OSError as e:
        raise HolidayFileError(f"无法读取文件：{e.strerror or e}", path=str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise HolidayFileError(f"不是有效的 TOML 文件：{e}", path=str(path)) from None
    if path.stem.isdigit() and int(path.stem) != raw.get("year"):
        raise HolidayFileError(f"文件名年份 {path.stem} 与 year = {raw.get('year')} 不一致", path=str(path))
    return parse_arrangement(raw, str(path))


@cache
def builtin_arrangements() -> Mapping[int, YearArrangement]:
    """The arrangements shipped with xxgk (xxgk/ledger/holidays/*.toml), by year."""
    out: dict[int, YearArrangement] = {}
    for entry in resources.files("xxgk.ledger").joinpath("holidays").iterdir():
        if entry.name.endswith(".toml"):
            arrangement = parse_arrangement(tomllib.loads(entry.read_text("utf-8")), f"xxgk:holidays/{entry.name}")
            out[arrangement.year] = arrangement
    return dict(sorted(out.items()))


def user_arrangements(directory: Path | None) -> dict[int, YearArrangement]:
    """User-supplied arrangements (<directory>/<year>.toml); a file that fails validation is an error."""
    if directory is None or not directory.is_dir():
        return {}
    out: dict[int, YearArrangement] = {}
    for path in sorted(directory.glob("*.toml")):
        arrangement = load_arrangement_file(path)
        out[arrangement.year] = arrangement
    return out


# ---------------------------------------------------------------------------------------------
# Settings and the calendar


def default_user_dir() -> Path:
    home = os.environ.get(HOME_ENV)
    base = Path(home).expanduser() if home else Path.home() / ".xxgk"
    return base / HOLIDAYS_SUBDIR


@dataclass(frozen=True)
class CalendarSettings:
    """`user_dir`: where user arrangement files live (default `$XXGK_HOME/holidays`, else ~/.xxgk/holidays);
    `use_user_files=False` gives the shipped table only (tests, reproducible runs)."""

    user_dir: Path | None = None
    use_user_files: bool = True

    def resolved_user_dir(self) -> Path:
        return self.user_dir if self.user_dir is not None else default_user_dir()


class WorkCalendar:
    """Working days of the loaded years. Every query on a date outside them raises YearNotCoveredError."""

    def __init__(self, arrangements: Mapping[int, YearArrangement]) -> None:
        self.arrangements: dict[int, YearArrangement] = dict(sorted(arrangements.items()))
        self._ords: list[int] = sorted(d.toordinal() for a in self.arrangements.values() for d in a.workdays())
        self._fingerprint: str | None = None

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(self.arrangements)

    @property
    def fingerprint(self) -> str:
        """Identifies the working days this calendar knows: equal fingerprints give equal deadlines. Stored
        deadlines computed with another calendar (a year added or changed since) are recomputed."""
        if self._fingerprint is None:
            self._fingerprint = hashlib.sha1(array("q", self._ords).tobytes()).hexdigest()[:16]
        return self._fingerprint

    def require(self, year: int) -> None:
        if year not in self.arrangements:
            raise YearNotCoveredError(year)

    def _require_span(self, first: int, last: int) -> None:
        for y in range(first, last + 1):
            self.require(y)

    def is_workday(self, d: date) -> bool:
        arrangement = self.arrangements.get(d.year)
        if arrangement is None:
            raise YearNotCoveredError(d.year)
        return arrangement.is_workday(d)

    def nth_workday_after(self, d0: date, n: int) -> date:
        """The n-th working day strictly after d0 (n ≥ 1; d0 itself is never counted)."""
        if n < 1:
            raise ValueError("n must be >= 1")
        self.require(d0.year)
        i = bisect_right(self._ords, d0.toordinal()) + n - 1
        if i >= len(self._ords):
            last = max(self.arrangements)
            self._require_span(d0.year, last + 1)
        result = date.fromordinal(self._ords[i])
        if result.year > d0.year:
            self._require_span(d0.year, result.year)
        return result

    def workdays_between(self, a: date, b: date) -> int:
        """Number of working days d with a < d <= b (0 when b <= a)."""
        if b <= a:
            return 0
        self._require_span(a.year, b.year)
        return bisect_right(self._ords, b.toordinal()) - bisect_right(self._ords, a.toordinal())

    def next_workday_on_or_after(self, d: date) -> date:
        return d if self.is_workday(d) else self.nth_workday_after(d, 1)

    def last_workday_on_or_before(self, d: date) -> date:
        """The latest working day ≤ d (a deadline before it has at least one working day past it)."""
        self.require(d.year)
        i = bisect_right(self._ords, d.toordinal())
        if i == 0:
            raise YearNotCoveredError(d.year - 1)
        result = date.fromordinal(self._ords[i - 1])
        if result.year < d.year:
            self._require_span(result.year, d.year)
        return result


def load_calendar(settings: CalendarSettings | None = None) -> WorkCalendar:
    """The shipped arrangements, overridden year by year by the user's files."""
    settings = settings or CalendarSettings()
    arrangements = dict(builtin_arrangements())
    if settings.use_user_files:
        arrangements.update(user_arrangements(settings.resolved_user_dir()))
    return WorkCalendar(arrangements)


@cache
def builtin_calendar() -> WorkCalendar:
    """The shipped arrangements only (no user files)."""
    return WorkCalendar(builtin_arrangements())


def add_user_file(path: str | Path, settings: CalendarSettings | None = None) -> tuple[YearArrangement, Path]:
    """Validate a user's arrangement file and install it as <user_dir>/<year>.toml (replacing an older one)."""
    settings = settings or CalendarSettings()
    arrangement = load_arrangement_file(path)
    directory = settings.resolved_user_dir()
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{arrangement.year}.toml"
    if Path(path).resolve() != target.resolve():
        shutil.copyfile(path, target)
    return arrangement, target


def cross_check(arrangement: YearArrangement) -> list[date]:
    """Days of the year on which `chinesecalendar` disagrees with the arrangement (empty when they agree).

    Raises CalendarError when the installed chinesecalendar does not cover the year.
    """
    import chinese_calendar

    disagree = []
    d = date(arrangement.year, 1, 1)
    while d.year == arrangement.year:
        try:
            theirs = bool(chinese_calendar.is_workday(d))
        except NotImplementedError:
            raise CalendarError(f"已安装的 chinesecalendar 不含{arrangement.year}年的数据，无法核对") from None
        if theirs != arrangement.is_workday(d):
            disagree.append(d)
        d += ONE_DAY
    return disagree
