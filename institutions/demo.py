"""The fictional demo: 한빛광역시 above the districts 새솔구 (the demo district) and 다온구.

`seed()` creates whatever is missing of `institutions.demo_data`, in bulk, and reports what
it created; a second run finds everything and creates nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import User
from core import audit
from institutions.demo_data import (
    DEMO_PASSWORD,
    EMAIL_DOMAIN,
    INSTITUTIONS,
    ROLES_FROM,
    STAFF,
    SUPERUSER,
    UNITS,
    logins,
    people_rows,
    work_rows,
)
from institutions.models import Institution, Person, Policy, RoleAssignment, Unit
from register.models import WorkItem

__all__ = ["DEMO_PASSWORD", "SUPERUSER", "Result", "add_demo_step", "iter_login_rows", "logins", "seed"]

#: Later modules add demo cases with `add_demo_step(name, fn)` from AppConfig.ready(). A step
#: runs after the institutions, people, roles and register exist, creates only what is
#: missing (through the module's services, so the cases have their audit trail) and returns
#: how many rows it created.
DemoStep = Callable[[], int]
_EXTRA_STEPS: dict[str, DemoStep] = {}


def add_demo_step(name: str, fn: DemoStep) -> None:
    _EXTRA_STEPS[name] = fn


# --- Seeding ----------------------------------------------------------------------------


@dataclass
class Result:
    created: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.created.values())


def seed() -> Result:
    """Create what is missing of the demo. Idempotent."""
    result = Result()
    with transaction.atomic():
        institutions = _institutions(result)
        units = _units(institutions, result)
        people = _people(institutions, units, result)
        users = _users(institutions, people, result)
        _roles(institutions, units, users, result)
        _register(institutions, units, people, result)
        for name, step in _EXTRA_STEPS.items():
            created = step()
            if created:
                result.created[name] = created
        if result.total:
            audit.record(
                actor=None,
                action="demo.seeded",
                institution_id=institutions["SAESOL"].pk,
                target_label="seed_demo",
                changes=result.created,
            )
    return result


def _institutions(result: Result) -> dict[str, Institution]:
    existing = Institution.objects.in_bulk([c for c, *_ in INSTITUTIONS], field_name="code")
    created = 0
    for code, name, name_en, kind, parent, _host in INSTITUTIONS:  # parents come first
        if code not in existing:
            existing[code] = Institution.objects.create(
                code=code, name=name, name_en=name_en, kind=kind, parent=existing[parent] if parent else None
            )
            created += 1
    result.created["institutions"] = created
    missing = [i for i in existing.values() if not Policy.objects.filter(institution=i).exists()]
    policies = []
    for institution in missing:
        policy = Policy(institution=institution)
        if institution.code == "SAESOL":  # DOMAIN.md §6: the district's own committee rules
            policy.written_deliberation_allowed = True
            policy.external_term_years = 3
            policy.external_max_renewals = 1
        policies.append(policy)
    Policy.objects.bulk_create(policies)
    result.created["policies"] = len(policies)
    return existing


def _units(institutions: dict[str, Institution], result: Result) -> dict[tuple[str, str], Unit]:
    found: dict[tuple[str, str], Unit] = {
        (u.institution.code, u.code): u
        for u in Unit.objects.filter(institution__in=institutions.values()).select_related("institution")
    }
    created = 0
    for depth in (0, 1):  # parents first, then their children
        batch = []
        for code, specs in UNITS.items():
            for spec in specs:
                if (code, spec.code) in found or (spec.parent is None) != (depth == 0):
                    continue
                batch.append(
                    Unit(
                        institution=institutions[code],
                        code=spec.code,
                        name=spec.name,
                        name_en=spec.name_en,
                        kind=spec.kind,
                        parent=found[(code, spec.parent)] if spec.parent else None,
                        is_audit_unit=spec.audit,
                    )
                )
        Unit.objects.bulk_create(batch)
        created += len(batch)
        found = {
            (u.institution.code, u.code): u
            for u in Unit.objects.filter(institution__in=institutions.values()).select_related("institution")
        }
    result.created["units"] = created
    return found


def _people(
    institutions: dict[str, Institution], units: dict[tuple[str, str], Unit], result: Result
) -> dict[str, Person]:
    by_key = {
        (p.institution_id, p.employee_number): p for p in Person.objects.filter(institution__in=institutions.values())
    }
    batch = []
    for row in people_rows():
        institution = institutions[row.institution]
        if (institution.pk, row.number) in by_key:
            continue
        batch.append(
            Person(
                institution=institution,
                unit=units[(row.institution, row.unit)] if row.unit else None,
                employee_number=row.number,
                name=row.name,
                grade=row.grade,
                position=row.position,
                email=row.email,
                status=row.status,
                joined_on=row.joined_on,
                promoted_on=row.promoted_on,
                retired_on=row.retired_on,
            )
        )
    Person.objects.bulk_create(batch, batch_size=500)
    result.created["people"] = len(batch)
    numbers = [s.number for s in STAFF]
    return {p.employee_number: p for p in Person.objects.filter(employee_number__in=numbers)}


def _users(institutions: dict[str, Institution], people: dict[str, Person], result: Result) -> dict[str, User]:
    wanted = [s for s in STAFF if s.username]
    existing = User.objects.in_bulk([s.username for s in wanted] + [SUPERUSER], field_name="username")
    hashed: str | None = None
    batch = []
    for staff in wanted:
        if staff.username in existing:
            continue
        hashed = hashed or make_password(DEMO_PASSWORD)
        person = people[staff.number]
        batch.append(
            User(
                username=staff.username,
                email=person.email,
                last_name=person.name,
                password=hashed,
                institution=institutions[staff.institution],
                person=person,
            )
        )
    if SUPERUSER not in existing:
        hashed = hashed or make_password(DEMO_PASSWORD)
        batch.append(
            User(
                username=SUPERUSER,
                email=f"{SUPERUSER}@{EMAIL_DOMAIN}",
                last_name="시스템 관리자",
                password=hashed,
                is_superuser=True,
                is_staff=True,
            )
        )
    User.objects.bulk_create(batch)
    result.created["users"] = len(batch)
    return User.objects.in_bulk([s.username for s in wanted], field_name="username")


def _roles(
    institutions: dict[str, Institution],
    units: dict[tuple[str, str], Unit],
    users: dict[str, User],
    result: Result,
) -> None:
    have = set(RoleAssignment.objects.filter(user__in=users.values()).values_list("user__username", "role", "unit_id"))
    batch = []
    for staff in STAFF:
        if not staff.username:
            continue
        user = users[staff.username]
        for role, unit in [(r, None) for r in staff.roles] + [
            (r, units[(staff.institution, staff.unit or "")]) for r in staff.unit_roles
        ]:
            if (staff.username, role, unit.pk if unit else None) in have:
                continue
            batch.append(
                RoleAssignment(
                    user=user,
                    institution=institutions[staff.institution],
                    unit=unit,
                    role=role,
                    starts_on=ROLES_FROM,
                    note="데모 지정",
                )
            )
    RoleAssignment.objects.bulk_create(batch)
    result.created["role_assignments"] = len(batch)


def _register(
    institutions: dict[str, Institution],
    units: dict[tuple[str, str], Unit],
    people: dict[str, Person],
    result: Result,
) -> None:
    have = set(
        WorkItem.objects.filter(institution__in=institutions.values()).values_list("institution_id", "reference")
    )
    staff_by_unit: dict[int, list[int]] = {}
    for pk, unit_id in Person.objects.filter(
        institution__in=institutions.values(), status=Person.Status.ACTIVE, unit__isnull=False
    ).values_list("pk", "unit_id"):
        staff_by_unit.setdefault(unit_id, []).append(pk)
    rng = random.Random(7)  # noqa: S311 - reproducible demo data
    batch = []
    for row in work_rows():
        institution = institutions[row.institution]
        unit = units[(row.institution, row.unit)]
        candidates = sorted(staff_by_unit.get(unit.pk, []))
        responsible = rng.choice(candidates) if candidates else None
        if (institution.pk, row.reference) in have:
            continue
        batch.append(
            WorkItem(
                institution=institution,
                reference=row.reference,
                title=row.title,
                category=row.category,
                unit=unit,
                responsible_id=responsible,
                legal_basis=row.legal_basis,
                status=row.status,
                year=row.year,
                starts_on=row.starts_on,
                ends_on=row.ends_on,
            )
        )
    WorkItem.objects.bulk_create(batch, batch_size=500)
    result.created["register"] = len(batch)


def iter_login_rows() -> Iterator[tuple[str, str, str, str]]:
    for login in logins():
        yield login.username, login.roles, login.institution, DEMO_PASSWORD
