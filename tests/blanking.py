"""Reports with blanked cells in every reader's layout, and a tally of what was read from them
(issue 24 §1): shared by tests/test_blank_cells.py and benchmarks/blank_cells.py.

A blanked cell must be read as missing (or its row uncertain), never a number; a cell not blanked
keeps its value or is flagged (missing, uncertain), never another number."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

from xxgk.api import read
from xxgk.readers.txt import split_cells
from xxgk.report import CellState, Report

from . import docxgen, htmlgen, pdfgen
from .generate import SPEC, random_consistent_tables, report_blocks, write_report

ROOT = Path(__file__).resolve().parent.parent

Values = dict[str, int | Decimal]
FIXTURES = (ROOT / "tests/fixtures/seeds", ROOT / "tests/fixtures/corpus")
LAYOUTS = ("seed", "tab", "cell_per_line", "pipe", "md", "html", "docx", "pdf")
MAX_BLANKS = 6


def real_reports() -> list[tuple[Path, Report]]:
    """The seed and corpus reports of the 2021 format as read, with their values."""
    out = []
    for folder in FIXTURES:
        for path in sorted(folder.iterdir()):
            if path.suffix not in {".txt", ".html", ".md", ".docx"} or path.name == "README.md":
                continue
            try:
                report = read(path)
            except Exception:
                continue
            if report.spec_id == "gov2021" and sum(_number(c.value) for c in report.cells.values()) > 20:
                out.append((path, report))
    return out


def _number(value: object) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def value_sources(rng: random.Random, reals: list[tuple[Path, Report]]) -> Iterator[tuple[Values, set[str]]]:
    """(values, cells missing in the source) without end: generated reports and real ones in turn."""
    while True:
        if reals and rng.random() < 0.5:
            _, report = rng.choice(reals)
            values = {k: c.value for k, c in report.cells.items() if _number(c.value)}
            missing = set(SPEC.cells) - set(values)
            yield values, missing  # type: ignore[misc]
        else:
            yield random_consistent_tables(rng), set()


def markdown(values: Values, missing: set[str]) -> bytes:
    lines: list[str] = []
    for kind, content in report_blocks(values, missing=missing):
        if kind == "p":
            lines += [content, ""]
            continue
        width = max(len(r) for r in content)
        for i, row in enumerate(content):
            lines.append("| " + " | ".join([*row, *[""] * (width - len(row))]) + " |")
            if i == 0:
                lines.append("|" + "---|" * width)
        lines.append("")
    return "\n".join(lines).encode("utf-8")


def blankable(path: Path, report: Report) -> list[str]:
    """The number cells of a text report that stand alone where the reader says it found them (not
    those rebuilt from damaged text, whose source is their row's first value)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    out = []
    for key, cell in report.cells.items():
        src = cell.source
        if not _number(cell.value) or cell.note or src is None or src.line is None:
            continue
        raw = lines[src.line - 1]
        fields = split_cells(raw)
        text = raw if fields[0] is raw else fields[src.cell or 0] if (src.cell or 0) < len(fields) else ""
        if text.strip() == cell.raw:
            out.append(key)
    return out


def blank_in_text(path: Path, report: Report, keys: list[str]) -> bytes | None:
    """The seed's own text with the cells `keys` blanked where the reader found them."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for key in keys:
        src = report.cells[key].source
        if src is None or src.line is None:
            return None
        raw = lines[src.line - 1]
        fields = split_cells(raw)
        if fields[0] is raw:  # a value on a line of its own
            lines[src.line - 1] = ""
        elif "\t" in raw:
            fields[src.cell or 0] = ""
            lines[src.line - 1] = "\t".join(fields)
        else:
            fields[src.cell or 0] = ""
            lines[src.line - 1] = "|".join(fields) + "|"
    return "\n".join(lines).encode("utf-8")


def _full(values: Values) -> Values:
    """Every cell of the format: the page generators take a table's shape from a complete report
    (cells missing in the source are printed blank all the same)."""
    return {**dict.fromkeys(SPEC.cells, 0), **values}


Writer = Callable[[Values, set[str], int], tuple[bytes, str]]


def writers() -> dict[str, Writer]:
    def text(layout: str) -> Writer:
        return lambda v, m, s: (write_report(v, layout, missing=m).encode("utf-8"), "r.txt")

    return {
        "tab": text("tab"),
        "cell_per_line": text("cell_per_line"),
        "pipe": text("pipe"),
        "md": lambda v, m, s: (markdown(v, m), "r.md"),
        "html": lambda v, m, s: (
            htmlgen.write_html(_full(v), htmlgen.STYLES[s % len(htmlgen.STYLES)], seed=s, missing=m),
            "r.html",
        ),
        "docx": lambda v, m, s: (docxgen.python_docx_report(_full(v), missing=m), "r.docx"),
    }


class Tally:
    def __init__(self) -> None:
        self.variants = self.blanked = self.as_number = self.kept = self.moved = self.lost = 0
        self.examples: list[str] = []

    def count(self, name: str, truth: dict[str, object], blanked: set[str], report: Report) -> None:
        self.variants += 1
        for key, want in truth.items():
            cell = report.cells[key]
            got = cell.value if cell.state not in (CellState.UNCERTAIN, CellState.EMPTY) else None
            if key in blanked:
                self.blanked += 1
                if got is not None:
                    self.as_number += 1
                    self.examples.append(f"{name}: blank {key} read as {got!r}")
            elif want is not None:
                self.kept += 1
                if got is None:
                    self.lost += 1
                elif got != want:
                    self.moved += 1
                    self.examples.append(f"{name}: {key} = {want!r} read as {got!r}")


def run(layout: str, n: int, rng: random.Random, reals: list[tuple[Path, Report]], tally: Tally) -> None:
    if layout == "seed":
        texts = [(p, r) for p, r in reals if p.suffix == ".txt"]
        for i in range(n):
            path, report = texts[i % len(texts)]
            numbers = [k for k, c in report.cells.items() if _number(c.value)]
            own = blankable(path, report)
            keys = rng.sample(own, rng.randint(1, min(MAX_BLANKS, len(own))))
            data = blank_in_text(path, report, keys)
            if data is None:
                continue
            truth = {k: report.cells[k].value for k in numbers}
            tally.count(f"{path.name}#{i}", truth, set(keys), read(data, name="r.txt"))
        return
    if layout == "pdf":
        for _ in range(n):
            seed = rng.randrange(10**6)
            values = random_consistent_tables(random.Random(seed))
            keys = set(rng.sample(sorted(values), rng.randint(1, MAX_BLANKS)))
            _, data = pdfgen.report_pdf(seed, missing=keys)
            tally.count(f"pdf seed {seed}", dict(values), keys, read(data, name="r.pdf"))
        return
    write = writers()[layout]
    sources = value_sources(rng, reals)
    for i in range(n):
        values, missing = next(sources)
        numbers = sorted(values)
        keys = set(rng.sample(numbers, rng.randint(1, MAX_BLANKS)))
        data, name = write(values, missing | keys, i)
        truth: dict[str, object] = {k: values.get(k) for k in SPEC.cells}
        tally.count(f"{layout}#{i}", truth, keys | missing, read(data, name=name))
