"""The report written in the browser and the filing loop (Django test client): typed, checked live, refused
while an error remains, submitted into the corpus, returned by the reviewer with a finding, corrected and
resubmitted, approved, published; a save from a stale form is refused and nothing is overwritten."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.web.conftest import make_user, seed_form, upload_files
from xxgk.api import render, report_from_form

pytestmark = pytest.mark.usefixtures("web_db")

AGENCY = "三门峡市陕州区大营镇人民政府"
YEAR = 2024


def _revision(html: str) -> str:
    found = re.search(r'name="revision" value="(\d+)"', html)
    assert found
    return found.group(1)


def _people() -> tuple[Client, Client]:
    make_user("reviewer", "陕州区政务公开办", "reviewer")
    clerk, reviewer = Client(), Client()
    clerk.force_login(make_user("clerk", AGENCY, "editor", kind="agency", parent="陕州区政务公开办"))
    from django.contrib.auth import get_user_model

    reviewer.force_login(get_user_model().objects.get(username="reviewer"))
    return clerk, reviewer


def _save(client: Client, data: dict[str, Any]) -> Any:
    page = client.get(f"/report/{YEAR}/").content.decode()
    return client.post(f"/report/{YEAR}/", {**data, "revision": _revision(page), "action": "save"})


def test_the_filing_loop(tmp_path: Path) -> None:
    clerk, reviewer = _people()
    typed = seed_form()
    wrong = {**typed, "cell:t3.new_received.total": str(int(typed["cell:t3.new_received.total"] or 0) + 5)}
    # live check: the identity that fails is named, the cell flagged, nothing saved
    live = clerk.post(f"/report/{YEAR}/check/", wrong).content.decode()
    assert re.search(r'data-keys="[^"]*t3\.new_received\.total', live)
    assert "个错误" in live
    assert _save(clerk, wrong).status_code == 302
    refused = clerk.post(f"/report/{YEAR}/submit/", follow=True).content.decode()
    assert "改正后才能提交" in refused and "未提交" in refused
    assert _save(clerk, typed).status_code == 302
    submitted = clerk.post(f"/report/{YEAR}/submit/", follow=True).content.decode()
    assert "已提交" in submitted and "待审" in submitted
    # the reviewer of the office above sees it, confirms the warning and returns the report
    listed = reviewer.get("/reports/").content.decode()
    report_id = int(re.findall(r'href="/reports/(\d+)/"', listed)[0])
    page = reviewer.get(f"/reports/{report_id}/").content.decode()
    finding = re.findall(r'id="finding-(\d+)"', page)[0]
    reviewer.post(f"/reports/{report_id}/findings/{finding}/", {"state": "confirmed"})
    reviewer.post(f"/reports/{report_id}/state/", {"state": "returned"})
    returned = clerk.get(f"/report/{YEAR}/").content.decode()
    assert "已退回" in returned and "下载审查意见" in returned
    # corrected (the text says what was missing) and resubmitted: 待审 again, as the second version
    corrected = {
        **typed,
        "section:s5_problems": typed["section:s5_problems"] + "本年度开展了工作考核、社会评议和责任追究。",
    }
    assert _save(clerk, corrected).status_code == 302
    again = clerk.post(f"/report/{YEAR}/submit/", follow=True).content.decode()
    assert "待审" in again and "第 2 版" in again
    listed = reviewer.get("/reports/").content.decode()
    second = int(re.findall(r'href="/reports/(\d+)/"', listed)[0])
    assert second != report_id
    assert reviewer.post(f"/reports/{second}/state/", {"state": "approved"}, follow=True).status_code == 200
    approved = clerk.get(f"/report/{YEAR}/").content.decode()
    assert "已通过" in approved and 'name="published_on"' in approved
    clerk.post(f"/report/{YEAR}/publish/", {"published_on": "2025-01-25", "published_url": "https://example.gov.cn/nb"})
    assert "已于 2025年1月25日 发布" in clerk.get(f"/report/{YEAR}/").content.decode()
    # the copy crawled from the website differs from the approved version: flagged on its page
    published = {**corrected, "section:s1_overview": corrected["section:s1_overview"] + "全年办理公开申请12件。"}
    cells = {k.removeprefix("cell:"): v for k, v in published.items() if k.startswith("cell:")}
    sections = {k.removeprefix("section:"): v for k, v in published.items() if k.startswith("section:")}
    copy = report_from_form(AGENCY, YEAR, title=typed["title"], sections=sections, cells=cells).report
    path = tmp_path / "网站上的年报.docx"
    path.write_bytes(render(copy, "docx"))
    crawled = upload_files(reviewer, [path])
    third = int(re.findall(r'href="/reports/(\d+)/"', reviewer.get(crawled).content.decode())[0])
    assert 'id="changed-after-approval"' in reviewer.get(f"/reports/{third}/").content.decode()
    # next year's draft starts from this year's text, and says how much of it is unchanged
    next_year = clerk.get(f"/report/{YEAR + 1}/").content.decode()
    assert "本年度开展了工作考核、社会评议和责任追究" in next_year
    assert "内容雷同" in next_year


def test_a_stale_save_is_refused_and_keeps_what_wasseed_form() -> None:
    clerk, _ = _people()
    page = clerk.get(f"/report/{YEAR}/").content.decode()
    stale = _revision(page)
    assert clerk.post(f"/report/{YEAR}/", {"revision": stale, "title": "第一人保存的标题"}).status_code == 302
    second = clerk.post(
        f"/report/{YEAR}/", {"revision": stale, "title": "第二人的标题", "cell:t2.regulations.issued": "abc"}
    )
    assert second.status_code == 409
    html = second.content.decode()
    assert "已被他人修改" in html
    assert 'value="第二人的标题"' in html and 'value="abc"' in html  # nothing typed is lost
    assert 'value="第一人保存的标题"' in clerk.get(f"/report/{YEAR}/").content.decode()  # nothing overwritten


def test_a_viewer_reads_but_cannot_save_or_submit() -> None:
    make_user("reviewer", "陕州区政务公开办", "reviewer")
    viewer = Client()
    viewer.force_login(make_user("viewer", AGENCY, "viewer", kind="agency", parent="陕州区政务公开办"))
    page = viewer.get(f"/report/{YEAR}/").content.decode()
    assert "readonly" in page and "提交政务公开办审核" not in page
    assert viewer.post(f"/report/{YEAR}/", {"revision": _revision(page)}).status_code == 403
    assert viewer.post(f"/report/{YEAR}/submit/").status_code == 403
