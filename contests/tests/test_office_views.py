"""The office pages: organisers only (judges only their scoring pages), other institutions
and other roles get 404, anonymous visitors the login page; bad input comes back by its
field; lists have a bounded number of queries."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from contests import services
from contests.models import Contest, ContestJudge, Entry, PreliminaryReview
from contests.tests.factories import actor, contest, in_final, vote, voting_open, with_entries
from core.models import AuditEntry
from library.tests.factories import published
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def _urls(c: Contest, e: Entry, j: ContestJudge) -> list[tuple[str, str]]:
    pk = c.pk
    return [
        ("get", reverse("contests:detail", kwargs={"pk": pk})),
        ("get", reverse("contests:edit", kwargs={"pk": pk})),
        ("post", reverse("contests:act", kwargs={"pk": pk, "action": "start_preliminary"})),
        ("post", reverse("contests:entry_add", kwargs={"pk": pk})),
        ("post", reverse("contests:entry_remove", kwargs={"pk": pk, "entry_pk": e.pk})),
        ("get", reverse("contests:judges", kwargs={"pk": pk})),
        ("post", reverse("contests:judge_remove", kwargs={"pk": pk, "judge_pk": j.pk})),
        ("get", reverse("contests:preliminary", kwargs={"pk": pk})),
        ("get", reverse("contests:expert", kwargs={"pk": pk})),
        ("get", reverse("contests:results", kwargs={"pk": pk})),
        ("post", reverse("contests:grades", kwargs={"pk": pk})),
    ]


@pytest.mark.parametrize("username", ["aa_officer_b", "no_role", "head", "audit_staff", "dept_head"])
def test_every_contest_page_is_404_to_other_institutions_and_roles(client_for, cast: Cast, username: str) -> None:  # type: ignore[no-untyped-def]
    c, entries = with_entries(cast, 1)
    judge = c.judges.first()
    assert judge is not None
    client = client_for(username)
    for method, url in _urls(c, entries[0], judge):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (username, url)
    assert Contest.objects.get(pk=c.pk).status == Contest.Status.ENTRIES
    assert c.entries.count() == 1
    assert c.judges.count() == 3


def test_list_and_create_are_404_to_staff_who_neither_organise_nor_judge(client_for, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    client = client_for("no_role")
    assert client.get(reverse("contests:list")).status_code == 404
    assert client.get(reverse("contests:create")).status_code == 404
    assert client_for("official").get(reverse("contests:create")).status_code == 404


def test_anonymous_visitors_are_sent_to_login(cast: Cast) -> None:
    c, entries = with_entries(cast, 1)
    judge = c.judges.first()
    assert judge is not None
    for method, url in [("get", reverse("contests:list")), *_urls(c, entries[0], judge)]:
        response = getattr(Client(), method)(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_judges_reach_only_their_own_scoring_page(client_for, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    c, entries = with_entries(cast, 1)
    reviewer = client_for("official")  # a preliminary reviewer
    assert reviewer.get(reverse("contests:list")).status_code == 200
    assert reviewer.get(reverse("contests:preliminary", kwargs={"pk": c.pk})).status_code == 200
    assert reviewer.get(reverse("contests:expert", kwargs={"pk": c.pk})).status_code == 404
    judge = c.judges.first()
    assert judge is not None
    for method, url in _urls(c, entries[0], judge):
        if "preliminary" in url:
            continue
        assert getattr(reviewer, method)(url).status_code == 404, url


def test_organiser_creates_a_contest_and_bad_weights_come_back_by_the_field(client_for, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    data = {
        "title": "<script>alert(1)</script> 경진대회",
        "description": "",
        "scope": "internal",
        "entry_opens_on": "2026-01-01",
        "entry_closes_on": "2026-01-31",
        "vote_opens_at": "",
        "vote_closes_at": "",
        "weight_panel": "30",
        "weight_expert": "50",
        "weight_public": "30",
        "finalists": "3",
    }
    response = client.post(reverse("contests:create"), data)
    assert response.status_code == 400
    assert "세 비중의 합이 100이어야 합니다(지금 110)" in response.content.decode()
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt; 경진대회"' in response.content.decode()
    for field, value in [("weight_panel", "²"), ("finalists", "-1"), ("weight_expert", "1" * 30), ("title", "")]:
        bad = client.post(reverse("contests:create"), {**data, "weight_public": "20", field: value})
        assert bad.status_code == 400, field
    response = client.post(reverse("contests:create"), {**data, "weight_public": "20"})
    c = Contest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contests:detail", kwargs={"pk": c.pk})
    page = client.get(response["Location"])
    assert "&lt;script&gt;" in page.content.decode()
    assert "<script>alert" not in page.content.decode()


def test_bad_ids_answer_404(client_for, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    c = contest(cast)
    client = client_for("aa_officer")
    assert client.get("/office/contests/999999999999999999999999999999/").status_code == 404
    assert client.get("/office/contests/²/").status_code == 404
    assert client.post(reverse("contests:act", kwargs={"pk": c.pk, "action": "bogus"})).status_code == 404
    for value in ["²", "-1", "9" * 30, ""]:
        assert client.post(reverse("contests:entry_add", kwargs={"pk": c.pk}), {"case": value}).status_code == 404


def test_entries_are_added_from_the_picker_and_refused_twice(client_for, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    c = contest(cast)
    case = published(cast, title="주차장 공유")
    published(cast, title="폭염 안부")
    client = client_for("aa_officer")
    page = client.get(reverse("contests:detail", kwargs={"pk": c.pk}), {"q": "주차"})
    assert "주차장 공유" in page.content.decode()
    assert "폭염 안부" not in page.content.decode()
    url = reverse("contests:entry_add", kwargs={"pk": c.pk})
    assert client.post(url, {"case": case.pk}).status_code == 302
    again = client.post(url, {"case": case.pk})
    assert again.status_code == 400
    assert "이미 출품한 사례입니다." in again.content.decode()


def test_workflow_refusal_is_shown_not_500(client_for, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    c = contest(cast)
    services.contest_act(actor=actor(cast.aa_officer), contest=c, action="open_entries")
    response = client_for("aa_officer").post(
        reverse("contests:act", kwargs={"pk": c.pk, "action": "start_preliminary"})
    )
    assert response.status_code == 400
    assert "출품작이 한 건 이상" in response.content.decode()


def test_reviewer_scores_on_the_page_and_bad_scores_come_back(client_for, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    c, entries = with_entries(cast, 2)
    services.contest_act(actor=actor(cast.aa_officer), contest=c, action="start_preliminary")
    client = client_for("official")
    url = reverse("contests:preliminary", kwargs={"pk": c.pk})
    bad = client.post(url, {f"score_{entries[0].pk}": "101", f"comment_{entries[0].pk}": "<b>좋음</b>"})
    assert bad.status_code == 400
    assert "&lt;b&gt;좋음&lt;/b&gt;" in bad.content.decode()
    ok = client.post(url, {f"score_{entries[0].pk}": "88", f"comment_{entries[0].pk}": "좋음"})
    assert ok.status_code == 302
    assert PreliminaryReview.objects.get().score == 88
    assert 'value="88"' in client.get(url).content.decode()


def test_finalists_page_proposes_the_top_n_and_confirms(client_for, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    c, entries = with_entries(cast, 3, finalists=2)
    services.contest_act(actor=actor(cast.aa_officer), contest=c, action="start_preliminary")
    services.preliminary_score(
        actor=actor(cast.official),
        contest=c,
        scores={entries[0].pk: (50, ""), entries[1].pk: (90, ""), entries[2].pk: (70, "")},
    )
    client = client_for("aa_officer")
    url = reverse("contests:finalists", kwargs={"pk": c.pk})
    page = client.get(url)
    assert page.context["form"].initial["entries"] == [entries[1].pk, entries[2].pk]
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"entries": ["²"]}).status_code == 400
    assert client.post(url, {"entries": [entries[0].pk]}).status_code == 302
    assert Contest.objects.get(pk=c.pk).status == Contest.Status.FINAL


def test_results_are_hidden_until_the_vote_closes(client_for, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    c, entries = voting_open(cast)
    client = client_for("aa_officer")
    url = reverse("contests:results", kwargs={"pk": c.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["rows"] == []
    assert "투표가 마감된 뒤에" in page.content.decode()
    services.contest_act(actor=actor(cast.aa_officer), contest=c, action="close_vote")
    page = client.get(url)
    assert len(page.context["rows"]) == 2
    grades = {f"grade_{entries[0].pk}": "grand", f"grade_{entries[1].pk}": "bogus"}
    assert client.post(reverse("contests:grades", kwargs={"pk": c.pk}), grades).status_code == 400
    grades[f"grade_{entries[1].pk}"] = "gold"
    assert client.post(reverse("contests:grades", kwargs={"pk": c.pk}), grades).status_code == 302
    assert Entry.objects.get(pk=entries[1].pk).grade == "gold"


def test_votes_stay_off_the_contest_timeline_and_only_their_count_shows_after_closing(client_for, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    c, entries = voting_open(cast)
    for i in range(3):
        vote(c, entries[i % 2], f"voter{i}@example.com")
    assert AuditEntry.objects.filter(action="contest.vote_cast").count() == 3  # the log keeps them
    client = client_for("aa_officer")
    url = reverse("contests:detail", kwargs={"pk": c.pk})
    page = client.get(url)
    actions = [e.action for e in page.context["timeline"]]
    assert "contest.created" in actions  # the contest's own history is shown
    assert "contest.vote_cast" not in actions
    assert page.context["vote_count"] is None
    assert "온라인 투표 수" not in page.content.decode()
    services.contest_act(actor=actor(cast.aa_officer), contest=c, action="close_vote")
    page = client.get(url)
    assert "contest.vote_cast" not in [e.action for e in page.context["timeline"]]
    assert page.context["vote_count"] == 3
    assert "온라인 투표 수" in page.content.decode()
    assert "3표" in page.content.decode()


def test_panel_and_expert_pages(client_for, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    c, entries = in_final(cast)
    organiser = client_for("aa_officer")
    url = reverse("contests:panel", kwargs={"pk": c.pk})
    assert organiser.post(url, {f"score_{entries[0].pk}": "x"}).status_code == 400
    assert organiser.post(url, {f"score_{entries[0].pk}": "75"}).status_code == 302
    assert Entry.objects.get(pk=entries[0].pk).panel_score == 75
    assert client_for("member").get(url).status_code == 404
    expert = client_for("member")
    expert_url = reverse("contests:expert", kwargs={"pk": c.pk})
    assert expert.post(expert_url, {f"score_{entries[0].pk}": "60"}).status_code == 302
    assert entries[2].best_practice.title not in expert.get(expert_url).content.decode()


def test_judges_page_assigns_and_refuses_other_institutions_staff(client_for, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    c = contest(cast)
    client = client_for("aa_officer")
    url = reverse("contests:judges", kwargs={"pk": c.pk})
    assert client.post(url, {"user": cast.official_b.pk, "kind": "expert"}).status_code == 400
    assert client.post(url, {"user": "²", "kind": "expert"}).status_code == 400
    assert client.post(url, {"user": cast.member.pk, "kind": "expert"}).status_code == 302
    assert c.judges.get().user == cast.member


def test_list_query_count_is_bounded(client_for, cast: Cast, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for i in range(12):
        contest(cast, title=f"대회 {i}")
    client = client_for("aa_officer")
    client.get(reverse("contests:list"))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("contests:list"))
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 12


def test_detail_query_count_does_not_grow_with_entries(client_for, cast: Cast, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    c, _ = with_entries(cast, 8)
    client = client_for("aa_officer")
    client.get(reverse("contests:detail", kwargs={"pk": c.pk}))
    with django_assert_max_num_queries(35):
        assert client.get(reverse("contests:detail", kwargs={"pk": c.pk})).status_code == 200
