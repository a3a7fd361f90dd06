from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class OtpTokenForm(forms.Form):
    token = forms.CharField(
        label=_("인증 코드(6자리)"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}),
    )

    def clean_token(self) -> str:
        token = str(self.cleaned_data["token"]).strip()
        if not token.isdigit():
            raise forms.ValidationError(_("숫자 6자리를 입력해 주십시오."))
        return token
