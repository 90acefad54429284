"""Every URL of the web app, generated from the URL configuration (a new view cannot be forgotten):
anonymous users are sent to the login page; a user of another region or agency gets 403/404 for every
object page and sees none of the other's rows in lists; roles limit actions, not just links."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import CORPUS
from tests.web.conftest import make_user, upload_files

pytestmark = pytest.mark.usefixtures("web_db")

PUBLIC = {"login"}
# Views that list rows of the user's scope (200 for anyone signed in, but only their rows).
LISTS = {"home", "upload", "reports", "dashboard", "dashboard_export", "chart", "audit"}
# The agency's own ledger (a 政务公开办 has none: 403); each agency sees only its own (test_ledger_pages.py).
LISTS |= {"cases", "case_new", "event_fields", "ledger_tables", "ledger_export"}
LISTS |= {"drafts", "draft", "draft_check", "draft_ledger", "draft_submit", "draft_publish", "draft_download"}
LOGOUT = "logout"  # (signs the client out: checked last)


def _names(patterns: list[Any], namespace: str = "") -> list[tuple[str, list[str]]]:
    out = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            out += _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and namespace == "xxgk_web" and p.name:
            out.append((p.name, list(p.pattern.converters)))
    return out


def web_urls() -> list[tuple[str, list[str]]]:
    return _names(get_resolver().url_patterns)


@pytest.fixture
def world() -> dict[str, Any]:
    """Office A's reviewer uploads a report; office B, agency editors and a viewer look at it."""
    owner = make_user("reviewer_a", "甲市政务公开办", "reviewer")
    client = Client()
    client.force_login(owner)
    batch_url = upload_files(client, [CORPUS / "001-sanming-shizf-2021.txt"])
    html = client.get(batch_url).content.decode()
    report_id = int(re.findall(r'href="/reports/(\d+)/"', html)[0])
    page = client.get(f"/reports/{report_id}/").content.decode()
    finding_id = int(re.findall(r'id="finding-(\d+)"', page)[0])
    agency_id = int(re.findall(r'href="/region/agency/(\d+)/"', page)[0])
    values = {
        "report_id": report_id,
        "finding_id": finding_id,
        "agency_id": agency_id,
        "batch": batch_url.rstrip("/").rsplit("/", 1)[1],
        "key": "t3.new_received.total",
        "page_number": 1,
        "number": "2026-0001",
        "kind": "html",
        "chart_kind": "applications",
        "year": 2024,
    }
    return {"owner": owner, "values": values}


def _url(name: str, params: list[str], values: dict[str, Any]) -> str:
    missing = [p for p in params if p not in values]
    assert not missing, f"新视图 {name} 的参数 {missing} 未在权限测试中给出取值：请在 world() 中补上"
    return reverse(f"xxgk_web:{name}", kwargs={p: values[p] for p in params})


def _request(client: Client, url: str) -> Any:
    response = client.get(url)
    if response.status_code == 405:  # a POST-only view
        response = client.post(url, {"state": "confirmed"})
    return response


def test_every_view_but_login_needs_a_login(world: dict[str, Any]) -> None:
    anonymous = Client()
    urls = web_urls()
    assert len(urls) >= 15
    for name, params in urls:
        url = _url(name, params, world["values"])
        response = _request(anonymous, url)
        if name in PUBLIC:
            assert response.status_code == 200, name
        else:
            assert response.status_code == 302 and response["Location"].startswith("/login/"), (name, response)


def test_another_region_sees_nothing_of_the_report(world: dict[str, Any]) -> None:
    outsider = make_user("reviewer_b", "乙市政务公开办", "reviewer")
    client = Client()
    client.force_login(outsider)
    values = world["values"]
    for name, params in web_urls():
        if name in PUBLIC or name == LOGOUT:
            continue
        url = _url(name, params, values)
        response = _request(client, url)
        if name in LISTS:
            assert response.status_code in (200, 302, 403), (name, response.status_code)
            body = response.content.decode(errors="replace") if response.status_code == 200 else ""
            assert f"/reports/{values['report_id']}/" not in body, name
            assert "三明" not in body, name
        else:
            assert response.status_code in (403, 404), (name, url, response.status_code)
    assert client.post(reverse("xxgk_web:logout")).status_code == 302
    assert client.get("/reports/").status_code == 302  # signed out


def test_an_agency_editor_sees_only_its_own_agency(world: dict[str, Any]) -> None:
    from xxgk.corpus.store.models import Agency

    key = Agency.objects.get(pk=world["values"]["agency_id"]).key
    own = make_user("editor_own", "本机关", "editor", kind="agency", agency=key)
    other = make_user("editor_other", "另一机关", "editor", kind="agency")
    rid = world["values"]["report_id"]
    mine, theirs = Client(), Client()
    mine.force_login(own)
    theirs.force_login(other)
    assert mine.get(f"/reports/{rid}/").status_code == 200
    assert theirs.get(f"/reports/{rid}/").status_code == 404
    assert f"/reports/{rid}/" in mine.get("/reports/").content.decode()
    assert f"/reports/{rid}/" not in theirs.get("/reports/").content.decode()
    # an editor may see but not review: deciding is refused even with a crafted request
    fid = world["values"]["finding_id"]
    assert mine.post(f"/reports/{rid}/findings/{fid}/", {"state": "dismissed", "reason": "x"}).status_code == 403
    assert mine.post(f"/reports/{rid}/state/", {"state": "approved"}).status_code == 403
    assert mine.get("/region/").status_code == 403
    assert mine.get("/audit/").status_code == 403


