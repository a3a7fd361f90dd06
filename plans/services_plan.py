"""Every change to an action plan and its versions (ADR 0022). Each is one transaction: lock,
check the workflow and the rules, change, audit; notifications go out on commit.

An approved version is never edited in place: `revise` makes a new DRAFT version (with its
reason) copying the current version's tasks, each keeping its `line`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.access import Actor
from core.errors import DomainError, TransitionNotAllowed
from core.notifications import notify, users_with_roles
from core.roles import Role
from institutions.models import Unit
from plans.models import Area, Plan, PlanTask, PlanVersion
from plans.workflow import EDITABLE, HEAD, OFFICER, VERSION
from portal.public import clean_text

V = PlanVersion.Status

MAX_TITLE = 200
MAX_SUMMARY = 5000
MAX_REASON = 2000
MAX_BUDGET = 10**15
MIN_YEAR = 2000
MAX_YEAR = 2100


# --- Helpers ---------------------------------------------------------------------------


def is_officer(actor: Actor) -> bool:
    return actor.institution_id is not None and actor.has(Role.AA_OFFICER)


def is_head(actor: Actor) -> bool:
    return actor.institution_id is not None and actor.has(Role.HEAD)


def version_roles(actor: Actor, version: PlanVersion) -> set[str]:
    """The case roles the actor holds on the version (officer, head) in its institution."""
    if actor.institution_id is None or actor.institution_id != version.plan.institution_id:
        return set()
    held: set[str] = set()
    if actor.has(Role.AA_OFFICER):
        held.add(OFFICER)
    if actor.has(Role.HEAD):
        held.add(HEAD)
    return held


def _lock_version(version: PlanVersion) -> PlanVersion:
    return (
        PlanVersion.objects.select_for_update(of=("self",))
        .select_related("plan", "plan__institution")
        .get(pk=version.pk)
    )


def _lock_plan(plan: Plan) -> Plan:
    return Plan.objects.select_for_update(of=("self",)).select_related("institution").get(pk=plan.pk)


def _require_officer(actor: Actor, version: PlanVersion) -> None:
    if OFFICER not in version_roles(actor, version):
        raise TransitionNotAllowed(_("이 실행계획을 고칠 권한이 없습니다."))


def _require_editable(version: PlanVersion) -> None:
    if version.status not in EDITABLE:
        if version.status in {V.APPROVED, V.SUPERSEDED}:
            raise TransitionNotAllowed(_("승인된 실행계획은 그대로 고칠 수 없습니다. 변경하려면 새 판을 만드십시오."))
        raise TransitionNotAllowed(_("작성 중인 판만 고칠 수 있습니다."))


def check_editable(actor: Actor, version: PlanVersion) -> None:
    """Refuse (TransitionNotAllowed) unless the actor may change the version's content now."""
    _require_officer(actor, version)
    _require_editable(version)


def _on_commit_notify(*, recipients: Iterable[Any], title: str, url: str, institution: Any) -> None:
    people = list(recipients)

    def send() -> None:
        notify(recipients=people, title=title, url=url, institution=institution)

    transaction.on_commit(send)


# --- Plans -----------------------------------------------------------------------------


def plan_create(*, actor: Actor, year: int | None, title: str) -> Plan:
    """The institution's plan for the year (one per year) with version 1 in DRAFT."""
    if not is_officer(actor) or actor.institution is None:
        raise TransitionNotAllowed(_("실행계획을 만들 권한이 없습니다."))
    title = clean_text(title, "title", limit=MAX_TITLE)
    if year is None or not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise DomainError(_("연도를 확인해 주십시오."), field="year")
    year = int(year)
    institution = actor.institution
    if Plan.objects.filter(institution=institution, year=year).exists():
        raise DomainError(_("%(year)d년 실행계획이 이미 있습니다.") % {"year": year}, field="year")
    try:
        with transaction.atomic():
            plan = Plan.objects.create(institution=institution, year=year, title=title)
            version = PlanVersion.objects.create(plan=plan, number=1, status=V.DRAFT, created_by=actor.user)
            audit.record(actor=actor, action="plan.created", target=plan, changes={"year": year, "title": title})
            audit.record(actor=actor, action="plan_version.created", target=version, changes={"number": 1})
    except IntegrityError as exc:
        raise DomainError(_("%(year)d년 실행계획이 이미 있습니다.") % {"year": year}, field="year") from exc
    return plan


