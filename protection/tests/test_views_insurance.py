"""The liability insurance pages: officer only; policy form with errors by their fields,
enrolment of a person or a unit, claims from filing to payment; query counts bounded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from protection.models import Claim, Enrolment, InsurancePolicy
from tests.factories import PersonFactory

from .factories import InsurancePolicyFactory, claim_for, enrol, policy

pytestmark = pytest.mark.django_db

LIST = reverse("protection:policy_list")
CREATE = reverse("protection:policy_create")


def url(name: str, obj: object) -> str:
    return reverse(f"protection:{name}", kwargs={"pk": obj.pk})  # type: ignore[attr-defined]


def policy_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "year": "2026",
        "insurer": "한빛손해보험",
        "policy_number": "LIAB-1",
        "per_claim_limit": "10,000,000",
        "aggregate_limit": "30,000,000",
        "premium": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_officer_registers_a_policy(client_for) -> None:
    response = client_for("protection_officer").post(CREATE, policy_form())
    p = InsurancePolicy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("policy_detail", p)
    assert p.aggregate_limit == 30_000_000


def test_policy_error_is_by_its_field_keeping_the_input(client_for) -> None:
    response = client_for("protection_officer").post(
        CREATE, policy_form(per_claim_limit="40000000", insurer="입력한 보험사")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_per_claim_limit_error"' in page
    assert 'value="입력한 보험사"' in page
    assert not InsurancePolicy.objects.exists()


def test_policy_edit(client_for, cast) -> None:
    p = policy(cast)
    client = client_for("protection_officer")
    assert client.get(url("policy_edit", p)).status_code == 200
    assert client.post(url("policy_edit", p), policy_form(policy_number="LIAB-2")).status_code == 302
    p.refresh_from_db()
    assert p.policy_number == "LIAB-2"


def test_policy_list_and_detail_query_counts_do_not_grow(client_for, cast, django_assert_max_num_queries) -> None:
    client = client_for("protection_officer")
    p = policy(cast)
    InsurancePolicyFactory.create_batch(3, institution=cast.district)
    for _ in range(3):
        Enrolment.objects.create(
            institution=cast.district,
            policy=p,
            person=PersonFactory(institution=cast.district),
            enrolled_on="2026-01-01",
        )
    with django_assert_max_num_queries(14) as few_list:
        client.get(LIST)
    with django_assert_max_num_queries(20) as few_detail:
        client.get(url("policy_detail", p))
    InsurancePolicyFactory.create_batch(20, institution=cast.district)
    for _ in range(20):
        enrolment = Enrolment.objects.create(
            institution=cast.district,
            policy=p,
            person=PersonFactory(institution=cast.district),
            enrolled_on="2026-01-01",
        )
    claim_for(cast, enrolment)
    with django_assert_max_num_queries(len(few_list.captured_queries)):
        assert "보험 24건" in client.get(LIST).content.decode()
    with django_assert_max_num_queries(len(few_detail.captured_queries)):
        assert "가입자 23명" in client.get(url("policy_detail", p)).content.decode()


def test_enrol_one_person_and_a_unit(client_for, cast) -> None:
    p = policy(cast)
    client = client_for("protection_officer")
    response = client.post(url("enrol", p), {"enrol-person_number": cast.official2.person.employee_number})
    assert response.status_code == 302
    response = client.post(url("enrol", p), {"enrol-person_number": cast.official2.person.employee_number})
    assert response.status_code == 400
    assert "이미 이 보험에 가입" in response.content.decode()
    assert client.post(url("enrol_unit", p), {"unit-unit": cast.building.pk}).status_code == 302
    assert Enrolment.objects.filter(policy=p).count() == 4  # official2 + the building division's three
    response = client.post(url("enrol_unit", p), {"unit-unit": cast.other_unit.pk})
    assert response.status_code == 400


def test_claim_from_filing_to_payment(client_for, cast) -> None:
    p = policy(cast)
    enrol(cast, p)
    client = client_for("protection_officer")
    assert client.get(url("claim_create", p)).status_code == 200
    response = client.post(
        url("claim_create", p),
        {
            "person_number": cast.official.person.employee_number,
            "incident_date": "2026-04-01",
            "description": "민원인 손해배상",
            "amount_claimed": "2,000,000",
        },
    )
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert client.get(url("claim_detail", claim)).status_code == 200
    assert client.post(url("claim_decide", claim), {"decide-decision": "accept"}).status_code == 302
    response = client.post(url("claim_pay", claim), {"pay-amount": "20,000,000", "pay-paid_on": "2026-06-01"})
    assert response.status_code == 400
    assert 'id="id_pay-amount_error"' in response.content.decode()
    response = client.post(url("claim_pay", claim), {"pay-amount": "2,000,000", "pay-paid_on": "2026-06-01"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "paid"


def test_claim_for_a_person_not_enrolled_is_refused_by_the_field(client_for, cast) -> None:
    p = policy(cast)
    response = client_for("protection_officer").post(
        url("claim_create", p),
        {
            "person_number": cast.official.person.employee_number,
            "incident_date": "2026-04-01",
            "description": "x",
            "amount_claimed": "1000",
        },
    )
    assert response.status_code == 400
    assert 'id="id_person_number_error"' in response.content.decode()


@pytest.mark.parametrize("who", ["official", "aa_officer", "head", "official_b", "aa_officer_b", "no_role"])
def test_insurance_pages_are_the_protection_officers_only(client_for, cast, who) -> None:
    p = policy(cast)
    claim = claim_for(cast, enrol(cast, p))
    client = client_for(who)
    for target in [LIST, CREATE, url("policy_detail", p), url("policy_edit", p), url("claim_create", p)]:
        assert client.get(target).status_code == 404, target
    assert client.get(url("claim_detail", claim)).status_code == 404
    for name in ("enrol", "enrol_unit"):
        assert client.post(url(name, p), {}).status_code == 404
    for name in ("claim_decide", "claim_pay"):
        assert client.post(url(name, claim), {}).status_code == 404


def test_another_institutions_officer_gets_404(client_for, cast) -> None:
    from tests.cast import make_user

    make_user("protection_b", cast.other, cast.other_unit, "official", "protection_officer")
    p = policy(cast)
    assert client_for("protection_officer").get(url("policy_detail", p)).status_code == 200
    from django.test import Client

    from accounts.models import User

    other = Client()
    other.force_login(User.objects.get(username="protection_b"))
    assert other.get(url("policy_detail", p)).status_code == 404
    assert "LIAB-2026" not in other.get(LIST).content.decode()


def test_official_sees_own_enrolment_and_claims_on_my_requests(client_for, cast) -> None:
    p = policy(cast)
    claim_for(cast, enrol(cast, p), amount=1_234_000)
    claim_for(cast, enrol(cast, p, "official2"), amount=9_876_000)
    page = client_for("official").get(reverse("protection:mine")).content.decode()
    assert "LIAB-2026" in page
    assert "1,234,000" in page
    assert "9,876,000" not in page
