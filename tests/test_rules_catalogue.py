"""The rule catalogue: stable codes, complete documentation, CLI listing."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from xxgk.cli.main import app
from xxgk.findings import Severity
from xxgk.rules import RULES

runner = CliRunner()


def test_codes_are_well_formed_and_named() -> None:
    assert len(RULES) >= 35
    for code, rule in RULES.items():
        assert re.fullmatch(r"[ABCDRX]\d{3}", code), code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name
        assert isinstance(rule.severity, Severity)
    names = [r.name for r in RULES.values()]
    assert len(names) == len(set(names))


def test_every_rule_is_documented_in_chinese() -> None:
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for rule in RULES.values():
        for field in (rule.title, rule.message, rule.what, rule.why, rule.example):
            assert field and cjk.search(field), (rule.code, field)
        explained = rule.explain()
        for heading in ("## 检查内容", "## 为何是问题", "## 示例"):
            assert heading in explained


def test_identity_rules_are_the_ones_the_spec_names() -> None:
    from xxgk.format import load_format

    for identity in load_format().identities:
        assert identity.rule in RULES and RULES[identity.rule].check is not None


def test_cli_lists_and_explains() -> None:
    listed = runner.invoke(app, ["rules"])
    assert listed.exit_code == 0
    for code in ("A011", "B021", "C011", "C061", "D031", "R001"):
        assert code in listed.output
    one = runner.invoke(app, ["rules", "c041"])
    assert one.exit_code == 0
    assert "总计等于" in one.output or "总计" in one.output
    assert "## 为何是问题" in one.output
    missing = runner.invoke(app, ["rules", "Z999"])
    assert missing.exit_code == 2
