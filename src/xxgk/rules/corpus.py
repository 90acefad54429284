"""X: checks over several reports (the corpus): one agency across years, several agencies in one year.

These rules have no single-report check function: `xxgk corpus check` (xxgk.corpus.crossrules) runs them
over the stored reports and emits their findings. They are declared here so that they have codes,
messages and documentation like every other rule.
"""

from __future__ import annotations

from xxgk.findings import Severity
from xxgk.rules.base import declare

declare(
    "X011",
    "carry-over-mismatch",
    Severity.ERROR,
    title="表三“上年结转”与上年报告的“结转下年度”不一致",
    message="{where}为 {found}，而{previous_year}年度报告的“结转下年度”为 {expected}",
    what="同一机关第 Y 年报告表三“二、上年结转政府信息公开申请数量”的每一栏（自然人、五类法人或其他组织、总计，共 7 栏），应等于第 Y−1 年报告表三“五、结转下年度继续办理”的同一栏；2019 年格式（2019、2020 年度报告）与 2021 年格式的这两行含义相同，跨格式也比较。",
    why="上年未办结的申请必然转入本年；两份报告对同一批申请的数量说法不一，至少有一份数据错误（常见原因是套用模板未改或统计口径变化未说明）。",
    example="某市 2022 年度报告“结转下年度继续办理”总计 1 件，2023 年度报告“上年结转”总计为 0 件。",
    basis="国办公开办函〔2021〕30号表三：本年“上年结转”与上年“结转下年度”相衔接",
    keys=("t3.carried_over_in.*", "t3.carried_over_out.*"),
)

declare(
    "X021",
    "stock-does-not-follow",
    Severity.WARNING,
    title="表二“现行有效件数”与上年数量加减本年制发、废止不符",
    message="{where}为 {found}，按上年 {previous} + 本年制发 {issued} − 本年废止 {repealed} 应为 {expected}（相差 {difference}）",
    what="同一机关第 Y 年表二第二十条第（一）项规章、行政规范性文件的“现行有效件数”，与第 Y−1 年的现行有效件数加第 Y 年“本年制发件数”减“本年废止件数”比较。",
    why="存量应随制发和废止变化；不符时可能是数字错误，也可能是年内集中清理、修改后继续有效等原因，故为警告，请在报告中说明差额来源。",
    example="2023 年现行有效 120 件，2024 年制发 10 件、废止 5 件，2024 年报告现行有效却为 140 件（相差 15 件）。",
    basis="国办公开办函〔2021〕30号表二",
    keys=("t2.regulations.in_force", "t2.normative_documents.in_force"),
)

declare(
    "X031",
    "text-copied-from-last-year",
    Severity.WARNING,
    title="正文与本机关上年报告雷同",
    message="{where}有 {share} 的文字与{previous_year}年度报告相同，相同段落如：{passages}",
    what="同一机关第 Y 年与第 Y−1 年报告的同一部分正文（总体情况、存在的主要问题及改进情况等）逐字比较（去除空白和标点，按连续字符片段），相同文字超过该部分的 50% 时提示。",
    why="年度报告应反映本年度工作；第三方评估对照搬上年报告的内容扣分，“存在的主要问题及改进情况”年年相同说明问题没有整改。",
    example="某局 2024 年报告第五部分 85% 的文字与 2023 年报告相同。",
    basis="国办公开办函〔2021〕30号；第三方评估指标（内容雷同）",
    keys=("s1_overview", "s5_problems", "s6_other"),
)

declare(
    "X032",
    "text-copied-from-other-agency",
    Severity.WARNING,
    title="正文与同年度其他机关报告雷同",
    message="{where}有 {share} 的文字与{other}的同年度报告相同，相同段落如：{passages}",
    what="同一年度不同机关报告的同一部分正文逐字比较（MinHash/LSH 找出候选，再逐字计算），相同文字超过该部分的 50% 时提示。",
    why="各机关的工作情况不同，大段相同的文字多为套用模板或互相抄用，未如实反映本机关的工作。",
    example="两个县直部门 2024 年报告的第一部分 90% 的文字相同，仅机关名称不同。",
    basis="第三方评估指标（内容雷同）",
    keys=("s1_overview", "s5_problems", "s6_other"),
)

declare(
    "X041",
    "report-missing",
    Severity.WARNING,
    title="上年发布了报告的机关，本年度报告缺失",
    message="{agency}发布了{previous_year}年度报告，库中没有其{year}年度报告",
    what="库中某机关有第 Y−1 年报告而没有第 Y 年报告（只检查库中已有其他机关第 Y 年报告的年度）。",
    why="条例第四十九条要求每年发布年度报告；缺失可能是未发布，也可能是未收集到，请核实。",
    example="某局有 2023 年度报告，库中 2024 年度报告有 40 份，但没有该局的。",
    basis="条例第四十九条",
    keys=("agency",),
)

declare(
    "X042",
    "two-different-reports",
    Severity.ERROR,
    title="同一机关同一年度有两份内容不同的报告",
    message="{agency}{year}年度有两份不同的报告（{first} 与 {second}），{cells}个单元格的数字不同",
    what="同一机关同一年度的两份报告，表格中一半以上两份都读到的数字不同，或某一部分正文大部分不同：不是修改后重新发布，而是两份不同的报告（或机关名称、年度识别有误）。",
    why="每个机关每年只应有一份年度报告；两份不同的报告使公众无法确定以哪份为准。",
    example="某局 2024 年度在门户网站和部门网站各发布一份报告，表三数字完全不同。",
    basis="条例第四十九条",
    keys=("agency",),
)

