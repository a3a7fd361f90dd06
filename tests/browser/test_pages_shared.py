"""The shared office pages in a real browser: notifications (read one, follow one, read all),
the overdue and due-soon deadlines, an attachment download, the 404 page for a signed-in
user, and the office in English (no Korean left in headings, labels or buttons)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core import deadlines, files, notifications
from core.access import actor_for
from core.models import Notification
from core.notifications import users_with_roles
from core.roles import Role
from register import services
from register.models import WorkItem
from tests.browser.helpers import HANGUL, assert_at, follow, goto_ok, submit, texts, url_name
from tests.cast import Cast

pytestmark = pytest.mark.browser


def _work_item(cast: Cast, title: str = "건축허가 처리", reference: str = "BLD-2024-001") -> WorkItem:
    return services.work_item_create(
        actor=actor_for(cast.aa_officer),
        reference=reference,
        title=title,
        category=WorkItem.Category.PERMIT,
        unit=cast.building,
        year=2024,
    )


def test_notifications_are_read_one_by_one_and_all_at_once(
    cast: Cast, page, login, live_url, assert_accessible
) -> None:  # type: ignore[no-untyped-def]
    item = _work_item(cast)
    user = cast.official
    notifications.notify(recipients=[user], title="검토 의견이 등록되었습니다", institution=cast.district, email=False)
    notifications.notify(
        recipients=[user],
        title="업무가 배정되었습니다: 건축허가 처리",
        body="담당자로 지정되었습니다.",
        url=reverse("register:detail", args=[item.pk]),
        institution=cast.district,
        email=False,
    )
    notifications.notify(recipients=[user], title="처리기한이 3일 남았습니다", institution=cast.district, email=False)
    notifications.notify(recipients=[cast.official2], title="남의 알림", institution=cast.district, email=False)

    login(page, "official")
    count = page.request.get(live_url("core:notification_count"))  # the bell's htmx fragment
    assert count.status == 200
    assert "3" in count.text()
    assert "건 읽지 않음" in count.text()

    follow(page, page.locator("#notification-bell"))
    assert_at(page, "core:notifications")
    expect(page.locator("main")).to_contain_text("읽지 않은 알림이 3건 있습니다")
    items = page.locator(".notification-list > li")
    expect(items).to_have_count(3)
    expect(page.locator("main")).not_to_contain_text("남의 알림")
    assert_accessible(page)

    submit(page, re.compile(r"^읽음으로 표시\s*: 검토 의견이 등록되었습니다$"))
    assert_at(page, "core:notifications")
    expect(page.locator("main")).to_contain_text("읽지 않은 알림이 2건 있습니다")
    read = items.filter(has_text="검토 의견이 등록되었습니다")
    expect(read.locator(".krds-badge")).to_have_count(0)
    expect(read.get_by_role("button")).to_have_count(0)
    assert_accessible(page)

    submit(page, re.compile(r"^바로 가기\s*: 업무가 배정되었습니다: 건축허가 처리$"))
    assert_at(page, "register:detail")
    expect(page.locator("h1")).to_have_text("건축허가 처리")
    page.go_back()
    page.reload()
    expect(page.locator("main")).to_contain_text("읽지 않은 알림이 1건 있습니다")

    submit(page, "모두 읽음으로 표시")
    assert_at(page, "core:notifications")
    expect(page.locator("main")).to_contain_text("읽지 않은 알림이 0건 있습니다")
    expect(page.locator(".notification-list .krds-badge")).to_have_count(0)
    expect(page.locator("#notification-bell .pa-bell-count")).to_have_count(0)
    assert_accessible(page)
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()


@pytest.fixture
def review_kind(monkeypatch: pytest.MonkeyPatch) -> str:
    """A deadline kind registered as a module would (the registry is restored after)."""
    monkeypatch.setattr(deadlines, "_KINDS", dict(deadlines._KINDS))
    deadlines.register_deadline_kind(
        "browser.review", "사전컨설팅 검토", lambda d: users_with_roles(d.institution_id, Role.AA_OFFICER)
    )
    return "browser.review"


def test_overdue_and_due_soon_deadlines_are_listed(  # type: ignore[no-untyped-def]  # noqa: PLR0917
    cast: Cast, page, login, live_url, assert_accessible, review_kind
) -> None:
    today = timezone.localdate()
    late = _work_item(cast, "공공건축물 리모델링 인허가", "BLD-2024-001")
    soon = _work_item(cast, "지역축제 안전관리 용역", "BLD-2024-002")
    deadlines.deadline_open(
        target=late,
        kind=review_kind,
        working_days=10,
        label=f"사전컨설팅: {late.title}",
        url=reverse("register:detail", args=[late.pk]),
        starts_on=today - datetime.timedelta(days=40),
        unit=cast.building,
    )
    deadlines.deadline_open(
        target=soon, kind=review_kind, working_days=2, label=f"사전컨설팅: {soon.title}", unit=cast.building
    )

    login(page, "aa_officer")
    goto_ok(page, live_url("core:overdue"))
    expect(page.locator("h1")).to_have_text("기한 경과 건")
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("th")).to_have_text("사전컨설팅: 공공건축물 리모델링 인허가")
    expect(rows.first).to_contain_text("사전컨설팅 검토")
    expect(rows.first).to_contain_text("건축과")
    expect(rows.first).to_contain_text("근무일")
    assert_accessible(page)

    follow(page, page.get_by_role("navigation", name="처리기한 목록").get_by_role("link", name="5근무일 이내 기한"))
    assert_at(page, "core:overdue")
    expect(page.locator("h1")).to_have_text("기한 임박 건")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("th")).to_have_text("사전컨설팅: 지역축제 안전관리 용역")
    assert_accessible(page)

    page.get_by_role("navigation", name="처리기한 목록").get_by_role("link", name="기한 경과").click()
    follow(page, rows.first.get_by_role("link"))
    assert_at(page, "register:detail")
    expect(page.locator("h1")).to_have_text("공공건축물 리모델링 인허가")


def test_attachment_downloads_only_for_those_who_see_the_case(cast: Cast, new_page, login, live_url) -> None:  # type: ignore[no-untyped-def]
    item = _work_item(cast)
    content = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    attachment = files.attach(
        actor=actor_for(cast.aa_officer),
        target=item,
        upload=SimpleUploadedFile("검토의견서.pdf", content, content_type="application/pdf"),
    )
    url = live_url("core:attachment_download", attachment.pk)
    page = new_page()
    login(page, "official")
    assert url_name(url) == "core:attachment_download"
    with page.expect_download() as download_info:
        page.evaluate("href => { const a = document.createElement('a'); a.href = href; a.click(); }", url)
    download = download_info.value
    assert download.suggested_filename == "검토의견서.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == content

    outsider = new_page()
    login(outsider, "official_b")
    assert outsider.request.get(url).status == 404


def test_missing_record_answers_404_inside_the_office(cast: Cast, page, login, live_url, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    other = services.work_item_create(
        actor=actor_for(cast.aa_officer_b),
        reference="DAON-001",
        title="다온 도로 정비",
        category=WorkItem.Category.CONSTRUCTION,
        unit=cast.other_unit,
        year=2024,
    )
    login(page, "official")
    response = page.goto(live_url("register:detail", other.pk))  # another institution's entry
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("페이지를 찾을 수 없습니다")
    expect(page.locator("main")).not_to_contain_text("다온 도로 정비")
    follow(page, page.get_by_role("link", name="업무 화면으로"))
    assert_at(page, "office:home")
    page.go_back()
    assert_accessible(page)


#: What must be in English once the interface is: the page's own words, not the data.
CHROME = (
    "main h1, main h2, main h3, main label, main legend, main caption, main th[scope=col], main button,"
    " main .form-hint, .krds-main-menu a, .krds-main-menu button, #krds-header .header-actions > a"
)


def test_office_in_english_has_no_korean_left_in_headings_labels_or_buttons(  # type: ignore[no-untyped-def]
    cast: Cast, page, login, live_url, assert_accessible
) -> None:
    _work_item(cast)
    login(page, "admin")
    page.click("#language-button")
    with page.expect_navigation():
        page.locator(".pa-language-form").get_by_role("button", name="English").click()
    assert page.get_attribute("html", "lang") == "en"
    assert url_name(page.locator(".pa-language-form").get_attribute("action")) == "set_language"
    assert url_name(page.url) == "office:home"  # set_language returned to the page

    korean: dict[str, list[str]] = {}
    for name, args in [
        ("register:list", ()),
        ("institutions:people", (cast.district.pk,)),
        ("institutions:policy", (cast.district.pk,)),
    ]:
        goto_ok(page, live_url(name, *args))
        assert page.get_attribute("html", "lang") == "en"
        chrome = texts(page, CHROME)
        assert len(chrome) >= 15, f"too little interface text found on {name}: {chrome}"
        left = [text for text in chrome if HANGUL.search(text)]
        if left:
            korean[name] = left
        assert_accessible(page)
    assert not korean, "Korean left in the English interface:\n" + "\n".join(
        f"{name}: {left}" for name, left in korean.items()
    )
