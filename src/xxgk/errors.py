"""Exceptions for misuse and unusable input only. A defect in a report is a Finding, never an exception."""

from __future__ import annotations


class XxgkError(Exception):
    """Base class. `message` is user-facing zh-CN text; the CLI prints it and exits with code 2.

    `code` is set when the failure has its own entry in the rule catalogue (e.g. R005 scanned PDF).
    """

    code: str | None = None

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.message = message
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class UnreadableInputError(XxgkError):
    """The file cannot be read as text at all (binary, undecodable, empty, too large)."""


class NotAReportError(XxgkError):
    """The file is text but not a 政府信息公开工作年度报告."""


class SpecError(XxgkError):
    """The format definition file is inconsistent (a programming error, caught by tests)."""


class UnknownRuleCodeError(XxgkError):
    """A code or prefix given to select or ignore rules matches no rule of the catalogue."""


class ScannedPdfError(UnreadableInputError):
    """A document whose pages (or pictures) hold no text layer: R005, with how to read it (--ocr)."""

    code = "R005"


class OverBudgetError(UnreadableInputError):
    """A document that would cost more than its reading budget (`ReadSettings.max_*`): a hostile or
    damaged file refused before it exhausts memory or time, R020, naming the limit."""

    code = "R020"
