"""The web app's own rows: organisations and their members' roles, uploads, review decisions and the
status of a report's review, and the append-only audit log.

Reports, cells and findings are the corpus store's (`xxgk_corpus`); a decision is attached to a finding's
stable fingerprint within an agency's year (not to a finding row), so it carries over to the next version
of the report the agency uploads.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from xxgk.corpus.store.models import Agency, Document, Region, Report


class Role(models.TextChoices):
    ADMIN = "admin", "管理员"
    REVIEWER = "reviewer", "审核人员"
    EDITOR = "editor", "填报人员"
    VIEWER = "viewer", "只读"


class OrganisationKind(models.TextChoices):
    OFFICE = "office", "政务公开办"
    AGENCY = "agency", "机关"


class Organisation(models.Model):  # type: ignore[misc,unused-ignore]
    """A 政务公开办 (reviews its region and the organisations below it) or an agency (its own reports)."""

    name = models.CharField("名称", max_length=200, unique=True)
    kind = models.CharField("类型", max_length=16, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="上级"
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="行政区"
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="报告库中的机关"
    )

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):  # type: ignore[misc,unused-ignore]
    """A user's organisation and role (one each: a person acting for two units has two accounts)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership", verbose_name="用户"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="members", verbose_name="单位"
    )
    role = models.CharField("角色", max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = "成员"
        verbose_name_plural = "成员"


class UploadState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "读取中"
    DONE = "done", "已入库"
    FAILED = "failed", "无法读取"


class Upload(models.Model):  # type: ignore[misc,unused-ignore]
    """One file a user uploaded (a ZIP becomes one upload per report in it), and what became of it."""

    batch = models.CharField("批次", max_length=32, db_index=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="uploads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField("文件名", max_length=255)
    stored = models.CharField("保存位置", max_length=255)  # relative to UPLOAD_DIR
    size = models.BigIntegerField("字节数")
    state = models.CharField("状态", max_length=16, choices=UploadState.choices, default=UploadState.QUEUED)
    outcome = models.CharField("结果", max_length=16, blank=True, default="")  # corpus Added.status
    message = models.TextField("说明", blank=True, default="")
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="uploads")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "上传文件"
        verbose_name_plural = "上传文件"
        ordering = ("id",)


class DecisionState(models.TextChoices):
    OPEN = "open", "待审"
    CONFIRMED = "confirmed", "确认"
    DISMISSED = "dismissed", "不采纳"


class Decision(models.Model):  # type: ignore[misc,unused-ignore]
    """A reviewer's decision on a finding, by fingerprint within one agency's year (or, for a report whose
    agency is unknown, within that report)."""

    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    year = models.IntegerField("年度", null=True, blank=True)
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField("问题指纹", max_length=40)
    code = models.CharField("规则", max_length=8)
    state = models.CharField("结论", max_length=16, choices=DecisionState.choices, default=DecisionState.OPEN)
    reason = models.TextField("理由", blank=True, default="")
    comment = models.TextField("备注", blank=True, default="")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("时间", auto_now=True)

    class Meta:
        verbose_name = "审查结论"
        verbose_name_plural = "审查结论"
        constraints = (
            models.UniqueConstraint(
                fields=("agency", "year", "report", "fingerprint"), name="xxgk_web_decision_unique"
            ),
        )


class ReviewState(models.TextChoices):
    PENDING = "pending", "待审"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过"


class Review(models.Model):  # type: ignore[misc,unused-ignore]
    """The state of the review of one agency's year (or of one report whose agency is unknown)."""

    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    year = models.IntegerField("年度", null=True, blank=True)
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    state = models.CharField("状态", max_length=16, choices=ReviewState.choices, default=ReviewState.PENDING)
    opinion = models.TextField("审查意见", blank=True, default="")
    approved_report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField("时间", auto_now=True)

    class Meta:
        verbose_name = "审查"
        verbose_name_plural = "审查"
        constraints = (models.UniqueConstraint(fields=("agency", "year", "report"), name="xxgk_web_review_unique"),)


class AuditEvent(models.Model):  # type: ignore[misc,unused-ignore]
    """One change, never updated or deleted: who, when, what, from where."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField("用户", max_length=150, blank=True, default="")
    address = models.CharField("来源地址", max_length=64, blank=True, default="")
    action = models.CharField("操作", max_length=40, db_index=True)
    target = models.CharField("对象", max_length=200, blank=True, default="")
    detail = models.JSONField("内容", default=dict)

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ("-id",)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("操作记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("操作记录只能追加，不能删除")


class Draft(models.Model):  # type: ignore[misc,unused-ignore]
    """An agency's annual report being written in the browser: what was typed (cells and sections as text),
    and where it went (the version submitted to the corpus, the publication). `revision` is the optimistic
    lock: a save names the revision it was made from, and a save from an older one is refused."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="drafts")
    year = models.IntegerField("年度")
    title = models.CharField("标题", max_length=200, blank=True, default="")
    signed_on = models.DateField("成文日期", null=True, blank=True)
    cells = models.JSONField("表格（填写的文字）", default=dict)
    sections = models.JSONField("正文", default=dict)
    revision = models.IntegerField("修订号", default=0)
    updated_at = models.DateTimeField("保存时间", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_revision = models.IntegerField("提交时的修订号", null=True, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    published_url = models.URLField("发布网址", max_length=500, blank=True, default="")

    class Meta:
        verbose_name = "报告草稿"
        verbose_name_plural = "报告草稿"
        constraints = (models.UniqueConstraint(fields=("organisation", "year"), name="xxgk_web_draft_unique"),)
