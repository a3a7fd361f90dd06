"""The routing of a new report leaves the citizen's request (issue 8): submit_report writes
one task row in the report's own transaction (an outbox), and the task tells the audit unit
(or, with nobody there, flags the report and tells the administrators) exactly once, however
often it runs. The tests run the task as the worker would, from the stored row."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.db import transaction

from core.models import Notification
from institutions.models import RoleAssignment
from reports import services, tasks
from reports.models import Report
from reports.tests.factories import submit
from tests.cast import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def db_tasks(settings) -> None:  # type: ignore[no-untyped-def]
    """Tasks stay in the database (django-tasks-db, as in production) until run here."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued() -> list[Any]:
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.filter(task_path="reports.tasks.route_new_report").order_by("enqueued_at"))


def run(row: Any) -> Any:
    """Run a stored task the way db_worker does (its function with its stored arguments)."""
    result = row.task_result
    return row.task.call(*result.args, **result.kwargs)


def told() -> Counter[str]:
    return Counter(Notification.objects.values_list("recipient__username", flat=True))


def test_the_request_writes_one_task_and_no_notification(cast: Cast, db_tasks: None) -> None:
    report, _code = submit(cast.district)
    assert Notification.objects.count() == 0
    rows = queued()
    assert len(rows) == 1
    assert rows[0].task_result.args == [report.pk]  # the report's id only: nothing about the citizen
    assert run(rows[0]) == 2
    assert told() == {"aa_officer": 1, "audit_staff": 1}  # the audit unit, as before the task


def test_a_retried_task_tells_nobody_twice(cast: Cast, db_tasks: None) -> None:
    report, _code = submit(cast.district)
    (row,) = queued()
    assert run(row) == 2
    assert run(row) == 0  # the worker ran it again (a retry after a failure)
    tasks.route_new_report.enqueue(report.pk)  # or it was enqueued twice
    for again in queued():
        run(again)
    assert told() == {"aa_officer": 1, "audit_staff": 1}
    assert services.route_new_report(report.pk) == 0


def test_a_new_holder_hears_of_it_on_a_retry_but_nobody_twice(cast: Cast, db_tasks: None) -> None:
    from core.roles import Role
    from tests.factories import grant

    report, _code = submit(cast.district)
    (row,) = queued()
    run(row)
    grant(cast.head, Role.AUDIT_STAFF)
    assert services.route_new_report(report.pk) == 1
    assert told() == {"aa_officer": 1, "audit_staff": 1, "head": 1}


def test_no_holder_flags_the_report_and_tells_the_administrators_once(cast: Cast, db_tasks: None) -> None:
    RoleAssignment.objects.filter(institution=cast.other, role__in=["aa_officer", "audit_staff"]).delete()
    report, _code = submit(cast.other)
    assert not Report.objects.get(pk=report.pk).unrouted  # the task decides, not the request
    (row,) = queued()
    run(row)
    run(row)
    assert Report.objects.get(pk=report.pk).unrouted
    assert told() == {"admin_b": 1}
    body = Notification.objects.get().body
    assert "역할을 지정해 주십시오" in body


def test_each_report_is_routed_by_its_own_task(cast: Cast, db_tasks: None) -> None:
    first, _ = submit(cast.district)
    second, _ = submit(cast.district)
    for row in queued():
        run(row)
    titles = sorted(Notification.objects.filter(recipient=cast.aa_officer).values_list("title", flat=True))
    assert titles == sorted(f"소극행정 신고가 접수되었습니다: {r.number}" for r in (first, second))


def test_the_task_row_is_rolled_back_with_the_report(cast: Cast, db_tasks: None) -> None:
    """An outbox: no report, no task (and no report without its task)."""
    seen: list[int] = []

    def submit_then_fail() -> None:
        with transaction.atomic():
            submit(cast.district)
            seen.append(len(queued()))
            raise RuntimeError("the transaction fails after the report was written")

    with pytest.raises(RuntimeError):
        submit_then_fail()
    assert seen == [1]
    assert Report.objects.count() == 0
    assert queued() == []


def test_with_the_immediate_backend_it_is_routed_on_commit(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    """The tests' backend runs the task where the worker would: after the commit."""
    with django_capture_on_commit_callbacks(execute=True):
        submit(cast.district)
        assert told() == {}
    assert told() == {"aa_officer": 1, "audit_staff": 1}


def test_a_missing_report_is_nothing_to_route(cast: Cast) -> None:
    assert services.route_new_report(987654) == 0


def test_another_queue_gets_the_task_only_on_commit(cast: Cast, settings, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    """A task backend outside the database (a Redis queue) must not run the task before the
    report is committed: it is enqueued on commit."""
    from django.tasks import default_task_backend

    from core.tasks import enqueue_in_transaction

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_in_transaction(tasks.route_new_report, 1)
        assert default_task_backend.results == []  # type: ignore[attr-defined]
    assert len(callbacks) == 1
    callbacks[0]()
    assert [r.args for r in default_task_backend.results] == [[1]]  # type: ignore[attr-defined]
