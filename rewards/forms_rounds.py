"""Forms of the selection rounds' office pages. The services decide; the forms only read
input (and keep it when something is refused)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from committee.models import CommitteeMember, Meeting
from core.access import Actor
from core.forms import MultipleFileField
from institutions.models import Person
from portal.public import MAX_TEXT
from register.forms import WorkItemReferenceMixin
from rewards.models import CRITERIA, SCORE_MAX, SCORE_MIN, Candidate, Round

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label: Any, rows: int = 4, required: bool = True, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class RoundFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("상태"), required=False, choices=[("", _("전체")), *Round.Status.choices])
    year = forms.IntegerField(label=_("연도"), required=False, min_value=2000, max_value=2100)


class RoundForm(forms.Form):
    title = forms.CharField(label=_("명칭"), max_length=200)
    year = forms.IntegerField(label=_("연도"), min_value=2000, max_value=2100)
    period = forms.ChoiceField(
        label=_("기간"), choices=Round.Period.choices, help_text=_("기관 정책의 선발 주기에 맞는 기간을 고릅니다.")
    )
    nominations_open = forms.DateField(label=_("후보 접수 시작일"), widget=DATE)
    nominations_close = forms.DateField(label=_("후보 접수 마감일"), widget=DATE)
    select_count = forms.IntegerField(label=_("선발 인원"), min_value=1, max_value=1000)
    meeting = forms.ModelChoiceField(
        label=_("심의할 위원회 회의"),
        required=False,
        queryset=Meeting.objects.none(),
        help_text=_("정하면 그 회의에 참석하는 위원이 심사합니다. 비워 두면 위원 전원이 심사합니다."),
    )

    def __init__(self, *args: Any, institution_id: int | None, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meetings = Meeting.objects.filter(institution_id=institution_id or 0).order_by("-starts_at", "-pk")
        self.fields["meeting"].queryset = meetings[:100]  # type: ignore[attr-defined]
        if editing:
            del self.fields["year"]
            del self.fields["period"]

    @staticmethod
    def initial_for(round_: Round) -> dict[str, Any]:
        return {
            "title": round_.title,
            "nominations_open": round_.nominations_open,
            "nominations_close": round_.nominations_close,
            "select_count": round_.select_count,
            "meeting": round_.meeting_id,
        }


class NominateForm(WorkItemReferenceMixin, forms.Form):
    """A department nomination (a person of a unit the actor heads, or any official by
    employee number for an organiser) or a self-nomination (the actor's own person)."""

    person = forms.ModelChoiceField(label=_("추천할 공무원"), queryset=Person.objects.none())
    employee_number = forms.CharField(
        label=_("추천할 공무원의 공무원번호"), max_length=40, help_text=_("기관의 재직 공무원을 번호로 찾습니다.")
    )
    act = _text(_("적극행정 내용"), 6, help_text=_("무엇을 어떻게 적극적으로 처리했는지 적습니다."))
    effect = _text(_("효과"), 4)
    work_item_reference = forms.CharField(label=_("업무 등록부 관리번호(선택)"), required=False, max_length=100)
    attachments = MultipleFileField(label=_("증빙 파일(선택, 5개까지)"))

    def __init__(self, *args: Any, actor: Actor, people: QuerySet[Person] | None, by_number: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.actor = actor
        if people is None:
            del self.fields["person"]
        else:
            self.fields["person"].queryset = people  # type: ignore[attr-defined]
        if not by_number:
            del self.fields["employee_number"]

    def clean_employee_number(self) -> str:
        number = (self.cleaned_data.get("employee_number") or "").strip()
        if number:
            found = Person.objects.filter(
                institution_id=self.actor.institution_id or 0, employee_number=number, status=Person.Status.ACTIVE
            ).first()
            if found is None:
                raise forms.ValidationError(_("이 기관에 재직 중인 공무원의 번호가 아닙니다."))
            self.cleaned_data["person_by_number"] = found
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        both = "person" in self.fields and "employee_number" in self.fields
        if both and data.get("person") is not None and data.get("employee_number"):
            self.add_error("employee_number", _("공무원 선택과 번호 중 하나만 입력해 주십시오."))
        return data

    def chosen_person(self) -> Person | None:
        return self.cleaned_data.get("person") or self.cleaned_data.get("person_by_number")


class PullForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("후보로 올릴 공무원"),
        queryset=Person.objects.none(),
        help_text=_("팀 추천입니다. 추천된 부서의 공무원 한 명을 고릅니다."),
    )

    def __init__(self, *args: Any, people: QuerySet[Person] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is None:
            del self.fields["person"]
        else:
            self.fields["person"].queryset = people  # type: ignore[attr-defined]


class SubmitListForm(forms.Form):
    candidates = forms.ModelMultipleChoiceField(
        label=_("선발안에 넣을 후보"),
        queryset=Candidate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("선발안에 넣을 후보를 한 명 이상 고르십시오.")},
    )
    tie_reason = _text(
        _("동점·상위 후보를 뺀 사유"),
        3,
        required=False,
        help_text=_("점수가 같거나 높은 후보를 빼면 그 사유를 적습니다. 위원회가 읽습니다."),
    )

    def __init__(self, *args: Any, round_: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["candidates"]
        field.queryset = (  # type: ignore[attr-defined]
            Candidate.objects.filter(round=round_, status=Candidate.Status.PROPOSED, total__isnull=False)
            .select_related("person")
            .order_by("rank", "person__name", "pk")
        )
        field.label_from_instance = lambda c: f"{c.rank}. {c.person.name} ({c.total})"  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = _text(_("사유"), 3)


class ConflictForm(forms.Form):
    member = forms.ModelChoiceField(label=_("위원"), queryset=CommitteeMember.objects.none())
    reason = _text(_("이해충돌 사유"), 3)

    def __init__(self, *args: Any, members: QuerySet[CommitteeMember] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members is None:
            del self.fields["member"]
        else:
            self.fields["member"].queryset = members  # type: ignore[attr-defined]


class ScoreForm(forms.Form):
    def __init__(self, *args: Any, round_: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        weights = round_.weights
        for key, label, _field in CRITERIA:
            self.fields[key] = forms.IntegerField(
                label=label,
                min_value=SCORE_MIN,
                max_value=SCORE_MAX,
                help_text=_("%(a)d~%(b)d점, 가중치 %(w)d") % {"a": SCORE_MIN, "b": SCORE_MAX, "w": weights[key]},
                widget=forms.NumberInput(attrs={"min": SCORE_MIN, "max": SCORE_MAX, "inputmode": "numeric"}),
            )
