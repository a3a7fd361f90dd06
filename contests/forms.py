"""The contests' forms (office and portal). Parsing only: the rules are in the services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from contests import services
from contests.models import MAX_SCORE, Contest, ContestJudge, Entry

SCORE_HELP = _("0에서 100 사이의 정수")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class ContestForm(forms.Form):
    title = forms.CharField(label=_("대회 이름"), max_length=200)
    description = forms.CharField(label=_("소개"), required=False, max_length=5000, widget=forms.Textarea)
    scope = forms.ChoiceField(label=_("구분"), choices=Contest.Scope.choices)
    entry_opens_on = forms.DateField(label=_("출품 시작일"), widget=forms.DateInput(attrs={"type": "date"}))
    entry_closes_on = forms.DateField(label=_("출품 마감일"), widget=forms.DateInput(attrs={"type": "date"}))
    vote_opens_at = forms.DateTimeField(
        label=_("국민 투표 시작"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    vote_closes_at = forms.DateTimeField(
        label=_("국민 투표 마감"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("본선 진출작이 정해진 뒤 이 기간에 국민코너에서 투표를 받습니다."),
    )
    weight_panel = forms.IntegerField(label=_("국민심사단 비중(%)"), min_value=0, max_value=MAX_SCORE, initial=30)
    weight_expert = forms.IntegerField(label=_("전문가 비중(%)"), min_value=0, max_value=MAX_SCORE, initial=50)
    weight_public = forms.IntegerField(
        label=_("온라인 투표 비중(%)"),
        min_value=0,
        max_value=MAX_SCORE,
        initial=20,
        help_text=_("세 비중의 합이 100이어야 합니다(예: 30 / 50 / 20)."),
    )
    finalists = forms.IntegerField(label=_("본선 진출 수"), min_value=1, max_value=50, initial=5)

    def data_for_service(self) -> services.Settings:
        d = self.cleaned_data
        return services.Settings(
            title=d["title"],
            description=d["description"],
            scope=d["scope"],
            entry_opens_on=d["entry_opens_on"],
            entry_closes_on=d["entry_closes_on"],
            vote_opens_at=d["vote_opens_at"],
            vote_closes_at=d["vote_closes_at"],
            weight_panel=d["weight_panel"],
            weight_expert=d["weight_expert"],
            weight_public=d["weight_public"],
            finalists=d["finalists"],
        )

    @staticmethod
    def initial_for(contest: Contest) -> dict[str, Any]:
        from django.utils import timezone

        def local(value: Any) -> Any:
            return timezone.localtime(value) if value is not None else None

        return {
            "title": contest.title,
            "description": contest.description,
            "scope": contest.scope,
            "entry_opens_on": contest.entry_opens_on,
            "entry_closes_on": contest.entry_closes_on,
            "vote_opens_at": local(contest.vote_opens_at),
            "vote_closes_at": local(contest.vote_closes_at),
            "weight_panel": contest.weight_panel,
            "weight_expert": contest.weight_expert,
            "weight_public": contest.weight_public,
            "finalists": contest.finalists,
        }


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("상태"), required=False, choices=[("", _("전체")), *list(Contest.Status.choices)]
    )

    def status_value(self) -> str:
        return self.cleaned_data.get("status", "") if self.is_valid() else ""


class PickerForm(forms.Form):
    q = forms.CharField(label=_("우수사례 제목으로 찾기"), required=False, max_length=100)


class EntryAddForm(forms.Form):
    case = forms.IntegerField(label=_("우수사례"), min_value=1, max_value=2**62, widget=forms.HiddenInput)


class JudgeForm(forms.Form):
    user = forms.ModelChoiceField(label=_("심사위원"), queryset=User.objects.none())
    kind = forms.ChoiceField(label=_("심사 구분"), choices=ContestJudge.Kind.choices)

    def __init__(self, *args: Any, users: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = users
        field.label_from_instance = lambda u: f"{u} ({u.get_username()})"  # type: ignore[method-assign]


class ScoreForm(forms.Form):
    """One score (and a comment) per entry; blank rows are left alone."""

    def __init__(self, *args: Any, entries: Iterable[Entry], with_comment: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entry_ids: list[int] = []
        for entry in entries:
            self.entry_ids.append(entry.pk)
            self.fields[f"score_{entry.pk}"] = forms.IntegerField(
                label=_("%(title)s 점수") % {"title": entry.best_practice.title},
                required=False,
                min_value=0,
                max_value=MAX_SCORE,
                help_text=SCORE_HELP,
            )
            if with_comment:
                self.fields[f"comment_{entry.pk}"] = forms.CharField(
                    label=_("%(title)s 의견") % {"title": entry.best_practice.title},
                    required=False,
                    max_length=services.MAX_COMMENT,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField | None]]:
        return [
            (self[f"score_{pk}"], self[f"comment_{pk}"] if f"comment_{pk}" in self.fields else None)
            for pk in self.entry_ids
        ]

    def scores(self) -> dict[int, tuple[int, str]]:
        found: dict[int, tuple[int, str]] = {}
        for pk in self.entry_ids:
            score = self.cleaned_data.get(f"score_{pk}")
            if score is not None:
                found[pk] = (score, self.cleaned_data.get(f"comment_{pk}", "") or "")
        return found

    def panel(self) -> dict[int, int | None]:
        return {pk: self.cleaned_data.get(f"score_{pk}") for pk in self.entry_ids}


class FinalistForm(forms.Form):
    entries = forms.TypedMultipleChoiceField(
        label=_("본선 진출작"), coerce=int, widget=forms.CheckboxSelectMultiple, required=True
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["entries"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = choices


class GradeForm(forms.Form):
    def __init__(self, *args: Any, entries: Iterable[Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entry_ids: list[int] = []
        for entry in entries:
            self.entry_ids.append(entry.pk)
            self.fields[f"grade_{entry.pk}"] = forms.ChoiceField(
                label=_("%(title)s 수상 등급") % {"title": entry.best_practice.title},
                required=False,
                choices=[("", _("등급 없음")), *list(Entry.Grade.choices)],
            )

    def grades(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(f"grade_{pk}", "") or "" for pk in self.entry_ids}


# --- Portal ---------------------------------------------------------------------------


class EmailForm(forms.Form):
    email = forms.CharField(
        label=_("전자우편 주소"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "확인 코드를 보내는 데만 씁니다. 주소는 저장하지 않고, 한 번만 투표했는지 확인할 암호값만 남깁니다."
        ),
    )


class VoteForm(forms.Form):
    ticket = forms.CharField(widget=forms.HiddenInput, max_length=500)
    entry = forms.TypedChoiceField(label=_("투표할 사례"), coerce=int, widget=forms.RadioSelect)
    code = forms.CharField(
        label=_("확인 코드(6자리)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args: Any, entries: Iterable[Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["entry"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(e.pk, e.best_practice.title) for e in entries]
