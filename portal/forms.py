from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("접수증 번호"), max_length=40, help_text=_("20자리 숫자입니다. 하이픈(-)은 넣어도 되고 빼도 됩니다.")
    )


class InstitutionSearchForm(forms.Form):
    q = forms.CharField(
        label=_("기관 이름"),
        required=False,
        max_length=100,
        help_text=_("기관 이름의 일부를 입력하고 찾기를 누르십시오."),
    )


class ReceiptConfirmForm(forms.Form):
    form_token = forms.CharField(widget=forms.HiddenInput)
    saved = forms.BooleanField(
        label=_("접수증 번호를 안전한 곳에 저장(기록)했습니다"),
        error_messages={"required": _("접수증 번호를 저장했는지 확인하고 표시해 주십시오.")},
    )
