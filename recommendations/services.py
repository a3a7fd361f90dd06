"""Every change to a public recommendation (ADR 0017). Each is one transaction: lock the
row, check the workflow, change, audit; notifications and e-mails go out on commit.

The recommender (without an account) acts as the public actor: nothing about the client
(address, agent, session) reaches these functions. The name and contact the recommender
typed are kept until `retain_until` (the decision + `policy.recommender_retention_days`)
and then erased by `erase_expired_contacts` (a daily task).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, files
from core.access import Actor
from core.errors import DomainError
from core.notifications import notify, users_with_roles
from core.roles import Role
from institutions.models import Institution, Person, Unit
from portal import public
from portal.public import (
    MAX_SHORT,
    PUBLIC_ACTOR,
    SubmissionForms,
    check_file_count,
    clean_text,
    email_on_commit,
    public_number,
    route_submission,
)
from recommendations.models import Recommendation, RecommendationMessage
from recommendations.selectors import VERIFIER_ROLES, is_verifier
from recommendations.workflow import RECOMMENDATION, RECOMMENDER, VERIFIER

FORMS = SubmissionForms("recommendations")
NUMBER_SERIES = "public_recommendation"
NUMBER_PREFIX = "국민추천"
RECOMMENDATION_FILES = "recommendation"
MESSAGE_FILES = "recommendation_message"
ERASE_ACTION = "recommendation.contact_erased"
NOMINATED_ACTION = "recommendation.nominated"
ROUND_OUTCOME_ACTION = "recommendation.round_outcome"
#: who organises the rewards' selection rounds (may put a recommendation forward)
ORGANISER_ROLES = (Role.AA_OFFICER, Role.HR_OFFICER)


# --- Helpers ---------------------------------------------------------------------------


def case_roles(actor: Actor, rec: Recommendation) -> set[str]:
    return {VERIFIER} if is_verifier(actor) and actor.institution_id == rec.institution_id else set()


def _lock(rec: Recommendation) -> Recommendation:
    return Recommendation.objects.select_for_update().select_related("institution").get(pk=rec.pk)


def verifiers(institution_id: int) -> list[Any]:
    return list(users_with_roles(institution_id, *VERIFIER_ROLES))


def _route(rec: Recommendation, title: str) -> None:
    """Tell the verifiers (on commit); with none, flag it and tell the administrators."""
    route_submission(
        rec,
        holders=verifiers(rec.institution_id),
        title=title,
        unrouted_title=_("추천 확인 담당자가 지정되지 않아 국민추천을 처리할 수 없습니다: %(n)s") % {"n": rec},
        unrouted_body=_("적극행정 책임관 또는 인사 담당자 역할을 지정해 주십시오."),
    )


def _tell_recommender(rec: Recommendation) -> None:
    """A content-free e-mail when something changes (no receipt, no details)."""
    if not rec.recommender_email:
        return
    subject = _("[적극행정] 국민추천 %(n)s의 처리 상황이 바뀌었습니다") % {"n": rec}
    body = _(
        "추천하신 건(%(n)s)의 처리 상황이 바뀌었습니다. 국민코너 '처리 상황 확인'에서 접수증 번호로 확인해 주십시오."
    ) % {"n": rec}
    email_on_commit(rec.recommender_email, subject=subject, body=body)


def _retention_from(institution: Institution, day: datetime.date) -> datetime.date:
    from institutions.selectors import policy_of

    return day + datetime.timedelta(days=policy_of(institution).recommender_retention_days)


def _retain_until(rec: Recommendation, today: datetime.date) -> datetime.date:
    return _retention_from(rec.institution, today)


# --- Public: submission ----------------------------------------------------------------


def new_form_token() -> str:
    return FORMS.new_token()


def pending_receipt(form_token: str) -> str | None:
    return FORMS.pending(form_token)


def forget_receipt(form_token: str) -> None:
    FORMS.forget(form_token)


def match_unit(institution: Institution, unit_name: str) -> Unit | None:
    """The institution's active unit of exactly that name, if any (unknown names are kept
    as typed, not refused)."""
    name = (unit_name or "").strip()
    if not name:
        return None
    return Unit.objects.filter(institution=institution, name=name, is_active=True).order_by("pk").first()


def submit_recommendation(
    *,
    form_token: str,
    institution: Institution,
    nominee_name: str,
    what: str,
    effect: str,
    recommender_name: str,
    nominee_kind: str = Recommendation.NomineeKind.PERSON,
    unit_name: str = "",
    period: str = "",
    recommender_email: str = "",
    recommender_phone: str = "",
    uploads: Sequence[UploadedFile[bytes]] = (),
) -> tuple[Recommendation, str | None]:
    """Receive a public recommendation. Returns it and its receipt code (None when this form
    was already submitted and its receipt confirmed: one form makes one recommendation)."""

    def clean() -> dict[str, Any]:
        if not institution.is_active:
            raise DomainError(_("선택할 수 없는 기관입니다."), field="institution")
        if nominee_kind not in Recommendation.NomineeKind.values:
            raise DomainError(_("추천 대상(개인 또는 팀)을 선택해 주십시오."), field="nominee_kind")
        values: dict[str, Any] = {
            "unit_name": clean_text(unit_name, "unit_name", required=False, limit=MAX_SHORT),
            "nominee_name": clean_text(nominee_name, "nominee_name", limit=100),
            "what": clean_text(what, "what"),
            "period": clean_text(period, "period", required=False, limit=100),
            "effect": clean_text(effect, "effect"),
            "recommender_name": clean_text(recommender_name, "recommender_name", limit=100),
            "recommender_email": clean_text(recommender_email, "recommender_email", required=False, limit=254),
            "recommender_phone": clean_text(recommender_phone, "recommender_phone", required=False, limit=30),
        }
        if not values["recommender_email"] and not values["recommender_phone"]:
            raise DomainError(
                _("추천 내용을 확인할 수 있도록 전자우편이나 전화번호 중 하나는 입력해 주십시오."),
                field="recommender_email",
            )
        check_file_count(uploads)
        return values

    def create(values: dict[str, Any]) -> Recommendation:
        rec = Recommendation.objects.create(
            institution=institution,
            unit=match_unit(institution, values["unit_name"]),
            number=public_number(institution.pk, series=NUMBER_SERIES, prefix=NUMBER_PREFIX),
            nominee_kind=nominee_kind,
            # kept this long even if never decided (a decision resets it from that day)
            retain_until=_retention_from(institution, timezone.localdate()),
            **values,
        )
        audit.record(
            actor=PUBLIC_ACTOR,
            action="recommendation.submitted",
            target=rec,
            changes={"nominee_kind": nominee_kind, "files": len(uploads)},
        )
        for upload in uploads:
            files.attach(actor=PUBLIC_ACTOR, target=rec, upload=upload, purpose=RECOMMENDATION_FILES)
        _route(rec, _("국민추천이 접수되었습니다: %(n)s") % {"n": rec})
        return rec

    return FORMS.submit(form_token, Recommendation, clean=clean, create=create)


def find_by_digest(digest: str) -> Recommendation | None:
    """The recommendation of a receipt digest (portal/follow.py does the rate-limited lookup)."""
    return Recommendation.objects.select_related("institution").filter(receipt_hash=digest).first()


# --- Public: the recommender's answer ---------------------------------------------------


def answer(*, rec: Recommendation, body: str, uploads: Sequence[UploadedFile[bytes]] = ()) -> RecommendationMessage:
    """The recommender answers the verifier's question (by receipt); back to verifying."""
    body = clean_text(body, "body")
    check_file_count(uploads)
    with transaction.atomic():
        current = _lock(rec)
        RECOMMENDATION.check(current, "answer", {RECOMMENDER}, body)
        message = RecommendationMessage.objects.create(
            recommendation=current, direction=RecommendationMessage.Direction.FROM_RECOMMENDER, body=body
        )
        # The audit chain is kept for good: it names the message, never the recommender's text.
        RECOMMENDATION.apply(
            current,
            "answer",
            actor=PUBLIC_ACTOR,
            roles={RECOMMENDER},
            reason=_("추천인 답변 메시지 %(id)d번") % {"id": message.pk},
            changes={"message": message.pk},
        )
        for upload in uploads:
            files.attach(actor=PUBLIC_ACTOR, target=message, upload=upload, purpose=MESSAGE_FILES)
        handler = current.handler
        if handler is None or not handler.is_active:
            _route(current, _("추천인이 질문에 답했습니다: %(n)s") % {"n": current})
        else:
            url = current.get_absolute_url()
            institution = current.institution
            title = _("추천인이 질문에 답했습니다: %(n)s") % {"n": current}
            transaction.on_commit(lambda: notify(recipients=[handler], title=title, url=url, institution=institution))
    return message


