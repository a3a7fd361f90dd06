"""Forms of the library's pages: the case (office), the office list filters, the reason of
a return or unpublishing, and the public library's search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import Actor
from core.errors import DomainError
from core.forms import add_domain_error as shared_add_domain_error
from institutions.forms import OfficialsNumbersMixin
from institutions.models import Institution, Unit
from institutions.selectors import NAME_QUERY_LENGTH, public_by_name
from library.models import MIN_YEAR, BestPractice
from library.search import MAX_QUERY, SearchFilters
from library.selectors import MAX_QUERY_LENGTH, SCOPE_ALL, SCOPE_MINE, SCOPE_QUEUE, CaseFilters
from library.services import MAX_TEXT
from office.templatetags.ui import local_name
from register.forms import WorkItemReferenceMixin

#: institutions listed when a typed name fits several
CANDIDATES = 10

TEXTAREA = forms.Textarea(attrs={"rows": 5})
SMALL_TEXTAREA = forms.Textarea(attrs={"rows": 3})
MAX_ID = 2**63 - 1


ALIASES = {"work_item": "work_item_reference", "officials": "officials_numbers"}


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    shared_add_domain_error(form, error, ALIASES)


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class CaseForm(WorkItemReferenceMixin, OfficialsNumbersMixin, forms.Form):
    title = forms.CharField(label=_("제목"), max_length=200)
    unit = UnitChoiceField(label=_("부서"), queryset=Unit.objects.none())
    policy_field = forms.ChoiceField(label=_("분야"), choices=[("", "---------"), *BestPractice.PolicyField.choices])
    year = forms.IntegerField(label=_("연도"), min_value=MIN_YEAR, help_text=_("적극행정을 한 해입니다."))
    problem = forms.CharField(
        label=_("문제 상황"),
        required=False,
        max_length=MAX_TEXT,
        widget=TEXTAREA,
        help_text=_("무엇이 문제였고 누가 불편을 겪었는지 적습니다."),
    )
    action = forms.CharField(
        label=_("적극행정 내용"),
        required=False,
        max_length=MAX_TEXT,
        widget=TEXTAREA,
        help_text=_("규정이 불분명하거나 선례가 없을 때 어떻게 해결했는지 적습니다."),
    )
    result = forms.CharField(label=_("성과"), required=False, max_length=MAX_TEXT, widget=TEXTAREA)
    rule_improved = forms.CharField(
        label=_("개선한 제도·규정"), required=False, max_length=MAX_TEXT, widget=SMALL_TEXTAREA
    )
    beneficiaries = forms.CharField(
        label=_("혜택을 받은 사람"), required=False, max_length=300, help_text=_("예: 관내 소상공인 1,200명")
    )
    officials_numbers = forms.CharField(
        label=_("담당 공무원 직원번호"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("쉼표나 줄바꿈으로 나누어 적습니다."),
    )
    work_item_reference = forms.CharField(
        label=_("관련 업무 관리번호"),
        required=False,
        max_length=50,
        help_text=_("업무 등록부의 관리번호입니다. 예: BLD-2024-001"),
    )

    def __init__(self, *args: Any, actor: Actor, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["year"].max_value = timezone.localdate().year  # type: ignore[attr-defined]
        self.fields["year"].widget.attrs["max"] = timezone.localdate().year

    @classmethod
    def initial_for(cls, case: BestPractice) -> dict[str, Any]:
        return {
            "title": case.title,
            "unit": case.unit_id,
            "policy_field": case.policy_field,
            "year": case.year,
            "problem": case.problem,
            "action": case.action,
            "result": case.result,
            "rule_improved": case.rule_improved,
            "beneficiaries": case.beneficiaries,
            "officials_numbers": ", ".join(p.employee_number for p in case.officials.order_by("name")),
            "work_item_reference": case.work_item.reference if case.work_item else "",
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "unit": data["unit"],
            "title": data["title"],
            "policy_field": data["policy_field"],
            "year": data["year"],
            "problem": data.get("problem") or "",
            "action": data.get("action") or "",
            "result": data.get("result") or "",
            "rule_improved": data.get("rule_improved") or "",
            "beneficiaries": data.get("beneficiaries") or "",
            "officials": data.get("officials") or [],
            "work_item": data.get("work_item"),
        }


class ImageForm(forms.Form):
    file = forms.FileField(
        label=_("사진"),
        help_text=_("PNG·JPEG·GIF·WebP 사진만 올릴 수 있습니다. 위치정보 등 메타데이터는 지워서 공개합니다."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("사유"), max_length=MAX_TEXT, widget=SMALL_TEXTAREA)


class FilterForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("보기"),
        required=False,
        choices=[(SCOPE_MINE, _("내가 쓴 사례")), (SCOPE_QUEUE, _("검토 대기")), (SCOPE_ALL, _("전체"))],
    )
    status = forms.ChoiceField(label=_("상태"), required=False, choices=[("", _("전체")), *BestPractice.Status.choices])
    q = forms.CharField(label=_("제목 검색"), required=False, max_length=MAX_QUERY_LENGTH)

    def __init__(self, *args: Any, scopes: list[str], default_scope: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_scope = default_scope
        field = self.fields["scope"]
        field.choices = [c for c in field.choices if c[0] in scopes]  # type: ignore[attr-defined]
        field.initial = default_scope

    def filters(self) -> CaseFilters:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return CaseFilters(
            scope=data.get("scope") or self.default_scope, status=data.get("status") or "", q=data.get("q") or ""
        )


def _label(institution: Institution) -> str:
    """An institution's name in the current language, with the body above it (two
    institutions may share a name: 중구 of Seoul and of Busan)."""
    if institution.parent is None:
        return local_name(institution)
    return f"{local_name(institution)} ({local_name(institution.parent)})"


class LibrarySearchForm(forms.Form):
    """The public library's search and filters. An invalid filter is ignored (never an
    error page); the query is cut, not refused.

    The institution is typed, not chosen from a list of every institution with a published
    case (at national size a thousand options: 6 KiB of markup and the fonts of all their
    names on every visit, ADR 0036). A name that fits one institution picks it; one that
    fits several lists them as links that pick one (`institution`, kept in a hidden field
    while the typed name stays the picked one's); one that fits none says so."""

    q = forms.CharField(
        label=_("검색어"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": MAX_QUERY, "type": "search"}),
        help_text=_("제목, 문제 상황, 적극행정 내용, 성과에서 찾습니다. 두 글자 낱말(예: 주차)도 찾을 수 있습니다."),
    )
    org = forms.CharField(
        label=_("기관"),
        required=False,
        max_length=NAME_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"maxlength": NAME_QUERY_LENGTH}),
        help_text=_("기관 이름이나 그 일부를 입력하십시오(예: 교육청)."),
    )
    institution = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    policy_field = forms.ChoiceField(
        label=_("분야"), required=False, choices=[("", _("전체 분야")), *BestPractice.PolicyField.choices]
    )
    year = forms.TypedChoiceField(label=_("연도"), required=False, coerce=int, empty_value=None, choices=[])

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("전체 연도")), *[(y, str(y)) for y in years]]  # type: ignore[attr-defined]
        self.picked: Institution | None = None
        #: the institutions a typed name fits, when it fits several: (name, the query that picks it)
        self.candidates: list[tuple[str, str]] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed = (data.get("org") or "").strip()
        pk = data.get("institution")
        if pk is not None:
            picked = Institution.objects.filter(pk=pk, is_active=True).first()
            # a link from elsewhere names the institution alone; an emptied or changed name
            # field means the visitor no longer wants it
            unnamed = "org" not in self.data
            if picked is not None and (unnamed or typed in (picked.name, picked.name_en, local_name(picked))):
                self._pick(picked)
                return data
        if not typed:
            return data
        fits = public_by_name(typed, limit=CANDIDATES + 1)
        exact = [i for i in fits if typed.casefold() in (i.name.casefold(), i.name_en.casefold())]  # listed first
        if len(exact) == 1 or len(fits) == 1:
            self._pick((exact or fits)[0])
        elif not fits:
            self.add_error("org", _("이름이 맞는 기관이 없습니다. 다른 이름으로 찾아 보십시오."))
        else:
            self.candidates = [(_label(i), self._picking(i).urlencode()) for i in fits[:CANDIDATES]]
            if len(fits) > CANDIDATES:
                message = _("이름이 맞는 기관이 %(n)d곳보다 많습니다. 아래에서 고르거나 이름을 더 입력해 보십시오.")
                self.add_error("org", message % {"n": CANDIDATES})
            else:
                self.add_error("org", _("이름이 맞는 기관이 여럿입니다. 아래에서 고르십시오."))
        return data

    def _pick(self, institution: Institution) -> None:
        """The institution filters the list; the field shows its name and the hidden field
        keeps it for the next search."""
        self.picked = institution
        self.data = self._picking(institution)

    def _picking(self, institution: Institution) -> QueryDict:
        """This search's parameters with `institution` picked, on the first page."""
        query = QueryDict(mutable=True)
        for key, values in dict(self.data.lists() if isinstance(self.data, QueryDict) else {}).items():
            query.setlist(key, values)
        query["org"], query["institution"] = local_name(institution), str(institution.pk)
        query.pop("page", None)
        return query

    def query(self) -> str:
        raw = self.data.get("q", "") if self.is_bound else ""
        return str(raw)[:MAX_QUERY]

    def filters(self) -> SearchFilters:
        if not self.is_bound:
            return SearchFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return SearchFilters(
            institution_id=self.picked.pk if self.picked is not None else None,
            policy_field=data.get("policy_field") or "",
            year=data.get("year"),
        )
