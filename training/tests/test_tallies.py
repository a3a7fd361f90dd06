"""The kept compliance tallies (training/tallies.py, ADR 0030): a current tally is read in one
query; every audited change that moves the figures (completions, people, the policy, a
course, an import) is seen by the next read; a change that lands while a refresh counts
leaves the tally stale, never current and wrong; the task counts again after a commit; the
daily reconciliation corrects a change made behind the audit log."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from core import audit
from core.access import actor_for
from institutions.models import Person
from institutions.services import people, policy
from oversight.period import Period
from tests.cast import Cast
from training import selectors_compliance, services, tallies
from training.models import Course, TrainingTally
from training.tests import factories as f
from training.tests.test_import import HEADER
from training.tests.test_import import run as run_import

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = 2026


def read(cast: Cast) -> tuple[int, int]:
    return tallies.compliance([cast.district.pk], YEAR)[cast.district.pk]


def counted(cast: Cast) -> tuple[int, int]:
    return selectors_compliance.count_by_institution([cast.district.pk], YEAR)[cast.district.pk]


@pytest.fixture
def mandatory(cast: Cast) -> Course:
    return f.course(cast, title="의무 과정", code="M-1", hours="1")


def test_a_current_tally_is_read_in_one_query(cast: Cast, mandatory: Course, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    f.complete(cast, f.person_of(cast, "official"), mandatory, D(2026, 3, 1))
    assert read(cast) == (1, 12)
    with django_assert_num_queries(1):
        assert read(cast) == (1, 12)
    tally = TrainingTally.objects.get(institution=cast.district, period=str(YEAR))
    assert (tally.current, tally.staff, tally.compliant) == (True, 12, 1)
    assert tally.computed_at is not None


def test_every_audited_change_is_seen_by_the_next_read(cast: Cast, mandatory: Course) -> None:
    admin = actor_for(cast.users["admin"])
    manager = f.manager(cast)
    official = f.person_of(cast, "official")
    assert read(cast) == (0, 12)

    done = f.complete(cast, official, mandatory, D(2026, 3, 1))
    assert read(cast) == (1, 12)

    people.person_create(actor=admin, institution=cast.district, employee_number="T-1", name="새 직원")
    assert read(cast) == (1, 13)

    second = f.complete(cast, f.person_of(cast, "dept_head"), mandatory, D(2026, 4, 1))
    assert read(cast) == (2, 13)

    policy.policy_update(actor=admin, institution=cast.district, values={"training_min_hours": 2})
    assert read(cast) == (0, 13)
    policy.policy_update(actor=admin, institution=cast.district, values={"training_min_hours": 1})
    assert read(cast) == (2, 13)

    data = {
        "title": mandatory.title,
        "code": mandatory.code,
        "hours": "1",
        "mode": mandatory.mode,
        "audience": mandatory.audience,
        "mandatory": False,
    }
    services.course_update(actor=manager, course=mandatory, **data)
    assert read(cast) == (0, 13)
    services.course_update(actor=manager, course=mandatory, **{**data, "mandatory": True})
    assert read(cast) == (2, 13)

    services.completion_remove(actor=manager, completion=second, reason="잘못 기록")
    assert read(cast) == (1, 13)

    people.person_retire(actor=admin, person=official, retired_on=D(2026, 6, 1))
    assert read(cast) == (0, 12)
    assert done.pk  # the retired official's completion stays; they are no longer staff
    assert read(cast) == counted(cast)


def test_an_import_of_completions_is_seen(  # type: ignore[no-untyped-def]
    cast: Cast, mandatory: Course, django_capture_on_commit_callbacks
) -> None:
    f.person(cast, employee_number="S-9001", name="가져온 이수자")
    assert read(cast) == (0, 13)
    run_import(cast, [HEADER, ["S-9001", "M-1", "2026-03-02", "", ""]], capture=django_capture_on_commit_callbacks)
    assert read(cast) == (1, 13)


def test_other_institutions_tallies_stay_current(cast: Cast, mandatory: Course) -> None:
    both = [cast.district.pk, cast.other.pk]
    tallies.compliance(both, YEAR)
    f.complete(cast, f.person_of(cast, "official"), mandatory, D(2026, 3, 1))
    current = dict(TrainingTally.objects.filter(period=str(YEAR)).values_list("institution_id", "seen"))
    generation = dict(TrainingTally.objects.filter(period=str(YEAR)).values_list("institution_id", "generation"))
    assert current[cast.other.pk] == generation[cast.other.pk]
    assert current[cast.district.pk] != generation[cast.district.pk]


def test_a_change_while_counting_leaves_the_tally_stale(
    cast: Cast, mandatory: Course, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refresh reads the generation, then counts: a change committed after the count
    began must not be taken for counted."""
    real_count = selectors_compliance.count_by_institution

    def count_then_change(ids: list[int], year: int) -> dict[int, tuple[int, int]]:
        figures = real_count(ids, year)
        monkeypatch.setattr(selectors_compliance, "count_by_institution", real_count)
        f.complete(cast, f.person_of(cast, "official"), mandatory, D(2026, 3, 1))  # lands after the count
        return figures

    monkeypatch.setattr(selectors_compliance, "count_by_institution", count_then_change)
    assert tallies.refresh([cast.district.pk], Period(YEAR))[cast.district.pk].compliant == 0
    tally = TrainingTally.objects.get(institution=cast.district, period=str(YEAR))
    assert not tally.current
    assert read(cast) == (1, 12)


