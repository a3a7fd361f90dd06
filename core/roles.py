"""The roles of DOMAIN.md §2, assigned per institution (optionally per unit)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICIAL = "official", _("공무원")
    DEPT_HEAD = "dept_head", _("부서장")
    AA_OFFICER = "aa_officer", _("적극행정 책임관(감사관)")
    AUDIT_STAFF = "audit_staff", _("감사부서 직원")
    PROTECTION_OFFICER = "protection_officer", _("적극행정 보호관")
    COMMITTEE_SECRETARY = "committee_secretary", _("위원회 간사")
    COMMITTEE_MEMBER = "committee_member", _("위원회 위원")
    HR_OFFICER = "hr_officer", _("인사 담당자")
    HEAD = "head", _("기관장")
    SUPERVISOR = "supervisor", _("상급(감독)기관 담당자")
    ADMIN = "admin", _("시스템 관리자")


#: Roles that are designations an administrator records for a named person.
DESIGNATIONS = frozenset({Role.AA_OFFICER, Role.PROTECTION_OFFICER})

#: The audit side of the institution (runs pre-consultation, reports, exemptions).
AUDIT_ROLES = frozenset({Role.AA_OFFICER, Role.AUDIT_STAFF})