# --- Staff: the verifiers ---------------------------------------------------------------


def start(*, actor: Actor, rec: Recommendation) -> Recommendation:
    """Start verifying; the actor becomes the handler."""
    with transaction.atomic():
        current = _lock(rec)
        current.handler = actor.user
        current.unrouted = False  # someone took it up: no longer waiting for a verifier
        RECOMMENDATION.apply(
            current, "start", actor=actor, roles=case_roles(actor, current), update_fields=["handler", "unrouted"]
        )
        _tell_recommender(current)
    return current


def ask(*, actor: Actor, rec: Recommendation, question: str) -> RecommendationMessage:
    """Ask the recommender a question; it is shown on the receipt page."""
    question = clean_text(question, "question")
    with transaction.atomic():
        current = _lock(rec)
        RECOMMENDATION.apply(current, "ask", actor=actor, roles=case_roles(actor, current), reason=question)
        message = RecommendationMessage.objects.create(
            recommendation=current,
            direction=RecommendationMessage.Direction.TO_RECOMMENDER,
            body=question,
            author=actor.user,
        )
        _tell_recommender(current)
    return message


def verify(
    *, actor: Actor, rec: Recommendation, reason: str, person: Person | None = None, unit: Unit | None = None
) -> Recommendation:
    """The facts hold and the nominee exists: a candidate for the selection rounds. A person
    recommendation names the official (a Person of this institution), a team one the unit."""
    reason = clean_text(reason, "reason")
    with transaction.atomic():
        current = _lock(rec)
        roles_held = case_roles(actor, current)
        RECOMMENDATION.check(current, "verify", roles_held, reason)
        if current.nominee_kind == Recommendation.NomineeKind.PERSON:
            if person is None or person.institution_id != current.institution_id:
                raise DomainError(_("추천받은 이 기관의 공무원을 지정해 주십시오."), field="person")
            if person.status == Person.Status.RETIRED:
                # on leave is still an official of the institution; retired is not
                raise DomainError(_("퇴직한 공무원은 포상 후보로 확인할 수 없습니다."), field="person")
            current.person = person
            current.unit = person.unit if person.unit_id is not None else current.unit
        else:
            if unit is None or unit.institution_id != current.institution_id:
                raise DomainError(_("추천받은 이 기관의 부서(팀)를 지정해 주십시오."), field="unit")
            current.unit = unit
            current.person = None
        _decide(current, actor, reason)
        RECOMMENDATION.apply(
            current,
            "verify",
            actor=actor,
            roles=roles_held,
            reason=reason,
            changes={"person": current.person_id, "unit": current.unit_id},
            update_fields=["person", "unit", "decision_reason", "decided_by", "decided_at", "retain_until"],
        )
        _tell_recommender(current)
    return current


