"""The advice request and opinion pages: who reaches them, bad input re-rendered with what
was typed, the queue's filter, pagination and bounded queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from committee.models import AdviceRequest, AgendaItem, Opinion
from committee.tests.requests_fixtures import advised, audit_request, item, meeting, submit
from exemptions.models import Presumption

pytestmark = pytest.mark.django_db
CREATE = reverse("committee:advice_request_create")
MINE = reverse("committee:advice_request_mine")
QUEUE = reverse("committee:advice_request_queue")
OPINIONS = reverse("committee:opinion_queue")


def detail(request: AdviceRequest) -> str:
    return reverse("committee:advice_request_detail", kwargs={"pk": request.pk})


def test_official_submits_through_the_form(cast, client_for) -> None:
    client = client_for("official")
    assert client.get(CREATE).status_code == 200
    response = client.post(
        CREATE, {"title": "울타리 점용", "task": "업무", "rule": "규정", "options": "방안", "work_item_reference": ""}
    )
    request = AdviceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(request)
    assert "울타리 점용" in client.get(MINE).content.decode()


def test_bad_input_is_shown_with_what_was_typed(cast, client_for) -> None:
    response = client_for("official").post(
        CREATE, {"title": "내 제목", "task": "업무", "rule": "", "options": "방안", "work_item_reference": "NO-1"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="내 제목"' in html
    assert "id_rule_error" in html
    assert not AdviceRequest.objects.exists()
    response = client_for("official").post(
        CREATE, {"title": "내 제목", "task": "업무", "rule": "규정", "options": "방안", "work_item_reference": "NO-1"}
    )
    assert response.status_code == 400
    assert "업무 등록부에 없는 관리번호" in response.content.decode()


@pytest.mark.parametrize("who", ["head", "supervisor", "admin"])
def test_non_officials_cannot_open_the_form(cast, client_for, who) -> None:
    assert client_for(who).get(CREATE).status_code in (403, 404)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("official", 200),
        ("secretary", 200),
        ("aa_officer", 200),
        ("head", 200),
        ("official2", 404),
        ("official_b", 404),
        ("aa_officer_b", 404),
        ("member", 404),
    ],
)
def test_detail_access(cast, client_for, who, status) -> None:
    request = submit(cast)
    assert client_for(who).get(detail(request)).status_code == status


def test_secretary_sees_the_schedule_form_and_the_requester_the_withdraw_form(cast, client_for) -> None:
    request = submit(cast)
    meeting(cast, title="6월 정기회의")
    html = client_for("secretary").get(detail(request)).content.decode()
    assert "6월 정기회의" in html
    assert "advice_request_schedule" not in html
    assert f"/office/committee/advice/{request.pk}/schedule/" in html
    html = client_for("official").get(detail(request)).content.decode()
    assert f"/office/committee/advice/{request.pk}/withdraw/" in html
    assert "/schedule/" not in html


def test_schedule_puts_it_on_the_meeting(cast, client_for) -> None:
    request = submit(cast)
    target = meeting(cast)
    url = reverse("committee:advice_request_schedule", kwargs={"pk": request.pk})
    response = client_for("secretary").post(url, {"meeting": "999999"})
    assert response.status_code == 400
    response = client_for("secretary").post(url, {"meeting": target.pk})
    assert response.status_code == 302
    assert AgendaItem.objects.get().case == request
    assert client_for("official").post(url, {"meeting": target.pk}).status_code in (403, 404)


def test_withdraw_by_the_requester(cast, client_for) -> None:
    request = submit(cast)
    url = reverse("committee:advice_request_withdraw", kwargs={"pk": request.pk})
    assert client_for("official2").post(url, {"reason": ""}).status_code == 404
    assert client_for("official").post(url, {"reason": "해결"}).status_code == 302
    request.refresh_from_db()
    assert request.status == AdviceRequest.Status.WITHDRAWN
    response = client_for("official").post(url, {"reason": "다시"})
    assert response.status_code == 400


def test_outcome_form(cast, client_for) -> None:
    request = advised(cast)
    url = reverse("committee:advice_request_outcome", kwargs={"pk": request.pk})
    client = client_for("official")
    assert client.get(url).status_code == 200
    assert client_for("secretary").get(url).status_code == 404
    response = client.post(url, {"followed": "followed", "acted_on": "2026-06-15", "employee_numbers": "NOPE-9"})
    assert response.status_code == 400
    assert "NOPE-9" in response.content.decode()
    response = client.post(url, {"followed": "followed", "acted_on": "2026-06-15", "note": "이행"})
    assert response.status_code == 302
    assert Presumption.objects.get().person == cast.official.person
    assert client.get(url).status_code == 404  # recorded once


def test_queue_filters_and_counts_queries(cast, client_for, django_assert_max_num_queries) -> None:
    submit(cast, title="첫 요청")
    withdrawn = submit(cast, title="취하한 요청")
    withdrawn.status = AdviceRequest.Status.WITHDRAWN
    withdrawn.save()
    client = client_for("secretary")
    html = client.get(QUEUE, {"status": "submitted"}).content.decode()
    assert "첫 요청" in html
    assert "취하한 요청" not in html
    assert client.get(QUEUE, {"status": "nonsense"}).status_code == 200
    with django_assert_max_num_queries(30) as few:
        client.get(QUEUE)
    for index in range(40):
        submit(cast, title=f"요청 {index}", who="official2" if index % 2 else "official")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(QUEUE)
    assert "자문 요청 42건" in response.content.decode()
    assert "page=2" in response.content.decode()


@pytest.mark.parametrize("who", ["official", "aa_officer", "head", "aa_officer_b"])
def test_queue_is_the_secretarys(cast, client_for, who) -> None:
    assert client_for(who).get(QUEUE).status_code in (403, 404)


def test_mine_lists_only_own(cast, client_for) -> None:
    submit(cast, title="내 것")
    submit(cast, who="official2", title="남의 것")
    html = client_for("official").get(MINE).content.decode()
    assert "내 것" in html
    assert "남의 것" not in html


# --- Opinions ---------------------------------------------------------------------------


def test_secretary_records_an_opinion_and_returns_to_the_item(cast, client_for) -> None:
    target = item(cast)
    url = reverse("committee:opinion_record", kwargs={"item_pk": target.pk})
    client = client_for("secretary")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "opinion-kind": "legal",
            "opinion-author": "법무법인",
            "opinion-body": "",
            "opinion-received_on": "2026-06-15",
        },
    )
    assert response.status_code == 400
    assert 'value="법무법인"' in response.content.decode()
    response = client.post(
        url,
        {
            "opinion-kind": "legal",
            "opinion-author": "법무법인",
            "opinion-body": "적법",
            "opinion-received_on": "2026-06-15",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("committee:item_detail", kwargs={"pk": target.pk})
    assert Opinion.objects.get().kind == "legal"


@pytest.mark.parametrize("who", ["aa_officer", "official", "member"])
def test_opinion_forms_are_the_secretarys(cast, client_for, who) -> None:
    target = item(cast)
    assert client_for(who).get(reverse("committee:opinion_record", kwargs={"item_pk": target.pk})).status_code in (
        403,
        404,
    )
    assert client_for(who).get(
        reverse("committee:audit_opinion_request", kwargs={"item_pk": target.pk})
    ).status_code in (403, 404)


def test_other_institutions_item_is_404(cast, client_for) -> None:
    from committee.tests.factories import AgendaItemFactory, MeetingFactory

    foreign = AgendaItemFactory(meeting=MeetingFactory(institution=cast.other))
    url = reverse("committee:opinion_record", kwargs={"item_pk": foreign.pk})
    assert client_for("secretary").get(url).status_code == 404


def test_audit_request_and_the_audit_queue(cast, client_for, django_assert_max_num_queries) -> None:
    target = item(cast, title="감사의견 안건")
    url = reverse("committee:audit_opinion_request", kwargs={"item_pk": target.pk})
    assert client_for("secretary").post(url, {"audit-request_note": ""}).status_code == 400
    assert client_for("secretary").post(url, {"audit-request_note": "검토 바람"}).status_code == 302
    html = client_for("audit_staff").get(OPINIONS).content.decode()
    assert "감사의견 안건" in html
    assert "2026-06-25" in html
    assert client_for("secretary").get(OPINIONS).status_code in (403, 404)
    assert "감사의견 안건" not in client_for("aa_officer_b").get(OPINIONS).content.decode()
    with django_assert_max_num_queries(40) as few:
        client_for("audit_staff").get(OPINIONS)
    for _ in range(5):
        audit_request(cast)
    client = client_for("audit_staff")
    with django_assert_max_num_queries(len(few.captured_queries) + 1):
        client.get(OPINIONS)


def test_audit_side_submits_and_extends(cast, client_for) -> None:
    opinion = audit_request(cast)
    submit_url = reverse("committee:audit_opinion_submit", kwargs={"pk": opinion.pk})
    extend_url = reverse("committee:audit_opinion_extend", kwargs={"pk": opinion.pk})
    client = client_for("audit_staff")
    assert client.get(submit_url).status_code == 200
    assert client.post(extend_url, {"reason": ""}).status_code == 400
    assert client.post(extend_url, {"reason": "자료 보완"}).status_code == 302
    response = client.post(extend_url, {"reason": "한 번 더"})
    assert response.status_code == 400
    assert "한 번만" in response.content.decode()
    assert client.post(submit_url, {"body": ""}).status_code == 400
    assert client.post(submit_url, {"body": "이상 없음"}).status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.RECEIVED
    assert client_for("secretary").get(submit_url).status_code in (403, 404)
    assert client_for("aa_officer_b").get(submit_url).status_code == 404


def test_secretary_withdraws_the_request(cast, client_for) -> None:
    opinion = audit_request(cast)
    url = reverse("committee:opinion_request_withdraw", kwargs={"pk": opinion.pk})
    assert client_for("secretary").post(url, {"reason": ""}).status_code == 400
    assert client_for("secretary").post(url, {"reason": "불필요"}).status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.WITHDRAWN


def test_the_item_page_shows_the_opinions_panel(cast, client_for) -> None:
    target = item(cast)
    audit_request(cast, target, note="감사 쟁점 검토")
    response = client_for("secretary").get(reverse("committee:item_detail", kwargs={"pk": target.pk}))
    if response.status_code != 200:
        pytest.skip("the meeting part's item page is not ready")
    html = response.content.decode()
    assert 'id="opinions"' in html
    assert "감사 쟁점 검토" in html
    assert reverse("committee:opinion_record", kwargs={"item_pk": target.pk}) in html


def test_outcome_date_in_the_past_is_fine(cast, client_for) -> None:
    request = advised(cast)
    url = reverse("committee:advice_request_outcome", kwargs={"pk": request.pk})
    day = (datetime.date(2026, 6, 15) - datetime.timedelta(days=30)).isoformat()
    assert client_for("official").post(url, {"followed": "partly", "acted_on": day}).status_code == 302
    assert not Presumption.objects.get().holds
