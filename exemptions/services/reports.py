"""The quarterly report of exemptions to the higher audit body (DOMAIN.md §7: within 10
days after the quarter, a policy setting) and its deadline."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.access import Actor
from core.deadlines import deadline_close, deadline_for, deadline_open
from core.errors import DomainError
from core.roles import AUDIT_ROLES
from exemptions.models import QuarterlyReport
from exemptions.selectors import previous_quarter, quarter_bounds
from exemptions.services.common import clean_line, today
from institutions.models import Institution, Policy

KIND = "exemption_quarterly_report"
DEFAULT_DAYS = Policy._meta.get_field("exemption_report_days_after_quarter").get_default()


def report_url(year: int, quarter: int) -> str:
    return reverse("exemptions:report", kwargs={"year": year, "quarter": quarter})


def report_label(year: int, quarter: int) -> str:
    return _("면책 분기 보고 %(year)d년 %(quarter)d분기") % {"year": year, "quarter": quarter}


def report_due_on(institution: Institution, year: int, quarter: int) -> datetime.date:
    policy = getattr(institution, "policy", None)
    days = policy.exemption_report_days_after_quarter if policy is not None else DEFAULT_DAYS
    return quarter_bounds(year, quarter)[1] + datetime.timedelta(days=days)


def _open_deadline(report: QuarterlyReport, institution: Institution) -> None:
    ends = quarter_bounds(report.year, report.quarter)[1]
    deadline_open(
        target=report,
        kind=KIND,
        working_days=1,  # ignored: the period is fixed in calendar days (due_on)
        label=report_label(report.year, report.quarter),
        url=report_url(report.year, report.quarter),
        starts_on=ends,
        due_on=report_due_on(institution, report.year, report.quarter),
    )


def ensure_quarterly_reports(on: datetime.date | None = None) -> int:
    """Give every active institution the report of the quarter just ended, with its
    deadline (reminders then come from core.deadlines). Idempotent: a run that finds every
    report in place costs one query. Returns how many reports it created."""
    year, quarter = previous_quarter(on or today())
    existing = QuarterlyReport.objects.filter(year=year, quarter=quarter).values("institution_id")
    missing = list(
        Institution.objects.filter(is_active=True).exclude(pk__in=existing).select_related("policy").order_by("pk")
    )
    if not missing:
        return 0
    with transaction.atomic():
        QuarterlyReport.objects.bulk_create(
            [QuarterlyReport(institution=i, year=year, quarter=quarter) for i in missing], ignore_conflicts=True
        )
        created = {
            r.institution_id: r
            for r in QuarterlyReport.objects.filter(
                year=year, quarter=quarter, institution_id__in=[i.pk for i in missing]
            )
        }
        for institution in missing:
            report = created.get(institution.pk)
            if report is None:
                continue
            try:
                _open_deadline(report, institution)
            except DomainError:  # a concurrent run opened it a moment ago
                continue
    return len(missing)


def quarterly_report_submit(*, actor: Actor, year: int, quarter: int, reference: str) -> QuarterlyReport:
    """The audit side records that the quarter's report went to the higher audit body (with
    the reference of the sending document); this closes the report's deadline."""
    if actor.institution_id is None or not actor.has(*AUDIT_ROLES):
        raise DomainError(_("감사부서만 분기 보고를 제출 처리할 수 있습니다."))
    reference = clean_line(reference)
    if not reference:
        raise DomainError(_("제출한 문서의 번호를 적어 주십시오."), field="reference")
    if len(reference) > 100:
        raise DomainError(_("문서번호는 100자까지 적을 수 있습니다."), field="reference")
    if today() <= quarter_bounds(year, quarter)[1]:
        raise DomainError(_("분기가 끝난 뒤에 제출할 수 있습니다."))
    with transaction.atomic():
        QuarterlyReport.objects.bulk_create(
            [QuarterlyReport(institution_id=actor.institution_id, year=year, quarter=quarter)], ignore_conflicts=True
        )
        report = (
            QuarterlyReport.objects.select_for_update()
            .select_related("institution")
            .get(institution_id=actor.institution_id, year=year, quarter=quarter)
        )
        if report.submitted_at is not None:
            raise DomainError(_("이미 제출한 분기 보고입니다."))
        report.submitted_at = timezone.now()
        report.submitted_by = actor.user
        report.reference = reference
        report.save(update_fields=["submitted_at", "submitted_by", "reference", "updated_at"])
        deadline = deadline_for(report, KIND)
        if deadline is not None:
            deadline_close(deadline=deadline, at=report.submitted_at)
        audit.record(
            actor=actor,
            action="exemption.quarterly_report_submitted",
            target=report,
            changes={"year": year, "quarter": quarter, "reference": reference},
        )
    return report
