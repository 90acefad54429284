"""xxgk.api: the one entry point of reading and checking (and `import xxgk` stays light)."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

import xxgk
from xxgk import api
from xxgk.errors import UnknownRuleCodeError, UnreadableInputError, XxgkError
from xxgk.examples import __path__ as _examples_path
from xxgk.readers.base import RawDocument
from xxgk.report import Report
from xxgk.settings import ReadSettings

SEED = sorted(Path(_examples_path[0]).glob("*.txt"))[0]
CORPUS = Path(__file__).parent / "fixtures/corpus"
HTML = CORPUS / "009-putian-yingjiju-2023.html"
MANY_FINDINGS = CORPUS / "011-putian-chengguanju-2024.txt"  # findings of three families (C, D, R)


def _dump(report: Report) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, sort_keys=True)


@pytest.mark.parametrize("path", [SEED, HTML], ids=["txt", "html"])
def test_bytes_give_the_report_of_the_file_of_the_same_name(path: Path) -> None:
    from_file = api.read(path)
    from_bytes = api.read(path.read_bytes(), name=str(path))
    assert _dump(from_bytes) == _dump(from_file)
    assert [f.to_json(from_file.spec) for f in api.check(from_bytes)] == [
        f.to_json(from_file.spec) for f in api.check(from_file)
    ]


def test_a_name_given_with_a_path_is_the_name_the_report_carries() -> None:
    report = api.read(SEED, name="某镇2024年报告.txt")
    assert report.path == "某镇2024年报告.txt"
    assert {c.source.file for c in report.cells.values() if c.source} == {"某镇2024年报告.txt"}


def test_bytes_without_a_name_and_unusable_bytes() -> None:
    assert api.read(SEED.read_bytes()).path == api.UNNAMED
    with pytest.raises(UnreadableInputError, match="文件为空"):
        api.read(b"  \n", name="空.txt")
    with pytest.raises(UnreadableInputError, match="文件过大"):
        api.read(b"x" * 2000, name="大.txt", settings=ReadSettings(max_bytes=1000))


def test_select_and_ignore_take_codes_or_prefixes_like_the_cli() -> None:
    report = api.read(MANY_FINDINGS)
    every = {f.code for f in api.check(report)}
    assert len({c[0] for c in every}) >= 2  # (the report has findings of more than one family)
    family = sorted(every)[0][0]
    assert {f.code for f in api.check(report, select=family)} == {c for c in every if c.startswith(family)}
    assert {f.code for f in api.check(report, ignore=[family])} == {c for c in every if not c.startswith(family)}
    one = sorted(every)[-1]
    assert {f.code for f in api.check(report, select=f"{one.lower()}, {family}")} == {
        c for c in every if c == one or c.startswith(family)
    }


def test_unknown_rule_codes_are_a_zh_cn_error() -> None:
    with pytest.raises(UnknownRuleCodeError) as info:
        api.check(api.read(SEED), select=["C", "Z9,Q1"])
    assert isinstance(info.value, XxgkError)
    assert info.value.message == "未知的规则代码：Q1、Z9（用 xxgk rules 查看目录）"
    assert api.rule_codes(None) == frozenset()
    assert api.rule_codes([" c01 ,D"]) == frozenset({"C01", "D"})


def test_the_first_names_are_aliases() -> None:
    report, findings = api.check_file(SEED)
    assert _dump(api.read_report(SEED)) == _dump(report) == _dump(api.read(SEED))
    assert api.check_report(report) == findings == api.check(report)
    assert xxgk.read is api.read and xxgk.check_report is api.check_report


def test_reading_leaves_the_garbage_collector_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """api.read is called by threaded servers: it must not switch the process-wide collector off."""
    states: list[bool] = []
    from xxgk import recognize as recognize_module

    real = recognize_module.recognize

    def spy(doc: RawDocument, format_id: str = "gov2021") -> object:
        states.append(gc.isenabled())
        return real(doc, format_id)

    monkeypatch.setattr(recognize_module, "recognize", spy)
    assert gc.isenabled()
    api.read(SEED)
    assert states == [True]
    with api.gc_paused():  # (the batch CLI's choice, for itself)
        assert not gc.isenabled()
    assert gc.isenabled()


def test_importing_xxgk_loads_nothing_heavy() -> None:
    heavy = ("lxml", "pypdfium2", "django", "docx", "weasyprint", "openpyxl", "xxgk.readers", "xxgk.rules")
    code = f"import sys, xxgk; print([m for m in {heavy!r} if m in sys.modules])"
    src = str(Path(xxgk.__file__).parent.parent)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": src})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
    attrs = "import xxgk; print(xxgk.read.__module__, xxgk.XxgkError.__name__)"
    out = subprocess.run([sys.executable, "-c", attrs], capture_output=True, text=True, env={"PYTHONPATH": src})
    assert out.stdout.split() == ["xxgk.api", "XxgkError"]


def test_a_word_file_from_bytes_is_the_file(tmp_path: Path) -> None:
    import random

    pytest.importorskip("docx")
    from tests.docxgen import python_docx_report
    from tests.generate import random_consistent_tables

    data = python_docx_report(random_consistent_tables(random.Random(7)))
    path = tmp_path / "报告.docx"
    path.write_bytes(data)
    from_file = api.read(path)
    assert from_file.meta.agency and not any(c.missing for c in from_file.cells.values())
    assert _dump(api.read(data, name=str(path))) == _dump(from_file)
