"""Who may use the library's office pages and API at all (the workflow's case roles decide
what each may do on one case; selectors.visible_cases what each may see). ADR 0016."""

from __future__ import annotations

from core.roles import Role

#: Who writes cases: the institution's officials (a department head is one too).
WRITE_ROLES = (Role.OFFICIAL, Role.DEPT_HEAD)
#: Who reviews and publishes: the active administration officer, or the HR officer (who
#: runs the rewards the published cases feed).
REVIEW_ROLES = (Role.AA_OFFICER, Role.HR_OFFICER)
#: Who uses the office pages at all.
LIST_ROLES = (*WRITE_ROLES, *REVIEW_ROLES)
