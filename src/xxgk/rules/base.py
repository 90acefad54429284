"""Rule: a stable code, a severity, a zh-CN message template and an explanation.

Codes are API: they are only ever added, never renumbered or reused; a retired rule keeps its
code with status "removed". The code is <family><item><n>: the family letter and item number of
shared/spec/common-errors.md (A publication, B structure, C arithmetic, D text), plus R for
reading diagnostics, then a digit for the variant. C011 is the first check of item C1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from xxgk.display import show
from xxgk.findings import Finding, Severity

if TYPE_CHECKING:
    from xxgk.format import FormatSpec
    from xxgk.rules.context import CheckContext

CheckFn = Callable[["CheckContext"], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str  # kebab-case name of the defect
    severity: Severity
    title: str  # one line, zh-CN
    message: str  # zh-CN template: {where} {expected} {found} {source} and the finding's params
    what: str  # 检查内容
    why: str  # 为何是问题
    example: str  # 示例
    basis: str = ""  # 依据: article, spec identity, evaluator…
    keys: tuple[str, ...] = ()  # the format keys it concerns ("t3.*.total", "s5_problems")
    since: str = "0.1"
    status: str = "stable"
    check: CheckFn | None = None  # None: emitted while reading (R codes and a few B codes)

    def render(self, finding: Finding, spec: FormatSpec) -> str:
        fields: dict[str, Any] = {
            "where": spec.location_name(finding.location),
            "expected": show(finding.expected),
            "found": show(finding.found),
            "source": finding.source.describe_zh() if finding.source else "",
        }
        fields.update({k: show(v) for k, v in finding.params.items()})
        try:
            return self.message.format(**fields)
        except (KeyError, IndexError):  # a template/param mismatch must not hide the finding
            return f"{self.title}（{fields['where']}）"

    def explain(self) -> str:
        return (
            f"{self.code} {self.name}（{self.severity.zh}）\n{self.title}\n\n"
            f"## 检查内容\n{self.what}\n\n## 为何是问题\n{self.why}\n\n## 示例\n{self.example}\n"
            + (f"\n## 依据\n{self.basis}\n" if self.basis else "")
            + (f"\n## 相关位置\n{', '.join(self.keys)}\n" if self.keys else "")
        )


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, severity: Severity, **doc: Any) -> Callable[[CheckFn], CheckFn]:
    """Register a check function under `code`; `doc` takes the keyword arguments of `declare`."""

    def register(fn: CheckFn) -> CheckFn:
        declare(code, name, severity, check=fn, **doc)
        return fn

    return register


def declare(
    code: str,
    name: str,
    severity: Severity,
    *,
    title: str,
    message: str,
    what: str,
    why: str,
    example: str,
    basis: str = "",
    keys: tuple[str, ...] = (),
    since: str = "0.1",
    status: str = "stable",
    check: CheckFn | None = None,
) -> None:
    """Register a rule whose findings are emitted elsewhere (by the reader or recogniser)."""
    if code in RULES:
        raise ValueError(f"duplicate rule code {code}")
    RULES[code] = Rule(code, name, severity, title, message, what, why, example, basis, keys, since, status, check)
