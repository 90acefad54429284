"""The format definition file: complete, consistent, and the only place labels live."""

from __future__ import annotations

import ast
from pathlib import Path

from xxgk.format import label_key, load_format
from xxgk.format.spec import version_markers
from xxgk.recognize.anchors import AnchorKind, anchor_index

SPEC = load_format()
SRC = Path(__file__).resolve().parents[1] / "src" / "xxgk"


def test_cell_counts_match_the_format() -> None:
    counts = {t: sum(1 for _ in SPEC.iter_cells(t)) for t in SPEC.tables}
    assert counts == {"t2": 10, "t3": 175, "t4": 15}
    assert len(SPEC.tables["t3"].rows) == 25 and len(SPEC.tables["t3"].columns) == 7
    assert [s.heading for s in SPEC.sections] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]


def test_keys_follow_the_spec_digest() -> None:
    for key in (
        "t2.regulations.issued",
        "t2.administrative_fees.amount_wan_yuan",
        "t3.new_received.natural_person",
        "t3.other_fee_unpaid.other_org",
        "t3.carried_over_out.total",
        "t4.review.upheld",
        "t4.litigation_after_review.pending",
    ):
        assert key in SPEC.cells
    assert SPEC.cell("t2.administrative_fees.amount_wan_yuan").decimal
    assert sum(c.decimal for c in SPEC.iter_cells()) == 1
    assert SPEC.cell("t3.new_received.natural_person").name_zh == "表三「一、本年新收政府信息公开申请数量」×「自然人」"


def test_identities_expand_over_every_column_row_and_group() -> None:
    sizes = {i.id: len(i.instances) for i in SPEC.identities}
    assert sizes == {"I1": 7, "I2": 25, "I3": 7, "I4": 3}
    i3 = next(i for i in SPEC.identities if i.id == "I3").instances[0]
    assert i3.lhs == ("t3.processed_total.natural_person",) and len(i3.rhs) == 21
    i1 = next(i for i in SPEC.identities if i.id == "I1").instances[-1]
    assert i1.lhs == ("t3.new_received.total", "t3.carried_over_in.total")
    assert i1.rhs == ("t3.processed_total.total", "t3.carried_over_out.total")


def test_every_row_label_normalises_to_one_row() -> None:
    index = anchor_index()
    for table in SPEC.tables.values():
        for row in table.physical_rows:
            if row.label is None:
                continue
            for k in row.label.keys:
                rows = [a for a in index.lookup(k) if a.kind is AnchorKind.ROW]
                assert len(rows) == 1, (k, rows)


def test_label_key_ignores_width_quotes_and_spaces() -> None:
    assert label_key('3. 危及"三安全一稳定"') == label_key("3.危及“三安全一稳定”")
    assert label_key("(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)") == label_key(
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    )
    assert label_key("结果 维持 |") == "结果维持"
    assert label_key("⼀、本年新收政府信息公开申请数量") == label_key("一、本年新收政府信息公开申请数量")  # Kangxi 一


def test_version_markers_are_disjoint() -> None:
    markers = version_markers()
    assert set(markers) == {"gov2021", "gov2019"}
    assert not {label_key(m) for m in markers["gov2021"]} & {label_key(m) for m in markers["gov2019"]}


def _code_strings(path: Path) -> list[str]:
    """String literals of a module that are code, not documentation (docstrings; comments are not in the AST)."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
    ]


def test_no_second_list_of_labels_in_code() -> None:
    """Official labels live in specs/*.toml only: no string in Python code spells a row or column label
    (docstrings and comments may quote one to explain)."""
    labels = [r.label.text for t in SPEC.tables.values() for r in t.rows if r.label and len(r.label.text) >= 6]
    labels += [c.label.text for c in SPEC.tables["t3"].columns if len(c.label.text) >= 4]
    offenders = []
    for path in SRC.rglob("*.py"):
        strings = _code_strings(path)
        for label in labels:
            if any(label in s for s in strings):
                offenders.append((path.relative_to(SRC).as_posix(), label))
    # Rule documentation may quote a label in prose; code paths must not. Only the rule families' prose is allowed.
    families = ("arithmetic", "structure", "text", "reading", "corpus")
    assert all(p.startswith(tuple(f"rules/{f}" for f in families)) for p, _ in offenders), offenders
