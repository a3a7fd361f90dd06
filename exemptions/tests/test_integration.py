"""The exemption module's hooks into the shared mechanisms: register links, the menu, the
scheduler, deadline kinds, the demo."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.access import actor_for
from core.deadlines import deadline_kind
from core.scheduler import registered
from exemptions.services.reports import KIND
from exemptions.tests import factories as f
from office.navigation import items_for

pytestmark = pytest.mark.django_db


def test_a_register_entry_lists_the_cases_one_may_see(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    item = f.work_item(cast)
    f.opened(cast, work_item=item, act="등록부 연결 행위")
    url = reverse("register:detail", kwargs={"pk": item.pk})
    assert "등록부 연결 행위" in client_for("audit_staff").get(url).content.decode()
    assert "등록부 연결 행위" in client_for("official").get(url).content.decode()  # named
    assert "등록부 연결 행위" not in client_for("official2").get(url).content.decode()


def test_the_menu_offers_the_pages_by_role(cast) -> None:  # type: ignore[no-untyped-def]
    def urls(username: str) -> set[str]:
        return {link.url_name for link in items_for(actor_for(cast.users[username]))}

    assert {"exemptions:list", "exemptions:demands", "exemptions:reports"} <= urls("aa_officer")
    assert "exemptions:mine" in urls("official")
    assert "exemptions:list" not in urls("official")
    assert {"exemptions:list", "exemptions:demands"} <= urls("hr_officer")
    assert "exemptions:reports" not in urls("hr_officer")


def test_the_daily_task_and_the_deadline_kind_are_registered() -> None:
    assert "exemption_quarterly_reports" in {p.name for p in registered()}
    assert deadline_kind(KIND) is not None


def test_the_demo_creates_its_cases_once() -> None:
    from exemptions.models import DisciplinaryDemand, ExemptionCase
    from institutions import demo

    demo.seed()
    cases = ExemptionCase.objects.filter(institution__code="SAESOL")
    assert cases.count() == 3
    assert set(cases.values_list("status", flat=True)) == {"decided", "under_review", "opened"}
    assert cases.get(status="decided").decision == "full"
    assert demo.seed().created.get("exemptions") is None
    assert ExemptionCase.objects.filter(institution__code="SAESOL").count() == 3
    assert not DisciplinaryDemand.objects.exists()
