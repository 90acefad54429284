"""Reply letters and notices (告知书): every kind rendered to DOCX and read back, one PDF, bad templates,
overrides, reprints and refusals, and `xxgk ledger letter` through the CLI."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from xxgk.ledger.calendar import builtin_calendar
from xxgk.ledger.case import Case
from xxgk.ledger.deadlines import Channel
from xxgk.ledger.events import (
    CorrectionReceived,
    CorrectionRequested,
    Event,
    ExtensionApproved,
    FeeNoticeIssued,
    Received,
)
from xxgk.ledger.keys import ledger_keys
from xxgk.ledger.letters import (
    PLACEHOLDERS,
    TEMPLATES_ENV,
    Letter,
    LetterError,
    LetterFacts,
    LetterKind,
    Organisation,
    TemplateSet,
    check_letter_templates,
    compose_letter,
    letter_kinds,
    render_letter_docx,
    render_letter_pdf,
    resolve_kind,
)

D = date.fromisoformat
RECEIVED = D("2025-09-26")
ORG = Organisation(
    name="某某市某某局",
    review_organ="某某市人民政府",
    court="某某区人民法院",
    doc_prefix="某公开",
    contact_person="李四",
    phone="0000-12345678",
    address="某某市某某路1号",
    payment_method="银行转账至某某账户",
)
# Everything a user gives with --set, so that no placeholder is left blank.
GIVEN = {
    "补正事项": "请写明所需文件的名称或文号",
    "延期理由": "需要检索的档案较多",
    "征求意见对象": "某某有限公司",
    "获取方式": "随本答复书提供纸质复印件",
    "负责机关": "某某市自然资源局（电话0000-87654321）",
    "处理说明": "详见附件",
}
# The article each kind must cite (annual-report-format.md §3.2 and disclosure-rules.md §1).
ARTICLES = {
    "granted": "第三十六条第（二）项",
    "granted_proactive": "第三十六条第（一）项",
    "partially_granted": "第三十七条",
    "withheld_state_secret": "第十四条",
    "withheld_prohibited_by_law": "第十四条",
    "withheld_security_stability": "第十四条",
    "withheld_third_party": "第十五条",
    "withheld_internal_affairs": "第十六条第一款",
    "withheld_process_info": "第十六条第二款",
    "withheld_enforcement_file": "第十六条第二款",
    "withheld_admin_query": "第三十六条第（七）项",
    "unable_not_held": "第三十六条第（四）项",
    "unable_not_responsible": "第三十六条第（五）项",
    "unable_needs_creation": "第三十八条",
    "unable_unclear_after_correction": "第三十条",
    "not_handled_petition": "第三十九条第一款",
    "not_handled_duplicate": "第三十六条第（六）项",
    "not_handled_publication": "第三十九条第二款",
    "not_handled_excessive": "第三十五条",
    "not_handled_reissue": "第二条",
    "other_no_correction": "第三十条",
    "other_fee_unpaid": "第四十二条",
    "other_other": "第三十六条",
    "correction_notice": "第三十条",
    "extension_notice": "第三十三条第二款",
    "consultation_third_party": "第三十二条",
    "consultation_agency": "第三十四条",
    "fee_notice": "第四十二条",
}
# A letter to another organ (第三十四条) names no 复议/诉讼 route: it is not a decision on anyone's rights.
NO_REMEDY = {"consultation_agency"}


@pytest.fixture(autouse=True)
def _packaged_templates_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user template folder of the machine running the tests ($XXGK_HOME/letters) is read."""
    monkeypatch.setenv("XXGK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv(TEMPLATES_ENV, raising=False)


def _received() -> Received:
    return Received(RECEIVED, Channel.IN_PERSON, "张三", "natural_person", subject="某某道路改造项目的批复文件")


def case_for(kind: LetterKind) -> tuple[Case, date]:
    """A case that can take the letter of `kind`, and the letter's date."""
    case = Case("2025-0012", (_received(),))
    if kind.key in ("unable_unclear_after_correction", "other_no_correction"):
        case = case.append(CorrectionRequested(D("2025-09-29"), reply_by=D("2025-10-15")))
        if kind.key == "unable_unclear_after_correction":
            case = case.append(CorrectionReceived(D("2025-10-10")))
        return case, D("2025-10-20")
    if kind.key == "other_fee_unpaid":
        case = case.append(FeeNoticeIssued(D("2025-10-09"), amount=Decimal(200)))
        return case, D("2025-12-01")  # after the 20 working days to pay
    return case, D("2025-10-20")


def docx_text(data: bytes) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def make(kind: LetterKind, **kw: object) -> tuple[Letter, date]:
    case, on = case_for(kind)
    facts = LetterFacts(reply_by=D("2025-11-05"), amount=Decimal(200)) if kind.key != "other_fee_unpaid" else None
    args: dict[str, object] = {"on": on, "organisation": ORG, "values": GIVEN, "facts": facts}
    args.update(kw)
    return compose_letter(case, kind, calendar=builtin_calendar(), **args), on  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", letter_kinds(), ids=lambda k: k.key)
def test_every_letter_renders_to_docx_with_clause_remedy_applicant_and_dates(kind: LetterKind) -> None:
    letter, on = make(kind)
    text = docx_text(render_letter_docx(letter))
    clause = TemplateSet().letter(kind.key).clause
    assert clause.startswith("《中华人民共和国政府信息公开条例》")
    assert ARTICLES[kind.key] in clause
    assert clause in text
    assert f"{on.year}年{on.month}月{on.day}日" in text  # the letter's date
    assert "2025年9月26日" in text  # the receipt date
    assert "某公开〔2025〕第12号" in text
    assert ORG.name in text
    if kind.key.startswith("consultation_"):
        assert "张三" not in text  # the applicant is not named to a third party
        assert GIVEN["征求意见对象"] in text
    else:
        assert "张三" in text
    if kind.key in NO_REMEDY:
        assert "行政复议" not in text
    else:
        assert re.search(r"60日内向某某市人民政府申请行政复议", text), text
        assert re.search(r"6个月内向某某区人民法院提起行政诉讼", text), text
    assert letter.blanks == ()
    assert "【请填写" not in text and "{" not in text and "}" not in text
    # The letter stands for the case event of its kind, and the case can take it.
    assert letter.event_kind == kind.event and letter.event.on == on and not letter.recorded
    if kind.outcome is not None:
        after = case_for(kind)[0].append(letter.event, calendar=builtin_calendar())
        assert after.state.outcome == kind.outcome and after.state.closed_on == on


def test_every_reply_row_of_table_three_has_a_letter() -> None:
    rows = {k.outcome for k in letter_kinds() if k.outcome}
    assert rows == set(ledger_keys().outcome_rows)
    assert {k.type_zh for k in letter_kinds()} >= {"补正通知", "延期通知", "征求意见函", "收费通知"}


def test_the_extension_letter_counts_the_working_days_of_the_official_calendar() -> None:
    # disclosure-rules.md §2.3: received 2025-09-26 → reply due 10-30, with the extension 11-27.
    letter, _ = make(resolve_kind("延期通知"))
    text = letter.text()
    assert "不能在2025年10月30日前作出答复" in text
    assert "答复期限延长20个工作日，本机关将于2025年11月27日前作出答复" in text
    assert letter.event_options == {"days": 20}


def test_a_reprinted_extension_letter_says_what_it_said_when_sent() -> None:
    case = Case(
        "2025-0012", (_received(), ExtensionApproved(D("2025-10-10"), 5), ExtensionApproved(D("2025-10-20"), 10))
    )
    first = compose_letter(case, resolve_kind("延期"), on=D("2025-10-10"), organisation=ORG, values=GIVEN)
    assert first.recorded and first.event == case.events[1]
    assert "不能在2025年10月30日前" in first.text() and "延长5个工作日，本机关将于2025年11月6日前" in first.text()
    second = compose_letter(case, resolve_kind("延期"), organisation=ORG, values=GIVEN)  # the latest one
    assert second.event == case.events[2] and "不能在2025年11月6日前" in second.text()
    with pytest.raises(LetterError, match="最长20个工作日"):  # the core's cap (第三十三条)
        compose_letter(case, resolve_kind("延期"), on=D("2025-10-24"), facts=LetterFacts(days=10), organisation=ORG)


def test_the_fee_notice_names_the_amount_the_method_and_the_payment_deadline() -> None:
    kind = resolve_kind("收费通知")
    letter, _ = make(kind, facts=LetterFacts(amount=Decimal(1700), method="per_page", pages=150))
    text = letter.text()
    assert "按量计收（共150页）" in text and "应缴金额1700元" in text
    # 20 working days after 2025-10-20 (no holiday in between): 2025-11-17.
    assert "至2025年11月17日" in text
    assert letter.event_options == {"amount": "1700", "method": "per_page", "pages": 150}


def test_the_signature_never_stands_alone_on_a_page() -> None:
    import docx

    letter, _ = make(resolve_kind("收费通知"))
    paragraphs = docx.Document(io.BytesIO(render_letter_docx(letter))).paragraphs
    assert [p.text for p in paragraphs[-4:]] == ["特此告知。", letter.contact, "某某市某某局", "2025年10月20日"]
    assert [p.paragraph_format.keep_with_next for p in paragraphs[-4:]] == [True, True, True, None]


def test_one_letter_renders_to_pdf_with_its_text() -> None:
    import pypdfium2

    letter, _ = make(resolve_kind("不予公开", "国家秘密"))
    pdf = pypdfium2.PdfDocument(render_letter_pdf(letter))
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    flat = re.sub(r"\s+", "", text)
    assert "政府信息公开申请答复书" in flat
    assert "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项" in flat
    assert "60日内向某某市人民政府申请行政复议" in flat and "6个月内" in flat
    assert "张三" in flat and "2025年10月20日" in flat


@pytest.mark.parametrize(
    ("type_text", "reason", "key"),
    [
        ("予以公开", None, "granted"),
        ("予以公开", "已主动公开", "granted_proactive"),
        ("不予公开", "国家秘密", "withheld_state_secret"),
        ("不予处理", "重复申请", "not_handled_duplicate"),
        ("重复申请", None, "not_handled_duplicate"),  # a 表三 row named alone
        ("补正", None, "correction_notice"),
        ("征求意见函", "其他机关", "consultation_agency"),
        ("无法提供", "不属于本机关负责公开", "unable_not_responsible"),
    ],
)
def test_kinds_are_chosen_by_the_words_of_table_three(type_text: str, reason: str | None, key: str) -> None:
    assert resolve_kind(type_text, reason).key == key


@pytest.mark.parametrize(
    ("type_text", "reason", "message"),
    [
        ("不予公开", None, "「不予公开」须用 --reason 指明理由：属于国家秘密"),
        ("不予公开", "太多了", "未知的「不予公开」的理由「太多了」"),
        ("告别信", None, "未知的告知书类型「告别信」"),
        ("补正通知", "国家秘密", "「补正通知」没有可选的理由"),
    ],
)
def test_an_unknown_kind_or_reason_is_said_in_chinese(type_text: str, reason: str | None, message: str) -> None:
    with pytest.raises(LetterError, match=re.escape(message)):
        resolve_kind(type_text, reason)


def test_missing_organisation_facts_are_marked_as_blanks_to_fill() -> None:
    letter, _ = make(resolve_kind("予以公开"), organisation=Organisation(), values={})
    assert letter.blanks == ("机关名称", "复议机关", "诉讼法院", "获取方式")
    text = docx_text(render_letter_docx(letter))
    assert "向【请填写：复议机关】申请行政复议" in text and "【请填写：获取方式】" in text


def test_a_recorded_event_gives_a_reprint_and_an_impossible_letter_is_refused() -> None:
    case = Case("2025-0012", (_received(), CorrectionRequested(D("2025-09-29"), reply_by=D("2025-10-15"))))
    letter = compose_letter(case, resolve_kind("补正通知"), organisation=ORG, values=GIVEN)
    assert letter.recorded and letter.on == D("2025-09-29") and "补正期限" not in letter.blanks
    assert "请于2025年10月15日前将补正后的申请提交本机关" in letter.text()
    with pytest.raises(LetterError, match="本案正在等待补正"):
        compose_letter(case, resolve_kind("予以公开"), on=D("2025-10-09"), organisation=ORG, values=GIVEN)


def test_an_unknown_value_name_is_refused() -> None:
    with pytest.raises(LetterError, match="未知的占位符：申请者"):
        make(resolve_kind("予以公开"), values={"申请者": "张三"})
    with pytest.raises(LetterError, match="「日期」请用 --date"):  # the letter's date is its event's
        make(resolve_kind("予以公开"), values={"日期": "2025年10月1日"})


# ---------------------------------------------------------------------------------------------
# Templates an organisation edits


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, "utf-8")
    return folder


