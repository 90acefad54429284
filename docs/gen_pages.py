"""Generate the manual's reference pages at build time (run by the mkdocs-gen-files plugin).

- rules/index.md and rules/<CODE>.md: one page per rule, from the catalogue `xxgk.rules.RULES`
  (code, name, severity, what it checks, why, an example that fires, how to fix, basis), so a page
  can never disagree with `xxgk rules CODE`;
- commands/index.md and commands/<command>.md: one page per command, from the typer app's
  commands and their parameters (the same text as `--help`, without the terminal's truncation).

Run alone (`python3 docs/gen_pages.py OUT_DIR`) it writes the pages into OUT_DIR, to look at them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from typer.main import get_command

from xxgk.cli.lazy import walk_commands
from xxgk.cli.main import app
from xxgk.rules import RULES
from xxgk.rules.base import Rule

FAMILIES = {
    "A": "A 发布",
    "B": "B 格式与结构",
    "C": "C 勾稽关系与数值",
    "D": "D 正文文字",
    "R": "R 读取",
    "X": "X 跨报告（年度报告库）",
}
SEVERITY_BADGE = {"error": "错误", "warning": "警告", "info": "提示"}


def _cell(text: str) -> str:
    """`text` fit for one cell of a Markdown table."""
    return text.replace("|", "\\|").replace("\n", " ")


def rule_page(rule: Rule) -> str:
    emitted = "核查时" if rule.check is not None else "读取报告时"
    # A rule may carry its own advice (a `fix` field); otherwise the advice follows from what it checks.
    fix = getattr(rule, "fix", "") or (
        f"按上文“检查内容”改正报告（或对照原件核实读取结果），再运行 `xxgk check 报告文件 --select {rule.code}`："
        f"不再报告 {rule.code} 即已改正。"
    )
    lines = [
        f"# {rule.code} {rule.title}",
        "",
        "| 代码 | 名称 | 严重程度 | 产生于 | 自版本 | 状态 |",
        "|---|---|---|---|---|---|",
        f"| `{rule.code}` | `{rule.name}` | {SEVERITY_BADGE[rule.severity.value]} | {emitted} | {rule.since} "
        f"| {'有效' if rule.status == 'stable' else rule.status} |",
        "",
        "## 检查内容",
        "",
        rule.what,
        "",
        "## 为何是问题",
        "",
        rule.why,
        "",
        "## 会触发它的例子",
        "",
        rule.example,
        "",
        "报告的提示形如：",
        "",
        "```text",
        rule.message,
        "```",
        "",
        "（花括号中的内容在报告中换成具体的位置、期望值和实际值。）",
        "",
        "## 如何改正",
        "",
        fix,
        "",
    ]
    if rule.basis:
        lines += ["## 依据", "", rule.basis, ""]
    if rule.keys:
        lines += ["## 相关位置", "", "、".join(f"`{key}`" for key in rule.keys), ""]
    lines += ["在命令行查看同一说明：`xxgk rules " + rule.code + "`。", ""]
    return "\n".join(lines)


def rules_index() -> str:
    lines = [
        "# 规则目录",
        "",
        "代码形如 `C011`：族字母（A 发布、B 格式与结构、C 勾稽关系与数值、D 正文文字、R 读取、X 跨报告）、"
        "两位条目号和一位序号。代码只增不改，停用的规则保留代码。"
        "`--select` / `--ignore` 接受代码或前缀，如 `xxgk check 报告.pdf --select C`。",
        "",
        "本目录及每条规则的页面都由规则目录（`xxgk rules`）自动生成。",
        "",
    ]
    for letter, family in FAMILIES.items():
        rules = [r for r in RULES.values() if r.code.startswith(letter)]
        if not rules:
            continue
        lines += [f"## {family}", "", "| 代码 | 严重程度 | 规则 |", "|---|---|---|"]
        lines += [f"| [{r.code}]({r.code}.md) | {SEVERITY_BADGE[r.severity.value]} | {_cell(r.title)} |" for r in rules]
        lines.append("")
    return "\n".join(lines)


def _usage(path: tuple[str, ...], command: Any) -> str:
    pieces = ["xxgk", *path]
    if hasattr(command, "commands"):
        pieces.append("子命令 ...")
    else:
        if any(p.param_type_name == "option" for p in command.params):
            pieces.append("[选项]")
        for p in command.params:
            if p.param_type_name == "argument":
                name = p.name.upper() + ("..." if p.nargs == -1 else "")
                pieces.append(name if p.required else f"[{name}]")
    return " ".join(pieces)


def _default(p: Any) -> str:
    if p.required or p.default is None or callable(p.default) or getattr(p, "is_flag", False):
        return ""
    if isinstance(p.default, list | tuple):
        return "、".join(map(str, p.default))
    return str(p.default)


def _params(command: Any) -> list[str]:
    params = [p for p in command.params if not getattr(p, "hidden", False)]
    if not params:
        return []
    lines = ["## 参数与选项", "", "| 参数或选项 | 说明 | 默认值 |", "|---|---|---|"]
    for p in params:
        names = [p.name.upper()] if p.param_type_name == "argument" else [*p.opts, *p.secondary_opts]
        shown = " / ".join(f"`{n}`" for n in names)
        required = "（必填）" if p.required else ""
        help_ = (getattr(p, "help", None) or "").replace("\\[", "[")
        lines.append(f"| {shown} | {_cell(help_)}{required} | {_cell(_default(p))} |")
    return [*lines, ""]


def command_page(path: tuple[str, ...], command: Any) -> str:
    help_text = (command.help or "").replace("\\[", "[").strip()
    lines = [f"# xxgk {' '.join(path)}", "", "```text", _usage(path, command), "```", "", help_text, ""]
    lines += _params(command)  # (a group may take options of its own: `xxgk web --port`)
    if hasattr(command, "commands"):
        lines += ["## 子命令", "", "| 子命令 | 说明 |", "|---|---|"]
        for name, sub in sorted(command.commands.items()):
            first = (sub.help or "").replace("\\[", "[").strip().split("\n")[0]
            lines.append(f"| [xxgk {' '.join(path)} {name}]({'-'.join((*path, name))}.md) | {_cell(first)} |")
        lines.append("")
        return "\n".join(lines)
    lines += [f"在命令行查看：`xxgk {' '.join(path)} --help`。", ""]
    return "\n".join(lines)


def commands_index() -> str:
    root = get_command(app)
    lines = [
        "# 命令",
        "",
        "每个命令一页，由命令行程序的参数定义自动生成（与 `--help` 相同）。",
        "",
        "| 命令 | 说明 |",
        "|---|---|",
    ]
    for path, command in walk_commands(root):
        first = (command.help or "").replace("\\[", "[").strip().split("\n")[0]
        lines.append(f"| [xxgk {' '.join(path)}]({'-'.join(path)}.md) | {_cell(first)} |")
    lines.append("")
    return "\n".join(lines)


def pages() -> Iterator[tuple[str, str]]:
    """(path under docs/, Markdown) of every generated page."""
    yield "rules/index.md", rules_index()
    for rule in RULES.values():
        yield f"rules/{rule.code}.md", rule_page(rule)
    yield "commands/index.md", commands_index()
    for path, command in walk_commands(get_command(app)):
        yield f"commands/{'-'.join(path)}.md", command_page(path, command)


def write(opener: Callable[[str], Any]) -> None:
    for name, text in pages():
        with opener(name) as f:
            f.write(text)


if __name__ == "__main__" and len(sys.argv) == 2:  # a plain run, to look at the pages
    out = Path(sys.argv[1])

    def _open(name: str) -> Any:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        return (out / name).open("w", encoding="utf-8")

    write(_open)
else:  # run by mkdocs-gen-files
    import mkdocs_gen_files

    write(lambda name: mkdocs_gen_files.open(name, "w"))