def test_a_viewer_of_the_office_reads_but_cannot_decide(world: dict[str, Any]) -> None:
    viewer = make_user("viewer_a", "甲市政务公开办", "viewer")
    client = Client()
    client.force_login(viewer)
    rid, fid = world["values"]["report_id"], world["values"]["finding_id"]
    page = client.get(f"/reports/{rid}/").content.decode()
    assert "确认</button>" not in page  # no decision form…
    assert client.post(f"/reports/{rid}/findings/{fid}/", {"state": "confirmed"}).status_code == 403  # …nor action
    assert client.get("/upload/").status_code == 403


def test_every_change_is_in_the_audit_log(world: dict[str, Any]) -> None:
    from xxgk.web.models import AuditEvent

    client = Client()
    client.force_login(world["owner"])
    rid, fid = world["values"]["report_id"], world["values"]["finding_id"]
    client.post(f"/reports/{rid}/findings/{fid}/", {"state": "confirmed", "comment": "核实"})
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "username"))
    assert ("upload", "reviewer_a") in actions
    assert ("ingest", "reviewer_a") in actions
    assert ("decision", "reviewer_a") in actions
    assert ("membership_saved", "") in [(a, "") for a, _ in actions]
    event = AuditEvent.objects.filter(action="decision").get()
    assert event.detail["state"] == "confirmed" and event.detail["comment"] == "核实"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    admin = make_user("admin_a", "甲市政务公开办", "admin")
    client.force_login(admin)
    log = client.get("/audit/").content.decode()
    assert "审查结论" in log and "reviewer_a" in log


def test_login_attempts_are_limited_and_sessions_expire() -> None:
    from django.conf import settings

    make_user("clerk", "某机关", "editor", kind="agency")
    client = Client()
    ok = client.post("/login/", {"username": "clerk", "password": "Xxgk-test-2026!"})
    assert ok.status_code == 302 and ok["Location"] == "/"
    client.post("/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        wrong = client.post("/login/", {"username": "clerk", "password": "wrong"})
        assert wrong.status_code in (200, 429)
    locked = client.post("/login/", {"username": "clerk", "password": "Xxgk-test-2026!"})
    assert locked.status_code == 429 and "锁定" in locked.content.decode()
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_pages_carry_the_security_headers() -> None:
    client = Client()
    response = client.get("/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert 'lang="zh-CN"' in response.content.decode()
    missing = Client()
    missing.force_login(make_user("someone", "某机关", "editor", kind="agency"))
    page = missing.get("/reports/999999/")
    assert page.status_code == 404 and "没有找到该报告" in page.content.decode()


def test_merged_agencies_take_their_organisations_and_decisions_along() -> None:
    from xxgk.corpus.store.models import Agency, agency_merged
    from xxgk.web.models import Decision, Organisation

    old = Agency.objects.create(key="某县某局（旧名）", kind="department", level="county")
    new = Agency.objects.create(key="某县某局", kind="department", level="county")
    unit = Organisation.objects.create(name="某县某局", kind="agency", agency=old)
    Decision.objects.create(agency=old, year=2024, fingerprint="a" * 40, code="C021", state="dismissed")
    Decision.objects.create(agency=old, year=2024, fingerprint="b" * 40, code="C031", state="confirmed")
    Decision.objects.create(agency=new, year=2024, fingerprint="b" * 40, code="C031", state="open")
    agency_merged.send(sender=Agency, old=old.pk, new=new.pk, using="default")
    unit.refresh_from_db()
    assert unit.agency_id == new.pk
    states = dict(Decision.objects.filter(agency=new).values_list("fingerprint", "state"))
    assert states == {"a" * 40: "dismissed", "b" * 40: "open"}  # the new agency's own decision wins
    assert not Decision.objects.filter(agency=old).exists()


def test_another_agency_sees_nothing_of_an_agencys_ledger_or_report(world: dict[str, Any]) -> None:
    """Over the whole URL list, with agency A's case number and report year: agency B's clerk never sees A's
    applicant, A's case or A's typed report (each agency's ledger and report are its own)."""
    a, b = Client(), Client()
    a.force_login(make_user("clerk_a", "甲局", "editor", kind="agency"))
    b.force_login(make_user("clerk_b", "乙局", "editor", kind="agency"))
    case = a.post("/ledger/new/", {"received": "2026-11-02", "applicant": "甲局的申请人", "applicant_type": "natural"})
    number = case["Location"].rstrip("/").rsplit("/", 1)[1]
    page = a.get("/report/2024/").content.decode()
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    a.post("/report/2024/", {"revision": revision, "title": "甲局保密的标题"})
    values = {**world["values"], "number": number}
    for name, params in web_urls():
        if name in PUBLIC or name == LOGOUT or name in ("case_event", "draft_submit", "draft_publish"):
            continue
        response = _request(b, _url(name, params, values))
        body = response.content.decode(errors="replace") if response.status_code == 200 else ""
        assert "甲局的申请人" not in body and "甲局保密的标题" not in body, name
    assert b.get(f"/ledger/case/{number}/").status_code == 404
    assert "甲局的申请人" in a.get(f"/ledger/case/{number}/").content.decode()  # (the data is there: for A)
