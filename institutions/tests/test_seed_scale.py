from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from institutions import scale
from institutions.models import Institution, Person, Policy, Unit
from register.models import WorkItem

pytestmark = pytest.mark.django_db


def run(**sizes: int) -> str:
    out = io.StringIO()
    call_command("seed_scale", *[f"--{k}={v}" for k, v in sizes.items()], stdout=out)
    return out.getvalue()


def test_small_run_builds_skewed_institutions_people_and_register() -> None:
    out = run(institutions=50, people=5000, register=800, batch=300)
    assert Institution.objects.filter(code__startswith="SCALE-").count() == 50
    assert Policy.objects.filter(institution__code__startswith="SCALE-").count() == 50
    assert Person.objects.count() == 5000
    assert WorkItem.objects.count() == 800
    sizes = sorted(
        Person.objects.values("institution").annotate(n=Count("pk")).values_list("n", flat=True), reverse=True
    )
    assert len(sizes) == 50
    assert sizes[0] > 8 * sizes[-1]  # a few large institutions, many small ones
    assert Unit.objects.filter(institution__code="SCALE-00001", is_audit_unit=True).count() == 1
    assert Institution.objects.get(code="SCALE-00000").children.count() == 40
    assert "people" in out
    assert "done in" in out
    size = re.search(r"database size: ([\d,.]+) MB", out)
    assert size is not None
    assert float(size.group(1).replace(",", "")) > 0


def test_second_run_with_the_same_sizes_adds_nothing() -> None:
    run(institutions=20, people=1000, register=100)
    before = (Institution.objects.count(), Unit.objects.count(), Person.objects.count(), WorkItem.objects.count())
    run(institutions=20, people=1000, register=100)
    assert (
        Institution.objects.count(),
        Unit.objects.count(),
        Person.objects.count(),
        WorkItem.objects.count(),
    ) == before


def test_larger_run_adds_only_the_difference() -> None:
    run(institutions=10, people=500, register=0)
    run(institutions=12, people=800, register=0)
    assert Institution.objects.filter(code__startswith="SCALE-").count() == 12
    assert Person.objects.count() == 800
    assert Person.objects.values("institution", "employee_number").distinct().count() == 800


def test_scale_data_never_touches_other_institutions() -> None:
    Institution.objects.create(code="REAL", name="실제기관", kind="city")
    run(institutions=5, people=100, register=10)
    assert not Person.objects.filter(institution__code="REAL").exists()


def test_bad_sizes_are_refused() -> None:
    with pytest.raises(CommandError):
        run(institutions=-1)


def test_other_modules_can_add_steps() -> None:
    seen: list[int] = []
    step = scale.Step("probe", lambda ctx: seen.append(len(ctx.institution_rows)) or 0)
    scale.add_step(step, after="institutions")
    try:
        assert [s.name for s in scale.STEPS][:2] == ["institutions", "probe"]
        run(institutions=3, people=30, register=0)
    finally:
        scale.STEPS.remove(step)
    assert seen == [3]


def test_shares_sum_to_the_total() -> None:
    ctx = scale.Context(institutions=7, people=0, register=0)
    ctx.institution_rows = [(i, scale.code(i)) for i in range(7)]
    assert sum(ctx.shares(1001)) == 1001
    assert ctx.shares(1001)[1] > ctx.shares(1001)[6]


def test_only_runs_the_base_steps_and_the_named_modules() -> None:
    from library.models import BestPractice
    from reports.models import Report

    out = io.StringIO()
    call_command(
        "seed_scale", "--institutions=5", "--people=200", "--register=0", "--cases=60", "--only=reports", stdout=out
    )
    assert Report.objects.count() == 60
    assert not BestPractice.objects.exists()
    assert "[library]" not in out.getvalue()
    assert Person.objects.count() == 200


def test_an_unknown_step_is_refused_with_the_known_ones() -> None:
    with pytest.raises(CommandError, match="reports"):
        call_command("seed_scale", "--institutions=2", "--people=10", "--only=nosuch")


def test_people_of_an_earlier_run_get_the_careers_a_new_run_gives() -> None:
    run(institutions=3, people=60, register=0)
    careers = dict(Person.objects.values_list("pk", "joined_on"))
    promoted = dict(Person.objects.values_list("pk", "promoted_on"))
    assert None not in careers.values()
    assert any(promoted.values())
    Person.objects.update(joined_on=None, promoted_on=None)  # as seed_scale made them before
    Institution.objects.update(created_at=timezone.now())
    run(institutions=3, people=60, register=0)
    assert dict(Person.objects.values_list("pk", "joined_on")) == careers
    assert dict(Person.objects.values_list("pk", "promoted_on")) == promoted
    assert Institution.objects.filter(created_at__gt=timezone.now() - datetime.timedelta(days=365)).count() == 0
