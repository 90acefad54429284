"""D: text quality and text-vs-table consistency."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from xxgk.agency import AgencyKind
from xxgk.findings import Finding, Severity
from xxgk.rules.base import rule

if TYPE_CHECKING:
    from xxgk.rules.context import CheckContext

_N = r"(\d+)"
# "未收到…申请", "未发生依申请公开…", "没有收到…申请", "无依申请公开" → 0 applications.
_APPS_ZERO = re.compile(r"(未|没有)(收到|接到|受理|发生|产生)[^。；;，,]{0,12}?(申请|依申请公开)")
# ("共收到申请 5 件" matches from 收到: a leading optional word would only move the match start
# within the same sentence, and would cost the regex engine its fast scan for the first character.)
_APPS_COUNT = re.compile(
    r"(?:收到|受理|接到|新收)[^。；;，,\d]{0,14}?申请(?:共|数量为|数为|量为)?" + _N + r"(?:件|个|条|宗)"
)
_REVIEW_ZERO = re.compile(r"(未|没有|无)(发生|有|出现|收到|涉及)?[^。；;]{0,16}?行政复议")
_REVIEW_COUNT = re.compile(r"行政复议(?:案件|申请)?(?:共|为)?" + _N + r"(?:件|起|宗)|" + _N + r"(?:件|起|宗)行政复议")
_LITIGATION_ZERO = re.compile(r"(未|没有|无)(发生|有|出现|收到|涉及)?[^。；;]{0,24}?行政诉讼")
_LITIGATION_COUNT = re.compile(r"行政诉讼(?:案件)?(?:共|为)?" + _N + r"(?:件|起|宗)|" + _N + r"(?:件|起|宗)行政诉讼")


def _sentences_with(text: str, noun: str) -> list[str]:
    """The sentences of `text` (ending at 。, kept, or at a newline) that contain `noun`."""
    out = []
    for line in text.split("\n"):
        if noun not in line:
            continue
        parts = line.split("。")
        for k, part in enumerate(parts):
            if noun in part:
                out.append((part + "。" if k < len(parts) - 1 else part).strip())
    return out


def _claims(
    ctx: CheckContext, text: str, noun: str, zero: re.Pattern[str], count: re.Pattern[str]
) -> tuple[tuple[int, str], ...]:
    """(number, sentence) for every claim about `noun` in `text`: zero claims first, then counts,
    each in text order. Every claim pattern contains its noun and never spans a sentence end, so
    only the sentences that name the noun are searched. Memoised per report (D032/D033 share them)."""
    memo = ctx.memo.get(("claims", text, noun))
    if memo is None:
        sentences = _sentences_with(text, noun)
        out = [(0, sentence) for sentence in sentences for _ in zero.finditer(sentence)]
        for sentence in sentences:
            for m in count.finditer(sentence):
                n = next(g for g in m.groups() if g is not None)
                out.append((int(n), sentence))
        memo = ctx.memo[("claims", text, noun)] = tuple(out)
    return memo


class DocumentClaim(NamedTuple):
    """What a section's text says about a 表二 count: "新公布4件" → (normative_documents, issued, 4)."""

    key: str  # the cell: t2.<row>.<column>
    number: int
    word: str  # the prose word of the column, as written (新公布, 废止, 现行有效 …)
    sentence: str


class _DocumentGrammar(NamedTuple):
    """How sections say 表二's document counts, built from the spec once (see _document_claims)."""

    nouns: dict[str, str]  # noun as written (规章, 行政规范性文件, 规范性文件) -> row key
    words: dict[str, str]  # prose word (新公布, 废止 …) -> column key
    terms: re.Pattern[str]  # any noun or word: literals only, so the regex engine skips ahead fast
    count_after: re.Pattern[str]  # after a word: what may stand before the number, the number, its unit
    noun_in_gap: re.Pattern[str]
    any_noun: re.Pattern[str]  # the nouns no other noun contains: a clause naming none is skipped


_GRAMMARS: dict[int, tuple[object, _DocumentGrammar | None]] = {}
_CLAUSE_END = re.compile("[。；;]")  # id(table spec) -> (it, grammar)


