"""A test-only API (its own NinjaAPI and URLconf) that exercises the access mechanism:
a write operation, a role-restricted one, a public one, paginated lists and domain errors.
Used with `@pytest.mark.urls("api.tests.mechanism")`; never mounted in the project."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import path
from ninja import Field, Router, Schema

from api.access import api_access
from api.auth import request_actor, request_token
from api.base import make_api
from api.pagination import Keyset, LimitOffset, paginate
from core.access import LOGIN, PUBLIC, get_visible_or_404, roles, same_institution
from core.errors import DomainError
from core.roles import Role
from institutions.models import Unit

router = Router()


class ThingIn(Schema):
    name: str
    count: int = Field(0, ge=0)


class ThingOut(Schema):
    name: str
    count: int
    by: str


class WhoOut(Schema):
    authenticated: bool
    username: str | None


class UnitOut(Schema):
    id: int
    code: str
    name: str


@router.post("/things", response=ThingOut)
@api_access(LOGIN, write=True)
def thing_create(request: HttpRequest, payload: ThingIn) -> ThingOut:
    if payload.name == "bad":
        raise DomainError("이름이 규칙에 맞지 않습니다.", field="name")
    return ThingOut(name=payload.name, count=payload.count, by=request_actor(request).user.username)  # type: ignore[union-attr]


@router.get("/audit-only", response=WhoOut)
@api_access(roles(Role.AA_OFFICER))
def audit_only(request: HttpRequest) -> WhoOut:
    return WhoOut(authenticated=True, username=request_actor(request).user.username)  # type: ignore[union-attr]


@router.get("/public", response=WhoOut)
@api_access(PUBLIC)
def public(request: HttpRequest) -> WhoOut:
    actor = request_actor(request)
    return WhoOut(
        authenticated=actor.is_authenticated and request_token(request) is None,
        username=actor.user.username if actor.user else None,
    )


@router.get("/units", response=list[UnitOut])
@api_access(LOGIN)
@paginate(LimitOffset)
def unit_list(request: HttpRequest) -> QuerySet[Unit]:
    return same_institution(request_actor(request), Unit.objects.all())


@router.get("/units-keyset", response=list[UnitOut])
@paginate(Keyset, ordering=("name", "pk"))
@api_access(LOGIN)
def unit_list_keyset(request: HttpRequest) -> QuerySet[Unit]:
    return same_institution(request_actor(request), Unit.objects.all())


@api_access(LOGIN)
@router.get("/units/{int:unit_id}", response=UnitOut)
def unit_detail(request: HttpRequest, unit_id: int) -> Unit:
    return get_visible_or_404(same_institution(request_actor(request), Unit.objects.all()), pk=unit_id)


mechanism_api = make_api(title="mechanism", urls_namespace="api_mechanism")
mechanism_api.add_router("", router)

# An API with mistakes the walk must find.
sloppy = Router()


@sloppy.get("/undeclared")
def undeclared(request: HttpRequest) -> dict[str, bool]:
    return {"ok": True}


@sloppy.delete("/not-a-write")
@api_access(LOGIN)
def not_a_write(request: HttpRequest) -> dict[str, bool]:
    return {"ok": True}


sloppy_api = make_api(title="sloppy", urls_namespace="api_sloppy")
sloppy_api.add_router("", sloppy)

urlpatterns = [
    path("mech/", mechanism_api.urls),
    path("sloppy/", sloppy_api.urls),
]
