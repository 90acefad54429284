"""Tables are never cut: wrapped on a terminal of 80 columns, tab-separated when piped."""

from __future__ import annotations

import io

from rich.console import Console
from typer.testing import CliRunner

from xxgk.api import read_report
from xxgk.cli import render
from xxgk.cli.main import app
from xxgk.rules import RULES

from .conftest import SEEDS

runner = CliRunner()
LONG_LABEL = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"


def _terminal(width: int = 80) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=True, color_system=None, width=width), buffer


def test_parse_piped_is_tab_separated_with_whole_labels() -> None:
    result = runner.invoke(app, ["parse", str(SEEDS[0])])
    rows = [line.split("\t") for line in result.stdout.splitlines() if "\t" in line]
    labels = [row[0] for row in rows]
    assert LONG_LABEL in labels  # (whole: it was cut at 24 characters before)
    assert any(label.startswith("1.属于") and len(label) > 5 for label in labels)
    assert len(next(row for row in rows if row[0] == LONG_LABEL)) == 8  # (the label and 表三's 7 columns)


def test_parse_on_an_80_column_terminal_wraps_and_cuts_nothing() -> None:
    console, buffer = _terminal()
    render.print_report(console, read_report(SEEDS[0]))
    text = buffer.getvalue()
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
    # the first column's pieces, line by line, give the whole label back
    first_column = "".join(
        line.split("┃" if "┃" in line else "│")[1].strip() for line in text.splitlines() if line.startswith(("│", "┃"))
    )
    assert LONG_LABEL in first_column


def test_rules_on_an_80_column_terminal_keep_every_code_and_slug() -> None:
    console, buffer = _terminal()
    render.print_rules(console, list(RULES.values()))
    text = buffer.getvalue()
    assert "…" not in text
    for rule in RULES.values():
        assert f"│ {rule.code} │" in text
        assert rule.name in text.replace(" ", "") or rule.name in "".join(
            line.split("│")[3].strip() for line in text.splitlines() if line.count("│") >= 4
        )


def test_rules_name_column_is_chinese_with_the_slug_beside_it() -> None:
    rows = [line.split("\t") for line in runner.invoke(app, ["rules"]).stdout.splitlines()[1:]]
    assert rows[0] == ["代码", "名称", "英文名", "级别"]
    c011 = next(row for row in rows if row[0] == "C011")
    assert c011[1] == RULES["C011"].title and c011[2] == RULES["C011"].name
