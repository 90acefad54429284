"""Instructions per report of reading web pages, counted by valgrind's callgrind.

Usage:
    python3 benchmarks/count_instructions.py [--pages 5]

Wall-clock time on a shared VM swings by up to 2x within minutes; the count of instructions the
CPU executes for the same work does not (callgrind counts them whatever else the machine does).
So a change to a reader is best compared by this count, before and after. For each kind of
input, the same Python process reads N distinct files after a warm-up, and the count of a run
that reads none of them is subtracted: what is left is the reading itself, divided by N.

Kinds: `html trs` (generated CMS pages, ~31 KB, `tests/htmlgen.py`), `html 010` (the real 64 KB
page of the corpus, in variants whose prose differs). Needs valgrind (Debian `valgrind`). To compare
two versions, run it in a checkout of each (it reads with the `xxgk` its Python imports).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.generate import random_consistent_tables  # noqa: E402
from tests.htmlgen import write_html  # noqa: E402

# Run by valgrind: warm up on the last file, then read the first N (argv: mode, N, files...).
CHILD = """
import sys
from xxgk.api import read_report
from xxgk.readers import read_document
mode, n, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
read = read_report if mode == "report" else read_document
read(files[-1])
for path in files[:n]:
    read(path)
"""


def _instructions(mode: str, n: int, files: list[Path]) -> int:
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", CHILD, mode, str(n)]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"Collected : (\d+)", result.stderr)
    if found is None:
        raise RuntimeError(f"callgrind printed no count:\n{result.stderr[-2000:]}")
    return int(found.group(1))


def per_file(mode: str, files: list[Path]) -> float:
    """Instructions per file: a run reading all of `files` but the last (the warm-up) less a run
    reading none of them, over their count."""
    n = len(files) - 1
    return (_instructions(mode, n, files) - _instructions(mode, 0, files)) / n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=5, help="distinct files per kind (default 5)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    n = max(1, args.pages)
    with tempfile.TemporaryDirectory(prefix="xxgk-instructions-") as scratch:
        out = Path(scratch)
        kinds: list[tuple[str, str, list[Path]]] = []
        trs = []
        for k in range(n + 1):  # (one more: the warm-up file)
            path = out / f"trs-{k}.html"
            path.write_bytes(write_html(dict(random_consistent_tables(random.Random(50 + k))), "trs", seed=k))
            trs.append(path)
        kinds.append(("html trs (31 KB), read_document", "document", trs))
        corpus = next(iter(sorted((REPO / "tests/fixtures/corpus").glob("010-*.html"))), None)
        if corpus is not None:
            data = corpus.read_bytes()
            pages = []
            for k in range(n + 1):
                path = out / f"010-{k}.html"
                path.write_bytes(data.replace("。".encode(), f"。{k}".encode()) if k else data)
                pages.append(path)
            kinds.append(("html 010 (64 KB), read_document", "document", pages))
        print(f"python {sys.version.split()[0]}; instructions per file (callgrind), {n} distinct files per kind\n")
        for name, mode, files in kinds:
            print(f"{name:<36} {per_file(mode, files) / 1e6:8.2f} M")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
