"""The actions of a request's page through the browser's forms: each one calls its service;
a refused or invalid action comes back (400) with the error by its field and the typed
text kept; forbidden users get 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consultations.models import Consultation
from consultations.tests.factories import acted, draft, submitted, under_review, with_opinion
from exemptions.models import Presumption
from tests.cast import Cast

pytestmark = pytest.mark.django_db
S = Consultation.Status


def act(c: Consultation, action: str) -> str:
    return reverse("consultations:act", kwargs={"pk": c.pk, "action": action})


def post(client: Any, c: Consultation, action: str, **fields: Any) -> Any:
    return client.post(act(c, action), {f"{action}-{k}": v for k, v in fields.items()})


def state(c: Consultation) -> str:
    c.refresh_from_db()
    return c.status


def test_from_draft_to_closed_through_the_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = draft(cast)
    official, head, auditor = client_for("official"), client_for("dept_head"), client_for("aa_officer")
    assert post(official, c, "request_approval").status_code == 302
    assert state(c) == S.PENDING_APPROVAL
    assert post(head, c, "submit").status_code == 302
    assert state(c) == S.SUBMITTED
    assert post(auditor, c, "accept").status_code == 302
    assert post(auditor, c, "extend", reason="질의 회신 대기").status_code == 302
    response = post(auditor, c, "issue_opinion", opinion="처리 가능", reasons="근거", conditions="")
    assert response.status_code == 302
    assert state(c) == S.OPINION_ISSUED
    response = official.post(
        act(c, "record_outcome"),
        {
            "record_outcome-outcome": "followed",
            "record_outcome-acted_on": c.opinion_on.isoformat() if c.opinion_on else "",
            "record_outcome-note": "의견대로 처리",
            "record_outcome-document": SimpleUploadedFile("증빙.txt", "증빙".encode(), content_type="text/plain"),
        },
    )
    assert response.status_code == 302
    assert state(c) == S.ACTED
    assert Presumption.objects.get(source_id=c.pk).holds
    assert post(auditor, c, "close", reason="").status_code == 302
    assert state(c) == S.CLOSED


def test_return_without_a_reason_is_shown_next_to_the_field(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = submitted(cast)
    response = post(client_for("aa_officer"), c, "return", ground="law_clear", reason="")
    assert response.status_code == 400
    assert response.context["actions"]
    [failed] = [a for a in response.context["actions"] if a["open"]]
    assert failed["form"].errors["reason"]
    assert state(c) == S.SUBMITTED


def test_refused_transition_is_a_form_error_not_a_500(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = submitted(cast)
    response = post(client_for("aa_officer"), c, "issue_opinion", opinion="적어 둔 의견", reasons="이유")
    assert response.status_code == 400
    assert "처리를 할 수 없습니다" in response.content.decode()
    assert state(c) == S.SUBMITTED


def test_opinion_error_keeps_what_was_typed(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = under_review(cast)
    response = post(client_for("aa_officer"), c, "issue_opinion", opinion="적어 둔 의견", reasons="")
    assert response.status_code == 400
    assert "적어 둔 의견" in response.content.decode()
    assert state(c) == S.UNDER_REVIEW


def test_returned_request_cannot_get_an_opinion_through_the_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = under_review(cast)
    auditor = client_for("aa_officer")
    assert post(auditor, c, "return", ground="decision_taken", reason="이미 처리한 결정").status_code == 302
    response = post(auditor, c, "issue_opinion", opinion="의견", reasons="이유")
    assert response.status_code == 400
    c.refresh_from_db()
    assert c.status == S.RETURNED
    assert c.opinion_number == ""


def test_department_cannot_screen_its_own_request(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = submitted(cast)
    assert post(client_for("dept_head"), c, "accept").status_code == 400
    assert state(c) == S.SUBMITTED


@pytest.mark.parametrize("username", ["official2", "official_b", "aa_officer_b", "no_role"])
def test_others_get_404_for_every_action(cast: Cast, client_for, username: str) -> None:  # type: ignore[no-untyped-def]
    c = submitted(cast)
    client = client_for(username)
    assert post(client, c, "accept").status_code == 404
    assert post(client, c, "withdraw", reason="x").status_code == 404
    assert state(c) == S.SUBMITTED


def test_unknown_action_is_404_and_get_is_405(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = submitted(cast)
    assert post(client_for("aa_officer"), c, "explode").status_code == 404
    assert client_for("aa_officer").get(act(c, "accept")).status_code == 405


def test_higher_body_path_through_the_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = under_review(cast)
    auditor = client_for("aa_officer")
    assert post(auditor, c, "refer", body="한빛광역시", sent_on="", reason="여러 기관 관련").status_code == 302
    assert state(c) == S.REFERRED
    today = timezone.localdate().isoformat()
    response = auditor.post(
        act(c, "record_higher_opinion"),
        {
            "record_higher_opinion-opinion": "가능",
            "record_higher_opinion-reasons": "",
            "record_higher_opinion-conditions": "",
            "record_higher_opinion-given_on": "2999-01-01",
            "record_higher_opinion-reference": "",
        },
    )
    assert response.status_code == 400
    response = post(auditor, c, "record_higher_opinion", opinion="가능", given_on=today, reference="감사-1")
    assert response.status_code == 302
    assert state(c) == S.OPINION_ISSUED


def test_committee_path_through_the_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = under_review(cast)
    auditor = client_for("aa_officer")
    assert post(auditor, c, "to_committee", reason="").status_code == 302
    today = timezone.localdate().isoformat()
    assert post(auditor, c, "record_committee_advice", opinion="자문", advised_on=today).status_code == 302
    c.refresh_from_db()
    assert c.opinion_source == "committee"


def test_head_sends_back_and_department_withdraws(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = draft(cast)
    assert post(client_for("official"), c, "request_approval").status_code == 302
    assert post(client_for("dept_head"), c, "send_back", reason="보완").status_code == 302
    assert state(c) == S.DRAFT
    assert post(client_for("official"), c, "withdraw", reason="불필요").status_code == 302
    assert state(c) == S.WITHDRAWN


def test_file_upload_and_refusals(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = draft(cast)
    url = reverse("consultations:attach", kwargs={"pk": c.pk})
    ok = client_for("official").post(url, {"file": SimpleUploadedFile("a.txt", b"abc", content_type="text/plain")})
    assert ok.status_code == 302
    bad = client_for("official").post(url, {"file": SimpleUploadedFile("a.exe", b"MZ\x90\x00" * 10)})
    assert bad.status_code == 400
    assert bad.context["upload_form"].errors["file"]
    assert client_for("official2").post(url, {"file": SimpleUploadedFile("a.txt", b"abc")}).status_code == 404


def test_exception_form_per_official(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = acted(cast)
    row = Presumption.objects.get(source_id=c.pk)
    url = reverse("consultations:presumption_exception", kwargs={"pk": c.pk, "presumption_pk": row.pk})
    prefix = f"p{row.pk}"
    missing = client_for("aa_officer").post(url, {f"{prefix}-private_interest": "on", f"{prefix}-reason": ""})
    assert missing.status_code == 400
    row.refresh_from_db()
    assert not row.private_interest
    done = client_for("aa_officer").post(url, {f"{prefix}-private_interest": "on", f"{prefix}-reason": "친족"})
    assert done.status_code == 302
    row.refresh_from_db()
    assert row.private_interest
    assert not row.holds
    assert client_for("official").post(url, {f"{prefix}-reason": "x"}).status_code == 404
    assert client_for("aa_officer_b").post(url, {f"{prefix}-reason": "x"}).status_code == 404


def test_exception_for_a_presumption_of_another_request_is_404(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    first, second = acted(cast), with_opinion(cast)
    row = Presumption.objects.get(source_id=first.pk)
    url = reverse("consultations:presumption_exception", kwargs={"pk": second.pk, "presumption_pk": row.pk})
    assert client_for("aa_officer").post(url, {f"p{row.pk}-reason": "x"}).status_code == 404
    row.refresh_from_db()
    assert not row.private_interest
