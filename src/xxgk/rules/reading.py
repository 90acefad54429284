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
