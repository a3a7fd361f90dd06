"""The valid ranges of an institution's policy settings, grouped as the edit page shows them.

One place for the rules: `institutions.services.policy_update` refuses values that break
them, and the edit page shows each message next to its field (or, for a rule across a
group such as the weights, at the top of the group).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from institutions.models import Policy

#: Group-level error keys (rules across several fields).
WEIGHTS = "weights"
#: the earliest day `training_flags_from` takes (it may be empty: the institution's creation)
FLAGS_FROM_MIN = datetime.date(2000, 1, 1)


@dataclass(frozen=True)
class Group:
    key: str
    title: Promise
    help: Promise
    fields: tuple[str, ...]


WEIGHT_FIELDS = ("weight_public_interest", "weight_creativity", "weight_proactiveness", "weight_act_itself")

GROUPS: tuple[Group, ...] = (
    Group(
        "deadlines",
        _("처리기한"),
        _(
            "사전컨설팅·소극행정 신고·국민신청의 처리기한은 토요일·일요일과 공휴일을 뺀 근무일로 셉니다. "
            "기한은 1~60 근무일, 연장은 0~60 근무일(0은 연장 없음)입니다."
        ),
        (
            "consultation_days",
            "consultation_extension_days",
            "report_days",
            "report_extension_days",
            "application_days",
            "audit_opinion_days",
            "exemption_filing_window_days",
            "exemption_report_days_after_quarter",
            "reminder_days_before",
        ),
    ),
    Group(
        "committee",
        _("적극행정위원회"),
        _(
            "위원회는 위원장을 포함해 9명 이상 45명 이하로 구성하고 민간위원이 절반(50%) 이상이어야 합니다. "
            "회의마다 위원장 외 8명 이상을 위원 명단에서 지명합니다. 민간위원 임기와 연임 한도는 기관이 정합니다."
        ),
        (
            "committee_min_members",
            "committee_max_members",
            "committee_external_min_percent",
            "meeting_min_selected",
            "external_term_years",
            "external_max_renewals",
            "written_deliberation_allowed",
        ),
    ),
    Group(
        "rewards",
        _("우수공무원 선발"),
        _("평가 기준(공익성, 창의성·전문성, 적극성, 행위 자체) 네 항목의 가중치 합은 100이어야 합니다."),
        ("selection_frequency", *WEIGHT_FIELDS),
    ),
    Group(
        "protection",
        _("보호·소송지원"),
        _("소송비용 지원 한도(원)입니다. 건당 한도는 연간 한도를 넘을 수 없습니다."),
        ("support_per_case_limit", "support_yearly_limit"),
    ),
    Group(
        "plan",
        _("실행계획·점검·교육"),
        _(
            "기관장이 연간 실행계획을 승인해야 하는 날짜, 이행 점검 주기, 연간 의무교육 시간입니다. "
            "신규 임용자와 승진자는 기준일 이후에 임용·승진한 사람만, 기간과 관계없이 기본교육을 이수할 때까지 "
            "미이수자로 표시합니다."
        ),
        (
            "check_frequency",
            "plan_due_month",
            "plan_due_day",
            "evaluation_effort_weight",
            "training_min_hours",
            "training_flags_from",
        ),
    ),
    Group(
        "privacy",
        _("개인정보·보안"),
        _(
            "국민추천 추천인과 이름을 밝힌 소극행정 신고인의 개인정보(성명·연락처)는 정한 기간(30~3650일)이 "
            "지나면 지웁니다. 추천은 결정한 날, 신고는 종결한 날부터 셉니다. 2단계 인증을 의무로 하면 "
            "직원은 로그인할 때마다 인증 앱의 코드를 입력해야 합니다."
        ),
        ("recommender_retention_days", "reporter_retention_days", "require_2fa"),
    ),
)

FIELDS: tuple[str, ...] = tuple(name for group in GROUPS for name in group.fields)

RANGES: dict[str, tuple[int, int]] = {
    "consultation_days": (1, 60),
    "consultation_extension_days": (0, 60),
    "report_days": (1, 60),
    "report_extension_days": (0, 60),
    "application_days": (1, 60),
    "audit_opinion_days": (1, 60),
    "exemption_filing_window_days": (1, 365),
    "exemption_report_days_after_quarter": (1, 60),
    "reminder_days_before": (0, 20),
    "committee_min_members": (9, 45),
    "committee_max_members": (9, 45),
    "committee_external_min_percent": (50, 100),
    "meeting_min_selected": (8, 44),
    "external_term_years": (1, 5),
    "external_max_renewals": (0, 10),
    "weight_public_interest": (0, 100),
    "weight_creativity": (0, 100),
    "weight_proactiveness": (0, 100),
    "weight_act_itself": (0, 100),
    "support_per_case_limit": (0, 10_000_000_000),
    "support_yearly_limit": (0, 10_000_000_000),
    "plan_due_month": (1, 12),
    "plan_due_day": (1, 31),
    "evaluation_effort_weight": (0, 100),
    "training_min_hours": (1, 100),
    "recommender_retention_days": (30, 3650),
    "reporter_retention_days": (30, 3650),
}


class PolicyInvalid(DomainError):
    """Several policy values break their rules at once; `errors` maps field (or group) to message."""

    def __init__(self, errors: dict[str, Promise | str]) -> None:
        first_field, first_message = next(iter(errors.items()))
        super().__init__(first_message, field=first_field)
        self.errors = errors


def validate(values: Mapping[str, Any]) -> dict[str, Promise | str]:
    """Every broken rule as {field or group key: message}; empty when the values are valid."""
    errors: dict[str, Promise | str] = {}
    for name, (low, high) in RANGES.items():
        value = values.get(name)
        if value is None:
            if name != "external_max_renewals":
                errors[name] = _("값을 입력해 주십시오.")
            continue
        if not isinstance(value, int) or not low <= value <= high:
            errors[name] = _("%(low)s 이상 %(high)s 이하로 입력해 주십시오.") % {"low": low, "high": high}

    def ok(*names: str) -> bool:
        return all(n not in errors and isinstance(values.get(n), int) for n in names)

    if ok("committee_min_members", "committee_max_members") and (
        values["committee_max_members"] < values["committee_min_members"]
    ):
        errors["committee_max_members"] = _("최대 인원은 최소 인원(%(min)s명)보다 적을 수 없습니다.") % {
            "min": values["committee_min_members"]
        }
    if ok("meeting_min_selected", "committee_max_members") and (
        values["meeting_min_selected"] > values["committee_max_members"] - 1
    ):
        errors["meeting_min_selected"] = _("위원장을 뺀 최대 인원(%(n)s명)을 넘을 수 없습니다.") % {
            "n": values["committee_max_members"] - 1
        }
    if ok(*WEIGHT_FIELDS):
        total = sum(values[n] for n in WEIGHT_FIELDS)
        if total != 100:
            errors[WEIGHTS] = _("가중치 네 항목의 합이 100이어야 합니다(지금 합계 %(total)s).") % {"total": total}
    if ok("support_per_case_limit", "support_yearly_limit") and (
        values["support_per_case_limit"] > values["support_yearly_limit"]
    ):
        errors["support_per_case_limit"] = _("건당 한도는 연간 한도를 넘을 수 없습니다.")
    if ok("plan_due_month", "plan_due_day"):
        last = calendar.monthrange(2025, values["plan_due_month"])[1]  # a common year: valid every year
        if values["plan_due_day"] > last:
            errors["plan_due_day"] = _("%(month)s월에는 %(last)s일까지만 있습니다.") % {
                "month": values["plan_due_month"],
                "last": last,
            }
    choices = {
        "selection_frequency": Policy.SelectionFrequency.values,
        "check_frequency": Policy.CheckFrequency.values,
    }
    for name, allowed in choices.items():
        if values.get(name) not in allowed:
            errors[name] = _("목록에서 선택해 주십시오.")
    for name in ("written_deliberation_allowed", "require_2fa"):
        if not isinstance(values.get(name), bool):
            errors[name] = _("예 또는 아니요를 선택해 주십시오.")
    flags_from = values.get("training_flags_from")
    if flags_from is not None and (
        not isinstance(flags_from, datetime.date)
        or isinstance(flags_from, datetime.datetime)
        or not FLAGS_FROM_MIN <= flags_from <= timezone.localdate()
    ):
        errors["training_flags_from"] = _("%(min)s부터 오늘까지의 날짜를 입력하거나 비워 두십시오.") % {
            "min": FLAGS_FROM_MIN.isoformat()
        }
    return errors
