"""The timeline names changed fields by their labels and shows choice labels, not codes."""

from __future__ import annotations

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from core import audit
from core.access import actor_for
from office.templatetags.ui import change_rows
from tests.cast import Cast
from tests.factories import WorkItemFactory


def test_changes_of_a_work_item_show_field_and_choice_labels(cast: Cast) -> None:
    item = WorkItemFactory(institution=cast.district, unit=cast.building)
    with transaction.atomic():
        entry = audit.record(
            actor=actor_for(cast.admin),
            action="register.work_item_updated",
            target=item,
            changes={"status": ["in_progress", "completed"], "unit_id": [1, 2], "unknown": "x"},
        )
    with translation.override("ko"):
        rows = change_rows(entry)
        html = render_to_string("components/timeline.html", {"entries": [entry]})
    assert [(r.field, r.old, r.new) for r in rows] == [
        ("상태", "진행 중", "완료"),
        ("담당 부서", 1, 2),
        ("unknown", None, "x"),
    ]
    assert "in_progress" not in html
    assert "진행 중" in html


def test_plain_changes_dict_still_renders_rows() -> None:
    rows = change_rows({"a": [1, 2]})
    assert (rows[0].field, rows[0].old, rows[0].new, rows[0].is_pair) == ("a", 1, 2, True)
