"""Forms of the work register screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.access import Actor, same_institution
from institutions.models import Person, Unit
from register.models import WorkItem
from register.selectors import MAX_QUERY_LENGTH, WorkItemFilters
from register.services import MAX_YEAR, MIN_YEAR


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.code})"


class WorkItemFilterForm(forms.Form):
    q = forms.CharField(
        label=_("검색어"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=_("업무명, 관리번호, 법적 근거에서 찾습니다."),
    )
    category = forms.ChoiceField(label=_("분류"), required=False, choices=[("", _("전체")), *WorkItem.Category.choices])
    unit = UnitChoiceField(label=_("담당 부서"), required=False, queryset=Unit.objects.none(), empty_label=_("전체"))
    status = forms.ChoiceField(label=_("상태"), required=False, choices=[("", _("전체")), *WorkItem.Status.choices])
    year = forms.IntegerField(label=_("연도"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def filters(self) -> WorkItemFilters:
        """The valid filters (an invalid one is ignored, never an error page)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        unit = data.get("unit")
        return WorkItemFilters(
            category=data.get("category") or "",
            unit_id=unit.pk if unit is not None else None,
            status=data.get("status") or "",
            year=data.get("year"),
            q=data.get("q") or "",
        )


class WorkItemForm(forms.Form):
    reference = forms.CharField(label=_("관리번호"), max_length=50)
    title = forms.CharField(label=_("업무명"), max_length=300)
    category = forms.ChoiceField(label=_("분류"), choices=WorkItem.Category.choices)
    unit = UnitChoiceField(label=_("담당 부서"), queryset=Unit.objects.none())
    responsible_number = forms.CharField(
        label=_("담당자 직원번호"), required=False, max_length=30, help_text=_("비워 두면 담당자 없이 등록합니다.")
    )
    legal_basis = forms.CharField(
        label=_("법적 근거"), required=False, max_length=500, help_text=_("예: 건축법 제11조")
    )
    status = forms.ChoiceField(label=_("상태"), choices=WorkItem.Status.choices, initial=WorkItem.Status.IN_PROGRESS)
    year = forms.IntegerField(label=_("연도"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    starts_on = forms.DateField(label=_("시작일"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("종료일"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("비고"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, actor: Actor, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, item: WorkItem) -> dict[str, Any]:
        return {
            "reference": item.reference,
            "title": item.title,
            "category": item.category,
            "unit": item.unit_id,
            "responsible_number": item.responsible.employee_number if item.responsible else "",
            "legal_basis": item.legal_basis,
            "status": item.status,
            "year": item.year,
            "starts_on": item.starts_on,
            "ends_on": item.ends_on,
            "notes": item.notes,
        }

    def clean_responsible_number(self) -> str:
        number = (self.cleaned_data.get("responsible_number") or "").strip()
        self.cleaned_data["responsible"] = None
        if number:
            person = same_institution(self.actor, Person.objects.all()).filter(employee_number=number).first()
            if person is None:
                raise forms.ValidationError(_("이 기관에 없는 직원번호입니다."))
            self.cleaned_data["responsible"] = person
        return number

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "reference": data["reference"],
            "title": data["title"],
            "category": data["category"],
            "unit": data["unit"],
            "responsible": data.get("responsible"),
            "legal_basis": data.get("legal_basis") or "",
            "status": data["status"],
            "year": data["year"],
            "starts_on": data.get("starts_on"),
            "ends_on": data.get("ends_on"),
            "notes": data.get("notes") or "",
        }


class WorkItemReferenceMixin:
    """A form field `work_item_reference` (the register entry's 관리번호, any case) that
    resolves to `cleaned_data["work_item"]` within the actor's institution."""

    actor: Actor
    cleaned_data: dict[str, Any]

    def clean_work_item_reference(self) -> str:
        reference = (self.cleaned_data.get("work_item_reference") or "").strip()
        self.cleaned_data["work_item"] = None
        if reference:
            item = same_institution(self.actor, WorkItem.objects.all()).filter(reference__iexact=reference).first()
            if item is None:
                raise forms.ValidationError(_("이 기관의 업무 등록부에 없는 관리번호입니다."))
            self.cleaned_data["work_item"] = item
        return reference
