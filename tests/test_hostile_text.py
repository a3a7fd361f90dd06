"""Hostile input, text (issue 9): every text field of every form takes HTML, script,
template syntax, spreadsheet formulas and unusual Unicode, stores it as typed and shows it
as text.

The first part is generated from the code: every Form and ModelForm the project's apps
define, every text field of it, every payload of tests/hostile.py. A new form is covered
without touching this file. The second part posts the payloads through the main flows'
real views and reads every page, document and sheet that shows them.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import time_machine
from django import forms
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from portal.public import MAX_TEXT
from portal.tests.public_helpers import code_of, ticket_of, token_of
from tests import hostile
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def _clean(field: forms.Field, value: str) -> tuple[str, Any]:
    """("ok", cleaned value) or ("refused", the messages)."""
    try:
        return "ok", copy.deepcopy(field).clean(value)
    except ValidationError as error:
        return "refused", error.messages


def _kept(field: forms.Field, result: Any, typed: str) -> bool:
    """Stored as typed; a URL field may put the scheme in front (Django's assume_scheme)."""
    if isinstance(field, forms.URLField) and result == f"{field.assume_scheme}://{typed}":
        return True
    return bool(result == typed)


def _pairs() -> list[tuple[type[forms.BaseForm], str, forms.CharField]]:
    return [(cls, name, field) for cls in hostile.project_form_classes() for name, field in hostile.text_fields(cls)]


def _label(cls: type[forms.BaseForm], name: str) -> str:
    return f"{cls.__module__}.{cls.__qualname__}.{name}"


def test_every_form_is_found() -> None:
    """The walk finds the forms of every app (so the test below covers them), not Django's."""
    pairs = _pairs()
    labels = {_label(cls, name) for cls, name, _field in pairs}
    for expected in (
        "reports.forms.ReportForm.what",
        "reports.forms.FollowMessageForm.body",
        "recommendations.forms.RecommendationForm.what",
        "consultations.forms.ConsultationForm.background",
        "library.forms.CaseForm.problem",
        "applications.forms.ApplicationForm.request",
        "committee.forms_requests.OpinionForm.body",
    ):
        assert expected in labels
    assert not any(label.startswith(("django.", "django_otp.")) for label in labels)
    assert len(pairs) >= 250, len(pairs)


def test_every_text_field_keeps_hostile_text_or_refuses_it_with_a_message() -> None:
    """Each payload comes back from the field unchanged (stored as typed) or is refused with
    a message; NUL is always refused (PostgreSQL cannot store it)."""
    failures: list[str] = []
    for cls, name, field in _pairs():
        label = _label(cls, name)
        for kind, payload in {**hostile.PAYLOADS, "all_in_one": hostile.ALL_IN_ONE}.items():
            outcome, result = _clean(field, payload)
            if outcome == "ok" and not _kept(field, result, payload):
                failures.append(f"{label} [{kind}]: changed to {result!r}")
            elif outcome == "refused" and not all(str(m).strip() for m in result):
                failures.append(f"{label} [{kind}]: refused without a message")
        outcome, result = _clean(field, hostile.NUL)
        if outcome != "refused":
            failures.append(f"{label} [nul]: accepted {result!r}")
    assert not failures, "\n".join(failures)


def test_every_text_field_refuses_one_character_too_many() -> None:
    """At max_length a value is kept (or refused by the field's own rule); one more
    character is a validation error, never a database error later. Fields without a limit
    take a long text (or refuse it with a message)."""
    failures: list[str] = []
    limited = 0
    for cls, name, field in _pairs():
        label = _label(cls, name)
        if field.max_length is None:
            text = hostile.long_text(20_000)
            outcome, result = _clean(field, text)
            if outcome == "ok" and not _kept(field, result, text):
                failures.append(f"{label} [long]: changed")
            continue
        limited += 1
        exact = hostile.long_text(field.max_length)
        outcome, result = _clean(field, exact)
        if outcome == "ok" and not _kept(field, result, exact):
            failures.append(f"{label} [max_length={field.max_length}]: changed")
        outcome, result = _clean(field, exact + "가")
        if outcome != "refused":
            failures.append(f"{label} [max_length+1]: accepted")
    assert not failures, "\n".join(failures)
    assert limited >= 200


def test_model_form_fields_are_no_longer_than_their_columns() -> None:
    """A ModelForm's text field holds no more than its model column: what the form lets
    through, the database stores."""
    failures: list[str] = []
    for cls, name, field in _pairs():
        meta = getattr(cls, "_meta", None)
        model = getattr(meta, "model", None)
        if model is None:
            continue
        try:
            column = model._meta.get_field(name)
        except Exception:  # noqa: S112 - a form field of its own, not a column
            continue
        limit = getattr(column, "max_length", None)
        if limit is not None and (field.max_length is None or field.max_length > limit):
            failures.append(f"{_label(cls, name)}: form {field.max_length}, column {limit}")
    assert not failures, "\n".join(failures)


# --- End to end: the citizens' forms ----------------------------------------------------------


@pytest.fixture
def public_day(on_today: None, fresh_cache: None) -> None:
    """The public services' tests run on TODAY with an empty cache (throttles, receipts)."""


def _public() -> Client:
    return Client(REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="hostile-text-test")


def _submit_public(client: Client, urls: str, cast: Cast, base: dict[str, Any], tag: str) -> tuple[dict[str, str], str]:
    """Fill the service's public form with hostile text, post it, and return what was typed
    (by field) and the receipt code."""
    page = client.get(reverse(f"{urls}:new"), {"institution": cast.district.pk})
    assert page.status_code == 200
    form = page.context["form"]
    typed = hostile.fill(form, tag, keep=tuple(base))
    data = {"form_token": token_of(page), "institution": cast.district.pk, **base, **typed}
    response = client.post(reverse(f"{urls}:new"), data)
    assert response.status_code == 200, response.status_code
    hostile.assert_safe(response.content.decode(), where=f"{urls} receipt")
    assert 'data-testid="receipt-code"' in response.content.decode(), response.context["form"].errors
    return typed, code_of(response)


def _hidden_inputs(body: str, action: str) -> dict[str, str]:
    """The hidden fields (ticket, one-time token...) of the page's form posting to `action`."""
    import html
    import re

    form = re.search(rf'<form[^>]*action="{re.escape(action)}".*?</form>', body, flags=re.DOTALL)
    assert form is not None, action
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0))
        if name != "csrfmiddlewaretoken"
    }


