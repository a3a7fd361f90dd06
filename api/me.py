"""Who am I, and which roles exist: endpoints that need no domain module."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from api.access import api_access
from api.auth import request_actor, request_token
from core.access import LOGIN
from core.roles import Role

router = Router(tags=["me"])


class InstitutionRef(Schema):
    id: int
    code: str
    name: str


class RoleGrantOut(Schema):
    code: str
    label: str
    institution_wide: bool
    unit_ids: list[int]


class TokenInfo(Schema):
    name: str
    prefix: str
    scope: str
    expires_at: datetime.datetime | None


class MeOut(Schema):
    username: str
    name: str
    institution: InstitutionRef | None
    unit_id: int | None
    roles: list[RoleGrantOut]
    token: TokenInfo


class RoleOut(Schema):
    code: str
    label: str


_ROLE_ORDER = {code: index for index, code in enumerate(Role.values)}


@router.get("/me", response=MeOut, summary="토큰 사용자 정보")
@api_access(LOGIN)
def me(request: HttpRequest) -> MeOut:
    """The user of the token: account, institution, unit and the roles held now."""
    actor = request_actor(request)
    token = request_token(request)
    if actor.user is None or token is None:  # cannot happen behind @api_access(LOGIN)
        raise Http404
    institution = actor.institution
    grants = [
        RoleGrantOut(
            code=code,
            label=str(Role(code).label) if code in _ROLE_ORDER else code,
            institution_wide=None in units,
            unit_ids=sorted(u for u in units if u is not None),
        )
        for code, units in sorted(actor.grants.items(), key=lambda item: _ROLE_ORDER.get(item[0], len(_ROLE_ORDER)))
    ]
    return MeOut(
        username=actor.user.get_username(),
        name=str(actor.user),
        institution=InstitutionRef(id=institution.pk, code=institution.code, name=institution.name)
        if institution is not None
        else None,
        unit_id=actor.unit_id,
        roles=grants,
        token=TokenInfo(name=token.name, prefix=token.prefix, scope=token.scope, expires_at=token.expires_at),
    )


@router.get("/roles", response=list[RoleOut], summary="역할 목록")
@api_access(LOGIN)
def role_list(request: HttpRequest) -> list[RoleOut]:
    """Every role code with its label, in the language of the request."""
    return [RoleOut(code=code, label=str(label)) for code, label in Role.choices]
