"""The lessons pages: who may open each, the casebook's visibility and search, the draft
form with the anonymisation refusal by its field, the actions, bad input, query counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core.access import actor_for
from core.roles import Role
from institutions.models import Unit
from lessons import services
from lessons.models import Lesson
from lessons.tests.factories import CLEAN, disciplinary_report, in_review, published, start, write
from reports.models import Report
from tests.cast import Cast, make_user
from tests.factories import InstitutionFactory, PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]


def closed(cast: Cast, **kwargs: Any) -> Report:
    return disciplinary_report(cast.district, cast.aa_officer, [cast.official.person], **kwargs)


def share(cast: Cast, *, group: bool = True, **values: Any) -> Lesson:
    return published(closed(cast), cast.audit_staff, cast.aa_officer, share_with_group=group, **values)


def form_data(**values: Any) -> dict[str, Any]:
    data = {**CLEAN, **values}
    data = {k: v for k, v in data.items() if v is not None}
    if data.pop("share_with_group", False):
        data["share_with_group"] = "on"
    return data


# --- Who may open what ------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(cast: Cast) -> None:
    lesson = share(cast)
    for url in (
        reverse("lessons:casebook"),
        lesson.get_casebook_url(),
        reverse("lessons:office"),
        reverse("lessons:prepare"),
        lesson.get_absolute_url(),
    ):
        response = Client().get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["official", "dept_head", "hr_officer", "head", "admin", "no_role", "member"])
def test_officials_outside_the_audit_unit_get_404_on_the_office_pages(
    cast: Cast, client_for: ClientFor, name: str
) -> None:
    lesson = in_review(closed(cast), cast.audit_staff)
    report = closed(cast)
    client = client_for(name)
    assert client.get(reverse("lessons:office")).status_code == 404
    assert client.get(reverse("lessons:prepare")).status_code == 404
    assert client.post(reverse("lessons:start", args=[report.pk])).status_code == 404
    assert client.get(lesson.get_absolute_url()).status_code == 404
    assert client.get(reverse("lessons:edit", args=[lesson.pk])).status_code == 404
    assert (
        client.post(reverse("lessons:act", args=[lesson.pk, "publish"]), {"publish-confirmed": "on"}).status_code == 404
    )
    assert not Lesson.objects.filter(report=report).exists()
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.IN_REVIEW


def test_another_institutions_audit_unit_gets_404(cast: Cast, client_for: ClientFor) -> None:
    lesson = in_review(closed(cast), cast.audit_staff)
    report = closed(cast)
    client = client_for("aa_officer_b")
    assert lesson.number not in client.get(reverse("lessons:office")).content.decode()
    assert report.number not in client.get(reverse("lessons:prepare")).content.decode()
    assert client.post(reverse("lessons:start", args=[report.pk])).status_code == 404
    assert client.get(lesson.get_absolute_url()).status_code == 404
    assert client.get(reverse("lessons:edit", args=[lesson.pk])).status_code == 404
    assert (
        client.post(reverse("lessons:act", args=[lesson.pk, "publish"]), {"publish-confirmed": "on"}).status_code == 404
    )
    assert client.get(lesson.get_casebook_url()).status_code == 404, "not published yet"


@pytest.mark.parametrize("bad", ["²", "-1", "0", "9" * 30, "abc"])
def test_bad_ids_are_not_found(cast: Cast, client_for: ClientFor, bad: str) -> None:
    client = client_for("aa_officer")
    for prefix in ("/office/lessons/", "/office/lessons/office/", "/office/lessons/office/prepare/"):
        url = f"{prefix}{bad}/"
        response = client.post(url) if prefix.endswith("prepare/") else client.get(url)
        assert response.status_code == 404, url
    assert client.get(f"/office/lessons/office/{bad}/edit/").status_code == 404
    assert client.post(f"/office/lessons/office/{bad}/act/publish/").status_code == 404


# --- The casebook -----------------------------------------------------------------------


def test_the_casebook_shows_own_and_group_shared_lessons(cast: Cast, client_for: ClientFor) -> None:
    mine = share(cast, group=False, title="우리 기관만 보는 사례")
    shared = share(cast, group=True, title="함께 보는 사례")
    own = client_for("no_role").get(reverse("lessons:casebook")).content.decode()
    assert mine.title in own
    assert shared.title in own
    # a sibling district under the same city, and the city itself
    for name in ("official_b", "supervisor"):
        client = client_for(name)
        page = client.get(reverse("lessons:casebook")).content.decode()
        assert shared.title in page, name
        assert mine.title not in page, name
        assert client.get(shared.get_casebook_url()).status_code == 200
        assert client.get(mine.get_casebook_url()).status_code == 404


def test_staff_outside_the_group_get_404(cast: Cast, client: Client) -> None:
    lesson = share(cast, group=True)
    elsewhere = InstitutionFactory(code="FAR", name="먼군")
    below_elsewhere = InstitutionFactory(code="FAR2", name="먼군 산하", parent=elsewhere)
    for institution in (elsewhere, below_elsewhere):
        user = make_user(f"far_{institution.code}", institution, UnitFactory(institution=institution), "official")
        client.force_login(user)
        assert client.get(lesson.get_casebook_url()).status_code == 404
        assert lesson.title not in client.get(reverse("lessons:casebook")).content.decode()


def test_a_top_level_institution_shares_with_the_institutions_below_it(cast: Cast, client: Client) -> None:
    city_audit = Unit.objects.get(institution=cast.city, is_audit_unit=True)
    writer = make_user("city_staff", cast.city, city_audit, Role.OFFICIAL, Role.AUDIT_STAFF)
    reviewer = make_user("city_aa", cast.city, city_audit, Role.OFFICIAL, Role.AA_OFFICER)
    culprit = PersonFactory(institution=cast.city, unit=city_audit, name="도시직원")

    def city_lesson(group: bool, title: str) -> Lesson:
        report = disciplinary_report(cast.city, reviewer, [culprit])
        return published(report, writer, reviewer, share_with_group=group, title=title)

    shared = city_lesson(True, "광역시가 나누는 사례")
    mine = city_lesson(False, "광역시만 보는 사례")
    assert shared.institution == cast.city
    assert cast.city.parent_id is None
    below = InstitutionFactory(code="SAESOL-DONG", name="새솔구 산하 동", parent=cast.district)
    below_user = make_user("dong_official", below, UnitFactory(institution=below), Role.OFFICIAL)
    for user in (cast.official, cast.official_b, below_user, cast.supervisor):
        client.force_login(user)
        page = client.get(reverse("lessons:casebook")).content.decode()
        assert shared.title in page, user
        assert client.get(shared.get_casebook_url()).status_code == 200, user
        if user != cast.supervisor:
            assert mine.title not in page, user
            assert client.get(mine.get_casebook_url()).status_code == 404, user
    elsewhere = InstitutionFactory(code="FAR", name="먼도")
    client.force_login(make_user("far_official", elsewhere, UnitFactory(institution=elsewhere), Role.OFFICIAL))
    assert client.get(shared.get_casebook_url()).status_code == 404


def test_a_lower_institution_sees_what_its_parent_shares(cast: Cast, client: Client) -> None:
    below = InstitutionFactory(code="BELOW", name="새솔구 산하", parent=cast.district)
    lesson = share(cast, group=True)
    user = make_user("below_official", below, UnitFactory(institution=below), "official")
    client.force_login(user)
    assert client.get(lesson.get_casebook_url()).status_code == 200


def test_withdrawn_and_unpublished_lessons_are_not_in_the_casebook(cast: Cast, client_for: ClientFor) -> None:
    lesson = share(cast)
    draft = write(start(closed(cast), cast.audit_staff), cast.audit_staff, title="아직 작성 중인 사례")
    services.lesson_withdraw(actor=actor_for(cast.aa_officer), lesson=lesson, reason="재검토")
    client = client_for("official")
    page = client.get(reverse("lessons:casebook")).content.decode()
    assert lesson.title not in page
    assert draft.title not in page
    assert client.get(lesson.get_casebook_url()).status_code == 404
    assert client.get(draft.get_casebook_url()).status_code == 404


def test_the_casebook_detail_shows_no_source_report(cast: Cast, client_for: ClientFor) -> None:
    lesson = share(cast)
    page = client_for("official").get(lesson.get_casebook_url()).content.decode()
    assert lesson.what_happened in page
    assert lesson.report.number not in page


def test_search_and_filters(cast: Cast, client_for: ClientFor) -> None:
    share(cast, title="주차 단속 민원을 방치한 사례", kind=Report.Kind.NEGLECT)
    share(cast, title="폐지된 서식을 요구한 사례", kind=Report.Kind.DESK_BOUND, year=2025)
    client = client_for("official")

    def titles(**params: Any) -> str:
        response = client.get(reverse("lessons:casebook"), params)
        assert response.status_code == 200
        return response.content.decode()

    assert "주차 단속" in titles(q="주차")
    assert "폐지된" not in titles(q="주차")
    assert "주차 단속" in titles(q="주차 방치")
    assert "주차 단속" not in titles(q="주차 서식"), "every word must match"
    assert "폐지된" in titles(kind="desk_bound")
    assert "주차 단속" not in titles(kind="desk_bound")
    assert "폐지된" in titles(year="2025")
    assert "주차 단속" not in titles(year="2025")
    assert "주차 단속" in titles(year="1850", kind="nope"), "bad filters are ignored"
    assert titles(q="가" * 5000)
    eight = "주차 단속 민원 방치 사례 주 차 단"
    assert "주차 단속" in titles(q=f"{eight} 없는말"), "words after the eighth are ignored"
    partial = client.get(reverse("lessons:casebook"), {"q": "주차"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert "주차 단속" in partial


def test_search_takes_at_most_eight_words(cast: Cast) -> None:
    from lessons.selectors import MAX_TERMS, terms

    assert len(terms(" ".join(f"w{i}" for i in range(20)))) == MAX_TERMS
    assert len("".join(terms("가" * 500))) == 100


def test_html_is_escaped(cast: Cast, client_for: ClientFor) -> None:
    share(cast, title="<script>alert(1)</script> 사례", what_happened="<b>굵게</b>")
    page = client_for("official").get(reverse("lessons:casebook")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_the_casebook_is_paginated_with_bounded_queries(
    cast: Cast, client_for: ClientFor, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        share(cast)
    client = client_for("official_b")
    client.get(reverse("lessons:casebook"))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("lessons:casebook"))
    n = len(few.captured_queries)
    for _ in range(22):
        share(cast)
    with django_assert_max_num_queries(n):
        page = client.get(reverse("lessons:casebook"), {"q": "업무해태"})
    assert page.context["page_obj"].paginator.num_pages == 2


def test_office_and_prepare_lists_have_bounded_queries(
    cast: Cast, client_for: ClientFor, django_assert_max_num_queries: Any
) -> None:
    for _ in range(2):
        start(closed(cast), cast.audit_staff)
        closed(cast)
    client = client_for("aa_officer")
    counts = {}
    for name in ("lessons:office", "lessons:prepare"):
        client.get(reverse(name))
        with django_assert_max_num_queries(30) as few:
            client.get(reverse(name))
        counts[name] = len(few.captured_queries)
    for _ in range(5):
        start(closed(cast), cast.audit_staff)
        closed(cast)
    for name, n in counts.items():
        with django_assert_max_num_queries(n):
            assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("lessons:office"), {"status": "draft"}).status_code == 200
    assert client.get(reverse("lessons:office"), {"status": "bogus"}).status_code == 200


# --- The audit unit's pages -------------------------------------------------------------


def test_prepare_lists_only_closed_disciplinary_reports_without_a_lesson(cast: Cast, client_for: ClientFor) -> None:
    wanted = closed(cast)
    done = closed(cast)
    start(done, cast.audit_staff)
    warning = closed(cast, outcome="warning")
    client = client_for("audit_staff")
    page = client.get(reverse("lessons:prepare")).content.decode()
    assert wanted.number in page
    assert done.number not in page
    assert warning.number not in page
    assert client.post(reverse("lessons:start", args=[warning.pk])).status_code == 404
    assert client.post(reverse("lessons:start", args=[done.pk])).status_code == 404
    response = client.post(reverse("lessons:start", args=[wanted.pk]))
    lesson = Lesson.objects.get(report=wanted)
    assert response.status_code == 302
    assert response["Location"] == reverse("lessons:edit", args=[lesson.pk])
    assert client.get(reverse("lessons:start", args=[wanted.pk])).status_code == 405


def test_the_form_refuses_a_name_by_its_field_and_keeps_the_text(cast: Cast, client_for: ClientFor) -> None:
    lesson = start(closed(cast), cast.audit_staff)
    client = client_for("audit_staff")
    url = reverse("lessons:edit", args=[lesson.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "건축과" in page.content.decode(), "the preparer sees the words to avoid"
    text = "건축과 담당자가 서류를 받지 않았습니다."
    refused = client.post(url, {**form_data(what_happened=text), "then": "submit"})
    assert refused.status_code == 400
    assert refused.context["form"].errors["what_happened"]
    assert text in refused.content.decode()
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.DRAFT
    ok = client.post(url, {**form_data(), "then": "submit"})
    assert ok.status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.IN_REVIEW
    assert client.get(url).status_code == 404, "no edit page in review"


def test_the_form_shows_bad_input_by_its_field(cast: Cast, client_for: ClientFor) -> None:
    lesson = start(closed(cast), cast.audit_staff)
    client = client_for("audit_staff")
    url = reverse("lessons:edit", args=[lesson.pk])
    huge = client.post(url, form_data(what_happened="가" * (services.MAX_TEXT + 1), title="", year="이천"))
    assert huge.status_code == 400
    errors = huge.context["form"].errors
    assert {"what_happened", "title", "year"} <= set(errors)
    saved = client.post(url, {**form_data(title="<i>제목</i>", share_with_group=True), "then": "save"})
    assert saved.status_code == 302
    lesson.refresh_from_db()
    assert lesson.share_with_group
    assert lesson.status == Lesson.Status.DRAFT
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "&lt;i&gt;제목&lt;/i&gt;" in page


def test_a_draft_with_a_name_shows_a_warning_and_submit_is_refused(cast: Cast, client_for: ClientFor) -> None:
    lesson = write(start(closed(cast), cast.audit_staff), cast.audit_staff, measures="건축과 기관경고")
    client = client_for("audit_staff")
    page = client.get(lesson.get_absolute_url())
    assert "조치 결과(징계 등)" in page.content.decode()
    assert page.context["leaks"]
    refused = client.post(reverse("lessons:act", args=[lesson.pk, "submit"]))
    assert refused.status_code == 400
    assert refused.context["refused"]


def test_review_through_the_page(cast: Cast, client_for: ClientFor) -> None:
    lesson = in_review(closed(cast), cast.audit_staff)
    officer = client_for("aa_officer")
    url = lambda action: reverse("lessons:act", args=[lesson.pk, action])  # noqa: E731
    untick = officer.post(url("publish"), {})
    assert untick.status_code == 400
    assert untick.context["actions"][0]["form"].errors["confirmed"]
    assert officer.post(url("return"), {"return-reason": ""}).status_code == 400
    assert officer.post(url("nope")).status_code == 404
    assert officer.post(url("return"), {"return-reason": "교훈 보완"}).status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.RETURNED
    staff = client_for("audit_staff")
    assert staff.post(url("submit")).status_code == 302
    assert staff.post(url("publish"), {"publish-confirmed": "on"}).status_code == 400, "audit staff cannot publish"
    assert officer.post(url("publish"), {"publish-confirmed": "on"}).status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.PUBLISHED
    page = officer.get(lesson.get_absolute_url()).content.decode()
    assert "비식별 확인 후 공유" in page  # the timeline
    assert officer.post(url("withdraw"), {"withdraw-reason": "다시 확인"}).status_code == 302
    assert staff.post(url("revise")).status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.DRAFT


def test_the_author_cannot_publish_their_own_lesson_through_the_page(cast: Cast, client_for: ClientFor) -> None:
    lesson = in_review(closed(cast), cast.aa_officer)
    officer = client_for("aa_officer")
    assert "publish" not in {a["action"].name for a in officer.get(lesson.get_absolute_url()).context["actions"]}
    refused = officer.post(reverse("lessons:act", args=[lesson.pk, "publish"]), {"publish-confirmed": "on"})
    assert refused.status_code == 400
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.IN_REVIEW


def test_the_access_registry_follows_the_same_rules(cast: Cast) -> None:
    from core.access import can_see

    draft = start(closed(cast), cast.audit_staff)
    shared = share(cast, group=True)
    assert can_see(actor_for(cast.aa_officer), draft)
    assert not can_see(actor_for(cast.official), draft)
    assert can_see(actor_for(cast.official), shared)
    assert can_see(actor_for(cast.official_b), shared)
    assert not can_see(actor_for(cast.aa_officer_b), draft)
