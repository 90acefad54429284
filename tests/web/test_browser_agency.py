"""The 公开专员's loop in a real browser (chromium through Playwright), with the reviewer in a second
window: log a request, send a 补正 notice (the letter downloads and becomes the case's event), record the
corrected request and the reply and see the deadline move, see the case in 表三; write the report with the
form (filled from the ledger), be refused submission while an identity fails, fix it, submit; the reviewer
returns it with a finding; correct and resubmit; the reviewer approves. No console error anywhere."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import make_user, seed_form
from tests.web.test_browser import CHROMIUM, PASSWORD, VIEWPORT, Shots, _in_thread, live_url  # noqa: F401

pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.usefixtures("web_db"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="需要 Debian 的 chromium（scripts/install-system-packages.sh）"),
]
AGENCY = "三门峡市陕州区大营镇人民政府"
OFFICE = "陕州区政务公开办"
YEAR = 2024

# Fill every field of the report form at once (the figures and text of a real report), as a clerk would
# by typing; the form's own change event then runs the live check once.
_FILL = """values => {
  for (const [name, value] of Object.entries(values)) {
    const field = document.querySelector(`[name="${name}"]`);
    if (field) { field.value = value; }
  }
}"""


def _login(browser: Any, url: str, user: str, problems: list[str]) -> Any:
    page = browser.new_page(viewport=VIEWPORT, locale="zh-CN", accept_downloads=True)
    page.on("console", lambda m: problems.append(f"{user} console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"{user} page error: {e}"))
    page.set_default_timeout(10_000)
    page.goto(f"{url}/login/")
    page.fill("#id_username", user)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    return page


def _event(page: Any, kind: str, on: str, **fields: str) -> None:
    page.select_option("#event-form select[name=kind]", kind)
    for name, value in fields.items():  # (the fields of the event, loaded by htmx when it is chosen)
        field = page.locator(f"#event-fields [name={name}]")
        field.wait_for()
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.fill("#event-form input[name=on]", on)
    page.click("#event-form button[type=submit]")


def _deadline(page: Any, what: str) -> str:
    row = page.locator("#deadlines tbody tr").filter(has_text=re.compile(f"^{what}"))
    return str(row.first.locator("td").nth(1).inner_text())


def test_the_agency_loop_in_the_browser(live_url: str, tmp_path: Path) -> None:  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    def people() -> None:
        make_user("reviewer", OFFICE, "reviewer")
        make_user("clerk", AGENCY, "editor", kind="agency", parent=OFFICE)

    _in_thread(people)
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        clerk = _login(browser, live_url, "clerk", problems)
        expect(clerk.locator("h1")).to_contain_text("依申请公开台账")

        # -- a request, its 补正 notice (downloaded, recorded), the corrected request, the reply
        clerk.click("text=登记新申请")
        clerk.fill("input[name=received]", f"{YEAR}-09-23")
        clerk.fill("input[name=applicant]", "张三")
        clerk.click("#content button[type=submit], form.card button[type=submit]")
        expect(clerk.locator("h1")).to_contain_text("案件")
        first_due = _deadline(clerk, "答复期限")
        clerk.select_option("#letter-form select[name=kind]", "correction_notice")
        clerk.fill("#letter-form input[name=on]", f"{YEAR}-09-24")
        with clerk.expect_download() as letter:
            clerk.click("#letter-form button[value='1']")
        assert letter.value.suggested_filename.endswith(".docx")
        clerk.reload()
        expect(clerk.locator("#timeline")).to_contain_text("发出补正通知")
        replies = clerk.locator("#deadlines tbody tr").filter(has_text=re.compile("^答复期限"))
        expect(replies).to_have_count(0)  # the clock waits for the 补正
        _event(clerk, "correction_received", f"{YEAR}-10-08")
        expect(clerk.locator("#timeline")).to_contain_text("收到补正材料")
        assert _deadline(clerk, "答复期限") > first_due  # 第三十条: counted again from the corrected request
        clerk.locator("details.counted").first.click()  # (how the deadline was counted, for the manual)
        Shots(clerk, tmp_path).take("ledger-case")
        _event(clerk, "replied", f"{YEAR}-10-25", outcome="granted")
        expect(clerk.locator("#timeline")).to_contain_text("作出答复")
        clerk.goto(f"{live_url}/ledger/tables/?year={YEAR}")
        expect(clerk.locator("td[data-key='t3.granted.natural_person']")).to_have_text("1")

        # -- the report: typed, filled from the ledger, a wrong total flagged live, submission refused
        clerk.goto(f"{live_url}/report/{YEAR}/")
        clerk.evaluate(_FILL, seed_form())
        clerk.click("text=保存")
        expect(clerk.locator(".messages")).to_contain_text("已保存")
        clerk.click("text=由台账填入表三、表四")
        expect(clerk.locator("input[name='cell:t3.granted.natural_person']")).to_have_value("1")
        total = clerk.locator("input[name='cell:t3.granted.total']")
        total.fill("9")
        total.dispatch_event("change")
        expect(clerk.locator("#draft-findings")).to_contain_text("个错误")
        expect(clerk.locator("td.v[data-key='t3.granted.total']")).to_have_class(re.compile("sev-"))
        clerk.locator("table[data-table='t3']").scroll_into_view_if_needed()
        Shots(clerk, tmp_path).take("report-form")
        clerk.click("text=保存")
        clerk.click("#submit-report")
        expect(clerk.locator(".messages")).to_contain_text("改正后才能提交")
        clerk.locator("input[name='cell:t3.granted.total']").fill("1")
        clerk.click("text=保存")
        clerk.click("#submit-report")
        expect(clerk.locator(".messages")).to_contain_text("已提交")
        expect(clerk.locator("#filing-state")).to_have_text("待审")

        # -- the reviewer returns it with a finding
        reviewer = _login(browser, live_url, "reviewer", problems)
        reviewer.goto(f"{live_url}/reports/")
        reviewer.locator("table.list a").first.click()
        reviewer.locator(".finding button[value=confirmed]").first.click()
        expect(reviewer.locator(".finding.confirmed")).to_have_count(1)
        reviewer.click("button[value=returned]")
        expect(reviewer.locator("#review-state")).to_have_text("已退回")

        # -- the clerk sees why, corrects, resubmits; the reviewer approves
        clerk.goto(f"{live_url}/report/{YEAR}/")
        expect(clerk.locator("#filing-state")).to_have_text("已退回")
        expect(clerk.locator("div.returned")).to_be_visible()
        problems_text = clerk.locator("textarea[name='section:s5_problems']")
        problems_text.fill(problems_text.input_value() + "本年度开展了工作考核、社会评议和责任追究。")
        clerk.click("text=保存")
        clerk.click("#submit-report")
        expect(clerk.locator("#filing-state")).to_have_text("待审")
        reviewer.goto(f"{live_url}/reports/")
        reviewer.locator("table.list a").first.click()
        expect(reviewer.locator("h1 + p.muted")).to_contain_text("第 2 版")
        reviewer.click("button[value=approved]")
        expect(reviewer.locator("#review-state")).to_have_text("已通过")
        clerk.reload()
        expect(clerk.locator("#filing-state")).to_have_text("已通过")
        assert problems == []
        browser.close()