def test_the_task_counts_again_once_committed(  # type: ignore[no-untyped-def]
    cast: Cast, mandatory: Course, django_capture_on_commit_callbacks, django_assert_num_queries
) -> None:
    read(cast)
    with django_capture_on_commit_callbacks(execute=True):
        f.complete(cast, f.person_of(cast, "official"), mandatory, D(2026, 3, 1))
    with django_assert_num_queries(1):  # counted by the task, not by this read
        assert tallies.compliance([cast.district.pk], YEAR)[cast.district.pk] == (1, 12)


def test_a_rolled_back_change_leaves_the_tally_as_it_was(cast: Cast, mandatory: Course) -> None:
    read(cast)
    before = TrainingTally.objects.get(institution=cast.district, period=str(YEAR))

    def change_then_fail() -> None:
        with transaction.atomic():
            f.complete(cast, f.person_of(cast, "official"), mandatory, D(2026, 3, 1))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_then_fail()
    after = TrainingTally.objects.get(institution=cast.district, period=str(YEAR))
    assert (after.generation, after.current) == (before.generation, True)
    assert read(cast) == (0, 12)


def test_reconcile_corrects_a_change_made_behind_the_audit_log(cast: Cast, mandatory: Course) -> None:
    assert read(cast) == (0, 12)
    Person.objects.filter(pk=f.person_of(cast, "official").pk).update(status=Person.Status.RETIRED)  # no audit
    assert read(cast) == (0, 12)  # kept: nothing audited told the tally
    assert tallies.reconcile(today=D(YEAR, 6, 15)) >= 3
    assert read(cast) == (0, 11) == counted(cast)
    assert TrainingTally.objects.filter(period=str(YEAR)).count() >= 3


def test_the_listener_is_registered_once_and_for_the_right_changes() -> None:
    assert audit._BY_TARGET["training.completion"].count(tallies.on_change) == 1
    audit.register_listener(tallies.on_change, targets=tallies.TARGETS, actions=tallies.ACTIONS)
    assert audit._BY_TARGET["training.completion"].count(tallies.on_change) == 1
    for target in ("institutions.person", "institutions.policy", "training.course"):
        assert tallies.on_change in audit._BY_TARGET[target]
    for action in ("imports.finished", "scale.seeded"):
        assert tallies.on_change in audit._BY_ACTION[action]


def test_a_periods_completions_are_kept_and_follow_changes(cast: Cast, mandatory: Course) -> None:
    optional = f.course(cast, title="선택 과정", hours="2", mandatory=False)
    official, dept_head = f.person_of(cast, "official"), f.person_of(cast, "dept_head")
    f.complete(cast, official, mandatory, D(2026, 3, 31))  # Q1's last day
    f.complete(cast, official, optional, D(2026, 2, 1))
    f.complete(cast, dept_head, mandatory, D(2026, 4, 1))  # Q2's first day
    q1, q2, year = Period.parse("2026-Q1"), Period.parse("2026-Q2"), Period(2026)

    def kept(period: Period) -> tuple[int, int, int, int, int]:
        figures = tallies.figures([cast.district.pk], period)[cast.district.pk]
        return (figures.completions, figures.mandatory_completions, figures.people, figures.compliant, figures.staff)

    assert kept(q1) == (2, 1, 1, 2, 12)  # compliance is the year's, whatever the period
    assert kept(q2) == (1, 1, 1, 2, 12)
    assert kept(year) == (3, 2, 2, 2, 12)
    assert {t.period for t in TrainingTally.objects.filter(institution=cast.district)} == {"2026-Q1", "2026-Q2", "2026"}
    f.complete(cast, dept_head, optional, D(2026, 1, 15))
    assert kept(q1) == (3, 1, 2, 2, 12)
    assert kept(q2) == (1, 1, 1, 2, 12)


def test_many_institutions_read_every_tally_and_keep_the_ones_asked(  # type: ignore[no-untyped-def]
    cast: Cast, mandatory: Course, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries
) -> None:
    """Past MANY_INSTITUTIONS the period's tallies are read whole (no IN list of a thousand
    ids): the same figures, only the institutions asked, still one query once current."""
    from oversight import indicators

    f.complete(cast, f.person_of(cast, "official"), mandatory, D(2026, 3, 1))
    both = [cast.district.pk, cast.other.pk]
    by_institution = tallies.compliance(both, YEAR)
    monkeypatch.setattr(indicators, "MANY_INSTITUTIONS", 0)
    with django_assert_num_queries(1):
        whole = tallies.compliance(both, YEAR)
    assert whole == by_institution
    assert whole[cast.district.pk] == (1, 12)
    assert set(tallies.compliance([cast.district.pk], YEAR)) == {cast.district.pk}  # the other's tally left out
