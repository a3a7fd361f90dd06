"""Forms of the action plan's office pages. The services decide; the forms only read input
(and keep it when something is refused)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from institutions.models import Unit
from plans.models import Area
from plans.services_plan import MAX_BUDGET, MAX_REASON, MAX_SUMMARY, MAX_TITLE


class PlanFilterForm(forms.Form):
    year = forms.IntegerField(label=_("연도"), required=False, min_value=2000, max_value=2100)


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("연도"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("계획 이름"), max_length=MAX_TITLE)


class VersionForm(forms.Form):
    summary = forms.CharField(
        label=_("추진 방향"),
        required=False,
        max_length=MAX_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    change_reason = forms.CharField(
        label=_("변경 사유"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("승인된 계획을 무엇 때문에 바꾸는지 적습니다."),
    )

    def __init__(self, *args: Any, first: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if first:
            del self.fields["change_reason"]


class TaskForm(forms.Form):
    area = forms.ChoiceField(label=_("분야"), choices=[("", _("선택")), *Area.choices])
    title = forms.CharField(label=_("핵심 과제"), max_length=MAX_TITLE)
    owner_unit = forms.ModelChoiceField(label=_("담당 부서"), queryset=Unit.objects.none())
    indicator = forms.CharField(label=_("성과 지표"), max_length=MAX_TITLE)
    target = forms.CharField(label=_("목표"), max_length=MAX_TITLE)
    quarters = forms.CharField(
        label=_("추진 분기"),
        max_length=10,
        help_text=_("추진하는 분기를 숫자로 적습니다. 예: 1234(연중), 34(하반기)."),
    )
    budget = forms.IntegerField(label=_("예산(원)"), required=False, min_value=0, max_value=MAX_BUDGET)

    def __init__(self, *args: Any, institution_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner_unit"]
        field.queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            institution_id=institution_id, is_active=True
        ).order_by("name", "pk")

    @staticmethod
    def initial_for(task: Any) -> dict[str, Any]:
        return {
            "area": task.area,
            "title": task.title,
            "owner_unit": task.owner_unit_id,
            "indicator": task.indicator,
            "target": task.target,
            "quarters": task.quarters,
            "budget": task.budget,
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("사유"), max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 3}))
