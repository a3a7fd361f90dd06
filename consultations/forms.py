"""Forms of the pre-consultation pages: the request, the list filters, and one small form per
action on the request's page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from consultations.models import SELF_CHECK, Consultation
from consultations.selectors import MAX_QUERY_LENGTH, SCOPE_ALL, SCOPE_MINE, SCOPE_QUEUE, ConsultationFilters
from core.access import Actor
from institutions.forms import OfficialsNumbersMixin
from institutions.models import Unit
from register.forms import WorkItemReferenceMixin

TEXTAREA = forms.Textarea(attrs={"rows": 5})
SMALL_TEXTAREA = forms.Textarea(attrs={"rows": 3})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("yes", _("예")), ("no", _("아니요"))]
MAX_TEXT = 20_000


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class ConsultationForm(WorkItemReferenceMixin, OfficialsNumbersMixin, forms.Form):
    title = forms.CharField(label=_("제목"), max_length=300)
    unit = UnitChoiceField(label=_("요청 부서"), queryset=Unit.objects.none())
    work_item_reference = forms.CharField(
        label=_("관련 업무 관리번호"),
        required=False,
        max_length=50,
        help_text=_("업무 등록부의 관리번호입니다. 예: BLD-2024-001"),
    )
    officials_numbers = forms.CharField(
        label=_("처리할 담당 공무원 직원번호"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("쉼표나 줄바꿈으로 나누어 적습니다. 의견을 따르면 이 공무원들이 면책 추정을 받습니다."),
    )
    background = forms.CharField(label=_("추진 배경"), required=False, max_length=MAX_TEXT, widget=TEXTAREA)
    laws = forms.CharField(label=_("관련 법령"), required=False, max_length=MAX_TEXT, widget=SMALL_TEXTAREA)
    issues = forms.CharField(label=_("쟁점 사항"), required=False, max_length=MAX_TEXT, widget=TEXTAREA)
    own_review = forms.CharField(
        label=_("부서 자체 검토 의견"),
        required=False,
        max_length=MAX_TEXT,
        widget=TEXTAREA,
        help_text=_("제출하려면 반드시 적어야 합니다."),
    )

    def __init__(self, *args: Any, actor: Actor, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        for key, question in SELF_CHECK:
            self.fields[f"check_{key}"] = forms.ChoiceField(
                label=question, required=False, choices=YES_NO, widget=forms.RadioSelect
            )
            self.fields[f"note_{key}"] = forms.CharField(
                label=_("비고: %(question)s") % {"question": question}, required=False, max_length=1000
            )

    def check_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"check_{key}"], self[f"note_{key}"]) for key, _question in SELF_CHECK]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith(("check_", "note_"))]

    @classmethod
    def initial_for(cls, consultation: Consultation) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "title": consultation.title,
            "unit": consultation.unit_id,
            "work_item_reference": consultation.work_item.reference if consultation.work_item else "",
            "officials_numbers": ", ".join(p.employee_number for p in consultation.officials.order_by("name")),
            "background": consultation.background,
            "laws": consultation.laws,
            "issues": consultation.issues,
            "own_review": consultation.own_review,
        }
        for row in consultation.self_check_rows():
            initial[f"check_{row['key']}"] = row["answer"]
            initial[f"note_{row['key']}"] = row["note"]
        return initial

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "work_item": data.get("work_item"),
            "background": data.get("background") or "",
            "laws": data.get("laws") or "",
            "issues": data.get("issues") or "",
            "own_review": data.get("own_review") or "",
            "self_check": {
                key: {"answer": data.get(f"check_{key}") or "", "note": data.get(f"note_{key}") or ""}
                for key, _question in SELF_CHECK
            },
            "officials": data.get("officials") or [],
        }


#: The largest id the database holds (a bigger one would be an error, not "no match").
MAX_ID = 2**63 - 1


class FilterForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("보기"),
        required=False,
        choices=[(SCOPE_MINE, _("우리 부서")), (SCOPE_QUEUE, _("감사부서 처리 대기")), (SCOPE_ALL, _("전체"))],
    )
    status = forms.ChoiceField(label=_("상태"), required=False, choices=[("", _("전체")), *Consultation.Status.choices])
    q = forms.CharField(
        label=_("검색어"), required=False, max_length=MAX_QUERY_LENGTH, help_text=_("제목, 접수번호, 의견 문서번호")
    )
    work_item = forms.IntegerField(
        label=_("업무 ID"), required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, scopes: list[str], default_scope: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_scope = default_scope
        field = self.fields["scope"]
        field.choices = [c for c in field.choices if c[0] in scopes]  # type: ignore[attr-defined]
        field.initial = default_scope

    def filters(self) -> ConsultationFilters:
        """The valid filters (an invalid one is ignored, never an error page)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return ConsultationFilters(
            scope=data.get("scope") or self.default_scope,
            status=data.get("status") or "",
            work_item_id=data.get("work_item"),
            q=data.get("q") or "",
        )


