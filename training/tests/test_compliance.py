"""Compliance figures against a hand-counted fixture, and the flags of new and newly
promoted officials.

The cast's district has 12 people with accounts, all active: building (BLD) official,
dept_head, no_role; planning (PLN) official2, member, hr_officer; audit (AUD) aa_officer,
audit_staff, protection_officer, secretary, head, admin. The fixture adds a retired and an
on-leave person in building (never counted) and these completions:

    official      M   2026-01-01            -> 2026 yes (first day of the year)
    dept_head     M   2025-12-31            -> 2025 yes, 2026 no (last day of the year before)
    no_role       OPT 2026-03-01 (3 h)      -> no: the course is not mandatory
    official2     M2  2026-02-01 + 2026-04-01 (0.5 h each) -> yes: 1 h in total
    member        M2  2026-02-01 (0.5 h)    -> no: 0.5 h < 1 h
    hr_officer    M   2026-06-15            -> yes (today)
    aa_officer    M   2026-05-01            -> yes
    retired       M   2026-02-01            -> not staff
    on leave      M   2026-02-01            -> not staff
    official_b (다온구) M_b 2026-03-01      -> 다온구 yes

2026: AUD 1/6, BLD 1/3, PLN 2/3; district 4/12; 다온구 1/3 (official_b, aa_officer_b, admin_b).
2025: BLD 1/3 (dept_head); district 1/12.
"""

from __future__ import annotations

import datetime

import pytest

from institutions.models import Institution, Person, Policy
from tests.cast import Cast
from training import selectors_compliance as compliance
from training import services
from training.models import Course
from training.selectors import compliance_by_institution, compliance_by_unit
from training.tests import factories as f
from training.tests.conftest import TODAY

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def counted(cast: Cast) -> Cast:
    m = f.course(cast, title="의무 M", hours="1")
    m2 = f.course(cast, title="의무 M2", hours="0.5")
    opt = f.course(cast, title="선택 OPT", hours="3", mandatory=False)
    p = lambda name: f.person_of(cast, name)  # noqa: E731
    f.complete(cast, p("official"), m, D(2026, 1, 1))
    f.complete(cast, p("dept_head"), m, D(2025, 12, 31))
    f.complete(cast, p("no_role"), opt, D(2026, 3, 1))
    f.complete(cast, p("official2"), m2, D(2026, 2, 1))
    f.complete(cast, p("official2"), m2, D(2026, 4, 1))
    f.complete(cast, p("member"), m2, D(2026, 2, 1))
    f.complete(cast, p("hr_officer"), m, TODAY)
    f.complete(cast, p("aa_officer"), m, D(2026, 5, 1))
    retired = f.person(cast, name="퇴직자")
    on_leave = f.person(cast, name="휴직자")
    f.complete(cast, retired, m, D(2026, 2, 1))
    f.complete(cast, on_leave, m, D(2026, 2, 1))
    Person.objects.filter(pk=retired.pk).update(status=Person.Status.RETIRED)
    Person.objects.filter(pk=on_leave.pk).update(status=Person.Status.LEAVE)
    theirs = f.course(cast, title="다온구 의무", who="aa_officer_b")
    services.completion_record(
        actor=f.manager(cast, "aa_officer_b"),
        person=f.person_of(cast, "official_b"),
        course=theirs,
        completed_on=D(2026, 3, 1),
    )
    return cast


def by_code(rows: list[compliance.UnitCompliance], cast: Cast) -> dict[str, tuple[int, int]]:
    names = {cast.audit_unit.pk: "AUD", cast.building.pk: "BLD", cast.planning.pk: "PLN"}
    return {names[r.unit_id]: (r.compliant, r.staff) for r in rows if r.unit_id is not None}


