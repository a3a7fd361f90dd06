"""The institution's overdue list (core:overdue) and the deadline partial."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from core.deadlines import deadline_close, deadline_extend, deadline_open
from tests.factories import WorkItemFactory

URL = reverse("core:overdue")
D = datetime.date
KIND = "test.review"


@pytest.fixture
def today(time_machine):  # type: ignore[no-untyped-def]
    time_machine.move_to(datetime.datetime(2026, 10, 12, 9, tzinfo=datetime.timezone(datetime.timedelta(hours=9))))
    return D(2026, 10, 12)


@pytest.fixture
def late(case, kinds, today):  # type: ignore[no-untyped-def]
    # Opened Fri 18 Sept with 10 working days: due Wed 7 Oct (Chuseok and 5 Oct skipped).
    return deadline_open(
        target=case, kind=KIND, working_days=10, starts_on=D(2026, 9, 18), label="건축허가 검토", url="/office/c/1/"
    )


@pytest.mark.parametrize("name", ["aa_officer", "audit_staff", "head", "admin"])
def test_watchers_see_the_overdue_list(client_for, late, name) -> None:  # type: ignore[no-untyped-def]
    response = client_for(name).get(URL)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [late]


def test_row_shows_due_date_days_overdue_and_skipped_holidays(client_for, late) -> None:  # type: ignore[no-untyped-def]
    content = client_for("aa_officer").get(URL).content.decode()
    assert "건축허가 검토" in content
    assert 'href="/office/c/1/"' in content
    assert "2026-10-07" in content
    # Thu 8 and Mon 12 Oct are working days (Fri 9 is Hangul Day): 2 working days, 5 days.
    assert "2근무일(5일) 경과" in content
    assert "사전컨설팅 검토" in content  # the registered kind's label
    assert "추석" in content
    assert "개천절 대체 휴일" in content
    assert "<details>" in content


def test_due_soon_tab(client_for, case, kinds, today, cast) -> None:  # type: ignore[no-untyped-def]
    soon = deadline_open(
        target=WorkItemFactory(institution=cast.district, unit=cast.building),
        kind=KIND,
        working_days=2,
        starts_on=today,
        label="곧 마감",
    )
    response = client_for("aa_officer").get(URL + "?show=soon")
    assert list(response.context["page"].object_list) == [soon]
    assert "곧 마감" in response.content.decode()


def test_closed_and_other_institutions_are_not_listed(client_for, late, other_case, today) -> None:  # type: ignore[no-untyped-def]
    theirs = deadline_open(target=other_case, kind=KIND, working_days=1, starts_on=D(2026, 9, 1), label="다온구 건")
    content = client_for("aa_officer").get(URL).content.decode()
    assert "다온구 건" not in content
    response = client_for("aa_officer_b").get(URL)
    assert list(response.context["page"].object_list) == [theirs]
    deadline_close(deadline=late)
    assert list(client_for("aa_officer").get(URL).context["page"].object_list) == []


def test_list_is_paginated_without_n_plus_one(client_for, cast, kinds, today, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for i in range(55):
        deadline_open(
            target=WorkItemFactory(institution=cast.district, unit=cast.building),
            kind=KIND,
            working_days=1,
            starts_on=D(2026, 9, 1),
            label=f"건 {i}",
            unit=cast.building,
        )
    client = client_for("aa_officer")
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == 50
    assert "건축과" in response.content.decode()
    assert len(client.get(URL + "?page=2").context["page"].object_list) == 5


@pytest.mark.parametrize("name", ["official", "dept_head", "protection_officer", "secretary", "supervisor"])
def test_other_roles_get_404(client_for, name, db) -> None:  # type: ignore[no-untyped-def]
    assert client_for(name).get(URL).status_code == 404


def test_anonymous_is_sent_to_login(db) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- The deadline partial -------------------------------------------------------------


def render_badge(deadline) -> str:  # type: ignore[no-untyped-def]
    return render_to_string("core/deadline.html#deadline_badge", {"deadline": deadline})


def test_partial_shows_remaining_working_days(case, kinds, time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(datetime.datetime(2026, 9, 21, 9, tzinfo=datetime.timezone(datetime.timedelta(hours=9))))
    deadline = deadline_open(target=case, kind=KIND, working_days=10, starts_on=D(2026, 9, 18), label="x")
    html = render_badge(deadline)
    # Mon 21 Sept -> Wed 7 Oct: 22, 23, 28, 29, 30, 1, 2, 6, 7 = 9 working days.
    assert "9근무일 남음" in html
    assert "2026-10-07" in html
    assert "추석 전날" in html
    assert "기한 연장 이력" not in html


def test_partial_shows_extension_history_and_late_close(case, kinds, actor, today) -> None:  # type: ignore[no-untyped-def]
    deadline = deadline_open(target=case, kind=KIND, working_days=10, starts_on=D(2026, 9, 18), label="x")
    deadline_extend(actor=actor("aa_officer"), deadline=deadline, working_days=2, reason="관계 기관 협의")
    html = render_badge(deadline)
    assert "기한 연장 이력" in html
    assert "관계 기관 협의" in html
    assert "2026-10-07" in html  # before
    assert "2026-10-12" in html  # after (Hangul Day skipped)
    assert "오늘까지" in html
    deadline_close(
        deadline=deadline,
        at=datetime.datetime(2026, 10, 13, 9, tzinfo=datetime.timezone(datetime.timedelta(hours=9))),
    )
    assert "기한 후 처리" in render_badge(deadline)


def test_partial_renders_nothing_without_a_deadline() -> None:
    assert render_badge(None).strip() == ""


def test_menu_offers_the_overdue_list_to_watchers_only(actor) -> None:  # type: ignore[no-untyped-def]
    from office.navigation import items_for

    def names(who: str) -> set[str]:
        return {link.url_name for link in items_for(actor(who))}

    assert {"core:overdue", "core:notifications"} <= names("aa_officer")
    assert "core:notifications" in names("official")
    assert "core:overdue" not in names("official")
