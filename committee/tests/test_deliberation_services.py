"""Deliberation services: declarations, challenges, opening, votes, the decision and its
write-back, written deliberation. Every refusal, and the audit rows."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from committee import linking
from committee.models import AgendaItem, Challenge, Declaration, Meeting, Vote
from committee.services import deliberation as svc
from committee.tests.deliberation_fixtures import Sitting, sit_fixture, sitting  # noqa: F401
from core.access import actor_for
from core.errors import DomainError
from core.models import AuditEntry, Notification
from core.roles import Role
from institutions.models import Unit
from tests.cast import make_user

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 15, 1, tzinfo=datetime.UTC)


def audited(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("seq"))


def declared(s: Sitting, *indexes: int, kind: str = "none") -> None:
    for index in indexes:
        Declaration.objects.create(item=s.item, member=s.members[index], kind=kind, declared_at=NOW)


def vote(s: Sitting, index: int, choice: str) -> None:
    Vote.objects.create(item=s.item, member=s.members[index], choice=choice, cast_at=NOW)


# --- Declarations ---------------------------------------------------------------------------


def test_a_member_declares_no_conflict(sit: Sitting) -> None:
    declaration = svc.declare(actor=sit.actor(3), item=sit.item, kind="none", grounds="party", note="없음")
    assert (declaration.member, declaration.kind, declaration.grounds) == (sit.members[3], "none", "")
    entry = audited(svc.DECLARED)[0]
    assert entry.actor == sit.user(3)
    assert entry.institution_id == sit.cast.district.pk


def test_an_exclusion_needs_its_grounds(sit: Sitting) -> None:
    with pytest.raises(DomainError) as error:
        svc.declare(actor=sit.actor(3), item=sit.item, kind="exclusion")
    assert error.value.field == "grounds"
    declaration = svc.declare(actor=sit.actor(3), item=sit.item, kind="exclusion", grounds="relative")
    assert declaration.recuses


def test_a_recusal_may_go_without_grounds_but_not_with_a_made_up_one(sit: Sitting) -> None:
    assert svc.declare(actor=sit.actor(3), item=sit.item, kind="recusal").recuses
    with pytest.raises(DomainError):
        svc.declare(actor=sit.actor(4), item=sit.item, kind="recusal", grounds="whim")
    with pytest.raises(DomainError) as error:
        svc.declare(actor=sit.actor(4), item=sit.item, kind="maybe")
    assert error.value.field == "kind"


def test_the_declaration_changes_until_the_member_votes(sit: Sitting) -> None:
    svc.declare(actor=sit.actor(3), item=sit.item, kind="none")
    svc.declare(actor=sit.actor(3), item=sit.item, kind="recusal", note="지인이 당사자")
    assert Declaration.objects.get(item=sit.item, member=sit.members[3]).kind == "recusal"
    assert audited(svc.DECLARATION_CHANGED)[0].changes["kind"] == ["none", "recusal"]
    svc.declare(actor=sit.actor(3), item=sit.item, kind="none")
    svc.vote_cast(actor=sit.actor(3), item=sit.item, choice="for")
    with pytest.raises(DomainError, match="이미 표결"):
        svc.declare(actor=sit.actor(3), item=sit.item, kind="recusal")


@pytest.mark.parametrize("who", ["secretary", "official", "aa_officer"])
def test_only_a_seated_member_declares(sit: Sitting, who: str) -> None:
    with pytest.raises(DomainError):
        svc.declare(actor=actor_for(sit.cast.users[who]), item=sit.item, kind="none")


def test_no_declaration_on_a_draft_meeting_or_a_decided_item(sit: Sitting) -> None:
    Meeting.objects.filter(pk=sit.meeting.pk).update(status="draft")
    with pytest.raises(DomainError, match="소집된 회의"):
        svc.declare(actor=sit.actor(3), item=sit.item, kind="none")
    Meeting.objects.filter(pk=sit.meeting.pk).update(status="convened")
    AgendaItem.objects.filter(pk=sit.item.pk).update(status="decided")
    with pytest.raises(DomainError, match="의결되었거나"):
        svc.declare(actor=sit.actor(3), item=sit.item, kind="none")


def test_a_member_of_another_institution_is_refused(sit: Sitting) -> None:
    stranger = make_user("stranger", sit.cast.other, sit.cast.other_unit, Role.COMMITTEE_MEMBER)
    with pytest.raises(DomainError) as error:
        svc.declare(actor=actor_for(stranger), item=sit.item, kind="none")
    assert error.value.code == "forbidden"


# --- Challenges -------------------------------------------------------------------------------


def raise_on(s: Sitting, index: int = 8) -> Challenge:
    return svc.challenge_raise(
        actor=s.secretary,
        item=s.item,
        member=s.members[index],
        raised_by="김당사",
        grounds="위원이 상대방의 자문을 맡았음",
    )


def test_the_secretary_records_a_challenge_and_the_member_hears_of_it(sit: Sitting) -> None:
    challenge = raise_on(sit)
    assert challenge.status == "pending"
    assert audited(svc.CHALLENGE_RAISED)[0].changes["raised_by"] == "김당사"
    assert Notification.objects.filter(recipient=sit.user(8), title__contains="기피 신청").exists()


def test_challenge_refusals(sit: Sitting, cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="간사"):
        svc.challenge_raise(actor=sit.chair, item=sit.item, member=sit.members[8], raised_by="갑", grounds="사유")
    with pytest.raises(DomainError) as error:
        svc.challenge_raise(actor=sit.secretary, item=sit.item, member=sit.members[8], raised_by="", grounds="사유")
    assert error.value.field == "raised_by"
    with pytest.raises(DomainError) as error:
        svc.challenge_raise(actor=sit.secretary, item=sit.item, member=sit.members[8], raised_by="갑", grounds=" ")
    assert error.value.field == "grounds"
    from committee.tests.factories import CommitteeMemberFactory

    unseated = CommitteeMemberFactory(institution=cast.district)
    with pytest.raises(DomainError, match="지명된 위원이 아닙니다"):
        svc.challenge_raise(actor=sit.secretary, item=sit.item, member=unseated, raised_by="갑", grounds="사유")
    raise_on(sit)
    with pytest.raises(DomainError, match="이미 있습니다"):
        raise_on(sit)
    declared(sit, 7, kind="recusal")
    with pytest.raises(DomainError, match="이미 이 안건에서"):
        raise_on(sit, 7)
    secretary_b = make_user("secretary_b", cast.other, cast.other_unit, Role.COMMITTEE_SECRETARY)
    with pytest.raises(DomainError) as error:
        svc.challenge_raise(
            actor=actor_for(secretary_b), item=sit.item, member=sit.members[6], raised_by="갑", grounds="사유"
        )
    assert error.value.code == "forbidden"


def test_the_challenged_member_cannot_vote_on_it_and_that_is_audited(sit: Sitting) -> None:
    challenge = raise_on(sit)
    with pytest.raises(DomainError, match="기피 신청을 받은 위원"):
        svc.challenge_vote(actor=sit.actor(8), challenge=challenge, choice="against")
    assert not challenge.votes.exists()
    entry = audited(svc.CHALLENGE_SELF_VOTE_REFUSED)[0]
    assert entry.actor == sit.user(8)


def test_challenge_vote_refusals(sit: Sitting) -> None:
    challenge = raise_on(sit)
    sit.mark(1, False)
    with pytest.raises(DomainError, match="출석한 위원"):
        svc.challenge_vote(actor=sit.actor(1), challenge=challenge, choice="for")
    declared(sit, 2, kind="recusal")
    with pytest.raises(DomainError, match="표결할 수 없습니다"):
        svc.challenge_vote(actor=sit.actor(2), challenge=challenge, choice="for")
    with pytest.raises(DomainError) as error:
        svc.challenge_vote(actor=sit.actor(3), challenge=challenge, choice="yes")
    assert error.value.field == "choice"
    with pytest.raises(DomainError):
        svc.challenge_vote(actor=sit.secretary, challenge=challenge, choice="for")
    svc.challenge_vote(actor=sit.actor(3), challenge=challenge, choice="for")
    svc.challenge_vote(actor=sit.actor(3), challenge=challenge, choice="against")  # changed
    assert challenge.votes.get().choice == "against"
    assert len(audited(svc.CHALLENGE_VOTE_CAST)) == 2


def test_an_upheld_challenge_recuses_the_member_and_removes_their_vote(sit: Sitting) -> None:
    declared(sit, *range(9))
    vote(sit, 8, "for")
    challenge = raise_on(sit)
    for index in range(5):
        svc.challenge_vote(actor=sit.actor(index), challenge=challenge, choice="for")
    svc.challenge_vote(actor=sit.actor(5), challenge=challenge, choice="against")
    decided = svc.challenge_decide(actor=sit.chair, challenge=challenge)
    assert (decided.status, decided.votes_for, decided.votes_against) == ("upheld", 5, 1)
    assert not Vote.objects.filter(item=sit.item, member=sit.members[8], challenge__isnull=True).exists()
    removed = audited(svc.VOTE_REMOVED)[0]
    assert removed.changes["choice"] == ["for", None]
    assert audited("committee_challenge.uphold")
    assert Notification.objects.filter(recipient=sit.user(8), title__contains="인용").exists()
    with pytest.raises(DomainError, match="제척·기피·회피"):
        svc.vote_cast(actor=sit.actor(8), item=sit.item, choice="for")


def test_a_tie_rejects_the_challenge(sit: Sitting) -> None:
    challenge = raise_on(sit)
    for index in range(4):
        svc.challenge_vote(actor=sit.actor(index), challenge=challenge, choice="for")
    for index in range(4, 8):
        svc.challenge_vote(actor=sit.actor(index), challenge=challenge, choice="against")
    decided = svc.challenge_decide(actor=sit.secretary, challenge=challenge)
    assert decided.status == "rejected"
    assert audited("committee_challenge.reject")
    with pytest.raises(DomainError, match="이미 결정된"):
        svc.challenge_vote(actor=sit.actor(0), challenge=challenge, choice="for")


def test_only_the_secretary_or_the_chair_decides_a_challenge(sit: Sitting) -> None:
    challenge = raise_on(sit)
    with pytest.raises(DomainError):
        svc.challenge_decide(actor=sit.actor(3), challenge=challenge)
    with pytest.raises(DomainError):
        svc.challenge_decide(actor=actor_for(sit.cast.aa_officer), challenge=challenge)


# --- Opening an item ----------------------------------------------------------------------------


def test_the_chair_opens_an_item_once_attendance_is_recorded(cast) -> None:  # type: ignore[no-untyped-def]
    s = sitting(cast, status="pending", present=None)
    with pytest.raises(DomainError, match="출석을 먼저 기록해 주십시오"):
        svc.item_open(actor=s.chair, item=s.item)
    s.mark(0, True)
    item = svc.item_open(actor=s.chair, item=s.item)
    assert item.status == "open"
    assert item.opened_at is not None
    assert audited("committee_item.open")


def test_opening_refusals(cast) -> None:  # type: ignore[no-untyped-def]
    s = sitting(cast, status="pending")
    with pytest.raises(DomainError):
        svc.item_open(actor=s.actor(3), item=s.item)  # a member who does not chair
    Meeting.objects.filter(pk=s.meeting.pk).update(status="draft")
    with pytest.raises(DomainError, match="소집한 뒤"):
        svc.item_open(actor=s.secretary, item=s.item)
    Meeting.objects.filter(pk=s.meeting.pk).update(status="convened")
    svc.item_open(actor=s.secretary, item=s.item)
    with pytest.raises(DomainError):
        svc.item_open(actor=s.secretary, item=s.item)  # already open


def test_a_written_item_opens_without_attendance(cast) -> None:  # type: ignore[no-untyped-def]
    s = sitting(cast, status="pending", mode="written", present=None, vote_deadline=NOW + datetime.timedelta(days=2))
    assert svc.item_open(actor=s.secretary, item=s.item).status == "open"


# --- Votes ----------------------------------------------------------------------------------------


def test_a_member_votes_and_changes_the_vote(sit: Sitting) -> None:
    declared(sit, 3)
    svc.vote_cast(actor=sit.actor(3), item=sit.item, choice="for")
    svc.vote_cast(actor=sit.actor(3), item=sit.item, choice="abstain")
    assert Vote.objects.get(item=sit.item, member=sit.members[3]).choice == "abstain"
    assert audited(svc.VOTE_CAST)[0].changes["choice"] == [None, "for"]
    assert audited(svc.VOTE_CHANGED)[0].changes["choice"] == ["for", "abstain"]


def test_vote_refusals(sit: Sitting) -> None:
    with pytest.raises(DomainError, match="신고해 주십시오"):
        svc.vote_cast(actor=sit.actor(3), item=sit.item, choice="for")
    declared(sit, 3, 4)
    sit.mark(4, False)
    with pytest.raises(DomainError, match="출석한 위원"):
        svc.vote_cast(actor=sit.actor(4), item=sit.item, choice="for")
    with pytest.raises(DomainError) as error:
        svc.vote_cast(actor=sit.actor(3), item=sit.item, choice="maybe")
    assert error.value.field == "choice"
    with pytest.raises(DomainError) as error:
        svc.vote_cast(actor=sit.secretary, item=sit.item, choice="for")
    assert error.value.code == "forbidden"
    AgendaItem.objects.filter(pk=sit.item.pk).update(status="pending")
    with pytest.raises(DomainError, match="심의 중인 안건"):
        svc.vote_cast(actor=sit.actor(3), item=sit.item, choice="for")
    assert not Vote.objects.exists()


def test_a_recused_member_is_refused_and_audited(sit: Sitting) -> None:
    declared(sit, 2, kind="exclusion")
    with pytest.raises(DomainError, match="제척·기피·회피"):
        svc.vote_cast(actor=sit.actor(2), item=sit.item, choice="for")
    entry = audited(svc.RECUSED_VOTE_REFUSED)[0]
    assert entry.actor == sit.user(2)
    assert entry.target_id == str(sit.item.pk)
    assert not Vote.objects.exists()


# --- The decision ------------------------------------------------------------------------------


@pytest.fixture
def fake_link(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, Any, str]]:
    calls: list[tuple[Any, Any, str]] = []
    link = linking.CaseLink(
        key="test_unit",
        model=Unit,
        label="test",
        item_kinds=frozenset({"other"}),
        candidates=lambda institution_id: Unit.objects.none(),
        on_result=lambda actor, case, item: calls.append((actor, case, item.result)),
    )
    monkeypatch.setitem(linking._LINKS, "test_unit", link)
    return calls


def test_the_decision_freezes_the_tally_and_writes_back(sit: Sitting, fake_link) -> None:  # type: ignore[no-untyped-def]
    AgendaItem.objects.filter(pk=sit.item.pk).update(
        case_type=ContentType.objects.get_for_model(Unit), case_id=sit.cast.building.pk
    )
    declared(sit, *range(8))
    declared(sit, 8, kind="recusal")
    sit.mark(7, False)
    for index, choice in enumerate(["for", "for", "for", "for", "against", "abstain"]):
        vote(sit, index, choice)
    item = svc.item_decide(actor=sit.chair, item=sit.item, resolution="  허가 기준을 완화하도록 자문함  ")
    assert (item.status, item.result, item.resolution) == ("decided", "adopted", "허가 기준을 완화하도록 자문함")
    assert (item.eligible_count, item.present_count) == (8, 7)
    assert (item.votes_for, item.votes_against, item.votes_abstain) == (4, 1, 1)
    assert item.decided_at is not None
    assert len(fake_link) == 1
    assert fake_link[0][1] == sit.cast.building
    assert fake_link[0][2] == "adopted"
    entry = audited("committee_item.decide")[0]
    assert entry.changes["result"] == "adopted"
    assert Notification.objects.filter(title__contains="가결").count() == 9
    with pytest.raises(DomainError, match="이미 의결된 안건"):
        svc.vote_cast(actor=sit.actor(6), item=sit.item, choice="for")


def test_a_failing_write_back_rolls_the_decision_back(sit: Sitting, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(actor: Any, case: Any, item: Any) -> None:
        raise DomainError("연결된 사건에 기록할 수 없습니다.")

    link = linking.CaseLink(
        key="test_unit",
        model=Unit,
        label="t",
        item_kinds=frozenset(),
        candidates=lambda i: Unit.objects.none(),
        on_result=refuse,
    )
    monkeypatch.setitem(linking._LINKS, "test_unit", link)
    AgendaItem.objects.filter(pk=sit.item.pk).update(
        case_type=ContentType.objects.get_for_model(Unit), case_id=sit.cast.building.pk
    )
    with pytest.raises(DomainError):
        svc.item_decide(actor=sit.secretary, item=sit.item, resolution="자문")
    sit.item.refresh_from_db()
    assert sit.item.status == "open"
    assert not audited("committee_item.decide")


def test_no_quorum_and_rejection(cast) -> None:  # type: ignore[no-untyped-def]
    s = sitting(cast)
    for index in range(5):
        s.mark(index, False)
    assert svc.item_decide(actor=s.secretary, item=s.item, resolution="안").result == "no_quorum"
    t = sitting(cast) if False else None  # noqa: F841 - one sitting per test is enough
    assert AgendaItem.objects.get(pk=s.item.pk).present_count == 4


def test_a_tie_is_rejected(sit: Sitting) -> None:
    declared(sit, *range(9))
    for index in range(4):
        vote(sit, index, "for")
    for index in range(4, 8):
        vote(sit, index, "against")
    assert svc.item_decide(actor=sit.secretary, item=sit.item, resolution="안").result == "rejected"


def test_decision_refusals(sit: Sitting) -> None:
    with pytest.raises(DomainError) as error:
        svc.item_decide(actor=sit.secretary, item=sit.item, resolution="  ")
    assert error.value.field == "resolution"
    with pytest.raises(DomainError):
        svc.item_decide(actor=sit.actor(3), item=sit.item, resolution="안")
    with pytest.raises(DomainError):
        svc.item_decide(actor=actor_for(sit.cast.head), item=sit.item, resolution="안")
    raise_on(sit)
    with pytest.raises(DomainError, match="기피 신청이 있습니다"):
        svc.item_decide(actor=sit.secretary, item=sit.item, resolution="안")
    AgendaItem.objects.filter(pk=sit.item.pk).update(status="pending")
    with pytest.raises(DomainError):
        svc.item_decide(actor=sit.secretary, item=sit.item, resolution="안")


# --- Written deliberation ---------------------------------------------------------------------


def written(cast: Any, **values: Any) -> Sitting:  # type: ignore[no-untyped-def]
    return sitting(cast, mode="written", present=None, vote_deadline=NOW + datetime.timedelta(days=2), **values)


def test_written_votes_close_at_the_deadline(cast, time_machine) -> None:  # type: ignore[no-untyped-def]
    s = written(cast)
    declared(s, 0, 1)
    svc.vote_cast(actor=s.actor(0), item=s.item, choice="for")  # no attendance needed
    time_machine.move_to(NOW + datetime.timedelta(days=3))
    with pytest.raises(DomainError, match="마감이 지났습니다"):
        svc.vote_cast(actor=s.actor(1), item=s.item, choice="for")


def test_written_decision_waits_for_the_deadline_unless_everyone_voted(cast, time_machine) -> None:  # type: ignore[no-untyped-def]
    s = written(cast)
    s.declare_all()
    for index in range(5):
        vote(s, index, "for")
    with pytest.raises(DomainError, match="5/9"):
        svc.item_decide(actor=s.secretary, item=s.item, resolution="안")
    time_machine.move_to(NOW + datetime.timedelta(days=3))
    item = svc.item_decide(actor=s.secretary, item=s.item, resolution="안")
    assert (item.eligible_count, item.present_count, item.votes_for, item.result) == (9, 5, 5, "adopted")


def test_written_decision_before_the_deadline_when_all_voted(cast) -> None:  # type: ignore[no-untyped-def]
    s = written(cast)
    s.declare_all()
    Declaration.objects.filter(member=s.members[8]).update(kind="recusal")
    for index in range(8):
        vote(s, index, "against" if index < 5 else "for")
    item = svc.item_decide(actor=s.secretary, item=s.item, resolution="안")
    assert (item.eligible_count, item.present_count, item.result) == (8, 8, "rejected")
