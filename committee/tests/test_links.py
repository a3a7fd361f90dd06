"""The case links (committee/links.py): what each registration fits, its candidates, its
pages, and the write-back of a decided item into the pre-consultation, the exemption case
and the advice request - a write-back that fails raises, so the decision rolls back."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from committee.linking import case_link, link_of
from committee.models import AdviceRequest, AgendaItem
from committee.tests.requests_fixtures import decide, linked_item, on_agenda, submit
from consultations.models import Consultation
from consultations.services import consultation_to_committee
from consultations.tests.factories import actor, under_review
from core.access import actor_for
from core.errors import DomainError
from exemptions.models import ExemptionCase
from exemptions.services.committee import exemption_record_committee_recommendation
from exemptions.tests.factories import applied, decided, opened, reviewing

pytestmark = pytest.mark.django_db
ADOPTED = AgendaItem.Result.ADOPTED


def at_committee(cast) -> Consultation:  # type: ignore[no-untyped-def]
    consultation = under_review(cast)
    consultation_to_committee(actor=actor(cast, "aa_officer"), consultation=consultation)
    consultation.refresh_from_db()
    return consultation


def test_the_three_links_are_registered(cast) -> None:
    assert case_link("advice_request").item_kinds == {AgendaItem.Kind.ADVICE}  # type: ignore[union-attr]
    assert case_link("consultation").item_kinds == {AgendaItem.Kind.REFERRAL}  # type: ignore[union-attr]
    assert case_link("exemption").item_kinds == {AgendaItem.Kind.EXEMPTION}  # type: ignore[union-attr]
    request = submit(cast)
    item = linked_item(cast, request)
    link = link_of(item)
    assert link is not None
    assert link.key == "advice_request"
    assert link.url(request) == f"/office/committee/advice/{request.pk}/"


def test_candidates_are_the_institutions_waiting_cases(cast) -> None:
    waiting = submit(cast)
    on_agenda(cast)
    submit(cast, who="official_b")
    assert list(case_link("advice_request").candidates(cast.district.pk)) == [waiting]  # type: ignore[union-attr]
    consultation = at_committee(cast)
    under_review(cast)
    assert list(case_link("consultation").candidates(cast.district.pk)) == [consultation]  # type: ignore[union-attr]
    filed, own = applied(cast), opened(cast)
    decided(cast)
    found = set(case_link("exemption").candidates(cast.district.pk))  # type: ignore[union-attr]
    assert found == {filed, own}
    assert case_link("exemption").url(own) == f"/office/exemptions/{own.pk}/"  # type: ignore[union-attr]


def test_adopted_advice_becomes_the_consultations_opinion(cast) -> None:
    consultation = at_committee(cast)
    item = decide(linked_item(cast, consultation, AgendaItem.Kind.REFERRAL), ADOPTED, "감면 가능")
    case_link("consultation").on_result(actor_for(cast.secretary), consultation, item)  # type: ignore[union-attr]
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.OPINION_ISSUED
    assert consultation.opinion_source == "committee"
    assert consultation.opinion_on == timezone.localdate()


def test_rejected_referral_stays_at_the_committee(cast) -> None:
    consultation = at_committee(cast)
    item = decide(linked_item(cast, consultation, AgendaItem.Kind.REFERRAL), AgendaItem.Result.REJECTED, "안")
    case_link("consultation").on_result(actor_for(cast.secretary), consultation, item)  # type: ignore[union-attr]
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.AT_COMMITTEE


def test_a_failing_consultation_write_back_raises(cast) -> None:
    consultation = under_review(cast)  # not at the committee
    item = decide(linked_item(cast, consultation, AgendaItem.Kind.REFERRAL), ADOPTED, "감면 가능")
    with pytest.raises(DomainError):
        case_link("consultation").on_result(actor_for(cast.secretary), consultation, item)  # type: ignore[union-attr]
    at = at_committee(cast)
    empty = decide(linked_item(cast, at, AgendaItem.Kind.REFERRAL), ADOPTED, "")
    with pytest.raises(DomainError):
        case_link("consultation").on_result(actor_for(cast.secretary), at, empty)  # type: ignore[union-attr]


def test_adopted_recommendation_is_written_on_the_exemption_case(cast) -> None:
    case = reviewing(cast)
    item = decide(linked_item(cast, case, AgendaItem.Kind.EXEMPTION), ADOPTED, "면책을 건의함")
    case_link("exemption").on_result(actor_for(cast.secretary), case, item)  # type: ignore[union-attr]
    case.refresh_from_db()
    assert (case.committee_recommendation, case.committee_recommended_on) == ("면책을 건의함", timezone.localdate())
    from committee.tests.requests_fixtures import entries

    assert entries(case, "exemption.committee_recommendation") == 1


def test_rejected_recommendation_writes_nothing(cast) -> None:
    case = reviewing(cast)
    item = decide(linked_item(cast, case, AgendaItem.Kind.EXEMPTION), AgendaItem.Result.NO_QUORUM, "안")
    case_link("exemption").on_result(actor_for(cast.secretary), case, item)  # type: ignore[union-attr]
    case.refresh_from_db()
    assert case.committee_recommendation == ""


def test_exemption_write_back_refusals(cast) -> None:
    done = decided(cast)
    item = decide(linked_item(cast, done, AgendaItem.Kind.EXEMPTION), ADOPTED, "건의")
    with pytest.raises(DomainError):
        case_link("exemption").on_result(actor_for(cast.secretary), done, item)  # type: ignore[union-attr]
    case = reviewing(cast)
    with pytest.raises(DomainError):
        exemption_record_committee_recommendation(
            actor=actor_for(cast.aa_officer_b), case=case, recommendation="x", recommended_on=timezone.localdate()
        )
    with pytest.raises(DomainError):
        exemption_record_committee_recommendation(
            actor=actor_for(cast.secretary),
            case=case,
            recommendation="x",
            recommended_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    case.refresh_from_db()
    assert case.status == ExemptionCase.Status.UNDER_REVIEW
    assert case.committee_recommendation == ""


def test_advice_link_hooks(cast) -> None:
    request = submit(cast)
    item = linked_item(cast, request)
    link = case_link("advice_request")
    assert link is not None
    assert link.on_agenda is not None
    assert link.on_removed is not None
    link.on_agenda(actor_for(cast.secretary), request, item)
    assert AdviceRequest.objects.get().status == AdviceRequest.Status.ON_AGENDA
    link.on_removed(actor_for(cast.secretary), request, item)
    assert AdviceRequest.objects.get().status == AdviceRequest.Status.SUBMITTED
    link.on_agenda(actor_for(cast.secretary), request, item)
    link.on_result(actor_for(cast.secretary), request, decide(item, ADOPTED, "자문"))
    assert AdviceRequest.objects.get().status == AdviceRequest.Status.ADVISED
