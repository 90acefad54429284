"""Blank cells at random and count what the reader makes of them (issue 24 §1).

For N variants per layout: pick a report's values (a generated consistent report, or the values
read from a seed or corpus report of the 2021 format), blank 1–6 of its value cells, write it in
the layout, read it back and count

- blanked read as number: a blanked cell read as a number (it must be missing, or its row uncertain);
- moved: a cell not blanked read as a number other than its own (it must keep its value, or be
  flagged missing/uncertain);
- lost: a cell not blanked read as missing (allowed, shown for information).

Layouts: the seeds' own text with cells blanked where they stand ("seed"); the generated text
layouts (tab, cell_per_line, pipe); Markdown tables; web pages (every htmlgen style in turn);
DOCX (python-docx); PDF (slow: --pdf variants only).

    PYTHONPATH=$PWD/src python3 benchmarks/blank_cells.py --variants 50 --pdf 3
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import docxgen, htmlgen, pdfgen  # noqa: E402
from tests.generate import SPEC, random_consistent_tables, report_blocks, write_report  # noqa: E402
from xxgk.api import read  # noqa: E402
from xxgk.readers.txt import split_cells  # noqa: E402
from xxgk.report import CellState, Report  # noqa: E402

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
            except Exception:  # noqa: BLE001 (a fixture that is no report: not a source of values)
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
            htmlgen.write_html(v, htmlgen.STYLES[s % len(htmlgen.STYLES)], seed=s, missing=m),
            "r.html",
        ),
        "docx": lambda v, m, s: (docxgen.python_docx_report(v, missing=m), "r.docx"),
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
            keys = rng.sample(numbers, rng.randint(1, min(MAX_BLANKS, len(numbers))))
            data = blank_in_text(path, report, keys)
            if data is None:
                continue
            truth = {k: report.cells[k].value for k in numbers}
            tally.count(f"{path.name}#{i}", truth, set(keys), read(data, name="r.txt"))
        return
    if layout == "pdf":
        for i in range(n):
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", type=int, default=20, help="variants per layout (default 20)")
    parser.add_argument("--pdf", type=int, default=2, help="variants for PDF (slow; default 2)")
    parser.add_argument("--seed", type=int, default=24)
    parser.add_argument("--layouts", default=",".join(LAYOUTS))
    parser.add_argument("--examples", type=int, default=5, help="examples shown per layout")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    reals = real_reports()
    total = Tally()
    print(f"{'layout':14} {'variants':>8} {'blanked':>8} {'as_number':>9} {'kept':>7} {'moved':>6} {'lost':>6} {'s':>6}")
    for layout in args.layouts.split(","):
        tally = Tally()
        start = time.perf_counter()
        run(layout, args.pdf if layout == "pdf" else args.variants, rng, reals, tally)
        took = time.perf_counter() - start
        print(
            f"{layout:14} {tally.variants:8} {tally.blanked:8} {tally.as_number:9} {tally.kept:7}"
            f" {tally.moved:6} {tally.lost:6} {took:6.1f}"
        )
        for example in tally.examples[: args.examples]:
            print("    " + example)
        for name in ("variants", "blanked", "as_number", "kept", "moved", "lost"):
            setattr(total, name, getattr(total, name) + getattr(tally, name))
    print(
        f"{'total':14} {total.variants:8} {total.blanked:8} {total.as_number:9} {total.kept:7}"
        f" {total.moved:6} {total.lost:6}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