def test_by_unit_matches_the_hand_count(counted: Cast, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(1):
        rows = compliance_by_unit(counted.district.pk, 2026)
    assert by_code(rows, counted) == {"AUD": (1, 6), "BLD": (1, 3), "PLN": (2, 3)}
    assert [r.unit_id for r in rows] == [counted.audit_unit.pk, counted.building.pk, counted.planning.pk]
    total = compliance.totals(rows)
    assert (total.compliant, total.staff, total.percent) == (4, 12, 33)


def test_the_last_day_of_the_year_counts_for_that_year_only(counted: Cast) -> None:
    assert by_code(compliance_by_unit(counted.district.pk, 2025), counted) == {
        "AUD": (0, 6),
        "BLD": (1, 3),
        "PLN": (0, 3),
    }


def test_by_institution_in_one_query(counted: Cast, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    ids = [counted.district.pk, counted.other.pk, counted.city.pk, 999_999]
    expected = {counted.district.pk: (4, 12), counted.other.pk: (1, 3), counted.city.pk: (0, 1), 999_999: (0, 0)}
    assert compliance.count_by_institution(ids, 2026) == expected
    assert compliance_by_institution(ids, 2026) == expected
    with django_assert_num_queries(1):  # the kept tallies (training/tallies.py)
        figures = compliance_by_institution(ids[:3], 2026)
    assert figures == {pk: expected[pk] for pk in ids[:3]}
    assert compliance_by_institution([], 2026) == {}


def test_each_institution_uses_its_own_minimum(counted: Cast) -> None:
    Policy.objects.filter(institution=counted.district).update(training_min_hours=2)
    m = Course.objects.get(title="의무 M")
    f.complete(counted, f.person_of(counted, "official"), m, D(2026, 2, 2))  # official: 2 h
    figures = compliance_by_institution([counted.district.pk, counted.other.pk], 2026)
    assert figures == {counted.district.pk: (1, 12), counted.other.pk: (1, 3)}
    assert compliance.min_hours(counted.district.pk) == 2


def test_unit_limit_for_a_unit_head(counted: Cast) -> None:
    rows = compliance_by_unit(counted.district.pk, 2026, unit_ids=frozenset({counted.building.pk}))
    assert by_code(rows, counted) == {"BLD": (1, 3)}
    everyone = compliance_by_unit(counted.district.pk, 2026, unit_ids=frozenset({None}))
    assert len(everyone) == 3


def test_people_without_a_unit_have_their_own_row(cast: Cast) -> None:
    Person.objects.create(institution=cast.district, employee_number="NOUNIT", name="무소속")
    rows = compliance_by_unit(cast.district.pk, 2026)
    assert rows[-1].unit_id is None
    assert (rows[-1].staff, rows[-1].compliant) == (1, 0)


def test_pending_lists_who_has_not_with_their_hours(counted: Cast) -> None:
    pending = compliance.pending(counted.district.pk, 2026)
    names = [p.name for p in pending]
    assert sorted(names) == sorted(
        ["dept_head", "no_role", "member", "audit_staff", "protection_officer", "secretary", "head", "admin"]
    )
    hours = {p.name: p.hours for p in pending}
    assert (float(hours["member"]), float(hours["no_role"]), float(hours["dept_head"])) == (0.5, 0.0, 0.0)
    in_building = compliance.pending(counted.district.pk, 2026, unit_id=counted.building.pk)
    assert sorted(p.name for p in in_building) == ["dept_head", "no_role"]
    headed = compliance.pending(counted.district.pk, 2026, unit_ids=frozenset({counted.planning.pk}))
    assert [p.name for p in headed] == ["member"]


def test_person_status(counted: Cast, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(2):
        status = compliance.person_status(f.person_of(counted, "official2"), 2026, TODAY)
    assert (float(status.hours), status.compliant, status.new_pending, status.promoted_pending) == (
        1.0,
        True,
        False,
        False,
    )
    status = compliance.person_status(f.person_of(counted, "member"), 2026, TODAY)
    assert (float(status.hours), status.compliant) == (0.5, False)
    status = compliance.person_status(f.person_of(counted, "no_role"), 2026, TODAY)
    assert (float(status.hours), status.compliant) == (0.0, False)


# --- Flags -----------------------------------------------------------------------------------


#: the district's Policy.training_flags_from in the flag tests
FLAGS_FROM = D(2020, 1, 1)


@pytest.fixture
def flagged(cast: Cast) -> dict[str, Person]:
    Policy.objects.filter(institution=cast.district).update(training_flags_from=FLAGS_FROM)
    new_course = f.course(cast, title="신규 기본", audience=Course.Audience.NEW_OFFICIALS, mandatory=False)
    promoted_course = f.course(cast, title="승진 기본", audience=Course.Audience.PROMOTED, mandatory=False)
    people = {
        "n_pending": f.person(cast, joined_on=D(2026, 3, 1)),
        "n_done": f.person(cast, joined_on=D(2026, 2, 1)),
        "n_years_ago": f.person(cast, joined_on=D(2021, 6, 15)),
        "n_on_the_date": f.person(cast, joined_on=FLAGS_FROM),
        "n_before_the_date": f.person(cast, joined_on=D(2019, 12, 31)),
        "n_before_joining": f.person(cast, joined_on=D(2026, 4, 1)),
        "n_wrong_audience": f.person(cast, joined_on=D(2026, 4, 1)),
        "n_not_yet": f.person(cast, joined_on=D(2026, 7, 1)),
        "p_done": f.person(cast, joined_on=D(2010, 3, 2), promoted_on=D(2026, 1, 10)),
        "p_pending": f.person(cast, unit=cast.planning, joined_on=D(2010, 3, 2), promoted_on=D(2026, 5, 1)),
        "p_years_ago": f.person(cast, joined_on=D(2010, 3, 2), promoted_on=D(2022, 5, 1)),
        "p_before_the_date": f.person(cast, joined_on=D(2010, 3, 2), promoted_on=D(2019, 5, 1)),
        "n_retired": f.person(cast, joined_on=D(2026, 3, 1)),
    }
    f.complete(cast, people["n_done"], new_course, D(2026, 3, 1))
    f.complete(cast, people["n_before_joining"], new_course, D(2026, 3, 15))
    f.complete(cast, people["n_wrong_audience"], promoted_course, D(2026, 4, 20))
    f.complete(cast, people["p_done"], promoted_course, D(2026, 2, 1))
    Person.objects.filter(pk=people["n_retired"].pk).update(status=Person.Status.RETIRED)
    return people


def flags_on(cast: Cast, flagged: dict[str, Person], today: datetime.date = TODAY) -> tuple[set[str], set[str]]:
    """The names of the fixture's people flagged as new and as newly promoted on `today`."""
    rows = {p.pk: p for p in compliance.with_flags(Person.objects.filter(institution=cast.district), today)}
    new = {k for k, p in flagged.items() if rows[p.pk].new_pending}
    promoted = {k for k, p in flagged.items() if rows[p.pk].promoted_pending}
    return new, promoted


def test_new_and_promoted_flags(  # type: ignore[no-untyped-def]
    cast: Cast, flagged: dict[str, Person], django_assert_num_queries
) -> None:
    new, promoted = flags_on(cast, flagged)
    assert new == {"n_pending", "n_years_ago", "n_on_the_date", "n_before_joining", "n_wrong_audience", "n_retired"}
    assert promoted == {"p_pending", "p_years_ago"}
    with django_assert_num_queries(1):
        counts = compliance.flag_counts(cast.district.pk, today=TODAY)
    assert (counts.new, counts.promoted) == (5, 2)  # the retired person is not staff
    with django_assert_num_queries(1):
        listed = {p.pk for p in compliance.pending(cast.district.pk, 2026, kind=compliance.NEW)}
    assert listed == {
        flagged[k].pk for k in ("n_pending", "n_years_ago", "n_on_the_date", "n_before_joining", "n_wrong_audience")
    }
    assert {p.pk for p in compliance.pending(cast.district.pk, 2026, kind=compliance.PROMOTED)} == {
        flagged["p_pending"].pk,
        flagged["p_years_ago"].pk,
    }
    in_planning = compliance.flag_counts(cast.district.pk, unit_ids=frozenset({cast.planning.pk}), today=TODAY)
    assert (in_planning.new, in_planning.promoted) == (0, 1)


def test_flagged_until_completed_however_long(cast: Cast, flagged: dict[str, Person]) -> None:
    new, promoted = flags_on(cast, flagged, D(2031, 6, 16))  # five years on, nothing completed
    assert {"n_pending", "n_years_ago", "n_on_the_date", "n_not_yet"} <= new
    assert promoted == {"p_pending", "p_years_ago"}
    f.complete(cast, flagged["n_years_ago"], Course.objects.get(title="신규 기본"), TODAY)
    f.complete(cast, flagged["p_years_ago"], Course.objects.get(title="승진 기본"), TODAY)
    new, promoted = flags_on(cast, flagged, D(2031, 6, 16))
    assert "n_years_ago" not in new
    assert promoted == {"p_pending"}
    status = compliance.person_status(flagged["p_pending"], 2026, TODAY)
    assert (status.new_pending, status.promoted_pending) == (False, True)


def test_a_joining_before_the_policy_date_is_not_flagged(cast: Cast, flagged: dict[str, Person]) -> None:
    new, promoted = flags_on(cast, flagged)
    assert "n_before_the_date" not in new
    assert "p_before_the_date" not in promoted
    assert "n_not_yet" not in new  # joins next month
    Policy.objects.filter(institution=cast.district).update(training_flags_from=D(2019, 1, 1))
    new, promoted = flags_on(cast, flagged)
    assert "n_before_the_date" in new
    assert "p_before_the_date" in promoted
    Policy.objects.filter(institution=cast.district).update(training_flags_from=D(2026, 3, 2))
    new, promoted = flags_on(cast, flagged)
    assert new == {"n_before_joining", "n_wrong_audience"}  # joined 2026-04-01
    assert promoted == {"p_pending"}


def test_the_date_defaults_to_the_institutions_creation(cast: Cast, flagged: dict[str, Person]) -> None:
    Policy.objects.filter(institution=cast.district).update(training_flags_from=None)
    # 2026-02-28 16:00 UTC is 2026-03-01 01:00 in Seoul: created in the system on 1 March
    created = datetime.datetime(2026, 2, 28, 16, tzinfo=datetime.UTC)
    Institution.objects.filter(pk=cast.district.pk).update(created_at=created)
    early = f.person(cast, joined_on=D(2026, 2, 28))
    new, promoted = flags_on(cast, flagged)
    assert new == {"n_pending", "n_before_joining", "n_wrong_audience", "n_retired"}  # from 1 March
    assert promoted == {"p_pending"}
    assert not compliance.with_flags(Person.objects.filter(pk=early.pk), TODAY).get().new_pending


def test_an_institution_without_a_policy_row_counts_from_its_creation(cast: Cast, flagged: dict[str, Person]) -> None:
    Policy.objects.filter(institution=cast.district).delete()
    Institution.objects.filter(pk=cast.district.pk).update(
        created_at=datetime.datetime(2026, 1, 1, 9, tzinfo=datetime.UTC)
    )
    listed = {p.pk for p in compliance.pending(cast.district.pk, 2026, kind=compliance.NEW)}
    assert listed == {flagged[k].pk for k in ("n_pending", "n_before_joining", "n_wrong_audience")}
    assert compliance.flag_counts(cast.district.pk, today=TODAY).new == 3
    filtered = compliance.staff([cast.district.pk]).filter(compliance.new_pending(TODAY))  # as the reminders do
    assert {p.pk for p in filtered} == listed


def test_any_kind_joins_annual_and_flags(cast: Cast, flagged: dict[str, Person]) -> None:
    mandatory = f.course(cast, title="의무")
    everyone = Person.objects.filter(institution=cast.district, status=Person.Status.ACTIVE)
    for person in everyone:
        if person.pk != flagged["n_pending"].pk:
            f.complete(cast, person, mandatory, D(2026, 5, 5))
    anyone = {p.pk for p in compliance.pending(cast.district.pk, 2026, kind=compliance.ANY)}
    assert flagged["n_pending"].pk in anyone  # annual and new
    assert flagged["p_pending"].pk in anyone  # promoted only
    assert {p.pk for p in compliance.pending(cast.district.pk, 2026)} == {flagged["n_pending"].pk}
