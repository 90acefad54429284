"""B: format and structure — version, sections, tables, rows, title/agency/year."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from xxgk.findings import Finding, Severity
from xxgk.format import label_key, load_format
from xxgk.format.spec import format_for_year
from xxgk.rules.base import declare, rule

if TYPE_CHECKING:
    from xxgk.rules.context import CheckContext


@rule(
    "B011",
    "old-format",
    Severity.ERROR,
    title="2021 年及以后的报告使用了旧格式（国办公开办函〔2019〕60号）",
    message="{year}年度报告使用了 2019 年试行格式的表格：{labels}",
    what="报告年度为 2021 年或以后，但表格中出现了 2019 年试行格式特有的栏目（本年新制作数量、对外公开总数量、上一年项目数量、本年增/减、第二十条第（九）项等）。",
    why="自 2021 年度报告起必须使用国办公开办函〔2021〕30号格式；沿用旧格式说明套用了旧模板。",
    example="2022 年度报告表二仍有“本年新制作数量 / 本年新公开数量 / 对外公开总数量”。",
    basis="国办公开办函〔2021〕30号",
    keys=("t2",),
)
def old_format(ctx: CheckContext) -> Iterator[Finding]:
    meta = ctx.report.meta
    if not meta.year or meta.format_version != "gov2019":
        return
    # (the years of the format the report is in, not of the definition it was read with: a report
    # in the 2019 format is read with the 2019 definition)
    used, due = load_format("gov2019"), format_for_year(meta.year)
    if used.last_year is not None and meta.year > used.last_year and due is not None:
        labels = sorted(set(ctx.report.markers.get("gov2019", [])))
        yield Finding(
            "B011",
            "t2",
            expected=due.name,
            found=used.name,
            params={"year": meta.year, "labels": labels},
        )


@rule(
    "B012",
    "mixed-template",
    Severity.ERROR,
    title="新旧两种格式的栏目混用",
    message="报告同时出现 2021 年格式的栏目（{new}）和 2019 年格式的栏目（{old}）",
    what="同一份报告中既有 2021 年格式特有的栏目，又有 2019 年试行格式特有的栏目。",
    why="说明表格是在旧模板上改出来的，很可能有栏目错位或遗漏。",
    example="表二（一）用“本年制发件数”，（五）却仍是“上一年项目数量 / 本年增/减”。",
    basis="国办公开办函〔2021〕30号；国办公开办函〔2019〕60号（已被取代的试行格式）",
    keys=("t2",),
)
def mixed_template(ctx: CheckContext) -> Iterator[Finding]:
    if ctx.report.meta.format_version == "mixed":
        m = ctx.report.markers
        yield Finding(
            "B012", "t2", params={"new": sorted(set(m.get("gov2021", []))), "old": sorted(set(m.get("gov2019", [])))}
        )


declare(
    "B013",
    "old-table3-single-row",
    Severity.WARNING,
    title="表三“（六）其他处理”按旧格式印为一行",
    message="表三「（六）其他处理」只有一行合计（{values}），缺少 2021 年格式的三个子行",
    what="表三的“（六）其他处理”后直接跟着数字，没有“1.申请人无正当理由逾期不补正…”“2.申请人逾期未按收费通知要求缴纳费用…”“3.其他”三个子行。该行数值作为分组合计保留（JSON 输出的 extensions 中），三个子行记为缺失。",
    why="这是 2019 年试行格式的写法；2021 年格式要求分三种情形分别统计。",
    example="（六）其他处理 | 5 | 0 | 0 | 0 | 0 | 0 | 5",
    basis="国办公开办函〔2021〕30号 表三“（六）其他处理”的三个子行",
    keys=("t3.other_no_correction.*", "t3.other_fee_unpaid.*", "t3.other_other.*"),
)


@rule(
    "B021",
    "section-missing",
    Severity.ERROR,
    title="缺少规定的部分",
    message="未找到{where}",
    what="报告应依次包含六个部分：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项。按“序号＋关键词”查找每一部分的标题；措辞不同但序号和位置相符的标题按该部分读取（B024），不在此列。",
    why="30号文要求报告内容严格按照条例第五十条，“不能遗漏”。",
    example="报告没有“六、其他需要报告的事项”。",
    basis="条例第五十条；国办公开办函〔2021〕30号",
    keys=("s1_overview", "s2_proactive", "s3_applications", "s4_review_litigation", "s5_problems", "s6_other"),
)
def section_missing(ctx: CheckContext) -> Iterator[Finding]:
    for s in ctx.spec.sections:
        if not ctx.report.sections[s.key].found:
            yield Finding("B021", s.key, expected=s.heading)


@rule(
    "B022",
    "section-order",
    Severity.ERROR,
    title="各部分顺序不对",
    message="{where}出现在第 {found} 位，应在第 {expected} 位",
    what="六个部分的标题在文中出现的先后顺序与规定不一致。",
    why="格式规定了六个部分的顺序；顺序错乱通常意味着内容被错放或套用了其他模板。",
    example="“五、存在的主要问题及改进情况”排在“四、政府信息公开行政复议、行政诉讼情况”之前。",
    basis="国办公开办函〔2021〕30号",
    keys=("s1_overview", "s6_other"),
)
def section_order(ctx: CheckContext) -> Iterator[Finding]:
    seen = list(dict.fromkeys(ctx.report.heading_order))
    expected = [s.key for s in ctx.spec.sections if s.key in seen]
    for pos, (got, want) in enumerate(zip(seen, expected, strict=True), start=1):
        if got != want:
            sec = ctx.report.sections[got]
            yield Finding("B022", got, expected=expected.index(got) + 1, found=pos, source=sec.source)
            return


@rule(
    "B023",
    "section-duplicated",
    Severity.WARNING,
    title="同一部分的标题出现了不止一次",
    message="{where}的标题出现了 {found} 次",
    what="同一个部分（按序号＋关键词识别）的标题在文中出现多次。",
    why="多半是复制粘贴留下的残余标题，会让读者和程序把内容归错部分。",
    example="“五、存在的主要问题及改进情况”在表四之前多出一行。",
    basis="国办公开办函〔2021〕30号规定的六个部分",
    keys=("s1_overview", "s6_other"),
)
def section_duplicated(ctx: CheckContext) -> Iterator[Finding]:
    order = ctx.report.heading_order
    for key in dict.fromkeys(order):
        if order.count(key) > 1:
            yield Finding("B023", key, expected=1, found=order.count(key), source=ctx.report.sections[key].source)


@rule(
    "B024",
    "section-heading-reworded",
    Severity.INFO,
    title="部分标题的措辞与规定不同",
    message="{where}印为「{found}」，规定的写法是「{expected}」",
    what="部分标题能按序号和关键词识别，但文字与格式规定的标题不同；或者标题里没有该部分的关键词，但带该部分序号的标题恰好只有一个、位于前后两部分之间（如“一、政府信息主动公开工作”），按位置认定为该部分。",
    why="措辞不同不算错误，但统一的标题便于公众查找和比较各机关的报告。",
    example="“六、其它需要报告事项”（规定：“六、其他需要报告的事项”）。",
    basis="国办公开办函〔2021〕30号规定的各部分标题；措辞不同不影响内容，仅作提示",
    keys=("s1_overview", "s6_other"),
)
def section_reworded(ctx: CheckContext) -> Iterator[Finding]:
    for s in ctx.spec.sections:
        sec = ctx.report.sections[s.key]
        if sec.found and label_key(sec.heading or "") != label_key(s.heading):
            yield Finding("B024", s.key, expected=s.heading, found=sec.heading, source=sec.source)


@rule(
    "B031",
    "table-missing",
    Severity.ERROR,
    title="缺少规定的表格",
    message="未找到{where}（{cells} 个单元格全部缺失）",
    what="按表格的标题行、栏目和行标签查找表二、表三、表四，一个也没找到，文中也没有该表行标签的任何痕迹（找到痕迹而未能读取的，只提示读取问题，见 R017）。",
    why="三张统计表是年度报告的法定内容；缺表说明表格以图片发布、被删或没有填写。",
    example="报告正文只有文字，表三以图片形式插入。",
    basis="国办公开办函〔2021〕30号规定的表二、表三、表四",
    keys=("t2", "t3", "t4"),
)
def table_missing(ctx: CheckContext) -> Iterator[Finding]:
    seen = _seen_not_read(ctx)
    for key, table in ctx.spec.tables.items():
        if not ctx.report.tables_found.get(key) and key not in seen:
            yield Finding("B031", key, expected=table.title, params={"cells": sum(1 for _ in ctx.spec.iter_cells(key))})


def _seen_not_read(ctx: CheckContext) -> frozenset[str]:
    """The rows and tables not read whose labels the reader saw in the text (R017): the reader's
    loss, not the report's."""
    return frozenset(f.location for f in ctx.report.diagnostics if f.code == "R017")