GOOD = (
    'title = "答复书"\nclause = "《中华人民共和国政府信息公开条例》第三十六条第（二）项"\n'
    'body = """\n{申请人}您好，{条款}。\n{救济途径}\n"""\n'
)


def test_a_user_folder_overrides_the_packaged_templates_file_by_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _write(tmp_path / "mine", "granted.toml", GOOD)
    _write(
        folder,
        "organisation.toml",
        'name = "某某县某某局"\nreview_organ = "某某县人民政府"\ncourt = "某某县人民法院"\n',
    )
    monkeypatch.setenv(TEMPLATES_ENV, str(folder))
    case, on = case_for(resolve_kind("予以公开"))
    letter = compose_letter(case, resolve_kind("予以公开"), on=on)
    assert letter.paragraphs[0] == "张三您好，《中华人民共和国政府信息公开条例》第三十六条第（二）项。"
    assert letter.organ == "某某县某某局" and "60日内向某某县人民政府申请行政复议" in letter.paragraphs[1]
    other = compose_letter(case, resolve_kind("不予公开", "国家秘密"), on=on)  # not overridden: packaged
    assert other.title == "政府信息公开申请答复书" and other.organ == "某某县某某局"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("{申请人}", "{申请者}"), "body 项：未知的占位符「{申请者}」"),
        (GOOD.replace("{申请人}", "{申请人:>4}"), "不能带格式说明"),
        (GOOD.replace("{申请人}", "{申请人"), "花括号不成对"),
        (GOOD.replace('title = "答复书"\n', ""), "缺少必填的项：title"),
        (GOOD + 'titel = "x"\n', "有未知的项：titel"),
        ('title = "答复书\n', "不是有效的 TOML"),
    ],
)
def test_a_bad_template_gives_a_clear_chinese_error(tmp_path: Path, text: str, message: str) -> None:
    folder = _write(tmp_path / "mine", "granted.toml", text)
    with pytest.raises(LetterError, match=re.escape(message)) as e:
        TemplateSet(folder).letter("granted")
    assert str(folder / "granted.toml") in e.value.message


