"""The only code that writes best-practice cases: write, edit, images, the review workflow
and the public view counter (ADR 0016). Each service checks, saves, audits in one
transaction; notifications go out on commit (core.notifications.notify)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, files, notifications
from core.access import Actor
from core.errors import DomainError, TransitionNotAllowed
from core.models import Attachment
from institutions.models import Person, Unit
from library import search, selectors
from library.models import MAX_YEAR, MIN_YEAR, BestPractice
from library.permissions import REVIEW_ROLES
from library.workflow import AUTHOR, EDITABLE, LIBRARY, case_roles, is_writer
from register.models import WorkItem

PURPOSE_IMAGE = "image"
MAX_IMAGES = 10
MAX_TEXT = 20_000
FIELDS = [
    "title",
    "unit_id",
    "problem",
    "action",
    "result",
    "rule_improved",
    "beneficiaries",
    "policy_field",
    "year",
    "work_item_id",
]
#: a visitor's reading of a case is counted once a day (the cache remembers a keyed hash)
VIEW_WINDOW_SECONDS = 24 * 60 * 60


def _refuse(message: str, field: str | None = None) -> TransitionNotAllowed:
    return TransitionNotAllowed(message, field=field)


def _clean_line(value: str | None) -> str:
    return " ".join((value or "").split())


def _clean_text(value: str | None, field: str) -> str:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise DomainError(_("내용이 너무 깁니다(%(n)s자까지).") % {"n": f"{MAX_TEXT:,}"}, field=field)
    return text


def _values(
    actor: Actor,
    *,
    unit: Unit,
    title: str,
    problem: str,
    action: str,
    result: str,
    rule_improved: str,
    beneficiaries: str,
    policy_field: str,
    year: int,
    work_item: WorkItem | None,
) -> dict[str, Any]:
    title = _clean_line(title)
    if not title:
        raise DomainError(_("제목을 입력해 주십시오."), field="title")
    if len(title) > 200:
        raise DomainError(_("제목은 200자까지 쓸 수 있습니다."), field="title")
    if unit.institution_id != actor.institution_id:
        raise DomainError(_("이 기관의 부서를 골라 주십시오."), field="unit")
    if policy_field not in BestPractice.PolicyField.values:
        raise DomainError(_("분야를 목록에서 골라 주십시오."), field="policy_field")
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not MIN_YEAR <= year <= min(this_year, MAX_YEAR):
        raise DomainError(
            _("연도는 %(first)d년부터 %(last)d년 사이로 입력해 주십시오.") % {"first": MIN_YEAR, "last": this_year},
            field="year",
        )
    if work_item is not None and work_item.institution_id != actor.institution_id:
        raise DomainError(_("이 기관의 업무를 골라 주십시오."), field="work_item")
    beneficiaries = _clean_line(beneficiaries)
    if len(beneficiaries) > 300:
        raise DomainError(_("혜택을 받은 사람은 300자까지 쓸 수 있습니다."), field="beneficiaries")
    return {
        "unit_id": unit.pk,
        "title": title,
        "problem": _clean_text(problem, "problem"),
        "action": _clean_text(action, "action"),
        "result": _clean_text(result, "result"),
        "rule_improved": _clean_text(rule_improved, "rule_improved"),
        "beneficiaries": beneficiaries,
        "policy_field": policy_field,
        "year": year,
        "work_item_id": work_item.pk if work_item is not None else None,
    }


def _people(actor: Actor, officials: Sequence[Person]) -> list[Person]:
    seen: dict[int, Person] = {}
    for person in officials:
        if person.institution_id != actor.institution_id:
            raise DomainError(_("이 기관의 직원만 지정할 수 있습니다."), field="officials")
        seen.setdefault(person.pk, person)
    return list(seen.values())


def _names(people: Sequence[Person]) -> list[str]:
    return sorted(str(p) for p in people)


def _lock(case: BestPractice) -> BestPractice:
    return BestPractice.objects.select_for_update().get(pk=case.pk)


def _refresh(stale: BestPractice, fresh: BestPractice) -> None:
    if stale is not fresh:
        stale.__dict__.update({k: v for k, v in fresh.__dict__.items() if not k.startswith("_")})


def _check_editable(actor: Actor, case: BestPractice) -> None:
    if AUTHOR not in case_roles(actor, case):
        raise _refuse(_("작성자만 고칠 수 있습니다."))
    if case.status not in EDITABLE:
        raise _refuse(_("현재 상태(%(state)s)에서는 사례를 고칠 수 없습니다.") % {"state": case.get_status_display()})


# --- Writing --------------------------------------------------------------------------


def case_create(
    *,
    actor: Actor,
    unit: Unit,
    title: str,
    policy_field: str,
    year: int,
    problem: str = "",
    action: str = "",
    result: str = "",
    rule_improved: str = "",
    beneficiaries: str = "",
    officials: Sequence[Person] = (),
    work_item: WorkItem | None = None,
) -> BestPractice:
    """A staff official writes a case (state draft)."""
    if actor.institution_id is None or actor.user is None or not is_writer(actor):
        raise _refuse(_("소속 기관의 공무원만 사례를 작성할 수 있습니다."))
    values = _values(
        actor,
        unit=unit,
        title=title,
        problem=problem,
        action=action,
        result=result,
        rule_improved=rule_improved,
        beneficiaries=beneficiaries,
        policy_field=policy_field,
        year=year,
        work_item=work_item,
    )
    people = _people(actor, officials)
    with transaction.atomic():
        case = BestPractice.objects.create(institution_id=actor.institution_id, author=actor.user, **values)
        case.officials.set(people)
        audit.record(
            actor=actor,
            action="library.created",
            target=case,
            changes={**audit.snapshot(case, FIELDS), "officials": _names(people)},
        )
    return case


def case_update(
    *,
    actor: Actor,
    case: BestPractice,
    unit: Unit,
    title: str,
    policy_field: str,
    year: int,
    problem: str = "",
    action: str = "",
    result: str = "",
    rule_improved: str = "",
    beneficiaries: str = "",
    officials: Sequence[Person] = (),
    work_item: WorkItem | None = None,
) -> BestPractice:
    """The author changes a draft (also one sent back or taken off the portal)."""
    values = _values(
        actor,
        unit=unit,
        title=title,
        problem=problem,
        action=action,
        result=result,
        rule_improved=rule_improved,
        beneficiaries=beneficiaries,
        policy_field=policy_field,
        year=year,
        work_item=work_item,
    )
    people = _people(actor, officials)
    with transaction.atomic():
        current = _lock(case)
        _check_editable(actor, current)
        before = list(current.officials.all())
        extra: dict[str, Any] = {}
        if {p.pk for p in before} != {p.pk for p in people}:
            extra["officials"] = [_names(before), _names(people)]
            current.officials.set(people)
        audit.save_changes(current, values, fields=FIELDS, actor=actor, action="library.updated", extra=extra)
        search.sync(current)  # a draft's text: the published cases and what is kept of them stay
    _refresh(case, current)
    return current


def images_of(case: BestPractice) -> list[Attachment]:
    return list(files.attachments_for(case, purpose=PURPOSE_IMAGE))


def case_add_image(*, actor: Actor, case: BestPractice, upload: UploadedFile[bytes]) -> Attachment:
    """The author adds a picture (PNG, JPEG, GIF or WebP; stored with a copy without
    metadata, which is the one the portal shows)."""
    with transaction.atomic():
        current = _lock(case)
        _check_editable(actor, current)
        if len(images_of(current)) >= MAX_IMAGES:
            raise DomainError(_("사진은 %(n)d장까지 올릴 수 있습니다.") % {"n": MAX_IMAGES}, field="file")
        if (upload.size or 0) > 0 and (upload.size or 0) <= int(settings.ATTACHMENT_MAX_BYTES):
            detected = files.detect(upload, name=files.safe_filename(upload.name or ""))
            if detected.mime not in files.IMAGE_FORMATS:
                raise DomainError(_("사진(PNG·JPEG·GIF·WebP)만 올릴 수 있습니다."), field="file")
        return files.attach(actor=actor, target=current, upload=upload, purpose=PURPOSE_IMAGE)


def case_remove_image(*, actor: Actor, case: BestPractice, attachment: Attachment) -> None:
    """The author takes a picture off a draft (the file is deleted; the log keeps its record)."""
    with transaction.atomic():
        current = _lock(case)
        _check_editable(actor, current)
        found = files.attachments_for(current, purpose=PURPOSE_IMAGE).filter(pk=attachment.pk).first()
        if found is None:
            raise DomainError(_("이 사례의 사진이 아닙니다."), field="file")
        audit.record(
            actor=actor,
            action="library.image_removed",
            target=current,
            changes={"attachment": found.pk, "filename": found.filename, "sha256": found.sha256},
        )
        stored = [f for f in (found.file, found.clean_file) if f]
        found.delete()

        def remove_files() -> None:
            for stored_file in stored:
                stored_file.delete(save=False)

        transaction.on_commit(remove_files)


# --- The review workflow --------------------------------------------------------------


def _reviewers(case: BestPractice) -> list[Any]:
    return [u for u in notifications.users_with_roles(case.institution_id, *REVIEW_ROLES) if u.pk != case.author_id]


def _tell(recipients: Any, case: BestPractice, title: str, body: str = "") -> None:
    notifications.notify(
        recipients=recipients,
        title=f"{title}: {case.title}"[:200],
        body=body,
        url=case.get_absolute_url(),
        institution=case.institution,
    )


def _apply(actor: Actor, case: BestPractice, action: str, *, reason: str = "", **values: Any) -> BestPractice:
    with transaction.atomic():
        current = _lock(case)
        was_published = current.status == BestPractice.Status.PUBLISHED
        for name, value in values.items():
            setattr(current, name, value)
        LIBRARY.apply(
            current,
            action,
            actor=actor,
            roles=case_roles(actor, current),
            reason=reason.strip(),
            update_fields=list(values),
        )
        search.sync(current)
        if was_published or current.status == BestPractice.Status.PUBLISHED:
            selectors.forget_published_years()  # published or unpublished: the years and windows anew
    _refresh(case, current)
    return current


def case_submit(*, actor: Actor, case: BestPractice) -> BestPractice:
    """The author sends the case to review."""
    current = _apply(actor, case, "submit", submitted_at=timezone.now(), return_reason="")
    _tell(_reviewers(current), current, _("적극행정 우수사례 검토 요청"))
    return current


def case_withdraw(*, actor: Actor, case: BestPractice) -> BestPractice:
    """The author takes the case back from review to change it."""
    return _apply(actor, case, "withdraw")


def case_publish(*, actor: Actor, case: BestPractice) -> BestPractice:
    """A reviewer approves the case: it is published on the portal at once."""
    current = _apply(actor, case, "publish", reviewer=actor.user, published_at=timezone.now(), return_reason="")
    _tell([current.author], current, _("적극행정 우수사례가 공개되었습니다"))
    return current


def case_return(*, actor: Actor, case: BestPractice, reason: str) -> BestPractice:
    """A reviewer sends the case back to its author with a reason."""
    current = _apply(actor, case, "return", reason=reason, reviewer=actor.user, return_reason=reason.strip())
    _tell([current.author], current, _("적극행정 우수사례 보완 요청"), reason.strip())
    return current


def case_unpublish(*, actor: Actor, case: BestPractice, reason: str) -> BestPractice:
    """A reviewer takes a published case off the portal (back to its author as a draft)."""
    current = _apply(
        actor, case, "unpublish", reason=reason, reviewer=actor.user, published_at=None, return_reason=reason.strip()
    )
    _tell([current.author], current, _("적극행정 우수사례 공개 중단"), reason.strip())
    return current


# --- Public reading -------------------------------------------------------------------


def record_view(*, case: BestPractice, visitor: str, on: datetime.date | None = None) -> bool:
    """Count one reading of a published case, once a day per visitor. `visitor` is an
    opaque key the caller derived (a keyed hash; never stored in the database); the cache
    remembers it for a day. Whether the reading was counted."""
    on = on or timezone.localdate()
    key = f"library:viewed:{on.isoformat()}:{case.pk}:{visitor}"
    if not cache.add(key, 1, VIEW_WINDOW_SECONDS):
        return False
    BestPractice.objects.filter(pk=case.pk, status=BestPractice.Status.PUBLISHED).update(view_count=F("view_count") + 1)
    return True
