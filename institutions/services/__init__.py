"""The only writers of institutions, units, people, accounts, roles and policy.

Every function takes the acting `Actor` first and keyword-only arguments, checks the rules
(raising `core.errors.DomainError`), saves and writes its audit entry in one transaction;
e-mails go out on commit.
"""

from institutions.services.organisation import (
    institution_create,
    institution_update,
    unit_activate,
    unit_create,
    unit_deactivate,
    unit_update,
)
from institutions.services.people import (
    person_create,
    person_retire,
    person_update,
    user_account_create_for_person,
    user_account_send_password_link,
)
from institutions.services.policy import policy_update
from institutions.services.roles import role_assign, role_end

__all__ = [
    "institution_create",
    "institution_update",
    "person_create",
    "person_retire",
    "person_update",
    "policy_update",
    "role_assign",
    "role_end",
    "unit_activate",
    "unit_create",
    "unit_deactivate",
    "unit_update",
    "user_account_create_for_person",
    "user_account_send_password_link",
]
