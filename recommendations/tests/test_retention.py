"""The recommender's name and contact are erased once the retention period is over."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from core.access import actor_for
from core.models import AuditEntry
from core.scheduler import registered
from recommendations import services
from recommendations.models import Recommendation
from recommendations.tests.factories import submit
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def test_erase_after_retention_also_for_undecided(cast: Cast) -> None:
    from institutions.selectors import policy_of

    policy = policy_of(cast.district)
    policy.recommender_retention_days = 30
    policy.save()
    officer = actor_for(cast.aa_officer)
    never_decided, _ = submit(cast.district, recommender_phone="010-1111-2222")
    assert never_decided.retain_until == datetime.date(2026, 7, 15)  # the fallback at submission
    decided, _ = submit(cast.district)
    with time_machine.travel(datetime.datetime(2026, 7, 1, 3, tzinfo=datetime.UTC), tick=False):
        decided = services.reject(actor=officer, rec=decided, reason="감사 인사입니다.")
    assert decided.retain_until == datetime.date(2026, 7, 31)  # the decision resets it
    assert services.erase_expired_contacts() == 0
    assert services.erase_expired_contacts(datetime.date(2026, 7, 15)) == 0  # the last day is still kept
    with time_machine.travel(datetime.datetime(2026, 7, 16, 3, tzinfo=datetime.UTC), tick=False):
        assert services.erase_expired_contacts() == 1
        assert services.erase_expired_contacts() == 0  # idempotent
    never_decided.refresh_from_db()
    assert (never_decided.recommender_name, never_decided.recommender_email, never_decided.recommender_phone) == (
        "",
        "",
        "",
    )
    assert never_decided.recommender_erased_at is not None
    decided.refresh_from_db()
    assert decided.recommender_name == "김추천"
    assert decided.decision_reason == "감사 인사입니다."
    assert services.erase_expired_contacts(datetime.date(2026, 8, 1)) == 1
    entries = list(AuditEntry.objects.filter(action="recommendation.contact_erased").order_by("seq"))
    assert [e.target_id for e in entries] == [str(never_decided.pk), str(decided.pk)]
    for entry in entries:
        assert entry.target_type == "recommendations.recommendation"
        text = str(entry.changes) + entry.target_label + entry.reason
        assert "김추천" not in text
        assert "rec@example.com" not in text
        assert "010-1111-2222" not in text


def test_erase_runs_in_batches_audited_inside_each(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    officer = actor_for(cast.aa_officer)
    for _ in range(5):
        rec, _code = submit(cast.district)
        services.reject(actor=officer, rec=rec, reason="확인 불가")
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
        services.erase_expired_contacts(datetime.date(2030, 1, 1))
    # the first batch committed with its audit entries; the second rolled back with its audit
    assert Recommendation.objects.filter(recommender_name="").count() == 2
    assert AuditEntry.objects.filter(action=services.ERASE_ACTION).count() == 2
    monkeypatch.setattr(services.audit, "record", real_record)
    assert services.erase_expired_contacts(datetime.date(2030, 1, 1)) == 3
    assert not Recommendation.objects.exclude(recommender_name="").exists()
    assert AuditEntry.objects.filter(action=services.ERASE_ACTION).count() == 5


def test_erase_is_a_daily_periodic_task() -> None:
    periodic = {p.name: p for p in registered()}["recommendation_contact_erasure"]
    assert periodic.every_seconds == 24 * 60 * 60


def test_erased_contact_shown_as_erased(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    rec, _ = submit(cast.district)
    services.reject(actor=actor_for(cast.aa_officer), rec=rec, reason="확인 불가")
    services.erase_expired_contacts(datetime.date(2030, 1, 1))
    body = client_for("aa_officer").get(rec.get_absolute_url()).content.decode()
    assert "보관기간이 지나 파기됨" in body
    assert "rec@example.com" not in body