def _document_grammar(ctx: CheckContext) -> _DocumentGrammar | None:
    table = ctx.spec.tables["t2"]
    cached = _GRAMMARS.get(id(table))
    if cached is not None and cached[0] is table:
        return cached[1]
    nouns: dict[str, str] = {}
    words: dict[str, str] = {}
    for block in table.blocks:
        if not any(c.prose for c in block.columns):
            continue
        for row in block.rows:
            if row.label is not None:
                for noun in (row.label.text, *row.label.variants):
                    nouns[noun] = row.key
        for column in block.columns:
            for word in column.prose:
                words.setdefault(word, column.key)
    grammar = None
    if nouns and words:
        noun_re = "|".join(map(re.escape, sorted(nouns, key=len, reverse=True)))
        # (the gap between word and number stays in one clause; 规章制度 is rules in general, not 规章)
        grammar = _DocumentGrammar(
            nouns,
            words,
            re.compile("|".join(map(re.escape, sorted({*nouns, *words}, key=len, reverse=True)))),
            re.compile(r"([^，。；,;：:\d]{0,14}?)(\d+)(?:件|部|个)"),
            re.compile(rf"(?:{noun_re})(?!制度)"),
            re.compile("|".join(re.escape(n) for n in nouns if not any(o != n and o in n for o in nouns))),
        )
    _GRAMMARS[id(table)] = (table, grammar)
    return grammar


def _document_claims(ctx: CheckContext) -> tuple[DocumentClaim, ...]:
    """The counts of 表二's documents (规章, 规范性文件 …) that sections one and two state.

    The nouns are the row labels of the 表二 blocks whose columns name their prose words (the
    spec's `prose`); a count belongs to the noun written between the word and the number
    ("制发规范性文件3件"), else to the last noun named before it in the clause (up to 。 or ；:
    "公布现行有效行政规范性文件16件，新公布4件，废止、失效4件"). A clause naming no noun says
    nothing here.
    Memoised per report (D033 and D034 share them)."""
    memo = ctx.memo.get("document_claims")
    if memo is not None:
        return memo  # type: ignore[no-any-return]
    grammar = _document_grammar(ctx)
    out: list[DocumentClaim] = []
    if grammar is not None:
        nouns, words = grammar.nouns, grammar.words
        text = ctx.section_key_text("s1_overview", "s2_proactive")
        for line in text.split("\n"):
            if grammar.any_noun.search(line) is None:
                continue
            for sentence in _CLAUSE_END.split(line):
                if grammar.any_noun.search(sentence) is None:
                    continue  # (a count needs a noun in its clause)
                current: str | None = None
                for m in grammar.terms.finditer(sentence):
                    term = m.group()
                    if term in nouns:
                        if not sentence.startswith("制度", m.end()):
                            current = nouns[term]
                        continue
                    counted = grammar.count_after.match(sentence, m.end())
                    if counted is None:
                        continue
                    named = grammar.noun_in_gap.findall(counted.group(1))
                    if named:
                        current = nouns[named[-1]]
                    if current is None:
                        continue
                    key = f"t2.{current}.{words[term]}"
                    if key in ctx.report.cells:
                        out.append(DocumentClaim(key, int(counted.group(2)), term, sentence))
    memo = ctx.memo["document_claims"] = tuple(out)
    return memo


@rule(
    "D031",
    "text-applications-mismatch",
    Severity.WARNING,
    title="正文所述申请件数与表三不符",
    message="正文称「{sentence}」（{found} 件），而{where}为 {expected}",
    what="从第一、三部分正文中提取“未收到申请”“共收到申请 N 件”一类表述，与表三“一、本年新收政府信息公开申请数量”的总计（或新收加上年结转）比较。",
    why="30号文把“发布内容不准确”列为追责情形；正文和表格矛盾，至少有一处是错的。",
    example="正文“全年共收到申请 5 件”，表三新收总计为 3。",
    basis="国办公开办函〔2021〕30号（四）：正文与表格数据应一致",
    keys=("t3.new_received.total", "s1_overview"),
)
def text_applications(ctx: CheckContext) -> Iterator[Finding]:
    new = ctx.cell("t3.new_received.total")
    carried = ctx.cell("t3.carried_over_in.total")
    if new.value is None:
        return
    text = ctx.section_key_text("s1_overview", "s3_applications")
    accepted = {new.value}
    if carried.value is not None:
        accepted.add(new.value + carried.value)
    for n, sentence in _claims(ctx, text, "申请", _APPS_ZERO, _APPS_COUNT):
        if n not in accepted:
            yield Finding(
                "D031",
                "t3.new_received.total",
                expected=new.value,
                found=n,
                source=new.source,
                params={"sentence": sentence},
            )


