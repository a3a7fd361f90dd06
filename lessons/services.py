"""The only code that writes shared lessons (ADR 0019): start one from a report, edit the
draft, and the review workflow. Each service locks the row, checks, saves and audits in one
transaction; notifications go out on commit.

The texts are never written to the audit trail (a draft may still hold a name before it is
cleaned): an edit records which fields changed and their length.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.access import Actor
from core.errors import DomainError, TransitionNotAllowed
from core.notifications import notify, users_with_roles
from core.numbering import document_reference, next_number
from lessons import anonymity
from lessons.anonymity import Term, identifying_terms
from lessons.models import MAX_YEAR, MIN_YEAR, TEXT_FIELDS, Lesson, field_label
from lessons.workflow import AUTHOR, EDITABLE, LESSONS, REVIEW_ROLES, case_roles, is_audit
from reports.models import Report

__all__ = [
    "identifying_terms",
    "leaking_fields",
    "lesson_publish",
    "lesson_return",
    "lesson_revise",
    "lesson_start",
    "lesson_submit",
    "lesson_update",
    "lesson_withdraw",
]

NUMBER_SERIES = "passive_lesson"
NUMBER_PREFIX = "소극행정사례"
MAX_TEXT = 10_000
MAX_TITLE = 200


def _lock(lesson: Lesson) -> Lesson:
    return Lesson.objects.select_for_update().get(pk=lesson.pk)


def _refresh(stale: Lesson, fresh: Lesson) -> None:
    if stale is not fresh:
        stale.__dict__.update({k: v for k, v in fresh.__dict__.items() if not k.startswith("_")})
        stale._state.fields_cache = dict(fresh._state.fields_cache)  # no stale related objects


def _report_of(lesson: Lesson) -> Report:
    return Report.objects.select_related("unit", "handler__person", "closed_by__person").get(pk=lesson.report_id)


def _texts(lesson: Lesson) -> dict[str, str]:
    return {name: str(getattr(lesson, name) or "") for name in TEXT_FIELDS}


def leaking_fields(lesson: Lesson, terms: list[Term] | None = None) -> list[str]:
    """The fields of the lesson that still hold a name, unit, number or contact of its case."""
    found = identifying_terms(_report_of(lesson)) if terms is None else terms
    return anonymity.leaks(_texts(lesson), found)


def _check_anonymised(lesson: Lesson) -> None:
    """Refuse a text that identifies the case, naming the field (never the term)."""
    fields = leaking_fields(lesson)
    if fields:
        label = field_label(fields[0])
        raise DomainError(
            _(
                "'%(field)s'에 이 사건의 이름·부서·번호·연락처 같은 식별 정보가 남아 있습니다. "
                "지우거나 일반적인 표현으로 바꿔 주십시오."
            )
            % {"field": label},
            field=fields[0],
            code="identifying",
        )


# --- Starting and editing ---------------------------------------------------------------


def _default_title(report: Report, year: int) -> str:
    return _("%(year)s년 %(kind)s 징계 사례") % {"year": year, "kind": report.get_kind_display()}


def lesson_start(*, actor: Actor, report: Report) -> Lesson:
    """The audit unit starts a lesson from a closed disciplinary report: a draft with no
    personal data (only the kind, the outcome and the year)."""
    if not is_audit(actor) or actor.user is None or report.institution_id != actor.institution_id:
        raise TransitionNotAllowed(_("이 기관의 감사부서만 사례를 작성할 수 있습니다."))
    try:
        with transaction.atomic():
            current = Report.objects.select_for_update().get(pk=report.pk)
            if current.institution_id != actor.institution_id:
                raise TransitionNotAllowed(_("이 기관의 감사부서만 사례를 작성할 수 있습니다."))
            if current.status != Report.Status.CLOSED or current.outcome != Report.Outcome.DISCIPLINARY:
                raise DomainError(_("징계 요구로 종결된 신고만 사례로 공유할 수 있습니다."), field="report")
            if Lesson.objects.filter(report=current).exists():
                raise DomainError(_("이 신고로 이미 작성한 사례가 있습니다."), field="report")
            year = (current.closed_at or timezone.now()).year
            number = next_number(institution_id=current.institution_id, series=NUMBER_SERIES, year=year)
            lesson = Lesson.objects.create(
                institution_id=current.institution_id,
                report=current,
                number=document_reference(prefix=NUMBER_PREFIX, year=year, number=number),
                title=_default_title(current, year),
                kind=current.kind,
                measures=str(Report.Outcome.DISCIPLINARY.label),
                year=year,
                author=actor.user,
                writer_ids=[actor.user.pk],
            )
            audit.record(
                actor=actor,
                action="lesson.created",
                target=lesson,
                changes={"kind": lesson.kind, "year": year},
            )
    except IntegrityError as exc:  # the same report started twice at the same moment
        raise DomainError(_("이 신고로 이미 작성한 사례가 있습니다."), field="report") from exc
    return lesson


def _clean_text(value: str | None, field: str, *, limit: int = MAX_TEXT, required: bool = False) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise DomainError(_("내용을 입력해 주십시오."), field=field)
    if len(text) > limit:
        raise DomainError(_("%(n)s자까지 쓸 수 있습니다.") % {"n": f"{limit:,}"}, field=field)
    return text


def _values(
    *,
    title: str,
    kind: str,
    what_happened: str,
    what_went_wrong: str,
    measures: str,
    lessons_learned: str,
    year: int,
    share_with_group: bool,
) -> dict[str, Any]:
    if kind not in Report.Kind.values:
        raise DomainError(_("소극행정 유형을 목록에서 골라 주십시오."), field="kind")
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not MIN_YEAR <= year <= min(this_year, MAX_YEAR):
        raise DomainError(
            _("연도는 %(first)d년부터 %(last)d년 사이로 입력해 주십시오.") % {"first": MIN_YEAR, "last": this_year},
            field="year",
        )
    return {
        "title": _clean_text(" ".join((title or "").split()), "title", limit=MAX_TITLE, required=True),
        "kind": kind,
        "what_happened": _clean_text(what_happened, "what_happened"),
        "what_went_wrong": _clean_text(what_went_wrong, "what_went_wrong"),
        "measures": _clean_text(measures, "measures"),
        "lessons_learned": _clean_text(lessons_learned, "lessons_learned"),
        "year": year,
        "share_with_group": bool(share_with_group),
    }


def _check_editable(actor: Actor, lesson: Lesson) -> None:
    if AUTHOR not in case_roles(actor, lesson):
        raise TransitionNotAllowed(_("이 기관의 감사부서만 사례를 고칠 수 있습니다."))
    if lesson.status not in EDITABLE:
        raise TransitionNotAllowed(
            _("현재 상태(%(state)s)에서는 사례를 고칠 수 없습니다.") % {"state": lesson.get_status_display()}
        )


def lesson_update(
    *,
    actor: Actor,
    lesson: Lesson,
    title: str,
    kind: str,
    year: int,
    what_happened: str = "",
    what_went_wrong: str = "",
    measures: str = "",
    lessons_learned: str = "",
    share_with_group: bool = False,
) -> Lesson:
    """The audit unit changes a draft (or one sent back). Saving a draft does not check the
    anonymisation; sending it to review does."""
    values = _values(
        title=title,
        kind=kind,
        what_happened=what_happened,
        what_went_wrong=what_went_wrong,
        measures=measures,
        lessons_learned=lessons_learned,
        year=year,
        share_with_group=share_with_group,
    )
    with transaction.atomic():
        current = _lock(lesson)
        _check_editable(actor, current)
        changes: dict[str, Any] = {}
        for name, value in values.items():
            before = getattr(current, name)
            if before == value:
                continue
            # the texts themselves never reach the log: only their length
            changes[name] = [len(before), len(value)] if name in TEXT_FIELDS else [before, value]
            setattr(current, name, value)
        if changes:
            assert actor.user is not None
            if actor.user.pk not in current.writer_ids:
                current.writer_ids = [*current.writer_ids, actor.user.pk]
            current.save(update_fields=[*values, "writer_ids", "updated_at"])
            audit.record(actor=actor, action="lesson.updated", target=current, changes=changes)
    _refresh(lesson, current)
    return current


# --- The review workflow ----------------------------------------------------------------


def _reviewers(lesson: Lesson) -> list[Any]:
    writers = {lesson.author_id, *lesson.writer_ids}
    return [u for u in users_with_roles(lesson.institution_id, *REVIEW_ROLES) if u.pk not in writers]


def _tell(recipients: list[Any], lesson: Lesson, title: str) -> None:
    url = lesson.get_absolute_url()
    institution_id = lesson.institution_id
    text = f"{title}: {lesson.number}"[:200]

    def send() -> None:
        from institutions.models import Institution

        notify(recipients=recipients, title=text, url=url, institution=Institution.objects.get(pk=institution_id))

    transaction.on_commit(send)


def _apply(actor: Actor, lesson: Lesson, action: str, *, reason: str = "", **values: Any) -> Lesson:
    current = _lock(lesson)
    for name, value in values.items():
        setattr(current, name, value)
    LESSONS.apply(
        current,
        action,
        actor=actor,
        roles=case_roles(actor, current),
        reason=reason.strip(),
        update_fields=list(values),
    )
    return current


def lesson_submit(*, actor: Actor, lesson: Lesson) -> Lesson:
    """The audit unit sends the lesson to review: refused while it identifies the case."""
    with transaction.atomic():
        current = _lock(lesson)
        LESSONS.check(current, "submit", case_roles(actor, current))
        _check_anonymised(current)
        current = _apply(actor, current, "submit", submitted_at=timezone.now(), return_reason="")
        _tell(_reviewers(current), current, _("소극행정 징계 사례 검토 요청"))
    _refresh(lesson, current)
    return current


def lesson_return(*, actor: Actor, lesson: Lesson, reason: str) -> Lesson:
    """A reviewer sends the lesson back to the audit unit with a reason."""
    reason = _clean_text(reason, "reason", required=True)
    with transaction.atomic():
        current = _apply(actor, lesson, "return", reason=reason, reviewer=actor.user, return_reason=reason)
        _tell([current.author], current, _("소극행정 징계 사례 보완 요청"))
    _refresh(lesson, current)
    return current


def lesson_publish(*, actor: Actor, lesson: Lesson, confirmed: bool) -> Lesson:
    """A reviewer who did not write it confirms the anonymisation and publishes the lesson
    to the casebook."""
    with transaction.atomic():
        current = _lock(lesson)
        LESSONS.check(current, "publish", case_roles(actor, current))
        if not confirmed:
            raise DomainError(_("비식별 처리를 확인했다는 데 표시해 주십시오."), field="confirmed")
        _check_anonymised(current)
        now = timezone.now()
        current = _apply(
            actor,
            current,
            "publish",
            reviewer=actor.user,
            anonymisation_confirmed_by=actor.user,
            anonymisation_confirmed_at=now,
            published_at=now,
            withdrawn_at=None,
            withdraw_reason="",
        )
        _tell([current.author], current, _("소극행정 징계 사례가 공유되었습니다"))
    _refresh(lesson, current)
    return current


def lesson_withdraw(*, actor: Actor, lesson: Lesson, reason: str) -> Lesson:
    """The audit unit takes a lesson out of the casebook, with a reason."""
    reason = _clean_text(reason, "reason", required=True)
    with transaction.atomic():
        current = _apply(actor, lesson, "withdraw", reason=reason, withdrawn_at=timezone.now(), withdraw_reason=reason)
    _refresh(lesson, current)
    return current


def lesson_revise(*, actor: Actor, lesson: Lesson) -> Lesson:
    """A withdrawn lesson goes back to a draft to be corrected and reviewed again."""
    with transaction.atomic():
        current = _apply(
            actor,
            lesson,
            "revise",
            published_at=None,
            anonymisation_confirmed_by=None,
            anonymisation_confirmed_at=None,
        )
    _refresh(lesson, current)
    return current
