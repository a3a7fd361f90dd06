"""The administration pages in a real browser, as the roles that use them: the institution's
administrator (overview, units, people, accounts, roles, policy), the system superuser
(institutions) and the supervising body (subordinates). Every page and every error state is
axe-clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from institutions.models import Person, RoleAssignment, Unit
from tests.browser.helpers import assert_at, assert_field_error, follow, goto_ok, make_superuser, submit, texts
from tests.cast import Cast

pytestmark = pytest.mark.browser


def test_admin_manages_units_from_the_overview(cast: Cast, page, login, live_url, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    district = cast.district
    login(page, "admin")
    page.goto(live_url("institutions:home"))
    assert_at(page, "institutions:overview")
    expect(page.locator("h1")).to_have_text("새솔구")
    designations = page.locator("section[aria-labelledby=designation-heading] tbody")
    expect(designations).to_contain_text("시스템 관리자")
    expect(page.locator("section[aria-labelledby=policy-heading]")).to_contain_text("10 근무일")
    assert_accessible(page)

    follow(page, page.get_by_role("navigation", name="기관 관리 메뉴").get_by_role("link", name="부서"))
    assert_at(page, "institutions:units")
    tree = page.get_by_role("list", name="부서 구성도")
    expect(tree).to_contain_text("감사담당관")
    expect(tree).to_contain_text("건축과")
    expect(tree).not_to_contain_text("다온구")
    assert_accessible(page)

    follow(page, page.get_by_role("link", name="부서 추가").first)
    assert_at(page, "institutions:unit_create")
    assert_accessible(page)
    page.fill("#id_code", "BLD")  # the building department's code: refused
    page.fill("#id_name", "도로과")
    submit(page, "저장", status=400)
    assert_field_error(page, "id_code", "이미 쓰고 있는 부서 코드")
    expect(page.locator("#id_name")).to_have_value("도로과")
    assert_accessible(page)
    page.fill("#id_code", "ROAD")
    page.select_option("#id_parent", label="건축과 (BLD)")
    submit(page, "저장")
    assert_at(page, "institutions:units")
    expect(page.get_by_role("status")).to_contain_text("부서를 저장했습니다")
    road = Unit.objects.get(institution=district, code="ROAD")
    assert road.parent_id == cast.building.pk

    follow(page, page.get_by_role("link", name="수정 도로과"))
    assert_at(page, "institutions:unit_edit")
    expect(page.locator("#id_name")).to_have_value("도로과")
    assert_accessible(page)
    page.fill("#id_name", "도로관리과")
    submit(page, "저장")
    expect(page.get_by_role("list", name="부서 구성도")).to_contain_text("도로관리과")

    follow(page, page.get_by_role("link", name="사용 중지 도로관리과"))
    assert_at(page, "institutions:unit_deactivate")
    expect(page.get_by_role("heading", level=2, name="도로관리과 사용 중지")).to_be_visible()
    assert_accessible(page)
    page.fill("#id_reason", "조직 개편")
    submit(page, "사용 중지")
    assert_at(page, "institutions:units")
    expect(page.get_by_role("button", name="다시 사용 도로관리과")).to_be_visible()
    assert_accessible(page)
    road.refresh_from_db()
    assert road.is_active is False


def test_people_list_filters_without_reloading(cast: Cast, page, login, live_url, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    login(page, "admin")
    goto_ok(page, live_url("institutions:people", cast.district.pk))
    caption = page.locator("#people-results caption")
    total = Person.objects.filter(institution=cast.district).count()
    expect(caption).to_have_text(f"직원 {total}명")
    rows = page.locator("#people-results tbody tr")
    expect(rows).to_have_count(total)
    assert "official_b" not in texts(page, "#people-results tbody th")
    assert_accessible(page)

    # The unit filter is swapped in by htmx: the page stays, the table changes.
    page.evaluate("() => { window.__sameDocument = true; }")
    with page.expect_response(lambda r: "/people/" in r.url and r.request.headers.get("hx-request") == "true"):
        page.select_option("#id_unit", label="도시계획과 (PLN)")
    in_planning = sorted(Person.objects.filter(unit=cast.planning).values_list("name", flat=True))
    expect(caption).to_have_text(f"직원 {len(in_planning)}명")
    expect(rows).to_have_count(len(in_planning))
    assert sorted(texts(page, "#people-results tbody th")) == in_planning
    assert page.evaluate("() => window.__sameDocument === true"), "the filter reloaded the page"
    assert "unit=" in page.url  # the filter is in the address (bookmarkable, back button)
    assert_accessible(page)

    with page.expect_response(lambda r: "/people/" in r.url and r.request.headers.get("hx-request") == "true"):
        page.fill("#id_q", "hr_off")
        page.locator("#id_q").press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("hr_officer")
    assert_accessible(page)


def test_admin_takes_a_person_from_hiring_to_retirement(cast: Cast, page, login, live_url, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    district = cast.district
    login(page, "admin")
    goto_ok(page, live_url("institutions:people", district.pk))
    follow(page, page.get_by_role("link", name="직원 등록"))
    assert_at(page, "institutions:person_create")
    assert_accessible(page)
    page.fill("#id_employee_number", cast.official.person.employee_number)  # taken
    page.fill("#id_name", "김나래")
    page.fill("#id_email", "not-an-address")
    submit(page, "저장", status=400)
    assert_field_error(page, "id_email", re.compile("이메일|전자우편"))
    expect(page.locator("#id_name")).to_have_value("김나래")
    assert_accessible(page)
    page.fill("#id_email", "narae@example.go.kr")
    submit(page, "저장", status=400)
    assert_field_error(page, "id_employee_number", "이미 쓰고 있는 직원번호")
    assert_accessible(page)
    page.fill("#id_employee_number", "2024-0099")
    page.select_option("#id_unit", label="건축과 (BLD)")
    submit(page, "저장")
    assert_at(page, "institutions:person_detail")
    person = Person.objects.get(institution=district, employee_number="2024-0099")
    expect(page.locator("main")).to_contain_text("김나래")
    expect(page.locator("section[aria-labelledby=account-heading]")).to_contain_text("계정이 없습니다")
    assert_accessible(page)

    follow(page, page.get_by_role("link", name="정보 수정"))
    assert_at(page, "institutions:person_edit")
    expect(page.locator("#id_employee_number")).to_have_value("2024-0099")
    assert_accessible(page)
    page.fill("#id_position", "주무관")
    submit(page, "저장")
    expect(page.locator("main")).to_contain_text("주무관")

    follow(page, page.get_by_role("link", name="계정 만들기"))
    assert_at(page, "institutions:account_create")
    expect(page.locator("#id_email")).to_have_value("narae@example.go.kr")
    assert_accessible(page)
    page.fill("#id_username", "official")  # taken
    submit(page, "계정 만들기", status=400)
    assert_field_error(page, "id_username", "이미 쓰고 있는 아이디")
    assert_accessible(page)
    page.fill("#id_username", "narae")
    submit(page, "계정 만들기")
    assert_at(page, "institutions:person_detail")
    expect(page.locator("section[aria-labelledby=account-heading]")).to_contain_text("narae")

    follow(page, page.locator("section[aria-labelledby=roles-heading]").get_by_role("link", name="역할 지정"))
    assert_at(page, "institutions:role_assign")
    assert_accessible(page)
    page.select_option("#id_role", value="dept_head")  # a department head needs a unit
    submit(page, "지정", status=400)
    assert_field_error(page, "id_unit", "부서장은 맡을 부서를 지정해야 합니다")
    assert_accessible(page)
    page.select_option("#id_unit", label="건축과 (BLD)")
    submit(page, "지정")
    assert_at(page, "institutions:person_detail")
    history = page.locator("section[aria-labelledby=roles-heading] tbody")
    expect(history).to_contain_text("부서장")
    expect(history).to_contain_text("건축과")
    assert_accessible(page)

    follow(page, history.get_by_role("link", name="종료 부서장"))
    assert_at(page, "institutions:role_end")
    assert_accessible(page)
    page.fill("#id_reason", "전보")
    submit(page, "종료")
    assert_at(page, "institutions:person_detail")
    assert RoleAssignment.objects.get(user__person=person).ends_on is not None

    follow(page, page.get_by_role("link", name="퇴직 처리"))
    assert_at(page, "institutions:person_retire")
    assert_accessible(page)
    page.fill("#id_retired_on", "")
    submit(page, "퇴직 처리", status=400)
    assert_field_error(page, "id_retired_on", "필수 항목")
    assert_accessible(page)
    page.fill("#id_retired_on", "2024-12-31")
    submit(page, "퇴직 처리")
    person.refresh_from_db()
    assert person.status == Person.Status.RETIRED
    expect(page.locator("main")).to_contain_text("퇴직")
    assert_accessible(page)


def test_policy_error_is_announced_next_to_its_field(cast: Cast, page, login, live_url, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    login(page, "admin")
    goto_ok(page, live_url("institutions:policy", cast.district.pk))
    expect(page.locator("#id_consultation_days")).to_have_value("10")
    legends = texts(page, "main form legend")
    assert "처리기한" in legends
    assert "적극행정위원회" in legends
    assert_accessible(page)

    page.fill("#id_consultation_days", "99")
    submit(page, "저장", status=400)
    assert_field_error(page, "id_consultation_days", "60")
    expect(page.locator("#id_consultation_days")).to_have_value("99")
    assert_accessible(page)

    # A rule across a group (the weights must add up to 100) is announced at the top.
    page.fill("#id_consultation_days", "12")
    page.fill("#id_weight_public_interest", "90")
    submit(page, "저장", status=400)
    expect(page.get_by_role("alert")).to_contain_text("100")
    expect(page.locator("#group-rewards-error")).to_contain_text("100")
    assert_accessible(page)


def test_superuser_registers_and_edits_institutions(cast: Cast, page, login, live_url, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    make_superuser()
    login(page, "root")
    page.goto(live_url("institutions:home"))
    assert_at(page, "institutions:list")
    names = texts(page, "main tbody th")
    assert {"한빛광역시", "새솔구", "다온구"} <= set(names)
    assert_accessible(page)
    page.fill("#id_q", "다온")
    submit(page, "찾기")
    assert texts(page, "main tbody th") == ["다온구"]
    assert_accessible(page)

    follow(page, page.get_by_role("link", name="기관 등록"))
    assert_at(page, "institutions:create")
    assert_accessible(page)
    page.fill("#id_code", "SAESOL")  # taken
    page.fill("#id_name", "가람군")
    submit(page, "저장", status=400)
    assert_field_error(page, "id_code", "이미 쓰고 있는 기관 코드")
    expect(page.locator("#id_name")).to_have_value("가람군")
    assert_accessible(page)
    page.fill("#id_code", "GARAM")
    page.select_option("#id_parent", label="한빛광역시")
    submit(page, "저장")
    assert_at(page, "institutions:overview")
    expect(page.locator("h1")).to_have_text("가람군")
    assert_accessible(page)

    follow(page, page.get_by_role("link", name="기관 정보 수정"))
    assert_at(page, "institutions:edit")
    expect(page.locator("#id_code")).to_have_value("GARAM")
    assert_accessible(page)
    page.fill("#id_name_en", "Garam-gun")
    submit(page, "저장")
    expect(page.locator("main")).to_contain_text("Garam-gun")


def test_supervisor_sees_the_institutions_below(cast: Cast, page, login, live_url, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    login(page, "supervisor")
    page.goto(live_url("institutions:home"))
    assert_at(page, "institutions:subordinates")
    expect(page.locator("h1")).to_have_text("하위 기관")
    expect(page.locator("main caption")).to_contain_text("한빛광역시 아래 기관")
    assert sorted(texts(page, "main tbody th")) == ["다온구", "새솔구"]
    expect(page.locator("main tbody")).to_contain_text("10 근무일")
    assert_accessible(page)
    # The supervising body does not administer them.
    response = page.goto(live_url("institutions:people", cast.district.pk))
    assert response.status == 404
