"""Audit action labels: every action a service writes has a label for the timelines, and
workflow transitions label their own actions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from core import audit
from core.workflow import Transition, Workflow

ROOT = Path(settings.BASE_DIR)
SKIPPED_DIRS = {".venv", "node_modules", "var", "static", "tests", "migrations", "locale"}
#: an audit action is a dotted code (argparse's action="store_true" is not)
ACTION_LITERAL = re.compile(r"""\baction\s*=\s*["']([a-z_]+(?:\.[a-z_]+)+)["']""")


def written_actions() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in ROOT.rglob("*.py"):
        if SKIPPED_DIRS & set(path.relative_to(ROOT).parts):
            continue
        for action in ACTION_LITERAL.findall(path.read_text(encoding="utf-8")):
            found.setdefault(action, path.relative_to(ROOT))
    return found


def test_the_code_scan_finds_the_services_actions() -> None:
    found = written_actions()
    assert {
        "register.work_item_created",
        "institutions.role_ended",
        "imports.finished",
        "accounts.token_revoked",
    } <= set(found)


def test_every_action_written_by_the_code_has_a_label() -> None:
    missing = {
        action: str(path) for action, path in written_actions().items() if action not in audit.registered_actions()
    }
    assert missing == {}


def test_labels_follow_the_active_language() -> None:
    with translation.override("ko"):
        assert audit.action_label("register.work_item_created") == "업무 등록"
    with translation.override("en"):
        assert audit.action_label("register.work_item_created") == "Work entry registered"


def test_an_unknown_action_shows_its_code() -> None:
    assert audit.action_label("nobody.registered_this") == "nobody.registered_this"


def test_a_workflow_registers_the_label_of_each_transition(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import models

    monkeypatch.setattr(audit, "_ACTION_LABELS", dict(audit._ACTION_LABELS))

    class State(models.TextChoices):
        DRAFT = "draft", "작성 중"
        SENT = "sent", "제출됨"

    flow = Workflow("labelcheck", State, [Transition("submit", "제출", {State.DRAFT}, State.SENT, roles={"official"})])
    assert flow.audit_action("submit") == "labelcheck.submit"
    assert audit.action_label("labelcheck.submit") == "제출"


@pytest.mark.django_db
def test_the_timeline_shows_labels_not_codes(cast) -> None:  # type: ignore[no-untyped-def]
    from django.template import engines

    from core.access import actor_for

    audit.record(actor=actor_for(cast.admin), action="institutions.unit_deactivated", target=cast.building)
    audit.record(actor=actor_for(cast.admin), action="nobody.registered_this", target=cast.building)
    template = engines["django"].from_string('{% include "components/timeline.html" with entries=entries %}')
    html = template.render({"entries": audit.timeline(cast.building)})
    assert '<span class="pa-timeline-action">부서 사용 중지</span>' in html
    assert '<span class="pa-timeline-action">nobody.registered_this</span>' in html
    assert "institutions.unit_deactivated" not in html
