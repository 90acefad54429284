"""Charts of a corpus (matplotlib, Noto CJK, PNG or SVG): applications per year per region, outcome
shares per year, findings by rule family, and the distribution of 内容雷同 shares.

Each function takes plain figures (no store) and writes one file; the suffix of the path chooses PNG or
SVG. matplotlib is the `corpus` extra; without it a zh-CN error says what to install.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from xxgk.corpus.records import CorpusReport
from xxgk.errors import XxgkError

FONT = "Noto Sans CJK SC"
OUTCOMES = (
    ("予以公开", ("granted",), None),
    ("部分公开", ("partially_granted",), None),
    ("不予公开", (), "withheld"),
    ("无法提供", (), "unable"),
    ("不予处理", (), "not_handled"),
    ("其他处理", (), "other_handling"),
)


def pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise XxgkError("绘图需要安装 matplotlib：pip install 'xxgk[corpus]'") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.family"] = [FONT, "Noto Serif CJK SC", "sans-serif"]
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["svg.fonttype"] = "none"  # (text stays text in SVG: searchable, small)
    return plt


def _save(fig: Any, path: Path) -> Path:
    if path.suffix.lower() not in (".png", ".svg"):
        raise XxgkError(f"图表格式应为 .png 或 .svg：{path.name}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path


def applications_per_year(reports: Iterable[CorpusReport], region_of: Any, path: Path) -> Path:
    plt = pyplot()
    series: dict[str, Counter[int]] = defaultdict(Counter)
    for r in reports:
        value = r.value("t3.new_received.total")
        if r.year is not None and value is not None:
            series[region_of(r)][r.year] += int(value)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for region, by_year in sorted(series.items()):
        years = sorted(by_year)
        ax.plot(years, [by_year[y] for y in years], marker="o", label=region)
    ax.set_title("各地区每年收到的政府信息公开申请")
    ax.set_xlabel("年度")
    ax.set_ylabel("本年新收申请（件）")
    ax.xaxis.get_major_locator().set_params(integer=True)
    if series:
        ax.legend(fontsize=8)
    return _save(fig, path)


def outcome_shares(reports: Iterable[CorpusReport], path: Path) -> Path:
    from xxgk.format import load_format

    plt = pyplot()
    totals: dict[int, Counter[str]] = defaultdict(Counter)
    for r in reports:
        if r.year is None:
            continue
        rows = load_format(r.spec_id).tables["t3"].rows
        for label, keys, group in OUTCOMES:
            wanted = [k for k in keys] + [row.key for row in rows if group and row.group == group]
            if group == "other_handling" and not wanted:
                wanted = [row.key for row in rows if row.key == "other_handling"]  # (2019: one row)
            values = [r.value(f"t3.{k}.total") for k in wanted]
            totals[r.year][label] += int(sum(v for v in values if v is not None))
    years = sorted(totals)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    bottom = [0.0] * len(years)
    for label, _, _ in OUTCOMES:
        shares = [totals[y][label] / (sum(totals[y].values()) or 1) for y in years]
        ax.bar([str(y) for y in years], shares, bottom=bottom, label=label)
        bottom = [b + s for b, s in zip(bottom, shares, strict=True)]
    ax.set_title("办理结果构成（按年度）")
    ax.set_ylabel("占办结总数的比例")
    ax.legend(fontsize=8, ncol=3)
    return _save(fig, path)


def findings_by_family(counts: Mapping[str, int], path: Path) -> Path:
    """`counts`: rule family letter → number of findings."""
    plt = pyplot()
    names = {"A": "发布", "B": "结构", "C": "勾稽", "D": "正文", "R": "读取", "X": "跨报告"}
    families = sorted(counts)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.bar([f"{f} {names.get(f, '')}" for f in families], [counts[f] for f in families], color="#b22222")
    ax.set_title("问题数量（按规则类别）")
    ax.set_ylabel("问题数")
    return _save(fig, path)


def similarity_distribution(shares: Iterable[float], path: Path) -> Path:
    plt = pyplot()
    values = [s * 100 for s in shares]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.hist(values, bins=[50, 60, 70, 80, 90, 100], color="#4169e1", edgecolor="white")
    ax.set_title("内容雷同：相同文字占该部分的比例")
    ax.set_xlabel("相同文字占比（%）")
    ax.set_ylabel("报告部分数")
    return _save(fig, path)
