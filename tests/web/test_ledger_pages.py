"""The 公开专员's ledger in the browser (Django test client): register a request, see its deadlines and how
they were counted, record 补正 and the corrected request (the deadline moves), reply, see it in 表三,
download a letter; refusals keep what was typed; another agency sees nothing of it."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

import pytest
from django.test import Client

from tests.web.conftest import make_user

pytestmark = pytest.mark.usefixtures("web_db")


def _clerk(name: str = "clerk", agency: str = "某县某某局") -> Client:
    client = Client()
    client.force_login(make_user(name, agency, "editor", kind="agency"))
    return client


def _deadline(html: str, what: str) -> str:
    found = re.search(rf"<td>{what}[^<]*</td><td>([0-9-]+)</td>", html)
    assert found, what
    return found.group(1)


def test_a_request_from_receipt_to_reply() -> None:
    client = _clerk()
    assert client.get("/").url == "/ledger/"
    bad = client.post("/ledger/new/", {"received": "2026-13-01", "applicant": "张三", "applicant_type": "natural"})
    assert bad.status_code == 422
    page = bad.content.decode()
    assert 'value="张三"' in page  # what was typed is kept
    # the message beside the field it is about
    assert re.search(r'name="received"[^>]*>\s*<span class="err" role="alert">[^<]*日期', page)
    made = client.post(
        "/ledger/new/",
        {"received": "2026-09-28", "applicant": "张三", "applicant_type": "natural", "channel": "in_person",
         "subject": "某路段拆迁补偿方案"},
    )  # fmt: skip
    assert made.status_code == 302
    case_url = made["Location"]
    html = client.get(case_url).content.decode()
    # 20 working days from 9月28日 over the National Day holiday (10月1日–7日) and its 调休 (Saturday 10月10日
    # is a working day), from the shipped 2026 arrangement
    first_due = _deadline(html, "答复期限")
    assert "期间跳过的节假日" in html and "10月1日" in html
    assert "调休上班日" in html and "10月10日" in html
    # 补正: the reply clock stops; the corrected request restarts it (第三十条)
    client.post(f"{case_url}event/", {"kind": "correction_requested", "on": "2026-09-29", "reply_by": "2026-10-20"})
    waiting = client.get(case_url).content.decode()
    assert "等待补正" in waiting and "答复期限" not in re.sub(r"<details.*?</details>", "", waiting, flags=re.S)
    client.post(f"{case_url}event/", {"kind": "correction_received", "on": "2026-10-15"})
    moved = _deadline(client.get(case_url).content.decode(), "答复期限")
    assert moved > first_due
    # an impossible event: the core's message, next to the form, with the form kept
    refused = client.post(f"{case_url}event/", {"kind": "replied", "on": "2026-09-01", "outcome": "granted"})
    assert refused.status_code == 422
    assert 'role="alert"' in refused.content.decode()
    replied = client.post(f"{case_url}event/", {"kind": "replied", "on": "2026-11-02", "outcome": "granted"})
    assert replied.status_code == 302
    done = client.get(case_url).content.decode()
    assert "已办结" in done and "予以公开" in done
    tables = client.get("/ledger/tables/?year=2026").content.decode()
    cell = re.search(r'data-key="t3\.granted\.natural_person"[^>]*>([^<]*)<', tables)
    assert cell and cell.group(1) == "1"
    listing = client.get("/ledger/").content.decode()
    assert "张三" in listing and case_url in listing
    # each cell lists the cases it counts (the tables page and the report form ask for it)
    counted = client.get("/ledger/tables/2026/t3.granted.natural_person/").content.decode()
    assert "计入此格的案件 1 件" in counted and case_url in counted
    assert "计入此格的案件 0 件" in client.get("/ledger/tables/2026/t3.granted.legal_service_org/").content.decode()
    form = client.get("/report/2026/").content.decode()
    assert 'hx-get="/ledger/tables/2026/t3.granted.natural_person/"' in form


def test_a_letter_is_downloaded_and_recorded_as_its_event() -> None:
    from docx import Document

    client = _clerk()
    made = client.post("/ledger/new/", {"received": "2026-11-02", "applicant": "李四", "applicant_type": "natural"})
    case_url = made["Location"]
    letter = client.post(f"{case_url}letter/", {"kind": "correction_notice", "format": "docx", "record": "1"})
    assert letter.status_code == 200 and letter["Content-Disposition"].startswith("attachment")
    text = "\n".join(p.text for p in Document(BytesIO(letter.content)).paragraphs)
    assert "李四" in text and "补正" in text
    timeline = client.get(case_url).content.decode()
    assert "发出补正通知" in timeline


def test_each_agency_sees_only_its_own_ledger() -> None:
    mine = _clerk("clerk_a", "甲局")
    theirs = _clerk("clerk_b", "乙局")
    case_url = mine.post("/ledger/new/", {"received": "2026-11-02", "applicant": "王五", "applicant_type": "natural"})[
        "Location"
    ]
    assert "王五" not in theirs.get("/ledger/").content.decode()
    assert theirs.get(case_url).status_code == 404
    reviewer = Client()
    reviewer.force_login(make_user("reviewer", "某市政务公开办", "reviewer"))
    assert reviewer.get("/ledger/").status_code == 403
    viewer = Client()
    viewer.force_login(make_user("viewer_a", "甲局", "viewer", kind="agency"))
    assert "王五" in viewer.get("/ledger/").content.decode()
    assert viewer.post("/ledger/new/", {"received": "2026-11-02", "applicant": "x"}).status_code == 403


def test_import_export_statistics_reminders_and_a_stale_case_form(tmp_path: Any) -> None:
    from openpyxl import Workbook

    client = _clerk()
    case_url = client.post(
        "/ledger/new/", {"received": "2026-11-02", "applicant": "赵六", "applicant_type": "natural"}
    )["Location"]
    exported = client.get("/ledger/export.xlsx")
    assert exported.status_code == 200 and exported.content[:2] == b"PK"
    # a workbook with a bad date: every problem listed by row and column, nothing imported
    wb = Workbook()
    sheet = wb.active
    sheet.append(["申请人", "申请人类型", "收到日期", "申请方式"])
    sheet.append(["钱七", "自然人", "2026-02-30", "当面"])
    path = tmp_path / "台账.xlsx"
    wb.save(path)
    with path.open("rb") as f:
        refused = client.post("/ledger/import/", {"file": f})
    assert refused.status_code == 422
    assert re.search(r"第2行[^<]*C列", refused.content.decode())
    assert "钱七" not in client.get("/ledger/").content.decode()
    sheet["C2"] = "2026-11-03"
    wb.save(path)
    with path.open("rb") as f:
        done = client.post("/ledger/import/", {"file": f})
    assert done.status_code == 200 and "已导入 1 件案件" in done.content.decode()
    assert "钱七" in client.get("/ledger/").content.decode()
    # a reply on time, then the year's statistics
    page = client.get(case_url).content.decode()
    seen = re.search(r'name="seen" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    assert client.post(f"{case_url}event/", {"kind": "replied", "on": "2026-11-20", "outcome": "granted", "seen": seen})
    stale = client.post(f"{case_url}event/", {"kind": "withdrawn", "on": "2026-11-21", "seen": seen})
    assert stale.status_code == 422 and "刚被他人登记了新的事件" in stale.content.decode()
    stats = client.get("/ledger/statistics/?year=2026").content.decode()
    assert re.search(r"本年作出答复</th><td>1 件", stats)
    assert re.search(r"20 个工作日内答复</th><td>100%", stats)


def test_the_daily_reminder_lists_and_mails_the_cases_due() -> None:
    from datetime import date, timedelta

    from django.core import mail

    from xxgk.web import serve
    from xxgk.web.models import Membership

    client = _clerk()
    Membership.objects.get(user__username="clerk").user.__class__.objects.filter(username="clerk").update(
        email="clerk@example.gov.cn"
    )  # (the member the reminder is mailed to)
    # received 45 days ago: its 20 working days have run out (as of the day the suite runs)
    received = (date.today() - timedelta(days=45)).isoformat()
    client.post("/ledger/new/", {"received": received, "applicant": "孙八", "applicant_type": "natural"})
    sent = serve.remind_once_a_day()
    assert sent == 1 and "孙八" in mail.outbox[-1].body and "已超期" in mail.outbox[-1].body
    assert serve.remind_once_a_day() is None  # once a day
    # on the clerk's home page too
    home = client.get("/ledger/").content.decode()
    assert 'id="reminder"' in home and "1 件已超期" in home


ARRANGEMENT_2026 = """year = 2026

