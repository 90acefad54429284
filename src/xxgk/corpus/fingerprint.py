"""A finding's stable fingerprint: the same defect gives the same fingerprint when a report is ingested
again (from another file, another form, after a reader change that moves lines), so a reviewer's notes
on it stay attached. Built from the code, the cell/section key and the normalised expected/found values,
never from positions (page, line, file), which change with the form of the document."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any


def _norm(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value.normalize()) if value != value.to_integral_value() else str(int(value))
    if isinstance(value, float):
        return str(Decimal(repr(value)).normalize()) if not value.is_integer() else str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return "".join(value.split())
    if isinstance(value, list | tuple):
        return [_norm(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _norm(v) for k, v in sorted(value.items())}
    return value


def fingerprint(code: str, location: str, expected: Any, found: Any, *scope: Any) -> str:
    """40 hex chars; `scope` adds what makes a cross-report finding distinct (agency, years)."""
    payload = json.dumps([code, location, _norm(expected), _norm(found), [_norm(s) for s in scope]], ensure_ascii=False)
    return hashlib.sha1(payload.encode()).hexdigest()
