"""Bad, odd and hostile input: every case ends with a clear zh-CN message and the right exit code.

Exit codes: 0 no error findings, 1 error findings, 2 unusable input or usage error. No case may
print a Python traceback, and in a multi-file run one bad file never stops the good ones.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from xxgk import read_report
from xxgk.cli.main import app
from xxgk.errors import XxgkError
from xxgk.report import Report

from .conftest import SEEDS, seed

runner = CliRunner()

EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE = 0, 1, 2
GOOD_AGENCY = "三门峡市陕州区大营镇人民政府"  # agency of seed 000
NOT_A_REPORT = "未识别为政府信息公开工作年度报告"

NEWS = (
    "新华社北京6月1日电 记者从有关部门获悉，今年以来全国夏粮收购进展顺利，各地积极组织收购，"
    "市场运行总体平稳。专家表示，当前粮食供应充足，价格保持基本稳定，群众生活必需品供应有保障。\n"
)


# --------------------------------------------------------------------------------------------
# helpers


def _text(result: Result) -> str:
    """Everything the command printed (stdout and stderr, whatever the click version keeps)."""
    out = result.output or ""
    try:
        err = result.stderr or ""
    except (ValueError, AttributeError):  # click < 8.2 without mix_stderr=False
        err = ""
    return out if err and err in out else out + err


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    text = _text(result)
    # CliRunner swallows exceptions into result.exception; only SystemExit (typer.Exit) is fine.
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"uncaught {type(result.exception).__name__}: {result.exception}\n{text}"
    )
    assert "Traceback" not in text, text
    return result.exit_code, text


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """End to end in a fresh interpreter: `python3 -m xxgk ...`."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
    env.pop("XXGK_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "xxgk", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=timeout,
    )
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    return proc


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def random_binary(n: int = 4096, seed_value: int = 20240601) -> bytes:
    """Deterministic random bytes with NULs sprinkled in (what a corrupted/binary file looks like)."""
    rng = random.Random(seed_value)
    data = bytearray(rng.getrandbits(8) for _ in range(n))
    for i in range(0, n, 97):
        data[i] = 0
    return bytes(data)


def t3(report: Report) -> dict[str, tuple[object, str]]:
    return {k: (c.value, str(c.state)) for k, c in report.cells.items() if k.startswith("t3.")}


# --------------------------------------------------------------------------------------------
# unusable single files: exit 2 and a message naming the problem


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("empty.txt", b"", "文件为空"),
        ("whitespace.txt", b"  \r\n\t\n\n   \r\n", "文件为空"),
        ("garbage.txt", random_binary(), "二进制文件"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random_binary(256), "PNG 图片"),
        ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n" + random_binary(256), "PDF 文件已损坏"),
        ("report.txt", b"PK\x03\x04\x14\x00\x06\x00" + random_binary(256), "ZIP 压缩包"),
        ("news.txt", NEWS.encode("utf-8"), NOT_A_REPORT),
        ("news_gbk.txt", NEWS.encode("gbk"), NOT_A_REPORT),
    ],
    ids=["empty", "whitespace", "binary", "png", "pdf", "zip", "news", "news-gbk"],
)
def test_unusable_file_check_and_parse(tmp_path: Path, name: str, data: bytes, fragment: str) -> None:
    path = write(tmp_path / name, data)
    code, text = invoke("check", str(path))
    assert code == EXIT_UNUSABLE, text
    assert fragment in text, text
    assert "无法读取 1 个" in text and "没有读取到任何报告" in text
    code, text = invoke("parse", str(path))
    assert code == EXIT_UNUSABLE, text
    assert fragment in text, text
    with pytest.raises(XxgkError) as info:
        read_report(path)
    assert fragment in info.value.message


def test_whitespace_only_with_full_width_spaces(tmp_path: Path) -> None:
    """Only ideographic spaces (U+3000) and newlines: nothing to read, never a crash."""
    path = write(tmp_path / "spaces.txt", ("\u3000\u3000\n" * 20).encode("utf-8"))
    code, text = invoke("check", str(path))
    assert code == EXIT_UNUSABLE, text
    assert "文件为空" in text or NOT_A_REPORT in text, text


def test_nonexistent_path() -> None:
    code, text = invoke("check", "/nonexistent/xxgk/报告.txt")
    assert code == EXIT_UNUSABLE, text
    assert "文件不存在" in text, text
    code, text = invoke("parse", "/nonexistent/xxgk/报告.txt")
    assert code == EXIT_UNUSABLE, text
    assert "文件不存在" in text, text


