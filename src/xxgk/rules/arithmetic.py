"""C: arithmetic (勾稽) — the identities I1–I4 of the format, the value domain I5, missing cells."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from fnmatch import fnmatchcase
from functools import cache
from typing import TYPE_CHECKING

from xxgk.agency import AgencyKind
from xxgk.findings import Finding, Severity
from xxgk.format.spec import ColumnSpec, GroupSpec, RowSpec, count_bounds, load_format
from xxgk.report import CellState
from xxgk.rules.base import rule

if TYPE_CHECKING:
    from xxgk.rules.context import CheckContext


def _identity(ctx: CheckContext, identity_id: str) -> Iterator[Finding]:
    """Findings for every instance of one identity whose cells are all present and disagree."""
    for result in ctx.identity_results[identity_id]:
        lhs, rhs, inst = result.lhs, result.rhs, result.instance
        if result.missing or lhs == rhs:
            continue  # missing: not assessable, C062 reports it
        # Locate the finding on the derived cell: the total when the left side is one cell (I2–I4),
        # else the last right-hand term (I1: 结转下年度), and say what it should be for the identity to hold.
        on_left = len(inst.lhs) == 1
        target = inst.lhs[0] if on_left else inst.rhs[-1]
        found = ctx.cell(target).value or 0
        yield Finding(
            result.identity.rule,
            target,
            expected=found + (rhs - lhs if on_left else lhs - rhs),
            found=ctx.cell(target).value,
            source=ctx.cell(target).source,
            params={"lhs": lhs, "rhs": rhs, "diff": lhs - rhs, "binding": _binding(ctx, inst.binding)},
        )


def _binding(ctx: CheckContext, key: str) -> str:
    for table in ctx.spec.tables.values():
        items: tuple[RowSpec | ColumnSpec | GroupSpec, ...] = (*table.columns, *table.rows, *table.groups)
        for item in items:
            if item.key == key and item.label is not None:
                return item.label.text
    return key


@rule(
    "C011",
    "column-balance-mismatch",
    Severity.ERROR,
    title="表三列平衡（I1）不成立：一＋二 ≠ 三（七）＋四",
    message="表三「{binding}」列：一＋二＝{lhs}，（七）总计＋四＝{rhs}，相差 {diff}；按此，{where}应为 {expected}，实为 {found}",
    what="对表三的每一列（六类申请人及总计），检查“本年新收”加“上年结转”是否等于“（七）总计”加“结转下年度继续办理”。",
    why="这是表三表头注明的勾稽关系（第一项加第二项之和，等于第三项加第四项之和）；不成立说明至少一个数字填错。",
    example="自然人列：新收 5、上年结转 1，（七）总计 5、结转下年度 0 —— 5＋1 ≠ 5＋0。",
    basis="国办公开办函〔2021〕30号 表三表头注（第一项加第二项之和，等于第三项加第四项之和）",
    keys=("t3.new_received.*", "t3.carried_over_in.*", "t3.processed_total.*", "t3.carried_over_out.*"),
)
def column_balance(ctx: CheckContext) -> Iterator[Finding]:
    yield from _identity(ctx, "I1")


@rule(
    "C021",
    "row-total-mismatch",
    Severity.ERROR,
    title="表三行总计（I2）不等于六类申请人之和",
    message="表三「{binding}」行：六类申请人之和为 {rhs}，{where}应为 {expected}，实为 {found}",
    what="对表三 25 行中的每一行，检查“总计”列是否等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和。",
    why="总计列按定义是各类申请人之和；不等说明总计或某一列填错，或把某类申请人漏填。",
    example="予以公开：自然人 3、商业企业 1，其余 0，总计填 3 —— 应为 4。",
    basis="国办公开办函〔2021〕30号 表三：“总计”列是六类申请人之和",
    keys=("t3.*.total",),
)
def row_total(ctx: CheckContext) -> Iterator[Finding]:
    yield from _identity(ctx, "I2")


@rule(
    "C031",
    "processed-total-mismatch",
    Severity.ERROR,
    title="表三（七）总计（I3）不等于各办理结果之和",
    message="表三「{binding}」列：（一）至（六）各项之和为 {rhs}，{where}应为 {expected}，实为 {found}",
    what="对表三每一列，检查“（七）总计”是否等于（一）予以公开、（二）部分公开、（三）1–8、（四）1–3、（五）1–5、（六）1–3 共 21 行之和。",
    why="（七）总计是本年度办理结果的合计；常见原因是把地方模板的小计行重复相加，或漏计某一项。",
    example="自然人列：予以公开 2、无法提供-1 3，其余 0，（七）总计填 4 —— 应为 5。",
    basis="国办公开办函〔2021〕30号 表三：“（七）总计”是本年度各项办理结果之和",
    keys=("t3.processed_total.*",),
)
def processed_total(ctx: CheckContext) -> Iterator[Finding]:
    yield from _identity(ctx, "I3")


@rule(
    "C041",
    "review-litigation-total-mismatch",
    Severity.ERROR,
    title="表四总计（I4）不等于维持、纠正、其他、尚未审结之和",
    message="表四「{binding}」：结果维持＋结果纠正＋其他结果＋尚未审结＝{rhs}，{where}应为 {expected}，实为 {found}",
    what="对表四的行政复议、未经复议直接起诉、复议后起诉三组，检查“总计”是否等于前四项之和。",
    why="总计按定义是四种结果之和；不等说明某一结果或总计填错。",
    example="行政复议：维持 1、纠正 0、其他 1、尚未审结 4，总计填 5 —— 应为 6。",
    basis="国办公开办函〔2021〕30号 表四：“总计”是结果维持、结果纠正、其他结果、尚未审结之和",
    keys=("t4.*.total",),
)
def review_total(ctx: CheckContext) -> Iterator[Finding]:
    yield from _identity(ctx, "I4")


@rule(
    "C051",
    "negative-value",
    Severity.ERROR,
    title="数值为负数",
    message="{where}为负数：{found}",
    what="表二、表三、表四的每个数值单元格不得为负数。",
    why="件数和金额不可能为负；负数通常是把“本年增/减”之类的旧格式栏目或差值误填进来。",
    example="表三「（一）予以公开」×「自然人」填“-1”。",
    basis="国办公开办函〔2021〕30号 表二、表三、表四：除收费金额外各栏均为件数",
    keys=("t2.*", "t3.*", "t4.*"),
)
def negative_value(ctx: CheckContext) -> Iterator[Finding]:
    cells = ctx.spec.cells
    for key, cell in ctx.census.negative:
        if not cells[key].signed:  # (the 2019 format's 本年增/减 is a change: it may be negative)
            yield Finding("C051", key, expected="≥0", found=cell.value, source=cell.source)


@rule(
    "C052",
    "non-integer-count",
    Severity.ERROR,
    title="件数不是整数",
    message="{where}应为整数件数，实为 {found}",
    what="除表二“本年收费金额（单位：万元）”外，所有单元格都是件数，必须为整数。",
    why="申请、复议、诉讼和文件的件数不可能有小数；小数通常是把金额或百分比填进了件数栏。",
    example="表二「行政许可」×「本年处理决定数量」填“12.5”。",
    basis="国办公开办函〔2021〕30号 表二、表三、表四：除收费金额外各栏均为件数",
    keys=("t2.*", "t3.*", "t4.*"),
)
def non_integer_count(ctx: CheckContext) -> Iterator[Finding]:
    for key, cell in ctx.census.decimal:
        if isinstance(cell.value, Decimal) and not ctx.spec.cell(key).decimal and cell.value != int(cell.value):
            yield Finding("C052", key, expected="整数", found=cell.value, source=cell.source)


@rule(
    "C053",
    "text-in-number-cell",
    Severity.ERROR,
    title="数值单元格中是文字",
    message="{where}应为数字，读到的是「{found}」",
    what="表格的数值单元格中出现了不是数字的文字（如“见附件”“12%”）。",
    why="无法核对勾稽关系，读者也无法得到数据；百分比等说明应写在正文中。",
    example="表三「（一）予以公开」×「总计」填“全部公开”。",
    basis="国办公开办函〔2021〕30号 表二、表三、表四：除收费金额外各栏均为件数",
    keys=("t2.*", "t3.*", "t4.*"),
)
def text_in_number_cell(ctx: CheckContext) -> Iterator[Finding]:
    for key, cell in ctx.census.not_numbers:
        if cell.state is CellState.TEXT:
            yield Finding("C053", key, expected="数字", found=cell.raw, source=cell.source)


@cache
def _bounds_by_cell(format_id: str, kind: str) -> dict[str, int]:
    """Each count cell's bound for an agency kind: the first `count_bounds` entry matching its key.
    Amounts (decimal cells: 本年收费金额) are not counts and have none (C071 judges them)."""
    bounds = count_bounds(format_id)
    out = {}
    for key, spec in load_format(format_id).cells.items():
        if spec.decimal:
            continue
        bound = next((b for b in bounds if fnmatchcase(key, b.pattern)), None)
        if bound is not None:
            out[key] = dict(bound.limits)[kind]
    return out


def _shown(value: int | Decimal) -> str:
    """A number as a message shows it: in full up to 20 digits, else its first digits and length."""
    digits = f"{value:f}" if isinstance(value, Decimal) else str(value)
    return digits if len(digits) <= 20 else f"{digits[:8]}…（共 {len(digits.lstrip('-'))} 位）"


@rule(
    "C054",
    "implausibly-large-count",
    Severity.WARNING,
    title="件数大得不合常理",
    message="{where}为 {shown}，超过{kind}此项的合理上限 {limit}；请核实是否误填或读取有误",
    what="表二、表三、表四的件数超过了按机关类型（乡镇（街道）、县级以上人民政府、政府部门）设定的合理上限。上限远高于已见的最大真实数字（例如一个设区的市一年的行政许可决定约 55 万件，乡镇表二各栏的上限仍有一千万件），只为发现明显错误的数字；收费金额另见 C071。",
    why="这样的数字不可能是真实件数：多半是录入或转换时把几个数连在一起、把编号或脚注当作数字，或文件已经损坏；据此核对勾稽关系也没有意义。",
    example="表二「行政许可」×「本年处理决定数量」为一个 400 位的数字；某镇表三「一、本年新收政府信息公开申请数量」×「总计」为 1000000。",
    basis="国办公开办函〔2021〕30号：各栏填写件数；上限为经验值，远高于真实数字",
    keys=("t2.*", "t3.*", "t4.*"),
)
def implausibly_large_count(ctx: CheckContext) -> Iterator[Finding]:
    kind = ctx.agency_kind
    bounds = _bounds_by_cell(ctx.spec.id, kind.value)  # (cached: the enum's .value per cell cost a fifth of check)
    if not bounds:
        return
    for key, value in ctx.census.values.items():
        if value is None or value < 0:
            continue
        limit = bounds.get(key)
        if limit is not None and value > limit:
            cell = ctx.cell(key)
            params = {"shown": _shown(value), "kind": kind.zh, "limit": f"{limit:,}"}
            yield Finding("C054", key, expected=limit, found=value, source=cell.source, params=params)


_MISSING_WHY = {
    CellState.EMPTY: "空白",
    CellState.DASH: "横线或斜线",
    CellState.NONE_WORD: "“无”",
}
# Not here: a cell the reader could not settle (UNCERTAIN) or find (ABSENT). That is a loss of the
# reading, already named by its reading note (R001/R007/R015/R016/R017), never a finding about the
# report (issue 19 §1).


@rule(
    "C061",
    "missing-cell",
    Severity.WARNING,
    title="单元格缺失（空白、“/”、“—”、“无”）",
    message="{where}缺失（{why}），未按 0 计算",
    what="表格中出现了空白、“/”、“—”或“无”的单元格。每个这样的单元格单独报告。读取时无法确定读数的单元格不在此列：那是读取的问题，由 R 类读取提示（R001、R007、R015、R016、R017）说明。",
    why="格式没有规定“没有”应如何填写；空白不等于 0，缺失的单元格使勾稽关系无法核对，读者也无法确定数据。",
    example="表四「行政复议」五个单元格为空白，而诉讼单元格填 0。",
    basis="国办公开办函〔2021〕30号未规定空白的含义；空白不按 0 计算",
    keys=("t2.*", "t3.*", "t4.*"),
)
def missing_cell(ctx: CheckContext) -> Iterator[Finding]:
    for key, cell in ctx.census.not_numbers:
        if cell.state in _MISSING_WHY:
            yield Finding(
                "C061",
                key,
                expected="数字",
                found=cell.raw or None,
                source=cell.source,
                params={"why": _MISSING_WHY[cell.state]},
            )


@rule(
    "C062",
    "identity-not-assessable",
    Severity.INFO,
    title="勾稽关系因单元格缺失无法核对",
    message="{identity}（{binding}）涉及 {count} 个缺失单元格，无法核对；若缺失按 0 计，则{would}",
    what="某条勾稽关系（I1–I4）涉及的单元格中有缺失，无法判断是否成立。同时给出把缺失按 0 计算时的结果，供人工判断。",
    why="缺失不等于 0；只有补齐数据才能确认报告是否自洽。",
    example="表四行政复议五格空白：I4（行政复议）无法核对；若按 0 计，则成立。",
    basis="缺失不等于 0：空白的单元格不按 0 计算",
    keys=("t3.*", "t4.*"),
)
def identity_not_assessable(ctx: CheckContext) -> Iterator[Finding]:
    for results in ctx.identity_results.values():
        for result in results:
            missing, inst = result.missing, result.instance
            if not missing or len(missing) == len(inst.lhs) + len(inst.rhs):
                continue
            would = "成立" if result.lhs == result.rhs else f"不成立（{result.lhs} ≠ {result.rhs}）"
            first = ctx.cell(missing[0])
            yield Finding(
                "C062",
                missing[0],
                found=len(missing),
                source=first.source,
                params={
                    "identity": result.identity.id,
                    "binding": _binding(ctx, inst.binding),
                    "count": len(missing),
                    "would": would,
                },
            )


FEE_KEY = "t2.administrative_fees.amount_wan_yuan"
FEE_IMPLAUSIBLE_WAN = {AgencyKind.TOWNSHIP: Decimal(10_000)}  # 1亿元 for a township
FEE_IMPLAUSIBLE_ANY = Decimal(10_000_000)  # 1000亿元


@rule(
    "C071",
    "fee-unit-error",
    Severity.WARNING,
    title="行政事业性收费金额单位可疑（应为万元）",
    message="{where}为 {found}{unit}，{reason}",
    what="表二“本年收费金额（单位：万元）”单元格写明了“元”，或数额对该机关明显不合理（疑似以元填报）。",
    why="表头单位是万元；以元填报会把金额放大一万倍。",
    example="某镇填“250000”，实为 25 万元（应填 25）。",
    basis="国办公开办函〔2021〕30号 表二（八）表头“本年收费金额（单位：万元）”",
    keys=(FEE_KEY,),
)
def fee_unit(ctx: CheckContext) -> Iterator[Finding]:
    if FEE_KEY not in ctx.spec.cells:
        return  # (the 2019 format counts fee items, not the amount)
    cell = ctx.cell(FEE_KEY)
    if cell.value is None:
        return
    if cell.unit == "元":
        yield Finding(
            "C071",
            FEE_KEY,
            expected="万元",
            found=cell.value,
            source=cell.source,
            params={"unit": "元", "reason": "单元格写的是“元”，表头单位是万元"},
        )
        return
    limit = FEE_IMPLAUSIBLE_WAN.get(ctx.agency_kind, FEE_IMPLAUSIBLE_ANY)
    if cell.value >= limit:
        yield Finding(
            "C071",
            FEE_KEY,
            expected=f"< {limit}",
            found=cell.value,
            source=cell.source,
            params={"unit": "万元", "reason": f"对{ctx.agency_kind.zh}而言过大，疑似以元填报"},
        )


REGULATIONS_ROW = "regulations"
REGULATION_KEYS = ("t2.regulations.issued", "t2.regulations.repealed", "t2.regulations.in_force")


@rule(
    "C101",
    "regulations-by-township",
    Severity.WARNING,
    title="乡镇（街道）填报了规章件数",
    message="{where}为 {found}，而乡镇（街道）没有规章制定权",
    what="发布机关为乡镇人民政府或街道办事处，而表二“规章”一行有非零数字。",
    why="规章只能由国务院部门和省、自治区、直辖市及设区的市人民政府制定；乡镇填报的多半是把规范性文件或其他文件误填为规章。",
    example="某镇人民政府：规章 本年制发件数 2。",
    basis="《中华人民共和国立法法》关于规章制定主体的规定",
    keys=REGULATION_KEYS,
)
def regulations_by_township(ctx: CheckContext) -> Iterator[Finding]:
    if ctx.agency_kind is not AgencyKind.TOWNSHIP:
        return
    for spec in ctx.spec.iter_cells("t2"):  # (the 规章 row's cells of the report's own format)
        if spec.row != REGULATIONS_ROW:
            continue
        key = spec.key
        cell = ctx.cell(key)
        if cell.value:
            yield Finding("C101", key, expected=0, found=cell.value, source=cell.source)
