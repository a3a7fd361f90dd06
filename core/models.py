"""Shared plumbing models: the audit log chain.

Modules add their own models in their own apps; core holds only what every module uses.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("생성 시각"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정 시각"), auto_now=True)

    class Meta:
        abstract = True


class AuditChain(models.Model):
    """The head of one hash chain. One chain per institution (key = institution id,
    0 for system-wide events), so that writers in different institutions never wait for
    each other while every entry still carries the hash of the one before it."""

    key = models.BigIntegerField(primary_key=True)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("감사 로그 체인")

    def __str__(self) -> str:
        return f"chain {self.key} @ {self.last_seq}"


class AuditLogIsAppendOnly(Exception):
    """Something other than `core.audit.record` tried to write, change or remove an entry."""


#: set only while `core.audit.record` appends its entry (see `appending`)
_APPENDING: ContextVar[bool] = ContextVar("audit_appending", default=False)


@contextmanager
def appending() -> Iterator[None]:
    """The one door to the audit table: `core.audit.record` appends inside it. Nothing else
    may enter it (the guard is against mistakes in application code; a tamperer with the
    database itself is what the hash chain and `verify_audit_log` are for)."""
    token = _APPENDING.set(True)
    try:
        yield
    finally:
        _APPENDING.reset(token)


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """Reads only: every bulk write of the ORM refuses (entries are appended one at a time
    by `core.audit.record`, and never changed or removed)."""

    def _refuse(self, what: str) -> AuditLogIsAppendOnly:
        return AuditLogIsAppendOnly(f"audit entries are append-only: {what} refused (use core.audit.record)")

    def update(self, **kwargs: Any) -> int:
        raise self._refuse("update()")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise self._refuse("delete()")

    def _raw_delete(self, using: Any) -> int:
        raise self._refuse("delete()")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[AuditEntry]:
        raise self._refuse("bulk_create()")

    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        raise self._refuse("bulk_update()")

    def create(self, **kwargs: Any) -> AuditEntry:
        raise self._refuse("create()")


class AuditEntry(models.Model):
    """One append-only audit record, written only by `core.audit.record` (inside
    `appending()`); saving it any other way, saving it again, or deleting it raises
    `AuditLogIsAppendOnly`, and so does every bulk write of its manager."""

    chain = models.BigIntegerField(_("체인"))
    seq = models.BigIntegerField(_("순번"))
    created_at = models.DateTimeField(_("시각"))
    institution = models.ForeignKey(
        "institutions.Institution", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # PROTECT: the actor's id is part of the entry's hash, so a user who acted is deactivated,
    # never deleted (deleting would rewrite the entry and break the chain).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("행위자"), max_length=200)
    action = models.CharField(_("행위"), max_length=100)
    target_type = models.CharField(_("대상 종류"), max_length=100, blank=True)
    target_id = models.CharField(_("대상 ID"), max_length=64, blank=True)
    target_label = models.CharField(_("대상"), max_length=300, blank=True)
    changes = models.JSONField(_("변경 내용"), default=dict, blank=True)
    reason = models.TextField(_("사유"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("감사 기록")
        verbose_name_plural = _("감사 기록")
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique")]
        indexes = [
            models.Index(fields=["target_type", "target_id", "seq"], name="audit_target_idx"),
            models.Index(fields=["institution", "-created_at"], name="audit_inst_time_idx"),
        ]
        ordering = ["chain", "seq"]

    def __str__(self) -> str:
        return f"{self.chain}:{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not _APPENDING.get() or not self._state.adding or self.pk is not None:
            raise AuditLogIsAppendOnly("audit entries are append-only: save() refused (use core.audit.record)")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("audit entries are append-only: delete() refused")


class Deadline(models.Model):
    """A due date on any case, counted in working days (see core.deadlines)."""

    institution = models.ForeignKey("institutions.Institution", on_delete=models.CASCADE, related_name="deadlines")
    unit = models.ForeignKey(
        "institutions.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("담당 부서"),
    )
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(_("기한 종류"), max_length=60)
    label = models.CharField(_("건명"), max_length=300)
    url = models.CharField(_("건 주소"), max_length=300, blank=True)
    starts_on = models.DateField(_("기산일"))
    working_days = models.PositiveSmallIntegerField(_("처리기한(근무일)"))
    due_on = models.DateField(_("기한"))
    extension_days = models.PositiveSmallIntegerField(_("연장 근무일"), default=0)
    extension_count = models.PositiveSmallIntegerField(_("연장 횟수"), default=0)
    extension_reason = models.TextField(_("연장 사유"), blank=True)
    #: every extension, oldest first: {"at", "by", "working_days", "due_before", "due_after", "reason"}
    extensions = models.JSONField(_("연장 이력"), default=list, blank=True)
    reminded_at = models.DateTimeField(_("사전 알림 시각"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(_("기한 경과 알림 시각"), null=True, blank=True)
    closed_at = models.DateTimeField(_("완료 시각"), null=True, blank=True)
    closed_late = models.BooleanField(_("기한 후 완료"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("처리기한")
        verbose_name_plural = _("처리기한")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "kind"], name="deadline_target_kind_unique")
        ]
        indexes = [
            models.Index(fields=["institution", "closed_at", "due_on"], name="deadline_open_due_idx"),
            models.Index(fields=["closed_at", "due_on"], name="deadline_due_idx"),
            # the dashboards' "overdue" of each module: the period's deadlines of one kind
            models.Index(fields=["kind", "due_on"], name="deadline_kind_due_idx"),
            # the same for one institution's dashboard (oversight.expressions.missed), read
            # from the index alone
            models.Index(
                fields=["kind", "institution", "due_on"],
                include=["content_type", "object_id", "closed_at", "closed_late"],
                name="deadline_kind_inst_due_idx",
            ),
        ]

    target = GenericForeignKey("content_type", "object_id")

    def __str__(self) -> str:
        return f"{self.label} ~ {self.due_on}"

    # What the deadline partial shows (core/deadline.html); counted by core.deadlines.
    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.closed_at is None and timezone.localdate() > self.due_on

    @property
    def remaining_working_days(self) -> int:
        """Working days from today to the due date (negative once it has passed)."""
        from django.utils import timezone

        from core.deadlines import working_days_between

        return working_days_between(timezone.localdate(), self.due_on)

    @property
    def overdue_working_days(self) -> int:
        return max(-self.remaining_working_days, 0)

    @property
    def overdue_calendar_days(self) -> int:
        from django.utils import timezone

        return max((timezone.localdate() - self.due_on).days, 0)

    @property
    def skipped_holidays(self) -> list[tuple[datetime.date, str]]:
        from core.deadlines import skipped_holidays

        return skipped_holidays(self.starts_on, self.due_on)

    @property
    def kind_label(self) -> str:
        from core.deadlines import kind_label

        return kind_label(self.kind)

    @property
    def extension_history(self) -> list[dict[str, Any]]:
        history: list[dict[str, Any]] = []
        for item in self.extensions or []:
            row = dict(item)
            for key in ("due_before", "due_after"):
                row[key] = datetime.date.fromisoformat(row[key]) if row.get(key) else None
            row["at"] = datetime.datetime.fromisoformat(row["at"]) if row.get("at") else None
            history.append(row)
        return history


class Notification(models.Model):
    """An in-app notification (the bell); e-mail is sent from it by a background task."""

    class Email(models.TextChoices):
        PENDING = "pending", _("발송 대기")
        SENT = "sent", _("발송")
        SKIPPED = "skipped", _("발송 안 함")
        FAILED = "failed", _("발송 실패")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    institution = models.ForeignKey(
        "institutions.Institution", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("제목"), max_length=200)
    body = models.TextField(_("내용"), blank=True)
    url = models.CharField(_("주소"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("시각"), auto_now_add=True)
    read_at = models.DateTimeField(_("읽은 시각"), null=True, blank=True)
    email_status = models.CharField(max_length=10, choices=Email.choices, default=Email.PENDING)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("알림")
        verbose_name_plural = _("알림")
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notif_recipient_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_time_idx"),
            models.Index(fields=["email_status", "created_at"], name="notif_email_idx"),
        ]

    def __str__(self) -> str:
        return self.title


def attachment_path(instance: Attachment, filename: str) -> str:
    import uuid

    from django.utils import timezone

    now = timezone.now()
    return f"attachments/{instance.institution_id or 0}/{now:%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to any case. Served only through a permission-checked view."""

    institution = models.ForeignKey(
        "institutions.Institution", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    purpose = models.CharField(_("용도"), max_length=40, blank=True)
    file = models.FileField(_("원본 파일"), upload_to=attachment_path, max_length=300)
    clean_file = models.FileField(
        _("메타데이터 제거본"), upload_to=attachment_path, max_length=300, null=True, blank=True
    )
    filename = models.CharField(_("파일명"), max_length=255)
    mime_type = models.CharField(_("파일 형식"), max_length=100)
    size = models.PositiveBigIntegerField(_("크기(바이트)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("등록 시각"), auto_now_add=True)

    class Meta:
        verbose_name = _("첨부파일")
        verbose_name_plural = _("첨부파일")
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_target_idx")]

    target = GenericForeignKey("content_type", "object_id")

    def __str__(self) -> str:
        return self.filename


class ImportJob(models.Model):
    """A bulk import from XLSX/CSV: checked (previewed) by a background task first, then run
    by another once the user starts it."""

    class Status(models.TextChoices):
        PREVIEWING = "previewing", _("검사 중")
        PREVIEWED = "previewed", _("미리보기 완료")
        QUEUED = "queued", _("대기 중")
        RUNNING = "running", _("가져오는 중")
        DONE = "done", _("완료")
        FAILED = "failed", _("실패")
        CANCELLED = "cancelled", pgettext_lazy("status", "취소")

    class Mode(models.TextChoices):
        VALID_ROWS = "valid_rows", _("올바른 행만 저장하고 오류 행은 보고")
        ALL_OR_NOTHING = "all_or_nothing", _("오류가 하나라도 있으면 아무것도 저장하지 않음")

    institution = models.ForeignKey("institutions.Institution", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("가져올 자료"), max_length=30)
    file = models.FileField(upload_to="imports/%Y/%m/", max_length=300)
    filename = models.CharField(_("파일명"), max_length=255)
    mode = models.CharField(_("저장 방식"), max_length=20, choices=Mode.choices, default=Mode.VALID_ROWS)
    status = models.CharField(_("상태"), max_length=12, choices=Status.choices, default=Status.PREVIEWING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    saved_rows = models.PositiveIntegerField(default=0)
    rejected_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("일괄 가져오기")
        verbose_name_plural = _("일괄 가져오기")
        indexes = [models.Index(fields=["institution", "kind", "-created_at"], name="importjob_inst_idx")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename}"  # also the label of its audit entries

    @property
    def percent(self) -> int:
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0


class NumberSequence(models.Model):
    """The last number given in one series of documents of an institution in one year
    (opinions, decisions, ...). Used only through `core.numbering.next_number`."""

    institution = models.ForeignKey("institutions.Institution", on_delete=models.CASCADE, related_name="+")
    series = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["institution", "series", "year"], name="numbersequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id}/{self.series}/{self.year}: {self.last}"
