"""Active administration training (적극행정 교육, DOMAIN.md §13; ADR 0023).

An institution's `Course`s (mandatory or not; for all staff, or the basic course of new or
of newly promoted officials) are held in `Session`s; people are enrolled in a session
(`Enrolment`: enrolled → completed or cancelled, plans in training/workflow.py). What
counts is the `Completion`: one per person, course and date, made when an enrolment is
completed, recorded by hand, or imported from a spreadsheet. Compliance (the share of
current staff who completed the year's mandatory hours) is computed from completions only
(training/selectors_compliance.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel

HOURS_DIGITS = 5
HOURS_PLACES = 1


class Course(TimeStampedModel):
    class Mode(models.TextChoices):
        ONLINE = "online", pgettext_lazy("training mode", "온라인")
        CLASSROOM = "classroom", pgettext_lazy("training mode", "집합")

    class Audience(models.TextChoices):
        ALL = "all", _("전 직원")
        NEW_OFFICIALS = "new_officials", _("신규 공무원 기본교육")
        PROMOTED = "promoted", _("승진자 기본교육")

    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("기관"), on_delete=models.PROTECT, related_name="training_courses"
    )
    #: an optional short code the completion import may name the course by
    code = models.CharField(_("과정 코드"), max_length=30, blank=True)
    title = models.CharField(_("과정명"), max_length=200)
    provider = models.CharField(_("교육 기관"), max_length=200, blank=True)
    hours = models.DecimalField(_("교육 시간"), max_digits=HOURS_DIGITS, decimal_places=HOURS_PLACES)
    mode = models.CharField(_("교육 방식"), max_length=10, choices=Mode.choices, default=Mode.CLASSROOM)
    mandatory = models.BooleanField(_("의무 교육"), default=False)
    audience = models.CharField(_("교육 대상"), max_length=20, choices=Audience.choices, default=Audience.ALL)
    description = models.TextField(_("과정 소개"), blank=True)
    is_active = models.BooleanField(_("운영 중"), default=True)

    class Meta:
        verbose_name = _("교육 과정")
        verbose_name_plural = _("교육 과정")
        ordering = ["institution", "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "title"], name="training_course_title_unique"),
            models.UniqueConstraint(
                fields=["institution", "code"], condition=~Q(code=""), name="training_course_code_unique"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_course_hours_positive"),
        ]
        indexes = [
            models.Index(fields=["institution", "is_active", "title"], name="training_course_active_idx"),
            models.Index(fields=["institution", "mandatory", "audience"], name="training_course_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:course", args=[self.pk])


class Session(TimeStampedModel):
    """One running of a course (a classroom class or an online opening), on some days."""

    course = models.ForeignKey(Course, verbose_name=_("교육 과정"), on_delete=models.PROTECT, related_name="sessions")
    #: the course's institution (kept here for the institution's calendar of sessions)
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("기관"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("시작일"))
    ends_on = models.DateField(_("종료일"))
    place = models.CharField(_("장소"), max_length=200, blank=True)
    link = models.URLField(_("온라인 주소"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("정원"), null=True, blank=True)

    class Meta:
        verbose_name = _("교육 일정")
        verbose_name_plural = _("교육 일정")
        ordering = ["course", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="training_session_dates"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0), name="training_session_capacity"
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "ends_on", "starts_on"], name="training_session_open_idx"),
            models.Index(fields=["course", "starts_on"], name="training_session_course_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.starts_on:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("training:session", args=[self.pk])


class Enrolment(TimeStampedModel):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", pgettext_lazy("enrolment status", "수강 신청")
        COMPLETED = "completed", pgettext_lazy("enrolment status", "이수")
        CANCELLED = "cancelled", pgettext_lazy("enrolment status", "취소")

    session = models.ForeignKey(
        Session, verbose_name=_("교육 일정"), on_delete=models.PROTECT, related_name="enrolments"
    )
    person = models.ForeignKey(
        "institutions.Person", verbose_name=_("직원"), on_delete=models.PROTECT, related_name="training_enrolments"
    )
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("기관"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.ENROLLED)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("수강 신청")
        verbose_name_plural = _("수강 신청")
        ordering = ["session", "pk"]
        constraints = [
            # one row per person and session: a cancelled enrolment is enrolled again, not doubled
            models.UniqueConstraint(fields=["session", "person"], name="training_enrolment_unique"),
        ]
        indexes = [
            models.Index(fields=["session", "status"], name="training_enrol_session_idx"),
            models.Index(fields=["person", "status"], name="training_enrol_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.session}"

    def get_absolute_url(self) -> str:
        return reverse("training:session", args=[self.session_id])


class Completion(TimeStampedModel):
    """A person completed a course on a date (for so many hours): the record compliance is
    counted from. One per person, course and date, whatever its source."""

    class Source(models.TextChoices):
        ENROLMENT = "enrolment", _("교육 일정 이수")
        MANUAL = "manual", _("직접 입력")
        IMPORTED = "imported", _("파일 가져오기")

    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("기관"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "institutions.Person", verbose_name=_("직원"), on_delete=models.PROTECT, related_name="training_completions"
    )
    course = models.ForeignKey(
        Course, verbose_name=_("교육 과정"), on_delete=models.PROTECT, related_name="completions"
    )
    completed_on = models.DateField(_("이수일"))
    hours = models.DecimalField(_("이수 시간"), max_digits=HOURS_DIGITS, decimal_places=HOURS_PLACES)
    source = models.CharField(_("기록 경로"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    enrolment = models.OneToOneField(
        Enrolment,
        verbose_name=_("수강 신청"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="completion",
    )
    note = models.CharField(_("비고"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("교육 이수")
        verbose_name_plural = _("교육 이수")
        ordering = ["-completed_on", "pk"]
        constraints = [
            # a re-import, a second click or a completion recorded twice never doubles the hours
            models.UniqueConstraint(fields=["person", "course", "completed_on"], name="training_completion_unique"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_completion_hours_positive"),
        ]
        indexes = [
            models.Index(fields=["institution", "completed_on"], name="training_compl_inst_idx"),
            models.Index(fields=["person", "completed_on"], name="training_compl_person_idx"),
            models.Index(fields=["course", "completed_on"], name="training_compl_course_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.course} ({self.completed_on:%Y-%m-%d})"


class ReminderRun(TimeStampedModel):
    """One sending of the compliance reminders of an institution: by a manager's button, or
    the monthly one (at most one a month: the periodic task may run any number of times)."""

    class Kind(models.TextChoices):
        MANUAL = "manual", _("담당자 발송")
        MONTHLY = "monthly", _("월간 자동 발송")

    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("기관"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("발송 구분"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("연도"))
    #: the month of a monthly run (0 for a manual one)
    month = models.PositiveSmallIntegerField(_("월"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    people = models.PositiveIntegerField(_("알림 받은 직원 수"), default=0)
    heads = models.PositiveIntegerField(_("알림 받은 부서장 수"), default=0)
    finished_at = models.DateTimeField(_("발송 완료 시각"), null=True, blank=True)

    class Meta:
        verbose_name = _("교육 독려 알림 발송")
        verbose_name_plural = _("교육 독려 알림 발송")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year", "month"],
                condition=Q(kind="monthly"),
                name="training_reminder_monthly_unique",
            ),
        ]
        indexes = [models.Index(fields=["institution", "-created_at"], name="training_reminder_inst_idx")]

    def __str__(self) -> str:
        return f"{self.institution} · {self.get_kind_display()} · {self.created_at:%Y-%m-%d}"


class TrainingTally(models.Model):
    """An institution's training figures for a period (a year, half or quarter key as in
    oversight/period.py), kept so that the dashboards and the supervising body's comparison of
    a thousand institutions read one row each instead of counting every official's completions
    (issues 7 and 8; ADR 0030). Derived data, never edited: training/tallies.py writes it.

    `staff` and `compliant` are the compliance of the period's year (current staff whose
    mandatory hours of that year reach the minimum); the completion counts are the period's.
    A tally is current when `seen == generation`. Every audited change that can move the
    figures (people, completions, courses, the policy, imports, seeds) raises `generation` in
    its own transaction and again once committed; a refresh reads the generation first, counts,
    and stores the figures with the generation it read, so a change that lands while it counts
    leaves the tally stale, never wrong."""

    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("기관"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(_("기간"), max_length=8)
    staff = models.PositiveIntegerField(_("현원"), default=0)
    compliant = models.PositiveIntegerField(_("연간 의무교육 이수자"), default=0)
    completions = models.PositiveIntegerField(_("교육 이수"), default=0)
    mandatory_completions = models.PositiveIntegerField(_("의무교육 이수"), default=0)
    people = models.PositiveIntegerField(_("이수한 직원 수"), default=0)
    generation = models.PositiveBigIntegerField(default=1)
    seen = models.PositiveBigIntegerField(default=0)
    computed_at = models.DateTimeField(_("계산 시각"), null=True, blank=True)

    class Meta:
        verbose_name = _("교육 집계")
        verbose_name_plural = _("교육 집계")
        constraints = [
            models.UniqueConstraint(fields=["institution", "period"], name="training_tally_unique"),
        ]
        indexes = [models.Index(fields=["period", "institution"], name="training_tally_period_idx")]

    def __str__(self) -> str:
        return f"{self.institution_id} · {self.period}"

    @property
    def current(self) -> bool:
        return self.seen == self.generation
