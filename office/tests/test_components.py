"""The shared template components: form field, form errors, pagination, badge, timeline."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.template import engines
from django.test import RequestFactory

from core import audit
from core.access import actor_for
from tests.cast import Cast


class SampleForm(forms.Form):
    title = forms.CharField(label="제목", help_text="50자 이내로 적어 주십시오.", max_length=50)
    kind = forms.ChoiceField(label="종류", choices=[("a", "가"), ("b", "나")])
    channel = forms.ChoiceField(label="경로", choices=[("x", "전화"), ("y", "방문")], widget=forms.RadioSelect)
    agree = forms.BooleanField(label="동의합니다", required=False)
    body = forms.CharField(label="내용", widget=forms.Textarea(attrs={"class": "wide", "autofocus": True}))

    def clean(self) -> dict[str, object]:
        raise forms.ValidationError("함께 처리할 수 없는 요청입니다.")


def render(source: str, context: dict[str, object], path: str = "/office/") -> str:
    request = RequestFactory().get(path)
    return engines["django"].from_string(source).render(context, request)


def include_field(form: forms.Form, name: str) -> str:
    return render('{% include "components/field.html" with field=field %}', {"field": form[name]})


def test_field_renders_label_control_and_help_linked_by_id() -> None:
    html = include_field(SampleForm(), "title")
    assert '<label for="id_title">제목' in html
    assert "(필수)" in html
    assert 'class="krds-input"' in html
    assert 'aria-describedby="id_title_helptext"' in html
    assert '<p class="form-hint" id="id_title_helptext">50자 이내로 적어 주십시오.</p>' in html
    assert "aria-invalid" not in html


def test_field_with_error_is_marked_invalid_and_keeps_the_typed_value() -> None:
    form = SampleForm(data={"title": "x" * 60, "kind": "a", "channel": "x", "body": "본문"})
    assert not form.is_valid()
    html = include_field(form, "title")
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_title_helptext id_title_error"' in html
    assert 'id="id_title_error"' in html
    assert 'class="form-hint-invalid"' in html
    assert "x" * 60 in html
    assert "is-error" in html


def test_select_textarea_checkbox_and_radio_get_their_krds_layout() -> None:
    form = SampleForm()
    assert 'class="krds-form-select"' in include_field(form, "kind")
    textarea = include_field(form, "body")
    assert 'class="krds-input wide"' in textarea
    assert "autofocus" not in textarea
    checkbox = include_field(form, "agree")
    assert 'class="krds-form-check"' in checkbox
    assert '<label for="id_agree">동의합니다</label>' in checkbox
    radio = include_field(form, "channel")
    assert "<fieldset" in radio
    assert '<legend class="form-tit">경로' in radio
    assert radio.count('class="krds-form-check"') == 2
    assert '<label for="id_channel_0">전화</label>' in radio


def test_form_errors_are_announced_as_an_alert() -> None:
    form = SampleForm(data={"title": "제목", "kind": "a", "channel": "x", "body": "본문"})
    assert not form.is_valid()
    html = render('{% include "components/form_errors.html" with form=form %}', {"form": form})
    assert 'role="alert"' in html
    assert "함께 처리할 수 없는 요청입니다." in html
    assert render('{% include "components/form_errors.html" with form=form %}', {"form": SampleForm()}).strip() == ""


def test_pagination_keeps_the_query_string_and_marks_the_current_page() -> None:
    page = Paginator(list(range(500)), 50).get_page(5)
    html = render(
        '{% include "components/pagination.html" with page_obj=page %}', {"page": page}, "/office/x/?status=open&page=5"
    )
    assert 'href="?status=open&amp;page=4"' in html
    assert 'href="?status=open&amp;page=6"' in html
    assert 'aria-current="page"' in html
    assert '<span class="sr-only">현재 쪽 </span>5</a>' in html
    assert "link-dot" in html  # pages 8..9 are elided
    assert 'href="?status=open&amp;page=10"' in html


def test_single_page_has_no_pagination() -> None:
    page = Paginator(list(range(10)), 50).get_page(1)
    assert render('{% include "components/pagination.html" with page_obj=page %}', {"page": page}).strip() == ""


def test_badge_takes_its_tone_from_the_status_or_the_caller() -> None:
    source = '{% include "components/badge.html" with status=status label=label tone=tone %}'
    assert 'class="krds-badge bg-light-warning">반려<' in render(source, {"status": "returned", "label": "반려"})
    assert 'class="krds-badge bg-light-gray">unknown<' in render(source, {"status": "unknown"})
    assert "bg-light-danger" in render(source, {"status": "done", "label": "x", "tone": "danger"})
    assert "bg-light-success" in render(source, {"status": "done", "label": "x", "tone": "not-a-tone"})


def test_timeline_lists_entries_with_time_actor_action_reason_and_changes(cast: Cast) -> None:
    actor = actor_for(cast.aa_officer)
    audit.record(
        actor=actor,
        action="case.returned",
        target=cast.building,
        reason="자체 검토가 없습니다",
        changes={"status": ["submitted", "returned"]},
    )
    audit.record(actor=actor, action="case.noted", target=cast.building, changes={"memo": "추가 자료"})
    html = render(
        '{% include "components/timeline.html" with entries=entries %}', {"entries": audit.timeline(cast.building)}
    )
    assert html.index("case.returned") < html.index("case.noted")
    assert "aa_officer" in html
    assert "자체 검토가 없습니다" in html
    assert '<span class="pa-old">submitted</span>' in html
    assert '<span class="pa-new">returned</span>' in html
    assert "추가 자료" in html
    assert "<time datetime=" in html


def test_empty_timeline_says_so() -> None:
    html = render('{% include "components/timeline.html" with entries=entries %}', {"entries": []})
    assert "아직 기록된 이력이 없습니다." in html
