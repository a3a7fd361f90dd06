"""An identified reporter's name and contact are erased once the retention period after
closing is over; the report, its messages, its timeline and the audit chain stay (ADR 0026)."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from core import audit
from core.access import actor_for
from core.models import AuditEntry
from core.scheduler import registered
from institutions import policy_rules
from institutions.selectors import policy_of
from reports import services, tasks
from reports.models import Report
from reports.tests.factories import submit
from tests.cast import Cast

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE = "홍신고", "hong.reporter@example.com", "010-3333-4444"


def _at(day: datetime.date) -> time_machine.travel:
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(3), tzinfo=datetime.UTC), tick=False)


def _identified(cast: Cast) -> Report:
    report, _code = submit(
        cast.district, anonymous=False, reporter_name=NAME, reporter_email=EMAIL, reporter_phone=PHONE
    )
    return report


def _closed(cast: Cast, report: Report, on: datetime.date) -> Report:
    officer = actor_for(cast.aa_officer)
    with _at(on):
        services.investigate(actor=officer, report=report)
        services.send_message(actor=officer, report=report, body="조사를 시작했습니다.")
        return services.close(
            actor=officer,
            report=report,
            outcome=Report.Outcome.CORRECTED,
            result_text="바로잡았습니다.",
            officials=[cast.official.person],
        )


def test_contact_erased_after_the_period_while_case_timeline_and_chain_stay(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    policy = policy_of(cast.district)
    policy.reporter_retention_days = 30
    policy.save()
    report = _identified(cast)
    assert report.retain_until == datetime.date(2026, 7, 15)  # submitted on TODAY: the fallback
    anonymous, _code = submit(cast.district, reporter_email="typed.anyway@example.com")
    assert (anonymous.reporter_email, anonymous.retain_until) == ("", None)
    report = _closed(cast, report, datetime.date(2026, 7, 1))
    anonymous = _closed(cast, anonymous, datetime.date(2026, 7, 1))
    assert report.retain_until == datetime.date(2026, 7, 31)  # the closing resets it
    assert anonymous.retain_until is None  # nothing to keep, nothing to erase
    timeline_before = [(e.pk, e.action) for e in audit.timeline(report)]
    assert services.erase_expired_contacts(datetime.date(2026, 7, 31)) == 0  # the last day is still kept
    assert Report.objects.get(pk=report.pk).reporter_email == EMAIL

    with _at(datetime.date(2026, 8, 1)):
        assert services.erase_expired_contacts() == 1
        assert services.erase_expired_contacts() == 0  # idempotent

    report.refresh_from_db()
    assert (report.reporter_name, report.reporter_email, report.reporter_phone) == ("", "", "")
    assert report.reporter_erased_at is not None
    # the case stays whole
    assert (report.status, report.outcome, report.result_text) == ("closed", "corrected", "바로잡았습니다.")
    assert list(report.officials.all()) == [cast.official.person]
    assert report.messages.get().body == "조사를 시작했습니다."
    timeline_after = [(e.pk, e.action) for e in audit.timeline(report)]
    assert timeline_after[:-1] == timeline_before
    assert timeline_after[-1][1] == services.ERASE_ACTION
    assert audit.action_label(services.ERASE_ACTION) == "신고인 개인정보 파기"
    # the chain is intact, and no entry ever held the personal data
    assert audit.verify_all()[1] is None
    for entry in AuditEntry.objects.all():
        text = f"{entry.changes} {entry.target_label} {entry.reason} {entry.actor_label}"
        assert [part for part in (NAME, EMAIL, PHONE) if part in text] == []
    erase = AuditEntry.objects.get(action=services.ERASE_ACTION)
    assert (erase.target_type, erase.target_id, erase.actor_id) == ("reports.report", str(report.pk), None)
    assert erase.changes == {"before": "2026-08-01"}
    body = client_for("aa_officer").get(report.get_absolute_url()).content.decode()
    assert "보관기간이 지나 파기됨" in body
    assert EMAIL not in body


def test_review_request_keeps_the_contact_until_the_next_closing(cast: Cast) -> None:
    report = _closed(cast, _identified(cast), datetime.date(2026, 7, 1))
    assert report.retain_until == datetime.date(2026, 7, 1) + datetime.timedelta(days=1095)
    with _at(datetime.date(2029, 6, 20)):
        report = services.request_review(report=report, reason="동의하지 않습니다.")
    assert report.retain_until == datetime.date(2029, 6, 20) + datetime.timedelta(days=1095)
    # the old period has passed, but the report is being handled again: kept
    assert services.erase_expired_contacts(datetime.date(2029, 7, 2)) == 0
    assert Report.objects.get(pk=report.pk).reporter_email == EMAIL


def test_not_passive_closing_also_starts_the_period(cast: Cast) -> None:
    report = _identified(cast)
    with _at(datetime.date(2026, 6, 20)):
        report = services.not_passive(actor=actor_for(cast.aa_officer), report=report, reason="법령에 따른 처리입니다.")
    assert report.retain_until == datetime.date(2026, 6, 20) + datetime.timedelta(days=1095)
    assert services.erase_expired_contacts(report.retain_until + datetime.timedelta(days=1)) == 1


def test_erase_runs_in_batches_each_audited_inside_its_transaction(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(3):
        _identified(cast)
    monkeypatch.setattr("portal.public.ERASE_BATCH", 2)
    real_record = services.audit.record
    calls = {"n": 0}

    def failing_third(**kwargs: object) -> object:
        if kwargs.get("action") == services.ERASE_ACTION:
            calls["n"] += 1
            if calls["n"] == 3:
                raise RuntimeError("audit down")
        return real_record(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services.audit, "record", failing_third)
    with pytest.raises(RuntimeError):
        services.erase_expired_contacts(datetime.date(2035, 1, 1))
    # the first batch committed with its entries; the second rolled back with its entry
    assert Report.objects.filter(reporter_email="").count() == 2
    assert AuditEntry.objects.filter(action=services.ERASE_ACTION).count() == 2
    monkeypatch.setattr(services.audit, "record", real_record)
    assert services.erase_expired_contacts(datetime.date(2035, 1, 1)) == 1
    assert not Report.objects.exclude(reporter_email="").exists()
    assert audit.verify_all()[1] is None


def test_erase_is_a_daily_periodic_task(cast: Cast) -> None:
    periodic = {p.name: p for p in registered()}["report_contact_erasure"]
    assert periodic.every_seconds == 24 * 60 * 60
    assert periodic.task is tasks.erase_expired_reporter_contacts
    report = _identified(cast)
    assert report.retain_until is not None
    with _at(report.retain_until + datetime.timedelta(days=1)):
        assert tasks.erase_expired_reporter_contacts.enqueue().return_value == 1
    assert Report.objects.get(pk=report.pk).reporter_erased_at is not None


@pytest.mark.parametrize(("value", "ok"), [(29, False), (30, True), (3650, True), (3651, False)])
def test_the_period_is_a_bounded_policy_setting(value: int, ok: bool) -> None:
    errors = policy_rules.validate({"reporter_retention_days": value})
    assert ("reporter_retention_days" not in errors) is ok
    assert "reporter_retention_days" in next(g.fields for g in policy_rules.GROUPS if g.key == "privacy")
