"""What `xxgk corpus add` is given: report files, directories, and list files naming documents with their source.

A list file (.tsv, .csv, .lst) has one document a line: path, then optionally the source URL and the
retrieval date (TAB- or comma-separated; a first line starting with "path"/"文件" is a header; blank lines
and lines starting with # are skipped). A path is relative to the list file's folder. A bad line is
named (file and line number) and skipped; the rest of the list is still added.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from xxgk.corpus.ingest import Source

LIST_SUFFIXES = (".tsv", ".csv", ".lst")
_HEADER_WORDS = ("path", "file", "文件", "路径")


@dataclass(frozen=True)
class Wanted:
    path: Path
    source: Source


def parse_date(text: str) -> datetime | None:
    """2025-01-14, 2025-01-14 10:30, 2025/1/14, 2025年1月14日 → datetime; "" → None; else ValueError."""
    text = text.strip()
    if not text:
        return None
    for old, new in (("年", "-"), ("月", "-"), ("日", ""), ("/", "-"), ("T", " ")):
        text = text.replace(old, new)
    head, _, clock = text.partition(" ")
    parts = head.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(text)
    hour, minute = 0, 0
    if clock:
        hm = clock.split(":")
        hour, minute = int(hm[0]), int(hm[1]) if len(hm) > 1 else 0
    return datetime(int(parts[0]), int(parts[1]), int(parts[2]), hour, minute)


def read_list(path: Path) -> tuple[list[Wanted], list[str]]:
    """(the documents a list file names, zh-CN messages for its bad lines)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        return [], [f"{path}：无法读取清单文件（{type(e).__name__}），应为 UTF-8 文本"]
    wanted: list[Wanted] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        delimiter = "\t" if "\t" in line else ","
        fields = [f.strip() for f in next(csv.reader([line], delimiter=delimiter))]
        if number == 1 and fields[0].lower() in _HEADER_WORDS:
            continue
        where = f"{path} 第{number}行"
        if len(fields) > 3:
            problems.append(f"{where}：应为“文件路径、来源网址、获取日期”至多三列，实有{len(fields)}列")
            continue
        fields += [""] * (3 - len(fields))
        name, url, when = fields
        if not name:
            problems.append(f"{where}：缺少文件路径")
            continue
        document = Path(name).expanduser()
        if not document.is_absolute():
            document = path.parent / document
        if not document.is_file():
            problems.append(f"{where}：文件不存在：{document}")
            continue
        if url and not url.startswith(("http://", "https://")):
            problems.append(f"{where}：来源网址应以 http:// 或 https:// 开头：{url}")
            continue
        try:
            retrieved = parse_date(when)
        except (ValueError, IndexError):
            problems.append(f"{where}：获取日期应写作 2025-01-14 或 2025-01-14 10:30：{when}")
            continue
        wanted.append(Wanted(document, Source(url, retrieved, None)))
    return wanted, problems


def expand_arguments(paths: list[Path], report_files: list[Path]) -> tuple[list[Wanted], list[str]]:
    """The documents named by the arguments: list files are read; `report_files` are the other arguments
    already expanded (directories walked) by the CLI's file expansion."""
    wanted: list[Wanted] = []
    problems: list[str] = []
    for p in paths:
        if p.is_file() and p.suffix.lower() in LIST_SUFFIXES:
            found, bad = read_list(p)
            wanted += found
            problems += bad
        elif not p.exists():
            problems.append(f"{p}：文件或目录不存在")
    wanted += [Wanted(f, Source()) for f in report_files if f.is_file() and f.suffix.lower() not in LIST_SUFFIXES]
    return wanted, problems
