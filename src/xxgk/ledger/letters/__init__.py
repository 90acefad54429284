"""Reply letters and notices (告知书) of the 依申请公开 ledger, from templates kept as data.

    from xxgk.ledger.letters import compose_letter, render_letter_docx, resolve_kind
    letter = compose_letter(case, resolve_kind("不予公开", "属于国家秘密"), on=date(2025, 10, 20))
    Path("答复书.docx").write_bytes(render_letter_docx(letter))
    store.record(case.id, letter.event)  # unless letter.recorded (a reprint)

Letter kinds and the case event each stands for (`Letter.event`, kinds of `xxgk.ledger.events`):

| letter                                   | event kind             | event fields                          |
|------------------------------------------|------------------------|---------------------------------------|
| 予以公开 … 不予处理, 其他处理：其他      | `replied`              | outcome = the kind's 表三 row         |
| 其他处理：逾期不补正                      | `correction_lapsed`    |                                       |
| 其他处理：逾期未缴费                      | `fee_not_paid`         |                                       |
| 补正通知                                  | `correction_requested` | reply_by (补正期限)                   |
| 延期通知                                  | `extension_approved`   | days                                  |
| 征求意见函（第三方 / 其他机关）           | `consultation_sent`    | party (third_party / agency), ref     |
| 收费通知                                  | `fee_notice_issued`    | amount, method, pages                 |

Templates: one TOML file per kind in `templates/` (see `templates.py` for the per-organisation override
directory). `service.py` does the same from a ledger store (the fee default, the recorded subject).
Nothing here imports Django.
"""

from __future__ import annotations

from xxgk.ledger.letters.compose import Letter, LetterFacts, compose_letter, document_number, zh_date
from xxgk.ledger.letters.kinds import LetterError, LetterKind, kind_by_key, letter_kinds, resolve_kind
from xxgk.ledger.letters.placeholders import BLANK, PLACEHOLDERS
from xxgk.ledger.letters.render import render_letter_docx, render_letter_html, render_letter_pdf
from xxgk.ledger.letters.templates import (
    TEMPLATES_ENV,
    Organisation,
    TemplateSet,
)
from xxgk.ledger.letters.templates import (
    check_templates as check_template_set,
)


def check_letter_templates(templates: TemplateSet | None = None) -> list[str]:
    """Every problem of the templates in use (an organisation's folder over the packaged ones), in zh-CN."""
    return check_template_set(templates or TemplateSet(), [k.key for k in letter_kinds()])


__all__ = [
    "BLANK",
    "PLACEHOLDERS",
    "TEMPLATES_ENV",
    "Letter",
    "LetterError",
    "LetterFacts",
    "LetterKind",
    "Organisation",
    "TemplateSet",
    "check_letter_templates",
    "compose_letter",
    "document_number",
    "kind_by_key",
    "letter_kinds",
    "render_letter_docx",
    "render_letter_html",
    "render_letter_pdf",
    "resolve_kind",
    "zh_date",
]
