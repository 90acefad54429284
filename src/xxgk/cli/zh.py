"""typer's and click's own words in zh-CN: help panels, usage line, metavars, the help option.

typer vendors click and has no message catalogue, so its classes are patched here, once, when the
CLI is imported (cheap: the rich help module is only set up when a help page is printed). Usage
errors are translated in `xxgk.cli.usage`.
"""

from __future__ import annotations

import re
from typing import Any

import typer.core as typer_core
from typer import _click

HELP_OPTION_ZH = "显示此帮助并退出"
USAGE_ZH = "用法："
# Argument names shown in usage lines, help panels and "missing argument" errors.
ARGUMENT_ZH = {
    "paths": "文件或目录",
    "path": "文件",
    "code": "规则代码",
    "source": "模板或报告",
    "file": "文件",
    "year": "年份",
    "received": "收到日期",
    "case_id": "案件编号",
    "case": "案件编号",
    "[case]": "[案件编号]",
    "kind": "类型",
    "type": "事件类型",
    "agency": "机关",
    "username": "用户名",
}
_TYPES_ZH = {
    "str": "文本",
    "int": "整数",
    "float": "数字",
    "bool": "",  # (a flag: nothing to type after it)
    "Path": "路径",
    "path": "路径",
    "file": "文件",
    "directory": "目录",
    "datetime": "日期",
    "int range": "整数",
    "float range": "数字",
    "Decimal": "数字",
    "date": "日期",
}
_LIST = re.compile(r"^list\[(.*)\]$")
_installed = False
_rich_installed = False


def _type_zh(label: str) -> str:
    m = _LIST.match(label)
    if m:
        inner = _type_zh(m.group(1))
        return f"{inner}…" if inner else ""
    if "|" in label:  # (choices: the values themselves)
        return label
    return _TYPES_ZH.get(label, label)


def _range_zh(text: str | None) -> str | None:
    if not text:
        return text
    return text.replace(">=", "≥").replace("<=", "≤").replace("x", "值")


def install() -> None:
    """Patch typer's parameter, command and formatter classes (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    param_class: Any = typer_core._TyperParameter
    display_type = param_class.display_type

    def display_type_zh(self: Any, ctx: Any) -> str:
        label = display_type(self, ctx)
        zh = _type_zh(label[1:-1]) if label.startswith("<") and label.endswith(">") else label
        return f"<{zh}>" if zh else ""

    param_class.display_type = display_type_zh
    for cls in (typer_core.TyperArgument, typer_core.TyperOption):
        number_range = cls._get_number_range_help_str
        cls._get_number_range_help_str = lambda self, f=number_range: _range_zh(f(self))  # type: ignore[method-assign]
    raw_name = typer_core.TyperArgument.display_name_raw

    def argument_name_zh(self: Any) -> str:
        name: str = raw_name.fget(self)  # type: ignore[attr-defined]
        return ARGUMENT_ZH.get(name.lower(), name)

    setattr(typer_core.TyperArgument, "display_name_raw", property(argument_name_zh))  # noqa: B010
    setattr(typer_core.TyperArgument, "human_readable_name", property(argument_name_zh))  # noqa: B010

    get_help_option = _click.core.Command.get_help_option

    def help_option_zh(self: Any, ctx: Any) -> Any:
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = HELP_OPTION_ZH
        return option

    _click.core.Command.get_help_option = help_option_zh  # type: ignore[method-assign]
    write_usage = _click.formatting.HelpFormatter.write_usage

    def write_usage_zh(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("[OPTIONS]", "[选项]").replace("COMMAND [ARGS]...", "命令 [参数]...")
        write_usage(self, prog, args, USAGE_ZH if prefix is None else prefix)

    _click.formatting.HelpFormatter.write_usage = write_usage_zh  # type: ignore[method-assign]
    for command_class in (typer_core.TyperCommand, typer_core.TyperGroup):
        setattr(command_class, "format_help", _with_rich_zh(command_class.format_help))  # noqa: B010


def _with_rich_zh(format_help: Any) -> Any:
    def format_help_zh(self: Any, ctx: Any, formatter: Any) -> Any:
        _install_rich()
        return format_help(self, ctx, formatter)

    return format_help_zh


def _install_rich() -> None:
    """The words of typer's rich help pages (its module is imported only to print one)."""
    global _rich_installed
    if _rich_installed:
        return
    _rich_installed = True
    from typer import rich_utils

    rich_utils.ARGUMENTS_PANEL_TITLE = "参数"
    rich_utils.OPTIONS_PANEL_TITLE = "选项"
    rich_utils.COMMANDS_PANEL_TITLE = "命令"
    rich_utils.ERRORS_PANEL_TITLE = "错误"
    rich_utils.REQUIRED_LONG_STRING = "[必填]"
    rich_utils.DEFAULT_STRING = "[默认：{}]"
    rich_utils.ENVVAR_STRING = "[环境变量：{}]"
    rich_utils.DEPRECATED_STRING = "（已弃用）"
    rich_utils.ABORTED_TEXT = "已中断"
    rich_utils.RICH_HELP = "运行 '{command_path} {help_option}' 查看用法"
    table: Any = getattr(rich_utils, "Table")  # noqa: B009

    class FoldingTable(table):  # type: ignore[misc]
        """A help table whose long Chinese text is wrapped, never cut with "…" (it has no spaces
        to break at, and typer's columns would cut it)."""

        def __rich_console__(self, console: Any, options: Any) -> Any:
            for column in self.columns:
                column.overflow = "fold"
            return super().__rich_console__(console, options)

    setattr(rich_utils, "Table", FoldingTable)  # noqa: B010
    make_text = rich_utils._make_rich_text

    def folding_text(**kwargs: Any) -> Any:
        text = make_text(**kwargs)
        if hasattr(text, "overflow"):
            text.overflow = "fold"
        return text

    rich_utils._make_rich_text = folding_text
