"""Creating and changing register entries: rules, audit, refusals."""

from __future__ import annotations

import datetime

import pytest

from core.access import actor_for
from core.audit import timeline
from core.errors import DomainError
from register.models import WorkItem
from register.services import work_item_create, work_item_update
from tests.factories import PersonFactory, UnitFactory, WorkItemFactory

pytestmark = pytest.mark.django_db


def create(cast, who="aa_officer", **overrides) -> WorkItem:
    values = {
        "reference": "W-100",
        "title": "도로 점용 허가",
        "category": WorkItem.Category.PERMIT,
        "unit": cast.building,
        "year": 2026,
    }
    values.update(overrides)
    return work_item_create(actor=actor_for(cast.users[who]), **values)


def refusal(fn, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        fn(*args, **kwargs)
    return caught.value


def test_create_saves_the_entry_and_audits_it(cast) -> None:
    person = PersonFactory(institution=cast.district, unit=cast.building)
    item = create(cast, responsible=person, legal_basis="  도로법   제61조 ", starts_on=datetime.date(2026, 1, 1))
    assert (item.institution, item.unit, item.responsible, item.legal_basis) == (
        cast.district,
        cast.building,
        person,
        "도로법 제61조",
    )
    (entry,) = timeline(item)
    assert entry.action == "register.work_item_created"
    assert entry.changes["reference"] == "W-100"
    assert entry.actor == cast.aa_officer


def test_reference_is_unique_within_the_institution_only(cast) -> None:
    WorkItemFactory(institution=cast.other, unit=cast.other_unit, reference="W-100")
    create(cast)
    error = refusal(create, cast, title="다른 업무")
    assert (error.field, str(error.message)) == ("reference", "이 기관에 이미 있는 관리번호입니다: W-100")
    assert WorkItem.objects.filter(institution=cast.district).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reference": "  "}, "reference"),
        ({"title": ""}, "title"),
        ({"category": "nope"}, "category"),
        ({"status": "nope"}, "status"),
        ({"year": 1800}, "year"),
        ({"starts_on": datetime.date(2026, 5, 1), "ends_on": datetime.date(2026, 4, 1)}, "ends_on"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(cast, overrides, field) -> None:
    assert refusal(create, cast, **overrides).field == field
    assert not WorkItem.objects.exists()


def test_another_institutions_unit_or_person_is_refused(cast) -> None:
    assert refusal(create, cast, unit=cast.other_unit).field == "unit"
    stranger = PersonFactory(institution=cast.other, unit=cast.other_unit)
    assert refusal(create, cast, responsible=stranger).field == "responsible"


def test_department_head_writes_only_for_the_own_unit(cast) -> None:
    item = create(cast, who="dept_head")
    assert item.unit == cast.building
    assert refusal(create, cast, who="dept_head", reference="W-2", unit=cast.planning).field == "unit"
    other = create(cast, reference="W-3", unit=cast.planning)
    error = refusal(
        work_item_update,
        actor=actor_for(cast.dept_head),
        item=other,
        reference="W-3",
        title="x",
        category="permit",
        unit=cast.planning,
        year=2026,
    )
    assert str(error.message) == "이 업무를 고칠 권한이 없습니다."
    # nor move the own unit's entry to another unit
    error = refusal(
        work_item_update,
        actor=actor_for(cast.dept_head),
        item=item,
        reference="W-100",
        title="x",
        category="permit",
        unit=cast.planning,
        year=2026,
    )
    assert error.field == "unit"


@pytest.mark.parametrize("who", ["official", "head", "hr_officer", "official_b"])
def test_readers_cannot_write(cast, who) -> None:
    assert refusal(create, cast, who=who)
    assert not WorkItem.objects.exists()


def test_update_records_what_changed(cast) -> None:
    item = create(cast)
    new_unit = UnitFactory(institution=cast.district, code="ROAD", name="도로과")
    updated = work_item_update(
        actor=actor_for(cast.audit_staff),
        item=item,
        reference="W-100",
        title="도로 점용 허가(변경)",
        category="permit",
        unit=new_unit,
        year=2026,
        status=WorkItem.Status.COMPLETED,
    )
    assert (updated.title, updated.unit, updated.status) == ("도로 점용 허가(변경)", new_unit, "completed")
    entries = list(timeline(item))
    assert [e.action for e in entries] == ["register.work_item_created", "register.work_item_updated"]
    assert entries[1].changes == {
        "title": ["도로 점용 허가", "도로 점용 허가(변경)"],
        "unit_id": [cast.building.pk, new_unit.pk],
        "status": ["in_progress", "completed"],
    }


def test_update_without_changes_writes_no_audit_entry(cast) -> None:
    item = create(cast)
    work_item_update(
        actor=actor_for(cast.aa_officer),
        item=item,
        reference="W-100",
        title="도로 점용 허가",
        category="permit",
        unit=cast.building,
        year=2026,
    )
    assert len(timeline(item)) == 1


def test_update_cannot_take_another_entrys_reference(cast) -> None:
    create(cast, reference="W-1")
    item = create(cast, reference="W-2")
    error = refusal(
        work_item_update,
        actor=actor_for(cast.aa_officer),
        item=item,
        reference="W-1",
        title="x",
        category="permit",
        unit=cast.building,
        year=2026,
    )
    assert error.field == "reference"
    item.refresh_from_db()
    assert item.reference == "W-2"
