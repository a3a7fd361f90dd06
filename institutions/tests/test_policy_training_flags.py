"""The policy's starting day of training's flags (Policy.training_flags_from, ADR 0023):
optional, from 2000-01-01 up to today, audited like every policy change, and on the page."""

from __future__ import annotations

import datetime

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from core.errors import DomainError
from institutions import policy_rules, services
from institutions.models import Policy
from institutions.tests.helpers import actor, audit_actions

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)  # the root conftest's `on_today`


@pytest.fixture(autouse=True)
def _on_today(on_today: None) -> None:
    """The checks compare with today."""


def update(cast, **changes):  # type: ignore[no-untyped-def]
    values = model_to_dict(Policy.objects.get(institution=cast.district), fields=list(policy_rules.FIELDS))
    values.update(changes)
    return services.policy_update(actor=actor(cast, "admin"), institution=cast.district, values=values)


def test_the_day_is_optional_and_its_change_is_audited(cast) -> None:  # type: ignore[no-untyped-def]
    assert Policy.objects.get(institution=cast.district).training_flags_from is None
    policy = update(cast, training_flags_from=datetime.date(2024, 3, 1))
    assert policy.training_flags_from == datetime.date(2024, 3, 1)
    assert audit_actions(action="institutions.policy_updated", institution=cast.district) == [
        "institutions.policy_updated"
    ]
    assert update(cast, training_flags_from=None).training_flags_from is None


@pytest.mark.parametrize(
    "day",
    [
        datetime.date(1999, 12, 31),
        TODAY + datetime.timedelta(days=1),
        datetime.datetime(2024, 3, 1, 9, tzinfo=datetime.UTC),
        "2024",
    ],
)
def test_a_day_before_2000_in_the_future_or_not_a_date_is_refused(cast, day) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as error:
        update(cast, training_flags_from=day)
    assert error.value.field == "training_flags_from"
    assert Policy.objects.get(institution=cast.district).training_flags_from is None


def test_today_and_the_first_day_of_2000_are_taken(cast) -> None:  # type: ignore[no-untyped-def]
    assert update(cast, training_flags_from=TODAY).training_flags_from == TODAY
    first = policy_rules.FLAGS_FROM_MIN
    assert update(cast, training_flags_from=first).training_flags_from == first


def test_the_page_shows_and_saves_the_day(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("institutions:policy", args=[cast.district.pk])
    client = client_for("admin")
    body = client.get(url).content.decode()
    assert 'type="date" name="training_flags_from"' in body
    assert "기본교육 미이수 표시 기준일" in body
    data = model_to_dict(Policy.objects.get(institution=cast.district), fields=list(policy_rules.FIELDS))
    data = {k: ("" if v is None else v) for k, v in data.items() if v is not False}
    assert client.post(url, {**data, "training_flags_from": "2025-01-01"}).status_code == 302
    assert Policy.objects.get(institution=cast.district).training_flags_from == datetime.date(2025, 1, 1)
    refused = client.post(url, {**data, "training_flags_from": "2099-01-01"})
    assert refused.status_code == 400
    assert "training_flags_from" in refused.context["form"].errors
