"""Letter templates as data: one TOML file per kind (`<kind>.toml`), plus `common.toml` (the remedy and
contact lines) and `organisation.toml` (the issuing organ, the 复议机关 …), shipped in this package.

An organisation edits its own copies: a directory holding files of the same names overrides the packaged ones,
file by file (a file present there replaces the packaged one whole). The directory is, first found: the
`templates` argument, `$XXGK_LETTER_TEMPLATES`, `$XXGK_HOME/letters` (`~/.xxgk/letters`) when it exists.
Every file is checked when loaded: TOML syntax, known keys, known placeholders; errors are zh-CN.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from xxgk.ledger.letters.kinds import LetterError
from xxgk.ledger.letters.placeholders import problems

TEMPLATES_ENV = "XXGK_LETTER_TEMPLATES"
HOME_ENV = "XXGK_HOME"
HOME_SUBDIR = "letters"
COMMON_FILE = "common.toml"
ORGANISATION_FILE = "organisation.toml"

# key → required? A letter template's keys.
LETTER_KEYS = {"title": True, "clause": True, "body": True, "to": False, "remedy": False}
COMMON_KEYS = {"remedy": True, "contact": True}
# organisation.toml key → placeholder it fills
ORGANISATION_KEYS = {
    "name": "机关名称",
    "review_organ": "复议机关",
    "court": "诉讼法院",
    "doc_prefix": "",
    "contact_person": "联系人",
    "phone": "联系电话",
    "address": "通讯地址",
    "payment_method": "缴费方式",
}


@dataclass(frozen=True)
class LetterTemplate:
    kind: str
    title: str
    clause: str
    body: tuple[str, ...]  # paragraphs
    to: str  # the addressee line
    remedy: str | None  # the kind's own remedy text (None: common.toml's)
    source: str  # where it was read (for messages)


@dataclass(frozen=True)
class CommonTexts:
    remedy: str
    contact: str
    source: str


@dataclass(frozen=True)
class Organisation:
    """The issuing organ's facts. Empty strings are blanks the letter marks for filling in."""

    name: str = ""
    review_organ: str = ""
    court: str = ""
    doc_prefix: str = ""
    contact_person: str = ""
    phone: str = ""
    address: str = ""
    payment_method: str = ""


def default_user_dir() -> Path | None:
    env = os.environ.get(TEMPLATES_ENV)
    if env:
        return Path(env).expanduser()
    home = os.environ.get(HOME_ENV)
    base = Path(home).expanduser() if home else Path.home() / ".xxgk"
    candidate = base / HOME_SUBDIR
    return candidate if candidate.is_dir() else None


