"""Forms of deliberation (declarations, challenges, votes, the decision). They only parse:
the services check every rule, so the pages and the API give the same messages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from committee.models import CommitteeMember, Declaration, Vote


class DeclarationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("이해충돌 신고"),
        choices=Declaration.Kind.choices,
        widget=forms.RadioSelect,
        help_text=_("제척 사유가 있거나 회피하면 이 안건의 표결과 열람 제한 자료에서 빠집니다."),
    )
    grounds = forms.ChoiceField(
        label=_("제척 사유"),
        required=False,
        choices=[("", _("해당 없음")), *Declaration.Grounds.choices],
        help_text=_("'제척 사유 있음'을 고르면 반드시 고릅니다. 회피는 고르지 않아도 됩니다."),
    )
    note = forms.CharField(label=_("설명"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ChallengeForm(forms.Form):
    member = forms.ChoiceField(label=_("기피 신청을 받은 위원"))
    raised_by = forms.CharField(label=_("신청인(당사자)"), max_length=200)
    grounds = forms.CharField(label=_("기피 사유"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, members: Iterable[CommitteeMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        self.fields["member"].choices = [("", _("골라 주십시오")), *((k, m.name) for k, m in self.members.items())]  # type: ignore[attr-defined]

    def member_obj(self) -> CommitteeMember:
        return self.members[self.cleaned_data["member"]]


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("표결"), choices=Vote.Choice.choices)


class DecideForm(forms.Form):
    resolution = forms.CharField(
        label=_("의결·자문 내용"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("가결되면 이 내용이 연결된 사건에 기록됩니다. 부결되어도 표결에 부친 안으로 회의록에 남습니다."),
    )
