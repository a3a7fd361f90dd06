"""Contest results as a source of candidates (issue 6: "candidates come from ... contest
results"): a graded entry of a finished contest of the institution nominates one of the
officials of its case."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from contests.models import Contest, Entry
from contests.tests import factories as contest_factories
from core.errors import DomainError
from rewards import services
from rewards.models import Candidate, Nomination, Round
from rewards.tests import factories as f
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def graded(cast: Cast, *, grade: str = Entry.Grade.GOLD, status: str = Contest.Status.PUBLISHED) -> Entry:
    contest, entries = contest_factories.in_final(cast)
    entry = entries[0]
    entry.best_practice.officials.add(cast.official.person)
    # the contest's own journey to the grades is tested in contests/; here only its result matters
    Contest.objects.filter(pk=contest.pk).update(status=status)
    Entry.objects.filter(pk=entry.pk).update(grade=grade)
    return Entry.objects.select_related("contest", "best_practice").get(pk=entry.pk)


def test_a_graded_entry_nominates_an_official_of_its_case_once(cast: Cast) -> None:
    round_ = f.round_factory(cast)
    entry = graded(cast)
    assert entry in list(services.awarded_entries(round_))
    nomination = services.pull_contest_entry(
        actor=f.organiser(cast), round_=round_, entry=entry, person=cast.official.person
    )
    assert nomination.source == Nomination.Source.CONTEST
    assert nomination.contest_entry == entry
    assert entry.best_practice.title in nomination.act
    assert nomination.candidate.person == cast.official.person
    with pytest.raises(DomainError, match="이미"):
        services.pull_contest_entry(actor=f.organiser(cast), round_=round_, entry=entry, person=cast.official.person)
    # the same official nominated by the department as well: one candidate, two nominations
    services.nominate(
        actor=f.organiser(cast),
        round_=round_,
        person=cast.official.person,
        source=Nomination.Source.DEPARTMENT,
        act="민원 처리 기간 단축",
        effect="처리 기간 절반",
    )
    assert Candidate.objects.filter(round=round_).count() == 1
    assert Nomination.objects.filter(candidate__round=round_).count() == 2


@pytest.mark.parametrize(
    ("grade", "status"), [("", Contest.Status.PUBLISHED), (Entry.Grade.GOLD, Contest.Status.VOTING)]
)
def test_an_ungraded_entry_or_an_unfinished_contest_is_refused(cast: Cast, grade: str, status: str) -> None:
    round_ = f.round_factory(cast)
    entry = graded(cast, grade=grade, status=status)
    assert entry not in list(services.awarded_entries(round_))
    with pytest.raises(DomainError):
        services.pull_contest_entry(actor=f.organiser(cast), round_=round_, entry=entry, person=cast.official.person)


def test_only_an_official_of_the_case_and_only_an_organiser(cast: Cast) -> None:
    from core.access import actor_for

    round_ = f.round_factory(cast)
    entry = graded(cast)
    with pytest.raises(DomainError, match="담당 공무원"):
        services.pull_contest_entry(actor=f.organiser(cast), round_=round_, entry=entry, person=cast.official2.person)
    with pytest.raises(DomainError):
        services.pull_contest_entry(
            actor=actor_for(cast.official), round_=round_, entry=entry, person=cast.official.person
        )


def test_pages_list_and_pull_and_refuse_others(cast: Cast, client_for: Any) -> None:
    round_ = f.round_factory(cast)
    entry = graded(cast)
    client = client_for("aa_officer")
    page = client.get(reverse("rewards:contest_entries", args=[round_.pk]))
    assert page.status_code == 200
    assert entry.best_practice.title in page.content.decode()
    url = reverse("rewards:pull_contest", args=[round_.pk, entry.pk])
    for bad in ("", "²", "-1", "9" * 30, str(cast.official2.person.pk)):
        assert client.post(url, {"person": bad}).status_code == 400
    done = client.post(url, {"person": cast.official.person.pk})
    assert done.status_code == 302
    assert Nomination.objects.filter(contest_entry=entry).count() == 1
    assert "후보로 올림" in client.get(reverse("rewards:contest_entries", args=[round_.pk])).content.decode()
    assert client_for("official").get(reverse("rewards:contest_entries", args=[round_.pk])).status_code == 404
    assert client_for("aa_officer_b").get(reverse("rewards:contest_entries", args=[round_.pk])).status_code == 404
    assert client.get(reverse("rewards:pull_contest", args=[round_.pk, entry.pk])).status_code == 405


def test_the_list_costs_the_same_queries_for_more_entries(cast: Cast, client_for: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    round_ = f.round_factory(cast)
    client = client_for("aa_officer")
    url = reverse("rewards:contest_entries", args=[round_.pk])
    graded(cast)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    graded(cast, grade=Entry.Grade.SILVER)
    graded(cast, grade=Entry.Grade.MERIT)
    with CaptureQueriesContext(connection) as three:
        page = client.get(url)
    assert page.content.decode().count("후보로 올리기<span") == 3
    assert len(three) == len(one)
    assert Round.objects.count() == 1