def test_nonexistent_path_beside_good_file() -> None:
    code, text = invoke("check", str(seed("000")), "/nonexistent/xxgk/报告.txt")
    assert code == EXIT_ERRORS  # (files not read beside files read), text
    assert "文件不存在" in text
    assert GOOD_AGENCY in text  # the good file was still checked


# --------------------------------------------------------------------------------------------
# encodings: read correctly, same values as the UTF-8 original

ENCODINGS = ["gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"]


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "gbk":
        # GBK has no NO-BREAK SPACE (seed 002 contains one); a GBK exporter writes a plain space.
        text = text.replace("\xa0", " ")
    return text.encode(encoding)  # "utf-16" writes a BOM; "utf-16-le"/"-be" write none


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("seed_path", SEEDS, ids=[p.name[:3] for p in SEEDS])
def test_reencoded_seed_reads_same(tmp_path: Path, seed_path: Path, encoding: str) -> None:
    original = read_report(seed_path)
    path = write(tmp_path / f"{seed_path.stem}.{encoding}.txt", _encode(seed_path.read_text("utf-8"), encoding))
    report = read_report(path)
    assert (report.meta.agency, report.meta.year) == (original.meta.agency, original.meta.year)
    assert report.meta.format_version == original.meta.format_version
    assert t3(report) == t3(original)
    assert t3(report), "table 3 has cells"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-16-le", "utf-8-sig"])
def test_reencoded_seed_check_cli(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path / f"report.{encoding}.txt", _encode(seed("000").read_text("utf-8"), encoding))
    code, text = invoke("check", str(path))
    assert code in (EXIT_OK, EXIT_ERRORS), text
    assert GOOD_AGENCY in text and "2024年度" in text, text
    assert "无法处理" not in text


# --------------------------------------------------------------------------------------------
# damaged reports: findings, not crashes


def test_table3_cut_off_halfway(tmp_path: Path) -> None:
    lines = seed("000").read_text("utf-8").splitlines(keepends=True)
    cut = next(i for i, line in enumerate(lines) if "无法提供" in line)
    path = write(tmp_path / "truncated.txt", "".join(lines[: cut + 1]).encode("utf-8"))
    code, text = invoke("check", str(path))
    assert code == EXIT_ERRORS, text
    assert GOOD_AGENCY in text
    assert "B032" in text and "表三缺少" in text, text
    for row in ("2.没有现成信息需要另行制作", "（七）总计", "四、结转下年度继续办理"):
        assert f"表三缺少「{row}」行" in text, row
    # rows before the cut are present and read
    assert "表三缺少「1.本机关不掌握相关政府信息」行" not in text
    assert "B031" in text  # table 4 is gone entirely

    code, text = invoke("check", str(path), "--format", "json")
    (entry,) = json.loads(text)
    codes = [f["code"] for f in entry["findings"]]
    assert codes.count("B032") == 12  # 2 + 5 + 3 rows of (四)…(六), (七) 总计, 四、结转
    assert entry["error"] is None


def test_report_with_control_characters_and_long_lines(tmp_path: Path) -> None:
    """A real report with stray control characters and a huge line is still read."""
    text = seed("001").read_text("utf-8")
    text = text.replace("\n", "\x0c\n", 3) + "附：" + "测" * 100_000 + "\n"
    path = write(tmp_path / "odd.txt", text.encode("utf-8"))
    code, out = invoke("check", str(path))
    assert code in (EXIT_OK, EXIT_ERRORS), out
    assert "孟津区送庄镇人民政府" in out


# --------------------------------------------------------------------------------------------
# size limits


