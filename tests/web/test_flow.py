"""The reviewer's loop through the Django test client: upload, see the report, decide findings, return
with the 审查意见, re-upload a corrected version and find the decisions carried over."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import CORPUS
from tests.web.conftest import make_user, upload_files

pytestmark = pytest.mark.usefixtures("web_db")


def _report_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'href="/reports/(\d+)/"', html)]


def test_upload_reads_and_checks_each_file_and_lists_it() -> None:
    reviewer = make_user("reviewer", "某市政务公开办", "reviewer")
    client = Client()
    client.force_login(reviewer)
    files = sorted(CORPUS.glob("00[1-3]-*.txt"))
    batch = upload_files(client, files)
    page = client.get(batch).content.decode()
    assert "全部完成" in page
    assert page.count('class="state-done"') == 3
    ids = _report_ids(page)
    assert len(ids) == 3
    report = client.get(f"/reports/{ids[0]}/")
    assert report.status_code == 200
    html = report.content.decode()
    # the three official tables, every value cell with its state
    assert html.count('data-table="t2"') == 1 and html.count('data-table="t3"') == 1
    assert html.count('class="v st-') >= 180


def test_decisions_carry_over_to_a_corrected_version(tmp_path: Path) -> None:
    reviewer = make_user("reviewer", "某市政务公开办", "reviewer")
    client = Client()
    client.force_login(reviewer)
    original = tmp_path / "2023.txt"
    text = (CORPUS / "003-sanming-shizf-2023.txt").read_text("utf-8")
    original.write_text(text, "utf-8")
    ids = _report_ids(client.get(upload_files(client, [original])).content.decode())
    first = ids[0]
    html = client.get(f"/reports/{first}/").content.decode()
    # the sentence a text rule (D032) is about is marked in the section
    marked = re.findall(r"<mark>([^<]*)</mark>", html)
    assert any("行政复议6件" in "".join(m.split()) for m in marked), marked
    findings = re.findall(r'id="finding-(\d+)" data-location="([^"]+)"', html)
    assert findings, "the report has findings to decide"
    fid, _ = findings[0]
    refused = client.post(f"/reports/{first}/findings/{fid}/", {"state": "dismissed"}, headers={"HX-Request": "true"})
    assert refused.status_code == 422 and "不采纳时请填写理由" in refused.content.decode()
    dismiss = {"state": "dismissed", "reason": "原文如此"}
    ok = client.post(f"/reports/{first}/findings/{fid}/", dismiss, headers={"HX-Request": "true"})
    assert ok.status_code == 200 and "不采纳" in ok.content.decode() and "原文如此" in ok.content.decode()
    # A corrected version (one sentence of the narrative changed) keeps the decision on the same finding.
    corrected = tmp_path / "2023-corrected.txt"
    at = text.index("。", text.index("总体情况"))
    corrected.write_text(text[:at] + "，本段已于2024年3月5日更正" + text[at:], "utf-8")
    later = _report_ids(client.get(upload_files(client, [corrected])).content.decode())
    assert later and later[0] != first
    html2 = client.get(f"/reports/{later[0]}/").content.decode()
    assert "第 2 版" in html2
    assert "原文如此" in html2  # the dismissal, carried over by the finding's fingerprint


def test_return_needs_a_confirmed_finding_and_gives_the_opinion() -> None:
    reviewer = make_user("reviewer", "某市政务公开办", "reviewer")
    client = Client()
    client.force_login(reviewer)
    ids = _report_ids(client.get(upload_files(client, [CORPUS / "002-sanming-shizf-2022.txt"])).content.decode())
    rid = ids[0]
    refused = client.post(f"/reports/{rid}/state/", {"state": "returned"}, follow=True).content.decode()
    assert "退回前请至少确认一个问题" in refused
    html = client.get(f"/reports/{rid}/").content.decode()
    fid = re.findall(r'id="finding-(\d+)"', html)[0]
    client.post(f"/reports/{rid}/findings/{fid}/", {"state": "confirmed"})
    done = client.post(f"/reports/{rid}/state/", {"state": "returned"}, follow=True).content.decode()
    assert "审查状态已更新" in done and "已退回" in done
    docx = client.get(f"/reports/{rid}/opinion.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    opinion = client.get(f"/reports/{rid}/opinion.html").content.decode()
    assert "审查意见" in opinion and "共发现问题 1 处" in opinion


def test_dashboard_lists_the_region_with_its_figures_and_exports_them() -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    reviewer = make_user("reviewer", "某市政务公开办", "reviewer")
    client = Client()
    client.force_login(reviewer)
    upload_files(client, sorted(CORPUS.glob("00[1-3]-*.txt")))
    page = client.get("/region/").content.decode()
    assert "三明市人民政府" in page
    for year in (2021, 2022, 2023):
        assert f"<th>{year} 年度</th>" in page
    assert page.count('<span class="badge pending">待审</span>') == 3
    workbook = load_workbook(BytesIO(client.get("/region/export.xlsx").content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("机关", "层级", "地区", "年度")
    years = sorted(r[3] for r in rows[1:])
    assert years == [2021, 2022, 2023]
    received = {r[3]: r[11] for r in rows[1:]}
    assert received[2022] == 347  # 本年新收申请, as read from the report
    only_2022 = client.get("/region/?year=2022").content.decode()
    assert "<th>2022 年度</th>" in only_2022 and "<th>2021 年度</th>" not in only_2022
    chart = client.get("/region/chart/applications.png")
    assert chart.status_code == 200 and chart.content[:8] == b"\x89PNG\r\n\x1a\n"
    # search: by year, by text in a section
    assert len(_report_ids(client.get("/reports/?year=2021").content.decode())) == 1
    assert len(_report_ids(client.get("/reports/", {"text": "拆迁补偿"}).content.decode())) >= 1
    assert _report_ids(client.get("/reports/", {"text": "不会出现的词语组合"}).content.decode()) == []
