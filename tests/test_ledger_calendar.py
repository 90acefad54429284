"""Working-day calendar: the shipped table agrees with chinesecalendar, 调休, uncovered years, user files."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from xxgk.errors import XxgkError
from xxgk.ledger.calendar import (
    CalendarSettings,
    add_user_file,
    builtin_arrangements,
    builtin_calendar,
    cross_check,
    load_arrangement_file,
    load_calendar,
)
from xxgk.ledger.deadlines import reply_due
from xxgk.ledger.errors import HolidayFileError, YearNotCoveredError

CAL = builtin_calendar()

# 2027 as a user would write it once the notice is out (dates invented for the test).
USER_2027 = """\
year = 2027

[notice]
title = "国务院办公厅关于2027年部分节假日安排的通知"
number = "国办发明电〔2026〕X号"
date = 2026-11-01

[[breaks]]
name = "元旦"
first_day_off = 2027-01-01
last_day_off = 2027-01-03
make_up_workdays = []

[[breaks]]
name = "春节"
first_day_off = 2027-02-05
last_day_off = 2027-02-13
make_up_workdays = [2027-01-31, 2027-02-20]
"""


@pytest.mark.parametrize("year", sorted(builtin_arrangements()))
def test_table_agrees_with_chinesecalendar_every_day(year: int) -> None:
    assert cross_check(builtin_arrangements()[year]) == []


def test_required_years_are_shipped_with_their_notice() -> None:
    arrangements = builtin_arrangements()
    assert {2024, 2025, 2026} <= set(arrangements)
    for year, a in arrangements.items():
        assert a.notice.title == f"国务院办公厅关于{year}年部分节假日安排的通知"
        assert a.notice.number.startswith("国办发明电〔")
        assert a.notice.date is not None and a.notice.date.year == year - 1
    assert arrangements[2025].notice.number == "国办发明电〔2024〕12号"


@pytest.mark.parametrize(
    ("year", "make_up"),
    [
        (2024, ["02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12"]),
        (2025, ["01-26", "02-08", "04-27", "09-28", "10-11"]),
        (2026, ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"]),
    ],
)
def test_make_up_working_days_match_the_spec(year: int, make_up: list[str]) -> None:
    """disclosure-rules.md §2.1 table: the weekend days that are working days."""
    expected = {date.fromisoformat(f"{year}-{md}") for md in make_up}
    assert builtin_arrangements()[year].make_up_workdays == expected
    d, weekend_workdays = date(year, 1, 1), set()
    while d.year == year:
        if d.weekday() >= 5 and CAL.is_workday(d):
            weekend_workdays.add(d)
        d += timedelta(days=1)
    assert weekend_workdays == expected


def test_spring_festival_2026_with_make_up_saturdays() -> None:
    assert CAL.is_workday(date(2026, 2, 14))  # Saturday, 调休上班
    assert not any(CAL.is_workday(date(2026, 2, d)) for d in range(15, 24))  # 2月15–23日 off
    assert CAL.is_workday(date(2026, 2, 24))
    assert CAL.is_workday(date(2026, 2, 28))  # Saturday, 调休上班
    assert not CAL.is_workday(date(2026, 3, 1))  # ordinary Sunday


def test_national_day_2025_with_make_up_sunday_and_saturday() -> None:
    assert CAL.is_workday(date(2025, 9, 28))  # Sunday
    assert not any(CAL.is_workday(date(2025, 10, d)) for d in range(1, 9))
    assert CAL.is_workday(date(2025, 10, 11))  # Saturday
    assert CAL.nth_workday_after(date(2025, 9, 30), 1) == date(2025, 10, 9)


def test_counting_across_the_year_boundary() -> None:
    assert CAL.nth_workday_after(date(2025, 12, 31), 1) == date(2026, 1, 4)  # 1–3 off, Sunday 4 worked
    assert CAL.nth_workday_after(date(2025, 12, 31), 2) == date(2026, 1, 5)
    assert CAL.nth_workday_after(date(2025, 12, 30), 2) == date(2026, 1, 4)
    assert CAL.workdays_between(date(2025, 12, 31), date(2026, 1, 5)) == 2


def test_uncovered_year_is_an_error_never_a_guess() -> None:
    with pytest.raises(YearNotCoveredError) as info:
        CAL.is_workday(date(2027, 3, 1))
    assert isinstance(info.value, XxgkError)
    assert info.value.message == (
        "尚无2027年的法定节假日安排数据：请在国务院办公厅发布通知后，"
        "用 xxgk calendar template 2027 > 2027.toml 生成文件、按通知填写，再用 xxgk calendar add 2027.toml 添加"
    )
    with pytest.raises(YearNotCoveredError, match="尚无2027年"):
        reply_due(CAL, date(2026, 12, 10))  # the 20th working day falls in 2027
    with pytest.raises(YearNotCoveredError, match="尚无2020年"):
        CAL.nth_workday_after(date(2020, 6, 1), 3)


def test_user_file_adds_a_year(tmp_path: Path) -> None:
    src = tmp_path / "2027.toml"
    src.write_text(USER_2027, "utf-8")
    settings = CalendarSettings(user_dir=tmp_path / "home" / "holidays")
    arrangement, target = add_user_file(src, settings)
    assert target == tmp_path / "home" / "holidays" / "2027.toml" and target.exists()
    cal = load_calendar(settings)
    assert 2027 in cal.years
    assert not cal.is_workday(date(2027, 2, 8))  # Monday in the 春节 break
    assert cal.is_workday(date(2027, 1, 31))  # Sunday, make-up day
    assert reply_due(cal, date(2026, 12, 10)) == date(2027, 1, 8)
    assert arrangement.notice.number == "国办发明电〔2026〕X号"


def test_user_file_takes_precedence(tmp_path: Path) -> None:
    text = (tmp_path / "x").parent / "2026.toml"
    text.write_text(
        "\n".join(
            [
                "year = 2026",
                "[notice]",
                'title = "测试用安排"',
                "[[breaks]]",
                'name = "假想假日"',
                "first_day_off = 2026-03-02",
                "last_day_off = 2026-03-02",
                "make_up_workdays = []",
            ]
        ),
        "utf-8",
    )
    cal = load_calendar(CalendarSettings(user_dir=tmp_path))
    assert not cal.is_workday(date(2026, 3, 2))
    assert not cal.is_workday(date(2026, 2, 14))  # the shipped make-up Saturday is gone with the shipped file
    assert builtin_calendar().is_workday(date(2026, 3, 2))
    assert (
        not load_calendar(CalendarSettings(user_dir=tmp_path, use_user_files=False))
        .arrangements[2026]
        .source.startswith(str(tmp_path))
    )


def test_default_user_dir_comes_from_xxgk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_HOME", str(tmp_path))
    (tmp_path / "holidays").mkdir()
    (tmp_path / "holidays" / "2027.toml").write_text(USER_2027, "utf-8")
    assert 2027 in load_calendar().years


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("make_up_workdays = [2027-01-31, 2027-02-20]", "make_up_workdays = [2027-02-01]"), "不是周六或周日"),
        (("last_day_off = 2027-01-03", "last_day_off = 2028-01-03"), "不在2027年内"),
        (("first_day_off = 2027-02-05", "first_day_off = 2027-02-15"), "晚于末日"),
        (
            ("make_up_workdays = [2027-01-31, 2027-02-20]", "make_up_workdays = [2027-02-06]"),
            "既是放假日又是调休上班日",
        ),
        (("first_day_off = 2027-02-05", "first_day_off = 2027-01-02"), "同时属于"),
        (('title = "国务院办公厅关于2027年部分节假日安排的通知"', 'title = ""'), "缺少 [notice] title"),
        (("date = 2026-11-01", 'date = "昨天"'), "应为日期"),
        (("year = 2027", "year = 2028"), "文件名年份 2027 与 year = 2028 不一致"),
        (('[[breaks]]\nname = "元旦"', '[[breaks]]\nnom = "元旦"'), "应有且只有"),
        (("year = 2027", "year = 2027\nyaer = 1"), "未知字段"),
        (("date = 2026-11-01", "date = 2026-11-01 ="), "不是有效的 TOML"),
    ],
)
def test_bad_user_file_is_rejected_with_a_message(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    old, new = edit
    assert old in USER_2027
    path = tmp_path / "2027.toml"
    path.write_text(USER_2027.replace(old, new, 1), "utf-8")
    with pytest.raises(HolidayFileError, match=message.replace("[", r"\[").replace("]", r"\]")) as info:
        load_arrangement_file(path)
    assert info.value.path == str(path)
    with pytest.raises(HolidayFileError):
        add_user_file(path, CalendarSettings(user_dir=tmp_path / "dest"))
    assert not (tmp_path / "dest" / "2027.toml").exists()
