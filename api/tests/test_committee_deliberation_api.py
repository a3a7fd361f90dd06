"""Deliberation over the API: declare, challenge (raise, vote, decide), open, vote, decide,
tally, minutes PDF and vote export. Allowed, forbidden, other institution 404, bad input."""

from __future__ import annotations

import datetime
import itertools
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from accounts.models import ApiToken
from accounts.tokens import token_create
from api.tests.conftest import bearer
from committee.models import AgendaItem, Challenge, Declaration, Vote
from committee.tests.deliberation_fixtures import Sitting, sitting
from core.access import actor_for
from core.models import AuditEntry

pytestmark = pytest.mark.django_db
Headers = Callable[..., dict[str, str]]
RW = ApiToken.Scope.READ_WRITE
NOW = datetime.datetime(2026, 6, 15, 1, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def s(cast) -> Sitting:  # type: ignore[no-untyped-def]
    return sitting(cast)


_tokens = itertools.count(1)


def member_headers(s: Sitting, index: int, scope: str = RW) -> dict[str, str]:
    name = f"m{index}-{next(_tokens)}"
    _, secret = token_create(actor=actor_for(s.user(index)), name=name, scope=scope, expires_in_days=30)
    return bearer(secret)


def send(url: str, body: Any, headers: dict[str, str]) -> Any:
    return Client().post(url, data=json.dumps(body), content_type="application/json", headers=headers)


def item_url(s: Sitting, tail: str) -> str:
    return f"/api/committee/items/{s.item.pk}/{tail}"


def test_a_member_declares_and_votes(s: Sitting) -> None:
    headers = member_headers(s, 3)
    response = send(item_url(s, "declaration"), {"kind": "none"}, headers)
    assert response.status_code == 200, response.content
    assert response.json()["kind"] == "none"
    response = send(item_url(s, "vote"), {"choice": "for"}, headers)
    assert response.status_code == 200, response.content
    assert response.json()["choice"] == "for"
    assert Vote.objects.get(item=s.item, member=s.members[3]).choice == "for"


def test_bad_input(s: Sitting) -> None:
    headers = member_headers(s, 3)
    response = send(item_url(s, "declaration"), {"kind": "exclusion"}, headers)
    assert response.status_code == 400
    assert response.json() == {"detail": "제척 사유를 골라 주십시오.", "field": "grounds"}
    assert send(item_url(s, "declaration"), {"kind": "maybe"}, headers).status_code == 422
    assert send(item_url(s, "vote"), {"choice": "yes"}, headers).status_code == 422
    response = send(item_url(s, "vote"), {"choice": "for"}, headers)
    assert response.status_code == 400
    assert "신고해 주십시오" in response.json()["detail"]


def test_a_recused_vote_is_400_and_audited(s: Sitting) -> None:
    Declaration.objects.create(item=s.item, member=s.members[2], kind="recusal", declared_at=NOW)
    response = send(item_url(s, "vote"), {"choice": "for"}, member_headers(s, 2))
    assert response.status_code == 400
    assert AuditEntry.objects.filter(action="committee.recused_vote_refused").exists()


def test_a_read_only_token_cannot_vote(s: Sitting) -> None:
    response = send(item_url(s, "vote"), {"choice": "for"}, member_headers(s, 3, ApiToken.Scope.READ))
    assert response.status_code == 403


def test_challenge_flow(s: Sitting, headers_for: Headers) -> None:
    secretary = headers_for("secretary", scope=RW)
    response = send(
        item_url(s, "challenges"), {"member_id": s.members[8].pk, "raised_by": "김당사", "grounds": "자문"}, secretary
    )
    assert response.status_code == 201, response.content
    challenge_id = response.json()["id"]
    bad = send(item_url(s, "challenges"), {"member_id": 999999, "raised_by": "갑", "grounds": "사유"}, secretary)
    assert (bad.status_code, bad.json()["field"]) == (400, "member_id")
    for index in range(5):
        vote = send(f"/api/committee/challenges/{challenge_id}/vote", {"choice": "for"}, member_headers(s, index))
        assert vote.status_code == 200, vote.content
    refused = send(f"/api/committee/challenges/{challenge_id}/vote", {"choice": "against"}, member_headers(s, 8))
    assert refused.status_code == 400
    decided = send(f"/api/committee/challenges/{challenge_id}/decide", {}, member_headers(s, 0))
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "upheld"
    assert len(decided.json()["votes"]) == 5
    read = Client().get(f"/api/committee/challenges/{challenge_id}", headers=headers_for("aa_officer"))
    assert read.status_code == 200


def test_open_decide_and_tally(cast, headers_for: Headers) -> None:  # type: ignore[no-untyped-def]
    s = sitting(cast, status="pending")
    secretary = headers_for("secretary", scope=RW)
    response = send(item_url(s, "open"), {}, secretary)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "open"
    s.declare_all()
    for index in range(5):
        Vote.objects.create(item=s.item, member=s.members[index], choice="for", cast_at=NOW)
    live = Client().get(item_url(s, "tally"), headers=headers_for("secretary")).json()
    assert (live["eligible"], live["present"], live["votes_for"], live["frozen"]) == (9, 9, 5, False)
    blank = send(item_url(s, "decide"), {"resolution": " "}, secretary)
    assert (blank.status_code, blank.json()["field"]) == (400, "resolution")
    response = send(item_url(s, "decide"), {"resolution": "기준 완화 권고"}, secretary)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["result"], data["tally"]["votes_for"]) == ("decided", "adopted", 5)
    frozen = Client().get(item_url(s, "tally"), headers=member_headers(s, 4, ApiToken.Scope.READ)).json()
    assert frozen["frozen"] is True
    late = send(item_url(s, "vote"), {"choice": "against"}, member_headers(s, 6))
    assert late.status_code == 400
    assert "이미 의결된" in late.json()["detail"]


