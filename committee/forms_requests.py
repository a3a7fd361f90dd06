"""Forms of the advice request and opinion pages. They only parse; the services
(committee/services/requests.py, opinions.py) check every rule and give the messages."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from committee.models import AdviceRequest, Meeting, Opinion
from committee.services.opinions import AUTHOR_MAX, BODY_MAX, NOTE_MAX
from committee.services.requests import ACT_MAX, TEXT_MAX, TITLE_MAX
from core.access import Actor
from exemptions.models import Presumption
from register.models import WorkItem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RECORDED_KIND_CHOICES = [
    (k.value, k.label) for k in (Opinion.Kind.STAKEHOLDER_WRITTEN, Opinion.Kind.STAKEHOLDER_HEARING, Opinion.Kind.LEGAL)
]


def work_item_by_reference(actor: Actor, reference: str) -> WorkItem | None:
    from core.errors import DomainError
    from register.selectors import visible_work_items

    reference = (reference or "").strip()
    if not reference:
        return None
    item = visible_work_items(actor).filter(reference=reference).first()
    if item is None:
        raise DomainError(str(_("업무 등록부에 없는 관리번호입니다.")), field="work_item_reference")
    return item


class AdviceRequestForm(forms.Form):
    title = forms.CharField(
        label=_("제목"), max_length=TITLE_MAX, help_text=_("예: 공사현장 가설 울타리의 도로점용 해당 여부")
    )
    task = forms.CharField(
        label=_("업무 내용"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("처리하려는 업무와 그 배경을 적습니다."),
    )
    rule = forms.CharField(
        label=_("불명확한 규정"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("해석이 분명하지 않은 법령·조례·지침의 조문과 그 이유를 적습니다."),
    )
    options = forms.CharField(
        label=_("검토한 방안"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("검토한 처리 방안과 각각의 장단점을 적습니다."),
    )
    work_item_reference = forms.CharField(
        label=_("업무 등록부 관리번호"),
        required=False,
        max_length=50,
        help_text=_(
            "이 업무가 등록부에 있으면 관리번호를 적습니다. 자문을 따른 기록이 같은 업무의 면책 검토에 쓰입니다."
        ),
    )

    ALIASES = {"work_item": "work_item_reference"}


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("상태"), required=False, choices=[("", _("전체")), *AdviceRequest.Status.choices]
    )

    def status_value(self) -> str:
        self.is_valid()
        return str(getattr(self, "cleaned_data", {}).get("status") or "")


class ScheduleForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("상정할 회의"),
        queryset=Meeting.objects.none(),
        empty_label=_("회의를 골라 주십시오"),
        help_text=_("준비 중이거나 소집된 회의만 고를 수 있습니다."),
    )

    def __init__(self, *args: Any, meetings: QuerySet[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        field.queryset = meetings  # type: ignore[attr-defined]
        field.label_from_instance = lambda m: (  # type: ignore[attr-defined]
            f"{m.reference} {m.title} ({m.starts_at:%Y-%m-%d}, {m.get_status_display()})"
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("취하 사유"), required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class OutcomeForm(forms.Form):
    followed = forms.ChoiceField(
        label=_("자문 이행 여부"), choices=[("", _("골라 주십시오")), *Presumption.Followed.choices]
    )
    acted_on = forms.DateField(
        label=_("처리일"), widget=DATE, help_text=_("자문에 따라(또는 자문과 달리) 업무를 처리한 날")
    )
    act = forms.CharField(
        label=_("처리한 업무·행위"),
        required=False,
        max_length=ACT_MAX,
        help_text=_("비워 두면 업무 등록부 항목의 업무명(없으면 요청 제목)을 씁니다."),
    )
    employee_numbers = forms.CharField(
        label=_("함께 처리한 공무원 직원번호"),
        required=False,
        max_length=600,
        help_text=_("요청자 본인은 자동으로 포함됩니다. 여럿이면 쉼표나 공백으로 나눕니다."),
    )
    note = forms.CharField(
        label=_("이행 내용"), required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, today: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if today is not None:
            self.fields["acted_on"].initial = today


class OpinionForm(forms.Form):
    kind = forms.ChoiceField(label=_("의견 구분"), choices=[("", _("골라 주십시오")), *RECORDED_KIND_CHOICES])
    author = forms.CharField(
        label=_("의견 제출자"), max_length=AUTHOR_MAX, help_text=_("예: 인근 주민 대표 김OO, 법무법인 누리")
    )
    body = forms.CharField(label=_("의견 내용"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 5}))
    received_on = forms.DateField(label=_("접수일"), widget=DATE)
    document = forms.FileField(label=_("첨부 문서"), required=False)

    def __init__(self, *args: Any, today: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if today is not None:
            self.fields["received_on"].initial = today


class AuditRequestForm(forms.Form):
    request_note = forms.CharField(
        label=_("요청 내용"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("감사부서가 검토할 쟁점을 적습니다. 제출기한은 정책의 일수(기본 10일)로 정합니다."),
    )


class AuditSubmitForm(forms.Form):
    body = forms.CharField(label=_("감사부서 의견"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 6}))
    document = forms.FileField(label=_("첨부 문서"), required=False)


class ExtendForm(forms.Form):
    reason = forms.CharField(label=_("연장 사유"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class OpinionWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("철회 사유"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2}))
