"""Access rules of the administration pages: an institution's administrators and system
superusers (who set up new institutions and their first administrator). ADR 0001."""

from __future__ import annotations

from core.access import SUPERUSER, any_of, roles
from core.roles import Role

#: Administration of one institution: its administrators, or a superuser.
ADMINISTRATION = any_of(roles(Role.ADMIN), SUPERUSER)
#: The entry page: administrators, superusers and supervising bodies.
ENTRY = any_of(roles(Role.ADMIN, Role.SUPERVISOR), SUPERUSER)
