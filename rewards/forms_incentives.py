"""Forms of the incentive pages: planning, carrying out and cancelling an incentive, and
recording a commendation. The services decide; the forms only read input (and keep it on
an error)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import MultipleFileField
from core.notifications import users_with_roles
from core.roles import Role
from portal.public import MAX_SHORT, MAX_TEXT
from rewards.models import Commendation, Incentive

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IncentiveFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("상태"), required=False, choices=[("", _("전체")), *Incentive.Status.choices])
    q = forms.CharField(
        label=_("검색어"), required=False, max_length=100, help_text=_("이름, 공무원 번호, 근거 문서번호에서 찾습니다.")
    )
    overdue = forms.BooleanField(label=_("기한 지난 건만"), required=False)


class PlanForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("인센티브"),
        choices=Incentive.Kind.choices,
        help_text=_(
            "특별승진·특별승급·성과급 최고등급·근무성적평정 가점·승진소요 최저연수 단축이 주요 인사 인센티브입니다."
        ),
    )
    due_on = forms.DateField(label=_("시행 기한"), widget=DATE)
    responsible: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("시행 담당자(인사 담당)"),
        queryset=None,
        required=False,
        empty_label=_("지정하지 않음(인사 담당 전원에게 알림)"),
    )
    detail = forms.CharField(label=_("내용"), required=False, max_length=200)

    def __init__(self, *args: Any, institution_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = users_with_roles(  # type: ignore[attr-defined]
            institution_id, Role.HR_OFFICER
        ).select_related("person")


class ExecuteForm(forms.Form):
    executed_on = forms.DateField(label=_("시행일"), widget=DATE)
    reference = forms.CharField(label=_("근거 문서번호(인사발령 등)"), max_length=100)
    note = forms.CharField(
        label=_("비고"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = MultipleFileField(label=_("증빙 파일(선택, 5개까지)"))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("취소 사유"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}))


class CommendationForm(forms.Form):
    employee_number = forms.CharField(
        label=_("공무원 번호"), max_length=MAX_SHORT, help_text=_("포상을 받은 공무원의 공무원 번호(사번)입니다.")
    )
    level = forms.ChoiceField(
        label=_("훈격"),
        choices=Commendation.Level.choices,
        help_text=_("국무총리 표창 이상이면 특별승진 대상으로 등록되어 인사 담당이 90일 안에 조치합니다."),
    )
    title = forms.CharField(label=_("포상 명칭"), max_length=200)
    awarded_on = forms.DateField(label=_("수여일"), widget=DATE)
    reference = forms.CharField(label=_("근거 문서번호"), required=False, max_length=100)
