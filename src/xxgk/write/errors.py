"""Errors of the template loaders and writers: unusable input, with a zh-CN message naming the place."""

from __future__ import annotations

from xxgk.errors import XxgkError


class TemplateError(XxgkError):
    """A fill-in template (YAML/XLSX/JSON) cannot be loaded: the message names the cell key and line/cell."""


class OutputError(XxgkError):
    """The requested output cannot be written (unknown suffix, unwritable directory)."""
