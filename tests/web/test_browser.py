"""The review loop in a real browser (Debian's chromium through Playwright) against the app served on a
live server in this process, as an administrator (who reviews as a 审核人员 does and sees every agency on
the dashboard): log in, upload a seed, a corpus report and a PDF with a wrong total,
watch the batch finish (htmx polling), see the finding's cell boxed on the PDF page image, open a cell,
dismiss a finding with a reason, upload the corrected version and find the decision carried over, open
the dashboard. The page must work under the app's Content-Security-Policy: no console error at all.

Screenshots of the main pages go to the test's tmp dir; with XXGK_SCREENSHOTS=1 also to docs/screenshots
(the ones the manual shows), so a normal run never rewrites tracked files.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS, SEEDS
from tests.web.conftest import make_user

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "Xxgk-test-2026!"  # (make_user's)
VIEWPORT = {"width": 1400, "height": 900}
WRONG_CELL = "t3.granted.total"  # 予以公开 总计: changed in the PDF, so the C021 identity fails

pytestmark = [
    pytest.mark.usefixtures("web_db"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="需要 Debian 的 chromium（scripts/install-system-packages.sh）"),
]


def _in_thread(work: Callable[[], Any]) -> Any:
    """Run Django ORM work off the main thread: Playwright's sync API keeps an event loop there, and
    Django refuses database calls from a thread with a running loop."""
    from django.db import connections

    result: list[Any] = []

    def run() -> None:
        try:
            result.append(work())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0] if result else None


def _run_tasks() -> None:
    from xxgk.web import serve

    _in_thread(serve.run_pending_tasks)


@pytest.fixture
def live_url() -> Iterator[str]:
    """The app on 127.0.0.1 (a free port) in a thread of this process, on the test's database."""
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.core.wsgi import get_wsgi_application
    from django.test.testcases import QuietWSGIRequestHandler

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietWSGIRequestHandler, allow_reuse_address=False)
    server.set_app(get_wsgi_application())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _pdf_with_a_wrong_total(seed: Path, out: Path, *, wrong: bool = True) -> Path:
    """A PDF in the official layout made from a seed's figures, with one total off by 7 when `wrong`."""
    from xxgk import api

    report = api.read(seed)
    if wrong:
        cell = report.cells[WRONG_CELL]
        report.cells[WRONG_CELL] = cell._replace(value=(cell.value or 0) + 7)
    out.write_bytes(api.render(report, "pdf"))
    return out


class Shots:
    """Screenshots of the viewport (1400×900 PNG): always into tmp, into docs/ when asked."""

    def __init__(self, page: Any, folder: Path) -> None:
        self.page, self.folder = page, folder
        self.docs = os.environ.get("XXGK_SCREENSHOTS") == "1"

    def take(self, name: str) -> Path:
        path = self.folder / f"{name}.png"
        self.page.screenshot(path=str(path))
        if self.docs:
            DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, DOCS_SCREENSHOTS / path.name)
        return path


# Both rectangles in one go: the pane may still be scrolling smoothly towards the box.
_RECTS = """box => {
  const image = box.parentElement.querySelector("img");
  const r = el => { const b = el.getBoundingClientRect(); return {x: b.x, y: b.y, width: b.width, height: b.height}; };
  return {box: r(box), image: r(image), loaded: image.complete && image.naturalWidth > 0};
}"""


_INLINE_SCRIPT = """() => {
  const script = document.createElement("script");
  script.textContent = "document.body.dataset.inline = 'ran'";
  document.head.appendChild(script);
}"""


def _inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        inner["x"] >= outer["x"] - 1
        and inner["y"] >= outer["y"] - 1
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 1
    )


