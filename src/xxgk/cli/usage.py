"""Usage errors (missing option, unknown option, bad value) in zh-CN.

typer raises click's exceptions, whose messages are hard-coded English; recent typer releases
vendor click, so the classes are found through `typer.BadParameter`'s ancestry, not imported.
"""

from __future__ import annotations

import re
from typing import Any

import typer

_USAGE_ERROR = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")

# click's English value messages -> zh-CN (the common ones; others are shown as they are).
_VALUE_MESSAGES = (
    # typer's own validation (pydantic-style wording)
    (re.compile(r"^Input should be a valid integer\b.*$"), "应为整数"),
    (re.compile(r"^Input should be a valid (?:number|decimal)\b.*$"), "应为数字"),
    (re.compile(r"^Input should be a valid (?:date|datetime)\b.*$"), "应为日期（如 2025-09-26）"),
    (re.compile(r"^Input should be greater than or equal to (.+)$"), "应不小于 {0}"),
    (re.compile(r"^Input should be greater than (.+)$"), "应大于 {0}"),
    (re.compile(r"^Input should be less than or equal to (.+)$"), "应不大于 {0}"),
    (re.compile(r"^Input should be less than (.+)$"), "应小于 {0}"),
    (re.compile(r"^Input should be (.+)$"), "应为 {0}"),
    # click's wording
    (re.compile(r"^'(.*)' is not a valid integer( range)?\.?$"), "「{0}」不是整数"),
    (re.compile(r"^'(.*)' is not a valid float( range)?\.?$"), "「{0}」不是数字"),
    (re.compile(r"^'(.*)' is not a valid boolean\.?$"), "「{0}」不是是/否值"),
    (re.compile(r"^'?(.*?)'? is not in the range (.*)\.$"), "{0} 不在允许范围 {1} 内"),
    (re.compile(r"^'(.*)' is not one of (.*)\.$"), "「{0}」不是可选值之一：{1}"),
    (re.compile(r"^'(.*)' is not (?:one of )?(.*)\.$"), "「{0}」不是可选值：{1}"),
    (re.compile(r"^(?:File|Path|Directory) '(.*)' does not exist\.$"), "「{0}」不存在"),
    (re.compile(r"^(?:File|Path) '(.*)' is a directory\.$"), "「{0}」是目录，不是文件"),
    (re.compile(r"^Directory '(.*)' is a file\.$"), "「{0}」是文件，不是目录"),
)
_USAGE_MESSAGES = (
    (re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((.*)\)$"), "多余的参数「{0}」"),
    (re.compile(r"^No such command '(.*)'\.$"), "没有命令「{0}」"),
    (re.compile(r"^No such command '(.*)'\. Did you mean (.*)\?$"), "没有命令「{0}」（是不是 {1}？）"),
    (re.compile(r"^Missing (?:argument|parameter):? '?(.*?)'?\.?$"), "缺少参数 {0}"),
    (re.compile(r"^Missing option '?(.*?)'?\.?$"), "缺少选项 {0}"),
    (re.compile(r"^Missing command\.$"), "缺少子命令"),
    (re.compile(r"^Option '(.*)' requires an argument\.$"), "选项 {0} 需要一个值"),
    (re.compile(r"^Option '(.*)' does not take a value\.$"), "选项 {0} 不接受值"),
)


def is_usage_error(e: BaseException) -> bool:
    return isinstance(e, _USAGE_ERROR)


def usage_message_zh(e: Any) -> str:
    """The zh-CN message of a click usage error, with a pointer to --help."""
    kind = type(e).__name__
    if kind == "MissingParameter":
        param = getattr(e, "param", None)
        what = "参数" if getattr(param, "param_type_name", "") == "argument" else "选项"
        if what == "参数":  # (its name as the help page shows it: xxgk.cli.zh)
            names = getattr(param, "human_readable_name", "")
        else:
            names = "、".join(getattr(param, "opts", ()) or [getattr(param, "human_readable_name", "")])
        text = f"缺少{what} {names}".rstrip()
    elif kind == "NoSuchOption":
        text = f"没有选项 {e.option_name}"
        if getattr(e, "possibilities", None):
            text += f"（是不是 {'、'.join(sorted(e.possibilities))}？）"
    elif kind in ("BadParameter", "BadOptionUsage", "BadArgumentUsage"):
        hint = e.param_hint if getattr(e, "param_hint", None) else ""
        if not hint and getattr(e, "param", None) is not None:
            hint = "、".join(e.param.opts) or e.param.human_readable_name
        usage_text = _translate(e.message, _USAGE_MESSAGES)
        if usage_text != str(e.message).strip():  # (an option used wrongly, not a bad value)
            text = usage_text
        else:
            value_text = _translate(e.message, _VALUE_MESSAGES)
            text = f"{hint} 的值无效：{value_text}" if hint else value_text
    else:
        text = _translate(e.message, _USAGE_MESSAGES)
    ctx = getattr(e, "ctx", None)
    command = ctx.command_path if ctx is not None else "xxgk"
    return f"用法错误：{text}\n运行 {command} --help 查看用法"


def _translate(message: str, table: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    message = str(message).strip()
    for pattern, template in table:
        m = pattern.match(message)
        if m:
            return template.format(*(_quoted_list_zh(g) for g in m.groups()))
    return message


def _quoted_list_zh(text: str) -> str:
    """ "'check', 'schema'" (click's list of suggestions) as 「check」、「schema」."""
    names = re.findall(r"'([^']*)'", text)
    return "、".join(f"「{n}」" for n in names) if names and re.fullmatch(r"('[^']*'(, )?)+", text) else text