def _follow(client: Client, code: str) -> str:
    page = client.post(reverse("portal:follow"), {"receipt": code})
    assert page.status_code == 200
    return page.content.decode()


def test_report_keeps_hostile_text_and_shows_it_as_text(cast: Cast, client_for, public_day: None) -> None:  # type: ignore[no-untyped-def]
    from reports.models import Report

    client = _public()
    base = {"kind": "neglect", "anonymous": "0", "reporter_email": "citizen@example.com"}
    typed, code = _submit_public(client, "portal_reports", cast, base, "R")
    assert set(typed) >= {"what", "place", "harm", "occurred", "reporter_name", "reporter_phone"}
    report = Report.objects.get()
    assert hostile.assert_stored(report, typed) == 6

    officer = client_for("aa_officer")
    detail = officer.get(report.get_absolute_url()).content.decode()
    for name in ("what", "place", "harm", "occurred", "reporter_name", "reporter_phone"):
        hostile.assert_shown_as_text(detail, typed[name], where=f"office detail {name}")
    queue = officer.get(reverse("reports:queue"), {"status": "all"})
    assert queue.status_code == 200
    hostile.assert_safe(queue.content.decode(), where="queue")

    # the reporter writes back; the staff answer and close with hostile text too
    body = _follow(client, code)
    message = hostile.sized("R-message", MAX_TEXT)
    hidden = _hidden_inputs(body, reverse("portal_reports:follow_message"))
    assert hidden["ticket"] == ticket_of(body)
    sent = client.post(reverse("portal_reports:follow_message"), {**hidden, "body": message})
    assert sent.status_code == 200
    hostile.assert_shown_as_text(sent.content.decode(), message, where="status page, own message")
    assert report.messages.get(direction="from_reporter").body == message
    hostile.assert_shown_as_text(officer.get(report.get_absolute_url()).content.decode(), message, where="detail")

    action = "reports:action"
    assert officer.post(reverse(action, args=[report.pk, "investigate"])).status_code == 302
    answer = hostile.sized("R-answer", MAX_TEXT)
    assert officer.post(reverse(action, args=[report.pk, "message"]), {"ms-body": answer}).status_code == 302
    result = hostile.combined("R-result")
    closed = officer.post(
        reverse(action, args=[report.pk, "close"]),
        {"cl-outcome": "not_substantiated", "cl-result_text": result, "cl-disciplinary_demand": ""},
    )
    assert closed.status_code == 302, closed.context and closed.context["forms"]["close"].errors
    report.refresh_from_db()
    assert report.result_text == result
    status = _follow(client, code)
    hostile.assert_shown_as_text(status, answer, where="status page, staff message")
    hostile.assert_shown_as_text(status, result, where="status page, result")


