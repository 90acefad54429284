from __future__ import annotations

import os
from pathlib import Path

import pytest

from xxgk.api import read_report
from xxgk.report import Report

# Under pytest-xdist every core runs a test already: one OCR thread per worker (onnxruntime's
# threads spin while waiting, so two each on two cores only burn CPU time; see readers.ocr).
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("XXGK_OCR_THREADS", "1")

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
# The 15 real published reports of shared/corpus, copied in (with their README) so that every
# clone runs the corpus tests; the README there says where each came from.
CORPUS = FIXTURES / "corpus"


def seed(prefix: str) -> Path:
    """The seed report whose file name starts with `prefix` ("000" … "004")."""
    (path,) = [p for p in SEEDS if p.name.startswith(prefix)]
    return path


@pytest.fixture(scope="session")
def seeds() -> list[Path]:
    return SEEDS


def read_text_report(tmp_path: Path, text: str) -> Report:
    """Write `text` as report.txt under `tmp_path` and read it."""
    path = tmp_path / "report.txt"
    path.write_text(text, "utf-8")
    return read_report(path)


def diagnostic_codes(report: Report) -> list[str]:
    """The codes of what the reader had to repair or could not decide, in order."""
    return [d.code for d in report.diagnostics]


# The suite runs in parallel (pytest-xdist, `-n auto --dist loadgroup` in pyproject.toml): tests
# are handed out one by one, except those of the modules below, each sent whole to one worker
# because its tests share expensive set-up (a module- or session-scoped fixture: PDFs and scans
# made once, a LibreOffice conversion, a PostgreSQL server) that would otherwise be made again in
# every worker. The three ledger modules share one PostgreSQL server.
SHARED_SETUP_GROUPS = {
    "test_bad_input": "bad_input",
    "test_cli_batch": "cli_batch",
    "test_docs": "docs",
    "test_ledger_store": "postgresql",
    "test_ledger_store_cli": "postgresql",
    "test_ledger_xlsx": "postgresql",
    "test_ledger_aggregate": "postgresql",
    "test_web_postgresql": "postgresql",
    "test_reader_ocr": "ocr",
    "test_reader_pdf": "pdf",
    "test_reader_pdf_libreoffice": "libreoffice",
    "test_recover": "recover",
}


# The longest tests (OCR of scans and pasted pictures, the LibreOffice conversions) are handed out
# first: started last, they ran on one worker for minutes after the other had finished.
LONGEST_FIRST = (
    "test_reader_ocr",
    "test_tables_as_pictures",
    "test_reader_pdf_libreoffice",
    "test_browser",
    "test_browser_agency",
)


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups from the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.path.stem not in LONGEST_FIRST)  # (stable: the order otherwise kept)
    for item in items:
        group = SHARED_SETUP_GROUPS.get(item.path.stem)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
