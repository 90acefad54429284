"""Web reports printed to PDF by Chromium (issue 19 §3: text-layer PDFs from any producer).

A reviewer often has the PDF a browser printed of an agency's page, site menu included. Two CMS
styles of `tests/htmlgen.py` are printed by Debian's chromium (headless, no header or footer) once
per module; every cell must come back as the page has it, and the PDF must get no finding about the
report's structure or tables (B, C) that the page itself does not get: the menu's link
二、主动公开政府信息情况 above the title is no second heading (B023) nor one out of order (B022).
"""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.generate import random_consistent_tables
from tests.htmlgen import write_html
from xxgk.api import check, read

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="chromium 未安装"),
    pytest.mark.xdist_group("pdf_chromium"),  # one worker prints the module's PDFs once
]
STYLES = ("trs", "word")  # a CMS page with a site menu above the report, and a page saved from Word


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict[str, Any], Path, Path]]:
    """style -> (values, the page, the PDF Chromium printed of it)."""
    out = tmp_path_factory.mktemp("chromium")
    made = {}
    for i, style in enumerate(STYLES):
        values = dict(random_consistent_tables(random.Random(1900 + i)))
        page = out / f"{style}.html"
        page.write_bytes(write_html(values, style, seed=i))
        pdf = page.with_suffix(".pdf")
        assert CHROMIUM is not None
        subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf}",
                page.as_uri(),
            ],
            capture_output=True,
            timeout=120,
            check=True,
        )
        made[style] = (values, page, pdf)
    return made


def _report_findings(path: Path) -> set[tuple[str, str]]:
    return {(f.code, f.location) for f in check(read(path)) if f.code[0] in "BC"}


@pytest.mark.parametrize("style", STYLES)
def test_every_cell_of_a_page_printed_by_chromium(
    printed: dict[str, tuple[dict[str, Any], Path, Path]], style: str
) -> None:
    values, _, pdf = printed[style]
    report = read(pdf)
    assert {k: report.cells[k].value for k in values} == values
    # Every label whole: a row the page break cut (3.危及“三 | 安全一稳定” at the top of the next
    # page, where the merged cells on its left are not drawn again) is joined, not a typo (R003).
    assert [f.code for f in report.diagnostics if f.code in ("R003", "R017")] == []


@pytest.mark.parametrize("style", STYLES)
def test_the_printed_page_is_blamed_for_nothing_the_page_is_not(
    printed: dict[str, tuple[dict[str, Any], Path, Path]], style: str
) -> None:
    _, page, pdf = printed[style]
    assert _report_findings(pdf) == _report_findings(page)
    if style == "trs":  # the menu's heading is left out, and said so
        notes = [f.params["note"] for f in read(pdf).diagnostics if f.code == "R013"]
        assert any("「二、主动公开政府信息情况」" in n and "网站导航或目录" in n for n in notes)
