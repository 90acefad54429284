"""Models of the corpus store: documents as received, the reports read from them (one row per version),
their cells and findings, the agencies and regions they belong to.

A document is a file's content (by SHA-256), kept in a content-addressed folder beside an SQLite database;
the same content met again is skipped. A report is what was read from one document; the reports of one
agency and year are its versions, numbered in the order they were added (`latest` marks the newest). A
document that could not be read keeps its zh-CN reason and has no report. Findings of one report
(`report` set) come from `xxgk check`; findings over several reports (`report` null, family X) are written
by `xxgk corpus check`, which replaces them all in one transaction. A finding's `fingerprint` does not
depend on where it was printed, so it stays the same finding when the report is ingested again.
"""

from __future__ import annotations

from django.db import models
from django.dispatch import Signal

# Sent when two agencies turn out to be one (the user's agencies.toml): `old` (an id) is merged into `new`
# and deleted; an app whose rows refer to agencies moves them (kwargs: old, new, using).
agency_merged = Signal()


class Region(models.Model):  # type: ignore[misc,unused-ignore]
    name = models.CharField("名称", max_length=100)
    path = models.CharField("完整名称", max_length=300, unique=True)  # "三明市/三元区"
    code = models.CharField("区划代码", max_length=12, null=True, blank=True, db_index=True)
    level = models.CharField("层级", max_length=16)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        verbose_name = "行政区"
        ordering = ("path",)


class Agency(models.Model):  # type: ignore[misc,unused-ignore]
    key = models.CharField("规范名称", max_length=200, unique=True)
    names = models.JSONField("出现过的写法", default=list)
    kind = models.CharField("类型", max_length=16)
    level = models.CharField("层级", max_length=16)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="agencies")
    resolved = models.BooleanField("已确定", default=False)  # level and region known (from the name or the user)

    class Meta:
        verbose_name = "机关"
        ordering = ("key",)


class Document(models.Model):  # type: ignore[misc,unused-ignore]
    sha256 = models.CharField("内容哈希", max_length=64, unique=True)
    path = models.TextField("文件路径")  # where it was read from (first time)
    stored = models.TextField("保存位置", blank=True, default="")  # content-addressed copy, relative to the store
    size = models.BigIntegerField("字节数")
    suffix = models.CharField("格式", max_length=16, blank=True, default="")
    source_url = models.TextField("来源网址", blank=True, default="")
    retrieved_at = models.DateTimeField("获取时间", null=True, blank=True)
    source_published_at = models.DateTimeField("来源发布时间", null=True, blank=True)
    added_at = models.DateTimeField("入库时间")
    usable = models.BooleanField("可读", default=True)
    error_code = models.CharField("错误代码", max_length=16, blank=True, default="")
    error = models.TextField("无法读取的原因", blank=True, default="")
    notes = models.JSONField("读取提示", default=list)  # reading diagnostics (R codes): code, location

    class Meta:
        verbose_name = "文件"
        ordering = ("id",)


class Report(models.Model):  # type: ignore[misc,unused-ignore]
    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="report")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="reports")
    agency_printed = models.CharField("印发机关（原文）", max_length=200, blank=True, default="")
    year = models.IntegerField("年度", null=True, blank=True)
    spec_id = models.CharField("格式", max_length=16)
    format_version = models.CharField("格式判定", max_length=16)
    title = models.TextField("标题", blank=True, default="")
    published_on = models.DateField("落款日期", null=True, blank=True)
    version = models.IntegerField("版本", default=1)
    latest = models.BooleanField("最新版本", default=True)
    changes = models.JSONField("与上一版本相比的修改", default=dict)  # {"cells": [...], "sections": [...]}
    sections = models.JSONField("各部分正文", default=dict)  # section key -> text ("" when not found)
    errors = models.IntegerField("错误数", default=0)
    warnings = models.IntegerField("警告数", default=0)

    class Meta:
        verbose_name = "年度报告"
        ordering = ("id",)
        indexes = (models.Index(fields=("agency", "year", "latest")), models.Index(fields=("year", "latest")))


class Cell(models.Model):  # type: ignore[misc,unused-ignore]
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="cells")
    key = models.CharField("单元格", max_length=80)
    value = models.DecimalField("数值", max_digits=30, decimal_places=8, null=True, blank=True)  # null: missing
    state = models.CharField("状态", max_length=16)
    raw = models.TextField("原文", null=True, blank=True)
    provenance = models.JSONField("出处", null=True, blank=True)
    note = models.TextField("附注", blank=True, default="")
    unit = models.CharField("单位", max_length=16, blank=True, default="")

    class Meta:
        verbose_name = "单元格"
        constraints = (models.UniqueConstraint(fields=("report", "key"), name="xxgk_corpus_cell_unique"),)


class Finding(models.Model):  # type: ignore[misc,unused-ignore]
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.CASCADE, related_name="findings")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="findings")
    year = models.IntegerField("年度", null=True, blank=True)
    code = models.CharField("规则", max_length=8)
    severity = models.CharField("严重程度", max_length=8)
    location = models.CharField("位置", max_length=120)
    expected = models.JSONField("应为", null=True, blank=True)
    found = models.JSONField("实为", null=True, blank=True)
    params = models.JSONField("参数", default=dict)
    provenance = models.JSONField("出处", null=True, blank=True)
    message = models.TextField("说明")
    fingerprint = models.CharField("指纹", max_length=40, db_index=True)

    class Meta:
        verbose_name = "问题"
        ordering = ("id",)
        indexes = (models.Index(fields=("code",)), models.Index(fields=("agency", "year")))