# --- Action forms (one per action on the request's page) --------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("사유"), max_length=MAX_TEXT, widget=SMALL_TEXTAREA)


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label=_("메모"), required=False, max_length=MAX_TEXT, widget=SMALL_TEXTAREA)


class ReturnForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("반려 사유 구분"), choices=Consultation.ReturnGround.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("반려 사유"), max_length=MAX_TEXT, widget=SMALL_TEXTAREA)


class OpinionForm(forms.Form):
    opinion = forms.CharField(label=_("의견(처리 방향)"), max_length=MAX_TEXT, widget=TEXTAREA)
    reasons = forms.CharField(label=_("이유"), max_length=MAX_TEXT, widget=TEXTAREA)
    conditions = forms.CharField(label=_("조건·유의 사항"), required=False, max_length=MAX_TEXT, widget=SMALL_TEXTAREA)


class ReferForm(forms.Form):
    body = forms.CharField(
        label=_("의뢰 기관"), max_length=200, help_text=_("감사원, 또는 시·군·구는 광역자치단체(시·도)")
    )
    sent_on = forms.DateField(label=_("의뢰일"), required=False, widget=DATE, help_text=_("비워 두면 오늘"))
    reason = forms.CharField(label=_("의뢰 사유"), required=False, max_length=MAX_TEXT, widget=SMALL_TEXTAREA)


class HigherOpinionForm(forms.Form):
    opinion = forms.CharField(label=_("상급기관 의견"), max_length=MAX_TEXT, widget=TEXTAREA)
    reasons = forms.CharField(label=_("이유"), required=False, max_length=MAX_TEXT, widget=SMALL_TEXTAREA)
    conditions = forms.CharField(label=_("조건·유의 사항"), required=False, max_length=MAX_TEXT, widget=SMALL_TEXTAREA)
    given_on = forms.DateField(label=_("상급기관 의견일"), widget=DATE)
    reference = forms.CharField(label=_("상급기관 문서번호"), required=False, max_length=100)
    document = forms.FileField(label=_("상급기관 회신 문서"), required=False)


class CommitteeAdviceForm(forms.Form):
    opinion = forms.CharField(label=_("위원회 자문 의견"), max_length=MAX_TEXT, widget=TEXTAREA)
    reasons = forms.CharField(label=_("이유"), required=False, max_length=MAX_TEXT, widget=SMALL_TEXTAREA)
    conditions = forms.CharField(label=_("조건·유의 사항"), required=False, max_length=MAX_TEXT, widget=SMALL_TEXTAREA)
    advised_on = forms.DateField(label=_("자문일(회의일)"), widget=DATE)
    document = forms.FileField(label=_("회의록·자문 문서"), required=False)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("이행 여부"), choices=Consultation.Outcome.choices, widget=forms.RadioSelect)
    acted_on = forms.DateField(label=_("처리일"), widget=DATE)
    note = forms.CharField(label=_("처리 내용(이행 근거)"), max_length=MAX_TEXT, widget=SMALL_TEXTAREA)
    document = forms.FileField(label=_("증빙 자료"), required=False)


class ExceptionForm(forms.Form):
    private_interest = forms.BooleanField(label=_("사적 이해관계가 있었음"), required=False)
    insufficient_information = forms.BooleanField(label=_("충분한 정보를 제공하지 않았음"), required=False)
    reason = forms.CharField(label=_("예외 사유"), required=False, max_length=MAX_TEXT, widget=SMALL_TEXTAREA)
