"""An institution's policy settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from core import audit
from core.access import Actor
from institutions import policy_rules
from institutions.models import Institution, Policy
from institutions.services._common import require_admin


def policy_update(*, actor: Actor, institution: Institution, values: Mapping[str, Any]) -> Policy:
    """Change the policy settings. Every value is checked against `policy_rules`; when any
    breaks its rule, nothing is saved and `PolicyInvalid` lists every problem."""
    require_admin(actor, institution)
    merged: dict[str, Any] = {}
    with transaction.atomic():
        policy, _ = Policy.objects.select_for_update().get_or_create(institution=institution)
        for name in policy_rules.FIELDS:
            merged[name] = values[name] if name in values else getattr(policy, name)
        errors = policy_rules.validate(merged)
        if errors:
            raise policy_rules.PolicyInvalid(errors)
        before = audit.snapshot(policy, list(policy_rules.FIELDS))
        for name, value in merged.items():
            setattr(policy, name, value)
        changes = audit.diff(policy, before, list(policy_rules.FIELDS))
        if changes:
            policy.save()
            audit.record(
                actor=actor,
                action="institutions.policy_updated",
                target=policy,
                institution_id=institution.pk,
                changes=changes,
            )
    return policy