def _t4_total(ctx: CheckContext, groups: tuple[str, ...]) -> tuple[int | None, list[str]]:
    keys = [f"t4.{g}.total" for g in groups]
    values = [ctx.cell(k).value for k in keys]
    if any(v is None for v in values):
        return None, keys
    return int(sum(v for v in values if v is not None)), keys


_T4_CLAIMS = (
    ("行政复议", ("review",), _REVIEW_ZERO, _REVIEW_COUNT),
    ("行政诉讼", ("litigation_direct", "litigation_after_review"), _LITIGATION_ZERO, _LITIGATION_COUNT),
)


@rule(
    "D032",
    "text-review-litigation-mismatch",
    Severity.WARNING,
    title="正文所述行政复议、行政诉讼件数与表四不符",
    message="正文称「{sentence}」（{kind} {found} 件），而表四{kind}总计为 {expected}",
    what="从第一、四部分正文中提取“未发生行政复议”“行政复议 N 件”“行政诉讼 N 件”一类表述，与表四行政复议总计、行政诉讼两组总计之和比较。",
    why="正文和表格矛盾，至少有一处是错的。",
    example="正文“全年未发生政府信息公开行政复议”，表四行政复议总计为 2。",
    basis="国办公开办函〔2021〕30号（四）：正文与表格数据应一致",
    keys=("t4.review.total", "t4.litigation_direct.total"),
)
def text_review(ctx: CheckContext) -> Iterator[Finding]:
    text = ctx.section_key_text("s1_overview", "s4_review_litigation")
    for kind, groups, zero, count in _T4_CLAIMS:
        total, keys = _t4_total(ctx, groups)
        if total is None:
            continue
        for n, sentence in _claims(ctx, text, kind, zero, count):
            if n != total:
                yield Finding(
                    "D032",
                    keys[0],
                    expected=total,
                    found=n,
                    source=ctx.cell(keys[0]).source,
                    params={"sentence": sentence, "kind": kind},
                )


@rule(
    "D033",
    "text-states-missing-cells",
    Severity.INFO,
    title="表格缺失的单元格，正文给出了数字",
    message="{where}缺失，而正文称「{sentence}」（{kind} {found} 件）；如属实，应在表中填写",
    what="表四某组单元格缺失（空白等），但正文明确说明了该组的件数（包括“未发生”即 0 件）；表二第二十条第（一）项某格缺失，而正文说明了它（见 D034）。",
    why="正文可帮助审核人员判断缺失单元格的真实值；但表格仍应补齐，不能以空白代替 0。",
    example="表四行政复议五格空白，正文称“未有政府信息公开方面的行政复议和行政诉讼”。",
    basis="缺失不等于 0；正文与表格数据应一致",
    keys=("t4.review.total", "t2.normative_documents.issued"),
)
def text_states_missing(ctx: CheckContext) -> Iterator[Finding]:
    text = ctx.section_key_text("s1_overview", "s4_review_litigation")
    for kind, groups, zero, count in _T4_CLAIMS:
        total, keys = _t4_total(ctx, groups)
        if total is not None or not any(ctx.cell(k).missing for k in keys):
            continue
        for n, sentence in _claims(ctx, text, kind, zero, count)[:1]:
            missing = next(k for k in keys if ctx.cell(k).missing)
            yield Finding(
                "D033", missing, found=n, source=ctx.cell(missing).source, params={"sentence": sentence, "kind": kind}
            )
    stated: set[str] = set()
    for claim in _document_claims(ctx):  # 表二's documents (see D034)
        if claim.key in stated or not ctx.cell(claim.key).missing:
            continue
        stated.add(claim.key)
        yield Finding(
            "D033",
            claim.key,
            found=claim.number,
            source=ctx.cell(claim.key).source,
            params={"sentence": claim.sentence, "kind": claim.word},
        )


