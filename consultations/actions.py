"""The actions offered on a request's page: for each, its form and the one service it calls.
The page shows the actions the workflow allows the actor now; the action view
(views.consultation_act) parses the form and calls the service, which checks again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from consultations import forms as f
from consultations import services
from consultations.models import Consultation
from consultations.services.review import MAX_EXTENSIONS
from consultations.workflow import AUDIT, CLOCK_RUNNING, CONSULTATION
from core.access import Actor
from core.actions import Action, EmptyForm
from core.models import Deadline

Call = Callable[[Actor, Consultation, dict[str, Any]], Any]


def _files(data: dict[str, Any]) -> list[Any]:
    document = data.get("document")
    return [document] if document else []


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action(
            "request_approval",
            _("부서장에게 결재 요청"),
            EmptyForm,
            lambda actor, c, d: services.consultation_request_approval(actor=actor, consultation=c),
            style="primary",
        ),
        Action(
            "submit",
            _("결재하고 감사부서에 제출"),
            EmptyForm,
            lambda actor, c, d: services.consultation_submit(actor=actor, consultation=c),
            style="primary",
            help=_("제출하면 접수번호가 매겨지고 처리기한이 시작됩니다."),
        ),
        Action(
            "send_back",
            _("보완 지시(작성자에게 돌려보냄)"),
            f.ReasonForm,
            lambda actor, c, d: services.consultation_send_back(actor=actor, consultation=c, reason=d["reason"]),
        ),
        Action(
            "accept",
            _("검토 착수(요건 적합)"),
            EmptyForm,
            lambda actor, c, d: services.consultation_accept(actor=actor, consultation=c),
            style="primary",
        ),
        Action(
            "return",
            _("반려"),
            f.ReturnForm,
            lambda actor, c, d: services.consultation_return(
                actor=actor, consultation=c, ground=d["ground"], reason=d["reason"]
            ),
        ),
        Action(
            "extend",
            _("처리기한 연장"),
            f.ReasonForm,
            lambda actor, c, d: services.consultation_extend(actor=actor, consultation=c, reason=d["reason"]),
            help=_("한 번만 연장할 수 있으며, 사유는 요청 부서에 보입니다."),
        ),
        Action(
            "issue_opinion",
            _("의견 통보"),
            f.OpinionForm,
            lambda actor, c, d: services.consultation_issue_opinion(
                actor=actor, consultation=c, opinion=d["opinion"], reasons=d["reasons"], conditions=d["conditions"]
            ),
            style="primary",
        ),
        Action(
            "refer",
            _("상급 감사기관에 의뢰"),
            f.ReferForm,
            lambda actor, c, d: services.consultation_refer(
                actor=actor, consultation=c, body=d["body"], reason=d["reason"], sent_on=d.get("sent_on")
            ),
        ),
        Action(
            "record_higher_opinion",
            _("상급기관 의견 등록"),
            f.HigherOpinionForm,
            lambda actor, c, d: services.consultation_record_higher_opinion(
                actor=actor,
                consultation=c,
                opinion=d["opinion"],
                reasons=d["reasons"],
                conditions=d["conditions"],
                given_on=d["given_on"],
                reference=d["reference"],
                documents=_files(d),
            ),
            style="primary",
            multipart=True,
        ),
        Action(
            "to_committee",
            _("적극행정위원회에 부의"),
            f.OptionalReasonForm,
            lambda actor, c, d: services.consultation_to_committee(actor=actor, consultation=c, reason=d["reason"]),
        ),
        Action(
            "record_committee_advice",
            _("위원회 자문 결과 등록"),
            f.CommitteeAdviceForm,
            lambda actor, c, d: services.consultation_record_committee_advice(
                actor=actor,
                consultation=c,
                opinion=d["opinion"],
                reasons=d["reasons"],
                conditions=d["conditions"],
                advised_on=d["advised_on"],
                documents=_files(d),
            ),
            style="primary",
            multipart=True,
        ),
        Action(
            "record_outcome",
            _("처리 결과 등록"),
            f.OutcomeForm,
            lambda actor, c, d: services.consultation_record_outcome(
                actor=actor,
                consultation=c,
                outcome=d["outcome"],
                acted_on=d["acted_on"],
                note=d["note"],
                documents=_files(d),
            ),
            style="primary",
            multipart=True,
            help=_("의견을 따랐으면 담당 공무원마다 면책 추정이 기록됩니다. 다시 등록하면 고쳐집니다."),
        ),
        Action(
            "close",
            _("종결"),
            f.OptionalReasonForm,
            lambda actor, c, d: services.consultation_close(actor=actor, consultation=c, reason=d["reason"]),
        ),
        Action(
            "withdraw",
            _("요청 철회"),
            f.ReasonForm,
            lambda actor, c, d: services.consultation_withdraw(actor=actor, consultation=c, reason=d["reason"]),
            style="tertiary",
        ),
    ]
}


def can_extend(roles: frozenset[str], consultation: Consultation, deadline: Deadline | None) -> bool:
    return (
        AUDIT in roles
        and consultation.status in CLOCK_RUNNING
        and deadline is not None
        and deadline.closed_at is None
        and deadline.extension_count < MAX_EXTENSIONS
    )


def available(roles: frozenset[str], consultation: Consultation, deadline: Deadline | None) -> list[Action]:
    """The actions the actor may take on the request now, in the order above."""
    allowed = {t.action for t in CONSULTATION.allowed(consultation, roles)}
    if can_extend(roles, consultation, deadline):
        allowed.add("extend")
    return [action for name, action in ACTIONS.items() if name in allowed]
