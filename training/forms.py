"""Forms of the training pages. The services decide; the forms only read input (and keep
it when something is refused)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from institutions.models import Person, Unit
from training import services
from training.models import Course, Enrolment, Session
from training.rules import MAX_HOURS
from training.selectors_compliance import ANNUAL, ANY, NEW, PROMOTED

HOURS_ERROR = _("교육 시간은 0보다 크고 1,000 이하인 수로, 소수점 아래 한 자리까지 입력해 주십시오.")
#: employee numbers typed in one box: separated by lines, commas, semicolons or spaces
NUMBER_SEPARATORS = re.compile(r"[\s,;]+")
MAX_NUMBERS = 500


def hours_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal("0.1"),
        max_value=MAX_HOURS,
        max_digits=5,
        decimal_places=1,
        help_text=help_text,
        error_messages={
            "required": _("교육 시간을 입력해 주십시오."),
            "invalid": HOURS_ERROR,
            "min_value": HOURS_ERROR,
            "max_value": HOURS_ERROR,
            "max_digits": HOURS_ERROR,
            "max_decimal_places": HOURS_ERROR,
            "max_whole_digits": HOURS_ERROR,
        },
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )


def date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": _("2026-03-01처럼 연-월-일로 입력해 주십시오."),
            "required": _("날짜를 입력해 주십시오."),
        },
    )


class YearField(forms.TypedChoiceField):
    def __init__(self, years: list[int], **kwargs: Any) -> None:
        super().__init__(
            label=_("연도"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=[(str(y), _("%(y)d년") % {"y": y}) for y in years],
            **kwargs,
        )


# --- Courses and sessions --------------------------------------------------------------------


class CourseFilterForm(forms.Form):
    q = forms.CharField(label=_("과정명 또는 코드"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("운영 여부"),
        required=False,
        choices=[("active", _("운영 중")), ("inactive", _("운영 중지")), ("all", _("전체"))],
    )
    mandatory = forms.TypedChoiceField(
        label=_("의무 교육"),
        required=False,
        coerce=lambda v: v == "1",
        empty_value=None,
        choices=[("", _("전체")), ("1", _("의무")), ("0", _("선택"))],
    )
    audience = forms.ChoiceField(
        label=_("교육 대상"), required=False, choices=[("", _("전체")), *Course.Audience.choices]
    )


class CourseForm(forms.Form):
    title = forms.CharField(label=_("과정명"), max_length=services.MAX_TITLE)
    code = forms.CharField(
        label=_("과정 코드"),
        required=False,
        max_length=services.MAX_CODE,
        help_text=_("이수 기록 파일에서 과정을 가리킬 짧은 코드입니다(선택). 예: AA-BASIC"),
    )
    provider = forms.CharField(label=_("교육 기관"), required=False, max_length=services.MAX_TITLE)
    hours = hours_field(_("교육 시간"), help_text=_("0.5시간 단위로 입력할 수 있습니다."))
    mode = forms.ChoiceField(label=_("교육 방식"), choices=Course.Mode.choices)
    audience = forms.ChoiceField(label=_("교육 대상"), choices=Course.Audience.choices)
    mandatory = forms.BooleanField(label=_("의무 교육(연간 의무 이수 시간에 넣음)"), required=False)
    description = forms.CharField(
        label=_("과정 소개"),
        required=False,
        max_length=services.MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @staticmethod
    def initial_for(course: Course) -> dict[str, Any]:
        return {name: getattr(course, name) for name in services.COURSE_FIELDS}


class SessionForm(forms.Form):
    starts_on = date_field(_("시작일"))
    ends_on = date_field(_("종료일"))
    place = forms.CharField(label=_("장소"), required=False, max_length=services.MAX_TITLE)
    link = forms.URLField(
        label=_("온라인 주소"),
        required=False,
        max_length=services.MAX_LINK,
        assume_scheme="https",
        error_messages={"invalid": _("https://로 시작하는 주소를 입력해 주십시오.")},
    )
    capacity = forms.IntegerField(
        label=_("정원"),
        required=False,
        min_value=1,
        max_value=services.MAX_CAPACITY,
        help_text=_("비워 두면 정원 제한이 없습니다."),
        error_messages={
            "invalid": _("정원은 1명 이상으로 입력해 주십시오(비워 두면 제한 없음)."),
            "min_value": _("정원은 1명 이상으로 입력해 주십시오(비워 두면 제한 없음)."),
            "max_value": _("정원이 너무 큽니다."),
        },
    )


class EnrolForm(forms.Form):
    """People by employee number (one or many), or every current staff member of a unit."""

    numbers = forms.CharField(
        label=_("직원번호"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("여러 명은 줄을 바꾸거나 쉼표로 나누어 적습니다."),
    )
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("부서 전체 신청"), required=False, queryset=Unit.objects.none(), empty_label=_("선택 안 함")
    )

    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session = session
        self.institution_id = session.institution_id
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            institution_id=session.institution_id, is_active=True
        ).order_by("code")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        numbers = [n for n in NUMBER_SEPARATORS.split(data.get("numbers") or "") if n]
        if len(numbers) > MAX_NUMBERS:
            self.add_error("numbers", _("한 번에 %(n)d명까지 신청할 수 있습니다.") % {"n": MAX_NUMBERS})
            return data
        unit = data.get("unit")
        if not numbers and unit is None:
            self.add_error("numbers", _("직원번호를 입력하거나 부서를 선택해 주십시오."))
            return data
        people = list(
            Person.objects.filter(institution_id=self.institution_id, employee_number__in=numbers).order_by("pk")
        )
        unknown = sorted(set(numbers) - {p.employee_number for p in people})
        if unknown:
            self.add_error(
                "numbers", _("이 기관에 없는 직원번호입니다: %(numbers)s") % {"numbers": ", ".join(unknown[:10])}
            )
            return data
        if unit is not None:
            # a whole unit: those already enrolled in the session are left out
            taken = Enrolment.objects.filter(session=self.session).exclude(status=Enrolment.Status.CANCELLED)
            people += list(
                Person.objects.filter(unit=unit, status=Person.Status.ACTIVE)
                .exclude(pk__in=taken.values("person_id"))
                .order_by("pk")
            )
            if not people:
                self.add_error("unit", _("이 부서에는 더 신청할 재직 직원이 없습니다."))
        data["people"] = people
        return data


class AttendanceForm(forms.Form):
    enrolments = forms.TypedMultipleChoiceField(
        label=_("이수한 수강생"), required=False, coerce=int, choices=(), widget=forms.CheckboxSelectMultiple
    )
    hours = hours_field(_("이수 시간"), required=False, help_text=_("비워 두면 과정의 교육 시간으로 기록합니다."))
    everyone = forms.BooleanField(label=_("남은 수강생 모두 이수 처리"), required=False)

    def __init__(self, *args: Any, rows: list[Enrolment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enrolments"].choices = [  # type: ignore[attr-defined]
            (e.pk, f"{e.person.name} ({e.person.employee_number})") for e in rows
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("사유"), max_length=services.MAX_REASON, widget=forms.Textarea(attrs={"rows": 2}))


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("사유(선택)"), required=False, max_length=services.MAX_REASON, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- Completions -----------------------------------------------------------------------------


class CompletionForm(forms.Form):
    employee_number = forms.CharField(label=_("직원번호"), max_length=30)
    course: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("교육 과정"), queryset=Course.objects.none(), empty_label=_("선택")
    )
    completed_on = date_field(_("이수일"))
    hours = hours_field(_("이수 시간"), required=False, help_text=_("비워 두면 과정의 교육 시간으로 기록합니다."))
    note = forms.CharField(label=_("비고"), required=False, max_length=services.MAX_NOTE)

    def __init__(self, *args: Any, institution_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.institution_id = institution_id
        self.fields["course"].queryset = Course.objects.filter(  # type: ignore[attr-defined]
            institution_id=institution_id
        ).order_by("-is_active", "title")

    def clean_employee_number(self) -> Person:
        number = self.cleaned_data["employee_number"].strip()
        person = Person.objects.filter(institution_id=self.institution_id, employee_number=number).first()
        if person is None:
            raise forms.ValidationError(_("이 기관에 없는 직원번호입니다: %(number)s") % {"number": number})
        return person


class CompletionFilterForm(forms.Form):
    q = forms.CharField(label=_("성명 또는 직원번호"), required=False, max_length=100)
    course: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("교육 과정"), required=False, queryset=Course.objects.none(), empty_label=_("전체")
    )
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("부서"), required=False, queryset=Unit.objects.none(), empty_label=_("전체")
    )

    def __init__(self, *args: Any, years: list[int], institution_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"] = YearField(years)
        self.order_fields(["year", "q", "course", "unit"])
        self.fields["course"].queryset = Course.objects.filter(  # type: ignore[attr-defined]
            institution_id=institution_id
        ).order_by("title")
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            institution_id=institution_id
        ).order_by("code")


# --- Compliance ------------------------------------------------------------------------------

KIND_CHOICES = [
    (ANNUAL, _("연간 의무교육 미이수")),
    (NEW, _("신규 공무원 기본교육 미이수")),
    (PROMOTED, _("승진자 기본교육 미이수")),
    (ANY, _("하나라도 미이수")),
]


class ComplianceForm(forms.Form):
    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"] = YearField(years)


class PendingFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("구분"), required=False, choices=KIND_CHOICES)
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("부서"), required=False, queryset=Unit.objects.none(), empty_label=_("전체")
    )

    def __init__(self, *args: Any, years: list[int], units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"] = YearField(years)
        self.order_fields(["year", "kind", "unit"])
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
