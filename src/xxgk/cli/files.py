"""Expand the FILE|DIR arguments of a command into the files to read.

A file named on the command line is always read, whatever its suffix (if it is not a report, that
is its error). A directory gives the files under it with a report suffix; a subdirectory that
cannot be listed is reported as a target of its own with its reason, never skipped in silence.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from xxgk.oserrors import os_error_zh

# The fill-in templates of `xxgk new`, checked like `xxgk render` checks them (named files only:
# a .yaml or .xlsx in a folder is rarely a report).
TEMPLATE_SUFFIXES = frozenset({".yaml", ".yml", ".xlsx"})


@dataclass(frozen=True)
class Target:
    """One file to check, or one path that could not be listed (`problem` says why)."""

    path: Path
    named: bool  # named on the command line (not found in a folder)
    problem: str | None = None


@dataclass(frozen=True)
class Collected:
    targets: list[Target]
    empty_folders: list[Path]  # folders named that hold no report file


def example_files() -> list[Path]:
    """The five seed reports shipped inside the package."""
    root = resources.files("xxgk.examples")
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith(".txt"))


def suffixes(images: bool = False) -> frozenset[str]:
    """Suffixes taken from a directory: the usual suffixes of every reader (a file without one is
    not taken), images only with --ocr (saved web pages keep their pictures beside them: without
    OCR each would be one more unusable file). The readers are imported here, not at start-up."""
    from xxgk.readers import READERS
    from xxgk.readers.sniff import IMAGE_SUFFIXES  # (not the image reader: it imports pypdfium2)

    report = frozenset(s for reader in READERS for s in reader.suffixes if s) - frozenset(IMAGE_SUFFIXES)
    return report | frozenset(IMAGE_SUFFIXES) if images else report


def collect(paths: list[Path], *, images: bool = False) -> Collected:
    """The targets of `paths`, in order: each file named, then each folder's files (sorted)."""
    wanted = suffixes(images)
    targets: list[Target] = []
    empty: list[Path] = []
    for p in paths:
        if not p.is_dir():
            targets.append(Target(p, named=True))
            continue
        found = _walk(p, wanted)
        if not any(t.problem is None for t in found):
            empty.append(p)
        targets.extend(found)
    return Collected(targets, empty)


def _walk(root: Path, wanted: frozenset[str]) -> list[Target]:
    found: list[Target] = []

    def unreadable(e: OSError) -> None:
        where = Path(e.filename) if e.filename else root
        found.append(Target(where, named=False, problem=f"无法读取目录：{os_error_zh(e)}"))

    for folder, dirs, names in os.walk(root, onerror=unreadable, followlinks=False):
        dirs.sort()
        base = Path(folder)
        for name in names:
            if os.path.splitext(name)[1].lower() in wanted and (base / name).is_file():
                found.append(Target(base / name, named=False))
    return sorted(found, key=lambda t: t.path)


def expand(paths: list[Path], *, images: bool = False) -> list[Path]:
    """The files named, and those found in the directories named (recursively, by suffix)."""
    return [t.path for t in collect(paths, images=images).targets if t.problem is None]
