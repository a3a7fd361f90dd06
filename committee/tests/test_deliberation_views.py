"""Deliberation pages: the item panel for each role, the POST actions (success, refusal
with the typed values kept, access), bounded queries."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from committee.models import AgendaItem, Challenge, Declaration, Vote
from committee.selectors_deliberation import item_panel
from committee.tests.deliberation_fixtures import Sitting, sit_fixture, sitting  # noqa: F401
from committee.workflow import meeting_roles
from core.access import actor_for
from core.models import AuditEntry

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 15, 1, tzinfo=datetime.UTC)


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def url(name: str, pk: int) -> str:
    return reverse(f"committee:{name}", kwargs={"pk": pk})


def page(s: Sitting, user) -> str:  # type: ignore[no-untyped-def]
    response = login(user).get(url("item_detail", s.item.pk))
    assert response.status_code == 200
    return response.content.decode()


# --- The panel ---------------------------------------------------------------------------------


def test_the_secretary_sees_the_tally_the_challenge_form_and_the_decision_form(sit: Sitting) -> None:
    html = page(sit, sit.cast.secretary)
    assert 'id="deliberation"' in html
    assert 'id="live-tally"' in html
    assert 'id="challenge-form"' in html
    assert 'id="decide-form"' in html
    assert 'id="declare-form"' not in html


def test_a_member_declares_first_then_sees_three_labelled_vote_buttons(sit: Sitting) -> None:
    html = page(sit, sit.user(3))
    assert 'id="declare-form"' in html
    assert 'id="vote-form"' not in html
    assert "표결하기 전에 이해충돌 여부를 신고해 주십시오." in html
    Declaration.objects.create(item=sit.item, member=sit.members[3], kind="none", declared_at=NOW)
    html = page(sit, sit.user(3))
    assert 'id="vote-form"' in html
    assert "<legend" in html
    assert "도로 점용 허가 기준 자문'에 대한 표결" in html
    for value, label in (("for", "찬성"), ("against", "반대"), ("abstain", "기권")):
        assert f'<button type="submit" name="choice" value="{value}" class="krds-btn' in html
        assert f">{label}</button>" in html
    assert "아직 표결하지 않음" in html
    assert 'id="live-tally"' not in html  # the live tally is the presiding side's


def test_the_chair_opens_a_pending_item(cast) -> None:  # type: ignore[no-untyped-def]
    s = sitting(cast, status="pending")
    html = page(s, s.user(0))
    assert 'id="item-open"' in html
    assert 'id="item-open"' not in page(s, s.user(3))


def test_a_decided_item_shows_the_result_to_every_reader(sit: Sitting) -> None:
    AgendaItem.objects.filter(pk=sit.item.pk).update(
        status="decided", result="adopted", eligible_count=9, present_count=8, votes_for=6, votes_against=2
    )
    for user in (sit.cast.aa_officer, sit.cast.head, sit.user(5)):
        html = page(sit, user)
        assert 'id="item-result"' in html
        assert "가결" in html
        assert 'id="vote-form"' not in html


def _votes_on_the_open_item(s: Sitting) -> None:
    s.declare_all()
    Vote.objects.create(item=s.item, member=s.members[5], choice="against", cast_at=NOW)
    challenge = Challenge.objects.create(item=s.item, member=s.members[8], raised_by="갑", grounds="사유")
    Vote.objects.create(item=s.item, challenge=challenge, member=s.members[4], choice="abstain", cast_at=NOW)


@pytest.mark.parametrize("who", ["aa_officer", "head", "member"])
def test_an_open_items_votes_are_hidden_from_readers_who_do_not_preside(sit: Sitting, who: str) -> None:
    _votes_on_the_open_item(sit)
    html = page(sit, sit.user(3) if who == "member" else sit.cast.users[who])
    assert 'id="votes"' not in html
    assert 'id="live-tally"' not in html
    assert f"{sit.members[4].name} 기권" not in html  # the challenge's votes


@pytest.mark.parametrize("who", ["secretary", "chair"])
def test_the_presiding_side_sees_an_open_items_votes(sit: Sitting, who: str) -> None:
    _votes_on_the_open_item(sit)
    html = page(sit, sit.user(0) if who == "chair" else sit.cast.secretary)
    assert 'id="votes"' in html
    assert 'id="live-tally"' in html
    assert f"{sit.members[4].name} 기권" in html


def test_a_decided_items_votes_are_shown_to_every_reader(sit: Sitting) -> None:
    _votes_on_the_open_item(sit)
    AgendaItem.objects.filter(pk=sit.item.pk).update(status="decided", result="rejected", decided_at=NOW)
    for user in (sit.cast.head, sit.user(3)):
        html = page(sit, user)
        assert 'id="votes"' in html
        assert 'id="live-tally"' not in html


def test_the_panel_reads_in_bounded_queries(sit: Sitting, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    actor = actor_for(sit.cast.secretary)
    roles = meeting_roles(actor, sit.meeting)
    with django_assert_max_num_queries(6):
        item_panel(actor, sit.item, roles)
    for member in sit.members:
        Declaration.objects.create(item=sit.item, member=member, kind="none", declared_at=NOW)
        Vote.objects.create(item=sit.item, member=member, choice="for", cast_at=NOW)
    for member in sit.members[:4]:
        challenge = Challenge.objects.create(item=sit.item, member=member, raised_by="갑", grounds="사유")
        Vote.objects.create(item=sit.item, challenge=challenge, member=sit.members[8], choice="for", cast_at=NOW)
    with django_assert_max_num_queries(6):  # seats, declarations, challenges (+ their votes), votes, tally
        context = item_panel(actor, sit.item, roles)
    assert len(context["dl_challenges"]) == 4
    assert len(context["dl_declarations"]) == 9


# --- Actions ---------------------------------------------------------------------------------------


def test_declare_and_vote_by_the_pages(sit: Sitting) -> None:
    client = login(sit.user(3))
    response = client.post(url("item_declare", sit.item.pk), {"dl-kind": "none", "dl-note": ""})
    assert response.status_code == 302
    assert response["Location"].endswith("#deliberation")
    response = client.post(url("item_vote", sit.item.pk), {"choice": "against"})
    assert response.status_code == 302
    assert Vote.objects.get(item=sit.item, member=sit.members[3]).choice == "against"
    assert "나의 표결" in page(sit, sit.user(3))


def test_a_refused_declaration_keeps_what_was_typed(sit: Sitting) -> None:
    response = login(sit.user(3)).post(
        url("item_declare", sit.item.pk), {"dl-kind": "exclusion", "dl-grounds": "", "dl-note": "배우자가 대표"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "제척 사유를 골라 주십시오." in html
    assert "배우자가 대표" in html
    assert not Declaration.objects.exists()


def test_a_recused_vote_is_refused_on_the_page_and_audited(sit: Sitting) -> None:
    Declaration.objects.create(item=sit.item, member=sit.members[2], kind="recusal", declared_at=NOW)
    response = login(sit.user(2)).post(url("item_vote", sit.item.pk), {"choice": "for"})
    assert response.status_code == 403
    assert "제척·기피·회피된 위원은 표결할 수 없습니다" in response.content.decode()
    assert AuditEntry.objects.filter(action="committee.recused_vote_refused").count() == 1


def test_a_bad_vote_choice_is_a_400(sit: Sitting) -> None:
    Declaration.objects.create(item=sit.item, member=sit.members[3], kind="none", declared_at=NOW)
    response = login(sit.user(3)).post(url("item_vote", sit.item.pk), {"choice": "yes"})
    assert response.status_code == 400
    assert "찬성, 반대, 기권" in response.content.decode()


def test_challenge_raise_vote_and_decide_by_the_pages(sit: Sitting) -> None:
    bad = login(sit.cast.secretary).post(
        url("challenge_raise", sit.item.pk),
        {"dl-member": str(sit.members[8].pk), "dl-raised_by": "김당사", "dl-grounds": ""},
    )
    assert bad.status_code == 400
    assert "김당사" in bad.content.decode()
    response = login(sit.cast.secretary).post(
        url("challenge_raise", sit.item.pk),
        {"dl-member": str(sit.members[8].pk), "dl-raised_by": "김당사", "dl-grounds": "상대방의 자문"},
    )
    assert response.status_code == 302
    challenge = Challenge.objects.get()
    for index in range(5):
        assert login(sit.user(index)).post(url("challenge_vote", challenge.pk), {"choice": "for"}).status_code == 302
    refused = login(sit.user(8)).post(url("challenge_vote", challenge.pk), {"choice": "against"})
    assert refused.status_code == 403
    assert login(sit.user(0)).post(url("challenge_decide", challenge.pk)).status_code == 302
    challenge.refresh_from_db()
    assert challenge.status == "upheld"


def test_open_and_decide_by_the_pages(cast) -> None:  # type: ignore[no-untyped-def]
    s = sitting(cast, status="pending")
    assert login(s.cast.secretary).post(url("item_open", s.item.pk)).status_code == 302
    s.declare_all()
    for index in range(6):
        Vote.objects.create(item=s.item, member=s.members[index], choice="for", cast_at=NOW)
    blank = login(s.user(0)).post(url("item_decide", s.item.pk), {"dl-resolution": ""})
    assert blank.status_code == 400
    response = login(s.user(0)).post(url("item_decide", s.item.pk), {"dl-resolution": "기준 완화를 권고함"})
    assert response.status_code == 302
    s.item.refresh_from_db()
    assert (s.item.status, s.item.result) == ("decided", "adopted")


def test_a_member_who_does_not_chair_cannot_open(cast) -> None:  # type: ignore[no-untyped-def]
    s = sitting(cast, status="pending")
    response = login(s.user(3)).post(url("item_open", s.item.pk))
    assert response.status_code == 403
    s.item.refresh_from_db()
    assert s.item.status == "pending"


@pytest.mark.parametrize("name", ["item_declare", "item_vote", "item_open", "item_decide", "challenge_raise"])
@pytest.mark.parametrize("who", ["official", "official_b", "aa_officer_b", "no_role"])
def test_outsiders_get_404(sit: Sitting, name: str, who: str) -> None:
    response = login(sit.cast.users[who]).post(url(name, sit.item.pk), {"choice": "for"})
    assert response.status_code == 404


def test_an_unseated_member_gets_404(sit: Sitting, cast) -> None:  # type: ignore[no-untyped-def]
    from committee.tests.factories import member_user

    outsider = member_user(cast, "m99")
    assert login(outsider).post(url("item_vote", sit.item.pk), {"choice": "for"}).status_code == 404
    assert login(outsider).get(url("minutes_pdf", sit.meeting.pk)).status_code == 404


def test_actions_are_post_only(sit: Sitting) -> None:
    assert login(sit.cast.secretary).get(url("item_decide", sit.item.pk)).status_code == 405
