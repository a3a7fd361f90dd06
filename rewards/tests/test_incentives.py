"""Incentives of selected officials and commendations: the service rules, the deadline
(reminders and the dashboards of HR and the AA officer) and the pages (ADR 0021)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import deadlines
from core.access import actor_for
from core.errors import DomainError, TransitionNotAllowed
from core.files import attachments_for
from core.models import Notification
from rewards import services
from rewards.models import Candidate, Commendation, Incentive, Round
from rewards.tests import factories as f
from rewards.tests.conftest import TODAY
from rewards.workflow import COMMITTEE, HR, INCENTIVE, ORGANISER
from tests.cast import Cast

pytestmark = pytest.mark.django_db

K = Incentive.Kind
S = Incentive.Status
DAY = datetime.timedelta(days=1)


def plan(cast: Cast, candidate: Candidate, kind: str = K.SPECIAL_PROMOTION, **kwargs: Any) -> Incentive:
    values: dict[str, Any] = {"due_on": TODAY + 30 * DAY, "responsible": cast.users["hr_officer"]}
    values.update(kwargs)
    return services.plan_incentive(actor=f.organiser(cast), candidate=candidate, kind=kind, **values)


def hr(cast: Cast) -> Any:
    return actor_for(cast.users["hr_officer"])


def execute(cast: Cast, incentive: Incentive, **kwargs: Any) -> Incentive:
    values: dict[str, Any] = {"executed_on": TODAY, "reference": "인사발령 제2026-7호"}
    values.update(kwargs)
    return services.execute_incentive(actor=hr(cast), incentive=incentive, **values)


def evidence(name: str = "발령문.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence", content_type="application/pdf")


# --- Workflow ---------------------------------------------------------------------------


def test_incentive_transition_table() -> None:
    allowed = {(s, a, r) for s, a, r, ok in INCENTIVE.table() if ok}
    assert allowed == {
        (S.PLANNED, "execute", HR),
        (S.PLANNED, "cancel", ORGANISER),
        (S.PLANNED, "cancel", HR),
    }
    refused = {(s, a, r) for s, a, r, ok in INCENTIVE.table() if not ok}
    assert (S.EXECUTED, "execute", HR) in refused
    assert (S.PLANNED, "execute", ORGANISER) in refused
    assert (S.CANCELLED, "cancel", HR) in refused
    assert all(r != COMMITTEE for s, a, r in allowed)


# --- Planning ---------------------------------------------------------------------------


def test_plan_opens_a_deadline_and_tells_the_responsible(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    (candidate,) = f.selected_candidates(cast)
    with django_capture_on_commit_callbacks(execute=True):
        incentive = plan(cast, candidate, detail="6급 → 5급")
    assert incentive.status == S.PLANNED
    assert incentive.person_id == candidate.person_id
    assert incentive.is_major
    deadline = services.deadline_of(incentive)
    assert deadline is not None
    assert deadline.due_on == incentive.due_on
    assert deadline.unit_id is None  # institution-wide: HR and the AA officer see it by its kind
    assert Notification.objects.filter(recipient=cast.users["hr_officer"], url=incentive.get_absolute_url()).exists()


def test_plan_only_for_a_selected_official(cast: Cast) -> None:
    _round, _chosen, others = f.decided_round(cast)
    with pytest.raises(TransitionNotAllowed):
        plan(cast, others[0])
    assert not Incentive.objects.exists()


def test_plan_only_by_an_organiser_of_the_institution(cast: Cast) -> None:
    (candidate,) = f.selected_candidates(cast)
    for name in ("official", "member", "aa_officer_b"):
        with pytest.raises(TransitionNotAllowed):
            services.plan_incentive(
                actor=actor_for(cast.users[name]), candidate=candidate, kind=K.TOP_BONUS, due_on=TODAY + DAY
            )


def test_only_an_hr_officer_is_responsible(cast: Cast) -> None:
    (candidate,) = f.selected_candidates(cast)
    with pytest.raises(DomainError) as caught:
        plan(cast, candidate, responsible=cast.users["official"])
    assert caught.value.field == "responsible"
    with pytest.raises(DomainError):
        plan(cast, candidate, responsible=cast.users["aa_officer"])


def test_the_same_kind_twice_is_refused_until_cancelled(cast: Cast) -> None:
    (candidate,) = f.selected_candidates(cast)
    first = plan(cast, candidate)
    with pytest.raises(DomainError) as caught:
        plan(cast, candidate)
    assert caught.value.field == "kind"
    plan(cast, candidate, kind=K.REWARD_LEAVE)  # another kind is fine
    services.cancel_incentive(actor=f.organiser(cast), incentive=first, reason="인사 일정 변경")
    assert plan(cast, candidate).status == S.PLANNED


def test_past_due_date_refused_today_accepted(cast: Cast) -> None:
    (candidate,) = f.selected_candidates(cast)
    with pytest.raises(DomainError) as caught:
        plan(cast, candidate, due_on=TODAY - DAY)
    assert caught.value.field == "due_on"
    with pytest.raises(DomainError):
        plan(cast, candidate, due_on=None)
    with pytest.raises(DomainError):
        plan(cast, candidate, kind="nonsense")
    due_today = plan(cast, candidate, due_on=TODAY)
    deadline = services.deadline_of(due_today)
    assert deadline is not None
    assert deadline.due_on == TODAY


# --- Execution and cancellation --------------------------------------------------------------


def test_execute_once_with_evidence_closes_the_deadline(cast: Cast) -> None:
    (candidate,) = f.selected_candidates(cast)
    incentive = plan(cast, candidate)
    done = execute(cast, incentive, note="특별승진 임용", uploads=[evidence()])
    assert done.status == S.EXECUTED
    assert done.executed_by == cast.users["hr_officer"]
    assert attachments_for(done, purpose=services.EXECUTION).count() == 1
    deadline = services.deadline_of(done)
    assert deadline is not None
    assert deadline.closed_at is not None
    assert not deadline.closed_late
    with pytest.raises(TransitionNotAllowed):
        execute(cast, done, reference="두 번째")
    done.refresh_from_db()
    assert done.reference == "인사발령 제2026-7호"


def test_execute_only_by_hr_with_a_date_not_in_the_future(cast: Cast) -> None:
    (candidate,) = f.selected_candidates(cast)
    incentive = plan(cast, candidate)
    with pytest.raises(TransitionNotAllowed):
        services.execute_incentive(actor=f.organiser(cast), incentive=incentive, executed_on=TODAY, reference="제1호")
    with pytest.raises(DomainError) as caught:
        execute(cast, incentive, executed_on=TODAY + DAY)
    assert caught.value.field == "executed_on"
    with pytest.raises(DomainError):
        execute(cast, incentive, executed_on=None)
    with pytest.raises(DomainError):
        execute(cast, incentive, reference="")
    with pytest.raises(DomainError):
        execute(cast, incentive, uploads=[evidence(f"{n}.pdf") for n in range(6)])
    incentive.refresh_from_db()
    assert incentive.status == S.PLANNED


def test_cancel_needs_a_reason_and_closes_the_deadline(cast: Cast) -> None:
    (candidate,) = f.selected_candidates(cast)
    incentive = plan(cast, candidate)
    with pytest.raises(DomainError):
        services.cancel_incentive(actor=hr(cast), incentive=incentive, reason="  ")
    cancelled = services.cancel_incentive(actor=hr(cast), incentive=incentive, reason="본인 사양")
    assert cancelled.status == S.CANCELLED
    deadline = services.deadline_of(cancelled)
    assert deadline is not None
    assert deadline.closed_at is not None
    with pytest.raises(TransitionNotAllowed):
        services.cancel_incentive(actor=hr(cast), incentive=cancelled, reason="다시")
    with pytest.raises(TransitionNotAllowed):
        execute(cast, cancelled)


# --- Closing the round ---------------------------------------------------------------------


def test_close_needs_a_major_incentive_for_every_selected_official(cast: Cast) -> None:
    round_, chosen, _others = f.decided_round(cast, (9, 8, 5), selected=2)
    first, second = chosen
    with pytest.raises(TransitionNotAllowed):
        services.round_close(actor=f.organiser(cast), round_=round_)
    plan(cast, first, K.SPECIAL_STEP)
    plan(cast, second, K.REWARD_LEAVE)  # not major
    plan(cast, second, K.COMMENDATION)  # not major either
    with pytest.raises(TransitionNotAllowed) as caught:
        services.round_close(actor=f.organiser(cast), round_=round_)
    assert second.person.name in str(caught.value.message)
    assert first.person.name not in str(caught.value.message)
    major = plan(cast, second, K.EXTRA_POINTS)
    services.cancel_incentive(actor=hr(cast), incentive=major, reason="취소")
    with pytest.raises(TransitionNotAllowed):  # a cancelled major one does not count
        services.round_close(actor=f.organiser(cast), round_=round_)
    plan(cast, second, K.TOP_BONUS)
    closed = services.round_close(actor=f.organiser(cast), round_=round_)
    assert closed.status == Round.Status.CLOSED
    with pytest.raises(TransitionNotAllowed):  # nothing more to plan on a closed round
        plan(cast, first, K.SHORTER_PROMOTION)


# --- Commendations ---------------------------------------------------------------------------


def test_prime_minister_commendation_creates_the_entitlement(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    person = cast.users["official"].person
    with django_capture_on_commit_callbacks(execute=True):
        commendation = services.record_commendation(
            actor=f.organiser(cast),
            person=person,
            level=Commendation.Level.PRIME_MINISTER,
            title="적극행정 유공 국무총리 표창",
            awarded_on=TODAY - 3 * DAY,
        )
    (entitlement,) = commendation.incentives.all()
    assert entitlement.kind == K.SPECIAL_PROMOTION
    assert entitlement.status == S.PLANNED
    assert entitlement.due_on == TODAY + services.ENTITLEMENT_DAYS * DAY
    deadline = services.deadline_of(entitlement)
    assert deadline is not None
    assert deadline.due_on == entitlement.due_on
    assert Notification.objects.filter(recipient=cast.users["hr_officer"], url=entitlement.get_absolute_url()).exists()


def test_lower_commendations_create_no_entitlement(cast: Cast) -> None:
    person = cast.users["official"].person
    for level in (Commendation.Level.MINISTER, Commendation.Level.HEAD):
        commendation = services.record_commendation(
            actor=hr(cast), person=person, level=level, title="표창", awarded_on=TODAY
        )
        assert not commendation.incentives.exists()
    with pytest.raises(DomainError):
        services.record_commendation(actor=hr(cast), person=person, level="emperor", title="표창", awarded_on=TODAY)
    with pytest.raises(DomainError):
        services.record_commendation(
            actor=hr(cast), person=person, level=Commendation.Level.HEAD, title="표창", awarded_on=TODAY + DAY
        )
    with pytest.raises(TransitionNotAllowed):
        services.record_commendation(
            actor=actor_for(cast.users["official"]),
            person=person,
            level=Commendation.Level.HEAD,
            title="표창",
            awarded_on=TODAY,
        )
    with pytest.raises(TransitionNotAllowed):
        services.record_commendation(
            actor=actor_for(cast.users["aa_officer_b"]),
            person=person,
            level=Commendation.Level.HEAD,
            title="표창",
            awarded_on=TODAY,
        )


# --- Reminders and dashboards ------------------------------------------------------------------


def _recipients(incentive: Incentive) -> set[str]:
    return set(
        Notification.objects.filter(url=incentive.get_absolute_url(), title__startswith="처리기한").values_list(
            "recipient__username", flat=True
        )
    )


def test_reminders_reach_the_responsible_hr_officer_and_the_aa_officer(cast: Cast) -> None:
    (candidate,) = f.selected_candidates(cast)
    incentive = plan(cast, candidate, due_on=TODAY + 2 * DAY)
    result = deadlines.send_deadline_reminders(today=TODAY)
    assert result.reminded == 1
    assert _recipients(incentive) == {"hr_officer", "aa_officer"}
    Notification.objects.all().delete()
    late = deadlines.send_deadline_reminders(today=TODAY + 10 * DAY)
    assert late.overdue == 1
    assert _recipients(incentive) == {"hr_officer", "aa_officer"}


def test_overdue_incentive_on_the_dashboards_of_hr_and_the_aa_officer(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    (candidate,) = f.selected_candidates(cast)
    incentive = plan(cast, candidate, due_on=TODAY + 5 * DAY)
    with time_machine.travel(datetime.datetime(2026, 7, 1, 1, tzinfo=datetime.UTC), tick=False):
        for name in ("hr_officer", "aa_officer"):
            page = client_for(name).get(reverse("office:home"))
            deadlines_shown = page.context["deadlines"]
            assert [d.object_id for d in deadlines_shown if d.kind == "incentive"] == [incentive.pk], name
            html = page.content.decode()
            assert incentive.get_absolute_url() in html
            assert "기한 경과" in html
        assert incentive.get_absolute_url() not in client_for("official").get(reverse("office:home")).content.decode()
    execute(cast, incentive)
    assert incentive.get_absolute_url() not in client_for("hr_officer").get(reverse("office:home")).content.decode()


# --- Pages ------------------------------------------------------------------------------------


def test_list_for_organisers_with_filters(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    first, second = f.selected_candidates(cast, 2)
    a = plan(cast, first)
    b = plan(cast, second, K.TOP_BONUS, due_on=TODAY)
    Incentive.objects.filter(pk=b.pk).update(due_on=TODAY - 3 * DAY)
    for name in ("aa_officer", "hr_officer"):
        page = client_for(name).get(reverse("rewards:incentives"))
        assert page.status_code == 200
        assert {i.pk for i in page.context["rows"]} == {a.pk, b.pk}
    client = client_for("aa_officer")
    overdue = client.get(reverse("rewards:incentives"), {"overdue": "on"})
    assert [i.pk for i in overdue.context["rows"]] == [b.pk]
    assert "기한 경과" in overdue.content.decode()
    by_name = client.get(reverse("rewards:incentives"), {"q": first.person.name})
    assert [i.pk for i in by_name.context["rows"]] == [a.pk]
    executed = client.get(reverse("rewards:incentives"), {"status": "executed"})
    assert list(executed.context["rows"]) == []
    bad = client.get(reverse("rewards:incentives"), {"status": "<script>", "q": "x" * 5000, "page": "²"})
    assert bad.status_code == 200
    partial = client.get(reverse("rewards:incentives"), HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    assert client_for("aa_officer_b").get(reverse("rewards:incentives")).context["rows"].__len__() == 0


@pytest.mark.parametrize("name", ["official", "member", "head", "admin", "dept_head", "secretary"])
def test_other_roles_get_404_everywhere(cast: Cast, client_for, name: str) -> None:  # type: ignore[no-untyped-def]
    (candidate,) = f.selected_candidates(cast)
    incentive = plan(cast, candidate)
    client = client_for(name)
    for url in (
        reverse("rewards:incentives"),
        reverse("rewards:incentive", args=[incentive.pk]),
        reverse("rewards:incentive_plan", args=[candidate.pk]),
        reverse("rewards:commendations"),
        reverse("rewards:certificate", args=[candidate.pk]),
        reverse("rewards:round_report_xlsx", args=[candidate.round_id]),
        reverse("rewards:round_report_pdf", args=[candidate.round_id]),
        reverse("rewards:year_report_xlsx", args=[2026]),
        reverse("rewards:year_report_pdf", args=[2026]),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("rewards:incentive_execute", args=[incentive.pk]),
        reverse("rewards:incentive_cancel", args=[incentive.pk]),
        reverse("rewards:incentive_plan", args=[candidate.pk]),
        reverse("rewards:commendations"),
    ):
        assert client.post(url, {}).status_code == 404, url
    incentive.refresh_from_db()
    assert incentive.status == S.PLANNED


def test_other_institution_and_anonymous(cast: Cast, client_for, client) -> None:  # type: ignore[no-untyped-def]
    (candidate,) = f.selected_candidates(cast)
    incentive = plan(cast, candidate)
    other = client_for("aa_officer_b")
    for url in (
        reverse("rewards:incentive", args=[incentive.pk]),
        reverse("rewards:incentive_plan", args=[candidate.pk]),
        reverse("rewards:certificate", args=[candidate.pk]),
        reverse("rewards:round_report_xlsx", args=[candidate.round_id]),
        reverse("rewards:round_report_pdf", args=[candidate.round_id]),
    ):
        assert other.get(url).status_code == 404, url
    assert other.post(reverse("rewards:incentive_cancel", args=[incentive.pk]), {"ca-reason": "x"}).status_code == 404
    assert client.get(reverse("rewards:incentives")).status_code == 302
    assert client.post(reverse("rewards:incentive_cancel", args=[incentive.pk]), {"ca-reason": "x"}).status_code == 302
    incentive.refresh_from_db()
    assert incentive.status == S.PLANNED


def test_bad_ids(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    for raw in ("²", "-1", "9" * 30, "abc"):
        assert client.get(f"/office/rewards/incentives/{raw}/").status_code == 404, raw
        assert client.get(f"/office/rewards/candidates/{raw}/incentives/new/").status_code == 404, raw
        assert client.get(f"/office/rewards/rounds/{raw}/report.xlsx").status_code == 404, raw
    assert client.get("/office/rewards/reports/99999.xlsx").status_code == 404
    assert client.get("/office/rewards/reports/1999.pdf").status_code == 404


def test_plan_through_the_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _round, chosen, others = f.decided_round(cast)
    (candidate,) = chosen
    client = client_for("aa_officer")
    url = reverse("rewards:incentive_plan", args=[candidate.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert candidate.person.name in page.content.decode()
    missing = client.post(url, {"kind": "special_step", "detail": "<script>alert(1)</script>"})
    assert missing.status_code == 400
    html = missing.content.decode()
    assert 'id="id_due_on_error"' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    past = client.post(url, {"kind": "special_step", "due_on": "2026-06-01"})
    assert "오늘 이후" in past.content.decode()
    not_hr = client.post(
        url, {"kind": "special_step", "due_on": "2026-07-01", "responsible": str(cast.users["official"].pk)}
    )
    assert not_hr.status_code == 400
    assert 'id="id_responsible_error"' in not_hr.content.decode()
    huge = client.post(url, {"kind": "special_step", "due_on": "2026-07-01", "detail": "가" * 5000})
    assert huge.status_code == 400
    assert 'id="id_detail_error"' in huge.content.decode()
    bad_date = client.post(url, {"kind": "special_step", "due_on": "2026-02-31"})
    assert bad_date.status_code == 400
    ok = client.post(
        url,
        {
            "kind": "special_step",
            "due_on": "2026-07-01",
            "responsible": str(cast.users["hr_officer"].pk),
            "detail": "1호봉",
        },
    )
    incentive = Incentive.objects.get()
    assert ok.status_code == 302
    assert ok["Location"] == incentive.get_absolute_url()
    again = client.post(url, {"kind": "special_step", "due_on": "2026-07-01"})
    assert 'id="id_kind_error"' in again.content.decode()
    refused = client.post(
        reverse("rewards:incentive_plan", args=[others[0].pk]), {"kind": "top_bonus", "due_on": "2026-07-01"}
    )
    assert refused.status_code == 400
    assert "선발된 공무원에게만" in refused.content.decode()
    assert Incentive.objects.count() == 1


def test_execute_and_cancel_through_the_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    first, second = f.selected_candidates(cast, 2)
    a = plan(cast, first)
    b = plan(cast, second)
    client = client_for("hr_officer")
    detail = client.get(a.get_absolute_url())
    assert detail.status_code == 200
    assert {"execute", "cancel"} <= detail.context["allowed"]
    aa_detail = client_for("aa_officer").get(a.get_absolute_url())
    assert aa_detail.context["allowed"] == {"cancel"}
    assert client_for("aa_officer").post(reverse("rewards:incentive_execute", args=[a.pk]), {}).status_code == 404
    url = reverse("rewards:incentive_execute", args=[a.pk])
    typed = client.post(url, {"ex-executed_on": "2026-06-30", "ex-reference": "제7호", "ex-note": "메모"})
    assert typed.status_code == 400
    html = typed.content.decode()
    assert 'id="id_ex-executed_on_error"' in html
    assert "제7호" in html
    bad_file = client.post(
        url,
        {
            "ex-executed_on": "2026-06-15",
            "ex-reference": "제7호",
            "ex-attachments": SimpleUploadedFile("x.exe", b"MZ\x90\x00" + b"\0" * 100),
        },
    )
    assert bad_file.status_code == 400
    assert "form-hint-invalid" in bad_file.content.decode()
    a.refresh_from_db()
    assert a.status == S.PLANNED
    done = client.post(url, {"ex-executed_on": "2026-06-15", "ex-reference": "제7호", "ex-attachments": evidence()})
    assert done.status_code == 302
    a.refresh_from_db()
    assert a.status == S.EXECUTED
    again = client.post(url, {"ex-executed_on": "2026-06-15", "ex-reference": "제8호"})
    assert again.status_code == 400
    a.refresh_from_db()
    assert a.reference == "제7호"
    shown = client.get(a.get_absolute_url()).content.decode()
    assert "발령문.pdf" in shown
    assert "제7호" in shown
    cancel = reverse("rewards:incentive_cancel", args=[b.pk])
    empty = client_for("aa_officer").post(cancel, {"ca-reason": ""})
    assert empty.status_code == 400
    assert 'id="id_ca-reason_error"' in empty.content.decode()
    assert client_for("aa_officer").post(cancel, {"ca-reason": "본인 사양"}).status_code == 302
    b.refresh_from_db()
    assert b.status == S.CANCELLED
    assert client.post(cancel, {"ca-reason": "또"}).status_code == 400


def test_commendations_page_records_and_shows_the_entitlement(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    person = cast.users["official"].person
    client = client_for("aa_officer")
    url = reverse("rewards:commendations")
    assert client.get(url).status_code == 200
    unknown = client.post(
        url, {"employee_number": "NOPE", "level": "head", "title": "<b>표창</b>", "awarded_on": "2026-06-01"}
    )
    assert unknown.status_code == 400
    html = unknown.content.decode()
    assert 'id="id_employee_number_error"' in html
    assert "&lt;b&gt;표창&lt;/b&gt;" in html
    missing = client.post(url, {"employee_number": person.employee_number})
    assert missing.status_code == 400
    assert 'id="id_title_error"' in missing.content.decode()
    future = client.post(
        url, {"employee_number": person.employee_number, "level": "head", "title": "표창", "awarded_on": "2026-07-01"}
    )
    assert 'id="id_awarded_on_error"' in future.content.decode()
    other = cast.users["official_b"].person
    foreign = client.post(
        url, {"employee_number": other.employee_number, "level": "head", "title": "표창", "awarded_on": "2026-06-01"}
    )
    assert foreign.status_code == 400
    assert not Commendation.objects.exists()
    head = client.post(
        url,
        {
            "employee_number": person.employee_number,
            "level": "head",
            "title": "구청장 표창",
            "awarded_on": "2026-06-01",
        },
    )
    assert head.status_code == 302
    assert head["Location"] == url
    pm = client.post(
        url,
        {
            "employee_number": person.employee_number,
            "level": "prime_minister",
            "title": "국무총리 표창",
            "awarded_on": "2026-06-10",
            "reference": "총리 표창 제12호",
        },
    )
    entitlement = Incentive.objects.get(commendation__level="prime_minister")
    assert pm.status_code == 302
    assert pm["Location"] == entitlement.get_absolute_url()
    listing = client.get(url)
    assert [c.title for c in listing.context["rows"]] == ["국무총리 표창", "구청장 표창"]
    assert "등록됨" in listing.content.decode()
    assert client_for("hr_officer").get(entitlement.get_absolute_url()).status_code == 200


def test_list_and_detail_query_counts_are_bounded(cast: Cast, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    chosen = f.selected_candidates(cast, 2)
    for candidate in chosen:
        plan(cast, candidate)
    client = client_for("aa_officer")
    client.get(reverse("rewards:incentives"))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("rewards:incentives"))
    n = len(few.captured_queries)
    for candidate in chosen:
        for kind in (K.REWARD_LEAVE, K.PREFERRED_POSTING, K.COMMENDATION, K.TOP_BONUS):
            plan(cast, candidate, kind)
    for index in range(20):
        Incentive.objects.create(
            institution=cast.district,
            person=chosen[0].person,
            kind=K.REWARD_LEAVE,
            due_on=TODAY + index * DAY,
            responsible=cast.users["hr_officer"],
        )
    with django_assert_max_num_queries(n):
        page = client.get(reverse("rewards:incentives"))
    assert page.context["page_obj"].paginator.num_pages == 2
    incentive = Incentive.objects.first()
    assert incentive is not None
    with django_assert_max_num_queries(30):
        assert client.get(incentive.get_absolute_url()).status_code == 200


def test_the_last_major_incentive_of_a_closed_round_cannot_be_cancelled(cast: Cast) -> None:
    round_, (chosen,), _others = f.decided_round(cast, (9, 5), selected=1)
    major = plan(cast, chosen, K.SPECIAL_STEP)
    leave = plan(cast, chosen, K.REWARD_LEAVE)
    services.round_close(actor=f.organiser(cast), round_=round_)
    with pytest.raises(TransitionNotAllowed, match="주요"):
        services.cancel_incentive(actor=hr(cast), incentive=major, reason="착오")
    # a minor one may go; with a second major one planned before closing, one of them may go
    services.cancel_incentive(actor=hr(cast), incentive=leave, reason="본인 사양")
    assert services.without_major_incentive(round_) == []