def reject(*, actor: Actor, rec: Recommendation, reason: str) -> Recommendation:
    """Not verified (the facts do not hold, courtesy only, ...); the reason is shown."""
    reason = clean_text(reason, "reason")
    with transaction.atomic():
        current = _lock(rec)
        roles_held = case_roles(actor, current)
        RECOMMENDATION.check(current, "reject", roles_held, reason)
        _decide(current, actor, reason)
        RECOMMENDATION.apply(
            current,
            "reject",
            actor=actor,
            roles=roles_held,
            reason=reason,
            update_fields=["decision_reason", "decided_by", "decided_at", "retain_until"],
        )
        _tell_recommender(current)
    return current


def _decide(rec: Recommendation, actor: Actor, reason: str) -> None:
    now = timezone.now()
    rec.decision_reason = reason
    rec.decided_by = actor.user
    rec.decided_at = now
    rec.retain_until = _retain_until(rec, timezone.localdate(now))


# --- The rewards' selection rounds (issue 6) ----------------------------------------------


def mark_nominated(*, actor: Actor, recommendation: Recommendation, round_title: str) -> Recommendation:
    """A verified recommendation was pulled into a selection round as a candidate (called by
    rewards.services inside its transaction). The recommender sees it by receipt."""
    if actor.institution_id != recommendation.institution_id or not actor.has(*ORGANISER_ROLES):
        raise DomainError(_("이 기관의 포상 담당자만 선발 후보로 올릴 수 있습니다."), field="recommendation")
    with transaction.atomic():
        current = _lock(recommendation)
        if current.status != Recommendation.Status.VERIFIED:
            raise DomainError(_("확인 완료된 국민추천만 선발 후보로 올릴 수 있습니다."), field="recommendation")
        current.round_title = round_title[:200]
        current.round_outcome = Recommendation.RoundOutcome.NOMINATED
        current.save(update_fields=["round_title", "round_outcome", "updated_at"])
        audit.record(
            actor=actor,
            action=NOMINATED_ACTION,
            target=current,
            changes={"round": current.round_title, "round_outcome": current.round_outcome},
        )
        _tell_recommender(current)
    return current


def record_round_outcome(*, recommendation: Recommendation, selected: bool, round_title: str) -> Recommendation:
    """The round decided: the recommended official was selected or not (called by
    rewards.services when the round is decided). The recommender sees it by receipt."""
    with transaction.atomic():
        current = _lock(recommendation)
        if (
            current.status != Recommendation.Status.VERIFIED
            or current.round_outcome != Recommendation.RoundOutcome.NOMINATED
        ):
            raise DomainError(
                _("선발 후보로 올라 심사 중인 국민추천에만 선발 결과를 기록할 수 있습니다."), field="recommendation"
            )
        current.round_title = round_title[:200]
        current.round_outcome = (
            Recommendation.RoundOutcome.SELECTED if selected else Recommendation.RoundOutcome.NOT_SELECTED
        )
        current.save(update_fields=["round_title", "round_outcome", "updated_at"])
        audit.record(
            actor=None,
            action=ROUND_OUTCOME_ACTION,
            target=current,
            changes={"round": current.round_title, "round_outcome": current.round_outcome},
        )
        _tell_recommender(current)
    return current


# --- Retention --------------------------------------------------------------------------


def erase_expired_contacts(today: datetime.date | None = None) -> int:
    """Erase the recommender's name and contact of recommendations whose retention period
    is over. `retain_until` is set at submission (so an undecided one is erased too) and
    reset by the decision (portal/public.py)."""
    return public.erase_expired_contacts(Recommendation, person="recommender", action=ERASE_ACTION, today=today)
