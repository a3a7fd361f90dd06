"""The demo contest in 새솔구 (institutions/demo.py step "contests", after "library"): one
contest in its public vote, with the published demo library cases as finalists, judged by
the demo officers, made through the services. A second run finds it by title and creates
nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import User
from contests import services
from contests.models import Contest, ContestJudge
from core.access import actor_for
from institutions.models import Institution
from library.models import BestPractice

TITLE = "적극행정 우수사례 경진대회"


def seed() -> int:
    institution = Institution.objects.filter(code="SAESOL").first()
    organiser_user = User.objects.filter(username="aa_officer", institution=institution).first()
    expert_user = User.objects.filter(username="hr", institution=institution).first()
    if institution is None or organiser_user is None or expert_user is None:
        return 0
    if Contest.objects.filter(institution=institution, title=TITLE).exists():
        return 0
    cases = list(
        BestPractice.objects.filter(institution=institution, status=BestPractice.Status.PUBLISHED).order_by("pk")[:3]
    )
    if not cases:
        return 0
    organiser = actor_for(organiser_user)
    now = timezone.now()
    today = timezone.localdate()
    contest = services.contest_create(
        actor=organiser,
        data=services.Settings(
            title=TITLE,
            description="올해 구민의 삶을 바꾼 적극행정 사례를 뽑습니다. 국민 투표에 참여해 주십시오.",
            entry_opens_on=today - datetime.timedelta(days=30),
            entry_closes_on=today - datetime.timedelta(days=10),
            vote_opens_at=now - datetime.timedelta(hours=1),
            vote_closes_at=now + datetime.timedelta(days=14),
            weight_panel=30,
            weight_expert=50,
            weight_public=20,
            finalists=len(cases),
        ),
    )
    services.contest_act(actor=organiser, contest=contest, action="open_entries")
    entries = [services.entry_add(actor=organiser, contest=contest, case=case) for case in cases]
    services.judge_assign(actor=organiser, contest=contest, user=organiser_user, kind=ContestJudge.Kind.PRELIMINARY)
    services.judge_assign(actor=organiser, contest=contest, user=expert_user, kind=ContestJudge.Kind.EXPERT)
    services.contest_act(actor=organiser, contest=contest, action="start_preliminary")
    services.preliminary_score(
        actor=organiser, contest=contest, scores={e.pk: (90 - 5 * i, "") for i, e in enumerate(entries)}
    )
    services.select_finalists(actor=organiser, contest=contest, entry_ids=[e.pk for e in entries])
    services.contest_act(actor=organiser, contest=contest, action="open_vote")
    return 1
