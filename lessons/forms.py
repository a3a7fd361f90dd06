"""Forms of the lessons pages. The services decide; the forms only read input (and keep it
on an error)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lessons.models import MIN_YEAR, Lesson
from lessons.selectors import MAX_QUERY, CasebookFilters
from lessons.services import MAX_TEXT, MAX_TITLE
from reports.models import Report

TEXTAREA = forms.Textarea(attrs={"rows": 6})
ANONYMOUS_HINT = _("이름, 부서, 직원번호, 신고번호, 연락처처럼 사건을 알아볼 수 있는 내용은 쓰지 않습니다.")


class LessonForm(forms.Form):
    title = forms.CharField(label=_("제목"), max_length=MAX_TITLE)
    kind = forms.ChoiceField(label=_("소극행정 유형"), choices=Report.Kind.choices)
    year = forms.IntegerField(label=_("연도"), min_value=MIN_YEAR, help_text=_("사건이 종결된 해입니다."))
    what_happened = forms.CharField(
        label=_("무슨 일이 있었나"),
        required=False,
        max_length=MAX_TEXT,
        widget=TEXTAREA,
        help_text=ANONYMOUS_HINT,
    )
    what_went_wrong = forms.CharField(
        label=_("무엇이 잘못되었나"),
        required=False,
        max_length=MAX_TEXT,
        widget=TEXTAREA,
        help_text=_("어떤 의무를 어떻게 소홀히 했는지 일반적인 표현으로 적습니다."),
    )
    measures = forms.CharField(
        label=_("조치 결과(징계 등)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("예: 관련 공무원 경징계 요구, 부서 기관경고"),
    )
    lessons_learned = forms.CharField(label=_("교훈과 예방"), required=False, max_length=MAX_TEXT, widget=TEXTAREA)
    share_with_group = forms.BooleanField(
        label=_("같은 상급기관 소속 기관의 공무원도 볼 수 있게 공유합니다"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].max_value = this_year  # type: ignore[attr-defined]
        self.fields["year"].widget.attrs["max"] = this_year

    @classmethod
    def initial_for(cls, lesson: Lesson) -> dict[str, Any]:
        return {
            "title": lesson.title,
            "kind": lesson.kind,
            "year": lesson.year,
            "what_happened": lesson.what_happened,
            "what_went_wrong": lesson.what_went_wrong,
            "measures": lesson.measures,
            "lessons_learned": lesson.lessons_learned,
            "share_with_group": lesson.share_with_group,
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": data["kind"],
            "year": data["year"],
            "what_happened": data.get("what_happened") or "",
            "what_went_wrong": data.get("what_went_wrong") or "",
            "measures": data.get("measures") or "",
            "lessons_learned": data.get("lessons_learned") or "",
            "share_with_group": bool(data.get("share_with_group")),
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("사유"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}))


class PublishForm(forms.Form):
    confirmed = forms.BooleanField(
        label=_("이름·부서·번호·연락처 등 사건을 알아볼 수 있는 내용이 없음을 확인했습니다"),
        required=True,
        error_messages={"required": _("비식별 처리를 확인했다는 데 표시해 주십시오.")},
    )


class OfficeFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("상태"), required=False, choices=[("", _("전체")), *Lesson.Status.choices])


class CasebookForm(forms.Form):
    """The casebook's search and filters. An invalid filter is ignored; the query is cut."""

    q = forms.CharField(
        label=_("검색어"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": MAX_QUERY, "type": "search"}),
        help_text=_("제목과 내용에서 찾습니다. 여러 낱말은 모두 들어 있는 사례를 찾습니다."),
    )
    kind = forms.ChoiceField(label=_("유형"), required=False, choices=[("", _("전체 유형")), *Report.Kind.choices])
    year = forms.TypedChoiceField(label=_("연도"), required=False, coerce=int, empty_value=None, choices=[])

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("전체 연도")), *[(y, str(y)) for y in years]]  # type: ignore[attr-defined]

    def filters(self) -> CasebookFilters:
        if not self.is_bound:
            return CasebookFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return CasebookFilters(
            q=str(self.data.get("q", ""))[:MAX_QUERY], kind=data.get("kind") or "", year=data.get("year")
        )
