"""Forms of the progress pages: filing a report, reviewing or returning it, and the filters
of the lists. The services decide; the forms only read input (and keep it on an error)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import MultipleFileField
from institutions.models import Unit
from plans.models import ProgressReport
from plans.selectors_progress import LATE, OVERDUE
from plans.services_progress import PERCENT_MAX, PERCENT_MIN
from portal.public import MAX_TEXT

PERCENT_ERROR = _("추진율은 0에서 100 사이의 정수로 입력해 주십시오.")
PERIOD_CHOICES = [("", _("전체")), ("1", _("1분기")), ("2", _("2분기")), ("3", _("3분기")), ("4", _("4분기"))]
STATUS_CHOICES = [
    ("", _("전체")),
    *ProgressReport.Status.choices,
    (OVERDUE, _("기한 경과(미제출)")),
    (LATE, _("기한 후 제출")),
]


class SubmitForm(forms.Form):
    percent = forms.IntegerField(
        label=_("추진율(%)"),
        min_value=PERCENT_MIN,
        max_value=PERCENT_MAX,
        help_text=_("0에서 100 사이의 정수"),
        error_messages={
            "required": _("추진율을 입력해 주십시오."),
            "invalid": PERCENT_ERROR,
            "min_value": PERCENT_ERROR,
            "max_value": PERCENT_ERROR,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    narrative = forms.CharField(
        label=_("추진 실적"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("이번 기간에 한 일과 성과 지표의 실적을 적어 주십시오."),
        error_messages={"required": _("추진 실적을 입력해 주십시오.")},
    )
    attachments = MultipleFileField(label=_("증빙 파일(선택, 5개까지)"))


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("검토 의견(선택)"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("보완 요구 사항"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("보완할 내용을 입력해 주십시오.")},
    )


class FilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("연도"), required=False, coerce=int, empty_value=None, choices=())
    period = forms.TypedChoiceField(
        label=_("점검 분기"), required=False, coerce=int, empty_value=None, choices=PERIOD_CHOICES
    )
    status = forms.ChoiceField(label=_("상태"), required=False, choices=STATUS_CHOICES)
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("담당 부서"), required=False, queryset=Unit.objects.none(), empty_label=_("전체")
    )

    def __init__(self, *args: Any, years: list[int], institution_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(str(y), _("%(y)d년") % {"y": y}) for y in years]  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            institution_id=institution_id or 0
        ).order_by("name")


class MineFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("상태"), required=False, choices=STATUS_CHOICES)
