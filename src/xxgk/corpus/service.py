"""The corpus' application layer: what the CLI (and a web app) call, over a `CorpusStore`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xxgk.corpus.crossrules import CrossResult, CrossSettings, check_corpus
from xxgk.corpus.deadlines import DeadlineTable

if TYPE_CHECKING:
    from xxgk.corpus.store.repository import CorpusStore


def run_cross_checks(store: CorpusStore, deadlines: DeadlineTable | None = None) -> list[CrossResult]:
    """Run the X rules over the stored reports and replace the stored cross-report findings with them."""
    from xxgk.corpus.store.repository import CrossFinding
    from xxgk.findings import _plain

    results = check_corpus(store.reports(), store.reports(latest=False), CrossSettings(deadlines=deadlines))
    store.replace_cross_findings(
        [
            CrossFinding(
                r.finding.code,
                r.severity,
                r.agency_key,
                r.year,
                r.report_id,
                r.finding.location,
                _json(_plain(r.finding.expected)),
                _json(_plain(r.finding.found)),
                {k: _json(_plain(v)) for k, v in r.finding.params.items()},
                r.message,
                r.fingerprint,
            )
            for r in results
        ]
    )
    return results


def _json(value: object) -> object:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return str(value)
