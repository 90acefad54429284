"""The rule catalogue. Importing this package registers every rule into RULES, in code order."""

from __future__ import annotations

from xxgk.findings import use_catalogue

# Families register on import (then sorted by code below).
from xxgk.rules import arithmetic, corpus, publication, reading, structure, text  # noqa: F401
from xxgk.rules.base import RULES, Rule, declare, rule

RULES_BY_CODE = dict(sorted(RULES.items()))
RULES.clear()
RULES.update(RULES_BY_CODE)
use_catalogue(RULES)  # (findings look their rule up by code)

__all__ = ["RULES", "Rule", "declare", "rule"]
