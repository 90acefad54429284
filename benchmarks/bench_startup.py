"""Start-up time of the `xxgk` command, against the bare interpreter and typer + rich, in one run.

Usage:
    python3 benchmarks/bench_startup.py [--rounds 7]

Goals (issue 18 §4): `xxgk --help` and `xxgk deadline …` at most 4× `python -c 'import typer,
rich'`; `xxgk check one.txt` (a seed report) at most 0.35 s of CPU. Each command is run `--rounds`
times as a fresh process; the best wall time and the best CPU time (user + system of the child)
are shown. The rows marked "CLI alone" start the CLI with the package's `xxgk/__init__.py`
bypassed (an empty package module put in its place), which shows what the CLI modules themselves
cost when the package's top level imports the readers.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = next(iter(sorted((REPO / "tests/fixtures/seeds").glob("*.txt"))))
ENTRY = "from xxgk.cli.main import run; run()"
# (the package module replaced by an empty one, so that only what the CLI imports is loaded)
BARE = (
    "import sys, types; m = types.ModuleType('xxgk'); m.__path__ = [{src!r}]; sys.modules['xxgk'] = m; "
    "from xxgk.cli.main import run; run()"
).format(src=str(REPO / "src" / "xxgk"))


def timed(argv: list[str], rounds: int) -> tuple[float, float]:
    """Best wall and best CPU seconds of `argv` as a new process."""
    walls, cpus = [], []
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "COLUMNS": "100"}
    for _ in range(rounds):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, env=env, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(walls), min(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    py = sys.executable
    rows = [
        ("python -c pass", [py, "-c", "pass"]),
        ("python -c 'import typer, rich'", [py, "-c", "import typer, rich"]),
        ("xxgk --help", [py, "-c", ENTRY, "--help"]),
        ("xxgk rules", [py, "-c", ENTRY, "rules"]),
        ("xxgk deadline 2025-03-03", [py, "-c", ENTRY, "deadline", "2025-03-03"]),
        ("xxgk check one.txt", [py, "-c", ENTRY, "check", str(SEED)]),
        ("CLI alone: xxgk --help", [py, "-c", BARE, "--help"]),
        ("CLI alone: xxgk rules", [py, "-c", BARE, "rules"]),
        ("CLI alone: xxgk deadline 2025-03-03", [py, "-c", BARE, "deadline", "2025-03-03"]),
    ]
    print(f"python {sys.version.split()[0]}; best of {args.rounds} rounds; one.txt = {SEED.name}")
    print(f"{'command':<38} {'wall s':>8} {'cpu s':>8} {'wall ×':>7} {'cpu ×':>6}  (× typer+rich)")
    results: dict[str, tuple[float, float]] = {}
    for name, argv in rows:
        results[name] = timed(argv, args.rounds)
    base, base_cpu = results["python -c 'import typer, rich'"]
    for name, (wall, cpu) in results.items():
        print(f"{name:<38} {wall:>8.3f} {cpu:>8.3f} {wall / base:>6.1f}× {cpu / base_cpu:>5.1f}×")
    # (on a machine shared with other work, wall time swings with the load; CPU time much less)
    goals = [
        ("xxgk --help ≤ 4× typer+rich (wall)", results["xxgk --help"][0] <= 4 * base),
        ("xxgk --help ≤ 4× typer+rich (cpu)", results["xxgk --help"][1] <= 4 * base_cpu),
        ("xxgk deadline ≤ 4× typer+rich (wall)", results["xxgk deadline 2025-03-03"][0] <= 4 * base),
        ("xxgk deadline ≤ 4× typer+rich (cpu)", results["xxgk deadline 2025-03-03"][1] <= 4 * base_cpu),
        ("xxgk check one.txt ≤ 0.35 s CPU", results["xxgk check one.txt"][1] <= 0.35),
    ]
    for goal, met in goals:
        print(f"goal {goal}: {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
