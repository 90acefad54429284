"""B: format and structure — version, sections, tables, rows, title, agency and year."""

from __future__ import annotations

from tests.rules.cases import CLEAN, Case, Change

TITLE = "某某镇人民政府2024年政府信息公开工作年度报告"
PERIOD = "统计期限自2024年1月1日起至2024年12月31日止"
SIGNATURE = "某某镇人民政府\n2025年1月15日"
S4 = "四、政府信息公开行政复议、行政诉讼情况\n"
S5 = "五、存在的主要问题及改进情况\n"
S6 = "六、其他需要报告的事项\n"
# Every year but the title's: the period, the overview's first words and the signature's date.
NO_OTHER_YEAR = (
    (PERIOD, "统计期限为本年度全年"),
    ("2024年，某某镇人民政府", "本年度，某某镇人民政府"),
    (SIGNATURE, "某某镇人民政府"),
)
FEES_HEADER = "信息内容\t本年收费金额（单位：万元）"
T2_HEADER = "信息内容\t本年制发件数\t本年废止件数\t现行有效件数"
# 2019 trial-format columns of 表二 (第二十条第（一）项)
T2_HEADER_2019 = "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量"
ROW = "\t\t3.其他\t0\t0\t0\t0\t0\t0\t0\n"
OTHER_PROCESSING = (
    "\t（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0\n"
    "\t\t2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0\n"
    "\t\t3.其他\t0\t0\t0\t0\t0\t0\t0\n"
)
T4 = (
    "行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t\n"
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t\n"
    "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
    "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n"
)

CASES = [
    Case(
        "B011",
        fires=Change(year=2022, edits=((T2_HEADER, T2_HEADER_2019), ("本年收费金额（单位：万元）", "采购总金额"))),
        quiet=Change(year=2022),
    ),
    Case(
        "B012",
        fires=Change(edits=((FEES_HEADER, "信息内容\t上一年项目数量\t本年增/减\t处理决定数量"),)),
        quiet=CLEAN,
    ),
    Case("B013", fires=Change(edits=((OTHER_PROCESSING, "\t（六）其他处理\t\t0\t0\t0\t0\t0\t0\t0\n"),)), quiet=CLEAN),
    Case("B021", fires=Change(edits=((S6, ""),)), quiet=CLEAN),
    Case("B022", fires=Change(edits=((S5, ""), (S4, S5 + "本机关工作有待加强。\n" + S4))), quiet=CLEAN),
    Case("B023", fires=Change(edits=((S4, S5 + S4),)), quiet=CLEAN),
    Case("B024", fires=Change(edits=((S6, "六、其它需要报告事项\n"),)), quiet=CLEAN),
    Case("B031", fires=Change(edits=((T4, ""),)), quiet=CLEAN),
    Case("B032", fires=Change(edits=((ROW, ""),)), quiet=CLEAN),
    Case("B041", fires=Change(edits=((ROW, ROW + "\t\t小计\t0\t0\t0\t0\t0\t0\t0\n"),)), quiet=CLEAN),
    Case("B051", fires=Change(edits=((TITLE + "\n", ""),)), quiet=CLEAN),
    Case(
        "B052",
        fires=Change(edits=((TITLE, "2024年政府信息公开工作年度报告"), (SIGNATURE, "2025年1月15日"))),
        quiet=Change(edits=((SIGNATURE, "2025年1月15日"),)),
    ),
    Case(
        "B053",
        fires=Change(edits=((TITLE, "某某镇人民政府政府信息公开工作年度报告"), *NO_OTHER_YEAR)),
        quiet=Change(edits=NO_OTHER_YEAR),
    ),
]
