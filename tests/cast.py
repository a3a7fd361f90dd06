"""The fixed cast of institutions and users every test uses (STYLE.md habit 7).

city       한빛광역시 (supervising body)   supervisor
district   새솔구 (home institution)       one user per role, in units "감사담당관" (audit)
                                          and "건축과" / "도시계획과" (departments)
other      다온구 (another district)        official_b, aa_officer_b
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.models import User
from core.roles import Role
from institutions.models import Institution, Unit
from tests.factories import InstitutionFactory, PersonFactory, UnitFactory, UserFactory, grant

PASSWORD = "test-password-123"


@dataclass
class Cast:
    city: Institution
    district: Institution
    other: Institution
    audit_unit: Unit
    building: Unit
    planning: Unit
    other_unit: Unit
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str) -> User:
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def make_user(username: str, institution: Institution, unit: Unit, *roles: str) -> User:
    person = PersonFactory(institution=institution, unit=unit, name=username)
    user = UserFactory(username=username, institution=institution, person=person)
    for role in roles:
        grant(user, role, unit=unit if role in {Role.DEPT_HEAD} else None)
    return user


def build_cast() -> Cast:
    city = InstitutionFactory(
        code="CITY", name="한빛광역시", name_en="Hanbit Metropolitan City", kind=Institution.Kind.PROVINCE
    )
    district = InstitutionFactory(code="SAESOL", name="새솔구", name_en="Saesol-gu", parent=city)
    other = InstitutionFactory(code="DAON", name="다온구", name_en="Daon-gu", parent=city)
    audit_unit = UnitFactory(institution=district, code="AUD", name="감사담당관", is_audit_unit=True)
    building = UnitFactory(institution=district, code="BLD", name="건축과")
    planning = UnitFactory(institution=district, code="PLN", name="도시계획과")
    other_unit = UnitFactory(institution=other, code="AUD", name="감사담당관", is_audit_unit=True)
    city_unit = UnitFactory(institution=city, code="AUD", name="감사위원회", is_audit_unit=True)
    cast = Cast(city, district, other, audit_unit, building, planning, other_unit)
    u = cast.users
    u["official"] = make_user("official", district, building, Role.OFFICIAL)
    u["official2"] = make_user("official2", district, planning, Role.OFFICIAL)
    u["dept_head"] = make_user("dept_head", district, building, Role.OFFICIAL, Role.DEPT_HEAD)
    u["aa_officer"] = make_user("aa_officer", district, audit_unit, Role.OFFICIAL, Role.AA_OFFICER)
    u["audit_staff"] = make_user("audit_staff", district, audit_unit, Role.OFFICIAL, Role.AUDIT_STAFF)
    u["protection_officer"] = make_user(
        "protection_officer", district, audit_unit, Role.OFFICIAL, Role.PROTECTION_OFFICER
    )
    u["secretary"] = make_user("secretary", district, audit_unit, Role.OFFICIAL, Role.COMMITTEE_SECRETARY)
    u["member"] = make_user("member", district, planning, Role.OFFICIAL, Role.COMMITTEE_MEMBER)
    u["hr_officer"] = make_user("hr_officer", district, planning, Role.OFFICIAL, Role.HR_OFFICER)
    u["head"] = make_user("head", district, audit_unit, Role.HEAD)
    u["admin"] = make_user("admin", district, audit_unit, Role.ADMIN)
    u["no_role"] = make_user("no_role", district, building)
    u["official_b"] = make_user("official_b", other, other_unit, Role.OFFICIAL)
    u["aa_officer_b"] = make_user("aa_officer_b", other, other_unit, Role.OFFICIAL, Role.AA_OFFICER)
    u["admin_b"] = make_user("admin_b", other, other_unit, Role.ADMIN)
    u["supervisor"] = make_user("supervisor", city, city_unit, Role.SUPERVISOR)
    return cast
