"""The library's front door: read a file into a Report, check a Report into Findings."""

from __future__ import annotations

from pathlib import Path

from xxgk.findings import Finding
from xxgk.gc_pause import gc_paused
from xxgk.readers import read_document
from xxgk.recognize import recognize
from xxgk.report import Report
from xxgk.settings import CheckSettings, ReadSettings


def read_report(path: str | Path, settings: ReadSettings | None = None) -> Report:
    """Read and recognise one report. Raises XxgkError (zh-CN message) for unusable input."""
    with gc_paused():
        return recognize(read_document(path, settings))


def check_report(report: Report, settings: CheckSettings | None = None) -> list[Finding]:
    from xxgk.checker import check

    return check(report, CheckSettings.resolve(settings))


def check_file(
    path: str | Path, settings: CheckSettings | None = None, read_settings: ReadSettings | None = None
) -> tuple[Report, list[Finding]]:
    report = read_report(path, read_settings)
    return report, check_report(report, settings)