class TemplateSet:
    """Where templates are read: the user's directory (optional) over the packaged files."""

    def __init__(self, user_dir: str | Path | None = None, *, packaged: bool = True) -> None:
        explicit = user_dir is not None or os.environ.get(TEMPLATES_ENV)
        self.user_dir = Path(user_dir).expanduser() if user_dir is not None else default_user_dir()
        if explicit and self.user_dir is not None and not self.user_dir.is_dir():
            raise LetterError(f"告知书模板目录不存在：{self.user_dir}")
        self.packaged = packaged

    def _find(self, name: str) -> tuple[str, str]:
        """(text, where) of the file `name`: the user's copy, else the packaged one."""
        searched = []
        if self.user_dir is not None:
            path = self.user_dir / name
            searched.append(str(path))
            if path.is_file():
                try:
                    return path.read_text("utf-8-sig"), str(path)
                except (OSError, UnicodeDecodeError) as e:
                    raise LetterError(f"无法读取告知书模板 {path}：{e}") from None
        if self.packaged:
            res: Traversable = resources.files("xxgk.ledger.letters").joinpath("templates", name)
            searched.append(f"软件自带模板 {name}")
            if res.is_file():
                return res.read_text("utf-8"), f"软件自带模板 {name}"
        raise LetterError(f"找不到告知书模板 {name}（已查找：{'；'.join(searched)}）")

    def _toml(self, name: str) -> tuple[dict[str, Any], str]:
        text, where = self._find(name)
        try:
            return tomllib.loads(text), where
        except tomllib.TOMLDecodeError as e:
            raise LetterError(f"告知书模板 {where} 不是有效的 TOML：{e}") from None

    def letter(self, kind: str) -> LetterTemplate:
        data, where = self._toml(f"{kind}.toml")
        _check_keys(data, LETTER_KEYS, where)
        body = tuple(line.strip() for line in str(data["body"]).splitlines() if line.strip())
        if not body:
            raise LetterError(f"告知书模板 {where} 的 body（正文）为空")
        remedy = data.get("remedy")
        tpl = LetterTemplate(
            kind=kind,
            title=str(data["title"]).strip(),
            clause=str(data["clause"]).strip(),
            body=body,
            to=str(data.get("to", "{申请人}：")).strip(),
            remedy=None if remedy is None else str(remedy).strip(),
            source=where,
        )
        _check_placeholders(where, title=tpl.title, clause=tpl.clause, to=tpl.to, body="\n".join(body))
        if tpl.remedy is not None:
            _check_placeholders(where, remedy=tpl.remedy)
        return tpl

    def common(self) -> CommonTexts:
        data, where = self._toml(COMMON_FILE)
        _check_keys(data, COMMON_KEYS, where)
        texts = CommonTexts(str(data["remedy"]).strip(), str(data["contact"]).strip(), where)
        _check_placeholders(where, remedy=texts.remedy, contact=texts.contact)
        return texts

    def organisation(self) -> Organisation:
        data, where = self._toml(ORGANISATION_FILE)
        _check_keys(data, dict.fromkeys(ORGANISATION_KEYS, False), where)
        bad = [k for k, v in data.items() if not isinstance(v, str)]
        if bad:
            raise LetterError(f"{where}：{'、'.join(bad)} 应为文字（用英文双引号括起）")
        return Organisation(**{k: v.strip() for k, v in data.items()})


def check_templates(templates: TemplateSet, kinds: Iterable[str]) -> list[str]:
    """Every problem of a template set, in zh-CN (empty when all is well): each letter kind's file, the
    common texts, the organisation file, and files in the user's directory that no letter uses (a typo in a
    file name would otherwise leave the packaged template in use without a word)."""
    kinds = list(kinds)
    wanted = [f"{k}.toml" for k in kinds]
    problems_found: list[str] = []
    loads: list[Callable[[], object]] = [partial(templates.letter, k) for k in kinds]
    for load in (*loads, templates.common, templates.organisation):
        try:
            load()
        except LetterError as e:
            problems_found.append(e.message)
    if templates.user_dir is not None and templates.user_dir.is_dir():
        known = {*wanted, COMMON_FILE, ORGANISATION_FILE}
        for path in sorted(templates.user_dir.glob("*.toml")):
            if path.name not in known:
                problems_found.append(f"模板目录中的 {path.name} 不是任何告知书的模板文件（文件名是否有误？）")
    return problems_found


def _check_keys(data: dict[str, Any], keys: dict[str, bool], where: str) -> None:
    unknown = [k for k in data if k not in keys]
    if unknown:
        raise LetterError(f"告知书模板 {where} 有未知的项：{'、'.join(unknown)}；可用的项：{'、'.join(keys)}")
    missing = [k for k, required in keys.items() if required and k not in data]
    if missing:
        raise LetterError(f"告知书模板 {where} 缺少必填的项：{'、'.join(missing)}")


def _check_placeholders(where: str, **texts: str) -> None:
    for part, text in texts.items():
        found = problems(text)
        if found:
            raise LetterError(
                f"告知书模板 {where} 的 {part} 项：{'；'.join(found)}。可用的占位符见用户手册「答复书与告知书」一章"
            )


__all__ = [
    "COMMON_FILE",
    "ORGANISATION_FILE",
    "TEMPLATES_ENV",
    "CommonTexts",
    "LetterTemplate",
    "Organisation",
    "TemplateSet",
    "check_templates",
    "default_user_dir",
]
