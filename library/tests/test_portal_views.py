"""The public library: no account needed, only published cases exist, text is escaped,
odd search input never fails, pictures are served only for published cases, the view
counter counts a visitor once a day and stores nothing about them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry
from core.tests import filefactory as ff
from library import services
from library.models import BestPractice
from library.tests.factories import BestPracticeFactory, actor, in_review, published, write
from tests.cast import Cast


def list_url(query: str = "") -> str:
    return reverse("portal_library:list") + (f"?{query}" if query else "")


def test_the_list_shows_published_cases_to_anyone(cast: Cast) -> None:
    published(cast, title="주차장 공유 사업")
    in_review(cast, title="검토 중인 사례")
    write(cast, title="초안 사례")
    response = Client().get(list_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "주차장 공유 사업" in page
    assert "검토 중인 사례" not in page
    assert "초안 사례" not in page


def test_a_two_syllable_search_and_the_filters(cast: Cast) -> None:
    published(cast, title="주차장 공유 사업", year=2025)
    published(
        cast, title="폭염 안부 확인", problem="어르신", action="방문", result="구조", year=2024, policy_field="welfare"
    )
    page = Client().get(list_url("q=주차")).content.decode()
    assert "주차장 공유 사업" in page
    assert "폭염 안부 확인" not in page
    assert "'주차' 검색 결과 1건" in page
    page = Client().get(list_url("year=2024")).content.decode()
    assert "폭염 안부 확인" in page
    assert "주차장 공유 사업" not in page
    page = Client().get(list_url(f"institution={cast.district.pk}&policy_field=urban")).content.decode()
    assert "주차장 공유 사업" in page
    assert "폭염 안부 확인" not in page


def test_the_institution_is_typed_and_a_name_that_fits_one_picks_it(cast: Cast) -> None:
    published(cast, title="주차장 공유 사업")
    page = Client().get(list_url("org=새솔")).content.decode()
    assert "주차장 공유 사업" in page
    assert 'value="새솔구"' in page  # the field shows the picked institution's name ...
    assert f'name="institution" value="{cast.district.pk}"' in page  # ... and keeps it for the next search
    assert re.search(r'<select[^>]*name="(institution|org)"', page) is None  # no list of every institution
    assert 'type="text" name="org"' in page
    # English names too, whatever the case
    english = Client().get(list_url("org=SAESOL-gu")).content.decode()
    assert "주차장 공유 사업" in english
    assert 'value="새솔구"' in english
    assert "주차장 공유 사업" not in Client().get(list_url("org=다온")).content.decode()


def candidate_list(page: str) -> str:
    """The markup of the list of institutions a typed name fits."""
    return page.split('class="pa-item-list pa-candidates"')[1].split("</ul>", maxsplit=1)[0]


def link_to(links: str, name: str) -> str:
    """The query string of the candidate link named `name`."""
    found = next(part for part in links.split('href="?')[1:] if name in part.split("</a>")[0])
    return found.split('"')[0].replace("&amp;", "&")


def test_a_name_that_fits_several_lists_them_and_a_link_picks_one(cast: Cast) -> None:
    published(cast, title="주차장 공유 사업")
    page = Client().get(list_url("org=구&q=주차")).content.decode()
    assert "이름이 맞는 기관이 여럿입니다." in page
    assert 'aria-invalid="true"' in page
    assert 'value="구"' in page
    assert "주차장 공유 사업" in page  # the other filters still apply; the institution does not
    links = candidate_list(page)
    assert "새솔구 (한빛광역시)" in links  # each with the body above it
    assert "다온구 (한빛광역시)" in links
    assert ">한빛광역시<" not in links  # "구" is not in its name
    picked = Client().get(list_url(link_to(links, "새솔구"))).content.decode()
    assert "주차장 공유 사업" in picked
    assert "'주차' 검색 결과 1건" in picked
    assert 'aria-invalid="true"' not in picked
    assert "주차장 공유 사업" not in Client().get(list_url(link_to(links, "다온구"))).content.decode()


def test_an_emptied_name_lets_go_of_the_picked_institution(cast: Cast) -> None:
    published(cast, title="주차장 공유 사업")
    page = Client().get(list_url(f"org=&institution={cast.other.pk}")).content.decode()
    assert "주차장 공유 사업" in page  # not filtered by 다온구 any more
    assert 'value="다온구"' not in page


def test_the_exact_name_is_picked_however_many_names_hold_it(cast: Cast) -> None:
    from tests.factories import InstitutionFactory

    for n in range(15):
        InstitutionFactory(code=f"SHADOW{n:02d}", name=f"가나 새솔구 {n:02d}", parent=cast.city)
    published(cast, title="주차장 공유 사업")
    page = Client().get(list_url("org=새솔구")).content.decode()
    assert "주차장 공유 사업" in page
    assert f'name="institution" value="{cast.district.pk}"' in page
    assert "이름이 맞는 기관이" not in page


def test_in_english_the_candidates_and_the_pick_are_named_in_english(cast: Cast) -> None:
    published(cast, title="주차장 공유 사업")
    client = Client(headers={"accept-language": "en"})
    page = client.get(list_url("org=gu")).content.decode()
    links = candidate_list(page)
    assert "Saesol-gu (Hanbit Metropolitan City)" in links
    picked = client.get(list_url(link_to(links, "Saesol-gu"))).content.decode()
    assert 'value="Saesol-gu"' in picked
    assert "주차장 공유 사업" in picked


def test_a_name_that_fits_too_many_lists_the_first_ten_and_asks_for_more(cast: Cast) -> None:
    from library.forms import CANDIDATES
    from tests.factories import InstitutionFactory

    for n in range(CANDIDATES + 2):
        InstitutionFactory(code=f"MANY{n:02d}", name=f"많은동네 {n:02d}", parent=cast.city)
    page = Client().get(list_url("org=많은동네")).content.decode()
    assert f"이름이 맞는 기관이 {CANDIDATES}곳보다 많습니다." in page
    links = candidate_list(page)
    assert links.count("<li>") == CANDIDATES


def test_a_name_that_fits_none_says_so_and_keeps_the_text(cast: Cast) -> None:
    published(cast, title="주차장 공유 사업")
    page = Client().get(list_url("org=없는기관")).content.decode()
    assert "이름이 맞는 기관이 없습니다." in page
    assert 'value="없는기관"' in page
    assert "주차장 공유 사업" in page


def test_a_picked_institution_gives_way_to_a_name_typed_over_it(cast: Cast) -> None:
    published(cast, title="주차장 공유 사업")
    page = Client().get(list_url(f"institution={cast.district.pk}&org=다온구")).content.decode()
    assert "주차장 공유 사업" not in page
    assert f'name="institution" value="{cast.other.pk}"' in page


@pytest.mark.parametrize(
    "query",
    [
        'q="',
        "q=*",
        "q=NEAR(",
        "q=%22%EC%A3%BC%EC%B0%A8%22+OR+%2A",
        "q=" + "주" * 5000,
        "year=abc&institution=-1&policy_field=zzz&page=999",
        "institution=99999999999999999999999",
        "org=" + "가" * 500,
        "org=%00&institution=0",
        "org=%25&institution=abc",
        "page=-1",
        "q=%00",
    ],
)
def test_odd_input_never_fails(cast: Cast, query: str) -> None:
    published(cast)
    assert Client().get(list_url(query)).status_code == 200


def test_search_words_and_case_texts_are_escaped(cast: Cast) -> None:
    case = published(cast, title="<script>alert('t')</script> 주차", problem="<img src=x onerror=alert(1)>")
    page = Client().get(list_url("q=<b>주차</b>")).content.decode()
    assert "<b>주차</b>" not in page
    assert "&lt;b&gt;" in page
    page = Client().get(list_url()).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    detail = Client().get(case.get_public_url()).content.decode()
    assert "<img src=x" not in detail
    assert "&lt;img src=x onerror=alert(1)&gt;" in detail


def test_the_list_is_paged_with_bounded_queries(cast: Cast, django_assert_max_num_queries: object) -> None:
    for n in range(30):
        BestPracticeFactory(unit=cast.building, title=f"주차장 사례 {n}", author=cast.official)
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        response = Client().get(list_url("q=주차장"))
    assert len(response.context["page_obj"].object_list) == 12
    assert response.context["page_obj"].paginator.num_pages == 3
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        Client().get(list_url("q=주차&page=3"))


def test_a_search_counts_up_to_its_limit_and_has_no_pages_past_it(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("library.search.WINDOW_LIMIT", 20)
    for n in range(30):
        BestPracticeFactory(unit=cast.building, title=f"주차장 사례 {n}", author=cast.official)
    response = Client().get(list_url("q=주차장"))
    page = response.content.decode()
    assert "'주차장' 검색 결과 20건 이상" in page
    assert "낱말을 더하거나" in page
    paginator = response.context["page_obj"].paginator
    assert (paginator.count, paginator.num_pages) == (20, 2)
    last = Client().get(list_url("q=주차장&page=9"))  # past the limit: the last page there is
    assert last.status_code == 200
    assert last.context["page_obj"].number == 2
    assert len(last.context["page_obj"].object_list) == 8
    # the plain list (no words) counts every case
    plain = Client().get(list_url())
    assert plain.context["page_obj"].paginator.count == 30
    assert "우수사례 30건" in plain.content.decode()


def test_the_detail_page_is_public_for_published_cases_only(cast: Cast) -> None:
    case = published(cast, rule_improved="주차장 조례 개정", officials=[cast.official.person])
    response = Client().get(case.get_public_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "주차장 조례 개정" in page
    assert cast.official.person.name in page
    assert cast.official.person.employee_number not in page
    draft = write(cast)
    review = in_review(cast)
    for other in (draft, review):
        assert Client().get(reverse("portal_library:detail", kwargs={"pk": other.pk})).status_code == 404
    assert Client().get(reverse("portal_library:detail", kwargs={"pk": 999999})).status_code == 404


def test_a_visitor_is_counted_once_a_day_and_nothing_about_them_is_stored(cast: Cast) -> None:
    case = published(cast)
    audit_before = AuditEntry.objects.count()
    visitor = Client(REMOTE_ADDR="203.0.113.7")
    visitor.get(case.get_public_url())
    visitor.get(case.get_public_url())
    Client(REMOTE_ADDR="198.51.100.2").get(case.get_public_url())
    case.refresh_from_db()
    assert case.view_count == 2
    assert AuditEntry.objects.count() == audit_before
    assert settings.SESSION_COOKIE_NAME not in visitor.cookies  # no session is started for a reader


def test_pictures_of_a_published_case_are_public_images(cast: Cast) -> None:
    case = write(cast)
    image = services.case_add_image(
        actor=actor(cast.official), case=case, upload=ff.upload("현장.png", ff.image("PNG", exif=True), "image/png")
    )
    url = reverse("portal_library:image", kwargs={"pk": case.pk, "image_pk": image.pk})
    assert Client().get(url).status_code == 404  # a draft's picture
    services.case_submit(actor=actor(cast.official), case=case)
    assert Client().get(url).status_code == 404  # in review
    services.case_publish(actor=actor(cast.aa_officer), case=case)
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert body.startswith(b"\x89PNG")
    assert b"Exif" not in body
    assert image.pk
    assert url in Client().get(case.get_public_url()).content.decode()
    # another case's picture under this case's address
    other = published(cast, title="다른 사례")
    assert (
        Client().get(reverse("portal_library:image", kwargs={"pk": other.pk, "image_pk": image.pk})).status_code == 404
    )
    # the staff download stays for signed-in staff only
    assert Client().get(reverse("core:attachment_download", args=[image.pk])).status_code == 302


def test_the_portal_home_links_to_the_library(cast: Cast) -> None:
    assert list_url() in Client().get(reverse("portal:home")).content.decode()


def test_unpublished_case_leaves_the_portal(cast: Cast) -> None:
    case = published(cast)
    services.case_unpublish(actor=actor(cast.aa_officer), case=case, reason="정정")
    assert Client().get(case.get_public_url()).status_code == 404
    assert BestPractice.objects.get(pk=case.pk).status == BestPractice.Status.DRAFT


def test_the_year_filter_lists_the_years_of_published_cases_and_keeps_them(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    from library import selectors

    case = published(cast, title="주차장 공유 사업", year=2024)
    assert selectors.published_years() == [2024]
    with django_assert_num_queries(0):
        assert selectors.published_years() == [2024]  # kept
    published(cast, title="폭염 안부 확인", year=2025)
    assert selectors.published_years() == [2025, 2024]  # a publication forgets them
    services.case_unpublish(actor=actor(cast.aa_officer), case=case, reason="사실과 다른 내용")
    assert selectors.published_years() == [2025]
    page = Client().get(list_url("year=2024")).content.decode()
    assert '<option value="2024"' not in page