@pytest.fixture
def fast_hashing() -> Iterator[None]:
    """One cheap password hash: the cost of PBKDF2 is not what this test is about (CI time is short)."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.mark.usefixtures("fast_hashing")
def test_the_review_loop_in_the_browser(live_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    _in_thread(lambda: make_user("admin", "某市政务公开办", "admin"))
    problems: list[str] = []
    pdf_seed, text_seed = SEEDS[0], SEEDS[1]
    # The PDFs (WeasyPrint: the slow part) are made while the browser starts and logs in.
    with ThreadPoolExecutor(1) as pool, sync_playwright() as p:
        wrong_pdf: Future[Path] = pool.submit(_pdf_with_a_wrong_total, pdf_seed, tmp_path / "年报-有误.pdf")
        right_pdf = pool.submit(_pdf_with_a_wrong_total, pdf_seed, tmp_path / "年报-更正.pdf", wrong=False)
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        page = browser.new_page(viewport=VIEWPORT, locale="zh-CN")
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.set_default_timeout(10_000)
        shots = Shots(page, tmp_path)

        # -- log in through the form (anonymous visitors are sent to it)
        first = page.goto(f"{live_url}/upload/")
        expect(page).to_have_url(re.compile(r"/login/\?next="))
        # (the policy the pages run under: no inline script or style may slip in without an error below)
        assert first and "script-src 'self'; " in first.headers["content-security-policy"]
        expect(page.locator("h1")).to_have_text("登录")
        shots.take("login")
        page.fill("#id_username", "admin")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        expect(page.locator("h1")).to_have_text("上传年度报告")

        # -- upload three files at once; the batch page shows them pending, then polls until done
        corpus_report = CORPUS / "003-sanming-shizf-2023.txt"
        page.set_input_files("#files", [str(text_seed), str(corpus_report), str(wrong_pdf.result())])
        page.click("text=上传并核查")
        expect(page.locator("h1")).to_have_text("上传进度")
        expect(page.locator("#batch")).to_contain_text("还有 3 个在读取和核查中")
        _run_tasks()  # the worker (a thread of `xxgk web`, its own process in a deployment)
        expect(page.locator("#batch")).to_contain_text("全部完成", timeout=8_000)  # htmx polls every 2 s
        expect(page.locator("#batch .state-done")).to_have_count(3)
        shots.take("upload-progress")

        # -- the PDF report's page: click the finding of the wrong total, its cell is boxed on the image
        page.click(f"#batch a:has-text('{wrong_pdf.result().name}')")
        expect(page.locator("#original .page img").first).to_be_visible()
        finding = page.locator(f".finding[data-location='{WRONG_CELL}']").first
        expect(finding).to_contain_text("C021")
        finding.locator("strong").click()
        box = page.locator(f".box.hl[data-key='{WRONG_CELL}']")
        expect(box).to_be_visible()
        page.wait_for_function(f"() => ({_RECTS})(document.querySelector('.box.hl')).loaded")
        rects = box.evaluate(_RECTS)
        assert rects["box"]["width"] > 3 and rects["box"]["height"] > 3
        assert rects["image"]["height"] > 100
        assert _inside(rects["box"], rects["image"]), rects
        expect(page.locator(f"td.v.hl[data-key='{WRONG_CELL}']")).to_be_in_viewport()  # and on the read side
        page.evaluate("window.scrollTo(0, 0)")  # (the panes keep their own scroll: the box stays in view)
        shots.take("report")

        # -- a table cell: its raw text, source and findings in the panel (htmx GET)
        page.click(f"td.v[data-key='{WRONG_CELL}']")
        panel = page.locator("#cell-panel")
        expect(panel).to_contain_text("原文")
        expect(panel).to_contain_text("第3页")
        expect(panel).to_contain_text("C021")

        # -- dismiss a narrative finding with a reason (htmx swaps the finding in place)
        narrative = page.locator(".finding[data-location^='s']").filter(has_text="D0").first
        narrative_id = narrative.get_attribute("id")
        code = narrative.locator("strong").first.inner_text()
        narrative.locator("input[name=reason]").fill("原文如此，不作修改")
        narrative.locator("button[value=dismissed]").click()
        swapped = page.locator(f"#{narrative_id}")
        expect(swapped).to_have_class(re.compile(r"\bdismissed\b"))
        expect(swapped).to_contain_text("理由：原文如此，不作修改")
        # and confirm the wrong total, which the corrected version fixes
        finding.locator("button[value=confirmed]").click()
        expect(page.locator(f".finding.confirmed[data-location='{WRONG_CELL}']")).to_have_count(1)

        # -- the agency sends the corrected version (the same report with the right total)
        corrected = right_pdf.result()
        page.goto(f"{live_url}/upload/")
        page.set_input_files("#files", [str(corrected)])
        page.click("text=上传并核查")
        _run_tasks()
        expect(page.locator("#batch")).to_contain_text("全部完成", timeout=8_000)
        expect(page.locator("#batch")).to_contain_text("新版本")
        page.click(f"#batch a:has-text('{corrected.name}')")
        expect(page.locator("h1 + p.muted")).to_contain_text("第 2 版")
        carried = page.locator(f".finding.dismissed:has(strong:text-is('{code}'))")
        expect(carried).to_contain_text("理由：原文如此，不作修改")
        expect(page.locator(f".finding[data-location='{WRONG_CELL}']")).to_have_count(0)
        expect(page.locator(".finding.fixed")).to_contain_text("C021")

        # -- the dashboard
        page.click("header.top >> text=地区概况")
        expect(page.locator("h1")).to_have_text("地区概况")
        rows = page.locator("#dashboard tbody tr")
        expect(rows).to_have_count(3)  # the three agencies uploaded, each in its year's column
        expect(rows.filter(has_text="三门峡市陕州区大营镇人民政府")).to_contain_text("待审")
        page.wait_for_load_state("networkidle")  # (the charts below the table, and any error they give)
        shots.take("dashboard")
        assert problems == []

        # A control: an inline script is refused by the policy, and the refusal reaches the console.
        with page.expect_console_message(lambda m: m.type == "error") as refused:
            page.evaluate(_INLINE_SCRIPT)
        assert "Content Security Policy" in refused.value.text
        expect(page.locator("body")).not_to_have_attribute("data-inline", "ran")
        browser.close()
