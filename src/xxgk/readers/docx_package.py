"""The ZIP package of a Word file (Open Packaging Conventions): its main part, other parts by name,
and the relationships of a part. Every read is bounded (zip bombs, encrypted entries, damage are
zh-CN errors), so the body walk (`xxgk.readers.docx`) and the embedded documents
(`xxgk.readers.docx_parts`) read parts the same way.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib

from lxml import etree

from xxgk.errors import UnreadableInputError
from xxgk.settings import ReadSettings

MAIN_PART = "word/document.xml"
MAX_RELS_BYTES = 1 << 20  # a relationships part is a few KB

_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_DOCUMENT = "/officeDocument"
UNREADABLE_ZIP = "Word 文件已损坏或不完整（ZIP 结构无法读取），请在 Word/WPS 中打开并重新保存后重试"
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError)
_ENTRY_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError)


def xml_parser() -> etree.XMLParser:
    """A parser for package parts: no entities, DTDs or network (hostile documents)."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True
    )


def open_package(path: str, data: bytes) -> zipfile.ZipFile:
    """The ZIP package of `data`; UnreadableInputError when it is not one or is damaged."""
    if not data.startswith(b"PK"):  # PK\x03\x04, or PK\x05\x06 for an empty archive
        raise UnreadableInputError("不是 Word（.docx）文件：文件不是 ZIP 格式", path=path)
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS:
        raise UnreadableInputError(UNREADABLE_ZIP, path=path) from None


def main_part_name(zf: zipfile.ZipFile) -> str | None:
    """The main document part: the officeDocument target of `_rels/.rels`, else word/document.xml."""
    names = set(zf.namelist())
    for target in relationships(zf, "", _OFFICE_DOCUMENT).values():
        if target in names and target.startswith("word/"):
            return target
    return MAIN_PART if MAIN_PART in names else None


def relationships(zf: zipfile.ZipFile, part: str, type_suffix: str = "") -> dict[str, str | None]:
    """Relationship id -> target part name (None for an external target) of `part` ("" for the
    package), for relationships whose type ends with `type_suffix`. Unreadable rels: none."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    try:
        info = zf.getinfo(rels_name)
        if info.file_size > MAX_RELS_BYTES or info.flag_bits & 0x1:
            return {}
        root = etree.fromstring(zf.read(info), xml_parser())
    except (KeyError, etree.XMLSyntaxError, *_ENTRY_ERRORS):
        return {}
    found: dict[str, str | None] = {}
    for rel in root.iter(_RELS + "Relationship"):
        rid, target = rel.get("Id"), rel.get("Target") or ""
        if rid is None or not (rel.get("Type") or "").endswith(type_suffix):
            continue
        if rel.get("TargetMode") == "External":
            found[rid] = None
        elif target.startswith("/"):
            found[rid] = posixpath.normpath(target.lstrip("/"))
        else:
            found[rid] = posixpath.normpath(posixpath.join(folder, target))
    return found


def not_word_message(names: list[str]) -> str:
    if not names:
        return "这是一个空的 ZIP 压缩包，不是 Word（.docx）文件"
    if any(n.startswith("xl/") for n in names):
        return "这是 Excel 表格（.xlsx），不是 Word 文档；请提交 Word（.docx）、网页或文本格式的年度报告"
    if any(n.startswith("ppt/") for n in names):
        return "这是 PowerPoint 演示文稿（.pptx），不是 Word 文档"
    return "ZIP 压缩包中没有 Word 文档正文（word/document.xml），不是 Word（.docx）文件"


def read_part(path: str, zf: zipfile.ZipFile, name: str, limit: int, what: str = "正文") -> bytes:
    """The bytes of part `name`, at most `limit` of them once decompressed; `what` names the part
    in the zh-CN errors (too big: a zip bomb; encrypted; damaged)."""
    info = zf.getinfo(name)
    if info.file_size > limit:
        raise UnreadableInputError(
            f"Word 文档{what}解压后过大（{info.file_size / 1048576:.1f} MB，上限 {limit / 1048576:.0f} MB），"
            "可能是恶意构造的压缩炸弹，已拒绝读取",
            path=path,
        )
    if info.flag_bits & 0x1:
        raise UnreadableInputError(f"Word 文件中的{what}已加密，请取消密码保护后另存为 .docx 再试", path=path)
    try:
        with zf.open(info) as f:
            content = f.read(limit + 1)
    except _ENTRY_ERRORS:
        raise UnreadableInputError(UNREADABLE_ZIP, path=path) from None
    if len(content) > limit:  # pragma: no cover - zipfile stops at the declared size
        raise UnreadableInputError(f"Word 文档{what}解压后过大，已拒绝读取", path=path)
    return content


def main_part(path: str, zf: zipfile.ZipFile, settings: ReadSettings) -> tuple[str, bytes]:
    """(name, bytes) of the main document part, after checking the package is a sound Word file."""
    from xxgk.readers.budget import current

    name = main_part_name(zf)
    if name is None:
        raise UnreadableInputError(not_word_message(zf.namelist()), path=path)
    current(settings, path).expand(zf.getinfo(name).file_size)  # (zipfile stops at the declared size)
    return name, read_part(path, zf, name, settings.max_bytes)
