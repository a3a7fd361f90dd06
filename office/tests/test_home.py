"""The office start page: greeting, roles, the actor's unread notifications and the open
deadlines the actor answers for, never another person's or institution's."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Deadline, Notification
from institutions.models import Institution, Unit
from tests.cast import Cast

URL = reverse("office:home")


def make_deadline(
    institution: Institution, unit: Unit | None, label: str, *, days: int = 3, closed: bool = False
) -> Deadline:
    today = timezone.localdate()
    return Deadline.objects.create(
        institution=institution,
        unit=unit,
        content_type=ContentType.objects.get_for_model(Notification),
        object_id=Deadline.objects.count() + 1,
        kind="review",
        label=label,
        starts_on=today,
        working_days=10,
        due_on=today + datetime.timedelta(days=days),
        closed_at=timezone.now() if closed else None,
    )


def test_anonymous_is_sent_to_login(db: None) -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_home_greets_the_actor_with_institution_and_roles(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("dept_head").get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "dept_head님, 안녕하십니까." in content
    assert "새솔구" in content
    assert "건축과" in content
    assert "부서장" in content
    assert "공무원" in content
    assert "적극행정 책임관" not in content


def test_user_without_roles_is_told_how_to_get_one(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    content = client_for("no_role").get(URL).content.decode()
    assert "아직 부여된 역할이 없습니다" in content


def test_only_own_unread_notifications_are_listed_newest_first_at_most_ten(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    for number in range(12):
        Notification.objects.create(recipient=cast.official, institution=cast.district, title=f"알림 제목 {number:02d}")
    Notification.objects.create(
        recipient=cast.official, institution=cast.district, title="이미 읽은 알림", read_at=timezone.now()
    )
    Notification.objects.create(recipient=cast.official2, institution=cast.district, title="다른 사람의 알림")
    response = client_for("official").get(URL)
    listed = [n.title for n in response.context["notifications"]]
    assert listed == [f"알림 제목 {number:02d}" for number in range(11, 1, -1)]
    content = response.content.decode()
    assert "이미 읽은 알림" not in content
    assert "다른 사람의 알림" not in content
    assert 'class="pa-bell-count">12<' in content


def test_no_notifications_says_so(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    content = client_for("official").get(URL).content.decode()
    assert "읽지 않은 알림이 없습니다." in content
    assert "pa-bell-count" not in content


def test_official_sees_open_deadlines_of_own_unit_only(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    make_deadline(cast.district, cast.building, "건축과 건")
    make_deadline(cast.district, cast.planning, "도시계획과 건")
    make_deadline(cast.district, cast.building, "끝난 건", closed=True)
    make_deadline(cast.district, None, "기관 전체 건")
    make_deadline(cast.other, cast.other_unit, "다른 기관 건")
    labels = [d.label for d in client_for("official").get(URL).context["deadlines"]]
    assert labels == ["건축과 건"]


def test_overseer_sees_the_whole_institution_but_not_other_institutions(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    make_deadline(cast.district, cast.building, "건축과 건", days=5)
    make_deadline(cast.district, cast.planning, "도시계획과 건", days=1)
    make_deadline(cast.district, None, "기관 전체 건", days=-2)
    make_deadline(cast.other, cast.other_unit, "다른 기관 건")
    for username in ("aa_officer", "head"):
        labels = [d.label for d in client_for(username).get(URL).context["deadlines"]]
        assert labels == ["기관 전체 건", "도시계획과 건", "건축과 건"], username


def test_overdue_and_due_today_deadlines_are_marked(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    make_deadline(cast.district, cast.building, "늦은 건", days=-1)
    make_deadline(cast.district, cast.building, "오늘 건", days=0)
    content = client_for("official").get(URL).content.decode()
    assert "기한 경과" in content
    assert "오늘까지" in content


def test_supervisor_in_another_institution_sees_no_district_deadlines(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    make_deadline(cast.district, cast.building, "건축과 건")
    response = client_for("supervisor").get(URL)
    assert response.status_code == 200
    assert list(response.context["deadlines"]) == []


def test_home_query_count_is_bounded(cast: Cast, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for number in range(20):
        Notification.objects.create(recipient=cast.aa_officer, institution=cast.district, title=f"알림 {number}")
        make_deadline(cast.district, cast.audit_unit, f"건 {number}")
    client = client_for("aa_officer")
    with django_assert_max_num_queries(14):  # 12, and 2 for the action-plan flag of the AA officer and the head
        response = client.get(URL)
    assert len(response.context["notifications"]) == 10
    assert len(response.context["deadlines"]) == 10


@pytest.mark.parametrize("username", ["official", "supervisor", "admin", "no_role"])
def test_every_signed_in_user_has_a_menu_with_the_home_entry(cast: Cast, client_for, username: str) -> None:  # type: ignore[no-untyped-def]
    content = client_for(username).get(URL).content.decode()
    assert 'aria-label="주 메뉴"' in content
    assert f'href="{URL}"' in content