def test_a_member_who_does_not_chair_cannot_decide(s: Sitting) -> None:
    response = send(item_url(s, "decide"), {"resolution": "안"}, member_headers(s, 3))
    assert response.status_code == 400
    assert AgendaItem.objects.get(pk=s.item.pk).status == "open"


@pytest.mark.parametrize("who", ["official_b", "aa_officer_b", "official", "admin"])
def test_others_get_404(s: Sitting, headers_for: Headers, who: str) -> None:
    assert Client().get(item_url(s, "tally"), headers=headers_for(who)).status_code == 404
    assert Client().get(f"/api/committee/meetings/{s.meeting.pk}/votes", headers=headers_for(who)).status_code == 404
    challenge = Challenge.objects.create(item=s.item, member=s.members[8], raised_by="갑", grounds="사유")
    assert Client().get(f"/api/committee/challenges/{challenge.pk}", headers=headers_for(who)).status_code == 404


def test_another_institutions_secretary_gets_404(s: Sitting, cast) -> None:  # type: ignore[no-untyped-def]
    from core.roles import Role
    from tests.cast import make_user

    other = make_user("secretary_b", cast.other, cast.other_unit, Role.COMMITTEE_SECRETARY)
    _, secret = token_create(actor=actor_for(other), name="b", scope=RW, expires_in_days=30)
    response = send(item_url(s, "open"), {}, bearer(secret))
    assert response.status_code == 404


def test_minutes_and_export(s: Sitting, headers_for: Headers) -> None:
    pdf = Client().get(f"/api/committee/meetings/{s.meeting.pk}/minutes.pdf", headers=headers_for("secretary"))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-")
    exported = Client().get(
        f"/api/committee/meetings/{s.meeting.pk}/votes?format=csv", headers=member_headers(s, 2, ApiToken.Scope.READ)
    )
    assert exported.status_code == 200
    assert "위원" in exported.content.decode("utf-8-sig").splitlines()[0]
    xlsx = Client().get(f"/api/committee/meetings/{s.meeting.pk}/votes?format=xlsx", headers=headers_for("head"))
    assert xlsx.status_code == 200
    bad = Client().get(f"/api/committee/meetings/{s.meeting.pk}/votes?format=pdf", headers=headers_for("head"))
    assert bad.status_code == 422


