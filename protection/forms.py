"""Forms of the protection pages. Amounts are typed as text ("5,500,000" and "5500000원"
are both fine) and checked by the services (protection.rules.check_amount), so the pages and
the API give the same messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.access import Actor, same_institution
from institutions.models import Person, Unit
from protection.models import SupportRequest
from protection.selectors import MAX_QUERY_LENGTH, RequestFilters
from register.models import WorkItem

MIN_YEAR, MAX_YEAR = 1990, 2100
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def amount_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=30,
        help_text=help_text or _("원 단위 숫자로 입력합니다. 예: 5,000,000"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class RequestFilterForm(forms.Form):
    q = forms.CharField(
        label=_("검색어"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=_("접수번호, 신청인 이름·직원번호, 사건번호에서 찾습니다."),
    )
    status = forms.ChoiceField(
        label=_("상태"), required=False, choices=[("", _("전체")), *SupportRequest.Status.choices]
    )
    kind = forms.ChoiceField(
        label=_("지원 종류"), required=False, choices=[("", _("전체")), *SupportRequest.Kind.choices]
    )
    year = forms.IntegerField(label=_("접수 연도"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)

    def filters(self) -> RequestFilters:
        """The valid filters (an invalid one is ignored, never an error page)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return RequestFilters(
            status=data.get("status") or "",
            kind=data.get("kind") or "",
            year=data.get("year"),
            q=data.get("q") or "",
        )


class RequestForm(forms.Form):
    """A request's facts. The officer names the applicant by employee number; an official
    files for themself (the field is left out)."""

    person_number = forms.CharField(
        label=_("신청인 직원번호"),
        max_length=30,
        help_text=_("퇴직한 직원도 찾을 수 있습니다. 재직 중의 행위만 지원합니다."),
    )
    kind = forms.ChoiceField(label=_("지원 종류"), choices=SupportRequest.Kind.choices)
    act_description = forms.CharField(
        label=_("대상 행위"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("소송·수사·징계의 대상이 된 재직 중의 업무 처리를 적습니다."),
    )
    act_date = forms.DateField(label=_("행위일"), widget=DATE)
    work_item_reference = forms.CharField(
        label=_("관련 업무 관리번호"), required=False, max_length=50, help_text=_("업무 등록부의 관리번호(선택)")
    )
    proceedings_body = forms.CharField(label=_("법원·수사기관·징계기관"), required=False, max_length=200)
    proceedings_case_number = forms.CharField(label=_("사건번호"), required=False, max_length=100)
    amount_requested = amount_field(
        _("신청 금액(원)"),
        required=False,
        help_text=_("원 단위 숫자. 법률 자문과 수사기관 의견 제출은 비워 둡니다."),
    )
    acquittal_final_on = forms.DateField(
        label=_("무죄 확정일"), required=False, widget=DATE, help_text=_("형사소송 비용 지원에만 적습니다.")
    )
    acquittal_court = forms.CharField(label=_("무죄 판결 법원"), required=False, max_length=200)
    acquittal_case_number = forms.CharField(label=_("무죄 판결 사건번호"), required=False, max_length=100)

    ALIASES = {"person": "person_number", "work_item": "work_item_reference"}

    def __init__(self, *args: Any, actor: Actor, people: QuerySet[Person] | None, **kwargs: Any) -> None:
        """`people`: whom the applicant may be chosen from; None: the actor files for themself."""
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.people = people
        if people is None:
            del self.fields["person_number"]

    @classmethod
    def initial_for(cls, case: SupportRequest) -> dict[str, Any]:
        return {
            "kind": case.kind,
            "act_description": case.act_description,
            "act_date": case.act_date,
            "work_item_reference": case.work_item.reference if case.work_item else "",
            "proceedings_body": case.proceedings_body,
            "proceedings_case_number": case.proceedings_case_number,
            "amount_requested": "" if case.amount_requested is None else str(case.amount_requested),
            "acquittal_final_on": case.acquittal_final_on,
            "acquittal_court": case.acquittal_court,
            "acquittal_case_number": case.acquittal_case_number,
        }

    def clean_person_number(self) -> str:
        number = (self.cleaned_data.get("person_number") or "").strip()
        person = self.people.filter(employee_number=number).first() if self.people is not None else None
        if person is None:
            raise forms.ValidationError(_("이 기관에 없는 직원번호입니다."))
        self.cleaned_data["person"] = person
        return number

    def clean_work_item_reference(self) -> str:
        reference = (self.cleaned_data.get("work_item_reference") or "").strip()
        self.cleaned_data["work_item"] = None
        if reference:
            item = same_institution(self.actor, WorkItem.objects.all()).filter(reference=reference).first()
            if item is None:
                raise forms.ValidationError(_("업무 등록부에 없는 관리번호입니다."))
            self.cleaned_data["work_item"] = item
        return reference

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "act_description": data["act_description"],
            "act_date": data["act_date"],
            "work_item": data.get("work_item"),
            "proceedings_body": data["proceedings_body"],
            "proceedings_case_number": data["proceedings_case_number"],
            "amount_requested": data["amount_requested"] or None,
            "acquittal_final_on": data["acquittal_final_on"],
            "acquittal_court": data["acquittal_court"],
            "acquittal_case_number": data["acquittal_case_number"],
        }


