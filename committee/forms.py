"""Forms of the committee pool pages. The services check every rule, so the pages and the API
give the same messages; the forms only parse."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from committee.models import CommitteeMember, Tag
from committee.selectors import MAX_QUERY_LENGTH, MemberFilters
from institutions.models import Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemberFilterForm(forms.Form):
    q = forms.CharField(
        label=_("검색어"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=_("성명, 소속, 직위에서 찾습니다."),
    )
    kind = forms.ChoiceField(label=_("구분"), required=False, choices=[("", _("전체")), *CommitteeMember.Kind.choices])
    status = forms.ChoiceField(
        label=_("상태"), required=False, choices=[("", _("전체")), *CommitteeMember.Status.choices]
    )
    expertise = forms.ChoiceField(label=_("전문분야"), required=False)

    def __init__(self, *args: Any, tags: QuerySet[Tag], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expertise"].choices = [("", _("전체")), *((t.name, t.name) for t in tags)]  # type: ignore[attr-defined]

    def filters(self) -> MemberFilters:
        """The valid filters (an invalid one is ignored, never an error page)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return MemberFilters(
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            expertise=data.get("expertise") or "",
            q=data.get("q") or "",
        )


class MemberForm(forms.Form):
    """A member's particulars. On appointment also the kind, the person, the chair and the
    first term; on edit those fields are left out (they change by their own actions)."""

    kind = forms.ChoiceField(label=_("구분"), choices=CommitteeMember.Kind.choices)
    person_number = forms.CharField(
        label=_("직원번호(내부위원)"),
        required=False,
        max_length=30,
        help_text=_("내부위원이 이 기관의 직원이면 직원번호를 적습니다. 성명을 비우면 직원의 성명을 씁니다."),
    )
    name = forms.CharField(label=_("성명"), required=False, max_length=100)
    organisation = forms.CharField(
        label=_("소속"), required=False, max_length=200, help_text=_("예: 한빛대학교 법학과")
    )
    position = forms.CharField(label=_("직위"), required=False, max_length=100)
    gender = forms.ChoiceField(
        label=_("성별"),
        choices=CommitteeMember.Gender.choices,
        initial=CommitteeMember.Gender.UNDISCLOSED,
        help_text=_("성별 균형(어느 한 성별도 40% 미만이 되지 않도록)을 살피는 데만 씁니다."),
    )
    expertise = forms.CharField(
        label=_("전문분야"),
        required=False,
        max_length=600,
        help_text=_("쉼표로 나눠 적습니다. 예: 건축, 도시계획, 행정법"),
    )
    email = forms.CharField(label=_("전자우편"), required=False, max_length=254)
    phone = forms.CharField(label=_("전화번호"), required=False, max_length=30)
    is_audit_head = forms.BooleanField(label=_("감사부서의 장"), required=False)
    is_chair = forms.BooleanField(label=_("위원장"), required=False)
    username = forms.CharField(
        label=_("로그인 계정 아이디"),
        required=False,
        max_length=150,
        help_text=_("위원이 자료를 읽고 의결하려면 이 기관의 계정이 있어야 합니다. 계정은 시스템 관리자가 만듭니다."),
    )
    term_starts_on = forms.DateField(label=_("임기 시작일"), widget=DATE)
    term_ends_on = forms.DateField(
        label=_("임기 종료일"),
        required=False,
        widget=DATE,
        help_text=_("비워 두면 민간위원은 정책의 임기로 정하고, 내부위원(당연직)은 종료일 없이 둡니다."),
    )

    ALIASES = {"person": "person_number", "user": "username"}
    APPOINT_ONLY = ("kind", "person_number", "is_chair", "term_starts_on", "term_ends_on")

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            for name in self.APPOINT_ONLY:
                del self.fields[name]

    @classmethod
    def initial_for(cls, member: CommitteeMember) -> dict[str, Any]:
        return {
            "name": member.name,
            "organisation": member.organisation,
            "position": member.position,
            "gender": member.gender,
            "expertise": ", ".join(t.name for t in member.expertise.all()),
            "email": member.email,
            "phone": member.phone,
            "is_audit_head": member.is_audit_head,
            "username": member.user.get_username() if member.user else "",
        }

    def resolve(self, *, people: QuerySet[Person], users: QuerySet[User]) -> dict[str, Any] | None:
        """The service's keyword arguments, with the person and the account looked up in the
        institution; None (with the error next to its field) when one is not found."""
        data = dict(self.cleaned_data)
        number = data.pop("person_number", "") or ""
        username = data.pop("username", "") or ""
        person = user = None
        if number.strip():
            person = people.filter(employee_number=number.strip()).first()
            if person is None:
                self.add_error("person_number", _("이 기관에 없는 직원번호입니다."))
        if username.strip():
            user = users.filter(username__iexact=username.strip()).first()
            if user is None:
                self.add_error("username", _("이 기관에 없는 계정입니다."))
        if self.errors:
            return None
        if not self.editing:
            data["person"] = person
        data["user"] = user
        return data


class RenewForm(forms.Form):
    starts_on = forms.DateField(
        label=_("새 임기 시작일"), required=False, widget=DATE, help_text=_("비워 두면 현재 임기 종료일 다음 날입니다.")
    )
    ends_on = forms.DateField(
        label=_("새 임기 종료일"), required=False, widget=DATE, help_text=_("비워 두면 정책의 임기로 정합니다.")
    )


class DismissForm(forms.Form):
    grounds = forms.ChoiceField(
        label=_("해촉 사유"), choices=[("", _("골라 주십시오")), *CommitteeMember.Grounds.choices]
    )
    note = forms.CharField(
        label=_("상세 사유"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("'그 밖의 사유'를 고르면 반드시 적습니다."),
    )
    dismissed_on = forms.DateField(label=_("해촉일"), widget=DATE)

    def __init__(self, *args: Any, today: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if today is not None:
            self.fields["dismissed_on"].initial = today
