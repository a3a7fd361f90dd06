"""pool_health as a table: the policy's edges (8 vs 9 members, exactly half external, the
audit-unit head missing, 40% per gender, 60 days, renewals exhausted)."""

from __future__ import annotations

import datetime

import pytest

from committee.health import HARD, SOFT, pool_counts, pool_health
from committee.models import CommitteeMember
from institutions.models import Policy

TODAY = datetime.date(2026, 6, 15)
EXT, INT = CommitteeMember.Kind.EXTERNAL, CommitteeMember.Kind.INTERNAL
F, M = CommitteeMember.Gender.FEMALE, CommitteeMember.Gender.MALE


def member(kind: str = EXT, gender: str = F, **values: object) -> CommitteeMember:
    defaults: dict[str, object] = {
        "name": "위원",
        "term_starts_on": datetime.date(2025, 1, 1),
        "term_ends_on": datetime.date(2027, 12, 31),
    }
    return CommitteeMember(kind=kind, gender=gender, **{**defaults, **values})


def pool(size: int, external: int, *, women: int | None = None, chair: bool = True, audit_head: bool = True) -> list:
    """`size` members, `external` of them external; half women unless told; the first
    internal member is the audit head and the first member the chair."""
    women = size // 2 if women is None else women
    members = [member(EXT if i < external else INT, F if i < women else M, name=f"위원{i}") for i in range(size)]
    if chair and members:
        members[0].is_chair = True
    internal = [m for m in members if m.kind == INT]
    if audit_head and internal:
        internal[0].is_audit_head = True
    return members


def codes(members: list, policy: Policy | None = None) -> dict[str, str]:
    return {f.code: f.level for f in pool_health(members, policy or Policy(), TODAY)}


@pytest.mark.parametrize(
    ("size", "external", "expected"),
    [
        (8, 4, {"size_below_min": SOFT}),
        (9, 5, {}),
        (45, 23, {}),
        (46, 23, {"size_above_max": HARD}),
    ],
)
def test_size_at_the_policy_edges(size: int, external: int, expected: dict[str, str]) -> None:
    assert codes(pool(size, external)) == expected


@pytest.mark.parametrize(
    ("size", "external", "low"),
    [(10, 5, False), (10, 4, True), (9, 4, True), (9, 5, False), (12, 12, False)],
)
def test_exactly_half_external_is_enough(size: int, external: int, low: bool) -> None:
    members = pool(size, external, audit_head=external < size)
    assert ("external_share_low" in codes(members)) is low


def test_external_share_follows_the_policy_percent() -> None:
    assert "external_share_low" in codes(pool(10, 6), Policy(committee_external_min_percent=70))
    assert "external_share_low" not in codes(pool(10, 7), Policy(committee_external_min_percent=70))


def test_missing_audit_head_and_chair_warn() -> None:
    found = codes(pool(9, 5, audit_head=False, chair=False))
    assert found == {"audit_head_missing": SOFT, "chair_missing": SOFT}


@pytest.mark.parametrize(("women", "imbalanced"), [(4, False), (6, False), (3, True), (7, True), (0, True)])
def test_gender_balance_keeps_each_gender_at_40_percent(women: int, imbalanced: bool) -> None:
    assert ("gender_imbalance" in codes(pool(10, 5, women=women))) is imbalanced


def test_undisclosed_gender_does_not_count_for_balance() -> None:
    members = pool(10, 5, women=4)
    for m in members[4:6]:  # two men become undisclosed: 4 women, 4 men known
        m.gender = CommitteeMember.Gender.UNDISCLOSED
    assert "gender_imbalance" not in codes(members)
    assert pool_counts(members, TODAY).undisclosed == 2


@pytest.mark.parametrize(("days", "flagged"), [(0, True), (60, True), (61, False)])
def test_terms_ending_within_60_days(days: int, flagged: bool) -> None:
    members = pool(10, 5)
    members[1].term_ends_on = TODAY + datetime.timedelta(days=days)
    members[1].name = "임기만료"
    found = {f.code: f for f in pool_health(members, Policy(), TODAY)}
    assert ("terms_ending" in found) is flagged
    if flagged:
        assert "임기만료" in found["terms_ending"].message


def test_renewals_exhausted_only_for_external_members_at_the_limit() -> None:
    members = pool(10, 5)
    members[1].renewals = 1  # external
    members[7].renewals = 3  # internal: no limit applies
    assert codes(members, Policy(external_max_renewals=1)) == {"renewals_exhausted": SOFT}
    assert codes(members, Policy(external_max_renewals=2)) == {}
    assert codes(members, Policy(external_max_renewals=None)) == {}


def test_dismissed_and_out_of_term_members_do_not_count() -> None:
    members = pool(10, 5, women=4)
    members[9].status = CommitteeMember.Status.DISMISSED
    members[8].term_starts_on = TODAY + datetime.timedelta(days=1)
    assert codes(members) == {"size_below_min": SOFT}
    members[8].term_starts_on, members[8].term_ends_on = datetime.date(2020, 1, 1), TODAY - datetime.timedelta(days=1)
    assert pool_counts(members, TODAY).size == 8


def test_ex_officio_member_without_term_end_counts() -> None:
    members = pool(9, 5)
    members[8].term_ends_on = None
    assert codes(members) == {}


def test_two_chairs_are_a_hard_finding() -> None:
    members = pool(9, 5)
    members[1].is_chair = True
    assert codes(members) == {"chairs_many": HARD}


def test_empty_pool_warns_without_dividing_by_zero() -> None:
    found = codes([])
    assert found == {"size_below_min": SOFT, "chair_missing": SOFT, "audit_head_missing": SOFT}
