"""Forms of the application portal and the back office. Services make the decisions; the
forms only read input (and keep it on an error)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from core.forms import MultipleFileField
from institutions.models import Institution
from portal.public import MAX_SHORT, MAX_TEXT


class ApplicationForm(forms.Form):
    form_token = forms.CharField(label=_("작성 화면 확인값"), widget=forms.HiddenInput)
    institution = forms.ModelChoiceField(
        label=_("신청할 기관"),
        queryset=Institution.objects.filter(is_active=True),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("신청할 기관을 찾아 선택해 주십시오."),
            "invalid_choice": _("신청할 기관을 찾아 선택해 주십시오."),
        },
    )
    unit_name = forms.CharField(
        label=_("거부한 부서(아는 경우)"),
        required=False,
        max_length=MAX_SHORT,
        help_text=_("부서 이름을 알면 입력해 주십시오. 예) 건축과"),
    )
    refused_request = forms.CharField(
        label=_("거부된 신청이나 제안"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("무엇을 신청하거나 제안했는지 적어 주십시오."),
    )
    refused_on = forms.CharField(
        label=_("거부된 때"), required=False, max_length=100, help_text=_("예) 2026년 5월 20일")
    )
    refusal_reason = forms.CharField(
        label=_("거부 사유"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("기관이 거부하면서 든 이유를 적어 주십시오. 예) 관련 규정이 없어 허가할 수 없음"),
    )
    law = forms.CharField(
        label=_("관련 법령(아는 경우)"),
        required=False,
        max_length=300,
        help_text=_("예) 도로법 제61조"),
    )
    request = forms.CharField(
        label=_("요청 사항"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("기관이 어떻게 적극적으로 처리해 주기를 바라는지 적어 주십시오."),
    )
    attachments = MultipleFileField(label=_("관련 파일(선택, 5개까지)"))
    applicant_name = forms.CharField(label=_("성명"), max_length=100)
    applicant_email = forms.EmailField(
        label=_("전자우편"), required=False, help_text=_("전자우편이나 전화번호 중 하나는 꼭 적어 주십시오.")
    )
    applicant_phone = forms.CharField(label=_("전화번호"), required=False, max_length=30)


# --- Back office -------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("상태"),
        required=False,
        choices=[("", _("처리 중")), ("all", _("전체")), *Application.Status.choices],
    )
    q = forms.CharField(
        label=_("검색어"), required=False, max_length=100, help_text=_("신청번호, 신청 내용, 법령에서 찾습니다.")
    )
    overdue = forms.BooleanField(label=_("기한 지난 건만"), required=False)


class ConsultationSearchForm(forms.Form):
    cq = forms.CharField(
        label=_("사전컨설팅 찾기"),
        required=False,
        max_length=100,
        help_text=_("접수번호나 제목의 일부를 입력하십시오."),
    )


class ConsultationPickForm(forms.Form):
    consultation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("연계할 사전컨설팅"),
        queryset=None,
        error_messages={
            "required": _("연계할 사전컨설팅을 골라 주십시오."),
            "invalid_choice": _("이 기관에 접수된 사전컨설팅 중에서 골라 주십시오."),
        },
    )

    def __init__(self, *args: Any, consultations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consultation"].queryset = consultations  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(label=_("처리 결과"), choices=Application.Decision.choices, widget=forms.RadioSelect)
    answer = forms.CharField(
        label=_("신청인에게 보내는 답변"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )


class ExtendForm(forms.Form):
    working_days = forms.IntegerField(label=_("연장 기간(근무일)"), min_value=1, max_value=60)
    reason = forms.CharField(
        label=_("연장 사유(신청인에게 보입니다)"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