def test_a_missing_template_file_or_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(LetterError, match=re.escape("找不到告知书模板 granted.toml")):
        TemplateSet(tmp_path, packaged=False).letter("granted")
    with pytest.raises(LetterError, match="告知书模板目录不存在"):
        TemplateSet(tmp_path / "nowhere")


def test_a_template_folder_is_checked_whole_before_use(tmp_path: Path) -> None:
    folder = _write(tmp_path / "mine", "granted.toml", GOOD.replace("{申请人}", "{申请者}"))
    _write(folder, "grantd.toml", GOOD)  # a typo in the file name: the packaged granted.toml would be used
    found = check_letter_templates(TemplateSet(folder))
    assert len(found) == 2
    assert "未知的占位符「{申请者}」" in found[0] and "grantd.toml 不是任何告知书的模板文件" in found[1]
    assert check_letter_templates(TemplateSet(None)) == []


def test_a_letter_suggests_its_file_name() -> None:
    letter, _ = make(resolve_kind("补正通知"))
    assert letter.file_name(".pdf") == "2025-0012-补正申请告知书.pdf"


def test_every_packaged_template_uses_only_known_placeholders() -> None:
    templates = TemplateSet(None)
    used = set()
    for kind in letter_kinds():
        tpl = templates.letter(kind.key)  # raises on an unknown placeholder
        used |= set(re.findall(r"\{([^{}]+)\}", "\n".join((tpl.title, tpl.to, *tpl.body, tpl.remedy or ""))))
    assert used <= set(PLACEHOLDERS) and "救济途径" in used and "条款" in used


