"""Exemption cases for tests, made through the services (so states and history are real)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from core.access import actor_for
from exemptions.models import Criterion, ExemptionCase, Presumption
from exemptions.presumptions import presumption_record
from exemptions.services.cases import exemption_apply, exemption_open, exemption_review
from exemptions.services.decisions import exemption_decide, exemption_record_findings
from institutions.models import Person
from register.models import WorkItem
from tests.cast import Cast
from tests.factories import WorkItemFactory

YES, NO, UNKNOWN = "yes", "no", "unknown"

#: Every finding that a full exemption needs, with evidence (the third condition left open).
ALL_MET: dict[str, tuple[str, str]] = {
    Criterion.PUBLIC_INTEREST: (YES, "주민 안전"),
    Criterion.ACTIVE_EFFORT: (YES, "현장 확인"),
    Criterion.NO_INTENT: (YES, "절차 준수"),
    Criterion.EXCL_BRIBERY: (NO, "정황 없음"),
    Criterion.EXCL_LEAK: (NO, "정황 없음"),
    Criterion.EXCL_NEGLECT: (NO, "정황 없음"),
    Criterion.EXCL_ARBITRARY: (NO, "정황 없음"),
}


def work_item(cast: Cast, **kwargs: Any) -> WorkItem:
    return WorkItemFactory(institution=cast.district, unit=cast.building, **kwargs)  # type: ignore[no-any-return]


def applied(cast: Cast, *, username: str = "official", **overrides: Any) -> ExemptionCase:
    """An official's application (status "filed"), the audit ended 5 days ago."""
    values: dict[str, Any] = {
        "stage": ExemptionCase.Stage.AUDIT,
        "act": "도로점용 허가 시 점용료 감면",
        "matter_title": "2026년 정기감사",
        "matter_date": timezone.localdate() - datetime.timedelta(days=5),
    }
    values.update(overrides)
    return exemption_apply(actor=actor_for(cast.users[username]), **values)


def opened(
    cast: Cast, *, officials: list[Person] | None = None, username: str = "audit_staff", **overrides: Any
) -> ExemptionCase:
    """The audit unit's own case (status "opened") naming `official` by default."""
    values: dict[str, Any] = {
        "stage": ExemptionCase.Stage.AUDIT,
        "act": "건축허가 변경 시 기준 완화",
        "matter_title": "2026년 정기감사",
        "matter_date": timezone.localdate() - datetime.timedelta(days=100),
    }
    values.update(overrides)
    people = officials if officials is not None else [cast.official.person]
    return exemption_open(actor=actor_for(cast.users[username]), officials=people, **values)


def reviewing(cast: Cast, case: ExemptionCase | None = None, **overrides: Any) -> ExemptionCase:
    case = case or opened(cast, **overrides)
    return exemption_review(actor=actor_for(cast.audit_staff), case=case)


def decided(cast: Cast, decision: str = ExemptionCase.Decision.FULL, **overrides: Any) -> ExemptionCase:
    case = reviewing(cast, **overrides)
    exemption_record_findings(actor=actor_for(cast.audit_staff), case=case, answers=ALL_MET)
    return exemption_decide(actor=actor_for(cast.aa_officer), case=case, decision=decision, reasons="요건 충족")


def presumption(cast: Cast, person: Person, item: WorkItem | None, **overrides: Any) -> Presumption:
    """A followed pre-consultation opinion (the work item stands in for the consultation)."""
    source = overrides.pop("source", None) or item or work_item(cast)
    values: dict[str, Any] = {
        "actor": actor_for(cast.aa_officer),
        "source": source,
        "kind": Presumption.Source.CONSULTATION,
        "person": person,
        "work_item": item,
        "act": "도로점용 허가",
        "advice_given_on": datetime.date(2026, 1, 10),
        "acted_on": datetime.date(2026, 2, 1),
        "followed": Presumption.Followed.FOLLOWED,
        "reference": "감사담당관-2026-0001",
        "url": "/office/register/",
    }
    values.update(overrides)
    return presumption_record(**values)
