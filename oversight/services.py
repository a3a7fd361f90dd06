"""Asking for a periodic check report, and the background task's steps (ADR 0024)."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import audit
from core.access import SYSTEM, Actor
from core.errors import DomainError
from oversight import selectors
from oversight.models import CheckReport
from oversight.period import Period
from oversight.workflow import REPORT

logger = logging.getLogger(__name__)

#: reports one institution may have waiting or running at once
MAX_ACTIVE = 3
#: a report still waiting or running after this long lost its worker (killed, out of memory)
STALE_AFTER = datetime.timedelta(minutes=30)


def request_report(*, actor: Actor, period: Period, scope: str) -> CheckReport:
    """Queue a check report of the actor's institution (or of the institutions below it)."""
    if actor.institution_id is None:
        raise DomainError(_("기관에 속한 계정만 점검 보고서를 요청할 수 있습니다."))
    if scope == CheckReport.Scope.SUBORDINATES:
        if not selectors.may_compare(actor):
            raise DomainError(_("하위 기관 비교 보고서는 상급(감독)기관 담당자만 요청할 수 있습니다."), field="scope")
    elif scope == CheckReport.Scope.INSTITUTION:
        if not selectors.may_see_dashboard(actor):
            raise DomainError(_("기관 점검 보고서는 기관장과 적극행정 책임관만 요청할 수 있습니다."), field="scope")
    else:
        raise DomainError(_("보고서 범위를 골라 주십시오."), field="scope")
    if period.start > timezone.localdate():
        raise DomainError(_("아직 시작하지 않은 기간의 보고서는 만들 수 없습니다."), field="period")
    fail_stale(institution_id=actor.institution_id)
    with transaction.atomic():
        waiting = [CheckReport.Status.QUEUED, CheckReport.Status.RUNNING]
        mine = CheckReport.objects.select_for_update().filter(institution_id=actor.institution_id)
        active = len(mine.filter(status__in=waiting).values_list("pk", flat=True))
        if active >= MAX_ACTIVE:
            message = _("작성 중인 보고서가 이미 %(n)d건 있습니다. 끝난 뒤에 다시 요청해 주십시오.")
            raise DomainError(message % {"n": active})
        report = CheckReport.objects.create(
            institution_id=actor.institution_id,
            scope=scope,
            period=period.key,
            requested_by=actor.user,
            language=translation.get_language() or "ko",
        )
        audit.record(
            actor=actor,
            action="check_report.requested",
            target=report,
            changes={"period": period.key, "scope": scope},
        )
        transaction.on_commit(lambda: _enqueue(report.pk))
    return report


def fail_stale(*, institution_id: int | None = None) -> int:
    """End the reports whose worker vanished (waiting or running for over STALE_AFTER) as
    failed, so they neither spin on the page nor block new requests. Returns how many."""
    cutoff = timezone.now() - STALE_AFTER
    stale = CheckReport.objects.filter(
        status__in=[CheckReport.Status.QUEUED, CheckReport.Status.RUNNING], created_at__lt=cutoff
    )
    if institution_id is not None:
        stale = stale.filter(institution_id=institution_id)
    count = 0
    for report in stale.order_by("pk")[:100]:
        with transaction.atomic():
            locked = CheckReport.objects.select_for_update().get(pk=report.pk)
            if locked.status not in (CheckReport.Status.QUEUED, CheckReport.Status.RUNNING):
                continue
            locked.error = f"stale: no worker finished it within {STALE_AFTER}"
            locked.finished_at = timezone.now()
            REPORT.apply(locked, "fail", actor=SYSTEM, roles={"system"}, update_fields=["error", "finished_at"])
            count += 1
    return count


def _enqueue(report_id: int) -> None:
    from oversight.tasks import build_check_report

    build_check_report.enqueue(report_id)


def build(report_id: int) -> CheckReport:
    """The task's body: figures section by section (progress saved after each), then the files."""
    from oversight import documents

    report = CheckReport.objects.select_related("institution").get(pk=report_id)
    if report.status != CheckReport.Status.QUEUED:
        return report  # a retried or duplicated task: the first one owns the report
    REPORT.apply(report, "start", actor=SYSTEM, roles={"system"})
    try:
        with translation.override(report.language):
            content = documents.collect(report, progress=lambda pct, step: _progress(report, pct, step))
            _progress(report, 90, _("파일을 만드는 중"))
            pdf = documents.pdf(report, content)
            xlsx = documents.xlsx(report, content)
            name = documents.filename(report, content)
        with transaction.atomic():
            report.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
            report.xlsx.save(f"{name}.xlsx", ContentFile(xlsx), save=False)
            report.percent = 100
            report.step = ""
            report.finished_at = timezone.now()
            report.institutions_count = len(content.institutions)
            REPORT.apply(
                report,
                "finish",
                actor=SYSTEM,
                roles={"system"},
                update_fields=["pdf", "xlsx", "percent", "step", "finished_at", "institutions_count"],
            )
    except Exception as exc:  # any failure ends in a failed report, never a stuck one
        logger.exception("check report %s failed", report_id)
        report.refresh_from_db()
        report.error = f"{type(exc).__name__}: {exc}"[:2000]
        report.finished_at = timezone.now()
        if report.status in (CheckReport.Status.QUEUED, CheckReport.Status.RUNNING):
            REPORT.apply(report, "fail", actor=SYSTEM, roles={"system"}, update_fields=["error", "finished_at"])
    return report


def _progress(report: CheckReport, percent: int, step: Any) -> None:
    """Progress is written outside any transaction, so the page polling it sees it at once."""
    CheckReport.objects.filter(pk=report.pk).update(percent=min(max(int(percent), 0), 99), step=str(step)[:200])
