"""What kind of body issued a report, from its name: it decides deadlines and some checks."""

from __future__ import annotations

import re
from enum import StrEnum


class AgencyKind(StrEnum):
    TOWNSHIP = "township"  # 乡、镇人民政府，街道办事处
    GOVERNMENT = "government"  # 县级以上地方人民政府 (or its region name: "三明市")
    DEPARTMENT = "department"  # 县级以上人民政府部门 and other bodies
    UNKNOWN = "unknown"

    @property
    def zh(self) -> str:
        return {
            "township": "乡镇（街道）",
            "government": "县级以上人民政府",
            "department": "政府部门",
            "unknown": "未知类型机关",
        }[self.value]


_TOWNSHIP = re.compile(r"(镇|乡|街道|苏木)(人民政府|政府|办事处)?$|街道办事处$")
_GOVERNMENT = re.compile(r"(省|自治区|市|州|盟|县|区|旗)(人民政府|政府)?$")
_DEPARTMENT = re.compile(r"(局|委员会|委|办公室|办|厅|署|中心|院|所|管委会|部)$")


def classify_agency(name: str | None) -> AgencyKind:
    if not name:
        return AgencyKind.UNKNOWN
    name = re.sub(r"\s+", "", name)
    if _TOWNSHIP.search(name):
        return AgencyKind.TOWNSHIP
    if _DEPARTMENT.search(name):
        return AgencyKind.DEPARTMENT
    if _GOVERNMENT.search(name):
        return AgencyKind.GOVERNMENT
    return AgencyKind.UNKNOWN
