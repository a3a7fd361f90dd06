"""Forms of the administration pages: they parse input; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import Actor
from core.errors import DomainError
from core.forms import add_domain_error as shared_add_domain_error
from core.roles import Role
from institutions import policy_rules
from institutions.models import Institution, Person, Policy, Unit
from institutions.selectors import people_by_numbers, split_employee_numbers


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a refused action next to its field; an invalid policy next to each of its fields."""
    if isinstance(error, policy_rules.PolicyInvalid):
        for key, message in error.errors.items():
            form.add_error(key if key in form.fields else None, str(message))
        return
    shared_add_domain_error(form, error)


def _units(institution: Institution, current: Unit | None = None) -> Any:
    keep = Q(is_active=True) | Q(pk=current.pk) if current is not None else Q(is_active=True)
    return Unit.objects.filter(Q(institution=institution) & keep).order_by("code", "pk")


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.code})"


# --- Institutions ------------------------------------------------------------------------


class InstitutionForm(forms.Form):
    code = forms.CharField(
        label=_("기관 코드"), max_length=20, help_text=_("영문 대문자·숫자. 다른 기관과 겹치지 않아야 합니다.")
    )
    name = forms.CharField(label=_("기관명"), max_length=200)
    name_en = forms.CharField(label=_("영문 기관명"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("기관 유형"), choices=Institution.Kind.choices)
    parent = forms.ModelChoiceField(
        label=_("상급(감독)기관"),
        queryset=Institution.objects.none(),
        required=False,
        empty_label=_("(없음: 최상위 기관)"),
        help_text=_("상급기관의 감독 담당자는 이 기관의 통계를 볼 수 있습니다."),
    )
    is_active = forms.BooleanField(label=_("사용"), required=False, initial=True)

    def __init__(self, *args: Any, instance: Institution | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial", model_to_dict(instance, fields=["code", "name", "name_en", "kind", "parent", "is_active"])
            )
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = Institution.objects.order_by("name")
        if instance is None:
            del self.fields["is_active"]


# --- Units ------------------------------------------------------------------------------


class UnitForm(forms.Form):
    code = forms.CharField(label=_("부서 코드"), max_length=30, help_text=_("기관 안에서 겹치지 않는 코드"))
    name = forms.CharField(label=_("부서명"), max_length=200)
    name_en = forms.CharField(label=_("영문 부서명"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("부서 유형"), choices=Unit.Kind.choices, initial=Unit.Kind.DIVISION)
    parent = UnitChoiceField(
        label=_("상위 부서"), queryset=Unit.objects.none(), required=False, empty_label=_("(없음: 최상위 부서)")
    )
    is_audit_unit = forms.BooleanField(
        label=_("감사부서"),
        required=False,
        help_text=_("사전컨설팅, 소극행정 신고 조사, 면책 심사를 맡는 부서입니다."),
    )

    def __init__(self, *args: Any, institution: Institution, instance: Unit | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                model_to_dict(instance, fields=["code", "name", "name_en", "kind", "parent", "is_audit_unit"]),
            )
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        qs = _units(institution, instance.parent if instance is not None else None)
        parent.queryset = qs.exclude(pk=instance.pk) if instance is not None else qs


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("사유"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))


# --- People -----------------------------------------------------------------------------


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("성명 또는 직원번호"), max_length=100, required=False)
    unit = UnitChoiceField(label=_("부서"), queryset=Unit.objects.none(), required=False, empty_label=_("전체"))
    status = forms.ChoiceField(label=_("재직 상태"), choices=[("", _("전체")), *Person.Status.choices], required=False)

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = Unit.objects.filter(institution=institution).order_by("code", "pk")