# ---------------------------------------------------------------------------------------------
# The command


@pytest.fixture
def letter_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    from xxgk.cli.letters import register_letter
    from xxgk.ledger.store import init_store
    from xxgk.ledger.store.bootstrap import close, resolve_target

    monkeypatch.delenv("XXGK_DATABASE_URL", raising=False)
    db = tmp_path / "l.sqlite3"
    store = init_store(db=db, agency="某某市某某局", calendar=builtin_calendar())
    with store.transaction():
        store.open_case(_received(), "2025-0012")
    app = typer.Typer()
    app.callback()(lambda: None)  # a group, so that `letter` is named as under `xxgk ledger`
    register_letter(app)

    def run(*args: str, code: int = 0) -> object:
        r = CliRunner().invoke(app, ["letter", *args, "--db", str(db)])
        assert r.exit_code == code, r.output
        return r

    run.store = lambda: init_store(db=db, calendar=builtin_calendar())  # type: ignore[attr-defined]
    yield run
    close(resolve_target(db, None).alias)


def test_the_command_writes_the_letter_and_records_its_event(letter_cli: Callable[..., object], tmp_path: Path) -> None:
    out = tmp_path / "补正.docx"
    r = letter_cli("2025-0012", "--type", "补正通知", "--date", "2025-09-29", "--reply-by", "2025-10-15",
                   "--set", "补正事项=请写明文件名称", "-o", str(out), "--record")  # fmt: skip
    assert "已登记：案件2025-0012 第1条「发出补正通知」（2025-09-29）" in r.output  # type: ignore[attr-defined]
    text = docx_text(out.read_bytes())
    assert "补正申请告知书" in text and "请写明文件名称" in text and "某某市某某局" in text
    events: tuple[Event, ...] = letter_cli.store().case("2025-0012").events  # type: ignore[attr-defined]
    assert events[-1] == CorrectionRequested(D("2025-09-29"), reply_by=D("2025-10-15"))
    # The same letter again is a reprint; a reply while awaiting 补正 is refused with the core's message.
    r = letter_cli("2025-0012", "--type", "补正", "--set", "补正事项=x", "-o", str(out), "--record")
    assert "未重复登记" in r.output  # type: ignore[attr-defined]
    r = letter_cli("2025-0012", "--type", "予以公开", "--date", "2025-10-09", "-o", str(out), code=2)
    assert "本案正在等待补正" in r.output  # type: ignore[attr-defined]
    r = letter_cli("2025-0012", "--type", "予以公开", "-o", str(tmp_path / "x.txt"), code=2)
    assert "输出文件应为 .docx 或 .pdf" in r.output  # type: ignore[attr-defined]


def test_the_manual_lists_every_letter_template_and_placeholder() -> None:
    page = (Path(__file__).resolve().parent.parent / "docs" / "ledger-letters.md").read_text("utf-8")
    assert [k.key for k in letter_kinds() if f"`{k.key}.toml`" not in page] == []
    assert [name for name in PLACEHOLDERS if f"{{{name}}}" not in page] == []
    for kind in letter_kinds():  # each kind's article as the table gives it
        assert ARTICLES[kind.key] in page