# --- Version content -------------------------------------------------------------------


def version_update(
    *, actor: Actor, version: PlanVersion, summary: str, change_reason: str | None = None
) -> PlanVersion:
    """The version's direction (summary) and, from version 2, its change reason."""
    summary = clean_text(summary, "summary", required=False, limit=MAX_SUMMARY)
    with transaction.atomic():
        current = _lock_version(version)
        _require_officer(actor, current)
        _require_editable(current)
        values = {"summary": summary}
        if change_reason is not None and current.number > 1:
            values["change_reason"] = clean_text(change_reason, "change_reason", limit=MAX_REASON)
        audit.save_changes(
            current, values, fields=["summary", "change_reason"], actor=actor, action="plan_version.updated"
        )
    return current


def clean_quarters(value: str) -> str:
    """Quarter digits 1-4, each once, sorted ("4 1" -> "14"); refused otherwise."""
    raw = (value or "").replace(",", "").replace(" ", "")
    if not raw or not raw.isascii() or any(c not in "1234" for c in raw) or len(set(raw)) != len(raw):
        raise DomainError(_("추진 분기를 1에서 4 사이의 숫자로 겹치지 않게 입력해 주십시오."), field="quarters")
    return "".join(sorted(raw))


def _clean_task(version: PlanVersion, data: dict[str, Any]) -> dict[str, Any]:
    area = str(data.get("area") or "")
    if area not in Area.values:
        raise DomainError(_("분야를 선택해 주십시오."), field="area")
    unit = data.get("owner_unit")
    if not isinstance(unit, Unit) or unit.institution_id != version.plan.institution_id:
        raise DomainError(_("이 기관의 부서를 선택해 주십시오."), field="owner_unit")
    budget = data.get("budget")
    if budget is not None:
        try:
            budget = int(budget)
        except (TypeError, ValueError) as exc:
            raise DomainError(_("예산은 0 이상의 숫자로 입력해 주십시오."), field="budget") from exc
        if not 0 <= budget <= MAX_BUDGET:
            raise DomainError(_("예산은 0 이상의 숫자로 입력해 주십시오."), field="budget")
    return {
        "area": area,
        "title": clean_text(str(data.get("title") or ""), "title", limit=MAX_TITLE),
        "owner_unit": unit,
        "indicator": clean_text(str(data.get("indicator") or ""), "indicator", limit=MAX_TITLE),
        "target": clean_text(str(data.get("target") or ""), "target", limit=MAX_TITLE),
        "quarters": clean_quarters(str(data.get("quarters") or "")),
        "budget": budget,
    }


TASK_FIELDS = ["area", "title", "owner_unit", "indicator", "target", "quarters", "budget"]


def _task_changes(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.pk if isinstance(v, Unit) else v) for k, v in values.items()}


def task_add(*, actor: Actor, version: PlanVersion, **data: Any) -> PlanTask:
    with transaction.atomic():
        current = _lock_version(version)
        _require_officer(actor, current)
        _require_editable(current)
        values = _clean_task(current, data)
        order = (current.tasks.filter(area=values["area"]).aggregate(m=Max("order"))["m"] or 0) + 1
        task = PlanTask.objects.create(version=current, order=order, **values)
        audit.record(
            actor=actor,
            action="plan_task.added",
            target=current,
            changes={"task": task.pk, **_task_changes(values)},
        )
    return task


