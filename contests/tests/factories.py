"""Contest test data, made through the services (so each step has its history)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from contests import services, voting
from contests.models import Contest, ContestJudge, Entry, Vote
from core.access import Actor, actor_for
from library.models import BestPractice
from library.tests.factories import published
from tests.cast import Cast

CLIENT = "test-client"


def actor(user: Any) -> Actor:
    return actor_for(user)


def settings(**values: Any) -> services.Settings:
    today = timezone.localdate()
    now = timezone.now()
    data: dict[str, Any] = {
        "title": "2026 적극행정 우수사례 경진대회",
        "description": "구민이 뽑는 우수사례",
        "entry_opens_on": today - datetime.timedelta(days=20),
        "entry_closes_on": today - datetime.timedelta(days=1),
        "vote_opens_at": now - datetime.timedelta(minutes=5),
        "vote_closes_at": now + datetime.timedelta(days=7),
        "weight_panel": 30,
        "weight_expert": 50,
        "weight_public": 20,
        "finalists": 2,
    }
    data.update(values)
    return services.Settings(**data)


def contest(cast: Cast, **values: Any) -> Contest:
    return services.contest_create(actor=actor(cast.aa_officer), data=settings(**values))


def cases(cast: Cast, n: int = 3) -> list[BestPractice]:
    return [published(cast, title=f"우수사례 {i}") for i in range(n)]


def with_entries(cast: Cast, n: int = 3, **values: Any) -> tuple[Contest, list[Entry]]:
    c = contest(cast, **values)
    organiser = actor(cast.aa_officer)
    services.contest_act(actor=organiser, contest=c, action="open_entries")
    entries = [services.entry_add(actor=organiser, contest=c, case=case) for case in cases(cast, n)]
    services.judge_assign(actor=organiser, contest=c, user=cast.official, kind=ContestJudge.Kind.PRELIMINARY)
    services.judge_assign(actor=organiser, contest=c, user=cast.member, kind=ContestJudge.Kind.EXPERT)
    services.judge_assign(actor=organiser, contest=c, user=cast.official2, kind=ContestJudge.Kind.EXPERT)
    return c, entries


def in_final(cast: Cast, n: int = 3, finalists: int = 2, **values: Any) -> tuple[Contest, list[Entry]]:
    c, entries = with_entries(cast, n, **values)
    organiser = actor(cast.aa_officer)
    services.contest_act(actor=organiser, contest=c, action="start_preliminary")
    services.preliminary_score(
        actor=actor(cast.official), contest=c, scores={e.pk: (90 - 10 * i, "") for i, e in enumerate(entries)}
    )
    services.select_finalists(actor=organiser, contest=c, entry_ids=[e.pk for e in entries[:finalists]])
    return c, [Entry.objects.get(pk=e.pk) for e in entries]


def voting_open(cast: Cast, **values: Any) -> tuple[Contest, list[Entry]]:
    c, entries = in_final(cast, **values)
    services.contest_act(actor=actor(cast.aa_officer), contest=c, action="open_vote")
    return c, entries


def vote(c: Contest, entry: Entry, email: str, client: str = CLIENT) -> Vote:
    """A whole public vote: request a code, read it from the last e-mail, vote."""
    from django.core import mail
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        row = voting.request_code(contest=c, email=email, client=client)
    code = code_from_mail(mail.outbox[-1].body)
    return voting.cast_vote(contest=c, code_row=row, code=code, entry=entry, client=client)


def code_from_mail(body: str) -> str:
    import re

    found = re.search(r"\b(\d{6})\b", body)
    assert found is not None, body
    return found.group(1)
