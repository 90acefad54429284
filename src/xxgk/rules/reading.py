"""R: what the reader had to repair or could not decide. Emitted while reading, listed here."""

from __future__ import annotations

from xxgk.findings import Severity
from xxgk.rules.base import declare

declare(
    "R001",
    "row-value-count-mismatch",
    Severity.WARNING,
    title="一行读到的数字个数与栏目数不符，无法确定对应关系",
    message="{where}读到 {found} 个数字（{values}），应为 {expected} 个；无法确定各数字属于哪一栏，该行全部标为缺失",
    what="行标签之后读到的数字比该行的栏目多或少，而且没有可用的表头位置来对齐（例如网页文本把相同的相邻单元格合并成了一个）。",
    why="猜测对应关系可能把数字放错栏；xxgk 宁可标为缺失并说明读到了什么，请对照原文核实。",
    example="表三「一、本年新收…」后只有“13 0 13”三个数字（原表为 13、0、0、0、0、0、13）。",
    basis="缺失不等于 0",
)

declare(
    "R005",
    "scanned-pdf",
    Severity.ERROR,
    title="扫描版 PDF：页面没有文字层，无法读取",
    message="{where}是扫描图像，没有文字层，无法读取其中的文字和表格",
    what="PDF 的页面只有图像、没有可提取的文字（扫描件或“打印为图片”生成的 PDF）。全部页面如此时文件无法处理；部分页面如此时其余页面照常读取。",
    why="政府信息公开年度报告应以可检索、可复制的文字发布；扫描件既无法核查，也不便于公众使用（无障碍阅读、检索）。",
    example="一份 3 页的报告 PDF 每页都是一张图片：xxgk 报告“这是扫描版 PDF（第1–3页没有文字层）”，退出码 2。",
    basis="xxgk 读取限制；如需识别扫描件，请先用 OCR 软件转换为带文字层的 PDF",
)

declare(
    "R003",
    "label-variant",
    Severity.INFO,
    title="标签与规范写法不同",
    message="{where}的标签写作「{found}」，规范写法为「{expected}」；已按该行读取",
    what="行标签与格式规定的写法不同，但能唯一对应到某一行：已知的变体（如“规范性文件”）、被截断或跨行断开的标签（如“没有现成信息需要另行制”＋“作”）。",
    why="提示审核人员：标签被改写或断开，可能是模板被改动，也可能只是排版问题。",
    example="表三「2.没有现成信息需要另行制作」印为“2.没有现成信息需要另行制”，“作”落在下一行。",
    basis="common-errors E（解析陷阱）",
)

declare(
    "R004",
    "cell-note",
    Severity.INFO,
    title="单元格中带有附注",
    message="{where}写作「{found}」：已取数值，附注「{note}」另行保留",
    what="数值单元格中除数字外还有括号附注，例如“22（其中修订16件）”。",
    why="附注不影响取值，但说明该数字的口径可能与格式不同，值得核实。",
    example="表二「行政规范性文件」×「本年制发件数」写“22（其中修订16件）”。",
)

declare(
    "R006",
    "row-recovered-from-damaged-text",
    Severity.INFO,
    title="受损文本中的一行已按勾稽关系恢复",
    message="{where}由受损文本恢复（{how}）：读到「{found}」，取值 {expected}",
    what="一行读到的数字个数与栏目数不符（R001 的情形），但按网页文本常见的三种损坏方式（数字被断行拆开、相同的相邻单元格被合并、相邻单元格的数字连写在一起）逐一还原后，只有一种读法同时符合本行和其他各行的勾稽关系（I1–I4），已按这种读法取值。",
    why="恢复的数值不是原文直接写出的，而是由勾稽关系推出的唯一读法；提示审核人员对照原文核实。",
    example="表三「一、本年新收…」读到“160 0 0 2 0 0 1 62”八个数字（原表为 160、0、0、2、0、0、162，“162”被断成两行）：只有合并“1”和“62”时总计等于各栏之和。",
    basis="勾稽关系 I1–I4；缺失不等于 0",
)

declare(
    "R007",
    "row-readings-ambiguous",
    Severity.WARNING,
    title="受损文本中的一行有多种读法都符合勾稽关系，无法确定",
    message="{where}读到「{found}」，有 {count} 种读法与勾稽关系都不矛盾（如：{readings}）；无法确定，该行全部标为缺失",
    what="一行读到的数字个数与栏目数不符，按网页文本常见的损坏方式还原后，有不止一种读法符合勾稽关系（表二没有勾稽关系，只要读法不唯一即属此类）。",
    why="任选一种都可能把数字放错栏；xxgk 不猜测，列出可能的读法，请对照原文核实。",
    example="表二「行政规范性文件」后只有“4 16”两个数字（相同的相邻单元格被合并）：可能是 4、4、16，也可能是 4、16、16。",
    basis="缺失不等于 0",
)
