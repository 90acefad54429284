"""xxgk: read, check and write 政府信息公开工作年度报告 (government-information-disclosure annual reports).

Public API (xxgk.api)::

    import xxgk
    report = xxgk.read("report.txt")
    findings = xxgk.check(report)

Importing the package loads nothing else: the names below are looked up in xxgk.api on first use,
so that a command that reads no report (xxgk deadline, xxgk --help) loads no reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xxgk.api import check, check_file, check_report, read, read_report
    from xxgk.errors import XxgkError

__all__ = ["XxgkError", "check", "check_file", "check_report", "read", "read_report"]
__version__ = "0.1.0"

_API = ("check", "check_file", "check_report", "read", "read_report")
_HOME = {"XxgkError": "xxgk.errors"} | dict.fromkeys(_API, "xxgk.api")


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'xxgk' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(_HOME[name]), name)
    globals()[name] = value  # (looked up once)
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
