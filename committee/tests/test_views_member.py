"""A member's page and the secretary's forms: success, errors next to their fields with the
input kept and nothing saved, and the forbidden cases."""

from __future__ import annotations

import pytest
from django.urls import reverse

from committee.models import CommitteeMember
from committee.tests.factories import appoint, fill, set_policy

pytestmark = pytest.mark.django_db
CREATE = reverse("committee:create")


def form(**overrides: str) -> dict[str, str]:
    return {
        "kind": "external",
        "name": "이수진",
        "organisation": "가온건축사사무소",
        "position": "건축사",
        "gender": "female",
        "expertise": "건축, 안전",
        "email": "lee@example.com",
        "term_starts_on": "2026-07-01",
        **overrides,
    }


def test_secretary_appoints_a_member(cast, client_for) -> None:
    response = client_for("secretary").post(CREATE, form())
    member = CommitteeMember.objects.get(name="이수진")
    assert response.status_code == 302
    assert response["Location"] == reverse("committee:detail", kwargs={"pk": member.pk})
    assert str(member.term_ends_on) == "2028-06-30"


def test_appoint_an_internal_member_by_employee_number_with_a_login(cast, client_for) -> None:
    data = form(kind="internal", name="", person_number=cast.member.person.employee_number, username="MEMBER")
    response = client_for("secretary").post(CREATE, data)
    assert response.status_code == 302
    member = CommitteeMember.objects.get()
    assert (member.person, member.user, member.name) == (cast.member.person, cast.member, "member")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"term_ends_on": "2026-06-30"}, "term_ends_on", "시작일보다 빠를 수 없습니다"),
        ({"person_number": "NOPE", "kind": "internal"}, "person_number", "이 기관에 없는 직원번호"),
        ({"username": "official_b"}, "username", "이 기관에 없는 계정"),
        ({"email": "nope"}, "email", "전자우편"),
        ({"term_starts_on": ""}, "term_starts_on", ""),
        ({"is_audit_head": "on"}, "is_audit_head", "내부위원이어야"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_kept(cast, client_for, overrides, field, message) -> None:
    response = client_for("secretary").post(CREATE, form(**overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert 'value="가온건축사사무소"' in response.content.decode()
    assert not CommitteeMember.objects.exists()


def test_a_full_pool_refuses_with_a_clear_message(cast, client_for) -> None:
    set_policy(cast, committee_max_members=9)
    fill(cast, 9)
    response = client_for("secretary").post(CREATE, form())
    assert response.status_code == 400
    assert "9명을 넘을 수 없습니다" in response.content.decode()
    assert CommitteeMember.objects.count() == 9


def test_a_second_chair_is_refused_next_to_the_chair_box(cast, client_for) -> None:
    appoint(cast, is_chair=True)
    response = client_for("secretary").post(CREATE, form(is_chair="on"))
    assert response.status_code == 400
    assert "is_chair" in response.context["form"].errors


@pytest.mark.parametrize("who", ["aa_officer", "head", "member", "official", "aa_officer_b"])
def test_only_the_secretary_reaches_the_forms(cast, client_for, who) -> None:
    member = appoint(cast)
    client = client_for(who)
    for name in ("edit", "renew", "dismiss"):
        assert client.get(reverse(f"committee:{name}", kwargs={"pk": member.pk})).status_code == 404
    assert client.get(CREATE).status_code == 404
    assert client.post(CREATE, form()).status_code == 404
    assert client.post(reverse("committee:chair", kwargs={"pk": member.pk})).status_code == 404


@pytest.mark.parametrize("who", ["secretary", "aa_officer", "head"])
def test_readers_see_a_members_page_with_terms_and_history(cast, client_for, who) -> None:
    member = appoint(cast, name="문채원")
    html = client_for(who).get(reverse("committee:detail", kwargs={"pk": member.pk})).content.decode()
    assert "문채원" in html
    assert "최초 위촉" in html
    assert "위원 위촉·지정" in html
    assert ("위원 정보 수정" in html) is (who == "secretary")


def test_a_member_sees_only_their_own_membership(cast, client_for) -> None:
    own = appoint(cast, kind="internal", person=cast.member.person, user=cast.member)
    other = appoint(cast)
    client = client_for("member")
    assert client.get(reverse("committee:detail", kwargs={"pk": own.pk})).status_code == 200
    assert client.get(reverse("committee:detail", kwargs={"pk": other.pk})).status_code == 404
    response = client.get(reverse("committee:mine"))
    assert response["Location"] == reverse("committee:detail", kwargs={"pk": own.pk})


def test_a_member_without_a_membership_gets_404_for_mine(cast, client_for) -> None:
    assert client_for("member").get(reverse("committee:mine")).status_code == 404


@pytest.mark.parametrize("who", ["official", "no_role", "aa_officer_b", "official_b"])
def test_others_get_404_for_a_member(cast, client_for, who) -> None:
    member = appoint(cast)
    assert client_for(who).get(reverse("committee:detail", kwargs={"pk": member.pk})).status_code == 404


def test_edit_keeps_input_on_error_and_saves_on_success(cast, client_for) -> None:
    member = appoint(cast, expertise="건축")
    url = reverse("committee:edit", kwargs={"pk": member.pk})
    client = client_for("secretary")
    page = client.get(url).content.decode()
    assert 'value="건축"' in page
    assert "id_kind" not in page
    bad = client.post(url, {"name": "새 이름", "gender": "female", "email": "x", "expertise": "건축"})
    assert bad.status_code == 400
    assert 'value="새 이름"' in bad.content.decode()
    ok = client.post(url, {"name": "새 이름", "gender": "female", "expertise": "건축, 안전"})
    assert ok.status_code == 302
    member.refresh_from_db()
    assert member.name == "새 이름"


def test_renew_and_its_refusal(cast, client_for) -> None:
    set_policy(cast, external_max_renewals=1)
    member = appoint(cast)
    url = reverse("committee:renew", kwargs={"pk": member.pk})
    client = client_for("secretary")
    assert client.get(url).status_code == 200
    assert client.post(url, {"starts_on": "2027-12-01"}).status_code == 400
    assert client.post(url, {}).status_code == 302
    refused = client.post(url, {})
    assert refused.status_code == 400
    assert "1회까지" in refused.content.decode()


def test_dismiss_needs_grounds_and_then_dismisses(cast, client_for) -> None:
    member = appoint(cast)
    url = reverse("committee:dismiss", kwargs={"pk": member.pk})
    client = client_for("secretary")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"grounds": "other", "dismissed_on": "2026-06-15"})
    assert bad.status_code == 400
    assert "note" in bad.context["form"].errors
    assert client.post(url, {"grounds": "neglect", "dismissed_on": "2026-06-15"}).status_code == 302
    member.refresh_from_db()
    assert member.status == "dismissed"
    page = client.get(reverse("committee:detail", kwargs={"pk": member.pk})).content.decode()
    assert "직무 태만" in page
    assert f'href="/office/committee/members/{member.pk}/renew/"' not in page


def test_chair_designation_is_post_only_and_moves_the_chair(cast, client_for) -> None:
    old = appoint(cast, is_chair=True)
    new = appoint(cast)
    url = reverse("committee:chair", kwargs={"pk": new.pk})
    client = client_for("secretary")
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.is_chair, new.is_chair) == (False, True)
    again = client.post(url)
    assert again.status_code == 400
    assert "이미 위원장" in again.content.decode()
