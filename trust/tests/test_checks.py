"""The checks of `python -m trust` find what they are meant to find: a lost submission, a
copy, an e-mail sent twice, a service that did not come back."""

from __future__ import annotations

import pytest

from recommendations.tests.factories import submit as recommend
from reports.models import ReportMessage
from reports.tests.factories import submit as report
from tests.cast import Cast
from trust.clients import Ack
from trust.phases import MESSAGE_ID, copies, lost, recovery


def test_recovery_is_measured_from_the_fault_to_the_first_good_answer_after_the_last_bad_one() -> None:
    answers = [(9.0, True), (10.5, False), (11.0, True), (11.5, False), (13.0, True), (14.0, True)]
    assert recovery(answers, 10.0) == 3.0
    assert recovery([(9.0, True), (12.0, True)], 10.0) == 0.0
    assert recovery([(10.5, False), (11.0, False)], 10.0) is None


def test_the_message_id_of_a_notification_is_found_in_the_workers_log() -> None:
    log = "Subject: x\nMessage-ID: <notification-12@proactive.example.go.kr>\n\nbody\nMessage-ID: <other@x>\n"
    assert MESSAGE_ID.findall(log) == ["12"]


@pytest.mark.django_db
def test_lost_and_copied_submissions_are_found(cast: Cast) -> None:
    kept, code = report(cast.district, what="신고 내용 TRUST-L-report-1-1")
    report(cast.district, what="신고 내용 TRUST-L-report-1-2")
    report(cast.district, what="같은 신고 TRUST-L-report-1-2")  # a copy
    _rec, rec_code = recommend(cast.district, what="추천 내용 TRUST-L-rec-2-1")
    ReportMessage.objects.create(report=kept, direction=ReportMessage.Direction.FROM_REPORTER, body="TRUST-L-msg-1-3")
    acks = [
        Ack("report", "TRUST-L-report-1-1", code),
        Ack("report", "TRUST-L-report-1-9", code),  # acknowledged, never stored
        Ack("recommendation", "TRUST-L-rec-2-1", rec_code),
        Ack("recommendation", "TRUST-L-rec-2-1", code),  # the wrong receipt
        Ack("message", "TRUST-L-msg-1-3", code),
        Ack("message", "TRUST-L-msg-1-4", code),
    ]
    assert lost(acks) == [
        f"report TRUST-L-report-1-9 {code}",
        f"recommendation TRUST-L-rec-2-1 {code}",
        f"message TRUST-L-msg-1-4 {code}",
    ]
    reports, recs, messages = copies("L")
    assert reports == {"TRUST-L-report-1-1": 1, "TRUST-L-report-1-2": 2}
    assert recs == {"TRUST-L-rec-2-1": 1}
    assert messages == {"TRUST-L-msg-1-3": 1}
