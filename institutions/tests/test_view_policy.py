from __future__ import annotations

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from institutions import policy_rules
from institutions.models import Policy

pytestmark = pytest.mark.django_db


def url(institution) -> str:  # type: ignore[no-untyped-def]
    return reverse("institutions:policy", args=[institution.pk])


def form(cast, **changes: object) -> dict[str, object]:  # type: ignore[no-untyped-def]
    data = model_to_dict(Policy.objects.get(institution=cast.district), fields=list(policy_rules.FIELDS))
    data = {k: ("" if v is None else v) for k, v in data.items()}
    for flag in ("written_deliberation_allowed", "require_2fa"):
        if not data[flag]:
            data.pop(flag)
    data.update(changes)
    return data


def test_page_shows_grouped_fieldsets_with_help(cast, client_for) -> None:
    body = client_for("admin").get(url(cast.district)).content.decode()
    assert body.count("<fieldset") == len(policy_rules.GROUPS)
    assert "가중치 합은 100" in body
    assert 'min="9"' in body


def test_admin_saves_the_policy(cast, client_for) -> None:
    response = client_for("admin").post(
        url(cast.district),
        form(cast, external_term_years=3, external_max_renewals=1, written_deliberation_allowed="on"),
    )
    assert response.status_code == 302
    policy = Policy.objects.get(institution=cast.district)
    assert (policy.external_term_years, policy.external_max_renewals, policy.written_deliberation_allowed) == (
        3,
        1,
        True,
    )


def test_weights_not_summing_to_100_keep_typed_values(cast, client_for) -> None:
    response = client_for("admin").post(url(cast.district), form(cast, weight_public_interest=40, consultation_days=12))
    assert response.status_code == 400
    body = response.content.decode()
    assert "합이 100이어야 합니다(지금 합계 115)" in body
    assert 'id="group-rewards-error"' in body
    assert 'name="weight_public_interest" value="40"' in body
    assert 'name="consultation_days" value="12"' in body
    policy = Policy.objects.get(institution=cast.district)
    assert (policy.weight_public_interest, policy.consultation_days) == (25, 10)


def test_each_range_error_is_shown_next_to_its_field(cast, client_for) -> None:
    response = client_for("admin").post(
        url(cast.district), form(cast, committee_min_members=8, committee_external_min_percent=30)
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_committee_min_members_error"' in body
    assert 'id="id_committee_external_min_percent_error"' in body
    assert "9 이상 45 이하" in body
    assert "50 이상 100 이하" in body


def test_non_numbers_are_form_errors(cast, client_for) -> None:
    response = client_for("admin").post(url(cast.district), form(cast, report_days="열흘"))
    assert response.status_code == 400
    assert Policy.objects.get(institution=cast.district).report_days == 14


def test_anonymous_is_sent_to_login(cast) -> None:
    assert "/accounts/login/" in Client().get(url(cast.district))["Location"]


@pytest.mark.parametrize("name", ["official", "aa_officer", "head", "supervisor"])
def test_other_roles_get_404(cast, client_for, name) -> None:
    assert client_for(name).post(url(cast.district), form(cast, consultation_days=30)).status_code == 404
    assert Policy.objects.get(institution=cast.district).consultation_days == 10


def test_admin_of_another_institution_gets_404(cast, client_for) -> None:
    assert client_for("admin_b").get(url(cast.district)).status_code == 404
    assert client_for("admin_b").post(url(cast.district), form(cast, consultation_days=30)).status_code == 404
