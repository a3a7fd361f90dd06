"""The review's findings on the application service (issue 5): the receipt reserved before
the record is written, the public submission limit, an expired form renewed, no caching of
receipt and status pages, labelled hidden fields, the committee agenda shown and audited,
the consultation's opinion flagged, a bounded picker after a failed choice, and an
unrouted application never dropped."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import User
from applications import services
from applications.models import Application
from applications.tests.factories import actor, reviewing, submit
from applications.tests.test_portal_views import ADDRESS, code_of, form_data, public
from committee.models import AgendaItem
from committee.services import meetings
from committee.tests.deliberation_fixtures import sitting
from consultations.models import Consultation
from consultations.tests.factories import under_review
from core.access import actor_for
from core.models import AuditEntry, Notification
from institutions.models import RoleAssignment
from portal.public import SUBMIT_LIMIT
from reports import receipts
from tests.cast import Cast

pytestmark = pytest.mark.django_db
S = Application.Status


def no_store(response) -> bool:  # type: ignore[no-untyped-def]
    value = response.get("Cache-Control", "")
    return "no-store" in value or "max-age=0" in value


# --- 1. The receipt is reserved before the transaction ------------------------------------


def test_receipt_code_is_in_the_cache_before_the_record_commits(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str | None] = []
    real_route = services._route

    def spy(application: Application, title: str) -> None:
        seen.append(services.FORMS.code_for_key(application.submission_key))
        real_route(application, title)

    monkeypatch.setattr(services, "_route", spy)
    token = services.new_form_token()
    application, code = submit(cast.district, form_token=token)
    assert seen == [code]
    assert application.receipt_hash == receipts.digest(code)


# --- 3./4. Expired form and submission limit ----------------------------------------------


def test_expired_form_token_is_renewed_and_input_kept(cast: Cast) -> None:
    client = public()
    data = form_data(client, cast, form_token="expired-or-forged")
    body = client.post(reverse("portal_applications:new"), data).content.decode()
    assert "작성 화면이 만료되었습니다" in body
    assert "옥상 온실 설치 신고" in body
    token = re.search(r'name="form_token" value="([^"]+)"', body).group(1)  # type: ignore[union-attr]
    assert token != "expired-or-forged"
    data["form_token"] = token
    assert code_of(client.post(reverse("portal_applications:new"), data))
    assert Application.objects.count() == 1


def test_submission_beyond_the_hourly_limit_is_refused_next_to_the_form(cast: Cast) -> None:
    client = public()
    data = form_data(client, cast)
    for _ in range(SUBMIT_LIMIT):
        services.FORMS.throttle(receipts.client_key(RequestFactory(REMOTE_ADDR=ADDRESS).get("/")))
    page = client.post(reverse("portal_applications:new"), data)
    body = page.content.decode()
    assert page.status_code == 200
    assert "짧은 시간에 너무 많이 제출했습니다" in body
    assert 'role="alert"' in body
    assert "김하늘" in body
    assert Application.objects.count() == 0
    cache.clear()
    assert code_of(client.post(reverse("portal_applications:new"), data))


# --- 5. No caching ---------------------------------------------------------------------------


def test_receipt_confirm_and_status_pages_are_not_cached(cast: Cast) -> None:
    client = public()
    assert no_store(client.get(reverse("portal_applications:new"), {"institution": cast.district.pk}))
    data = form_data(client, cast)
    receipt = client.post(reverse("portal_applications:new"), data)
    assert no_store(receipt)
    code = code_of(receipt)
    assert no_store(client.post(reverse("portal_applications:confirm_receipt"), {"form_token": data["form_token"]}))
    status = client.post(reverse("portal:follow"), {"receipt": code})
    assert "접수되어 담당자의 검토를 기다리고 있습니다." in status.content.decode()
    assert no_store(status)
    from applications import portal_views

    assert no_store(portal_views.status_page(status.wsgi_request, Application.objects.get()))


# --- 6. Labels and names -----------------------------------------------------------------


def test_hidden_field_error_reads_with_its_label(cast: Cast) -> None:
    client = public()
    data = form_data(client, cast)
    del data["form_token"]
    body = client.post(reverse("portal_applications:new"), data).content.decode()
    assert "작성 화면 확인값:" in body
    assert "Form token" not in body


def test_institution_picker_in_english_shows_the_english_name(cast: Cast) -> None:
    client = public()
    client.cookies["proactive_language"] = "en"
    body = client.get(reverse("portal_applications:start"), {"q": "새솔"}).content.decode()
    assert "Saesol-gu" in body


# --- 7. The committee agenda and the consultation's opinion ------------------------------------


def test_put_on_agenda_is_audited_notified_and_shown(
    cast: Cast, client_for, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    application = services.refer_committee(actor=actor(cast, "aa_officer"), application=reviewing(cast))
    detail = client_for("aa_officer").get(application.get_absolute_url()).content.decode()
    assert "아직 위원회 안건으로 오르지 않았습니다" in detail
    s = sitting(cast)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        item = meetings.item_add(
            actor=s.secretary, meeting=s.meeting, kind=AgendaItem.Kind.REFERRAL, title="국민신청 심의", case=application
        )
    entry = AuditEntry.objects.get(action="application.on_agenda")
    assert entry.target_id == str(application.pk)
    assert entry.changes["meeting"] == s.meeting.reference
    from core import audit

    assert audit.action_label("application.on_agenda") != "application.on_agenda"
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["aa_officer"]
    detail = client_for("aa_officer").get(application.get_absolute_url()).content.decode()
    assert reverse("committee:item_detail", args=[item.pk]) in detail
    assert s.meeting.reference in detail
    assert str(AgendaItem.Status.PENDING.label) in detail


def test_consultation_opinion_badge_in_queue_and_detail(cast: Cast, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    officer = actor(cast, "aa_officer")
    waiting = services.refer_consultation(actor=officer, application=reviewing(cast), consultation=under_review(cast))
    answered = services.refer_consultation(actor=officer, application=reviewing(cast), consultation=under_review(cast))
    client = client_for("aa_officer")
    assert "의견 나옴" not in client.get(reverse("applications:queue")).content.decode()
    Consultation.objects.filter(pk=answered.consultation_id).update(status=Consultation.Status.OPINION_ISSUED)
    for _ in range(4):
        more = services.refer_consultation(actor=officer, application=reviewing(cast), consultation=under_review(cast))
        Consultation.objects.filter(pk=more.consultation_id).update(status=Consultation.Status.OPINION_ISSUED)
    with django_assert_max_num_queries(14):
        queue = client.get(reverse("applications:queue")).content.decode()
    assert queue.count("의견 나옴") == 5
    assert "의견 나옴" in client.get(answered.get_absolute_url()).content.decode()
    assert "의견 나옴" not in client.get(waiting.get_absolute_url()).content.decode()


# --- 8. The consultation picker stays bounded after a failed choice ----------------------------


def test_failed_consultation_choice_renders_only_the_bounded_choices(
    cast: Cast, client_for, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from applications import selectors

    application = reviewing(cast)
    consultations = [under_review(cast) for _ in range(3)]
    monkeypatch.setattr(selectors, "CONSULTATION_RESULTS", 1)
    page = client_for("aa_officer").post(
        reverse("applications:action", args=[application.pk, "refer_consultation"]), {"rc-consultation": "999999"}
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "이 기관에 접수된 사전컨설팅 중에서 골라 주십시오." in body
    select = re.search(r'<select name="rc-consultation".*?</select>', body, re.S).group(0)  # type: ignore[union-attr]
    shown = re.findall(r'<option value="(\d+)"', select)
    assert shown == [str(consultations[-1].pk)]


# --- 12. Unrouted ------------------------------------------------------------------------------


def test_unrouted_flag_clears_when_a_handler_starts(cast: Cast) -> None:
    RoleAssignment.objects.filter(institution=cast.other, role="aa_officer").delete()
    application, _code = submit(cast.other)
    application.refresh_from_db()
    assert application.unrouted
    from tests.factories import grant

    grant(cast.aa_officer_b, "aa_officer")
    started = services.start(actor=actor_for(cast.aa_officer_b), application=application)
    assert not started.unrouted
    application.refresh_from_db()
    assert not application.unrouted


def test_without_handler_or_admin_the_superusers_hear_of_it(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    RoleAssignment.objects.filter(institution=cast.other).delete()
    root = User.objects.create_superuser(username="root", password="root-password-123", email="root@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        submit(cast.other)
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [root.pk]
