"""The portal's front door: the home page's services, the institutions directory and an
institution's public page (no account; only active institutions and published cases)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from pytest_django import DjangoAssertNumQueries

from institutions.models import Institution
from library.models import BestPractice
from library.tests.factories import BestPracticeFactory
from portal import selectors, views
from tests.cast import Cast
from tests.factories import InstitutionFactory

HOME = reverse("portal:home")
DIRECTORY = reverse("portal:institutions")


def page_of(pk: int) -> str:
    return reverse("portal:institution", kwargs={"pk": pk})


def names_in(content: str, institutions: list[Institution]) -> list[str]:
    """The names of the institutions whose page the content links, in the order shown."""
    shown = [i for i in institutions if page_of(i.pk) in content]
    return [i.name for i in sorted(shown, key=lambda i: content.index(page_of(i.pk)))]


# --- Home -------------------------------------------------------------------------------


def test_home_links_every_installed_service(db: None) -> None:
    content = Client().get(HOME).content.decode()
    for name in ("portal_reports:start", "portal_library:list", "portal:follow", "portal:institutions"):
        assert f'href="{reverse(name)}"' in content
    for title in ("소극행정 신고", "적극행정 우수사례", "처리 상황 확인", "기관 찾기"):
        assert f'<h3 class="pa-card-title">{title}</h3>' in content
    assert "IP 주소" in content


def test_home_leaves_out_a_service_that_is_not_installed(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = views.Service("portal_nothing:start", "없는 서비스", "설명", "준비물", "가기")
    monkeypatch.setattr(views, "SERVICES", [*views.SERVICES, missing])
    with pytest.raises(NoReverseMatch):
        reverse("portal_nothing:start")
    response = Client().get(HOME)
    assert response.status_code == 200
    assert "없는 서비스" not in response.content.decode()


def test_home_lists_recommendation_and_application_once_they_exist(db: None) -> None:
    content = Client().get(HOME).content.decode()
    expected = (("portal_recommendations:start", "국민추천"), ("portal_applications:start", "적극행정 국민신청"))
    for name, title in expected:
        try:
            url = reverse(name)
        except NoReverseMatch:
            assert f">{title}</h3>" not in content
        else:
            assert f'href="{url}"' in content


def test_home_answers_post_with_405(db: None) -> None:
    assert Client().post(HOME).status_code == 405


# --- Directory --------------------------------------------------------------------------


def test_directory_lists_active_institutions_by_name(cast: Cast) -> None:
    closed = InstitutionFactory(name="가나다구", is_active=False)
    content = Client().get(DIRECTORY).content.decode()
    assert names_in(content, [cast.city, cast.district, cast.other, closed]) == ["다온구", "새솔구", "한빛광역시"]
    assert "기관 3곳" in content


@pytest.mark.parametrize("q", ["새솔", "솔구", "saesol", "SAESOL-GU", "  새솔  "])
def test_directory_searches_korean_and_english_names(cast: Cast, q: str) -> None:
    content = Client().get(DIRECTORY, {"q": q}).content.decode()
    assert names_in(content, [cast.city, cast.district, cast.other]) == ["새솔구"]


def test_directory_search_without_match_says_so(cast: Cast) -> None:
    content = Client().get(DIRECTORY, {"q": "없는기관"}).content.decode()
    assert "조건에 맞는 기관이 없습니다" in content
    assert 'value="없는기관"' in content


def test_directory_filters_by_kind_and_parent(cast: Cast) -> None:
    content = Client().get(DIRECTORY, {"kind": Institution.Kind.PROVINCE}).content.decode()
    assert names_in(content, [cast.city, cast.district, cast.other]) == ["한빛광역시"]
    content = Client().get(DIRECTORY, {"parent": cast.city.pk}).content.decode()
    assert names_in(content, [cast.city, cast.district, cast.other]) == ["다온구", "새솔구"]


def test_directory_offers_only_parents_with_institutions_below(cast: Cast) -> None:
    assert selectors.parents() == [cast.city]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "<b>bogus</b>"}, "kind"),
        ({"parent": "²"}, "parent"),
        ({"parent": "-1"}, "parent"),
        ({"parent": "9" * 30}, "parent"),
        ({"parent": "abc"}, "parent"),
    ],
)
def test_directory_shows_a_bad_filter_next_to_its_field_and_ignores_it(
    cast: Cast, params: dict[str, str], field: str
) -> None:
    response = Client().get(DIRECTORY, params)
    assert response.status_code == 200
    content = response.content.decode()
    assert f'id="id_{field}_error"' in content
    assert "<b>bogus</b>" not in content
    assert names_in(content, [cast.city, cast.district, cast.other]) == ["다온구", "새솔구", "한빛광역시"]


def test_directory_escapes_html_in_the_query(cast: Cast) -> None:
    q = '<script>alert("x")</script>'
    response = Client().get(DIRECTORY, {"q": q})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content


def test_directory_refuses_a_huge_query_with_an_error(cast: Cast) -> None:
    response = Client().get(DIRECTORY, {"q": "새솔" * 500})
    assert response.status_code == 200
    assert 'id="id_q_error"' in response.content.decode()


@pytest.fixture
def many(cast: Cast) -> list[Institution]:
    """65 active institutions below the city (3 pages of 30 with the cast's three)."""
    return InstitutionFactory.create_batch(65, parent=cast.city)


def test_directory_pages_hold_thirty_institutions(many: list[Institution]) -> None:
    first = Client().get(DIRECTORY).context["page_obj"]
    assert first.paginator.count == 68
    assert first.paginator.num_pages == 3
    assert len(first.object_list) == selectors.PER_PAGE
    last = Client().get(DIRECTORY, {"page": "3"}).context["page_obj"]
    assert len(last.object_list) == 8


@pytest.mark.parametrize(("value", "number"), [("²", 1), ("abc", 1), ("", 1), ("1.5", 1), ("-1", 3), ("9" * 30, 3)])
def test_directory_page_values_out_of_range_never_fail(many: list[Institution], value: str, number: int) -> None:
    response = Client().get(DIRECTORY, {"page": value})
    assert response.status_code == 200
    assert response.context["page_obj"].number == number


def test_directory_page_links_keep_the_search(many: list[Institution]) -> None:
    content = Client().get(DIRECTORY, {"q": "시험기관", "page": "1"}).content.decode()
    assert "?q=%EC%8B%9C%ED%97%98%EA%B8%B0%EA%B4%80&amp;page=2" in content


def test_directory_htmx_request_gets_only_the_results(cast: Cast) -> None:
    response = Client().get(DIRECTORY, {"q": "새솔"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "<html" not in content
    assert page_of(cast.district.pk) in content
    assert "HX-Request" in response["Vary"]


def test_directory_history_restore_gets_the_whole_page(cast: Cast) -> None:
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    content = Client().get(DIRECTORY, {"q": "새솔"}, headers=headers).content.decode()
    assert "<html" in content


def test_directory_query_count_does_not_grow_with_the_page(
    many: list[Institution], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = Client()
    client.get(DIRECTORY)  # sessions, caches
    with django_assert_max_num_queries(4):
        response = client.get(DIRECTORY, {"parent": str(many[0].parent_id)})
    assert len(response.context["page_obj"].object_list) == selectors.PER_PAGE


# --- Institution page -------------------------------------------------------------------


def test_institution_page_shows_name_parent_and_preselected_services(cast: Cast) -> None:
    content = Client().get(page_of(cast.district.pk)).content.decode()
    assert '<h1 class="pa-page-title">새솔구</h1>' in content
    assert f'href="{page_of(cast.city.pk)}"' in content
    assert f'href="{reverse("portal_reports:new")}?institution={cast.district.pk}"' in content
    assert "아직 공개된 우수사례가 없습니다" in content


def test_institution_page_links_the_other_public_services_when_they_exist(cast: Cast) -> None:
    content = Client().get(page_of(cast.district.pk)).content.decode()
    for name in ("portal_recommendations:new", "portal_applications:new"):
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        assert f'href="{url}?institution={cast.district.pk}"' in content


def test_institution_page_counts_published_cases_and_shows_the_latest(cast: Cast) -> None:
    cases = BestPracticeFactory.create_batch(5, unit=cast.building, author=cast.official)
    BestPracticeFactory(
        unit=cast.building, author=cast.official, title="초안 사례", status=BestPractice.Status.DRAFT, published_at=None
    )
    BestPracticeFactory(unit=cast.other_unit, author=cast.official_b, title="다른 기관 사례")
    content = Client().get(page_of(cast.district.pk)).content.decode()
    assert "적극행정 우수사례 5건" in content
    shown = [c for c in cases if reverse("portal_library:detail", kwargs={"pk": c.pk}) in content]
    assert shown == cases[-selectors.LATEST_CASES :]
    assert "초안 사례" not in content
    assert "다른 기관 사례" not in content
    assert f"{reverse('portal_library:list')}?institution={cast.district.pk}" in content


def test_institution_page_hides_an_inactive_parent(cast: Cast) -> None:
    Institution.objects.filter(pk=cast.city.pk).update(is_active=False)
    content = Client().get(page_of(cast.district.pk)).content.decode()
    assert page_of(cast.city.pk) not in content


@pytest.mark.parametrize("pk", ["999999", "9" * 30, "0"])
def test_institution_page_of_a_missing_institution_is_404(cast: Cast, pk: str) -> None:
    assert Client().get(f"/institutions/{pk}/").status_code == 404


@pytest.mark.parametrize("path", ["/institutions/-1/", "/institutions/²/", "/institutions/abc/"])
def test_institution_page_with_a_bad_id_is_404(cast: Cast, path: str) -> None:
    assert Client().get(path).status_code == 404


def test_institution_page_of_an_inactive_institution_is_404(cast: Cast) -> None:
    closed = InstitutionFactory(is_active=False)
    assert Client().get(page_of(closed.pk)).status_code == 404


def test_institution_page_escapes_the_name(cast: Cast) -> None:
    odd = InstitutionFactory(name="<script>x</script>구")
    content = Client().get(page_of(odd.pk)).content.decode()
    assert "<script>x</script>" not in content
    assert "&lt;script&gt;x&lt;/script&gt;구" in content


def test_institution_page_query_count(cast: Cast, django_assert_max_num_queries: DjangoAssertNumQueries) -> None:
    BestPracticeFactory.create_batch(5, unit=cast.building, author=cast.official)
    client = Client()
    client.get(page_of(cast.district.pk))
    with django_assert_max_num_queries(3):
        client.get(page_of(cast.district.pk))


def test_directory_ordering_is_indexed() -> None:
    indexed = [list(index.fields) for index in Institution._meta.indexes]
    assert ["is_active", "name"] in indexed
