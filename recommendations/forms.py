"""Forms of the recommendation portal and the back office. Services make the decisions; the
forms only read input (and keep it on an error)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import MultipleFileField
from institutions.models import Institution, Person, Unit
from portal.public import MAX_SHORT, MAX_TEXT
from recommendations.models import Recommendation

#: What qualifies, and what does not (the start page and the form show these).
QUALIFIES = [
    _("낡은 규정이나 관행을 고쳐 많은 사람의 불편을 없앤 일. 예) 여러 번 가야 하던 인허가를 한 번에 끝내도록 바꿈."),
    _("규정이 불분명한 일을 적극적으로 해석해 해결한 일. 예) 선례가 없던 민원을 관계 기관과 협의해 기한 안에 해결함."),
    _("예산을 아끼거나 행정을 효율적으로 바꾼 일. 예) 중복되던 조사를 하나로 합쳐 비용과 시간을 줄임."),
]
NOT_ENOUGH = [
    _("친절하게 응대해 주었다, 인사를 잘 받아 주었다는 감사 인사"),
    _("맡은 일을 평소대로 처리해 준 것(정해진 기한 안의 통상적인 민원 처리)"),
]


class RecommendationForm(forms.Form):
    form_token = forms.CharField(label=_("작성 화면 확인값"), widget=forms.HiddenInput)
    institution = forms.ModelChoiceField(
        label=_("추천할 공무원의 기관"),
        queryset=Institution.objects.filter(is_active=True),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("추천할 공무원의 기관을 찾아 선택해 주십시오."),
            "invalid_choice": _("추천할 공무원의 기관을 찾아 선택해 주십시오."),
        },
    )
    unit_name = forms.CharField(
        label=_("부서(아는 경우)"),
        required=False,
        max_length=MAX_SHORT,
        help_text=_("부서 이름을 알면 입력해 주십시오. 예) 건축과"),
    )
    nominee_kind = forms.ChoiceField(
        label=_("추천 대상"),
        choices=Recommendation.NomineeKind.choices,
        widget=forms.RadioSelect,
        initial=Recommendation.NomineeKind.PERSON,
        error_messages={"required": _("공무원 개인인지 팀·부서인지 선택해 주십시오.")},
    )
    nominee_name = forms.CharField(
        label=_("추천할 공무원 이름(또는 팀 이름)"),
        max_length=100,
        error_messages={"required": _("추천할 공무원의 이름이나 팀 이름을 입력해 주십시오.")},
    )
    what = forms.CharField(
        label=_("어떤 일을 했나요"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("무엇이 문제였고, 그 공무원(팀)이 어떻게 적극적으로 해결했는지 적어 주십시오."),
        error_messages={"required": _("추천하는 공무원(팀)이 한 일을 입력해 주십시오.")},
    )
    period = forms.CharField(label=_("언제"), required=False, max_length=100, help_text=_("예) 2026년 3월~5월"))
    effect = forms.CharField(
        label=_("그 일로 무엇이 나아졌나요"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("국민의 편익이나 행정의 효율이 어떻게 좋아졌는지 적어 주십시오."),
        error_messages={"required": _("그 일로 나아진 점(효과)을 입력해 주십시오.")},
    )
    attachments = MultipleFileField(label=_("증거 자료(선택, 5개까지)"))
    recommender_name = forms.CharField(
        label=_("추천인 성명"),
        max_length=100,
        error_messages={"required": _("추천 내용을 확인하려면 추천인 성명이 필요합니다.")},
    )
    recommender_email = forms.EmailField(label=_("전자우편"), required=False)
    recommender_phone = forms.CharField(label=_("전화번호"), required=False, max_length=30)


class AnswerForm(forms.Form):
    ticket = forms.CharField(label=_("처리 상황 확인값"), widget=forms.HiddenInput)
    body = forms.CharField(label=_("답변"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultipleFileField(label=_("자료(선택, 5개까지)"))


# --- Back office -------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("상태"),
        required=False,
        choices=[
            ("", _("확인할 추천")),
            (Recommendation.Status.VERIFIED, _("확인 완료 목록(포상 후보)")),
            ("all", _("전체")),
            *[(s, label) for s, label in Recommendation.Status.choices if s != Recommendation.Status.VERIFIED],
        ],
    )
    q = forms.CharField(
        label=_("검색어"),
        required=False,
        max_length=100,
        help_text=_("추천번호나 추천받은 사람(팀) 이름에서 찾습니다."),
    )


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("추천인에게 묻는 내용(추천인에게 보입니다)"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("사유(추천인에게 보입니다)"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class VerifyForm(forms.Form):
    """Name the official (a select of the matched unit's people, or a typed employee number)
    or, for a team, the unit; then the reason the recommender reads."""

    person = forms.ModelChoiceField(
        label=_("추천받은 공무원(부서 직원 중에서)"), queryset=Person.objects.none(), required=False
    )
    employee_number = forms.CharField(
        label=_("또는 직원번호"),
        required=False,
        max_length=30,
        help_text=_("목록에 없으면 이 기관 공무원의 직원번호를 입력해 주십시오."),
    )
    unit = forms.ModelChoiceField(label=_("추천받은 부서(팀)"), queryset=Unit.objects.none(), required=False)
    reason = forms.CharField(
        label=_("확인 결과(추천인에게 보입니다)"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, rec: Recommendation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rec = rec
        people = Person.objects.filter(institution_id=rec.institution_id, status=Person.Status.ACTIVE)
        # the people of the matched unit; without one, the employee number is typed
        people = people.filter(unit_id=rec.unit_id) if rec.unit_id is not None else people.none()
        self.fields["person"].queryset = people.order_by("name", "pk")  # type: ignore[attr-defined]
        units = Unit.objects.filter(institution_id=rec.institution_id, is_active=True).order_by("name", "pk")
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        if rec.nominee_kind == Recommendation.NomineeKind.TEAM:
            del self.fields["person"]
            del self.fields["employee_number"]
            if rec.unit_id is not None:
                self.fields["unit"].initial = rec.unit_id
        else:
            del self.fields["unit"]

    def chosen_person(self) -> Person | None:
        person: Person | None = self.cleaned_data.get("person")
        number = (self.cleaned_data.get("employee_number") or "").strip()
        if person is None and number:
            person = Person.objects.filter(institution_id=self.rec.institution_id, employee_number=number).first()
            if person is None:
                self.add_error("employee_number", _("이 기관에 그 직원번호의 공무원이 없습니다."))
        return person

    def chosen_unit(self) -> Unit | None:
        unit: Unit | None = self.cleaned_data.get("unit")
        return unit
