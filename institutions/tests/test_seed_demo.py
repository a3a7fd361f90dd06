from __future__ import annotations

import io
import time

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command

from accounts.models import User
from core.access import actor_for
from core.models import AuditEntry
from core.roles import Role
from institutions import demo
from institutions.models import Institution, Person, Policy, RoleAssignment, Unit
from register.models import WorkItem

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Institution, Unit, Person, User, RoleAssignment, Policy, WorkItem, AuditEntry)
    }


def test_seed_builds_the_demo_quickly() -> None:
    started = time.monotonic()
    out = run()
    assert time.monotonic() - started < 15
    assert "만들었습니다" in out
    saesol = Institution.objects.get(code="SAESOL")
    assert saesol.parent == Institution.objects.get(name="한빛광역시")
    assert set(Institution.objects.filter(parent=saesol.parent).values_list("name", flat=True)) == {"새솔구", "다온구"}
    assert Unit.objects.filter(institution=saesol).count() >= 10
    assert Unit.objects.get(institution=saesol, is_audit_unit=True).name == "감사담당관"
    assert 180 <= Person.objects.filter(institution=saesol).count() <= 260
    assert WorkItem.objects.filter(institution=saesol).count() >= 300
    assert set(WorkItem.objects.values_list("category", flat=True)) == set(WorkItem.Category.values)
    assert AuditEntry.objects.filter(action="demo.seeded").count() == 1


def test_second_run_creates_nothing_and_says_so() -> None:
    run()
    before = counts()
    out = run()
    assert counts() == before
    assert "바꾼 것이 없습니다" in out


def test_every_role_has_a_demo_user() -> None:
    run()
    holders = set(RoleAssignment.objects.values_list("role", flat=True))
    assert holders == set(Role.values)
    assert User.objects.get(username=demo.SUPERUSER).is_superuser


def test_demo_password_passes_the_validators_and_signs_in() -> None:
    run()
    validate_password(demo.DEMO_PASSWORD)
    for login in demo.logins():
        assert authenticate(username=login.username, password=demo.DEMO_PASSWORD) is not None, login.username


def test_demo_users_have_the_expected_roles() -> None:
    run()
    aa = actor_for(User.objects.get(username="aa_officer"))
    assert aa.has(Role.AA_OFFICER)
    assert aa.institution.name == "새솔구"
    head = actor_for(User.objects.get(username="dept_head"))
    assert head.has_for_unit(Role.DEPT_HEAD, Unit.objects.get(institution__code="SAESOL", code="BLD").pk)
    assert actor_for(User.objects.get(username="supervisor")).institution.name == "한빛광역시"
    assert actor_for(User.objects.get(username="daon_admin")).institution.name == "다온구"


def test_saesol_policy_follows_the_news_article() -> None:
    run()
    policy = Policy.objects.get(institution__code="SAESOL")
    assert policy.written_deliberation_allowed
    assert (policy.external_term_years, policy.external_max_renewals) == (3, 1)


def test_print_logins_lists_the_logins_and_changes_nothing() -> None:
    run()
    before = counts()
    out = run("--print-logins")
    assert counts() == before
    for username in (
        "aa_officer",
        "dept_head",
        "official",
        "auditor",
        "protection",
        "secretary",
        "member",
        "hr",
        "head",
        "admin",
        "supervisor",
        "daon_admin",
        "superuser",
    ):
        assert username in out
    assert demo.DEMO_PASSWORD in out


def test_print_logins_before_seeding_says_what_to_do() -> None:
    out = run("--print-logins")
    assert "seed_demo" in out
    assert Institution.objects.count() == 0
