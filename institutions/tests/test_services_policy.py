from __future__ import annotations

import pytest
from django.forms.models import model_to_dict

from core.errors import DomainError
from institutions import policy_rules, services
from institutions.models import Policy
from institutions.tests.helpers import actor, audit_actions

pytestmark = pytest.mark.django_db


def values(cast, **changes):  # type: ignore[no-untyped-def]
    data = model_to_dict(Policy.objects.get(institution=cast.district), fields=list(policy_rules.FIELDS))
    data.update(changes)
    return data


def update(cast, name="admin", **changes):  # type: ignore[no-untyped-def]
    return services.policy_update(actor=actor(cast, name), institution=cast.district, values=values(cast, **changes))


def test_admin_updates_policy_and_the_change_is_audited(cast) -> None:
    policy = update(cast, external_term_years=3, external_max_renewals=1, written_deliberation_allowed=True)
    assert (policy.external_term_years, policy.external_max_renewals, policy.written_deliberation_allowed) == (
        3,
        1,
        True,
    )
    assert audit_actions(action="institutions.policy_updated", institution=cast.district) == [
        "institutions.policy_updated"
    ]


def test_saving_without_changes_writes_no_audit_entry(cast) -> None:
    update(cast)
    assert audit_actions(action="institutions.policy_updated") == []


def test_weights_must_sum_to_100(cast) -> None:
    with pytest.raises(policy_rules.PolicyInvalid) as error:
        update(cast, weight_public_interest=40)
    assert policy_rules.WEIGHTS in error.value.errors
    assert "115" in str(error.value.errors[policy_rules.WEIGHTS])
    assert Policy.objects.get(institution=cast.district).weight_public_interest == 25


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("committee_min_members", 8),
        ("committee_min_members", 46),
        ("committee_max_members", 46),
        ("committee_external_min_percent", 49),
        ("committee_external_min_percent", 101),
        ("consultation_days", 0),
        ("consultation_days", 61),
        ("report_days", 61),
        ("meeting_min_selected", 7),
        ("plan_due_month", 13),
        ("training_min_hours", 0),
    ],
)
def test_values_out_of_range_are_refused_next_to_their_field(cast, field, value) -> None:
    with pytest.raises(policy_rules.PolicyInvalid) as error:
        update(cast, **{field: value})
    assert field in error.value.errors


def test_max_members_below_min_is_refused(cast) -> None:
    with pytest.raises(policy_rules.PolicyInvalid) as error:
        update(cast, committee_min_members=20, committee_max_members=15)
    assert set(error.value.errors) == {"committee_max_members"}


def test_meeting_selection_cannot_exceed_the_committee(cast) -> None:
    with pytest.raises(policy_rules.PolicyInvalid) as error:
        update(cast, committee_max_members=12, meeting_min_selected=12)
    assert "meeting_min_selected" in error.value.errors


def test_per_case_support_cannot_exceed_the_yearly_limit(cast) -> None:
    with pytest.raises(policy_rules.PolicyInvalid) as error:
        update(cast, support_per_case_limit=60_000_000)
    assert "support_per_case_limit" in error.value.errors


def test_plan_due_day_must_exist_in_the_month(cast) -> None:
    with pytest.raises(policy_rules.PolicyInvalid) as error:
        update(cast, plan_due_month=2, plan_due_day=30)
    assert "plan_due_day" in error.value.errors


def test_several_problems_are_reported_together(cast) -> None:
    with pytest.raises(policy_rules.PolicyInvalid) as error:
        update(cast, consultation_days=0, committee_external_min_percent=10, weight_creativity=0)
    assert {"consultation_days", "committee_external_min_percent", policy_rules.WEIGHTS} <= set(error.value.errors)


def test_unlimited_renewals_are_allowed(cast) -> None:
    assert update(cast, external_max_renewals=None).external_max_renewals is None


def test_non_admin_cannot_change_policy(cast) -> None:
    with pytest.raises(DomainError):
        update(cast, name="aa_officer", consultation_days=20)


def test_admin_of_another_institution_cannot_change_policy(cast) -> None:
    with pytest.raises(DomainError):
        update(cast, name="admin_b", consultation_days=20)
    assert Policy.objects.get(institution=cast.district).consultation_days == 10
