"""Forms of the report portal and the back office. Services make the decisions; the forms
only read input (and keep it on an error)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import MultipleFileField
from institutions.models import Institution, Person, Unit
from portal.public import MAX_SHORT, MAX_TEXT
from reports.models import Report

KIND_EXAMPLES = {
    Report.Kind.PERFUNCTORY: _(
        "적당편의: 일을 적당히 처리하고 편한 방법만 고집하는 것. 예) 현장 확인 없이 서류만 보고 민원을 반려함."
    ),
    Report.Kind.NEGLECT: _(
        "업무해태: 정당한 이유 없이 일을 미루거나 하지 않는 것. 예) 처리기한이 지났는데도 민원을 방치함."
    ),
    Report.Kind.DESK_BOUND: _(
        "탁상행정: 현실에 맞지 않는 옛 규정이나 관행을 그대로 따르는 것. 예) 폐지된 서식을 계속 요구함."
    ),
    Report.Kind.AUTHORITY: _(
        "관 중심 행정: 권한을 남용하거나 책임을 떠넘기는 것. 예) 다른 부서 소관이라며 민원을 여러 차례 돌려보냄."
    ),
}


class ReportForm(forms.Form):
    form_token = forms.CharField(widget=forms.HiddenInput)
    institution = forms.ModelChoiceField(
        label=_("신고할 기관"),
        # with its policy (the report's deadline): one statement for both (issue 8)
        queryset=Institution.objects.filter(is_active=True).select_related("policy"),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("신고할 기관을 찾아 선택해 주십시오."),
            "invalid_choice": _("신고할 기관을 찾아 선택해 주십시오."),
        },
    )
    unit = forms.CharField(
        label=_("부서(아는 경우)"),
        required=False,
        max_length=MAX_SHORT,
        help_text=_("부서 이름을 알면 입력해 주십시오."),
    )
    kind = forms.ChoiceField(label=_("소극행정 유형"), choices=Report.Kind.choices, widget=forms.RadioSelect)
    what = forms.CharField(label=_("무슨 일이 있었나요"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6}))
    occurred = forms.CharField(label=_("언제"), required=False, max_length=100, help_text=_("예) 2026년 5월 초"))
    place = forms.CharField(label=_("어디서"), required=False, max_length=MAX_SHORT)
    harm = forms.CharField(
        label=_("어떤 피해를 입었나요"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = MultipleFileField(label=_("증거 파일(선택, 5개까지)"))
    anonymous = forms.TypedChoiceField(
        label=_("신고인 정보"),
        choices=[("1", _("익명으로 신고합니다")), ("0", _("이름과 연락처를 남깁니다"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    reporter_name = forms.CharField(label=_("성명"), required=False, max_length=100)
    reporter_email = forms.EmailField(label=_("전자우편"), required=False)
    reporter_phone = forms.CharField(label=_("전화번호"), required=False, max_length=30)

    def unit_choice(self) -> Unit | None:
        name = (self.cleaned_data.get("unit") or "").strip()
        institution = self.cleaned_data.get("institution")
        if not name or institution is None:
            return None
        return Unit.objects.filter(institution=institution, name=name, is_active=True).first()


class FollowMessageForm(forms.Form):
    ticket = forms.CharField(widget=forms.HiddenInput)
    form_token = forms.CharField(widget=forms.HiddenInput)
    body = forms.CharField(label=_("보낼 메시지"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultipleFileField(label=_("파일(선택)"))


class ReviewRequestForm(forms.Form):
    ticket = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("재검토를 요청하는 이유"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )


# --- Back office -------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("상태"),
        required=False,
        choices=[("", _("처리 중")), ("all", _("전체")), *Report.Status.choices],
    )
    kind = forms.ChoiceField(label=_("유형"), required=False, choices=[("", _("전체")), *Report.Kind.choices])
    q = forms.CharField(label=_("검색어"), required=False, max_length=100, help_text=_("신고번호나 내용에서 찾습니다."))
    overdue = forms.BooleanField(label=_("기한 지난 건만"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("사유(신고인에게 보입니다)"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class TransferForm(forms.Form):
    to_institution = forms.ModelChoiceField(label=_("이송할 기관"), queryset=Institution.objects.filter(is_active=True))
    reason = forms.CharField(
        label=_("이송 사유(신고인에게 보입니다)"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class BodyForm(forms.Form):
    body = forms.CharField(label=_("내용"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}))


class StaffMessageForm(BodyForm):
    attachments = MultipleFileField(label=_("파일(선택)"))


class ExtendForm(forms.Form):
    working_days = forms.IntegerField(label=_("연장 기간(근무일)"), min_value=1, max_value=60)
    reason = forms.CharField(
        label=_("연장 사유(신고인에게 보입니다)"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("처리 결과"), choices=Report.Outcome.choices, widget=forms.RadioSelect)
    result_text = forms.CharField(
        label=_("신고인에게 알리는 결과"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    disciplinary_demand = forms.CharField(
        label=_("징계 요구 내용"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("징계 요구로 처리하는 경우 반드시 적어야 합니다(감경 없음)."),
    )
    officials = forms.ModelMultipleChoiceField(
        label=_("관련 공무원"),
        required=False,
        queryset=Person.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("사실로 확인된 경우 지정합니다. 여러 명은 Ctrl 키를 누른 채 선택합니다."),
    )

    def __init__(self, *args: Any, institution_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(institution_id=institution_id).select_related("unit").order_by("name", "pk")
        self.fields["officials"].queryset = people  # type: ignore[attr-defined]


class ReopenForm(forms.Form):
    handler: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("재검토 담당자"), queryset=None)

    def __init__(self, *args: Any, holders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = holders  # type: ignore[attr-defined]
