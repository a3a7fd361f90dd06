"""The oversight pages' forms: the period (and section and sort) of a dashboard, and the
request for a check report. An unknown period or section is a form error, never a 500."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight import indicators
from oversight.models import CheckReport
from oversight.period import Period, choices


class PeriodField(forms.ChoiceField):
    def clean(self, value: Any) -> Period:
        key = super().clean(value)
        try:
            return Period.parse(key)
        except ValueError as exc:  # pragma: no cover - the choices already limit it
            raise forms.ValidationError(_("기간을 골라 주십시오.")) from exc


class PeriodForm(forms.Form):
    period = PeriodField(label=_("기간"), error_messages={"invalid_choice": _("목록에 있는 기간을 골라 주십시오.")})

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = choices(years)  # type: ignore[attr-defined]


class ComparisonForm(PeriodForm):
    section = forms.ChoiceField(
        label=_("분야"), error_messages={"invalid_choice": _("목록에 있는 분야를 골라 주십시오.")}
    )
    sort = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)
    order = forms.ChoiceField(
        required=False, choices=[("desc", _("큰 값부터")), ("asc", _("작은 값부터"))], widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, years=years, **kwargs)
        self.fields["section"].choices = [(s.key, s.label) for s, _ in indicators.sections()]  # type: ignore[attr-defined]


class ReportRequestForm(PeriodForm):
    scope = forms.ChoiceField(label=_("범위"), choices=CheckReport.Scope.choices)

    def __init__(self, *args: Any, years: list[int], scopes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, years=years, **kwargs)
        self.fields["scope"].choices = [c for c in CheckReport.Scope.choices if c[0] in scopes]  # type: ignore[attr-defined]
        if len(scopes) == 1:
            self.fields["scope"].initial = scopes[0]
            self.fields["scope"].widget = forms.HiddenInput()
