"""Institutions, their organisational units, people, role assignments and policy."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.roles import Role


class Institution(TimeStampedModel):
    class Kind(models.TextChoices):
        NATIONAL = "national", _("중앙(감독)기관")
        MINISTRY = "ministry", _("중앙행정기관")
        AGENCY = "agency", _("소속·산하기관")
        PROVINCE = "province", _("광역자치단체")
        CITY = "city", _("기초자치단체(시·군)")
        DISTRICT = "district", _("자치구")
        PUBLIC_BODY = "public_body", _("공공기관")

    code = models.CharField(_("기관 코드"), max_length=20, unique=True)
    name = models.CharField(_("기관명"), max_length=200)
    name_en = models.CharField(_("영문 기관명"), max_length=200, blank=True)
    kind = models.CharField(_("기관 유형"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("상급(감독)기관"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("사용"), default=True)

    class Meta:
        verbose_name = _("기관")
        verbose_name_plural = _("기관")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["parent", "name"], name="inst_parent_name_idx"),
            models.Index(fields=["is_active", "name"], name="inst_active_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def descendant_ids(self) -> list[int]:
        """Ids of every institution below this one (breadth-first, one query a level)."""
        found: list[int] = []
        frontier = [self.pk]
        while frontier:
            frontier = list(Institution.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            found.extend(frontier)
        return found


class Unit(TimeStampedModel):
    class Kind(models.TextChoices):
        BUREAU = "bureau", _("국")
        DIVISION = "division", _("과")
        TEAM = "team", _("팀")
        OFFICE = "office", _("실·담당관")
        OTHER = "other", _("기타")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", verbose_name=_("상위 부서"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField(_("부서 코드"), max_length=30)
    name = models.CharField(_("부서명"), max_length=200)
    name_en = models.CharField(_("영문 부서명"), max_length=200, blank=True)
    kind = models.CharField(_("부서 유형"), max_length=20, choices=Kind.choices, default=Kind.DIVISION)
    is_audit_unit = models.BooleanField(_("감사부서"), default=False)
    is_active = models.BooleanField(_("사용"), default=True)

    class Meta:
        verbose_name = _("부서")
        verbose_name_plural = _("부서")
        ordering = ["institution", "code"]
        constraints = [models.UniqueConstraint(fields=["institution", "code"], name="unit_inst_code_unique")]
        indexes = [models.Index(fields=["institution", "parent"], name="unit_inst_parent_idx")]

    def __str__(self) -> str:
        return self.name


class Person(TimeStampedModel):
    """A person of the institution. Many never log in; they are still named in cases."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("재직")
        LEAVE = "leave", _("휴직")
        RETIRED = "retired", _("퇴직")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="people")
    unit = models.ForeignKey(
        Unit, verbose_name=_("부서"), null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    employee_number = models.CharField(_("직원번호"), max_length=30)
    name = models.CharField(_("성명"), max_length=100)
    grade = models.CharField(_("직급"), max_length=50, blank=True)
    position = models.CharField(_("직위"), max_length=100, blank=True)
    email = models.EmailField(_("전자우편"), blank=True)
    status = models.CharField(_("재직 상태"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    joined_on = models.DateField(_("임용일"), null=True, blank=True)
    promoted_on = models.DateField(_("최근 승진일"), null=True, blank=True)
    retired_on = models.DateField(_("퇴직일"), null=True, blank=True)

    class Meta:
        verbose_name = _("직원")
        verbose_name_plural = _("직원")
        ordering = ["institution", "name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "employee_number"], name="person_inst_empno_unique")
        ]
        indexes = [
            models.Index(fields=["institution", "unit", "status"], name="person_inst_unit_idx"),
            models.Index(fields=["institution", "name"], name="person_inst_name_idx"),
            models.Index(fields=["institution", "status", "name"], name="person_inst_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_number})"


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def active(self, on: datetime.date | None = None) -> RoleAssignmentQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class RoleAssignment(TimeStampedModel):
    """A role held by a user in an institution, optionally limited to one unit, for a period."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="role_assignments")
    unit = models.ForeignKey(
        Unit, verbose_name=_("부서"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("역할"), max_length=30, choices=Role.choices)
    starts_on = models.DateField(_("시작일"), default=timezone.localdate)
    ends_on = models.DateField(_("종료일"), null=True, blank=True)
    note = models.CharField(_("비고"), max_length=200, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("역할 지정")
        verbose_name_plural = _("역할 지정")
        indexes = [
            models.Index(fields=["user", "institution", "role"], name="role_user_inst_idx"),
            models.Index(fields=["institution", "role"], name="role_inst_role_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.institution}"


class Policy(TimeStampedModel):
    """An institution's policy settings, with the defaults of DOMAIN.md."""

    class SelectionFrequency(models.TextChoices):
        ANNUAL = "annual", _("연 1회")
        SEMIANNUAL = "semiannual", _("반기별")

    class CheckFrequency(models.TextChoices):
        QUARTERLY = "quarterly", _("분기별")
        SEMIANNUAL = "semiannual", _("반기별")
        ANNUAL = "annual", _("연 1회")

    institution = models.OneToOneField(Institution, on_delete=models.CASCADE, related_name="policy")
    # Deadlines (working days)
    consultation_days = models.PositiveSmallIntegerField(_("사전컨설팅 처리기한(근무일)"), default=10)
    consultation_extension_days = models.PositiveSmallIntegerField(_("사전컨설팅 연장 기간(근무일)"), default=10)
    report_days = models.PositiveSmallIntegerField(_("소극행정 신고 처리기한(근무일)"), default=14)
    report_extension_days = models.PositiveSmallIntegerField(_("소극행정 신고 연장 기간(근무일)"), default=14)
    application_days = models.PositiveSmallIntegerField(_("국민신청 처리기한(근무일)"), default=14)
    audit_opinion_days = models.PositiveSmallIntegerField(_("감사부서 의견 제출기한(일)"), default=10)
    exemption_filing_window_days = models.PositiveSmallIntegerField(_("면책 신청기간(감사 종료 후 일수)"), default=30)
    exemption_report_days_after_quarter = models.PositiveSmallIntegerField(
        _("면책 분기 보고기한(분기 종료 후 일수)"), default=10
    )
    reminder_days_before = models.PositiveSmallIntegerField(_("기한 사전 알림(근무일 전)"), default=2)
    # Committee
    committee_min_members = models.PositiveSmallIntegerField(_("위원회 최소 인원(위원장 포함)"), default=9)
    committee_max_members = models.PositiveSmallIntegerField(_("위원회 최대 인원(위원장 포함)"), default=45)
    committee_external_min_percent = models.PositiveSmallIntegerField(_("민간위원 최소 비율(%)"), default=50)
    meeting_min_selected = models.PositiveSmallIntegerField(_("회의별 최소 지명 위원 수(위원장 제외)"), default=8)
    external_term_years = models.PositiveSmallIntegerField(_("민간위원 임기(년)"), default=2)
    external_max_renewals = models.PositiveSmallIntegerField(
        _("민간위원 연임 횟수 한도"), null=True, blank=True, help_text=_("비워 두면 제한 없음")
    )
    written_deliberation_allowed = models.BooleanField(_("서면심의 허용"), default=False)
    # Rewards
    selection_frequency = models.CharField(
        _("우수공무원 선발 주기"), max_length=12, choices=SelectionFrequency.choices, default=SelectionFrequency.ANNUAL
    )
    weight_public_interest = models.PositiveSmallIntegerField(_("평가 가중치: 공익성"), default=25)
    weight_creativity = models.PositiveSmallIntegerField(_("평가 가중치: 창의성·전문성"), default=25)
    weight_proactiveness = models.PositiveSmallIntegerField(_("평가 가중치: 적극성"), default=25)
    weight_act_itself = models.PositiveSmallIntegerField(_("평가 가중치: 행위 자체"), default=25)
    # Protection (KRW)
    support_per_case_limit = models.PositiveBigIntegerField(_("소송지원 건당 한도(원)"), default=30_000_000)
    support_yearly_limit = models.PositiveBigIntegerField(_("소송지원 연간 한도(원)"), default=50_000_000)
    # Plan, checks, training
    check_frequency = models.CharField(
        _("점검 주기"), max_length=12, choices=CheckFrequency.choices, default=CheckFrequency.QUARTERLY
    )
    plan_due_month = models.PositiveSmallIntegerField(_("실행계획 승인 기한(월)"), default=2)
    plan_due_day = models.PositiveSmallIntegerField(_("실행계획 승인 기한(일)"), default=28)
    evaluation_effort_weight = models.PositiveSmallIntegerField(_("평가 노력 가중치(%)"), default=50)
    training_min_hours = models.PositiveSmallIntegerField(_("연간 의무교육 최소 시간"), default=1)
    #: new and newly promoted officials are flagged for their basic course when they joined or
    #: were promoted on or after this day (empty: the day the institution was created in the system)
    training_flags_from = models.DateField(
        _("기본교육 미이수 표시 기준일"),
        null=True,
        blank=True,
        help_text=_(
            "이날 이후에 임용·승진한 직원을 기본교육을 이수할 때까지 미이수자로 표시합니다. "
            "비워 두면 기관이 시스템에 등록된 날부터 셉니다."
        ),
    )
    # Privacy and security
    recommender_retention_days = models.PositiveIntegerField(_("추천인 개인정보 보관기간(일)"), default=1095)
    reporter_retention_days = models.PositiveIntegerField(_("소극행정 신고인 개인정보 보관기간(일)"), default=1095)
    require_2fa = models.BooleanField(_("직원 2단계 인증 의무"), default=False)

    class Meta:
        verbose_name = _("운영 정책")
        verbose_name_plural = _("운영 정책")

    def __str__(self) -> str:
        return f"{self.institution} policy"