def test_recommendation_keeps_hostile_text_and_shows_it_as_text(cast: Cast, client_for, public_day: None) -> None:  # type: ignore[no-untyped-def]
    from recommendations.models import Recommendation

    client = _public()
    base = {"nominee_kind": "person", "recommender_email": "citizen@example.com"}
    typed, code = _submit_public(client, "portal_recommendations", cast, base, "C")
    assert set(typed) >= {"what", "effect", "nominee_name", "unit_name", "period", "recommender_name"}
    recommendation = Recommendation.objects.get()
    assert hostile.assert_stored(recommendation, typed) >= 6
    office = client_for("aa_officer")
    detail = office.get(recommendation.get_absolute_url())
    assert detail.status_code == 200
    for name in ("what", "effect", "nominee_name", "unit_name", "period"):
        hostile.assert_shown_as_text(detail.content.decode(), typed[name], where=f"office detail {name}")
    listing = office.get(reverse("recommendations:queue"), {"status": "all"})
    assert listing.status_code == 200
    hostile.assert_starts_shown(listing.content.decode(), typed["nominee_name"], where="queue")
    hostile.assert_safe(_follow(client, code), where="follow page")


# --- End to end: the staff's forms -----------------------------------------------------------


@pytest.fixture
def rendered_documents(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML of every PDF document rendered during the test (what WeasyPrint was given)."""
    from core import documents

    pages: list[str] = []
    original = documents.render_to_string

    def capture(*args: Any, **kwargs: Any) -> str:
        html = original(*args, **kwargs)
        pages.append(html)
        return html

    monkeypatch.setattr(documents, "render_to_string", capture)
    return pages


def _act(client: Client, url: str, action: str, **fields: str) -> Any:
    return client.post(url, {f"{action}-{k}": v for k, v in fields.items()})


def test_consultation_keeps_hostile_text_in_pages_and_the_opinion_pdf(  # type: ignore[no-untyped-def]
    cast: Cast, client_for, rendered_documents: list[str]
) -> None:
    from consultations.models import SELF_CHECK_KEYS, Consultation

    official = client_for("official")
    create = reverse("consultations:create")
    form = official.get(create).context["form"]
    base: dict[str, Any] = {"unit": cast.building.pk, "officials_numbers": cast.official.person.employee_number}
    base.update({f"check_{key}": "yes" for key in SELF_CHECK_KEYS})
    typed = hostile.fill(form, "K", keep=("unit", "officials_numbers", "work_item_reference"), cap=3000)
    assert {"title", "background", "laws", "issues", "own_review"} <= set(typed)
    response = official.post(create, {**base, **typed})
    assert response.status_code == 302, response.context["form"].errors
    consultation = Consultation.objects.get()
    assert hostile.assert_stored(consultation, typed) == 5
    for key in SELF_CHECK_KEYS:
        assert consultation.self_check[key]["note"] == typed[f"note_{key}"]

    detail = official.get(consultation.get_absolute_url()).content.decode()
    for name, value in typed.items():
        hostile.assert_shown_as_text(detail, value, where=f"detail {name}")
    listing = official.get(reverse("consultations:list"))
    assert listing.status_code == 200
    hostile.assert_starts_shown(listing.content.decode(), typed["title"], where="list")

    act = reverse("consultations:act", kwargs={"pk": consultation.pk, "action": "x"}).replace("/x/", "/{}/")
    assert _act(official, act.format("request_approval"), "request_approval").status_code == 302
    assert _act(client_for("dept_head"), act.format("submit"), "submit").status_code == 302
    auditor = client_for("aa_officer")
    assert _act(auditor, act.format("accept"), "accept").status_code == 302
    opinion = {name: hostile.combined(f"K-{name}") for name in ("opinion", "reasons", "conditions")}
    issued = _act(auditor, act.format("issue_opinion"), "issue_opinion", **opinion)
    assert issued.status_code == 302, issued.content.decode()[:300]
    consultation.refresh_from_db()
    assert (consultation.opinion, consultation.opinion_reasons, consultation.opinion_conditions) == tuple(
        opinion.values()
    )
    detail = official.get(consultation.get_absolute_url()).content.decode()
    for value in opinion.values():
        hostile.assert_shown_as_text(detail, value, where="detail, opinion")

    pdf = official.get(reverse("consultations:opinion_pdf", kwargs={"pk": consultation.pk}))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    (document,) = rendered_documents
    for value in [typed["title"], *opinion.values()]:
        hostile.assert_shown_as_text(document, value, where="opinion PDF")

    # the notifications of the way carry the title as text: the bell's page escapes it
    bell = auditor.get(reverse("core:notifications"))
    assert bell.status_code == 200
    hostile.assert_starts_shown(bell.content.decode(), typed["title"], where="notifications", length=60)


def test_best_practice_keeps_hostile_text_in_the_office_and_the_public_library(  # type: ignore[no-untyped-def]
    cast: Cast, client_for
) -> None:
    from library import services as library_services
    from library.models import BestPractice

    official = client_for("official")
    form = official.get(reverse("library:create")).context["form"]
    typed = hostile.fill(form, "L", keep=("unit", "officials_numbers", "work_item_reference"))
    assert {"title", "problem", "action", "result", "rule_improved", "beneficiaries"} <= set(typed)
    data = {
        "unit": cast.building.pk,
        "policy_field": "urban",
        "year": "2025",
        "officials_numbers": "",
        "work_item_reference": "",
    }
    response = official.post(reverse("library:create"), {**data, **typed})
    assert response.status_code == 302, response.context["form"].errors
    case = BestPractice.objects.get()
    assert hostile.assert_stored(case, typed) == 6
    detail = official.get(reverse("library:detail", kwargs={"pk": case.pk})).content.decode()
    for name, value in typed.items():
        hostile.assert_shown_as_text(detail, value, where=f"office detail {name}")
    hostile.assert_starts_shown(official.get(reverse("library:list")).content.decode(), typed["title"], where="list")

    from core.access import actor_for

    library_services.case_submit(actor=actor_for(cast.official), case=case)
    library_services.case_publish(actor=actor_for(cast.aa_officer), case=case)
    public = Client()
    page = public.get(reverse("portal_library:detail", kwargs={"pk": case.pk}))
    assert page.status_code == 200
    for name in ("title", "problem", "action", "result"):
        hostile.assert_shown_as_text(page.content.decode(), typed[name], where=f"public case {name}")
    listing = public.get(reverse("portal_library:list"))
    hostile.assert_starts_shown(listing.content.decode(), typed["title"], where="public library")
    found = public.get(reverse("portal_library:list"), {"q": "L-title"})
    hostile.assert_starts_shown(found.content.decode(), typed["title"], where="public library search")


def test_application_keeps_hostile_text_and_shows_it_as_text(cast: Cast, client_for, public_day: None) -> None:  # type: ignore[no-untyped-def]
    from applications.models import Application

    client = _public()
    typed, code = _submit_public(client, "portal_applications", cast, {"applicant_email": "c@example.com"}, "A")
    assert {"refused_request", "refusal_reason", "request", "applicant_name"} <= set(typed)
    application = Application.objects.get()
    assert hostile.assert_stored(application, typed) >= 4
    office = client_for("aa_officer")
    detail = office.get(reverse("applications:detail", kwargs={"pk": application.pk}))
    assert detail.status_code == 200
    for name in ("refused_request", "refusal_reason", "request", "law", "unit_name"):
        if name in typed:
            hostile.assert_shown_as_text(detail.content.decode(), typed[name], where=f"office detail {name}")
    hostile.assert_safe(office.get(reverse("applications:queue"), {"status": "all"}).content.decode(), where="queue")
    hostile.assert_safe(_follow(client, code), where="follow page")


# --- Spreadsheets -----------------------------------------------------------------------------


def test_register_export_writes_formulas_and_hostile_text_as_text(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    from register.models import WorkItem

    officer = client_for("aa_officer")
    typed_titles = [*hostile.FORMULAS, "#N/A", hostile.SCRIPT, hostile.TEMPLATE_VAR, hostile.FAMILY]
    for n, title in enumerate(typed_titles):
        data = {
            "reference": f"X-{n}",
            "title": title,
            "category": "development",
            "unit": cast.planning.pk,
            "responsible_number": "",
            "legal_basis": hostile.FORMULAS[n % len(hostile.FORMULAS)],
            "status": "planned",
            "year": "2026",
            "starts_on": "",
            "ends_on": "",
            "notes": f"=cmd|' /C calc'!A0 {hostile.JAMO} {hostile.RTL_OVERRIDE}",
        }
        response = officer.post(reverse("register:create"), data)
        assert response.status_code == 302, response.context["form"].errors
    assert sorted(WorkItem.objects.values_list("title", flat=True)) == sorted(typed_titles)
    hostile.assert_safe(officer.get(reverse("register:list")).content.decode(), where="register list")

    export = officer.get(reverse("register:export"))
    assert export.status_code == 200
    cells = hostile.assert_no_formulas(b"".join(export.streaming_content))
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    assert set(typed_titles) <= texts
    assert set(hostile.FORMULAS) <= texts
    assert f"=cmd|' /C calc'!A0 {hostile.JAMO} {hostile.RTL_OVERRIDE}" in texts


def test_exporter_writes_every_text_as_text() -> None:
    """core/exporter.py: every payload, the formulas and error codes, come back as text cells
    with the typed value (less the control characters XML cannot hold)."""
    from openpyxl.cell.cell import ERROR_CODES

    from core.exporter import Sheet, xlsx_file

    values = [*hostile.PAYLOADS.values(), *ERROR_CODES, "==", "=", hostile.NUL]
    with xlsx_file([Sheet(headers=["값"], rows=[[v] for v in values], title="a/b:c*?[d]")]) as handle:
        cells = hostile.assert_no_formulas(handle.read())
    written = [cell for cell in cells if cell.row > 1]
    assert all(cell.data_type == "s" for cell in written), [(c.value, c.data_type) for c in written]
    expected = [v.replace("\x00", "").replace("\x01", "").replace("\x07", "").replace("\x1b", "") for v in values]
    assert [cell.value for cell in written] == expected


def test_exporter_cuts_a_text_longer_than_a_cell_holds() -> None:
    """Excel refuses a cell over 32,767 characters (UTF-16 units): the text is cut, marked."""
    from core.exporter import CELL_MAX_CHARS, Sheet, xlsx_file

    fits = "가" * CELL_MAX_CHARS
    too_long = hostile.FAMILY * 5000  # 35,000 characters in Python, 55,000 UTF-16 units
    with xlsx_file([Sheet(headers=["값"], rows=[[fits], [too_long]])]) as handle:
        cells = hostile.xlsx_cells(handle.read())
    assert cells[1].value == fits
    cut = cells[2].value
    assert cut.endswith("…")
    assert len(cut.encode("utf-16-le")) // 2 <= CELL_MAX_CHARS
    assert too_long.startswith(cut[:-1])


# --- Notifications and e-mails ------------------------------------------------------------------


def _sent_safely(mailbox: list[Any]) -> None:
    """Every e-mail's subject is one line; no header was added; any HTML part is escaped."""
    assert mailbox
    for message in mailbox:
        assert "\n" not in message.subject, message.subject
        assert "\r" not in message.subject, message.subject
        assert message.message()["Bcc"] is None
        assert not message.bcc
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                hostile.assert_safe(str(content), where="e-mail HTML part")


def test_notification_e_mail_of_a_hostile_title_is_sent_on_one_line(cast: Cast, mailoutbox: list[Any]) -> None:
    """A title with a line break (a form's one-line field keeps one typed inside) must
    neither add a header nor make the e-mail fail: the subject is put on one line."""
    from core.models import Notification
    from core.notifications import deliver_emails, notify

    title = f"{hostile.HEADER_BREAK} {hostile.SCRIPT}\u2028{hostile.FAMILY}\x0b끝"
    body = hostile.combined("본문")
    rows = notify(recipients=[cast.official], title=title, body=body, url="/office/")
    assert deliver_emails([row.pk for row in rows]) == {"sent": 1, "skipped": 0, "failed": 0}
    assert Notification.objects.get().title == title  # the bell shows what was typed
    _sent_safely(mailoutbox)
    (message,) = mailoutbox
    assert message.subject == f"[적극행정] 제목 Bcc: victim@example.com {hostile.SCRIPT} {hostile.FAMILY} 끝"
    assert body in message.body


def test_a_title_typed_with_a_line_break_reaches_the_e_mail_on_one_line(  # type: ignore[no-untyped-def]
    cast: Cast, client_for, mailoutbox: list[Any]
) -> None:
    """End to end: a committee meeting titled with CR LF inside (the meeting form keeps it),
    then the notice to a seated member: the e-mail goes out, its subject on one line."""
    import datetime

    from committee.models import Meeting
    from committee.services.meetings import tell_seated
    from core.models import Notification
    from core.notifications import deliver_emails

    secretary = client_for("secretary")
    data = {"title": hostile.HEADER_BREAK, "mode": "in_person", "starts_at": "2026-06-22T14:00", "place": "소회의실"}
    with time_machine.travel(datetime.datetime(2026, 6, 15, 1, tzinfo=datetime.UTC), tick=False):
        assert secretary.post(reverse("committee:meeting_create"), data).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.title == hostile.HEADER_BREAK  # stored as typed
    detail = secretary.get(reverse("committee:meeting_detail", kwargs={"pk": meeting.pk}))
    hostile.assert_shown_as_text(detail.content.decode(), "제목", where="meeting")
    tell_seated(meeting, "위원회 회의 소집", hostile.SCRIPT, users=[cast.member])
    sent = deliver_emails(Notification.objects.values_list("pk", flat=True))
    assert sent == {"sent": 1, "skipped": 0, "failed": 0}
    _sent_safely(mailoutbox)
    assert "Bcc: victim@example.com" in mailoutbox[0].subject


# --- Odd requests and the checks themselves ----------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    ["reports:queue", "consultations:list", "library:list", "register:list", "recommendations:queue"],
)
def test_a_hostile_search_is_shown_back_as_text(cast: Cast, client_for, url_name: str) -> None:  # type: ignore[no-untyped-def]
    """The lists' search box takes every payload and shows it back escaped."""
    client = client_for("aa_officer")
    for kind, payload in hostile.PAYLOADS.items():
        response = client.get(reverse(url_name), {"q": payload})
        assert response.status_code == 200, kind
        hostile.assert_safe(response.content.decode(), where=f"{url_name} q={kind}")