class PersonForm(forms.Form):
    employee_number = forms.CharField(label=_("직원번호"), max_length=30)
    name = forms.CharField(label=_("성명"), max_length=100)
    unit = UnitChoiceField(label=_("부서"), queryset=Unit.objects.none(), required=False, empty_label=_("(미배치)"))
    grade = forms.CharField(label=_("직급"), max_length=50, required=False, help_text=_("예: 지방행정주사(6급)"))
    position = forms.CharField(label=_("직위"), max_length=100, required=False, help_text=_("예: 주무관, 팀장"))
    email = forms.EmailField(label=_("전자우편"), required=False)
    status = forms.ChoiceField(label=_("재직 상태"), choices=Person.Status.choices, initial=Person.Status.ACTIVE)
    joined_on = forms.DateField(label=_("임용일"), required=False, widget=DateInput())
    promoted_on = forms.DateField(label=_("최근 승진일"), required=False, widget=DateInput())

    def __init__(self, *args: Any, institution: Institution, instance: Person | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                model_to_dict(
                    instance,
                    fields=[
                        "employee_number",
                        "name",
                        "unit",
                        "grade",
                        "position",
                        "email",
                        "status",
                        "joined_on",
                        "promoted_on",
                    ],
                ),
            )
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = _units(institution, instance.unit if instance is not None else None)
        if instance is None:
            del self.fields["status"]
        elif instance.status != Person.Status.RETIRED:
            status = self.fields["status"]
            assert isinstance(status, forms.ChoiceField)
            status.choices = [(v, label) for v, label in Person.Status.choices if v != Person.Status.RETIRED]
            status.help_text = _("퇴직은 '퇴직 처리'에서 퇴직일과 함께 기록합니다.")
        else:
            self.fields["status"].help_text = _("재직 또는 휴직으로 바꾸면 복직 처리되고 계정을 다시 쓸 수 있습니다.")


class RetireForm(forms.Form):
    retired_on = forms.DateField(label=_("퇴직일"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(label=_("사유"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AccountForm(forms.Form):
    username = forms.CharField(
        label=_("아이디"),
        max_length=150,
        help_text=_("영문, 숫자와 @ . + - _ 만 쓸 수 있습니다."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("전자우편"), help_text=_("이 주소로 비밀번호를 정하는 일회용 링크를 보냅니다."))


# --- Roles ------------------------------------------------------------------------------


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(label=_("역할"), choices=Role.choices)
    unit = UnitChoiceField(
        label=_("부서 한정"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("(기관 전체)"),
        help_text=_("부서장은 맡을 부서를 지정해야 합니다. 다른 역할은 비워 두면 기관 전체에 적용됩니다."),
    )
    starts_on = forms.DateField(label=_("시작일"), widget=DateInput(), initial=timezone.localdate)
    ends_on = forms.DateField(
        label=_("종료일"), widget=DateInput(), required=False, help_text=_("비워 두면 종료할 때까지 유지됩니다.")
    )
    note = forms.CharField(label=_("비고"), max_length=200, required=False, help_text=_("예: 지정 근거(인사발령 번호)"))

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = _units(institution)


class RoleEndForm(forms.Form):
    ends_on = forms.DateField(
        label=_("종료일"), widget=DateInput(), initial=timezone.localdate, help_text=_("이 날까지 역할을 유지합니다.")
    )
    reason = forms.CharField(label=_("사유"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))


# --- Policy -----------------------------------------------------------------------------


class PolicyForm(forms.ModelForm[Policy]):
    class Meta:
        model = Policy
        fields = list(policy_rules.FIELDS)
        widgets = {"training_flags_from": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (low, high) in policy_rules.RANGES.items():
            widget = self.fields[name].widget
            widget.attrs.update({"min": low, "max": high})
        self.group_errors: dict[str, list[str]] = {}

    def groups(self) -> list[dict[str, Any]]:
        """The fieldsets of the page, each with its bound fields and its own errors."""
        return [
            {
                "key": group.key,
                "title": group.title,
                "help": group.help,
                "fields": [self[name] for name in group.fields],
                "errors": self.group_errors.get(group.key, []),
            }
            for group in policy_rules.GROUPS
        ]

    def add_policy_errors(self, error: policy_rules.PolicyInvalid) -> None:
        for key, message in error.errors.items():
            if key in self.fields:
                self.add_error(key, str(message))
            else:
                group = "rewards" if key == policy_rules.WEIGHTS else key
                self.group_errors.setdefault(group, []).append(str(message))
                self.add_error(None, str(message))


class OfficialsNumbersMixin:
    """A form field `officials_numbers` (employee numbers, comma or space separated) that
    resolves to `cleaned_data["officials"]`, people of the actor's institution; an unknown
    number is refused by number."""

    actor: Actor
    cleaned_data: dict[str, Any]

    def clean_officials_numbers(self) -> str:
        raw = self.cleaned_data.get("officials_numbers") or ""
        try:
            self.cleaned_data["officials"] = people_by_numbers(self.actor, split_employee_numbers(raw))
        except DomainError as error:
            raise forms.ValidationError(str(error.message)) from error
        return raw
