"""A generated multi-year corpus: agencies × years of consistent reports whose years follow each other
(上年结转 = last year's 结转下年度, 现行有效 = last year's + 制发 − 废止), each with its own narrative text."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from .generate import SPEC, _prose, random_consistent_tables, write_report

# Characters for random narrative text (no digits: no text-vs-table rule fires).
_POOL = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发动同工也能下过子说产种面而方后"
    "多定行学法所民得经之进着等部度家电力里如水化高自理起小物现实加量都两体制机当使点从业本去把性好应开它合还因"
)
APPLICANTS = [c.key for c in SPEC.tables["t3"].columns]


def random_text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_POOL) for _ in range(n)) + "。"


def chained_values(rng: random.Random, previous: dict[str, int | Decimal] | None) -> dict[str, int | Decimal]:
    values = random_consistent_tables(rng)
    if previous is None:
        return values
    for col in APPLICANTS:
        if col == "total":
            continue
        carried_in = int(previous[f"t3.carried_over_out.{col}"])
        out = int(values[f"t3.carried_over_out.{col}"])
        processed = int(values[f"t3.processed_total.{col}"])
        values[f"t3.carried_over_in.{col}"] = carried_in
        values[f"t3.new_received.{col}"] = processed + out - carried_in
        if processed + out - carried_in < 0:  # (keep the count non-negative: carry more out)
            values[f"t3.new_received.{col}"] = 0
            values[f"t3.carried_over_out.{col}"] = carried_in - processed
    for row in ("carried_over_in", "new_received", "carried_over_out"):
        values[f"t3.{row}.total"] = sum(int(values[f"t3.{row}.{c}"]) for c in APPLICANTS if c != "total")
    for row in ("regulations", "normative_documents"):
        base = f"t2.{row}"
        before = int(previous[f"{base}.in_force"])
        issued = int(values[f"{base}.issued"])
        repealed = min(int(values[f"{base}.repealed"]), before + issued)
        values[f"{base}.repealed"] = repealed
        values[f"{base}.in_force"] = before + issued - repealed
    return values


def report_text(values: dict[str, int | Decimal], agency: str, year: int, rng: random.Random) -> str:
    text = write_report(values, "tab", agency, year)
    # Each agency and year its own narrative (the generator's prose is the same for everyone).
    for key, paragraphs in _prose(agency, year).items():
        for paragraph in paragraphs:
            text = text.replace(paragraph, random_text(rng, 150 if key in ("s1_overview", "s5_problems") else 60))
    return text


def write_corpus(
    folder: Path, agencies: list[str], years: list[int], seed: int = 1
) -> dict[tuple[str, int], tuple[Path, dict[str, int | Decimal]]]:
    rng = random.Random(seed)
    out: dict[tuple[str, int], tuple[Path, dict[str, int | Decimal]]] = {}
    folder.mkdir(parents=True, exist_ok=True)
    for n, agency in enumerate(agencies):
        previous = None
        for year in years:
            values = chained_values(rng, previous)
            path = folder / f"{n:03d}-{year}.txt"
            path.write_text(report_text(values, agency, year, rng), "utf-8")
            out[(agency, year)] = (path, values)
            previous = values
    return out
