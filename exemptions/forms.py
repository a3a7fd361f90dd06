"""Forms of the exemption screens. They parse what was typed; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.access import Actor, same_institution
from core.errors import DomainError
from exemptions.models import Criterion, ExemptionCase, Finding
from exemptions.selectors import MAX_QUERY_LENGTH, CaseFilters, quarter_of
from institutions.models import Person
from institutions.selectors import split_employee_numbers
from register.models import WorkItem
from register.selectors import visible_work_items

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def recent_quarters(count: int = 12) -> list[tuple[str, str]]:
    year, quarter = quarter_of(timezone.localdate())
    choices = []
    for _n in range(count):
        choices.append(
            (f"{year}-{quarter}", gettext("%(year)d년 %(quarter)d분기") % {"year": year, "quarter": quarter})
        )
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return choices


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("검색어"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=_("접수번호, 대상 행위, 감사·징계 사건명에서 찾습니다."),
    )
    status = forms.ChoiceField(
        label=_("상태"), required=False, choices=[("", _("전체")), *ExemptionCase.Status.choices]
    )
    stage = forms.ChoiceField(label=_("단계"), required=False, choices=[("", _("전체")), *ExemptionCase.Stage.choices])
    decision = forms.ChoiceField(
        label=_("결정"), required=False, choices=[("", _("전체")), *ExemptionCase.Decision.choices]
    )
    quarter = forms.ChoiceField(label=_("결정 분기"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [("", _("전체")), *recent_quarters()]  # type: ignore[attr-defined]

    def filters(self, *, mine: bool = False) -> CaseFilters:
        """The valid filters (an invalid one is ignored, never an error page)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        quarter = None
        if data.get("quarter"):
            year, q = data["quarter"].split("-")
            quarter = (int(year), int(q))
        return CaseFilters(
            status=data.get("status") or "",
            stage=data.get("stage") or "",
            decision=data.get("decision") or "",
            quarter=quarter,
            q=data.get("q") or "",
            mine=mine,
        )


def work_item_by_reference(actor: Actor, reference: str) -> WorkItem | None:
    reference = (reference or "").strip()
    if not reference:
        return None
    item = visible_work_items(actor).filter(reference=reference).first()
    if item is None:
        raise DomainError(_("업무 등록부에 없는 관리번호입니다."), field="work_item_reference")
    return item


split_numbers = split_employee_numbers


