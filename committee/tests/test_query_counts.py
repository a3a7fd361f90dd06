"""Query counts of the committee pages that the other tests do not measure: an official's own
advice requests (in every state, some on an agenda, some advised) and a meeting's page with
its agenda items (papers, declarations, linked cases) and its seats. More rows must not mean
more queries (issue 8)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committee.models import AgendaItem, Declaration, Meeting
from committee.tests.factories import AgendaItemFactory, MeetingFactory, pool_with_accounts, seat_all
from committee.tests.requests_fixtures import advised, linked_item, on_agenda, submit
from core.access import actor_for
from core.files import attach
from tests.cast import Cast
from tests.query_counts import assert_flat

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 15, 1, tzinfo=datetime.UTC)


def test_my_advice_requests(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("official")
    submit(cast)

    def grow() -> None:
        for n in range(3):
            submit(cast, title=f"요청 {n}")
            on_agenda(cast, title=f"상정 {n}")
            advised(cast, title=f"자문 {n}")

    assert_flat(client, reverse("committee:advice_request_mine"), grow)
    assert client.get(reverse("committee:advice_request_mine")).context["page_obj"].paginator.count == 10


def test_a_meetings_page_with_its_items_and_seats(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    members = pool_with_accounts(cast)
    meeting = MeetingFactory(institution=cast.district, status=Meeting.Status.CONVENED)
    seat_all(meeting, members[:3])

    def add_items(count: int) -> None:
        for n in range(count):
            item = AgendaItemFactory(meeting=meeting, status=AgendaItem.Status.PENDING, title=f"안건 {n}")
            Declaration.objects.create(item=item, member=members[0], kind="none", declared_at=NOW)
            attach(
                actor=actor_for(cast.secretary),
                target=item,
                upload=SimpleUploadedFile("자료.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
                purpose="paper",
            )
            linked_item(cast, submit(cast, title=f"연결 요청 {n}"), meeting=meeting)

    add_items(1)

    def grow() -> None:
        seat_all(meeting, members[3:])
        add_items(2)

    url = reverse("committee:meeting_detail", kwargs={"pk": meeting.pk})
    assert_flat(client_for("secretary"), url, grow)
    assert_flat(client_for("member"), url, lambda: add_items(2))  # a seated member's view
    response = client_for("secretary").get(url)
    assert len(response.context["items"]) == 10
    assert len(response.context["seats"]) == len(members)
