"""The one entry point of the stateless core: read a report, check it. The CLI (and the web app)
call these functions; nothing here prints, asks or keeps state between calls.

    from xxgk import api
    report = api.read("报告.pdf")                 # or api.read(data, name="报告.pdf")
    findings = api.check(report, select=["C"], ignore=["C101"])

Errors are XxgkError subclasses with a zh-CN `message` (unusable input, unknown rule codes).
The readers and the rule catalogue are imported on first use, so that importing this module (and
the commands that never read a report) stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from xxgk.errors import UnknownRuleCodeError
from xxgk.gc_pause import gc_paused
from xxgk.settings import CheckSettings, ReadSettings

if TYPE_CHECKING:
    from xxgk.findings import Finding
    from xxgk.report import Report
    from xxgk.write.template import FormReport
    from xxgk.write.verify import Rendered

UNNAMED = "（未命名）"  # the name of a report read from bytes without a name

Codes = str | Iterable[str] | None  # "C,D01" or ["C", "D01"]: rule codes or their prefixes


def read(source: str | Path | bytes, name: str | None = None, settings: ReadSettings | None = None) -> Report:
    """Read and recognise one report, from a file or from its content.

    `source` is a path, or the file's bytes; `name` is the file name the report carries (its
    suffix helps tell the form, and a web page's pictures are looked up beside it): for bytes, the
    same name gives the same Report as reading the file of that name. Raises XxgkError (zh-CN
    message) for unusable input. The garbage collector is left as it is (see `gc_paused`).
    """
    from xxgk.readers import load_bytes, read_bytes, read_document
    from xxgk.recognize import recognize

    settings = ReadSettings.resolve(settings)
    if isinstance(source, bytes | bytearray | memoryview):
        doc = read_bytes(bytes(source), name or UNNAMED, settings)
    elif name is None:
        doc = read_document(source, settings)
    else:
        doc = read_bytes(load_bytes(source, settings), name, settings)
    return recognize(doc)


def check(
    report: Report, select: Codes = None, ignore: Codes = None, settings: CheckSettings | None = None
) -> list[Finding]:
    """The findings of the rule catalogue on `report`, in reading order (the reader's own findings
    among them). `select`/`ignore` keep or drop rules by code or prefix ("C", "C01", "C011"), as
    `xxgk check --select/--ignore` do; an unknown code raises UnknownRuleCodeError. Given, they
    replace the selection of `settings`."""
    from xxgk.checker import check as run_rules

    settings = CheckSettings.resolve(settings)
    if select is not None:
        settings = replace(settings, select=rule_codes(select))
    if ignore is not None:
        settings = replace(settings, ignore=rule_codes(ignore))
    return run_rules(report, settings)


def rule_codes(values: Codes) -> frozenset[str]:
    """Rule codes or prefixes as given on the command line ("c01, D" or several such strings), upper
    case; raises UnknownRuleCodeError (zh-CN) naming those that match no rule of the catalogue."""
    from xxgk.rules import RULES

    items = [values] if isinstance(values, str) else list(values or ())
    codes = frozenset(c.strip().upper() for v in items for c in v.split(",") if c.strip())
    unknown = [c for c in codes if not any(code.startswith(c) for code in RULES)]
    if unknown:
        raise UnknownRuleCodeError(f"未知的规则代码：{'、'.join(sorted(unknown))}（用 xxgk rules 查看目录）")
    return codes


# -- writing: the writers' front door (xxgk.write), with the check that `xxgk check` runs -----------


def render(report: Report, kind: str) -> bytes:
    """`report` written as `kind` (a key of `xxgk.write.WRITERS`: docx, pdf, html, md, yaml, xlsx)."""
    from xxgk import write

    return write.render(report, kind)


def load_template(path: str | Path) -> Report:
    """A fill-in template (YAML, XLSX) or report JSON as a Report; a zh-CN TemplateError listing every
    problem when it cannot be taken as written."""
    from xxgk import write

    return write.load_template(path)


def report_from_form(
    agency: str,
    year: int,
    *,
    title: str = "",
    when: date | None = None,
    sections: Mapping[str, str] | None = None,
    cells: Mapping[str, str] | None = None,
) -> FormReport:
    """A report from what was typed into the official layout (web form): the report, and each field
    that could not be taken with its zh-CN message (the field left blank), never a refusal of the whole."""
    from xxgk.write.template import report_from_form as build

    return build(agency, year, title=title, when=when, sections=sections, cells=cells)


def render_checked(report: Report, kind: str, output: str | Path) -> Rendered:
    """Render `report` as `kind`, read the bytes back and check them as `xxgk check` checks a file, so
    that rendering and checking can never disagree on the same content."""
    from xxgk import write

    return write.render_checked(report, kind, output, read_report, check_report)


# -- the names of the first API, kept while their callers move to read/check ----------------------


def read_report(path: str | Path, settings: ReadSettings | None = None) -> Report:
    """Alias of `read(path, settings=settings)`."""
    return read(path, settings=settings)


def check_report(report: Report, settings: CheckSettings | None = None) -> list[Finding]:
    """Alias of `check(report, settings=settings)`."""
    return check(report, settings=settings)


def check_file(
    path: str | Path, settings: CheckSettings | None = None, read_settings: ReadSettings | None = None
) -> tuple[Report, list[Finding]]:
    report = read(path, settings=read_settings)
    return report, check(report, settings=settings)


__all__ = [
    "check",
    "check_file",
    "check_report",
    "gc_paused",
    "load_template",
    "read",
    "read_report",
    "render",
    "render_checked",
    "rule_codes",
]
