"""The public contest pages: the list, the vote in two steps with the e-mailed code, the
refusals shown on the page, the awards after publication, and no client data stored."""

from __future__ import annotations

import re
import time
from unittest import mock

import pytest
from django.core import mail, signing
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from contests import services, voting
from contests.models import Contest, Vote
from contests.tests.factories import actor, code_from_mail, contest, in_final, vote, voting_open
from tests.cast import Cast

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"
AGENT = "VoteAgent/9.9 (unique-agent-marker)"


def _client() -> Client:
    return Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT)


def _ask(client: Client, c: Contest, email: str, django_capture_on_commit_callbacks) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal_contests:request_code", kwargs={"pk": c.pk}), {"email": email})
    assert response.status_code == 200, response.content.decode()
    return response.context["form"].initial["ticket"], code_from_mail(mail.outbox[-1].body)


def test_a_citizen_votes_with_the_emailed_code(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    c, entries = voting_open(cast)
    client = _client()
    page = client.get(reverse("portal_contests:list"))
    assert c.title in page.content.decode()
    detail = client.get(reverse("portal_contests:detail", kwargs={"pk": c.pk}))
    assert entries[0].best_practice.title in detail.content.decode()
    assert entries[2].best_practice.title not in detail.content.decode()  # eliminated
    ticket, code = _ask(client, c, "voter@example.com", django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == ["voter@example.com"]
    url = reverse("portal_contests:vote", kwargs={"pk": c.pk})
    wrong = client.post(
        url, {"ticket": ticket, "entry": entries[0].pk, "code": "000000" if code != "000000" else "111111"}
    )
    assert wrong.status_code == 400
    assert "확인 코드가 맞지 않습니다" in wrong.content.decode()
    done = client.post(url, {"ticket": ticket, "entry": entries[0].pk, "code": code})
    assert done.status_code == 302
    assert done["Location"] == reverse("portal_contests:done", kwargs={"pk": c.pk})
    assert client.get(done["Location"]).status_code == 200
    assert Vote.objects.get().entry == entries[0]
    again = client.post(reverse("portal_contests:request_code", kwargs={"pk": c.pk}), {"email": "VOTER@example.com"})
    assert again.status_code == 200  # the same page as for anyone (test_a_voted_address_gets_the_same_answer)
    reused = client.post(url, {"ticket": ticket, "entry": entries[1].pk, "code": code})
    assert reused.status_code == 400
    assert "이미 사용한" in reused.content.decode()


def _page(response: HttpResponse) -> str:
    """The page without its per-request tokens (the ticket, the CSRF token, the CSP nonce)."""
    page = re.sub(r'(value|nonce)="[^"]*"', r'\1=""', response.content.decode())
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", page)


def test_a_voted_address_gets_the_same_answer_as_a_fresh_one(
    cast: Cast,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    c, entries = voting_open(cast)
    vote(c, entries[0], "voted@example.com")
    url = reverse("portal_contests:request_code", kwargs={"pk": c.pk})
    with django_capture_on_commit_callbacks(execute=True):
        voted = _client().post(url, {"email": "Voted+again@example.com"})
    with django_capture_on_commit_callbacks(execute=True):
        fresh = _client().post(url, {"email": "fresh@example.com"})
    assert voted.status_code == fresh.status_code == 200
    assert [t.name for t in voted.templates] == [t.name for t in fresh.templates]
    assert _page(voted) == _page(fresh)
    assert "이미 투표" not in voted.content.decode()
    assert "이미 투표한 기록" in mail.outbox[-2].body  # the mailbox owner alone learns it
    code_from_mail(mail.outbox[-1].body)  # the fresh address got a code


def test_an_expired_ticket_asks_for_a_new_code(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    c, entries = voting_open(cast)
    client = _client()
    ticket, code = _ask(client, c, "slow@example.com", django_capture_on_commit_callbacks)
    url = reverse("portal_contests:vote", kwargs={"pk": c.pk})
    later = time.time() + voting.TICKET_MAX_AGE + 5
    with mock.patch.object(signing.time, "time", return_value=later):
        response = client.post(url, {"ticket": ticket, "entry": entries[0].pk, "code": code})
        other = contest(cast, title="다른 대회")
        # a genuine but old ticket of another contest is still 404
        elsewhere = client.post(reverse("portal_contests:vote", kwargs={"pk": other.pk}), {"ticket": ticket})
        assert elsewhere.status_code == 404
    assert response.status_code == 400
    page = response.content.decode()
    assert "확인 코드가 만료되었습니다. 코드를 다시 받아 주십시오." in page
    assert reverse("portal_contests:request_code", kwargs={"pk": c.pk}) in page  # the e-mail form is right there
    assert not Vote.objects.exists()


def test_vote_page_refuses_forged_tickets_and_bad_input(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    c, entries = voting_open(cast)
    client = _client()
    url = reverse("portal_contests:vote", kwargs={"pk": c.pk})
    assert client.post(url, {"ticket": "forged", "entry": entries[0].pk, "code": "123456"}).status_code == 404
    ticket, code = _ask(client, c, "v@example.com", django_capture_on_commit_callbacks)
    other = contest(cast, title="다른 대회")
    assert client.post(reverse("portal_contests:vote", kwargs={"pk": other.pk}), {"ticket": ticket}).status_code == 404
    for entry in ["²", "-1", "9" * 30, entries[2].pk]:
        response = client.post(url, {"ticket": ticket, "entry": entry, "code": code})
        assert response.status_code == 400, entry
    bad = client.post(reverse("portal_contests:request_code", kwargs={"pk": c.pk}), {"email": "<script>x</script>"})
    assert bad.status_code == 400
    assert "<script>x" not in bad.content.decode()
    assert "올바른 전자우편 주소" in bad.content.decode()
    assert not Vote.objects.exists()


def test_contests_not_in_public_states_are_404(cast: Cast) -> None:
    c, _ = in_final(cast)
    client = _client()
    assert client.get(reverse("portal_contests:detail", kwargs={"pk": c.pk})).status_code == 404
    assert (
        client.post(reverse("portal_contests:request_code", kwargs={"pk": c.pk}), {"email": "a@b.kr"}).status_code
        == 404
    )
    assert client.get("/contests/999999999999999999999999999999/").status_code == 404
    assert c.title not in client.get(reverse("portal_contests:list")).content.decode()


def test_after_closing_the_page_says_so_and_codes_are_refused(cast: Cast) -> None:
    c, _ = voting_open(cast)
    services.contest_act(actor=actor(cast.aa_officer), contest=c, action="close_vote")
    client = _client()
    page = client.get(reverse("portal_contests:detail", kwargs={"pk": c.pk}))
    assert "투표가 마감되었습니다" in page.content.decode()
    refused = client.post(reverse("portal_contests:request_code", kwargs={"pk": c.pk}), {"email": "a@example.com"})
    assert refused.status_code == 400
    assert "투표가 마감되었습니다" in refused.content.decode()


def test_published_contest_shows_its_awards_linking_to_the_cases(cast: Cast) -> None:
    c, entries = voting_open(cast)
    organiser = actor(cast.aa_officer)
    services.contest_act(actor=organiser, contest=c, action="close_vote")
    services.assign_grades(actor=organiser, contest=c, grades={entries[0].pk: "grand", entries[1].pk: "gold"})
    services.contest_act(actor=organiser, contest=c, action="publish")
    page = _client().get(reverse("portal_contests:detail", kwargs={"pk": c.pk})).content.decode()
    assert page.index("대상") < page.index("최우수")
    assert reverse("portal_library:detail", kwargs={"pk": entries[0].best_practice_id}) in page
    assert cast.district.name in page


def test_no_client_address_or_agent_is_stored(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    c, entries = voting_open(cast)
    client = _client()
    ticket, code = _ask(client, c, "scan.me@example.com", django_capture_on_commit_callbacks)
    client.post(
        reverse("portal_contests:vote", kwargs={"pk": c.pk}), {"ticket": ticket, "entry": entries[0].pk, "code": code}
    )
    assert Vote.objects.count() == 1
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                for needle in (ADDRESS, "unique-agent-marker", "scan.me@example.com", "scan.me"):
                    if needle in text:
                        found.append(f"{table}: {needle}")
    assert found == []


def test_public_list_query_count_is_bounded(cast: Cast, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    voting_open(cast)
    client = _client()
    with django_assert_max_num_queries(5):
        assert client.get(reverse("portal_contests:list")).status_code == 200
