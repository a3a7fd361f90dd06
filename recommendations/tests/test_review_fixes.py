"""The review's findings on the recommendation service (issue 5): the receipt reserved
before the record is written, the public submission limit, an expired form renewed, no
caching of receipt and status pages, labelled hidden fields, retired officials refused,
the rewards' hooks guarded, the recommender's answer kept out of the audit, and an
unrouted recommendation never dropped."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import User
from core.access import actor_for
from core.errors import DomainError
from core.models import AuditEntry, Notification
from institutions.models import Person, RoleAssignment
from portal.public import SUBMIT_LIMIT
from recommendations import selectors, services
from recommendations.models import Recommendation
from recommendations.tests.factories import submit
from recommendations.tests.test_portal_views import ADDRESS, code_of, form_data, public, ticket_of
from reports import receipts
from tests.cast import Cast

pytestmark = pytest.mark.django_db
S = Recommendation.Status


def no_store(response) -> bool:  # type: ignore[no-untyped-def]
    value = response.get("Cache-Control", "")
    return "no-store" in value or "max-age=0" in value


# --- 1. The receipt is reserved before the transaction ------------------------------------


def test_receipt_code_is_in_the_cache_before_the_record_commits(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    """A double click's second request finds the first one's receipt, even while the first
    transaction is still open (the code is chosen before it, not remembered after it)."""
    seen: list[str | None] = []
    real_route = services._route

    def spy(rec: Recommendation, title: str) -> None:
        seen.append(services.FORMS.code_for_key(rec.submission_key))
        real_route(rec, title)

    monkeypatch.setattr(services, "_route", spy)
    token = services.new_form_token()
    rec, code = submit(cast.district, form_token=token)
    assert seen == [code]
    assert rec.receipt_hash == receipts.digest(code)
    again, code_again = services.submit_recommendation(
        form_token=token, institution=cast.district, nominee_name="x", what="x", effect="x", recommender_name="x"
    )
    assert (again.pk, code_again) == (rec.pk, code)


# --- 3./4. Expired form and submission limit ----------------------------------------------


def test_expired_form_token_is_renewed_and_input_kept(cast: Cast) -> None:
    client = public()
    data = form_data(client, cast, form_token="expired-or-forged")
    page = client.post(reverse("portal_recommendations:new"), data)
    body = page.content.decode()
    assert page.status_code == 200
    assert "작성 화면이 만료되었습니다" in body
    assert "노후 주택을 주말에 점검하고" in body  # what was typed is kept
    token = re.search(r'name="form_token" value="([^"]+)"', body).group(1)  # type: ignore[union-attr]
    assert token != "expired-or-forged"
    services.FORMS.key(token)  # a valid token: the next submission goes through
    data["form_token"] = token
    done = client.post(reverse("portal_recommendations:new"), data)
    assert code_of(done)
    assert Recommendation.objects.count() == 1


def test_submission_beyond_the_hourly_limit_is_refused_next_to_the_form(cast: Cast) -> None:
    client = public()
    data = form_data(client, cast)
    # the limit's counter as SUBMIT_LIMIT earlier submissions of this client left it
    for _ in range(SUBMIT_LIMIT):
        services.FORMS.throttle(receipts.client_key(RequestFactory(REMOTE_ADDR=ADDRESS).get("/")))
    page = client.post(reverse("portal_recommendations:new"), data)
    body = page.content.decode()
    assert page.status_code == 200
    assert "짧은 시간에 너무 많이 제출했습니다" in body
    assert 'role="alert"' in body  # the form's own (non-field) error
    assert "서다온" in body
    assert Recommendation.objects.count() == 0
    cache.clear()  # the window passed
    assert code_of(client.post(reverse("portal_recommendations:new"), data))


def test_twentieth_submission_passes_and_the_twenty_first_is_refused(cast: Cast) -> None:
    client = public()
    for _ in range(SUBMIT_LIMIT):
        assert code_of(client.post(reverse("portal_recommendations:new"), form_data(client, cast)))
    page = client.post(reverse("portal_recommendations:new"), form_data(client, cast))
    assert "짧은 시간에 너무 많이 제출했습니다" in page.content.decode()
    assert Recommendation.objects.count() == SUBMIT_LIMIT


# --- 5. No caching of receipts, status pages and follow actions ----------------------------


def test_receipt_confirm_status_and_follow_pages_are_not_cached(cast: Cast) -> None:
    client = public()
    assert no_store(client.get(reverse("portal_recommendations:new"), {"institution": cast.district.pk}))
    data = form_data(client, cast)
    receipt = client.post(reverse("portal_recommendations:new"), data)
    assert no_store(receipt)
    code = code_of(receipt)
    assert no_store(client.post(reverse("portal_recommendations:confirm_receipt"), {"form_token": data["form_token"]}))
    rec = Recommendation.objects.get()
    officer = actor_for(cast.aa_officer)
    services.start(actor=officer, rec=rec)
    services.ask(actor=officer, rec=rec, question="언제였나요?")
    status = client.post(reverse("portal:follow"), {"receipt": code})
    assert no_store(status)
    ticket = ticket_of(status.content.decode())
    assert no_store(client.post(reverse("portal_recommendations:follow_answer"), {"ticket": ticket, "body": "5월"}))
    file_page = client.post(reverse("portal_recommendations:follow_file"), {"ticket": ticket, "file": "1"})
    assert file_page.status_code == 404 or no_store(file_page)
    from recommendations import portal_views

    assert no_store(portal_views.status_page(status.wsgi_request, rec))


# --- 6. Hidden fields labelled; institution names in the page's language ------------------


def test_hidden_field_error_reads_with_its_label(cast: Cast) -> None:
    client = public()
    data = form_data(client, cast)
    del data["form_token"]
    body = client.post(reverse("portal_recommendations:new"), data).content.decode()
    assert "작성 화면 확인값:" in body
    assert "Form token" not in body
    assert "form_token:" not in body


def test_institution_picker_in_english_shows_the_english_name(cast: Cast) -> None:
    client = public()
    client.cookies["proactive_language"] = "en"
    body = client.get(reverse("portal_recommendations:start"), {"q": "새솔"}).content.decode()
    assert "Saesol-gu" in body


# --- 10. Verifying a retired official -------------------------------------------------------


def _verifying(cast: Cast) -> Recommendation:
    rec, _code = submit(cast.district)
    return services.start(actor=actor_for(cast.aa_officer), rec=rec)


def test_verify_refuses_a_retired_official_but_not_one_on_leave(cast: Cast) -> None:
    officer = actor_for(cast.aa_officer)
    rec = _verifying(cast)
    person = cast.official.person
    person.status = Person.Status.RETIRED
    person.save()
    with pytest.raises(DomainError) as refused:
        services.verify(actor=officer, rec=rec, reason="확인", person=person)
    assert refused.value.field == "person"
    rec.refresh_from_db()
    assert rec.status == S.VERIFYING
    person.status = Person.Status.LEAVE
    person.save()
    assert services.verify(actor=officer, rec=rec, reason="확인", person=person).status == S.VERIFIED


def test_verify_page_shows_the_retired_refusal_next_to_the_field(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    rec = _verifying(cast)
    person = cast.official.person
    person.status = Person.Status.RETIRED
    person.save()
    page = client_for("aa_officer").post(
        reverse("recommendations:action", args=[rec.pk, "verify"]),
        {"vf-employee_number": person.employee_number, "vf-reason": "확인"},
    )
    assert page.status_code == 200
    assert "퇴직한 공무원은 포상 후보로 확인할 수 없습니다." in page.content.decode()


# --- 11. The rewards' hooks --------------------------------------------------------------


def _verified(cast: Cast) -> Recommendation:
    rec = _verifying(cast)
    return services.verify(actor=actor_for(cast.aa_officer), rec=rec, reason="확인", person=cast.official.person)


@pytest.mark.parametrize("who", ["aa_officer_b", "official", "secretary", "audit_staff"])
def test_mark_nominated_only_by_the_institutions_organisers(cast: Cast, who: str) -> None:
    rec = _verified(cast)
    with pytest.raises(DomainError):
        services.mark_nominated(actor=actor_for(cast.users[who]), recommendation=rec, round_title="2026년 상반기")
    rec.refresh_from_db()
    assert rec.round_outcome == ""
    nominated = services.mark_nominated(
        actor=actor_for(cast.hr_officer), recommendation=rec, round_title="2026년 상반기"
    )
    assert nominated.round_outcome == Recommendation.RoundOutcome.NOMINATED


def test_round_outcome_only_for_a_nominated_verified_recommendation(cast: Cast) -> None:
    rec = _verified(cast)
    with pytest.raises(DomainError):  # verified but never nominated
        services.record_round_outcome(recommendation=rec, selected=True, round_title="2026년 상반기")
    open_rec, _code = submit(cast.district)
    with pytest.raises(DomainError):  # not even verified
        services.record_round_outcome(recommendation=open_rec, selected=False, round_title="2026년 상반기")
    services.mark_nominated(actor=actor_for(cast.aa_officer), recommendation=rec, round_title="2026년 상반기")
    done = services.record_round_outcome(recommendation=rec, selected=False, round_title="2026년 상반기")
    assert done.round_outcome == Recommendation.RoundOutcome.NOT_SELECTED
    with pytest.raises(DomainError):  # decided once
        services.record_round_outcome(recommendation=rec, selected=True, round_title="2026년 상반기")


# --- 9. The recommender's answer is not copied into the audit ------------------------------


def test_answer_is_audited_by_message_id_not_text(cast: Cast) -> None:
    rec = _verifying(cast)
    services.ask(actor=actor_for(cast.aa_officer), rec=rec, question="언제였나요?")
    message = services.answer(rec=rec, body="비밀스러운 답변 내용 7731")
    entry = AuditEntry.objects.get(action="recommendation.answer")
    assert "7731" not in entry.reason + str(entry.changes)
    assert entry.changes["message"] == message.pk
    assert str(message.pk) in entry.reason


# --- 12. Unrouted: cleared when started, never dropped -------------------------------------


def test_unrouted_flag_clears_when_a_verifier_starts(cast: Cast) -> None:
    RoleAssignment.objects.filter(institution=cast.other, role__in=selectors.VERIFIER_ROLES).delete()
    rec, _code = submit(cast.other)
    rec.refresh_from_db()
    assert rec.unrouted
    from tests.factories import grant

    grant(cast.aa_officer_b, "aa_officer")
    started = services.start(actor=actor_for(cast.aa_officer_b), rec=rec)
    assert not started.unrouted
    rec.refresh_from_db()
    assert not rec.unrouted


def test_without_verifier_or_admin_the_superusers_hear_of_it(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    RoleAssignment.objects.filter(institution=cast.other).delete()
    root = User.objects.create_superuser(username="root", password="root-password-123", email="root@example.com")
    User.objects.create_superuser(username="gone", password="gone-password-123", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        submit(cast.other)
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [root.pk]
