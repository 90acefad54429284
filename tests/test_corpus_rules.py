"""The X rules over several reports: each fires on a case built for it, and stays silent on its twin."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from xxgk.api import read_report
from xxgk.corpus.crossrules import CrossSettings, check_corpus
from xxgk.corpus.deadlines import load_deadlines
from xxgk.corpus.records import CorpusReport, from_report
from xxgk.errors import XxgkError
from xxgk.rules import RULES

from .conftest import CORPUS
from .corpus_gen import random_text, write_corpus


def codes(results: list) -> list[str]:  # type: ignore[type-arg]
    return [r.finding.code for r in results]


def records(paths: list[Path]) -> list[CorpusReport]:
    return [from_report(read_report(p), n) for n, p in enumerate(paths, 1)]


def generated(tmp_path: Path, agencies: int = 2, years: tuple[int, ...] = (2023, 2024)) -> list[CorpusReport]:
    made = write_corpus(tmp_path, [f"某某市第{n}局" for n in range(agencies)], list(years), seed=11)
    return records([path for path, _ in made.values()])


def test_every_x_rule_is_in_the_catalogue() -> None:
    x = [code for code in RULES if code.startswith("X")]
    assert x == ["X011", "X021", "X031", "X032", "X041", "X042", "X043", "X051", "X052", "X061", "X071", "X072"]


def test_carry_over_on_real_pairs_holds() -> None:
    sanming = records([*sorted(CORPUS.glob("00[1-5]-sanming-*.txt")), CORPUS / "902-sanming-shizf-2020.txt"])
    by_year = {r.year: r for r in sanming}
    assert by_year[2022].cells["t3.carried_over_out.total"] == by_year[2023].cells["t3.carried_over_in.total"] == 1
    assert by_year[2024].cells["t3.carried_over_out.total"] == by_year[2025].cells["t3.carried_over_in.total"] == 11
    assert by_year[2020].spec_id == "gov2019" and by_year[2021].spec_id == "gov2021"
    assert "X011" not in codes(check_corpus(sanming))


def test_carry_over_mismatch_fires_per_column_and_across_formats() -> None:
    sanming = records([CORPUS / "004-sanming-shizf-2024.txt", CORPUS / "005-sanming-shizf-2025.txt"])
    changed = dict(sanming[1].cells)
    changed["t3.carried_over_in.total"] = 12
    changed["t3.carried_over_in.natural_person"] = 12
    results = check_corpus([sanming[0], replace(sanming[1], cells=changed)])
    carry = [r for r in results if r.finding.code == "X011"]
    assert sorted(r.finding.location for r in carry) == [
        "t3.carried_over_in.natural_person",
        "t3.carried_over_in.total",
    ]
    total = next(r for r in carry if r.finding.location.endswith("total"))
    assert (total.finding.expected, total.finding.found) == (11, 12)
    assert "2024年度报告" in total.message and "11" in total.message
    # the 2019 format's 结转下年度 against the 2021 format's 上年结转 (2020 → 2021)
    pair = records([CORPUS / "902-sanming-shizf-2020.txt", CORPUS / "001-sanming-shizf-2021.txt"])
    cells = dict(pair[0].cells)
    cells["t3.carried_over_out.total"] = 3
    (mismatch,) = [r for r in check_corpus([replace(pair[0], cells=cells), pair[1]]) if r.finding.code == "X011"]
    assert mismatch.finding.expected == 3 and mismatch.finding.found == pair[1].cells["t3.carried_over_in.total"]


def test_generated_corpus_is_consistent_and_a_broken_stock_is_warned(tmp_path: Path) -> None:
    reports = generated(tmp_path)
    assert not {"X011", "X021", "X031", "X032", "X041", "X042"} & set(codes(check_corpus(reports)))
    last = reports[1]
    cells = dict(last.cells)
    cells["t2.regulations.in_force"] = int(cells["t2.regulations.in_force"]) + 7  # type: ignore[arg-type]
    results = check_corpus([reports[0], replace(last, cells=cells), *reports[2:]])
    (stock,) = [r for r in results if r.finding.code == "X021"]
    assert stock.finding.location == "t2.regulations.in_force" and stock.finding.params["difference"] == 7
    assert "相差 7" in stock.message


def _with_section(report: CorpusReport, key: str, text: str, **changes: object) -> CorpusReport:
    return replace(report, sections={**report.sections, key: text}, **changes)  # type: ignore[arg-type]


def _edited(text: str, share: float, rng: random.Random) -> str:
    """`text` with `share` of it replaced, in a few runs (as an editor rewrites sentences)."""
    chars = list(text)
    run = 15
    for start in rng.sample(range(0, len(chars) - run, run), int(len(chars) * share / run)):
        chars[start : start + run] = random_text(rng, run - 1)
    return "".join(chars)


def test_text_copied_from_last_year_and_from_another_agency(tmp_path: Path) -> None:
    rng = random.Random(4)
    a23, a24, b23, b24, c23, c24 = generated(tmp_path, agencies=3)
    base = random_text(rng, 600)
    copy = _edited(base, 0.10, rng)
    reports = [
        _with_section(a23, "s5_problems", base),
        _with_section(a24, "s5_problems", copy),
        b23,
        _with_section(b24, "s1_overview", copy),
        c23,
        _with_section(c24, "s1_overview", base),
    ]
    results = check_corpus(reports)
    (own,) = [r for r in results if r.finding.code == "X031"]
    assert own.report_id == a24.id and own.finding.location == "s5_problems"
    assert 0.6 < own.finding.found < 0.95 and "2023年度报告" in own.message and "“" in own.message
    cross = [r for r in results if r.finding.code == "X032"]
    assert {(r.report_id, r.finding.location) for r in cross} == {(b24.id, "s1_overview"), (c24.id, "s1_overview")}
    assert all(0.6 < r.finding.found <= 1.0 for r in cross)
    # texts that share nothing above the threshold: no finding
    other = _with_section(a24, "s5_problems", _edited(base, 0.7, rng))
    assert "X031" not in codes(check_corpus([reports[0], other, b23, b24, c23, c24]))


def test_missing_and_two_different_reports(tmp_path: Path) -> None:
    a23, a24, b23, b24 = generated(tmp_path)
    results = check_corpus([a23, a24, b23])
    (missing,) = [r for r in results if r.finding.code == "X041"]
    assert (missing.agency_key, missing.year) == (b24.agency_key, 2024)
    assert "X041" not in codes(check_corpus([a23, a24, b23, b24]))
    # b24's tables under a24's agency and year: two different reports
    other = replace(b24, id=50, agency_key=a24.agency_key, version=2, sections=a24.sections)
    versions = check_corpus([a23, other, b23, b24], versions=[a24, other])
    assert "X042" in codes(versions) and "X043" not in codes(versions)
    # one cell changed: the same report modified
    cells = dict(a24.cells)
    cells["t4.review.total"] = int(cells["t4.review.total"]) + 1  # type: ignore[arg-type]
    modified = replace(a24, id=51, version=2, cells=cells, published_on=date(2025, 2, 3))
    found = check_corpus([a23, modified, b23, b24], versions=[a24, modified])
    (x043,) = [r for r in found if r.finding.code == "X043"]
    assert "X042" not in codes(found)
    assert x043.finding.found == ["t4.review.total"] and "2025-02-03" in x043.message


def test_fee_and_section_six() -> None:
    (report,) = records([CORPUS / "005-sanming-shizf-2025.txt"])
    silent = replace(report, cells={**report.cells, "t3.other_fee_unpaid.total": 2}, sections={"s6_other": "无。"})
    assert codes(check_corpus([silent])).count("X051") == 1
    said = _with_section(silent, "s6_other", "本年度未收取信息处理费，发出收费通知2件，申请人均未缴费。")
    assert "X051" not in codes(check_corpus([said]))
    charged = replace(report, cells={**report.cells, "t3.other_fee_unpaid.total": 0})
    charged = _with_section(charged, "s6_other", "本年度共收取信息处理费300元。")
    assert codes(check_corpus([charged])).count("X052") == 1
    not_charged = _with_section(charged, "s6_other", "本年度未收取信息处理费。")
    assert "X052" not in codes(check_corpus([not_charged]))


def test_deadline_table_by_level_with_provenance(tmp_path: Path) -> None:
    (report,) = records([CORPUS / "006-putian-tongjiju-2021.txt"])
    assert report.published_on == date(2022, 1, 13) and report.kind == "department"
    assert "X061" not in codes(check_corpus([report]))
    late = replace(report, published_on=None, source_published_at=datetime(2022, 2, 8, 9, 0))
    (x061,) = [r for r in check_corpus([late]) if r.finding.code == "X061"]
    assert "来源网页的发布时间" in x061.message and "第四十九条" in x061.message
    local = tmp_path / "deadlines.toml"
    local.write_text(
        '[[deadline]]\nname = "莆田市市直部门"\nkind = "department"\nregion = "莆田市"\nmonth = 1\nday = 10\n'
        'notice = "莆田市政务公开办通知（示例）"\n',
        "utf-8",
    )
    table = load_deadlines(local)
    (x061,) = [r for r in check_corpus([report], settings=CrossSettings(deadlines=table)) if r.finding.code == "X061"]
    assert x061.finding.expected == "2022-01-10" and "落款日期" in x061.message and "示例" in x061.message
    local.write_text('[[deadline]]\nname = "x"\nmonth = 13\nday = 1\nnotice = "n"\n', "utf-8")
    try:
        load_deadlines(local)
    except XxgkError as e:
        assert "第1个" in e.message and "13月" in e.message
    else:
        raise AssertionError("an invalid date must be refused")


def test_fingerprints_do_not_depend_on_the_file(tmp_path: Path) -> None:
    reports = generated(tmp_path)
    cells = dict(reports[1].cells)
    cells["t3.carried_over_in.total"] = 999
    broken = replace(reports[1], cells=cells)
    first = {r.fingerprint for r in check_corpus([reports[0], broken])}
    moved = replace(broken, id=77, path="elsewhere.html", provenance={"x": {"line": 3}})
    assert {r.fingerprint for r in check_corpus([reports[0], moved])} == first


def test_the_corpus_core_never_imports_django() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import xxgk.corpus.crossrules, xxgk.corpus.similarity, xxgk.corpus.summary, xxgk.corpus.export\n"
        "import xxgk.corpus.ingest, xxgk.corpus.review, xxgk.corpus.agencies, xxgk.corpus.overrides\n"
        "import xxgk.corpus.sources, xxgk.corpus.changes, xxgk.corpus.records, xxgk.corpus.charts\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    src = str(Path(__file__).resolve().parents[1] / "src")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": src})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
