"""Expand the FILE|DIR arguments of a command into the list of files to read."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from xxgk.readers import READERS
from xxgk.readers.image import IMAGE_SUFFIXES

# Suffixes taken from a directory: the usual suffixes of every reader (a file without one is
# not taken from a directory), images only with --ocr (saved web pages keep their pictures beside
# them: without OCR each would be one more unusable file). Files named explicitly are always read,
# whatever their suffix.
REPORT_SUFFIXES = frozenset(s for reader in READERS for s in reader.suffixes if s) - frozenset(IMAGE_SUFFIXES)


def example_files() -> list[Path]:
    """The five seed reports shipped inside the package."""
    root = resources.files("xxgk.examples")
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith(".txt"))


def expand(paths: list[Path], *, images: bool = False) -> list[Path]:
    """The files named, and those found in the directories named (recursively, by suffix)."""
    suffixes = REPORT_SUFFIXES | frozenset(IMAGE_SUFFIXES) if images else REPORT_SUFFIXES
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in suffixes))
        else:
            out.append(p)
    return out
