"""The best-practice library in a real browser: an official writes a case (errors by their
fields), adds a picture and sends it to review; the reviewer sends it back without a reason
(refused), with one, then publishes it; anyone finds it on the portal by a two-syllable
search and reads it with its picture, on a desktop and a phone. Every page is axe-clean."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.tests import filefactory as ff
from library import services
from library.models import BestPractice
from library.tests.factories import actor, in_review, published
from tests.browser.conftest import MOBILE
from tests.browser.helpers import assert_at, assert_field_error, click, follow, goto_ok, open_details, submit
from tests.cast import Cast

pytestmark = pytest.mark.browser

COVERS = {
    "library:list": "test_official_writes_a_case_with_a_picture_and_sends_it_to_review",
    "library:create": "test_official_writes_a_case_with_a_picture_and_sends_it_to_review",
    "library:edit": "test_official_writes_a_case_with_a_picture_and_sends_it_to_review",
    "library:detail": "test_official_writes_a_case_with_a_picture_and_sends_it_to_review",
    "library:queue": "test_reviewer_sends_back_then_publishes_and_the_public_finds_it",
    "portal_library:list": "test_reviewer_sends_back_then_publishes_and_the_public_finds_it",
    "portal_library:detail": "test_reviewer_sends_back_then_publishes_and_the_public_finds_it",
    "portal_library:image": "test_reviewer_sends_back_then_publishes_and_the_public_finds_it",
}
POST_ONLY = {
    "library:act": "official",
    "library:image_add": "official",
    "library:image_remove": "official",
}


def _png() -> dict[str, object]:
    return {"name": "현장.png", "mimeType": "image/png", "buffer": ff.image("PNG", size=(320, 200))}


def test_official_writes_a_case_with_a_picture_and_sends_it_to_review(  # type: ignore[no-untyped-def]
    cast: Cast, page, *, login, live_url, assert_accessible
) -> None:
    login(page, "official")
    goto_ok(page, live_url("library:list"))
    assert_accessible(page)
    follow(page, page.locator("main").get_by_role("link", name="우수사례 쓰기"))
    assert_at(page, "library:create")
    assert_accessible(page)

    page.fill("#id_title", "")
    page.select_option("#id_policy_field", "urban")
    page.fill("#id_year", "1800")
    page.fill("#id_problem", "<b>주택가</b> 주차난")
    submit(page, "저장", status=400)
    assert_field_error(page, "id_title", "필수 항목")
    assert_field_error(page, "id_year", "2000")
    expect(page.locator("#id_problem")).to_have_value("<b>주택가</b> 주차난")
    assert_accessible(page)

    page.fill("#id_title", "주차장 공유로 주차난 해소")
    page.fill("#id_year", "2025")
    submit(page, "저장")
    assert_at(page, "library:detail")
    expect(page.locator("h1")).to_have_text("주차장 공유로 주차난 해소")
    expect(page.locator(".pa-alert-warning")).to_contain_text("적극행정 내용을 입력해 주십시오.")
    expect(page.locator("main")).to_contain_text("<b>주택가</b> 주차난")
    assert_accessible(page)

    page.set_input_files("#id_file", files=[{"name": "설명.pdf", "mimeType": "application/pdf", "buffer": ff.pdf()}])
    submit(page, "사진 올리기", status=400)
    assert_field_error(page, "id_file", "사진(PNG·JPEG·GIF·WebP)만")
    page.set_input_files("#id_file", files=[_png()])  # type: ignore[list-item]
    submit(page, "사진 올리기")
    picture = page.locator("main .pa-figure img")
    expect(picture).to_have_count(1)
    assert page.evaluate("(img) => img.complete && img.naturalWidth", picture.element_handle()) == 320
    assert_accessible(page)

    follow(page, page.locator("main").get_by_role("link", name="사례 고치기"))
    assert_at(page, "library:edit")
    page.fill("#id_action", "학교 운동장 주차장을 야간에 주민에게 개방했습니다.")
    page.fill("#id_result", "주차면 420면을 확보했습니다.")
    assert_accessible(page)
    submit(page, "저장")
    assert_at(page, "library:detail")
    submit(page, "검토 요청")
    expect(page.locator(".pa-page-head")).to_contain_text("검토 중")
    assert_accessible(page)
    assert BestPractice.objects.get().status == BestPractice.Status.IN_REVIEW


def test_reviewer_sends_back_then_publishes_and_the_public_finds_it(  # type: ignore[no-untyped-def]
    cast: Cast, page, new_page, *, login, live_url, assert_accessible
) -> None:
    published(
        cast,
        title="폭염 취약계층 안부 확인",
        problem="홀로 사는 어르신",
        action="방문",
        result="구조",
        policy_field="welfare",
    )
    case = in_review(cast, title="주차장 공유로 주차난 해소")
    services.case_withdraw(actor=actor(cast.official), case=case)
    image = services.case_add_image(
        actor=actor(cast.official),
        case=case,
        upload=ff.upload("현장.png", ff.image("PNG", size=(320, 200)), "image/png"),
    )
    services.case_submit(actor=actor(cast.official), case=case)

    login(page, "aa_officer")
    goto_ok(page, live_url("library:queue"))
    expect(page.locator("h1")).to_have_text("우수사례 검토")
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="주차장 공유로 주차난 해소"))
    assert_at(page, "library:detail")
    open_details(page, "보완 요청(작성자에게 돌려보냄)")
    submit(page, "보완 요청(작성자에게 돌려보냄)", status=400)
    assert_field_error(page, "id_return-reason", "필수 항목")
    assert_accessible(page)
    page.fill("#id_return-reason", "성과를 수치로 적어 주십시오.")
    submit(page, "보완 요청(작성자에게 돌려보냄)")
    expect(page.locator(".pa-page-head")).to_contain_text("작성 중")

    services.case_submit(actor=actor(cast.official), case=BestPractice.objects.get(pk=case.pk))
    page.reload()
    submit(page, "승인하고 공개")
    expect(page.locator(".pa-page-head")).to_contain_text("공개")
    assert_accessible(page)

    for viewport in (None, MOBILE):
        visitor = new_page(viewport=viewport) if viewport else new_page()
        goto_ok(visitor, live_url("portal:home"))
        click(visitor, visitor.get_by_role("link", name="우수사례 찾아보기"))  # once the page is still
        assert_at(visitor, "portal_library:list")
        expect(visitor.locator("#results-title")).to_have_text("우수사례 2건")
        assert_accessible(visitor)
        visitor.fill("#id_q", "주차")
        submit(visitor, "찾기")
        expect(visitor.locator("#results-title")).to_have_text("'주차' 검색 결과 1건")
        visitor.select_option("#id_policy_field", "welfare")
        submit(visitor, "찾기")
        expect(visitor.locator(".pa-empty")).to_be_visible()
        assert_accessible(visitor)
        visitor.select_option("#id_policy_field", "")
        # the institution is typed: a name that fits several lists them to pick from
        visitor.fill("#id_org", "구")
        submit(visitor, "찾기")
        expect(visitor.locator("#id_org_error")).to_contain_text("이름이 맞는 기관이 여럿입니다")
        candidates = visitor.get_by_role("list", name="이름이 맞는 기관")
        expect(candidates.get_by_role("link")).to_have_count(2)
        assert_accessible(visitor)
        follow(visitor, candidates.get_by_role("link", name="새솔구 (한빛광역시)"))
        expect(visitor.locator("#id_org")).to_have_value("새솔구")
        expect(visitor.locator("#results-title")).to_have_text("'주차' 검색 결과 1건")
        follow(visitor, visitor.get_by_role("link", name="주차장 공유로 주차난 해소"))
        assert_at(visitor, "portal_library:detail")
        expect(visitor.locator("h1")).to_have_text("주차장 공유로 주차난 해소")
        picture = visitor.locator("main .pa-figure img")
        expect(picture).to_have_count(1)
        picture.scroll_into_view_if_needed()
        visitor.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=picture.element_handle())
        assert picture.get_attribute("src") == reverse(
            "portal_library:image", kwargs={"pk": case.pk, "image_pk": image.pk}
        )
        assert_accessible(visitor)
    assert BestPractice.objects.get(pk=case.pk).view_count == 1  # the same visitor (address) today
