"""Public recommendations over the API (ADR 0017): the verifiers' queue (with the verified
list) and their actions, through the same services as the pages. Only the verifiers (AA
officer, HR officer) of the recommendation's institution; everything else answers 404. The
recommender has no API (the portal pages are the recommender's door)."""

# No `from __future__ import annotations`: ninja reads the annotations of a paginated view.

import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from api.access import api_access
from api.auth import request_actor
from api.pagination import LimitOffset, paginate
from core.access import get_visible_or_404, roles
from core.errors import DomainError
from institutions.models import Person, Unit
from recommendations import services
from recommendations.models import Recommendation
from recommendations.selectors import MAX_QUERY_LENGTH, VERIFIER_ROLES, queue, visible_recommendations

router = Router(tags=["recommendations"])
RULE = roles(*VERIFIER_ROLES)


class RecommendationOut(Schema):
    id: int
    number: str = Field(description="추천번호 (recommendation number)")
    nominee_kind: str = Field(description="추천 대상 (nominee kind): " + ", ".join(Recommendation.NomineeKind.values))
    nominee_name: str = Field(description="추천받은 사람·팀 이름 (nominee as typed)")
    status: str = Field(description="상태 (status): " + ", ".join(Recommendation.Status.values))
    unit_id: int | None = Field(description="부서 id (matched or confirmed unit)")
    person_id: int | None = Field(description="확인된 공무원 person id (confirmed official)")
    unrouted: bool = Field(description="확인 담당자 없음 (no verifier when it arrived)")
    created_at: datetime.datetime = Field(description="접수 시각 (received at)")
    decided_at: datetime.datetime | None = Field(description="결정 시각 (decided at)")


class RecommendationDetailOut(RecommendationOut):
    unit_name: str = Field(description="추천인이 적은 부서 (unit as typed)")
    what: str = Field(description="한 일 (what they did)")
    period: str = Field(description="언제 (when)")
    effect: str = Field(description="효과 (effect)")
    recommender_name: str = Field(description="추천인 성명, 보관기간 뒤 파기 (recommender, erased after retention)")
    recommender_email: str = Field(description="추천인 전자우편 (recommender e-mail)")
    recommender_phone: str = Field(description="추천인 전화번호 (recommender phone)")
    decision_reason: str = Field(description="확인 결과, 추천인에게 보임 (reason shown to the recommender)")
    handler_id: int | None = Field(description="담당자 계정 id (handler user id)")
    retain_until: datetime.date | None = Field(description="추천인 정보 보관 기한 (contact kept until)")


class RecommendationQuery(Schema):
    status: str = Field(
        "",
        max_length=20,
        description="open(비움), verified(확인 완료 목록), all, 또는 상태 (open; verified; all; state)",
    )
    q: str = Field("", max_length=MAX_QUERY_LENGTH, description="추천번호·이름 검색 (search)")


class QuestionIn(Schema):
    question: str = Field(max_length=10_000, description="추천인에게 묻는 내용 (question shown to the recommender)")


class RecommendationReasonIn(Schema):
    reason: str = Field(max_length=10_000, description="사유, 추천인에게 보임 (reason, shown to the recommender)")


class VerifyIn(RecommendationReasonIn):
    person: int | None = Field(None, description="개인 추천: 확인된 공무원 person id (person recommendation)")
    unit: int | None = Field(None, description="팀 추천: 부서 id (team recommendation)")


class MessageOut(Schema):
    id: int
    status: str


def _rec(request: HttpRequest, rec_id: int) -> Recommendation:
    return get_visible_or_404(visible_recommendations(request_actor(request)), pk=rec_id)


@router.get("/recommendations", response=list[RecommendationOut], summary="국민추천 목록 (Recommendation queue)")
@api_access(RULE)
@paginate(LimitOffset)
def recommendation_list(request: HttpRequest, filters: Query[RecommendationQuery]) -> QuerySet[Recommendation]:
    return queue(request_actor(request), status=filters.status, q=filters.q)


@router.get("/recommendations/{int:rec_id}", response=RecommendationDetailOut, summary="국민추천 (Recommendation)")
@api_access(RULE)
def recommendation_detail(request: HttpRequest, rec_id: int) -> Recommendation:
    return _rec(request, rec_id)


@router.post("/recommendations/{int:rec_id}/start", response=RecommendationDetailOut, summary="사실 확인 착수 (Start)")
@api_access(RULE, write=True)
def recommendation_start(request: HttpRequest, rec_id: int) -> Recommendation:
    return services.start(actor=request_actor(request), rec=_rec(request, rec_id))


@router.post(
    "/recommendations/{int:rec_id}/ask", response={201: MessageOut}, summary="추천인에게 질문 (Ask the recommender)"
)
@api_access(RULE, write=True)
def recommendation_ask(request: HttpRequest, rec_id: int, payload: QuestionIn) -> Status[dict[str, object]]:
    rec = _rec(request, rec_id)
    message = services.ask(actor=request_actor(request), rec=rec, question=payload.question)
    return Status(201, {"id": message.pk, "status": Recommendation.Status.AWAITING_REPLY.value})


@router.post("/recommendations/{int:rec_id}/verify", response=RecommendationDetailOut, summary="확인 완료 (Verify)")
@api_access(RULE, write=True)
def recommendation_verify(request: HttpRequest, rec_id: int, payload: VerifyIn) -> Recommendation:
    rec = _rec(request, rec_id)
    person = unit = None
    if payload.person is not None:
        person = Person.objects.filter(pk=payload.person, institution_id=rec.institution_id).first()
        if person is None:
            raise DomainError(_("이 기관의 공무원을 찾을 수 없습니다."), field="person")
    if payload.unit is not None:
        unit = Unit.objects.filter(pk=payload.unit, institution_id=rec.institution_id).first()
        if unit is None:
            raise DomainError(_("이 기관의 부서를 찾을 수 없습니다."), field="unit")
    return services.verify(actor=request_actor(request), rec=rec, reason=payload.reason, person=person, unit=unit)


@router.post(
    "/recommendations/{int:rec_id}/reject", response=RecommendationDetailOut, summary="확인 불가 종결 (Reject)"
)
@api_access(RULE, write=True)
def recommendation_reject(request: HttpRequest, rec_id: int, payload: RecommendationReasonIn) -> Recommendation:
    return services.reject(actor=request_actor(request), rec=_rec(request, rec_id), reason=payload.reason)