@rule(
    "B032",
    "table-row-missing",
    Severity.ERROR,
    title="表格缺少规定的行",
    message="{table}缺少「{label}」行（{cells} 个单元格缺失）",
    what="表格找到了，但其中某一行的标签在全文中都没有出现，按已知变体和错字查找也没有（例如表三少了（六）的三个子行，或表格在中途被截断）。标签在文中可以找到、只是未能读取的行不报告缺行，只提示读取问题（R017）。",
    why="缺行的单元格全部缺失，勾稽关系无法核对；截断的表格说明发布的文件不完整。",
    example="表三在“（四）无法提供”之后截断，后面 12 行缺失。",
    basis="国办公开办函〔2021〕30号规定的表格行",
    keys=("t2.*", "t3.*", "t4.*"),
)
def table_row_missing(ctx: CheckContext) -> Iterator[Finding]:
    single_row = {e.get("group") for e in ctx.report.extensions if e.get("group")}
    seen = _seen_not_read(ctx)
    for key, table in ctx.spec.tables.items():
        if not ctx.report.tables_found.get(key):
            continue
        for prow in table.physical_rows:
            if ctx.report.rows_found.get(f"{key}.{prow.key}") or f"{key}.{prow.key}" in seen:
                continue  # found, or its label is in the text and the reader lost it (R017)
            row_spec = next((r for r in table.rows if r.key == prow.key), None)
            if row_spec is not None and row_spec.group in single_row:
                continue  # reported once by B013
            label = prow.label.text if prow.label else f"{len(prow.cells)} 个数字的数值"
            yield Finding(
                "B032",
                f"{key}.{prow.key}" if prow.label else key,
                expected=label,
                params={"table": table.name, "label": label, "cells": len(prow.cells)},
            )


