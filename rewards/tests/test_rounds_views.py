"""The rounds' office pages: who sees what, forms with bad input, query counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.access import actor_for
from core.roles import Role
from core.tests import filefactory as ff
from rewards import services
from rewards.models import Candidate, Conflict, Nomination, Round, Score
from rewards.tests import factories as f
from tests.cast import Cast
from tests.factories import grant

pytestmark = pytest.mark.django_db


def png(name: str = "e.png") -> SimpleUploadedFile:
    return ff.upload(name, ff.image("PNG"), "image/png")


def url(name: str, *args: Any) -> str:
    return reverse(f"rewards:{name}", args=args)


# --- List ---------------------------------------------------------------------------------


def test_list_shows_rounds_by_role_and_filters(cast: Cast, client_for: Any) -> None:
    nominating = f.round_factory(cast)
    draft = f.RoundFactory(institution=cast.district, status=Round.Status.DRAFT, title="준비 중인 선발")
    f.RoundFactory(institution=cast.other, title="다른 기관 선발")
    page = client_for("aa_officer").get(url("rounds"))
    assert page.status_code == 200
    body = page.content.decode()
    assert nominating.title in body
    assert draft.title in body
    assert "다른 기관 선발" not in body
    assert url("round_create") in body
    official = client_for("official").get(url("rounds")).content.decode()
    assert nominating.title in official
    assert draft.title not in official
    assert url("round_create") not in official
    filtered = client_for("aa_officer").get(url("rounds"), {"status": "draft"}).content.decode()
    assert draft.title in filtered
    assert nominating.title not in filtered
    bad = client_for("aa_officer").get(url("rounds"), {"status": "<b>", "year": "²", "page": "-1"})
    assert bad.status_code == 200
    partial = client_for("aa_officer").get(url("rounds"), headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()


def test_list_query_count_is_bounded(cast: Cast, client_for: Any, django_assert_max_num_queries: Any) -> None:
    f.RoundFactory.create_batch(30, institution=cast.district)
    client = client_for("aa_officer")
    client.get(url("rounds"))
    with django_assert_max_num_queries(14):
        assert client.get(url("rounds")).status_code == 200


# --- Create / edit ------------------------------------------------------------------------


def test_organiser_creates_a_round_and_errors_stay_by_their_fields(cast: Cast, client_for: Any) -> None:
    client = client_for("hr_officer")
    assert client.get(url("round_create")).status_code == 200
    data = {
        "title": "<script>x</script>2026 선발",
        "year": "2026",
        "period": "first_half",
        "nominations_open": "2026-06-01",
        "nominations_close": "2026-06-30",
        "select_count": "2",
    }
    refused = client.post(url("round_create"), data)
    assert refused.status_code == 400
    assert "선발 주기" in refused.content.decode()
    assert "&lt;script&gt;" in refused.content.decode()
    assert client.post(url("round_create"), {**data, "period": "annual", "select_count": "x"}).status_code == 400
    assert client.post(url("round_create"), {**data, "period": "annual", "title": "가" * 5000}).status_code == 400
    assert (
        client.post(url("round_create"), {**data, "period": "annual", "meeting": "99999999999999999999"}).status_code
        == 400
    )
    done = client.post(url("round_create"), {**data, "period": "annual"})
    assert done.status_code == 302
    round_ = Round.objects.get()
    assert round_.status == Round.Status.DRAFT
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "&lt;script&gt;" in page
    assert "<script>x" not in page
    edit = client.post(
        url("round_edit", round_.pk),
        {
            "title": "고친 선발",
            "nominations_open": "2026-06-30",
            "nominations_close": "2026-06-01",
            "select_count": "2",
        },
    )
    assert edit.status_code == 400
    assert (
        client.post(
            url("round_edit", round_.pk),
            {
                "title": "고친 선발",
                "nominations_open": "2026-06-01",
                "nominations_close": "2026-06-30",
                "select_count": "3",
            },
        ).status_code
        == 302
    )
    round_.refresh_from_db()
    assert (round_.title, round_.select_count) == ("고친 선발", 3)


@pytest.mark.parametrize("who", ["official", "dept_head", "member", "aa_officer_b"])
def test_create_and_edit_are_for_organisers_of_the_institution(cast: Cast, client_for: Any, who: str) -> None:
    round_ = f.round_factory(cast)
    client = client_for(who)
    if who != "aa_officer_b":  # an organiser of another institution makes rounds of their own
        assert client.get(url("round_create")).status_code in {403, 404}
    assert client.get(url("round_edit", round_.pk)).status_code in {403, 404}
    assert client.post(url("round_action", round_.pk, "start_scoring")).status_code in {403, 404}


# --- Round page ---------------------------------------------------------------------------


def test_round_page_by_role(cast: Cast, client_for: Any) -> None:
    round_, candidates, _members = f.scored_round(cast, (8, 8, 5))
    organiser = client_for("aa_officer").get(round_.get_absolute_url()).content.decode()
    for c in candidates:
        assert c.person.name in organiser
    assert "동점" in organiser
    assert "선발안 상정 요청" in organiser
    member = client_for("member").get(round_.get_absolute_url()).content.decode()
    assert candidates[1].person.name in member
    assert "선발안 상정 요청" not in member
    # a plain official sees no round in scoring, another institution never
    assert client_for("official2").get(round_.get_absolute_url()).status_code == 404
    assert client_for("aa_officer_b").get(round_.get_absolute_url()).status_code == 404
    for bad in ("999999", "0"):
        assert client_for("aa_officer").get(f"/office/rewards/rounds/{bad}/").status_code == 404
    assert client_for("aa_officer").get("/office/rewards/rounds/²/").status_code == 404
    assert client_for("aa_officer").get("/office/rewards/rounds/" + "9" * 30 + "/").status_code == 404


def test_plain_official_sees_facts_and_nominate_links_only(cast: Cast, client_for: Any) -> None:
    round_ = f.round_factory(cast)
    f.nominate(cast, round_, f.person(cast, "다른후보"))
    page = client_for("official2").get(round_.get_absolute_url()).content.decode()
    assert round_.title in page
    assert "다른후보" not in page
    assert url("nominate", round_.pk, "self") in page
    assert url("nominate", round_.pk, "department") not in page
    head = client_for("dept_head").get(round_.get_absolute_url()).content.decode()
    assert url("nominate", round_.pk, "department") in head


def test_ranking_page_query_count(cast: Cast, client_for: Any, django_assert_max_num_queries: Any) -> None:
    round_, _c, _m = f.scored_round(cast, (9, 8, 7, 6, 5, 4))
    client = client_for("aa_officer")
    client.get(round_.get_absolute_url())
    with django_assert_max_num_queries(30):
        assert client.get(round_.get_absolute_url()).status_code == 200


def test_workflow_actions_through_the_page(cast: Cast, client_for: Any) -> None:
    client = client_for("aa_officer")
    round_ = f.round_factory(cast, status=Round.Status.DRAFT)
    assert client.post(url("round_action", round_.pk, "open")).status_code == 302
    round_.refresh_from_db()
    assert round_.status == Round.Status.NOMINATING
    refused = client.post(url("round_action", round_.pk, "start_scoring"))
    assert refused.status_code == 400
    assert "심사할 후보가 없습니다" in refused.content.decode()
    assert client.post(url("round_action", round_.pk, "nonsense")).status_code == 404
    assert client.get(url("round_action", round_.pk, "open")).status_code == 405


def test_submit_list_needs_a_reason_to_leave_out_a_tie(cast: Cast, client_for: Any) -> None:
    round_, candidates, _members = f.scored_round(cast, (8, 8, 5), select_count=1)
    client = client_for("aa_officer")
    action = url("round_action", round_.pk, "submit_list")
    refused = client.post(action, {"sl-candidates": [candidates[0].pk]})
    assert refused.status_code == 400
    assert "사유" in refused.content.decode()
    assert client.post(action, {}).status_code == 400
    assert client.post(action, {"sl-candidates": ["x"]}).status_code == 400
    assert (
        client.post(action, {"sl-candidates": [candidates[0].pk], "sl-tie_reason": "근무 기간을 고려"}).status_code
        == 302
    )
    round_.refresh_from_db()
    assert round_.status == Round.Status.AT_COMMITTEE
    back = client.post(url("round_action", round_.pk, "return_list"), {"rl-reason": ""})
    assert back.status_code == 400
    assert client.post(url("round_action", round_.pk, "return_list"), {"rl-reason": "다시 검토"}).status_code == 302
    round_.refresh_from_db()
    assert round_.status == Round.Status.SCORING


def test_close_refused_shows_who_lacks_a_major_incentive(cast: Cast, client_for: Any) -> None:
    round_, chosen, _others = f.decided_round(cast)
    client = client_for("aa_officer")
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "주요 인사 인센티브가 계획되지 않은 선발자" in page
    assert chosen[0].person.name in page
    refused = client.post(url("round_action", round_.pk, "close"))
    assert refused.status_code == 400
    assert chosen[0].person.name in refused.content.decode()


# --- Nominations --------------------------------------------------------------------------


def test_dept_head_nominates_a_person_of_their_unit_with_evidence(cast: Cast, client_for: Any) -> None:
    round_ = f.round_factory(cast)
    client = client_for("dept_head")
    form = client.get(url("nominate", round_.pk, "department"))
    assert form.status_code == 200
    body = form.content.decode()
    assert f'value="{cast.official.person.pk}"' in body
    assert f'value="{cast.official2.person.pk}"' not in body
    data = {"person": cast.official2.person.pk, "act": "적극 처리", "effect": "효과"}
    assert client.post(url("nominate", round_.pk, "department"), data).status_code == 400
    assert client.post(url("nominate", round_.pk, "department"), {**data, "person": "²"}).status_code == 400
    missing = client.post(url("nominate", round_.pk, "department"), {"person": cast.official.person.pk})
    assert missing.status_code == 400
    unknown = client.post(
        url("nominate", round_.pk, "department"),
        {**data, "person": cast.official.person.pk, "work_item_reference": "없는번호"},
    )
    assert unknown.status_code == 400
    assert "업무 등록부" in unknown.content.decode()
    files = [png(f"e{i}.png") for i in range(6)]
    many = client.post(
        url("nominate", round_.pk, "department"), {**data, "person": cast.official.person.pk, "attachments": files}
    )
    assert many.status_code == 400
    done = client.post(
        url("nominate", round_.pk, "department"),
        {
            **data,
            "person": cast.official.person.pk,
            "act": "<script>alert(1)</script>",
            "attachments": [png("e.png")],
        },
    )
    assert done.status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.source == Nomination.Source.DEPARTMENT
    page = client_for("aa_officer").get(nomination.candidate.get_absolute_url()).content.decode()
    assert "&lt;script&gt;" in page
    assert "e.png" in page


def test_organiser_nominates_by_employee_number(cast: Cast, client_for: Any) -> None:
    round_ = f.round_factory(cast)
    client = client_for("aa_officer")
    data = {"act": "적극 처리", "effect": "효과", "employee_number": "없는번호"}
    assert client.post(url("nominate", round_.pk, "department"), data).status_code == 400
    data["employee_number"] = cast.official2.person.employee_number
    done = client.post(url("nominate", round_.pk, "department"), data)
    assert done.status_code == 302, done.context["form"].errors
    assert Candidate.objects.get().person == cast.official2.person


def test_self_nomination_is_prefilled_and_only_for_oneself(cast: Cast, client_for: Any) -> None:
    round_ = f.round_factory(cast)
    client = client_for("official2")
    page = client.get(url("nominate", round_.pk, "self")).content.decode()
    assert cast.official2.person.name in page
    # a person field posted is ignored: the self-nomination is always the actor's
    done = client.post(
        url("nominate", round_.pk, "self"), {"act": "내가 한 일", "effect": "효과", "person": cast.official.person.pk}
    )
    assert done.status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.person == cast.official2.person
    # the official sees their own candidacy, not a dossier of anyone else
    own = client.get(candidate.get_absolute_url())
    assert own.status_code == 200
    assert "history-title" not in own.content.decode()
    assert client.get(url("nominate", round_.pk, "department")).status_code == 404
    assert client.get(url("nominate", round_.pk, "contest")).status_code == 404
    assert client_for("official_b").get(url("nominate", round_.pk, "self")).status_code == 404


def test_nominating_outside_the_window_is_404(cast: Cast, client_for: Any) -> None:
    round_ = f.round_factory(cast)
    Round.objects.filter(pk=round_.pk).update(nominations_close=datetime.date(2026, 6, 10))
    assert client_for("official").get(url("nominate", round_.pk, "self")).status_code == 404


# --- Public recommendations ---------------------------------------------------------------


def test_pull_a_verified_recommendation(cast: Cast, client_for: Any) -> None:
    round_ = f.round_factory(cast)
    rec = f.verified_recommendation(cast, cast.official.person)
    team = f.verified_recommendation(cast, team_unit=cast.planning)
    pending = f.verified_recommendation(cast, cast.official2.person, status="verifying")
    foreign = f.verified_recommendation(cast, None, institution=cast.other)
    client = client_for("aa_officer")
    page = client.get(url("recommendations", round_.pk)).content.decode()
    assert rec.number in page
    assert team.number in page
    assert pending.number not in page
    assert foreign.number not in page
    assert client.get(url("pull", round_.pk, foreign.pk)).status_code == 404
    assert client.post(url("pull", round_.pk, rec.pk)).status_code == 302
    again = client.post(url("pull", round_.pk, rec.pk))
    assert again.status_code == 400
    assert "이미" in again.content.decode()
    assert client.post(url("pull", round_.pk, team.pk), {}).status_code == 400
    assert client.post(url("pull", round_.pk, team.pk), {"person": cast.official.person.pk}).status_code == 400
    assert client.post(url("pull", round_.pk, team.pk), {"person": cast.official2.person.pk}).status_code == 302
    assert Nomination.objects.filter(source=Nomination.Source.PUBLIC).count() == 2
    assert client.get(url("recommendations", round_.pk)).content.decode().count("후보로 올리기<") == 0
    for who in ("official", "member", "aa_officer_b"):
        assert client_for(who).get(url("recommendations", round_.pk)).status_code in {403, 404}
        assert client_for(who).get(url("pull", round_.pk, rec.pk)).status_code in {403, 404}


# --- Candidate page -----------------------------------------------------------------------


def test_candidate_dossier_shows_history_to_organisers_and_members(cast: Cast, client_for: Any) -> None:
    from django.utils import timezone

    from library.tests.factories import BestPracticeFactory
    from reports.models import Report
    from reports.tests.factories import submit

    _round, candidates, _members = f.scoring_round(cast)
    person = candidates[0].person
    report, _code = submit(cast.district)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.CLOSED, outcome=Report.Outcome.WARNING, closed_at=timezone.now()
    )
    report.officials.add(person)
    old, _code = submit(cast.district)
    Report.objects.filter(pk=old.pk).update(
        status=Report.Status.CLOSED,
        outcome=Report.Outcome.DISCIPLINARY,
        closed_at=datetime.datetime(2024, 3, 1, tzinfo=datetime.UTC),
    )
    old.officials.add(person)
    practice = BestPracticeFactory(unit=cast.building, author=cast.official, title="한 번에 끝나는 건축 신고")
    practice.officials.add(person)
    page = client_for("member").get(candidates[0].get_absolute_url()).content.decode()
    report.refresh_from_db()
    old.refresh_from_db()
    assert report.number in page
    assert old.number not in page
    assert "한 번에 끝나는 건축 신고" in page
    assert client_for("aa_officer").get(candidates[0].get_absolute_url()).status_code == 200
    for who in ("official2", "dept_head", "aa_officer_b"):
        assert client_for(who).get(candidates[0].get_absolute_url()).status_code == 404
    assert client_for("aa_officer").get("/office/rewards/candidates/-1/").status_code == 404


def test_evidence_download_checks_visibility(cast: Cast, client_for: Any) -> None:
    round_ = f.round_factory(cast)
    nomination = f.nominate(cast, round_, cast.official.person, uploads=[png("e.png")])
    from core.files import attachments_for

    attachment = attachments_for(nomination).get()
    link = url("evidence", nomination.pk, attachment.pk)
    assert client_for("aa_officer").get(link).status_code == 200
    assert client_for("official").get(link).status_code == 200  # their own candidacy
    for who in ("official2", "dept_head", "aa_officer_b"):
        assert client_for(who).get(link).status_code == 404
    assert client_for("aa_officer").get(url("evidence", nomination.pk, attachment.pk + 1000)).status_code == 404


def test_withdraw_by_the_person_and_conflicts(cast: Cast, client_for: Any) -> None:
    _round, candidates, members = f.scoring_round(cast)
    official = client_for("official")
    assert official.post(url("candidate_action", candidates[0].pk, "withdraw"), {"wd-reason": ""}).status_code == 400
    assert official.post(url("candidate_action", candidates[1].pk, "withdraw"), {"wd-reason": "x"}).status_code == 404
    assert (
        official.post(url("candidate_action", candidates[0].pk, "withdraw"), {"wd-reason": "사양합니다"}).status_code
        == 302
    )
    candidates[0].refresh_from_db()
    assert candidates[0].status == Candidate.Status.WITHDRAWN
    member = client_for("member")
    f.score_candidate(members[0], candidates[1], 6)
    assert (
        member.post(url("candidate_action", candidates[1].pk, "conflict"), {"cf-reason": "같은 부서 동료"}).status_code
        == 302
    )
    assert Conflict.objects.filter(candidate=candidates[1], member=members[0]).exists()
    assert not Score.objects.filter(candidate=candidates[1], member=members[0]).exists()
    refused = member.get(url("score", candidates[1].pk)).content.decode()
    assert "같은 부서 동료" in refused
    assert (
        member.post(
            url("score", candidates[1].pk),
            dict.fromkeys(("public_interest", "creativity", "proactiveness", "act_itself"), 5),
        ).status_code
        == 400
    )
    organiser = client_for("aa_officer")
    assert (
        organiser.post(
            url("candidate_action", candidates[2].pk, "conflict"), {"cf-member": members[1].pk, "cf-reason": "친척"}
        ).status_code
        == 302
    )
    assert (
        organiser.post(
            url("candidate_action", candidates[2].pk, "conflict"), {"cf-member": "²", "cf-reason": "친척"}
        ).status_code
        == 400
    )
    assert (
        client_for("official2")
        .post(url("candidate_action", candidates[2].pk, "conflict"), {"cf-reason": "x"})
        .status_code
        == 404
    )


def test_scoring_form_for_members_only(cast: Cast, client_for: Any) -> None:
    round_, candidates, members = f.scoring_round(cast)
    member = client_for("member")
    page = member.get(url("score", candidates[1].pk))
    assert page.status_code == 200
    assert "가중치 25" in page.content.decode()
    values = {"public_interest": 11, "creativity": 5, "proactiveness": 5, "act_itself": 5}
    assert member.post(url("score", candidates[1].pk), values).status_code == 400
    assert member.post(url("score", candidates[1].pk), {**values, "public_interest": "<b>"}).status_code == 400
    assert member.post(url("score", candidates[1].pk), {**values, "public_interest": 9}).status_code == 302
    score = Score.objects.get(candidate=candidates[1], member=members[0])
    assert score.total == services.weighted_total(round_, {**values, "public_interest": 9})
    for who in ("official2", "aa_officer", "aa_officer_b"):
        assert client_for(who).get(url("score", candidates[1].pk)).status_code == 404
    # a member who is the candidate is refused with the reason
    own = member_candidate(cast, members[0])
    assert "본인이 후보입니다" in member.get(url("score", own.pk)).content.decode()


def member_candidate(cast: Cast, member: Any) -> Candidate:
    round_ = Round.objects.get()
    return Candidate.objects.create(round=round_, person=member.person, unit=member.person.unit)


def test_anonymous_is_sent_to_login(cast: Cast) -> None:
    round_ = f.round_factory(cast)
    response = Client().get(round_.get_absolute_url())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_dept_head_of_another_unit_is_refused(cast: Cast, client_for: Any) -> None:
    round_ = f.round_factory(cast)
    user = cast.official2
    grant(user, Role.DEPT_HEAD, unit=cast.planning)
    client = client_for("official2")
    page = client.get(url("nominate", round_.pk, "department")).content.decode()
    assert f'value="{cast.official.person.pk}"' not in page
    actor = actor_for(user)
    with pytest.raises(Exception, match="부서장"):
        services.nominate(
            actor=actor, round_=round_, person=cast.official.person, source="department", act="a", effect="b"
        )