[notice]
title = "国务院办公厅关于2026年部分节假日安排的通知（测试用的补充安排）"
number = "国办发明电〔2025〕99号"

[[breaks]]
name = "补充假日"
first_day_off = 2026-11-16
last_day_off = 2026-11-20
make_up_workdays = []
"""


def test_a_new_calendar_moves_the_open_cases_and_lists_them(tmp_path: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("XXGK_HOME", str(tmp_path))  # (the calendar files of this test only)
    clerk = _clerk()
    case_url = clerk.post("/ledger/new/", {"received": "2026-11-02", "applicant": "周九", "applicant_type": "natural"})[
        "Location"
    ]
    before = _deadline(clerk.get(case_url).content.decode(), "答复期限")
    admin = Client()
    admin.force_login(make_user("admin", "某市政务公开办", "admin"))
    path = tmp_path / "2026.toml"
    path.write_text(ARRANGEMENT_2026, "utf-8")
    with path.open("rb") as f:
        page = admin.post("/ledger/calendar/", {"file": f}).content.decode()
    assert "已加入 2026 年的安排" in page, page[page.find("<main>") :][:1500]

    moved = re.search(r"<td>某县某某局</td><td>([^<]+)</td><td>([0-9-]+)</td><td>([0-9-]+)</td>", page)
    assert moved and moved.group(2) == before and moved.group(3) > before
    assert clerk.get("/ledger/calendar/").status_code == 403  # (administrators only)


def test_an_agency_has_its_own_letter_templates(tmp_path: Any, monkeypatch: Any) -> None:
    from docx import Document

    monkeypatch.setenv("XXGK_HOME", str(tmp_path))
    own = tmp_path / "letters" / "某县某某局"
    own.mkdir(parents=True)
    (own / "organisation.toml").write_text('review_organ = "某县人民政府"\ncourt = "某县人民法院"\n', "utf-8")
    mine, theirs = _clerk(), _clerk("clerk_b", "另一个局")
    texts = []
    for client in (mine, theirs):
        case_url = client.post(
            "/ledger/new/", {"received": "2026-11-02", "applicant": "吴十", "applicant_type": "natural"}
        )["Location"]
        letter = client.post(f"{case_url}letter/", {"kind": "granted", "format": "docx", "on": "2026-11-20"})
        texts.append("\n".join(p.text for p in Document(BytesIO(letter.content)).paragraphs))
    assert "某县人民政府" in texts[0]  # the agency's own 复议机关
    assert "某县人民政府" not in texts[1] and "请填写" in texts[1]  # another agency: the blank to fill in
