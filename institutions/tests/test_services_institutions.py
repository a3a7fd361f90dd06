from __future__ import annotations

import pytest

from core.access import actor_for
from core.errors import DomainError
from core.models import AuditEntry
from institutions import services
from institutions.models import Institution, Policy
from institutions.tests.helpers import actor, audit_actions

pytestmark = pytest.mark.django_db


def test_superuser_creates_institution_with_default_policy_and_audit(cast, superuser) -> None:
    institution = services.institution_create(
        actor=actor_for(superuser), code="nuri", name=" 누리군 ", kind=Institution.Kind.CITY, parent=cast.city
    )
    assert institution.code == "NURI"
    assert institution.name == "누리군"
    assert institution.parent == cast.city
    assert Policy.objects.filter(institution=institution).exists()
    assert audit_actions(institution=institution) == ["institutions.institution_created"]


def test_admin_cannot_create_institution(cast) -> None:
    with pytest.raises(DomainError):
        services.institution_create(actor=actor(cast, "admin"), code="X1", name="엑스", kind=Institution.Kind.CITY)
    assert not Institution.objects.filter(code="X1").exists()


def test_duplicate_code_is_refused_case_insensitively(cast, superuser) -> None:
    with pytest.raises(DomainError) as error:
        services.institution_create(actor=actor_for(superuser), code="saesol", name="중복", kind="district")
    assert error.value.field == "code"


def test_unknown_kind_is_refused(cast, superuser) -> None:
    with pytest.raises(DomainError) as error:
        services.institution_create(actor=actor_for(superuser), code="Z9", name="잘못", kind="planet")
    assert error.value.field == "kind"


def test_update_refuses_a_descendant_as_parent(cast, superuser) -> None:
    with pytest.raises(DomainError) as error:
        services.institution_update(
            actor=actor_for(superuser),
            institution=cast.city,
            code="CITY",
            name="한빛광역시",
            kind=Institution.Kind.PROVINCE,
            parent=cast.district,
        )
    assert error.value.field == "parent"
    cast.city.refresh_from_db()
    assert cast.city.parent is None


def test_update_records_only_the_changes(cast, superuser) -> None:
    services.institution_update(
        actor=actor_for(superuser),
        institution=cast.other,
        code="DAON",
        name="다온군",
        name_en="Daon-gun",
        kind=Institution.Kind.CITY,
        parent=cast.city,
    )
    cast.other.refresh_from_db()
    assert cast.other.name == "다온군"
    changes = AuditEntry.objects.get(institution=cast.other, action="institutions.institution_updated").changes
    assert set(changes) == {"name", "name_en", "kind"}
