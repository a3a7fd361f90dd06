"""Query counts of the API's list endpoints that the other API tests do not measure (they
measure /institutions, /units, /people, /register and /exemptions): each list is read with
a few rows, then with more rows, each carrying the relations its schema serialises (people,
work items, tags, attachments...), and must cost the same number of queries (issue 8)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from applications.tests.factories import reviewing as application_reviewing
from applications.tests.factories import submit as application_submit
from committee.models import AgendaItem, Meeting, Opinion
from committee.services import opinions as opinion_services
from committee.tests.factories import AgendaItemFactory, MeetingFactory, appoint, pool_with_accounts, seat_all
from committee.tests.requests_fixtures import advised, audit_request, item, on_agenda, submit
from consultations.tests.factories import submitted, under_review, with_opinion
from core.access import actor_for
from exemptions.models import ExemptionCase
from exemptions.services.demands import disciplinary_demand_record
from exemptions.services.reports import quarterly_report_submit
from exemptions.tests import factories as ef
from library.tests.factories import BestPracticeFactory, in_review, published, write
from protection.tests.factories import approved, claim_for, enrol, file, pay, policy
from recommendations import services as recommendation_services
from recommendations.tests.factories import submit as recommendation_submit
from reports.tests.factories import submit as report_submit
from tests.cast import Cast
from tests.factories import PersonFactory, UnitFactory
from tests.query_counts import assert_flat

pytestmark = pytest.mark.django_db

Headers = Callable[..., dict[str, str]]
DAY = datetime.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    cache.clear()
    with time_machine.travel(datetime.datetime(2026, 6, 15, 1, tzinfo=datetime.UTC), tick=False):
        yield
    cache.clear()


def listed(headers: dict[str, str], url: str, **params: Any) -> int:
    """How many rows the list answers (a page's items, or "my meetings")."""
    body = Client().get(url, params or None, headers=headers).json()
    if isinstance(body, dict):
        body = body["items"] if "items" in body else body["meetings"]
    return len(body)


def flat(headers: dict[str, str], url: str, grow: Callable[[], object], **params: Any) -> int:
    """The list's query count, the same before and after `grow()`; the list is checked to
    answer more rows after it, so the second count is really of a longer list."""
    before = listed(headers, url, **params)
    count = assert_flat(Client(), url, grow, params or None, **headers)
    after = listed(headers, url, **params)
    assert after > before, (url, before, after)
    return count


# --- Pre-consultation, exemptions, protection ---------------------------------------------------


def test_consultations(cast: Cast, headers_for: Headers) -> None:
    def grow(count: int) -> None:
        for n in range(count):
            maker = (submitted, under_review, with_opinion)[n % 3]
            maker(cast, title=f"요청 {n}", officials=[cast.official.person, cast.official2.person])

    headers = headers_for("aa_officer")
    grow(1)
    flat(headers, "/api/consultations", lambda: grow(6))
    assert listed(headers, "/api/consultations") == 7


def test_exemption_demands_and_reports(cast: Cast, headers_for: Headers) -> None:
    def demand(n: int) -> None:
        person = PersonFactory(institution=cast.district, unit=cast.building)
        if n % 2:
            ef.decided(cast, decision=ExemptionCase.Decision.MITIGATION, officials=[person], act=f"감경 {n}")
        disciplinary_demand_record(
            actor=actor_for(cast.hr_officer),
            person=person,
            act=f"감경 {n}",
            matter_title="정기감사 징계",
            demanded_on=DAY,
            work_item=ef.work_item(cast),
            no_grounds_confirmed=not n % 2,
            note="" if n % 2 else "면책 요건 검토: 공익성 없음",
        )

    demand(0)
    flat(headers_for("hr_officer"), "/api/exemptions/demands", lambda: [demand(n) for n in range(1, 7)])
    assert listed(headers_for("hr_officer"), "/api/exemptions/demands") == 7

    def reports() -> None:
        for year, quarter in ((2026, 1), (2025, 4), (2025, 3), (2025, 2)):
            quarterly_report_submit(actor=actor_for(cast.aa_officer), year=year, quarter=quarter, reference="감사-1")

    flat(headers_for("aa_officer"), "/api/exemptions/reports", reports)


def test_support_requests(cast: Cast, headers_for: Headers) -> None:
    def grow(count: int) -> None:
        for n in range(count):
            case = approved(cast, amount=5_000_000, act_description=f"처분 {n}")
            pay(cast, case, 1_000_000)
            file(cast, "protection_officer", person=PersonFactory(institution=cast.district))

    headers = headers_for("protection_officer")
    grow(1)
    flat(headers, "/api/protection/requests", lambda: grow(4))
    assert listed(headers, "/api/protection/requests") == 10


def test_insurance_policies_enrolments_and_claims(cast: Cast, headers_for: Headers) -> None:
    numbers = iter(range(100))

    def grow(count: int) -> None:
        for _ in range(count):
            the_policy = policy(cast, policy_number=f"LIAB-{next(numbers)}")
            claim_for(cast, enrol(cast, the_policy))
            for _ in range(2):
                person = PersonFactory(institution=cast.district, unit=UnitFactory(institution=cast.district))
                claim_for(cast, enrol_person(cast, the_policy, person), amount=500_000)

    headers = headers_for("protection_officer")
    grow(1)
    for name in ("policies", "enrolments", "claims"):
        flat(headers, f"/api/protection/insurance/{name}", lambda: grow(2))
    assert listed(headers, "/api/protection/insurance/policies") == 7
    assert listed(headers, "/api/protection/insurance/claims") == 21


def enrol_person(cast: Cast, the_policy: Any, person: Any) -> Any:
    from protection import services

    return services.enrolment_create(actor=actor_for(cast.protection_officer), policy=the_policy, person=person)


# --- The committee ----------------------------------------------------------------------------


def test_committee_members(cast: Cast, headers_for: Headers) -> None:
    def grow(count: int) -> None:
        for n in range(count):
            appoint(cast, expertise=["건축", f"분야{n}"])
            appoint(cast, kind="internal", person=PersonFactory(institution=cast.district, unit=cast.building))

    headers = headers_for("secretary")
    grow(1)
    flat(headers, "/api/committee/members", lambda: grow(4))
    assert listed(headers, "/api/committee/members") == 10


def test_committee_meetings_mine_and_suggestions(cast: Cast, headers_for: Headers) -> None:
    members = pool_with_accounts(cast)

    def meetings(count: int) -> None:
        for _ in range(count):
            meeting = MeetingFactory(institution=cast.district, status=Meeting.Status.CONVENED)
            seat_all(meeting, members)
            for status in (AgendaItem.Status.PENDING, AgendaItem.Status.OPEN):
                AgendaItemFactory(meeting=meeting, status=status)

    meetings(1)
    flat(headers_for("secretary"), "/api/committee/meetings", lambda: meetings(4))
    flat(headers_for("member"), "/api/committee/meetings/mine", lambda: meetings(3))
    target = MeetingFactory(institution=cast.district, status=Meeting.Status.DRAFT)
    AgendaItemFactory(meeting=target)
    flat(
        headers_for("secretary"),
        f"/api/committee/meetings/{target.pk}/suggestions",
        lambda: [appoint(cast, expertise=["건축", "안전"]) for _ in range(5)],
    )


def test_advice_requests_the_queue_and_mine(cast: Cast, headers_for: Headers) -> None:
    def grow(count: int) -> None:
        for n in range(count):
            submit(cast, title=f"요청 {n}", who="official2" if n % 2 else "official")
            on_agenda(cast, title=f"상정 {n}")
            advised(cast, title=f"자문 {n}")

    grow(1)
    flat(headers_for("secretary"), "/api/committee/advice-requests", lambda: grow(3))
    flat(headers_for("official"), "/api/committee/advice-requests/mine", lambda: grow(3))
    assert listed(headers_for("official"), "/api/committee/advice-requests/mine") >= 10


def _audit_opinions(cast: Cast, count: int) -> None:
    """Audit opinion requests on new items: waiting, extended, one answered with a file."""
    audit = actor_for(cast.audit_staff)
    for n in range(count):
        opinion = audit_request(cast)
        if n % 3 == 1:
            opinion_services.audit_opinion_extend(actor=audit, opinion=opinion, reason="자료 보완")
        elif n % 3 == 2:
            upload = SimpleUploadedFile("의견.pdf", b"%PDF-1.4 x", content_type="application/pdf")
            opinion_services.audit_opinion_submit(actor=audit, opinion=opinion, body="의견", documents=[upload])


def _recorded_opinions(cast: Cast, on: AgendaItem, count: int) -> None:
    """Opinions the secretary records on one item, each with a document."""
    for n in range(count):
        opinion_services.opinion_record(
            actor=actor_for(cast.secretary),
            item=on,
            kind=(Opinion.Kind.STAKEHOLDER_WRITTEN, Opinion.Kind.STAKEHOLDER_HEARING, Opinion.Kind.LEGAL)[n % 3],
            author=f"이해관계인 {n}",
            body="의견 내용",
            received_on=DAY,
            documents=[SimpleUploadedFile("의견.pdf", b"%PDF-1.4 x", content_type="application/pdf")],
        )


def test_the_audit_opinion_queue(cast: Cast, headers_for: Headers) -> None:
    _audit_opinions(cast, 2)
    flat(headers_for("audit_staff"), "/api/committee/audit-opinions", lambda: _audit_opinions(cast, 9))
    assert listed(headers_for("audit_staff"), "/api/committee/audit-opinions") == 8  # the answered ones leave it


def test_an_items_opinions(cast: Cast, headers_for: Headers) -> None:
    target = item(cast)
    _recorded_opinions(cast, target, 1)

    def grow() -> None:
        _recorded_opinions(cast, target, 5)
        audit_request(cast, on=target)

    flat(headers_for("secretary"), f"/api/committee/items/{target.pk}/opinions", grow)
    assert listed(headers_for("secretary"), f"/api/committee/items/{target.pk}/opinions") == 7


# --- The public corner's cases and the library ---------------------------------------------------


def test_reports_recommendations_and_applications(cast: Cast, headers_for: Headers) -> None:
    officer = actor_for(cast.aa_officer)

    def grow(count: int) -> None:
        for _ in range(count):
            report_submit(cast.district)
            rec, _code = recommendation_submit(cast.district)
            recommendation_services.start(actor=officer, rec=rec)
            recommendation_services.verify(actor=officer, rec=rec, reason="확인", person=cast.official.person)
            recommendation_submit(cast.district)
            application_submit(cast.district)
            application_reviewing(cast)

    headers = headers_for("aa_officer")
    grow(1)
    for url in ("/api/reports", "/api/recommendations", "/api/applications"):
        flat(headers, url, lambda: grow(3), status="all")


def test_library_lists(cast: Cast, headers_for: Headers) -> None:
    def grow(count: int) -> None:
        for n in range(count):
            user = cast.official if n % 2 else cast.official2
            in_review(cast, user=user, title=f"검토 사례 {n}")
            write(cast, user=user, title=f"작성 사례 {n}")
            published(cast, user=user, title=f"공개 사례 {n}")
            BestPracticeFactory(unit=UnitFactory(institution=cast.other), author=cast.official_b)

    grow(1)
    flat(headers_for("aa_officer"), "/api/library/office/cases", lambda: grow(4), scope="queue")
    flat(headers_for("official"), "/api/library/office/cases", lambda: grow(4))
    flat({}, "/api/library/cases", lambda: grow(4))
    assert listed({}, "/api/library/cases") >= 20


def test_register_units(cast: Cast, headers_for: Headers) -> None:
    more = lambda: UnitFactory.create_batch(8, institution=cast.district)  # noqa: E731
    flat(headers_for("aa_officer"), "/api/register/units", more)
