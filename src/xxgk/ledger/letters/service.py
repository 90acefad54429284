"""Letters from a ledger store: what `xxgk ledger letter` (and the web app's download) do, as functions.

The store gives the case, its recorded 申请内容, the agency's name (the organ when organisation.toml names
none) and its calendar; a fee notice without an amount defaults to what 109号 charges, as `xxgk ledger event`
does (`commands.fee_notice_values`). Recording the letter's event goes through the store like any event.
Nothing here imports Django at module level.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from xxgk.ledger.case import Case, CaseState
from xxgk.ledger.commands import fee_notice_values
from xxgk.ledger.counting import CountingRules
from xxgk.ledger.letters.compose import Letter, LetterFacts, compose_letter, recorded_event
from xxgk.ledger.letters.kinds import LetterKind
from xxgk.ledger.letters.templates import TemplateSet

if TYPE_CHECKING:
    from xxgk.ledger.store.repository import LedgerStore


def letter_from_store(
    store: LedgerStore,
    number: str,
    kind: LetterKind,
    *,
    on: date | None = None,
    today: date | None = None,
    values: Mapping[str, str] | None = None,
    facts: LetterFacts | None = None,
    templates: TemplateSet | None = None,
    rules: CountingRules | None = None,
) -> Letter:
    """The letter of `kind` for case `number` of the store (nothing is recorded; see `record_letter`)."""
    stored = store.get(number)
    facts = facts or LetterFacts()
    if kind.event == "fee_notice_issued" and facts.amount is None and recorded_event(stored.case, kind, on) is None:
        facts = _fee_defaults(store, number, stored.state, facts)
    return compose_letter(
        stored.case,
        kind,
        on=on,
        today=today,
        subject=stored.subject or None,
        agency=store.agency,
        values=values,
        facts=facts,
        templates=templates,
        calendar=store.calendar,
        rules=rules,
    )


def _fee_defaults(store: LedgerStore, number: str, state: CaseState, facts: LetterFacts) -> LetterFacts:
    given: dict[str, Any] = {"method": facts.method, "pages": facts.pages}

    def states() -> list[CaseState]:
        return store.states(applicant=state.applicant)

    found = fee_notice_values(given, states, number)
    return replace(facts, amount=found["amount"], method=found["method"], pages=found["pages"])


def record_letter(store: LedgerStore, letter: Letter) -> Case | None:
    """Record the letter's event on its case; None when the case already holds it (a reprint)."""
    if letter.recorded:
        return None
    return store.record(letter.case_id, letter.event)


__all__ = ["letter_from_store", "record_letter"]
