"""Models of the ledger store: the agency that keeps the ledger, its cases, their events, the audit trail.

The events are the record: append-only rows (`seq` = recording order from 0, which is what a `Voided`
event's `target` refers to), each the `to_dict()` of a core event minus `kind` and `on`, which have
columns of their own. The columns of `Case` after `subject` are a projection of the events (derived by
the core on every append, in the same transaction) kept for listing, filtering and counting; they are never
the source of truth. A closed case whose `outcome` is NULL is a withdrawn one (every other closing event
sets the 表三 row). The deadline columns (`due_on` …) depend on the working-day calendar as well:
`Agency.deadlines_key` names the calendar they were computed with, and they are recomputed when it changes.
`AuditEntry` records who wrote what and when, one row per write.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models

from xxgk.ledger.store.errors import StoreError


def _refuse(what: str) -> NoReturn:
    raise StoreError(f"{what}只能追加，不能修改或删除；更正请登记「作废事件」后重新登记")


class AppendOnlyQuerySet(models.QuerySet):  # type: ignore[misc,unused-ignore]
    def update(self, **kwargs: Any) -> NoReturn:
        _refuse(self.model._meta.verbose_name)

    def delete(self) -> NoReturn:
        _refuse(self.model._meta.verbose_name)


class AppendOnlyModel(models.Model):  # type: ignore[misc,unused-ignore]
    """Rows are inserted once and never updated or deleted (through the ORM)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse(self._meta.verbose_name)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse(self._meta.verbose_name)


class Agency(models.Model):  # type: ignore[misc,unused-ignore]
    """The agency (机关) whose ledger this is; case numbers are unique per agency."""

    name = models.CharField("机关名称", max_length=200, unique=True)
    created_at = models.DateTimeField("创建时间")
    created_by = models.CharField("创建人", max_length=150)
    # Version of the deadline projection and fingerprint of the calendar the cases' deadline columns were
    # computed with ("" = never: computed on first use).
    deadlines_key = models.CharField("期限计算依据", max_length=64, blank=True, default="")

    class Meta:
        verbose_name = "机关"
        ordering = ("id",)

    def __str__(self) -> str:
        return str(self.name)


class Case(models.Model):  # type: ignore[misc,unused-ignore]
    """One request (一件申请). Its facts are in its events; the columns below `subject` are derived."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="cases", verbose_name="机关")
    number = models.CharField("案件编号", max_length=64)
    applicant = models.CharField("申请人", max_length=200)
    applicant_type = models.CharField("申请人类型（表三栏目键）", max_length=40)
    channel = models.CharField("申请方式", max_length=20)
    subject = models.TextField("申请内容", blank=True, default="")
    created_at = models.DateTimeField("登记时间")
    created_by = models.CharField("登记人", max_length=150)
    # Projection of the events (see module docstring).
    received_on = models.DateField("收到日期（第三十一条）")
    clock_start = models.DateField("答复期限起算日")
    status = models.CharField("状态", max_length=24)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    outcome = models.CharField("办理结果（表三行键）", max_length=64, null=True, blank=True)
    event_count = models.PositiveIntegerField("事件数", default=0)
    updated_at = models.DateTimeField("最后登记时间")
    # Deadlines (store.agenda.DeadlineColumns), as of the calendar named by Agency.deadlines_key.
    due_on = models.DateField("最近的期限", null=True, blank=True)
    due_what = models.CharField("最近的期限名称", max_length=100, blank=True, default="")
    notice_due_on = models.DateField("补正通知期限", null=True, blank=True)
    reply_due_on = models.DateField("答复期限", null=True, blank=True)
    deadlines_known = models.BooleanField("期限可计算", default=True)
    # The case's 复议/诉讼 for 表四 ([[group, ref, filed_on, decided_on, result], …]; NULL: none), so that 表四
    # is read from the few cases that have any instead of folding events.
    proceedings = models.JSONField("复议诉讼（表四）", null=True, blank=True)

    class Meta:
        verbose_name = "案件"
        ordering = ("received_on", "id")
        constraints = (models.UniqueConstraint(fields=("agency", "number"), name="xxgk_ledger_case_number_unique"),)
        indexes = (
            models.Index(fields=("agency", "status"), name="xxgk_ledger_case_status"),
            # Covering the columns 表三 counts (store.aggregate), so that counting reads the index alone: reading
            # rows in index order from the table costs several times a scan.
            models.Index(
                fields=("agency", "received_on", "closed_on", "applicant_type", "outcome", "clock_start"),
                name="xxgk_ledger_case_counted",
            ),
            # The late replies of a year (closed in it, after the reply deadline).
            models.Index(fields=("agency", "closed_on", "reply_due_on", "outcome"), name="xxgk_ledger_case_closed"),
            models.Index(fields=("agency", "due_on"), name="xxgk_ledger_case_due"),
            # The few cases with a 复议/诉讼 (表四), without scanning the others.
            models.Index(
                fields=("agency",), condition=models.Q(proceedings__isnull=False), name="xxgk_ledger_case_proceedings"
            ),
        )

    def __str__(self) -> str:
        return str(self.number)


class Event(AppendOnlyModel):
    """One event of a case, as recorded: `payload` holds the event's fields other than `kind` and `on`."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events", verbose_name="案件")
    seq = models.PositiveIntegerField("登记序号")
    kind = models.CharField("事件类型", max_length=40)
    on = models.DateField("日期")
    payload = models.JSONField("内容", default=dict, blank=True)
    recorded_at = models.DateTimeField("登记时间")
    recorded_by = models.CharField("登记人", max_length=150)

    class Meta:
        verbose_name = "事件"
        ordering = ("case", "seq")
        constraints = (models.UniqueConstraint(fields=("case", "seq"), name="xxgk_ledger_event_seq_unique"),)

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.kind}"


class AuditEntry(AppendOnlyModel):
    """Who (`user`), when (`at`) and what (`action` and `detail`) for every write to the ledger."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="audit", verbose_name="机关")
    at = models.DateTimeField("时间", db_index=True)
    user = models.CharField("操作人", max_length=150)
    action = models.CharField("操作", max_length=40)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="audit", verbose_name="案件"
    )
    event_seq = models.PositiveIntegerField("事件序号", null=True, blank=True)
    detail = models.JSONField("内容", default=dict, blank=True)

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.at} {self.user} {self.action}"
