"""Read and check one file for the corpus, in a worker process: everything the store needs, as plain data.

No Django here: the worker only reads and checks (`xxgk.api`), the parent process writes. A file that
cannot be read is an outcome like any other, with its zh-CN reason (never an exception).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from xxgk.api import check_report, read_report
from xxgk.corpus.fingerprint import fingerprint
from xxgk.errors import XxgkError
from xxgk.findings import Finding
from xxgk.report import Provenance, Report
from xxgk.settings import CheckSettings, ReadSettings

_HASH_BLOCK = 1 << 20
# The header a crawler writes above the page text (三明: full-width colons, 莆田: ASCII ones).
_CRAWLER_URL = re.compile(r"^原始链接[：:][ \t]*(\S+)", re.M)
_CRAWLER_TIME = re.compile(r"^发布时间[：:][ \t]*(\d{4}-\d{1,2}-\d{1,2})(?:[ T](\d{1,2}:\d{2}(?::\d{2})?))?", re.M)


@dataclass(frozen=True)
class Source:
    """Where a document came from, when known (a list file's columns, or the crawler header)."""

    url: str = ""
    retrieved_at: datetime | None = None
    published_at: datetime | None = None


@dataclass
class Ingested:
    """One file read and checked: the document's identity, and either the report or the reason it failed."""

    path: str
    sha256: str
    size: int
    suffix: str
    error: str | None = None
    error_code: str | None = None
    agency: str | None = None
    year: int | None = None
    spec_id: str = "gov2021"
    format_version: str = "unknown"
    title: str | None = None
    published_on: date | None = None
    # (key, value, state, raw, provenance as JSON text, note, unit): the JSON is made here, in the worker
    cells: list[tuple[str, Any, str, str | None, str | None, str, str]] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    source: Source = field(default_factory=Source)

    @property
    def usable(self) -> bool:
        return self.error is None


def file_sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while block := f.read(_HASH_BLOCK):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def crawler_source(path: Path) -> Source:
    """The source URL and publication time a crawler wrote at the top of a text file, if any."""
    if path.suffix.lower() not in (".txt", ""):
        return Source()
    try:
        head = path.open("rb").read(4096).decode("utf-8", errors="ignore")
    except OSError:
        return Source()
    url = _CRAWLER_URL.search(head)
    when = _CRAWLER_TIME.search(head)
    published = None
    if when:
        try:
            published = datetime.fromisoformat(f"{when.group(1)} {when.group(2) or '00:00'}")
        except ValueError:
            published = None
    return Source(url.group(1) if url else "", None, published)


def finding_record(finding: Finding, spec: Any) -> dict[str, Any]:
    data = finding.to_json(spec)
    return {
        "code": data["code"],
        "severity": data["severity"],
        "location": data["location"],
        "expected": data["expected"],
        "found": data["found"],
        "params": {k: _plain(v) for k, v in finding.params.items()},
        "provenance": data["source"],
        "message": data["message"],
        "fingerprint": fingerprint(data["code"], data["location"], data["expected"], data["found"]),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


def provenance_json(source: Provenance, strings: dict[str, str]) -> str:
    """`json.dumps(source.to_json(), ensure_ascii=False)`, the same text made ~3 times faster (a report has
    some 200 cells, and the worker makes this for each); `strings` caches the JSON of the file name."""
    parts = []
    for name, value in zip(Provenance._fields, source, strict=True):
        if value is None:
            continue
        if type(value) is int:
            parts.append(f'"{name}": {value}')
        elif type(value) is str:
            text = strings.get(value)
            if text is None:
                text = strings[value] = json.dumps(value, ensure_ascii=False)
            parts.append(f'"{name}": {text}')
        else:
            parts.append(f'"{name}": {json.dumps(value, ensure_ascii=False)}')
    return "{" + ", ".join(parts) + "}"


def report_record(item: Ingested, report: Report, findings: list[Finding]) -> Ingested:
    meta = report.meta
    item.agency, item.year, item.title, item.published_on = meta.agency, meta.year, meta.title, meta.date
    item.spec_id, item.format_version = report.spec_id, meta.format_version
    strings: dict[str, str] = {}
    item.cells = [
        (
            key,
            cell.value,
            str(cell.state),
            cell.raw,
            provenance_json(cell.source, strings) if cell.source else None,
            cell.note or "",
            cell.unit or "",
        )
        for key, cell in report.cells.items()
    ]
    item.sections = {key: section.text for key, section in report.sections.items()}
    spec = report.spec
    item.findings = [finding_record(f, spec) for f in findings]
    item.notes = [{"code": d.code, "location": d.location} for d in report.diagnostics if hasattr(d, "code")]
    return item


def ingest_file(
    path: Path,
    sha256: str,
    size: int,
    source: Source,
    read_settings: ReadSettings | None = None,
    settings: CheckSettings | None = None,
) -> Ingested:
    """Read and check `path` (whose hash the caller computed); every failure is a recorded reason."""
    from_crawler = crawler_source(path)
    merged = Source(
        source.url or from_crawler.url, source.retrieved_at, source.published_at or from_crawler.published_at
    )
    item = Ingested(str(path), sha256, size, path.suffix.lower().lstrip("."), source=merged)
    try:
        report = read_report(path, read_settings)
        findings = check_report(report, settings)
    except XxgkError as e:
        item.error, item.error_code = e.message, e.code
        return item
    except Exception as e:  # one bad file never stops a batch (the reason names the exception)
        item.error = f"内部错误（{type(e).__name__}），请将该文件提交给开发者"
        return item
    return report_record(item, report, findings)