class DecideForm(forms.Form):
    prefix = "decide"
    decision = forms.ChoiceField(
        label=_("결정"),
        choices=[("approve", _("지원")), ("reject", _("지원하지 않음"))],
        widget=forms.RadioSelect,
    )
    amount_approved = amount_field(
        _("결정 금액(원)"), required=False, help_text=_("지원할 때만 적습니다. 금액이 없는 지원은 비워 둡니다.")
    )
    note = forms.CharField(
        label=_("결정 내용·사유"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("지원하지 않을 때는 사유를 꼭 적습니다."),
    )
    ALIASES = {"reason": "note"}


class PaymentForm(forms.Form):
    prefix = "pay"
    paid_on = forms.DateField(label=_("지급일"), widget=DATE)
    amount = amount_field(_("지급액(원)"))
    payee = forms.CharField(label=_("받는 이"), max_length=200, help_text=_("변호사, 법무법인, 본인 등"))
    reference = forms.CharField(label=_("지급 근거(지출결의 번호 등)"), required=False, max_length=100)


class CloseForm(forms.Form):
    prefix = "close"
    outcome = forms.ChoiceField(label=_("결과"), choices=[("", _("선택")), *SupportRequest.Outcome.choices])
    outcome_text = forms.CharField(
        label=_("결과 내용"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class WithdrawForm(forms.Form):
    prefix = "withdraw"
    reason = forms.CharField(
        label=_("취하 사유"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("보호관이 신청인을 대신해 취하할 때는 꼭 적습니다."),
    )


# --- Insurance --------------------------------------------------------------------------------


class PolicyForm(forms.Form):
    year = forms.IntegerField(label=_("보험 연도"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    insurer = forms.CharField(label=_("보험사"), max_length=200)
    policy_number = forms.CharField(label=_("증권번호"), max_length=100)
    per_claim_limit = amount_field(_("사고당 보상한도액(원)"))
    aggregate_limit = amount_field(_("총 보상한도액(원)"))
    premium = amount_field(_("보험료(원)"), required=False, help_text=_("원 단위 숫자(선택)"))
    notes = forms.CharField(label=_("비고"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def initial_for(cls, policy: Any) -> dict[str, Any]:
        return {
            "year": policy.year,
            "insurer": policy.insurer,
            "policy_number": policy.policy_number,
            "per_claim_limit": str(policy.per_claim_limit),
            "aggregate_limit": str(policy.aggregate_limit),
            "premium": "" if policy.premium is None else str(policy.premium),
            "notes": policy.notes,
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["premium"] = data["premium"] or None
        return data


class EnrolForm(forms.Form):
    prefix = "enrol"
    person_number = forms.CharField(label=_("직원번호"), max_length=30)
    ALIASES = {"person": "person_number"}

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people

    def clean_person_number(self) -> str:
        number = (self.cleaned_data.get("person_number") or "").strip()
        person = self.people.filter(employee_number=number).first()
        if person is None:
            raise forms.ValidationError(_("이 기관에 없는 직원번호입니다."))
        self.cleaned_data["person"] = person
        return number


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.code})"


class EnrolUnitForm(forms.Form):
    prefix = "unit"
    unit = UnitChoiceField(
        label=_("부서"),
        queryset=Unit.objects.none(),
        help_text=_("부서의 재직 중인 직원 가운데 아직 가입하지 않은 사람을 모두 가입시킵니다."),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class ClaimForm(forms.Form):
    person_number = forms.CharField(
        label=_("피보험자 직원번호"), max_length=30, help_text=_("이 보험에 가입한 직원이어야 합니다.")
    )
    incident_date = forms.DateField(label=_("사고일"), widget=DATE)
    description = forms.CharField(label=_("사고 내용"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    amount_claimed = amount_field(_("청구 금액(원)"))
    ALIASES = {"enrolment": "person_number"}


class ClaimDecideForm(forms.Form):
    prefix = "decide"
    decision = forms.ChoiceField(
        label=_("보험사 결정"),
        choices=[("accept", _("보상 승인")), ("reject", _("보상 거절"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("내용·사유"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("거절일 때는 사유를 꼭 적습니다."),
    )


class ClaimPayForm(forms.Form):
    prefix = "pay"
    amount = amount_field(_("보상 금액(원)"))
    paid_on = forms.DateField(label=_("보상 지급일"), widget=DATE)
    outcome = forms.CharField(
        label=_("처리 결과"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