# --- Vote secrecy: an undecided item's votes and counts are the presiding side's only ----------


def _challenge_with_votes(s: Sitting) -> Challenge:
    challenge = Challenge.objects.create(item=s.item, member=s.members[8], raised_by="갑", grounds="사유")
    for index in (1, 2):
        Vote.objects.create(item=s.item, challenge=challenge, member=s.members[index], choice="for", cast_at=NOW)
    return challenge


@pytest.mark.parametrize("who", ["head", "aa_officer"])
def test_the_live_tally_is_refused_to_readers_who_do_not_preside(s: Sitting, headers_for: Headers, who: str) -> None:
    s.declare_all()
    Vote.objects.create(item=s.item, member=s.members[3], choice="for", cast_at=NOW)
    for headers in (headers_for(who), member_headers(s, 4, ApiToken.Scope.READ)):
        response = Client().get(item_url(s, "tally"), headers=headers)
        assert response.status_code == 400
        assert "간사와 회의 위원장" in response.json()["detail"]
        assert "votes_for" not in response.json()


def test_the_live_tally_is_the_chairs_and_the_secretarys(s: Sitting, headers_for: Headers) -> None:
    s.declare_all()
    Vote.objects.create(item=s.item, member=s.members[3], choice="for", cast_at=NOW)
    for headers in (headers_for("secretary"), member_headers(s, 0, ApiToken.Scope.READ)):
        response = Client().get(item_url(s, "tally"), headers=headers)
        assert response.status_code == 200
        assert (response.json()["votes_for"], response.json()["frozen"]) == (1, False)


def test_challenge_votes_of_an_undecided_item_are_hidden_from_non_presiding_readers(
    s: Sitting, headers_for: Headers
) -> None:
    challenge = _challenge_with_votes(s)
    url = f"/api/committee/challenges/{challenge.pk}"
    for headers in (headers_for("head"), member_headers(s, 3, ApiToken.Scope.READ)):
        assert Client().get(url, headers=headers).json()["votes"] == []
    assert len(Client().get(url, headers=headers_for("secretary")).json()["votes"]) == 2
    assert len(Client().get(url, headers=member_headers(s, 0, ApiToken.Scope.READ)).json()["votes"]) == 2
    # a member voting on the challenge learns nothing of the others' votes
    voted = send(f"{url}/vote", {"choice": "against"}, member_headers(s, 3))
    assert voted.status_code == 200, voted.content
    assert voted.json()["votes"] == []
    AgendaItem.objects.filter(pk=s.item.pk).update(status="decided", result="adopted", decided_at=NOW)
    assert len(Client().get(url, headers=headers_for("head")).json()["votes"]) == 3


def test_the_export_over_the_api_withholds_an_open_items_votes(s: Sitting, headers_for: Headers) -> None:
    s.declare_all()
    Vote.objects.create(item=s.item, member=s.members[5], choice="against", cast_at=NOW)
    url = f"/api/committee/meetings/{s.meeting.pk}/votes?format=csv"
    member_csv = Client().get(url, headers=member_headers(s, 2, ApiToken.Scope.READ)).content.decode("utf-8-sig")
    assert "반대" not in member_csv
    assert "의결 후 공개" in member_csv
    secretary_csv = Client().get(url, headers=headers_for("secretary")).content.decode("utf-8-sig")
    assert "반대" in secretary_csv


def test_a_challenged_member_id_out_of_range_is_422(s: Sitting, headers_for: Headers) -> None:
    body = {"member_id": 10**20, "raised_by": "갑", "grounds": "사유"}
    response = send(item_url(s, "challenges"), body, headers_for("secretary", scope=RW))
    assert response.status_code == 422
