"""Who may read and write the work register (ADR 0003 §Access).

- Read: every staff member of the institution with a staff role (the register is the
  institution's own map of its work; cases point at it). External committee members and
  supervising bodies do not browse it.
- Write: administrators and the audit side (aa_officer, audit_staff) for any entry;
  a department head for the entries of the unit(s) the role is held for.
- Bulk import: administrators and the audit side only (register/importers.py).
"""

from __future__ import annotations

from core.access import Actor
from core.roles import Role

READ_ROLES = (
    Role.OFFICIAL,
    Role.DEPT_HEAD,
    Role.AA_OFFICER,
    Role.AUDIT_STAFF,
    Role.PROTECTION_OFFICER,
    Role.COMMITTEE_SECRETARY,
    Role.HR_OFFICER,
    Role.HEAD,
    Role.ADMIN,
)
FULL_WRITE_ROLES = (Role.ADMIN, Role.AA_OFFICER, Role.AUDIT_STAFF)
WRITE_ROLES = (*FULL_WRITE_ROLES, Role.DEPT_HEAD)


def can_read(actor: Actor) -> bool:
    return actor.institution_id is not None and actor.has(*READ_ROLES)


def can_write_any(actor: Actor) -> bool:
    return actor.institution_id is not None and actor.has(*FULL_WRITE_ROLES)


def can_write(actor: Actor, unit_id: int | None) -> bool:
    """May the actor create or change an entry of this unit?"""
    if actor.institution_id is None:
        return False
    return actor.has(*FULL_WRITE_ROLES) or (unit_id is not None and actor.has_for_unit(Role.DEPT_HEAD, unit_id))