declare(
    "B041",
    "local-extension",
    Severity.INFO,
    title="表格中有格式以外的行或栏目",
    message="表格中有格式以外的「{found}」（数值：{values}），已单独保留，不计入勾稽核对",
    what="在已识别的表格内部出现了格式没有的标签并跟有数字，例如“法人或其他组织小计”列、（三）至（六）的小计行、“其他主动公开文件”行。",
    why="地方模板的增补不算错误，但不能当作官方单元格参与计算；小计被重复相加是（七）总计出错的常见原因。",
    example="表三在（三）不予公开下多了一行“小计”。",
    basis="国办公开办函〔2021〕30号规定的栏目",
)


declare(
    "B042",
    "local-subtotal-mismatch",
    Severity.WARNING,
    title="表格中增加的小计栏与所合计的栏目之和不符",
    message="{where}的「{label}」为 {found}，而它所合计的各栏之和为 {expected}",
    what="地方模板在表三增加了“法人或其他组织小计”栏（B041），该栏在每一行应等于商业企业、科研机构、社会公益组织、法律服务机构、其他五栏之和；某一行不相等。",
    why="小计与各栏不符，说明其中至少一个数字填错；小计不参与勾稽核对，但它的错误常常与官方单元格的错误同时出现。",
    example="表三「（一）予以公开」：五类法人或其他组织为 1、0、0、2、0，“小计”却填 4。",
    basis="国办公开办函〔2021〕30号规定的栏目；地方模板增加的小计应与其所合计的栏目一致",
    keys=("t3.*",),
)


@rule(
    "B051",
    "title-missing",
    Severity.WARNING,
    title="没有找到报告标题",
    message="没有找到报告标题（应为“{expected}”）",
    what="第一部分之前没有“XX（机关）XXXX年政府信息公开工作年度报告”形式的标题，文中别处也没有这样的文字（有而未能读取的，只提示读取问题，见 R018）。",
    why="标题标明发布机关和年度，是读者和检索系统识别报告的依据。",
    example="报告直接以“根据《中华人民共和国政府信息公开条例》…”开头。",
    basis="国办公开办函〔2021〕30号",
    keys=("title",),
)
def title_missing(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.report.meta
    if not m.title and not any(f.code == "R018" for f in ctx.report.diagnostics):  # (R018: the reader's loss)
        expected = f"{m.agency or 'XX'}{m.year or 'XXXX'}年政府信息公开工作年度报告"
        yield Finding("B051", "title", expected=expected)


@rule(
    "B052",
    "agency-missing",
    Severity.ERROR,
    title="无法确定发布机关",
    message="标题和落款中都没有找到发布机关名称",
    what="标题中年份之前、文末落款中都没有机关名称。文中别处有写明机关的标题、只是未能作为标题读取的，只提示读取问题（R018）。",
    why="无法判断报告属于哪个机关，也无法确定发布期限。",
    example="标题为“2024年政府信息公开工作年度报告”，文末无落款。",
    keys=("agency",),
)
def agency_missing(ctx: CheckContext) -> Iterator[Finding]:
    # A title-like line the reader did not read as the title (R018) that names the agency: the
    # reader's loss, said by R018.
    seen = any(f.code == "R018" and f.params.get("agency") for f in ctx.report.diagnostics)
    if not ctx.report.meta.agency and not seen:
        yield Finding("B052", "agency")


@rule(
    "B053",
    "year-missing",
    Severity.ERROR,
    title="无法确定报告年度",
    message="标题、统计时限和正文中都没有找到报告年度",
    what="标题中没有“XXXX年”，也没有“统计时限为XXXX年1月1日至12月31日”之类的说明。",
    why="无法确定报告对应的年度、适用的格式和发布期限。",
    example="标题为“XX镇政府信息公开工作年度报告”。",
    keys=("year",),
)
def year_missing(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.report.meta.year:
        yield Finding("B053", "year")