declare(
    "X043",
    "modified-after-publication",
    Severity.WARNING,
    title="发布后被修改",
    message="{agency}{year}年度报告发布后被修改（第{version}版，{date}）：{changes}",
    what="同一机关同一年度的报告在库中有新版本（内容不同），列出修改的单元格（修改前→修改后）和正文部分。",
    why="报告发布后修改而不作说明，公众和上级机关可能引用了不同的数字；修改应在报告中注明日期和原因。",
    example="某局 2024 年度报告 2 月重新发布，表三“予以公开”总计由 12 改为 13。",
    basis="条例第四十九条",
    keys=("agency",),
)

declare(
    "X051",
    "fee-not-explained",
    Severity.WARNING,
    title="表三有收费事项，第六部分未说明信息处理费",
    message="{where}为 {found}，但第六部分没有说明信息处理费的收取情况",
    what="表三“申请人逾期未按收费通知要求缴纳费用”大于 0（本年度发出过收费通知），而第六部分“其他需要报告的事项”没有提到信息处理费。",
    why="国办函〔2020〕109号《政府信息公开信息处理费管理办法》要求在年度报告中公开信息处理费的收取情况；发出了收费通知却不作说明，收费情况无从核实。",
    example="表三该行总计 2 件，第六部分只写“无其他需要报告的事项”。",
    basis="国办函〔2020〕109号第十条；国办公开办函〔2021〕30号第六部分",
    keys=("t3.other_fee_unpaid.total", "s6_other"),
)

declare(
    "X052",
    "fee-explained-without-table",
    Severity.INFO,
    title="第六部分说收取了信息处理费，表三没有收费事项",
    message="第六部分说明收取了信息处理费（{text}），而{where}为 {found}",
    what="第六部分写明收取了信息处理费（有金额或件数，且不是“未收取”），而表三“申请人逾期未按收费通知要求缴纳费用”为 0：按时缴费的申请不出现在该行，所以只作提示，请核对收费通知的件数。",
    why="收费情况应前后一致；正文与表格说法不同时，读者无法判断实际收费情况。",
    example="第六部分“本年度收取信息处理费 300 元”，表三该行为 0。",
    basis="国办函〔2020〕109号",
    keys=("t3.other_fee_unpaid.total", "s6_other"),
)

declare(
    "X061",
    "late-by-deadline-table",
    Severity.ERROR,
    title="晚于所在地区、层级规定的发布期限",
    message="{basis_date}为 {found}，晚于{rule_name}规定的期限 {expected}（{notice}）",
    what="按可配置的发布期限表（全国：条例第四十九条，部门 1 月 31 日、县级以上地方人民政府 3 月 31 日；各地可加更早的期限，每条注明依据文件）检查发布日期：有落款日期时用落款日期，否则用来源网页的发布时间（消息中注明用的是哪一个）。",
    why="条例和各地通知规定了发布期限；逾期发布属于应当追责的情形。",
    example="某市规定市直部门 1 月 20 日前发布，某局来源网页发布时间为 1 月 25 日。",
    basis="条例第四十九条；各省、市关于年度报告发布时间的通知",
    keys=("date",),
)

declare(
    "X071",
    "region-summary-differs-from-sum",
    Severity.WARNING,
    title="地区汇总报告与本地区各机关报告之和不一致",
    message="{where}：本地区汇总报告为 {found}，本地区 {count} 份报告之和为 {expected}（相差 {difference}）",
    what=(
        "同一年度，某地区的汇总报告（如“全县”“全市”报告）的表二件数（收费金额除外）、表三、表四每个单元格，"
        "与同一地区（按 GB/T 2260 区划代码，无代码时按机关名称中的地名）其他报告之和逐格比较。"
        "汇总报告的识别：县级以上地方人民政府的报告，标题或机关名称中有“全省/全市/全州/全盟/全县/全区/全旗”或“汇总”；"
        "或用户的机关对照文件中该机关写明 summary = true。政府本级的普通年度报告不是汇总报告。"
        "参与求和的是同一地区同一年度的其他报告：政府本级报告（与汇总报告分别发布时）、政府部门和乡镇（街道）；"
        "下级地区（如市辖的县区）有自己的区划代码，不计入。"
        "任一参与求和的报告缺少某单元格时，该单元格不比较（缺失不按 0 计），见 X072。"
    ),
    why="汇总报告的数字应由本地区各机关的数字相加得出；不一致说明汇总有误，或有机关的报告未汇总、数字已修改。"
    "若汇总报告还包括下级地区，或库中缺少本地区某些机关的报告，也会出现差额，故为警告，请核对差额来源。",
    example="某县 2024 年“全县”报告表三“予以公开”总计 120 件，该县政府本级、各部门和乡镇报告之和为 117 件（相差 3）。",
    basis="条例第五十条；国办公开办函〔2021〕30号表二至表四",
    keys=("t2.*", "t3.*", "t4.*"),
)

declare(
    "X072",
    "region-summary-cells-not-compared",
    Severity.INFO,
    title="地区汇总报告的部分单元格因其他报告缺失而未比较",
    message="{cells}个单元格（{examples}）未与本地区各机关报告之和比较：{reports}的报告缺少这些单元格（缺失不按 0 计）",
    what="X071 比较汇总报告与本地区各机关报告之和时，若有参与求和的报告未读到某单元格，该单元格不比较；每份汇总报告只提示一次，列出未比较的单元格和缺少它们的报告。",
    why="把读不到的单元格当作 0 会得出错误的和；未比较的单元格需要人工核对或补全原报告后重新核查。",
    example="某县“全县”报告与 12 份报告比较，其中某局的报告表四未能读取，表四 15 个单元格未比较。",
    basis="条例第五十条",
    keys=("agency",),
)
