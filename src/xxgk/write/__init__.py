"""Writing reports: fill-in templates (YAML/XLSX), the official layout (HTML, Markdown, DOCX, PDF), totals.

The front door of the package is this module: `render(report, kind) -> bytes` through the
`WRITERS` registry, `load_template(path)`, `new_template(...)`, `render_checked(...)` (render, read
the result back and check it as `xxgk check` would) and `write_output(path, data)`. Adding an
output format is one `Writer` entry here and one module beside it; nothing outside `write/` changes.
The writer modules are imported only when used (python-docx and WeasyPrint are heavy).

layout.py    the three tables as merged-cell grids derived from the format spec (all writers use it)
content.py   the blocks of a rendered report: title, headings, paragraphs, tables, signature
template.py  new_template / dump_yaml / dump_xlsx and load_template (YAML, XLSX, report JSON)
totals.py    fill_totals: derivable cells from the identities, conflicts reported, never overwritten
verify.py    render_checked: the rendered bytes read back and checked (render and check agree)
output.py    write_output: atomic replace that keeps an existing file's mode
html.py markdown.py docx.py pdf.py   one writer per output format (PDF = HTML + WeasyPrint)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from xxgk.write.errors import OutputError

if TYPE_CHECKING:
    from xxgk.findings import Finding
    from xxgk.report import Report
    from xxgk.write.totals import TotalConflict
    from xxgk.write.verify import Rendered


@dataclass(frozen=True)
class Writer:
    """One output format: its kind, file suffixes, and the function that writes it (by name, so that
    the module is imported only when this format is written)."""

    kind: str
    suffixes: tuple[str, ...]
    module: str
    function: str
    name_zh: str
    text: bool = False  # the function returns str (written as UTF-8)
    template: bool = False  # a fill-in template (xxgk new writes these too)

    def load(self) -> Callable[[Report], bytes]:
        fn = getattr(importlib.import_module(self.module), self.function)
        if self.text:
            return lambda report: str(fn(report)).encode("utf-8")
        return lambda report: bytes(fn(report))


WRITERS: dict[str, Writer] = {
    w.kind: w
    for w in (
        Writer("docx", (".docx",), "xxgk.write.docx", "render_docx", "Word 文档"),
        Writer("pdf", (".pdf",), "xxgk.write.pdf", "render_pdf", "PDF"),
        Writer("html", (".html", ".htm"), "xxgk.write.html", "render_html", "网页", text=True),
        Writer("md", (".md", ".markdown"), "xxgk.write.markdown", "render_markdown", "Markdown", text=True),
        Writer(
            "yaml", (".yaml", ".yml"), "xxgk.write.template", "dump_yaml", "YAML 填报模板", text=True, template=True
        ),
        Writer("xlsx", (".xlsx",), "xxgk.write.template", "dump_xlsx", "Excel 填报模板", template=True),
    )
}


def kind_of(path: str | Path) -> str | None:
    """The writer kind of an output file name, by its suffix (None when no writer has it)."""
    suffix = Path(path).suffix.lower()
    return next((w.kind for w in WRITERS.values() if suffix in w.suffixes), None)


def suffixes_zh(templates: bool = True) -> str:
    """The output suffixes for messages: ".docx、.pdf、… 或 .xlsx"."""
    names = [w.suffixes[0] for w in WRITERS.values() if templates or not w.template]
    return "、".join(names[:-1]) + f" 或 {names[-1]}"


def render(report: Report, kind: str) -> bytes:
    """The report written as `kind` (a key of WRITERS: docx, pdf, html, md, yaml, xlsx)."""
    writer = WRITERS.get(kind)
    if writer is None:
        raise OutputError(f"不支持的输出格式「{kind}」；应为 {'、'.join(WRITERS)}")
    return writer.load()(report)


def load_template(path: str | Path) -> Report:
    """A fill-in template (YAML, XLSX) or report JSON as a Report; TemplateError (zh-CN) listing
    every problem found when it cannot be taken as written."""
    from xxgk.write.template import load_template as load

    return load(path)


def is_template(path: str | Path) -> bool:
    """Whether `path` is read by load_template (by suffix: .yaml .yml .xlsx .json)."""
    from xxgk.write.template import template_kind

    return template_kind(path) is not None


def new_template(agency: str, year: int, kind: str, when: date | None = None) -> bytes:
    """An empty fill-in template ("yaml" or "xlsx") for `agency` and `year`."""
    from xxgk.write.template import new_template as new

    return new(agency, year, kind, when)


def fill_totals(report: Report) -> list[TotalConflict]:
    """Fill the derivable cells in place; the given values that disagree, never overwritten."""
    from xxgk.write.totals import fill_totals as fill

    return fill(report)


def render_checked(
    report: Report,
    kind: str,
    output: str | Path,
    read: Callable[[Path], Report],
    check: Callable[[Report], list[Finding]],
) -> Rendered:
    """Render, read the bytes back with `read` and check them with `check` (pass
    `xxgk.api.read_report` and `xxgk.api.check_report`: what `xxgk check` does to the written file)."""
    from xxgk.write.verify import render_checked as run

    return run(report, kind, output, read, check)


def write_output(path: str | Path, data: bytes) -> None:
    """Write atomically; an existing file keeps its mode, a new one gets the umask's."""
    from xxgk.write.output import write_output as write

    write(Path(path), data)


__all__ = [
    "WRITERS",
    "Writer",
    "fill_totals",
    "is_template",
    "kind_of",
    "load_template",
    "new_template",
    "render",
    "render_checked",
    "suffixes_zh",
    "write_output",
]
