"""Commands whose modules are imported only when they run or show their own help.

`xxgk --help` lists every command with its one-line help, and `xxgk check` or `xxgk rules` need
none of the report writers, the ledger or the corpus: their modules (cli/write.py, cli/ledger.py,
cli/corpus.py, which import the writers, the stores and Django) are loaded when one of their commands is
chosen. The one-line helps listed here are held equal to the commands' own by a test
(tests/test_cli_startup.py).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from difflib import get_close_matches
from functools import cache
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

# name -> (module with a `register(app)` function, the command's one-line help), in help order
LAZY_COMMANDS = {
    "new": ("xxgk.cli.write", "生成填报模板（YAML 或 Excel）：全部单元格留空，六个部分带占位文字。"),
    "render": (
        "xxgk.cli.write",
        "按官方版式生成报告：写出 DOCX、PDF、HTML 或 Markdown，并按 xxgk check 的全部规则核查写出的内容。",
    ),
    "deadline": (
        "xxgk.cli.ledger",
        "计算补正通知期限（7个工作日）和答复期限（20个工作日，可延长至40个），输出 ISO 日期。",
    ),
    "fee": ("xxgk.cli.ledger", "计算信息处理费（国办函〔2020〕109号），按件或按量，二选一。"),
    "calendar": ("xxgk.cli.ledger", "工作日日历：法定节假日与调休安排（每年一份国务院办公厅通知）。"),
    "ledger": ("xxgk.cli.ledger", "依申请公开台账：登记申请和办理事件，提示期限，由台账生成表三、表四。"),
    "corpus": ("xxgk.cli.corpus", "年度报告库：批量入库、跨年度与跨机关核查、汇总统计、导出 Excel、审查意见。"),
    "web": ("xxgk.cli.web", "网页版：审查人员和公开专员在浏览器中审查、填报（本机端口 8000）。"),
}


class Listed(TyperCommand):
    """A lazy command as the command list shows it (its name and one-line help), not loaded."""


@cache
def _module_commands(module: str) -> dict[str, Any]:
    sub = typer.Typer()
    importlib.import_module(module).register(sub)
    group = typer.main.get_command(sub)
    return dict(getattr(group, "commands", {}))


def load(name: str) -> Any:
    """The real click command of a lazy command."""
    return _module_commands(LAZY_COMMANDS[name][0])[name]


class LazyGroup(TyperGroup):
    """The `xxgk` group: its own commands, then the lazy ones, loaded when resolved."""

    def list_commands(self, ctx: Any) -> list[str]:
        own = super().list_commands(ctx)
        return [*own, *(name for name in LAZY_COMMANDS if name not in own)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands or cmd_name not in LAZY_COMMANDS:
            return super().get_command(ctx, cmd_name)
        return Listed(name=cmd_name, help=LAZY_COMMANDS[cmd_name][1], callback=None)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            name, command, rest = super().resolve_command(ctx, args)
        except Exception as e:  # (typer suggests only among the commands loaded)
            message = getattr(e, "message", "")
            if args and message.startswith("No such command") and "Did you mean" not in message:
                matches = get_close_matches(args[0], self.list_commands(ctx))
                if matches:
                    e.message = f"{message.rstrip('.')}. Did you mean {', '.join(repr(m) for m in matches)}?"  # type: ignore[attr-defined]
            raise
        if isinstance(command, Listed):
            command = load(str(command.name))
        return name, command, rest


def walk_commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command below `command` (the click command of the `xxgk` app), lazy ones loaded as when
    chosen, with its path of names, depth first in name order: what the help test and the manual's
    command pages walk, so that neither misses a command."""
    names = command.list_commands(None) if hasattr(command, "list_commands") else ()
    for name in sorted(names):
        sub = command.get_command(None, name)
        if isinstance(sub, Listed):
            sub = load(name)
        if sub is None or sub.hidden:
            continue
        yield (*path, name), sub
        yield from walk_commands(sub, (*path, name))