def task_update(*, actor: Actor, task: PlanTask, **data: Any) -> PlanTask:
    with transaction.atomic():
        current = _lock_version(task.version)
        _require_officer(actor, current)
        _require_editable(current)
        row = PlanTask.objects.select_for_update().get(pk=task.pk, version=current)
        values = _clean_task(current, data)
        changes: dict[str, Any] = {}
        for name, value in values.items():
            old = getattr(row, name)
            old_cmp = old.pk if isinstance(old, Unit) else old
            new_cmp = value.pk if isinstance(value, Unit) else value
            if old_cmp != new_cmp:
                changes[name] = [old_cmp, new_cmp]
            setattr(row, name, value)
        row.save()
        if changes:
            audit.record(actor=actor, action="plan_task.changed", target=current, changes={"task": row.pk, **changes})
    return row


def task_remove(*, actor: Actor, task: PlanTask) -> None:
    with transaction.atomic():
        current = _lock_version(task.version)
        _require_officer(actor, current)
        _require_editable(current)
        row = PlanTask.objects.select_for_update().get(pk=task.pk, version=current)
        audit.record(
            actor=actor,
            action="plan_task.removed",
            target=current,
            changes={"task": row.pk, "title": row.title, "line": row.line_id},
        )
        row.delete()


# --- Transitions -----------------------------------------------------------------------


def submit(*, actor: Actor, version: PlanVersion) -> PlanVersion:
    """To the committee: at least one task; from version 2, a change reason."""
    with transaction.atomic():
        current = _lock_version(version)
        roles = version_roles(actor, current)
        VERSION.check(current, "submit", roles)
        if not current.tasks.exists():
            raise TransitionNotAllowed(_("과제를 하나 이상 넣은 뒤에 검토를 요청해 주십시오."))
        if current.number > 1 and not current.change_reason.strip():
            raise TransitionNotAllowed(_("변경 사유를 입력해 주십시오."), field="change_reason")
        VERSION.apply(current, "submit", actor=actor, roles=roles)
        _on_commit_notify(
            recipients=users_with_roles(current.plan.institution_id, Role.COMMITTEE_SECRETARY),
            title=_("실행계획 검토 요청: %(plan)s") % {"plan": current},
            url=current.get_absolute_url(),
            institution=current.plan.institution,
        )
    return current


def take_back(*, actor: Actor, version: PlanVersion) -> PlanVersion:
    with transaction.atomic():
        current = _lock_version(version)
        VERSION.apply(current, "take_back", actor=actor, roles=version_roles(actor, current))
    return current


def committee_reviewed(
    *,
    actor: Actor,
    version: PlanVersion,
    opinion: str,
    reviewed_on: datetime.date,
    roles: Iterable[str],
) -> PlanVersion:
    """The committee endorsed the version (committee write-back: plans/links.py)."""
    opinion = clean_text(opinion, "resolution", required=False, limit=MAX_SUMMARY)
    with transaction.atomic():
        current = _lock_version(version)
        current.committee_opinion = opinion
        current.committee_reviewed_on = reviewed_on
        VERSION.apply(
            current,
            "committee_reviewed",
            actor=actor,
            roles=roles,
            changes={"opinion": opinion, "reviewed_on": reviewed_on.isoformat()},
            update_fields=["committee_opinion", "committee_reviewed_on"],
        )
        _on_commit_notify(
            recipients=users_with_roles(current.plan.institution_id, Role.HEAD),
            title=_("실행계획 승인 요청: %(plan)s") % {"plan": current},
            url=current.get_absolute_url(),
            institution=current.plan.institution,
        )
    return current


def committee_returned(*, actor: Actor, version: PlanVersion, reason: str, roles: Iterable[str]) -> PlanVersion:
    with transaction.atomic():
        current = _lock_version(version)
        VERSION.apply(current, "committee_returned", actor=actor, roles=roles, reason=reason)
        _on_commit_notify(
            recipients=users_with_roles(current.plan.institution_id, Role.AA_OFFICER),
            title=_("위원회가 실행계획 보완을 요구했습니다: %(plan)s") % {"plan": current},
            url=current.get_absolute_url(),
            institution=current.plan.institution,
        )
    return current


