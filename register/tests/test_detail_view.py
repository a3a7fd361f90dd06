"""An entry's page: every field, the timeline, and everything linked to it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from core.access import actor_for
from register import links
from register.links import LinkedCase
from register.services import work_item_create, work_item_update
from tests.factories import PersonFactory, WorkItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(cast):
    person = PersonFactory(institution=cast.district, unit=cast.building, name="김담당", employee_number="E-1")
    return work_item_create(
        actor=actor_for(cast.aa_officer),
        reference="W-7",
        title="도로 점용 허가",
        category="permit",
        unit=cast.building,
        year=2026,
        responsible=person,
        legal_basis="도로법 제61조",
        starts_on=datetime.date(2026, 2, 1),
        ends_on=datetime.date(2026, 12, 31),
        notes="첫 줄\n둘째 줄",
    )


def url(item) -> str:
    return reverse("register:detail", kwargs={"pk": item.pk})


def test_detail_shows_every_field_and_the_timeline(client_for, cast, item) -> None:
    work_item_update(
        actor=actor_for(cast.audit_staff),
        item=item,
        reference="W-7",
        title="도로 점용 허가",
        category="permit",
        unit=cast.building,
        year=2026,
        status="completed",
        responsible=item.responsible,
        legal_basis="도로법 제61조",
        starts_on=item.starts_on,
        ends_on=item.ends_on,
        notes=item.notes,
    )
    page = client_for("official").get(url(item)).content.decode()
    for text in [
        "W-7",
        "도로 점용 허가",
        "인허가",
        "건축과 (BLD)",
        "김담당 (E-1)",
        "도로법 제61조",
        "완료",
        "2026",
        "2026-02-01",
        "2026-12-31",
        "첫 줄<br>둘째 줄",
    ]:
        assert text in page, text
    assert '<span class="pa-timeline-action">업무 등록</span>' in page
    assert '<span class="pa-timeline-action">업무 정보 수정</span>' in page
    assert "register.work_item_created" not in page  # labels, not action codes


def test_each_link_provider_gets_its_section(client_for, cast, item) -> None:
    calls = []

    def provider(work_item, actor):
        calls.append((work_item.pk, actor.user.username))
        return [
            LinkedCase(
                "사전컨설팅", "점용 허가 기준 문의", "회신 완료", "/office/consultations/1/", datetime.date(2026, 3, 4)
            )
        ]

    links.register_link_provider("test_consultations", "사전컨설팅", provider)
    links.register_link_provider("test_empty", "면책", lambda work_item, actor: [])
    try:
        page = client_for("official").get(url(item)).content.decode()
    finally:
        links.unregister_link_provider("test_consultations")
        links.unregister_link_provider("test_empty")
    assert calls == [(item.pk, "official")]
    assert 'id="linked-test_consultations-title">사전컨설팅</h3>' in page
    assert '<a href="/office/consultations/1/">점용 허가 기준 문의</a>' in page
    assert "회신 완료" in page
    assert "2026-03-04" in page
    assert "연결된 면책 건이 없습니다." in page


def test_without_providers_the_page_says_nothing_is_linked(client_for, item, monkeypatch) -> None:
    monkeypatch.setattr(links, "_PROVIDERS", {})
    assert links.providers() == []
    assert "연결된 건이 없습니다." in client_for("official").get(url(item)).content.decode()


def test_edit_link_only_for_writers_of_the_unit(client_for, cast, item) -> None:
    edit = reverse("register:edit", kwargs={"pk": item.pk})
    assert edit not in client_for("official").get(url(item)).content.decode()
    assert edit in client_for("dept_head").get(url(item)).content.decode()
    other = WorkItemFactory(institution=cast.district, unit=cast.planning)
    assert (
        reverse("register:edit", kwargs={"pk": other.pk})
        not in client_for("dept_head").get(url(other)).content.decode()
    )


def test_anonymous_is_sent_to_login(client, item) -> None:
    response = client.get(url(item))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["no_role", "official_b", "aa_officer_b", "supervisor"])
def test_others_get_404(client_for, item, who) -> None:
    assert client_for(who).get(url(item)).status_code == 404


def test_missing_entry_is_404(client_for) -> None:
    assert client_for("official").get(reverse("register:detail", kwargs={"pk": 999999})).status_code == 404
