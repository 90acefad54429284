"""xxgk: read, check and write 政府信息公开工作年度报告 (government-information-disclosure annual reports).

Public API::

    from xxgk import read_report, check_report
    report = read_report("report.txt")
    findings = check_report(report)
"""

from __future__ import annotations

from xxgk.api import check_file, check_report, read_report
from xxgk.errors import XxgkError

__all__ = ["XxgkError", "check_file", "check_report", "read_report"]
__version__ = "0.1.0"
