"""Who may use the pre-consultation pages and API at all (the workflow's case roles decide
what each may do on one request; selectors.visible_consultations what each may see)."""

from __future__ import annotations

from core.roles import Role

#: Who uses the pages at all: the department side, the audit side and the head.
LIST_ROLES = (Role.OFFICIAL, Role.DEPT_HEAD, Role.AA_OFFICER, Role.AUDIT_STAFF, Role.HEAD)
#: Who drafts requests.
WRITE_ROLES = (Role.OFFICIAL, Role.DEPT_HEAD)
#: Who works the audit queue.
QUEUE_ROLES = (Role.AA_OFFICER, Role.AUDIT_STAFF, Role.HEAD)
#: Who records the exceptions of a presumption.
AUDIT_ROLES = (Role.AA_OFFICER, Role.AUDIT_STAFF)
