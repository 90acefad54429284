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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.blanking import LAYOUTS, Tally, real_reports, run  # noqa: E402


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
    print(
        f"{'layout':14} {'variants':>8} {'blanked':>8} {'as_number':>9} {'kept':>7} {'moved':>6} {'lost':>6} {'s':>6}"
    )
    for layout in args.layouts.split(","):
        tally = Tally()
        start = time.perf_counter()
        run(layout, args.pdf if layout == "pdf" else args.variants, rng, reals, tally)
        took = time.perf_counter() - start
        print(
            f"{layout:14} {tally.variants:9} {tally.blanked:9} {tally.as_number:9} {tally.kept:9}"
            f" {tally.moved:9} {tally.lost:9} {took:9.1f}"
        )
        for example in tally.examples[: args.examples]:
            print("    " + example)
        for name in ("variants", "blanked", "as_number", "kept", "moved", "lost"):
            setattr(total, name, getattr(total, name) + getattr(tally, name))
    print(
        f"{'total':14} {total.variants:9} {total.blanked:9} {total.as_number:9} {total.kept:9}"
        f" {total.moved:9} {total.lost:9}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