@rule(
    "D034",
    "text-documents-mismatch",
    Severity.WARNING,
    title="正文所述规章、规范性文件件数与表二不符",
    message="正文称「{sentence}」（{word} {found} 件），而{where}为 {expected}",
    what="从第一、二部分正文中提取“制发（新公布、出台）规范性文件 N 件”“废止 N 件”“现行有效 N 件”一类表述，与表二第二十条第（一）项对应单元格比较。",
    why="正文和表格矛盾，至少有一处是错的；规范性文件的制发、废止和现行有效件数是主动公开的核心数据。",
    example="正文“本年新制发行政规范性文件 3 件”，表二行政规范性文件“本年制发件数”为 2。",
    basis="国办公开办函〔2021〕30号（四）：正文与表格数据应一致",
    keys=("t2.normative_documents.issued", "t2.regulations.issued"),
)
def text_documents(ctx: CheckContext) -> Iterator[Finding]:
    seen: set[tuple[str, int]] = set()
    for claim in _document_claims(ctx):
        cell = ctx.cell(claim.key)
        if cell.value is None or cell.value == claim.number or (claim.key, claim.number) in seen:
            continue
        seen.add((claim.key, claim.number))
        yield Finding(
            "D034",
            claim.key,
            expected=cell.value,
            found=claim.number,
            source=cell.source,
            params={"sentence": claim.sentence, "word": claim.word},
        )


@rule(
    "D041",
    "section5-too-thin",
    Severity.WARNING,
    title="“存在的主要问题及改进情况”过于简略",
    message="第五部分只有 {found} 个字，少于 {expected} 字",
    what="第五部分的文字少于设定字数（默认 60 字），或只写“无”“暂无”。",
    why="条例第五十条要求报告存在的主要问题及改进情况；30号文把“敷衍塞责”列为追责情形。",
    example="五、存在的主要问题及改进情况：无。",
    basis="条例第五十条第（四）项",
    keys=("s5_problems",),
)
def section5_thin(ctx: CheckContext) -> Iterator[Finding]:
    sec = ctx.report.sections["s5_problems"]
    if not sec.found:
        return
    n = len(ctx.section_key_text("s5_problems"))
    if n < ctx.settings.section5_min_chars:
        yield Finding("D041", "s5_problems", expected=ctx.settings.section5_min_chars, found=n, source=sec.source)


_ASSESSMENT_WORDS = {"考核": "工作考核", "评议": "社会评议", "责任追究": "责任追究"}


@rule(
    "D051",
    "government-lacks-assessment",
    Severity.WARNING,
    title="人民政府的报告未说明工作考核、社会评议和责任追究结果",
    message="人民政府的报告未提及：{absent}",
    what="发布机关是人民政府（含乡镇人民政府）时，第一、五部分应说明工作考核、社会评议和责任追究结果情况；按关键词“考核”“评议”“责任追究”检查。",
    why="条例第五十条第（四）项要求人民政府的年度报告包括工作考核、社会评议和责任追究结果情况。",
    example="某镇报告“监督保障”一节只写了制度建设，没有考核、评议和责任追究的结果。",
    basis="条例第五十条第（四）项",
    keys=("s1_overview", "s5_problems"),
)
def government_assessment(ctx: CheckContext) -> Iterator[Finding]:
    if ctx.agency_kind not in (AgencyKind.GOVERNMENT, AgencyKind.TOWNSHIP):
        return
    text = ctx.section_key_text("s1_overview", "s5_problems")
    absent = [zh for word, zh in _ASSESSMENT_WORDS.items() if word not in text]
    if absent:
        yield Finding(
            "D051",
            "s1_overview",
            expected="、".join(_ASSESSMENT_WORDS.values()),
            found=None,
            source=ctx.report.sections["s1_overview"].source,
            params={"absent": absent},
        )


_ASPECTS = {
    "主动公开": ("主动公开",),
    "依申请公开": ("依申请公开", "申请公开"),
    "政府信息管理": ("信息管理", "管理"),
    "平台建设": ("平台",),
    "监督保障": ("监督", "保障"),
}


@rule(
    "D061",
    "overview-lacks-aspect",
    Severity.INFO,
    title="总体情况缺少规定的方面",
    message="第一部分未涉及：{absent}",
    what="第一部分“总体情况”应涵盖主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障五个方面；按关键词检查。",
    why="30号文“（一）总体情况”列明了这五个方面。",
    example="总体情况只写了主动公开和平台建设。",
    basis="国办公开办函〔2021〕30号 一（一）",
    keys=("s1_overview",),
)
def overview_aspects(ctx: CheckContext) -> Iterator[Finding]:
    sec = ctx.report.sections["s1_overview"]
    if not sec.found:
        return
    text = ctx.section_key_text("s1_overview")
    absent = [name for name, words in _ASPECTS.items() if not any(w in text for w in words)]
    if absent:
        yield Finding("D061", "s1_overview", found=None, source=sec.source, params={"absent": absent})


