"""Forms of the meeting pages. The services check every rule; the forms only parse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from committee.models import AgendaItem, Meeting

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class MeetingFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("상태"), required=False, choices=[("", _("전체")), *Meeting.Status.choices])
    year = forms.TypedChoiceField(label=_("연도"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("전체")), *((y, str(y)) for y in years)]  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"status": data.get("status") or "", "year": data.get("year") or None}


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("회의 명칭"), max_length=200, help_text=_("예: 2026년 제3차 적극행정위원회"))
    mode = forms.ChoiceField(
        label=_("심의 방식"),
        choices=Meeting.Mode.choices,
        initial=Meeting.Mode.IN_PERSON,
        widget=forms.RadioSelect,
        help_text=_("서면 심의는 기관 정책이 허용할 때만 열 수 있습니다."),
    )
    starts_at = forms.DateTimeField(label=_("일시"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    place = forms.CharField(
        label=_("장소"), required=False, max_length=200, help_text=_("대면 회의는 반드시 적습니다.")
    )
    written_reason = forms.ChoiceField(
        label=_("서면 심의 사유"), required=False, choices=[("", _("해당 없음")), *Meeting.WrittenReason.choices]
    )
    vote_deadline = forms.DateTimeField(
        label=_("서면 의결 마감"),
        required=False,
        widget=DATETIME,
        input_formats=DATETIME_FORMATS,
        help_text=_("서면 심의만: 위원이 이 일시까지 온라인으로 의결합니다."),
    )

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict[str, Any]:
        return {
            "title": meeting.title,
            "mode": meeting.mode,
            "starts_at": meeting.starts_at,
            "place": meeting.place,
            "written_reason": meeting.written_reason,
            "vote_deadline": meeting.vote_deadline,
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("사유"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("안건 유형"), choices=[("", _("골라 주십시오")), *AgendaItem.Kind.choices])
    case = forms.ChoiceField(
        label=_("연결할 사건"),
        required=False,
        help_text=_("이 안건이 결정할 사건(사전컨설팅, 면책 사건, 자문 요청 등)을 고릅니다. 없으면 비워 둡니다."),
    )
    title = forms.CharField(label=_("안건명"), max_length=300)
    summary = forms.CharField(label=_("안건 요지"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    expertise = forms.CharField(
        label=_("관련 전문분야"),
        required=False,
        max_length=600,
        help_text=_("쉼표로 나눠 적습니다. 위원 추천에 씁니다. 예: 건축, 도시계획"),
    )

    def __init__(
        self, *args: Any, case_choices: list[tuple[str, Any]] | None = None, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["kind"]
            del self.fields["case"]
        else:
            self.fields["case"].choices = [("", _("연결하지 않음")), *(case_choices or [])]  # type: ignore[attr-defined]


class PaperForm(forms.Form):
    file = forms.FileField(label=_("회의 자료"))
    restricted = forms.BooleanField(
        label=_("열람 제한 자료"),
        required=False,
        help_text=_("제척·기피·회피된 위원은 열람 제한 자료를 볼 수 없습니다."),
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("참석 여부"),
        choices=[("confirmed", _("참석")), ("declined", _("불참"))],
        widget=forms.RadioSelect,
    )


class AccountForm(forms.Form):
    username = forms.CharField(label=_("아이디"), max_length=150, help_text=_("영문, 숫자와 @ . + - _ 만 씁니다."))
    email = forms.CharField(
        label=_("전자우편"), max_length=254, help_text=_("비밀번호를 정하는 일회용 링크를 이 주소로 보냅니다.")
    )
