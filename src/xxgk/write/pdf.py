"""PDF output: the HTML rendering (with its print CSS) laid out by WeasyPrint, fonts embedded.

WeasyPrint embeds the subset of every font it uses; without Debian's libharfbuzz-subset0 the
subsetting falls back to a slow path (about 25 s a report), with it a report takes well under 1 s.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from xxgk.report import Report
from xxgk.write.html import render_html

# WeasyPrint's FontConfiguration is costly to build (fontconfig scans every font, ~1 s) and is not
# meant to be shared across threads: one per thread, reused for every report that thread renders.
_local = threading.local()


def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    return config


def render_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # font-config chatter is not for users
    pdf = HTML(string=render_html(report)).write_pdf(font_config=_font_config())
    assert pdf is not None
    return bytes(pdf)