@rule(
    "D071",
    "fee-narrative-missing",
    Severity.WARNING,
    title="有因未缴费而终止的申请，第六部分却未说明信息处理费",
    message="表三「（六）2.申请人逾期未按收费通知要求缴纳费用…」总计为 {found}，第六部分却没有提到信息处理费",
    what="表三（六）2 大于 0（说明本年发出过收费通知），而第六部分没有“信息处理费”或“收费”的说明。",
    why="发出收费通知即按《政府信息公开信息处理费管理办法》收费，年度报告应说明收费情况。",
    example="（六）2 总计 1 件，第六部分写“本年度无其他需要报告的事项”。",
    basis="国办函〔2020〕109号（政府信息公开信息处理费管理办法）",
    keys=("t3.other_fee_unpaid.total", "s6_other"),
)
def fee_narrative(ctx: CheckContext) -> Iterator[Finding]:
    if "t3.other_fee_unpaid.total" not in ctx.spec.cells:
        return  # (the 2019 format counts it inside （六）其他处理: no count of its own)
    cell = ctx.cell("t3.other_fee_unpaid.total")
    if not cell.value:
        return
    text = ctx.section_key_text("s6_other")
    if "处理费" not in text and "收费" not in text:
        yield Finding("D071", "t3.other_fee_unpaid.total", found=cell.value, source=cell.source)


@rule(
    "D081",
    "statistics-period-mismatch",
    Severity.ERROR,
    title="统计时限与报告年度不符",
    message="报告年度为 {expected} 年，统计时限却是 {found}",
    what="文中写明的统计时限（如“2024年1月1日至2024年12月31日”）不是报告年度的完整自然年。",
    why="年度报告的统计期为报告年度的 1 月 1 日至 12 月 31 日；年份或起止日期不符说明数据或标题有误（常见于套用上年模板）。",
    example="《2024年…年度报告》写“统计时限为2023年1月1日至2023年12月31日”。",
    basis="条例第五十条：报告统计上一年度的情况",
    keys=("year",),
)
def statistics_period(ctx: CheckContext) -> Iterator[Finding]:
    meta = ctx.report.meta
    if not meta.year or not meta.statistics_period:
        return
    start, end = meta.statistics_period
    if (start.year, start.month, start.day, end.year, end.month, end.day) != (meta.year, 1, 1, meta.year, 12, 31):
        yield Finding(
            "D081",
            "year",
            expected=meta.year,
            found=f"{start.isoformat()} 至 {end.isoformat()}",
            source=meta.period_source,
        )


# Clause delimiters: a clause is a run of text between two of these (or a line end).
_CLAUSE_ENDS = '，。；;,、！？!?“”"《》'
MIN_REPEAT_CHARS = 8


def _long_clauses(text: str) -> list[str]:
    """The clauses of `text` (split at _CLAUSE_ENDS and newlines) of at least MIN_REPEAT_CHARS,
    stripped. str.replace per delimiter present: a regex character class took ~2x as long here."""
    for char in _CLAUSE_ENDS:
        if char in text:
            text = text.replace(char, "\n")
    return [c for c in map(str.strip, text.split("\n")) if len(c) >= MIN_REPEAT_CHARS]


@rule(
    "D091",
    "repeated-phrase",
    Severity.INFO,
    title="同一段落中有重复的句子或条目",
    message="{where}同一段中「{found}」重复出现了 {count} 次",
    what="同一段落里，同一个句子或列举条目（不少于 8 个字）出现了两次以上。",
    why="多为复制粘贴失误（如同一制度名称列举两次），降低报告的严肃性，也可能漏掉了本应列举的另一项。",
    example="完善了“某镇政府信息公开考核评议制度”、“某镇政府信息公开考核评议制度”等制度。",
    basis="报告文字质量",
    keys=("s1_overview", "s5_problems", "s6_other"),
)
def repeated_phrase(ctx: CheckContext) -> Iterator[Finding]:
    for key, sec in ctx.report.sections.items():
        clauses = _long_clauses(sec.text)
        if len(set(clauses)) == len(clauses):
            continue  # no clause repeated in the whole section (the common case): none in a paragraph
        for paragraph in sec.text.split("\n"):
            for clause, count in Counter(_long_clauses(paragraph)).items():
                if count > 1:
                    yield Finding("D091", key, found=clause, source=sec.source, params={"count": count})
