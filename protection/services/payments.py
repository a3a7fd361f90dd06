"""Payments on approved requests, held within three limits (ADR 0011 §Limits):

1. the amount approved for the request;
2. the institution's per-case limit (`Policy.support_per_case_limit`), over all payments of
   the request;
3. the institution's yearly limit (`Policy.support_yearly_limit`), over all payments to the
   same official (any request) whose payment date falls in the same calendar year.

The request row and the official's person row are locked (SELECT ... FOR UPDATE) before the
sums are read, so two payments at the same moment cannot both pass a limit."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import Actor
from core.errors import DomainError
from institutions.models import Person
from protection import rules
from protection.models import SupportPayment, SupportRequest
from protection.workflow import SUPPORT, case_roles


def paid_in_year(person_id: int, year: int) -> int:
    """What the official was paid in support in one calendar year (payment dates)."""
    total = SupportPayment.objects.filter(person_id=person_id, paid_on__year=year).aggregate(total=Sum("amount"))
    return int(total["total"] or 0)


@dataclass(frozen=True)
class Headroom:
    """What may still be paid on a request, by each limit (won). None: no such limit applies."""

    per_case_limit: int
    per_case_remaining: int
    approved_remaining: int | None
    year: int
    yearly_limit: int
    paid_in_year: int
    yearly_remaining: int

    @property
    def payable(self) -> int:
        """The most one payment dated in `year` could be."""
        values = [self.per_case_remaining, self.yearly_remaining]
        if self.approved_remaining is not None:
            values.append(self.approved_remaining)
        return max(min(values), 0)


def headroom(request: SupportRequest, *, year: int | None = None) -> Headroom:
    """The remaining per-case and yearly headroom of a request's official (two queries)."""
    year = year or timezone.localdate().year
    policy = rules.policy_of(request.institution_id)
    paid = paid_in_year(request.person_id, year)
    approved = None if request.amount_approved is None else max(request.amount_approved - request.amount_paid, 0)
    return Headroom(
        per_case_limit=policy.support_per_case_limit,
        per_case_remaining=max(policy.support_per_case_limit - request.amount_paid, 0),
        approved_remaining=approved,
        year=year,
        yearly_limit=policy.support_yearly_limit,
        paid_in_year=paid,
        yearly_remaining=max(policy.support_yearly_limit - paid, 0),
    )


def support_payment_add(
    *,
    actor: Actor,
    request: SupportRequest,
    paid_on: datetime.date | None,
    amount: Any,
    payee: str,
    reference: str = "",
) -> SupportPayment:
    """Record one payment. It moves the request to "partly paid", or to "paid" once nothing
    more may be paid on it (the approved amount, or the per-case limit, is reached)."""
    if actor.user is None:
        raise DomainError(_("지급은 담당자 계정으로만 기록할 수 있습니다."))
    payee = " ".join((payee or "").split())
    reference = " ".join((reference or "").split())
    with transaction.atomic():
        current = SupportRequest.objects.select_for_update(of=("self",)).select_related("person").get(pk=request.pk)
        roles = case_roles(actor, current)
        SUPPORT.check(current, "pay", roles)
        value = rules.check_amount(amount, field="amount", label=_("지급액"))
        today = timezone.localdate()
        if paid_on is None:
            raise DomainError(_("지급일을 입력해 주십시오."), field="paid_on")
        rules.check_not_future(paid_on, field="paid_on", today=today, message=_("지급일은 오늘 이후일 수 없습니다."))
        if current.decided_on is not None and paid_on < current.decided_on:
            raise DomainError(
                _("지급일이 지원 결정일(%(day)s)보다 빠릅니다.") % {"day": current.decided_on.isoformat()},
                field="paid_on",
            )
        if not payee:
            raise DomainError(_("받는 이(변호사, 법무법인, 본인 등)를 입력해 주십시오."), field="payee")
        if len(payee) > 200 or len(reference) > 100:
            field = "payee" if len(payee) > 200 else "reference"
            raise DomainError(_("너무 깁니다. 줄여 주십시오."), field=field)
        # The official's row serialises payments to one person across all their requests.
        Person.objects.select_for_update().filter(pk=current.person_id).first()
        room = headroom(current, year=paid_on.year)
        if room.approved_remaining is not None and value > room.approved_remaining:
            raise DomainError(
                _("지급액이 결정 금액의 남은 금액(%(left)s)을 넘습니다.")
                % {"left": rules.won(room.approved_remaining)},
                field="amount",
            )
        if value > room.per_case_remaining:
            raise DomainError(
                _("건당 지원 한도(%(limit)s)를 넘습니다. 이 건에 더 지급할 수 있는 금액은 %(left)s입니다.")
                % {"limit": rules.won(room.per_case_limit), "left": rules.won(room.per_case_remaining)},
                field="amount",
            )
        if value > room.yearly_remaining:
            raise DomainError(
                _(
                    "연간 지원 한도(%(limit)s)를 넘습니다. %(name)s 님에게 %(year)s년에 더 지급할 수 있는 "
                    "금액은 %(left)s입니다."
                )
                % {
                    "limit": rules.won(room.yearly_limit),
                    "name": current.person.name,
                    "year": room.year,
                    "left": rules.won(room.yearly_remaining),
                },
                field="amount",
            )
        payment = SupportPayment.objects.create(
            request=current,
            institution_id=current.institution_id,
            person_id=current.person_id,
            paid_on=paid_on,
            amount=value,
            payee=payee,
            reference=reference,
            created_by=actor.user,
        )
        current.amount_paid += value
        left = min(room.per_case_remaining, room.approved_remaining or 0) - value
        SUPPORT.apply(
            current,
            "pay_in_full" if left <= 0 else "pay",
            actor=actor,
            roles=roles,
            changes={
                "amount_paid": [current.amount_paid - value, current.amount_paid],
                "payment": {"paid_on": paid_on, "amount": value, "payee": payee, "reference": reference},
            },
            update_fields=["amount_paid"],
        )
    return payment