def approve(*, actor: Actor, version: PlanVersion) -> PlanVersion:
    """The head approves: the previous approved version is superseded, the plan's current
    version becomes this one; progress reports are scheduled (plans.services_progress)."""
    with transaction.atomic():
        current = _lock_version(version)
        roles = version_roles(actor, current)
        VERSION.check(current, "approve", roles)
        plan = _lock_plan(current.plan)
        previous = (
            PlanVersion.objects.select_for_update().filter(plan=plan, status=V.APPROVED).exclude(pk=current.pk).first()
        )
        if previous is not None:
            VERSION.apply(previous, "supersede", actor=actor, roles={HEAD}, changes={"by": current.number})
        current.approved_by = actor.user
        current.approved_at = timezone.now()
        VERSION.apply(current, "approve", actor=actor, roles=roles, update_fields=["approved_by", "approved_at"])
        plan.current = current
        fields = ["current", "updated_at"]
        if plan.approved_on is None:
            plan.approved_on = timezone.localdate()
            fields.append("approved_on")
        plan.save(update_fields=fields)
        current.plan = plan
        _schedule_reports(current)
        unit_ids = set(current.tasks.values_list("owner_unit_id", flat=True))
        recipients = list(users_with_roles(plan.institution_id, Role.AA_OFFICER))
        for unit_id in sorted(unit_ids):
            recipients += list(users_with_roles(plan.institution_id, Role.DEPT_HEAD, unit_id=unit_id))
        _on_commit_notify(
            recipients=recipients,
            title=_("실행계획이 승인되었습니다: %(plan)s") % {"plan": current},
            url=current.get_absolute_url(),
            institution=plan.institution,
        )
    return current


def _schedule_reports(version: PlanVersion) -> None:
    from plans import services_progress

    services_progress.schedule_reports(version)


def send_back(*, actor: Actor, version: PlanVersion, reason: str) -> PlanVersion:
    reason = clean_text(reason, "reason", limit=MAX_REASON)
    with transaction.atomic():
        current = _lock_version(version)
        VERSION.apply(current, "send_back", actor=actor, roles=version_roles(actor, current), reason=reason)
        _on_commit_notify(
            recipients=users_with_roles(current.plan.institution_id, Role.AA_OFFICER),
            title=_("기관장이 실행계획 보완을 지시했습니다: %(plan)s") % {"plan": current},
            url=current.get_absolute_url(),
            institution=current.plan.institution,
        )
    return current


def revise(*, actor: Actor, plan: Plan, reason: str) -> PlanVersion:
    """A new DRAFT version changing the approved one, with the tasks copied (lines kept)."""
    reason = clean_text(reason, "reason", limit=MAX_REASON)
    with transaction.atomic():
        locked = _lock_plan(plan)
        if not is_officer(actor) or actor.institution_id != locked.institution_id:
            raise TransitionNotAllowed(_("이 실행계획을 고칠 권한이 없습니다."))
        if locked.current_id is None:
            raise TransitionNotAllowed(_("승인된 판이 있어야 변경할 수 있습니다."))
        if locked.versions.filter(status__in=[V.DRAFT, V.AT_COMMITTEE, V.REVIEWED]).exists():
            raise TransitionNotAllowed(_("이미 작성 중이거나 검토 중인 판이 있습니다."))
        source = PlanVersion.objects.get(pk=locked.current_id)
        number = (locked.versions.aggregate(m=Max("number"))["m"] or 0) + 1
        version = PlanVersion.objects.create(
            plan=locked,
            number=number,
            status=V.DRAFT,
            change_reason=reason,
            summary=source.summary,
            created_by=actor.user,
        )
        PlanTask.objects.bulk_create(
            [
                PlanTask(
                    version=version,
                    line_id=task.line_id or task.pk,
                    area=task.area,
                    title=task.title,
                    owner_unit_id=task.owner_unit_id,
                    indicator=task.indicator,
                    target=task.target,
                    quarters=task.quarters,
                    budget=task.budget,
                    order=task.order,
                )
                for task in source.tasks.all()
            ]
        )
        audit.record(
            actor=actor,
            action="plan_version.created",
            target=version,
            changes={"number": number, "from": source.number},
            reason=reason,
        )
    return version
