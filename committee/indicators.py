"""The committee's figures on the dashboards (issue 7, ADR 0024), registered from
CommitteeConfig.ready(). Each source counts one kind of event, dated by its own date: a
meeting held on the day it sat, an agenda item decided when it was decided, advice given
on the day the committee adopted it, the official's outcome on the day they acted, an
opinion heard on the day it was received. Draft, cancelled or withdrawn meetings and items
never count."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from committee.models import AdviceRequest, AgendaItem, Meeting, Opinion
from exemptions.models import Presumption
from oversight import indicators
from oversight.indicators import DrillRow, Measure, Source
from oversight.period import Period

SECTION = "committee"

#: Agenda items about one official's case: the drill-down shows their kind, not their title.
PERSONAL_KINDS = frozenset({AgendaItem.Kind.EXEMPTION, AgendaItem.Kind.LITIGATION})


# --- Meetings held --------------------------------------------------------------------


def meetings_held(period: Period, as_of: datetime.date) -> QuerySet[Meeting]:
    """Meetings (or rounds of written deliberation) that sat in the period and were closed."""
    return Meeting.objects.filter(indicators.at_in_period("starts_at", period), status=Meeting.Status.CLOSED)


def meeting_row(meeting: Meeting) -> DrillRow:
    return DrillRow(
        reference=meeting.reference,
        title=meeting.title,
        state=meeting.get_status_display(),
        on=meeting.starts_at,
        url=reverse("committee:meeting_detail", kwargs={"pk": meeting.pk}),
    )


# --- Agenda items decided -------------------------------------------------------------


def items_decided(period: Period, as_of: datetime.date) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(indicators.at_in_period("decided_at", period), status=AgendaItem.Status.DECIDED)


def item_row(item: AgendaItem) -> DrillRow:
    return DrillRow(
        reference=f"{item.meeting.reference}-{item.order}",
        title=item.get_kind_display() if item.kind in PERSONAL_KINDS else item.title,
        state=item.get_result_display() or item.get_status_display(),
        on=item.decided_at,
        url=reverse("committee:item_detail", kwargs={"pk": item.pk}),
    )


# --- Advice given and followed (an official's advice request) -------------------------------


def advice_given(period: Period, as_of: datetime.date) -> QuerySet[AdviceRequest]:
    return AdviceRequest.objects.filter(indicators.in_period("advised_on", period))


def advice_acted(period: Period, as_of: datetime.date) -> QuerySet[AdviceRequest]:
    return AdviceRequest.objects.filter(indicators.in_period("acted_on", period)).exclude(followed="")


def _advice_row(date_field: str) -> Callable[[AdviceRequest], DrillRow]:
    def row(request: AdviceRequest) -> DrillRow:
        return DrillRow(
            reference=request.reference,
            title=request.title,
            state=request.get_status_display(),
            on=getattr(request, date_field),
            url=reverse("committee:advice_request_detail", kwargs={"pk": request.pk}),
        )

    return row


# --- Opinions heard -------------------------------------------------------------------


def opinions_heard(period: Period, as_of: datetime.date) -> QuerySet[Opinion]:
    """Opinions the committee received on its items in the period (stakeholders, the audit
    unit, legal opinions); requests still open or withdrawn are not counted."""
    return Opinion.objects.filter(indicators.in_period("received_on", period), status=Opinion.Status.RECEIVED)


def opinion_row(opinion: Opinion) -> DrillRow:
    # The author may be a stakeholder (a private person): the kind stands for the title.
    return DrillRow(
        reference=f"{opinion.item.meeting.reference}-{opinion.item.order}",
        title=opinion.get_kind_display(),
        state=opinion.get_status_display(),
        on=opinion.received_on,
        url=reverse("committee:item_detail", kwargs={"pk": opinion.item_id}),
    )


def register() -> None:
    indicators.register_source(
        Source(
            key="committee.meetings",
            section=SECTION,
            rows=meetings_held,
            measures=(
                Measure(
                    "committee.meetings",
                    _("회의 개최"),
                    help=_("기간 중 열려 종료된 회의(서면 심의 포함, 취소·준비 중 제외)"),
                ),
            ),
            row=meeting_row,
            order_by=("-starts_at", "-pk"),
        )
    )
    indicators.register_source(
        Source(
            key="committee.items",
            section=SECTION,
            rows=items_decided,
            measures=(
                Measure("committee.items_decided", _("안건 의결"), help=_("기간 중 의결한 안건(가결·부결 등)")),
                Measure(
                    "committee.items_adopted",
                    _("안건 가결"),
                    condition=Q(result=AgendaItem.Result.ADOPTED),
                    help=_("기간 중 의결한 안건 중 가결된 안건"),
                ),
            ),
            row=item_row,
            order_by=("-decided_at", "-pk"),
            related=("meeting",),
        )
    )
    indicators.register_source(
        Source(
            key="committee.advice_given",
            section=SECTION,
            rows=advice_given,
            measures=(
                Measure(
                    "committee.advice_given",
                    _("자문 제공"),
                    help=_("공무원의 자문 요청에 위원회가 기간 중 자문한 건(자문일 기준)"),
                ),
            ),
            row=_advice_row("advised_on"),
            order_by=("-advised_on", "-pk"),
        )
    )
    indicators.register_source(
        Source(
            key="committee.advice_acted",
            section=SECTION,
            rows=advice_acted,
            measures=(
                Measure(
                    "committee.advice_acted",
                    _("자문 이행 결과 기록"),
                    help=_("요청 공무원이 기간 중 처리한 날짜로 이행 결과를 기록한 건"),
                ),
                Measure(
                    "committee.advice_followed",
                    _("자문 이행"),
                    condition=Q(followed=Presumption.Followed.FOLLOWED),
                    help=_("이행 결과 중 자문을 그대로 이행한 건(일부 이행·미이행 제외)"),
                ),
            ),
            row=_advice_row("acted_on"),
            order_by=("-acted_on", "-pk"),
        )
    )
    indicators.register_source(
        Source(
            key="committee.opinions",
            section=SECTION,
            rows=opinions_heard,
            measures=(
                Measure(
                    "committee.opinions_heard",
                    _("의견 청취"),
                    help=_("기간 중 접수한 이해관계인·감사부서·법률 자문 의견"),
                ),
            ),
            row=opinion_row,
            order_by=("-received_on", "-pk"),
            related=("item__meeting",),
        )
    )
