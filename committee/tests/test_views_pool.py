"""The pool page: who reaches it, the health panel, filters, htmx partial, query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from committee.tests.factories import CommitteeMemberFactory, appoint, fill

pytestmark = pytest.mark.django_db
URL = reverse("committee:pool")


@pytest.mark.parametrize("who", ["secretary", "aa_officer", "head"])
def test_readers_see_the_pool_with_its_health(cast, client_for, who) -> None:
    appoint(cast, name="문채원", expertise="행정법")
    response = client_for(who).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "문채원" in html
    assert "위원 구성 점검" in html
    assert "최소 인원" in html  # one member: below the minimum
    assert ('href="/office/committee/members/new/"' in html) is (who == "secretary")


@pytest.mark.parametrize("who", ["official", "member", "no_role", "admin", "official_b"])
def test_everyone_else_gets_404(cast, client_for, who) -> None:
    assert client_for(who).get(URL).status_code == 404


def test_anonymous_is_sent_to_login(cast, client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_other_institutions_pool_is_not_shown(cast, client_for) -> None:
    CommitteeMemberFactory(institution=cast.other, name="다온위원")
    appoint(cast, name="새솔위원")
    html = client_for("secretary").get(URL).content.decode()
    assert "다온위원" not in html
    other = client_for("aa_officer_b").get(URL).content.decode()  # their own pool only
    assert "다온위원" in other
    assert "새솔위원" not in other


def test_healthy_pool_says_so(cast, client_for) -> None:
    fill(cast, 5, gender="female")
    appoint(cast, is_chair=True, gender="male")
    appoint(cast, kind="internal", person=cast.aa_officer.person, is_audit_head=True, gender="male")
    fill(cast, 2, kind="internal", gender="male")
    html = client_for("secretary").get(URL).content.decode()
    assert 'id="health-ok"' in html


def test_filters_by_kind_status_and_expertise(cast, client_for) -> None:
    appoint(cast, name="건축전문", expertise="건축")
    appoint(cast, name="회계전문", expertise="회계")
    appoint(cast, name="내부위원", kind="internal")
    client = client_for("secretary")
    html = client.get(URL, {"expertise": "건축"}).content.decode()
    assert "건축전문" in html
    assert "회계전문" not in html
    html = client.get(URL, {"kind": "internal"}).content.decode()
    assert "내부위원" in html
    assert "건축전문" not in html
    html = client.get(URL, {"status": "dismissed"}).content.decode()
    assert "조건에 맞는 위원이 없습니다" in html


def test_a_bad_filter_is_ignored(cast, client_for) -> None:
    appoint(cast, name="남는위원")
    response = client_for("secretary").get(URL, {"kind": "nonsense", "page": "x"})
    assert response.status_code == 200
    assert "남는위원" in response.content.decode()


def test_htmx_request_gets_only_the_results(cast, client_for) -> None:
    appoint(cast, name="부분")
    response = client_for("secretary").get(URL, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "부분" in html
    assert "<html" not in html


def test_query_count_does_not_grow_with_members(cast, client_for, django_assert_max_num_queries) -> None:
    client = client_for("secretary")
    for _ in range(3):
        appoint(cast, expertise="건축, 안전")
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for _ in range(30):
        CommitteeMemberFactory(institution=cast.district)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
