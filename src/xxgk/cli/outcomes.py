"""The parent's side of `xxgk check`: each outcome classified (checked, not read, skipped as not a
report, a duplicate of an earlier file), counted, and written at once in the chosen format.

Nothing of a file is kept once written except what the closing lines need: counts, and for the
text format one summary row per file; duplicates are found by a fingerprint per file read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

from rich.console import Console
from rich.markup import escape

from xxgk.cli import stream
from xxgk.cli.batch import Outcome, Status
from xxgk.findings import Severity


@dataclass
class Tally:
    counts: dict[Severity, int] = field(default_factory=lambda: dict.fromkeys(Severity, 0))
    files: int = 0
    read: int = 0  # files read as reports (duplicates included)
    unreadable: int = 0
    skipped: int = 0
    duplicates: int = 0
    _first: dict[str, str] = field(default_factory=dict)  # fingerprint -> the first file with it

    def classify(self, o: Outcome) -> tuple[str, str | None]:
        """The outcome's status in this batch, and the earlier file it duplicates."""
        self.files += 1
        if o.status == Status.CHECKED:
            self.read += 1
            first = self._first.setdefault(o.fingerprint, o.path) if o.fingerprint else o.path
            if first != o.path:
                self.duplicates += 1
                return Status.DUPLICATE, first
            for severity, n in o.counts.items():
                self.counts[severity] += n
            return Status.CHECKED, None
        if o.not_a_report and not o.named:
            self.skipped += 1
            return Status.SKIPPED, None
        self.unreadable += 1
        return Status.UNREADABLE, None

    def exit_code(self) -> int:
        """2: no file could be read; 1: errors found, or some file could not be read; 0 otherwise."""
        if self.read == 0:
            return 2
        return 1 if self.counts[Severity.ERROR] or self.unreadable else 0

    def closing_line(self) -> str:
        c = self.counts
        text = f"共 {self.files} 个文件：错误 {c[Severity.ERROR]}，警告 {c[Severity.WARNING]}，提示 {c[Severity.INFO]}"
        if self.unreadable:
            text += f"；无法读取 {self.unreadable} 个"
        if self.skipped:
            text += f"；跳过 {self.skipped} 个（不是年度报告）"
        if self.duplicates:
            text += f"；重复 {self.duplicates} 个（未重复计数）"
        return text


SKIPPED_ZH = "已跳过（不是年度报告）"


def duplicate_zh(first: str) -> str:
    return f"与 {first} 是同一份报告（发布机关、年度和各单元格相同），未重复计数"


class TextWriter:
    """The blocks of each file as they come, then a summary table of every file and the totals."""

    def __init__(self, console: Console, tally: Tally) -> None:
        self.console = console
        self.tally = tally
        self.summary: list[tuple[str, str, str, str, str, str]] = []

    def write(self, o: Outcome) -> None:
        status, first = self.tally.classify(o)
        if status == Status.SKIPPED:
            self.console.print(f"[bold]━━ {escape(o.path)}[/]\n   [dim]{SKIPPED_ZH}[/]  {escape(o.error or '')}")
        elif status == Status.DUPLICATE:
            self.console.print(f"[bold]━━ {escape(o.path)}[/]\n   [yellow]重复[/]  {escape(duplicate_zh(first or ''))}")
        else:
            self.console.file.write(o.text)
            self.console.file.flush()
        read = {Status.CHECKED: "已核查", Status.DUPLICATE: "重复", Status.SKIPPED: "已跳过"}.get(status, "无法读取")
        counted = status == Status.CHECKED
        self.summary.append(
            (
                o.path,
                o.agency or "",
                str(o.year or ""),
                str(o.counts[Severity.ERROR]) if counted else "",
                str(o.counts[Severity.WARNING]) if counted else "",
                read,
            )
        )

    def close(self) -> None:
        from xxgk.cli.render import print_table

        if len(self.summary) > 1:
            self.console.print()
            print_table(
                self.console,
                "各文件汇总",
                ("文件", "发布机关", "年度", "错误", "警告", "读取"),
                self.summary,
                wrap=(0, 1),
                right=(3, 4),
            )
        self.console.print("\n" + self.tally.closing_line())


class RecordWriter:
    """JSON (an array, written record by record) or JSON Lines: the same object for every file."""

    def __init__(self, out: IO[str], tally: Tally, lines: bool) -> None:
        self.tally = tally
        self.sink: Any = stream.JsonLines(out) if lines else stream.JsonArray(out)

    def write(self, o: Outcome) -> None:
        status, first = self.tally.classify(o)
        record = dict(o.record or {})
        record["status"] = status
        record["duplicate_of"] = first
        self.sink.write(record)

    def close(self) -> None:
        self.sink.close()


class RowWriter:
    """CSV or XLSX: one row per finding, one per file not read, skipped or duplicate."""

    def __init__(self, sink: stream.CsvRows | stream.XlsxRows, tally: Tally) -> None:
        self.tally = tally
        self.sink = sink

    def write(self, o: Outcome) -> None:
        status, first = self.tally.classify(o)
        rows = o.rows or []
        if status == Status.SKIPPED:
            rows = [(o.path, None, None, None, "已跳过", None, None, None, None, o.error)]
        elif status == Status.DUPLICATE:
            rows = [(o.path, o.agency, o.year, None, "重复", None, None, None, None, duplicate_zh(first or ""))]
        self.sink.write_rows(rows)

    def close(self) -> None:
        self.sink.close()