def test_a_public_form_of_broken_utf8_is_refused_or_kept_never_a_500(cast: Cast, public_day: None) -> None:
    """Bytes that are not UTF-8 (a lone surrogate's CESU bytes, a cut Hangul syllable) and a
    NUL: the form comes back with its errors, or the text is kept with U+FFFD; never a 500."""
    from reports.models import Report

    client = _public()
    page = client.get(reverse("portal_reports:new"), {"institution": cast.district.pk})
    fields = f"form_token={token_of(page)}&institution={cast.district.pk}&kind=neglect&anonymous=1"
    for what in ("%ED%A0%80%ED%B8%80", "%EA%B0", "%FF%FE", "a%00b"):
        response = client.post(
            reverse("portal_reports:new"),
            f"{fields}&what={what}&place={what}",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200, what
        hostile.assert_safe(response.content.decode(), where=what)
    report = Report.objects.get()  # the first form made it; the same form again, no second report
    assert report.what == report.place == "\ufffd" * len(report.what)


def test_the_checks_catch_raw_markup_and_evaluated_templates() -> None:
    """The page checks above can fail: raw markup, an evaluated template or a missing value."""
    from django.template import engines

    with pytest.raises(AssertionError):
        hostile.assert_shown_as_text(f"<p>{hostile.SCRIPT}</p>", hostile.SCRIPT)
    with pytest.raises(AssertionError):
        hostile.assert_shown_as_text("<p>8</p>", hostile.TEMPLATE_VAR)
    evaluated = engines["django"].from_string(f"{hostile.TEMPLATE_VAR} {hostile.TEMPLATE_TAG}").render({})
    with pytest.raises(AssertionError):
        hostile.assert_shown_as_text(evaluated, f"{hostile.TEMPLATE_VAR} {hostile.TEMPLATE_TAG}")
    escaped = engines["django"].from_string("{{ v }}").render({"v": hostile.ALL_IN_ONE})
    hostile.assert_shown_as_text(escaped, hostile.ALL_IN_ONE)
    with pytest.raises(AssertionError):
        hostile.assert_no_formulas(_workbook_with_formula())


def _workbook_with_formula() -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["=1+1"])  # type: ignore[union-attr]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
