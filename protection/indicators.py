"""The protection figures on the dashboards (issue 7, ADR 0024), registered from
ProtectionConfig.ready(): support requests filed (on the day they were filed), decided
(granted or not, on the decision date, with the amount granted), the money paid out (on
each payment's date), and the liability insurance claims filed and paid. A protection case
is personal: its drill-down row shows the kind of support and the state, never the act or
the names."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight import indicators
from oversight.indicators import AMOUNT, DrillRow, Measure, Source
from oversight.period import Period
from protection.models import Claim, SupportPayment, SupportRequest

SECTION = "protection"
S = SupportRequest.Status

#: Decided and granted: approved, then (partly) paid and closed. Rejected is the other outcome;
#: a withdrawn request was never decided.
GRANTED = Q(status__in=[S.APPROVED, S.PARTLY_PAID, S.PAID, S.CLOSED])


def _request_url(pk: int) -> str:
    return reverse("protection:detail", kwargs={"pk": pk})


# --- Support requests -------------------------------------------------------------------


def requests_filed(period: Period, as_of: datetime.date) -> QuerySet[SupportRequest]:
    """Every request filed in the period (one withdrawn later was still filed)."""
    return SupportRequest.objects.filter(indicators.at_in_period("created_at", period))


def requests_decided(period: Period, as_of: datetime.date) -> QuerySet[SupportRequest]:
    return SupportRequest.objects.filter(indicators.in_period("decided_on", period))


def filed_row(request: SupportRequest) -> DrillRow:
    return DrillRow(
        request.reference,
        request.get_kind_display(),
        request.get_status_display(),
        request.created_at,
        _request_url(request.pk),
    )


def decided_row(request: SupportRequest) -> DrillRow:
    return DrillRow(
        request.reference,
        request.get_kind_display(),
        request.get_status_display(),
        request.decided_on,
        _request_url(request.pk),
    )


# --- Payments ---------------------------------------------------------------------------


def payments_made(period: Period, as_of: datetime.date) -> QuerySet[SupportPayment]:
    return SupportPayment.objects.filter(indicators.in_period("paid_on", period))


def payment_row(payment: SupportPayment) -> DrillRow:
    request = payment.request
    return DrillRow(
        request.reference,
        request.get_kind_display(),
        request.get_status_display(),
        payment.paid_on,
        _request_url(request.pk),
    )


# --- Liability insurance claims -------------------------------------------------------------


def claims_filed(period: Period, as_of: datetime.date) -> QuerySet[Claim]:
    return Claim.objects.filter(indicators.at_in_period("created_at", period))


def claims_paid(period: Period, as_of: datetime.date) -> QuerySet[Claim]:
    return Claim.objects.filter(indicators.in_period("paid_on", period), status=Claim.Status.PAID)


def _claim_row(claim: Claim, on: datetime.date | datetime.datetime | None) -> DrillRow:
    return DrillRow(
        f"{claim.enrolment.policy.policy_number} #{claim.pk}",
        str(_("배상책임보험 청구")),
        claim.get_status_display(),
        on,
        reverse("protection:claim_detail", kwargs={"pk": claim.pk}),
    )


def claim_filed_row(claim: Claim) -> DrillRow:
    return _claim_row(claim, claim.created_at)


def claim_paid_row(claim: Claim) -> DrillRow:
    return _claim_row(claim, claim.paid_on)


def register() -> None:
    indicators.register_source(
        Source(
            key="protection.requests",
            section=SECTION,
            rows=requests_filed,
            measures=(
                Measure(
                    "protection.requests",
                    _("지원 신청"),
                    help=_("기간 중 접수한 보호 지원 신청(나중에 취하한 신청 포함)"),
                ),
            ),
            row=filed_row,
            order_by=("-created_at", "-pk"),
        )
    )
    indicators.register_source(
        Source(
            key="protection.decided",
            section=SECTION,
            rows=requests_decided,
            measures=(
                Measure(
                    "protection.granted",
                    _("지원 결정"),
                    condition=GRANTED,
                    help=_("기간 중 결정일이 든 신청 중 지원하기로 한 신청"),
                ),
                Measure(
                    "protection.rejected",
                    _("지원하지 않음"),
                    condition=Q(status=S.REJECTED),
                    help=_("기간 중 결정일이 든 신청 중 지원하지 않기로 한 신청"),
                ),
                Measure(
                    "protection.amount_granted",
                    _("지원 결정 금액"),
                    kind=AMOUNT,
                    condition=GRANTED,  # the drill-down lists the granted requests only
                    aggregate=lambda: Sum("amount_approved", filter=GRANTED),
                    help=_("기간 중 지원하기로 결정한 금액의 합계(원)"),
                ),
            ),
            row=decided_row,
            order_by=("-decided_on", "-pk"),
        )
    )
    indicators.register_source(
        Source(
            key="protection.payments",
            section=SECTION,
            rows=payments_made,
            measures=(
                Measure(
                    "protection.amount_paid",
                    _("지원금 지급액"),
                    kind=AMOUNT,
                    aggregate=lambda: Sum("amount"),
                    help=_("기간 중 지급일이 든 지원금 지급의 합계(원)"),
                ),
            ),
            row=payment_row,
            order_by=("-paid_on", "-pk"),
            related=("request",),
        )
    )
    indicators.register_source(
        Source(
            key="protection.claims",
            section=SECTION,
            rows=claims_filed,
            measures=(
                Measure(
                    "protection.claims",
                    _("보험금 청구"),
                    help=_("기간 중 등록한 배상책임보험 보험금 청구"),
                ),
            ),
            row=claim_filed_row,
            order_by=("-created_at", "-pk"),
            related=("enrolment__policy",),
        )
    )
    indicators.register_source(
        Source(
            key="protection.claims_paid",
            section=SECTION,
            rows=claims_paid,
            measures=(
                Measure(
                    "protection.claims_paid",
                    _("보험금 지급"),
                    help=_("기간 중 보험사가 보상금을 지급한 청구(지급일 기준)"),
                ),
                Measure(
                    "protection.claim_amount_paid",
                    _("보험 보상 지급액"),
                    kind=AMOUNT,
                    aggregate=lambda: Sum("amount_paid"),
                    help=_("기간 중 보험사가 지급한 보상금의 합계(원)"),
                ),
            ),
            row=claim_paid_row,
            order_by=("-paid_on", "-pk"),
            related=("enrolment__policy",),
        )
    )