class CaseDetailsForm(forms.Form):
    """The details every case has (the edit form; the opening forms add to it)."""

    act = forms.CharField(label=_("대상 행위"), max_length=300, help_text=_("예: 도로점용 허가 시 점용료 감면"))
    act_details = forms.CharField(
        label=_("행위 내용·신청 이유"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    work_item_reference = forms.CharField(
        label=_("업무 등록부 관리번호"),
        required=False,
        max_length=50,
        help_text=_("이 행위가 속한 업무의 관리번호. 같은 업무의 사전컨설팅·위원회 자문을 찾는 데 씁니다."),
    )
    matter_title = forms.CharField(label=_("감사·징계 사건명"), max_length=300)
    matter_reference = forms.CharField(label=_("감사·징계 사건 번호"), required=False, max_length=100)
    matter_date = forms.DateField(
        label=_("감사 종료일(징계 단계는 징계 요구일)"),
        widget=DATE,
        help_text=_("당사자 신청은 이 날부터 기관이 정한 기간(기본 30일) 안에 해야 합니다."),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    @classmethod
    def initial_for(cls, case: ExemptionCase) -> dict[str, Any]:
        return {
            "act": case.act,
            "act_details": case.act_details,
            "work_item_reference": case.work_item.reference if case.work_item else "",
            "matter_title": case.matter_title,
            "matter_reference": case.matter_reference,
            "matter_date": case.matter_date,
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "act": data["act"],
            "act_details": data.get("act_details") or "",
            "work_item": work_item_by_reference(self.actor, data.get("work_item_reference") or ""),
            "matter_title": data["matter_title"],
            "matter_reference": data.get("matter_reference") or "",
            "matter_date": data["matter_date"],
        }


class ApplicationForm(CaseDetailsForm):
    stage = forms.ChoiceField(label=_("단계"), choices=ExemptionCase.Stage.choices, initial=ExemptionCase.Stage.AUDIT)
    co_officials = forms.CharField(
        label=_("함께 신청하는 공무원의 직원번호"),
        required=False,
        max_length=500,
        help_text=_("신청인 본인은 자동으로 포함됩니다. 여러 명은 쉼표로 구분합니다."),
    )
    field_order = ["stage", "act", "act_details", "work_item_reference", "matter_title", "matter_reference"]

    def service_kwargs(self) -> dict[str, Any]:
        from exemptions.services.common import people_by_numbers

        return {
            **super().service_kwargs(),
            "stage": self.cleaned_data["stage"],
            "co_officials": people_by_numbers(
                self.actor, split_numbers(self.cleaned_data.get("co_officials") or ""), field="co_officials"
            ),
        }


class OpenForm(CaseDetailsForm):
    stage = forms.ChoiceField(label=_("단계"), choices=ExemptionCase.Stage.choices, initial=ExemptionCase.Stage.AUDIT)
    officials = forms.CharField(
        label=_("대상 공무원의 직원번호"), max_length=500, help_text=_("여러 명은 쉼표로 구분합니다.")
    )
    field_order = ["stage", "officials", "act", "act_details", "work_item_reference", "matter_title"]

    def service_kwargs(self) -> dict[str, Any]:
        from exemptions.services.common import people_by_numbers

        return {
            **super().service_kwargs(),
            "stage": self.cleaned_data["stage"],
            "officials": people_by_numbers(self.actor, split_numbers(self.cleaned_data.get("officials") or "")),
        }


class FindingsForm(forms.Form):
    """One answer and one evidence field per criterion of the checklist."""

    def __init__(self, *args: Any, findings: list[Finding], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Criterion.choices)
        self.criteria = [f.criterion for f in findings]
        for finding in findings:
            code = finding.criterion
            self.fields[f"{code}_answer"] = forms.ChoiceField(
                label=labels[code],
                choices=Finding.Answer.choices,
                widget=forms.RadioSelect,
                initial=finding.answer,
            )
            self.fields[f"{code}_evidence"] = forms.CharField(
                label=_("근거"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=finding.evidence,
            )

    def pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"{c}_answer"], self[f"{c}_evidence"]) for c in self.criteria]

    def answers(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {c: (data[f"{c}_answer"], data.get(f"{c}_evidence") or "") for c in self.criteria}


class RebuttalForm(forms.Form):
    reason = forms.CharField(
        label=_("번복 사유"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("추정이 성립하는데도 이 건에서 인정하지 않는 이유를 적습니다."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("결정"), choices=ExemptionCase.Decision.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("결정 이유"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("취하 사유"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DemandForm(forms.Form):
    person_number = forms.CharField(label=_("대상 공무원의 직원번호"), max_length=30)
    act = forms.CharField(label=_("징계 대상 행위"), max_length=300)
    work_item_reference = forms.CharField(label=_("업무 등록부 관리번호"), required=False, max_length=50)
    matter_title = forms.CharField(label=_("감사·징계 사건명"), max_length=300)
    matter_reference = forms.CharField(label=_("감사·징계 사건 번호"), required=False, max_length=100)
    demanded_on = forms.DateField(label=_("징계 요구일"), widget=DATE)
    no_grounds_confirmed = forms.BooleanField(
        label=_("결정된 면책 건이 없으며, 면책 사유가 없음을 확인했습니다."), required=False
    )
    note = forms.CharField(
        label=_("면책 사유 확인 내용"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("결정된 면책 건이 없을 때 적습니다(예: 면책 요건 검토 결과 공익성이 인정되지 않음)."),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_person_number(self) -> str:
        number = (self.cleaned_data.get("person_number") or "").strip()
        person = same_institution(self.actor, Person.objects.all()).filter(employee_number=number).first()
        if person is None:
            raise forms.ValidationError(_("이 기관에 없는 직원번호입니다."))
        self.cleaned_data["person"] = person
        return number

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "person": data["person"],
            "act": data["act"],
            "work_item": work_item_by_reference(self.actor, data.get("work_item_reference") or ""),
            "matter_title": data["matter_title"],
            "matter_reference": data.get("matter_reference") or "",
            "demanded_on": data["demanded_on"],
            "no_grounds_confirmed": bool(data.get("no_grounds_confirmed")),
            "note": data.get("note") or "",
        }


class ReportSubmitForm(forms.Form):
    reference = forms.CharField(
        label=_("제출 문서번호"), max_length=100, help_text=_("상급 감사기관에 보낸 공문의 번호")
    )