def test_max_size_option(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", (NEWS * 200).encode("utf-8")[:20_000])
    assert path.stat().st_size == 20_000
    code, text = invoke("check", str(path), "--max-size", "0.01")
    assert code == EXIT_UNUSABLE, text
    assert "文件过大" in text and "--max-size" in text, text
    code, text = invoke("parse", str(path), "--max-size", "0.01")
    assert code == EXIT_UNUSABLE, text
    assert "文件过大" in text, text


def test_max_size_message_shows_meaningful_numbers(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", b"x" * 20_000)
    code, text = invoke("check", str(path), "--max-size", "0.01")
    assert code == EXIT_UNUSABLE
    assert "（0.0 MB）" not in text and "上限 0 MB" not in text, text


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_that_never_ends_is_refused_at_the_size_limit() -> None:
    # /dev/zero reports size 0: reading stops one byte past the limit instead of never.
    t0 = time.perf_counter()
    code, text = invoke("check", "/dev/zero", "--max-size", "1")
    assert code == EXIT_UNUSABLE, text
    assert "文件过大（超过上限 1 MB）" in text, text
    assert time.perf_counter() - t0 < 5


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    pipe = tmp_path / "report.txt"
    os.mkfifo(pipe)
    proc = run_cli("check", str(pipe), str(seed("000")), timeout=30)
    assert proc.returncode == EXIT_ERRORS  # (files not read beside files read), proc.stdout + proc.stderr
    assert "这不是普通文件" in proc.stdout and GOOD_AGENCY in proc.stdout


@pytest.fixture(scope="module")
def huge_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """~50 MB of real report text (not a sparse file), made once."""
    path = tmp_path_factory.mktemp("huge") / "huge.txt"
    block = seed("000").read_bytes()
    with path.open("wb") as f:
        for _ in range(50 * 1024 * 1024 // len(block) + 1):
            f.write(block)
    return path


def test_default_size_limit_refuses_quickly(huge_file: Path) -> None:
    assert huge_file.stat().st_size > 50 * 1024 * 1024
    t0 = time.perf_counter()
    code, text = invoke("check", str(huge_file))
    elapsed = time.perf_counter() - t0
    assert code == EXIT_UNUSABLE, text
    assert "文件过大" in text and "20 MB" in text, text
    assert elapsed < 2.0, f"refusing a 50 MB file took {elapsed:.2f} s; it must not read it"


def test_default_size_limit_end_to_end(huge_file: Path) -> None:
    proc = run_cli("check", str(huge_file), str(seed("000")), timeout=30)
    assert proc.returncode == EXIT_ERRORS  # (files not read beside files read), proc.stdout + proc.stderr
    assert "文件过大" in proc.stdout
    assert GOOD_AGENCY in proc.stdout


# --------------------------------------------------------------------------------------------
# directories and multi-file runs


@pytest.fixture
def mixed_dir(tmp_path: Path) -> Path:
    d = tmp_path / "报告目录"
    d.mkdir()
    (d / seed("000").name).write_bytes(seed("000").read_bytes())
    write(d / "empty.txt", b"")
    write(d / "garbage.txt", random_binary())
    write(d / "scan.pdf", b"%PDF-1.4\n" + random_binary(128))
    write(d / "notes.bin", random_binary(64))  # not a report suffix: not taken from a directory
    return d


def test_directory_mixed_text(mixed_dir: Path) -> None:
    code, text = invoke("check", str(mixed_dir))
    assert code == EXIT_ERRORS  # (files not read beside files read), text
    assert GOOD_AGENCY in text and "D051" in text  # the good file's findings are printed
    assert "文件为空" in text and "二进制文件" in text and "PDF 文件" in text
    assert "共 4 个文件" in text and "无法读取 3 个" in text, text
    assert "notes.bin" not in text


def test_directory_mixed_json(mixed_dir: Path) -> None:
    code, text = invoke("check", str(mixed_dir), "--format", "json")
    assert code == EXIT_ERRORS  # (files not read beside files read)
    data = json.loads(text)
    assert isinstance(data, list) and len(data) == 4
    for entry in data:
        assert {"file", "error", "findings"} <= set(entry), entry
    by_name = {Path(e["file"]).name: e for e in data}
    assert set(by_name) == {seed("000").name, "empty.txt", "garbage.txt", "scan.pdf"}
    good = by_name[seed("000").name]
    assert good["error"] is None and good["agency"] == GOOD_AGENCY and good["findings"]
    assert "文件为空" in by_name["empty.txt"]["error"] and by_name["empty.txt"]["findings"] == []
    assert "二进制文件" in by_name["garbage.txt"]["error"]
    assert "PDF 文件" in by_name["scan.pdf"]["error"]


def test_directory_mixed_end_to_end(mixed_dir: Path) -> None:
    proc = run_cli("check", str(mixed_dir), "--format", "json")
    assert proc.returncode == EXIT_ERRORS  # (files not read beside files read), proc.stderr
    data = json.loads(proc.stdout)
    assert len(data) == 4
    assert [e["agency"] for e in data if e["error"] is None] == [GOOD_AGENCY]


def test_json_one_entry_per_file_all_kinds(tmp_path: Path) -> None:
    files = [
        seed("001"),
        write(tmp_path / "gbk.txt", _encode(seed("003").read_text("utf-8"), "gbk")),
        write(tmp_path / "news.txt", NEWS.encode("utf-8")),
        Path(tmp_path / "missing.txt"),
    ]
    code, text = invoke("check", *map(str, files), "--format", "json")
    assert code == EXIT_ERRORS  # (files not read beside files read)
    data = json.loads(text)
    assert [e["file"] for e in data] == [str(p) for p in files]
    for entry in data:
        assert {"file", "error", "findings"} <= set(entry)
    assert [e["error"] is None for e in data] == [True, True, False, False]
    assert data[1]["agency"] == "虎林市宝东镇人民政府"
    assert NOT_A_REPORT in data[2]["error"] and "文件不存在" in data[3]["error"]


def test_empty_directory(tmp_path: Path) -> None:
    code, text = invoke("check", str(tmp_path))
    assert code == EXIT_UNUSABLE, text
    assert "中没有报告文件" in text and ".txt" in text, text


def test_parse_directory(tmp_path: Path) -> None:
    code, text = invoke("parse", str(tmp_path))
    assert code == EXIT_UNUSABLE, text
    assert "这是一个目录" in text, text


# --------------------------------------------------------------------------------------------
# usage errors


def test_unknown_rule_code_in_select() -> None:
    code, text = invoke("check", str(seed("000")), "--select", "Z999")
    assert code == EXIT_UNUSABLE, text
    assert "未知的规则代码" in text and "Z999" in text, text


def test_unknown_rule_code_in_ignore_end_to_end() -> None:
    proc = run_cli("check", str(seed("000")), "--ignore", "C011,NOPE")
    assert proc.returncode == EXIT_UNUSABLE
    assert "未知的规则代码" in proc.stderr and "NOPE" in proc.stderr, proc.stderr


def test_unknown_format() -> None:
    code, text = invoke("check", str(seed("000")), "--format", "xml")
    assert code == EXIT_UNUSABLE, text
    assert "只能是 text、json" in text, text


def test_unknown_rule_explained() -> None:
    code, text = invoke("rules", "Q123")
    assert code == EXIT_UNUSABLE, text
    assert "没有代码为 Q123 的规则" in text, text


# --------------------------------------------------------------------------------------------
# short binary: random bytes decoded as UTF-16 look like CJK text by share of ideographs alone


def test_short_binary_is_called_binary(tmp_path: Path) -> None:
    rng = random.Random(1)
    data = bytes(rng.getrandbits(8) for _ in range(64)) + b"\x00" * 4
    path = write(tmp_path / "short.bin", data)
    code, text = invoke("check", str(path))
    assert code == EXIT_UNUSABLE, text
    assert "二进制文件" in text, text


def test_fuzzed_inputs_are_read_or_refused_in_zh(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A short run of the readers' fuzzer (tests/fuzz_readers.py; longer runs by hand): damaged web
    pages, Word files, PDFs, single-file pages and re-encoded text reports are each read or refused
    with a zh-CN message, none with an internal error or a hang."""
    from tests.fuzz_readers import main

    forms = "html,docx,pdf,mht,txt"
    assert main(["--cases", "60", "--seed", "7", "--forms", forms, "--keep", str(tmp_path), "--slow", "20"]) == 0
    err = capsys.readouterr().err
    assert "60 cases in" in err and "; 0 failed" in err, err
    assert not list(tmp_path.glob("failure-*"))


def test_fuzzed_forms_of_issue_19_are_read_or_refused_in_zh(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The forms reports are really published in, damaged (issue 19, "Bad input"): borderless and
    WPS-style PDFs with their page content edited, whole-page textContent on one line and broken
    PDF text / per-group Markdown with their numbers, labels and notes damaged. Each read or refused
    in zh-CN: no traceback, no hang (the digit-splitting and text-alignment searches stay bounded)."""
    from tests.fuzz_readers import main

    forms = "pdfforms,oneline,broken"
    assert main(["--cases", "40", "--seed", "19", "--forms", forms, "--keep", str(tmp_path), "--slow", "20"]) == 0
    err = capsys.readouterr().err
    assert "40 cases in" in err and "tracebacks 0, hangs 0" in err and "; 0 failed" in err, err
    assert not list(tmp_path.glob("failure-*"))


def test_fuzzed_attacks_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The fast slice of the hostile uploader's files (issue 24 §6: bombs, hostile names): each
    refused or read, no traceback, no hang, no network attempt."""
    from tests.fuzz_readers import main

    assert main(["--cases", "10", "--seed", "3", "--forms", "attack", "--keep", str(tmp_path), "--slow", "10"]) == 0
    err = capsys.readouterr().err
    assert "tracebacks 0, hangs 0" in err and "network attempts 0; 0 failed" in err, err
