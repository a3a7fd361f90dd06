"""Who may open which exemption page: deny by default, other institutions see nothing, an
official sees only the cases naming them, HR officers the disciplinary stage."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

OK, MISSING = 200, 404

# (url name, case attribute or None, extra kwargs, {username: expected status})
TABLE = [
    ("list", None, {}, {"official": OK, "hr_officer": OK, "audit_staff": OK, "no_role": MISSING, "head": MISSING}),
    ("mine", None, {}, {"official": OK, "aa_officer": OK, "head": MISSING, "no_role": MISSING}),
    ("apply", None, {}, {"official": OK, "head": MISSING, "no_role": MISSING}),
    ("open", None, {}, {"audit_staff": OK, "aa_officer": OK, "official": MISSING, "hr_officer": MISSING}),
    (
        "detail",
        "applied",
        {},
        {
            "official": OK,
            "aa_officer": OK,
            "audit_staff": OK,
            "official2": MISSING,
            "dept_head": MISSING,
            "hr_officer": MISSING,
            "aa_officer_b": MISSING,
            "official_b": MISSING,
            "head": MISSING,
        },
    ),
    ("detail", "disciplinary", {}, {"hr_officer": OK, "official2": OK, "official": MISSING}),
    ("detail", "other", {}, {"aa_officer_b": OK, "official_b": OK, "aa_officer": MISSING, "audit_staff": MISSING}),
    ("edit", "applied", {}, {"official": OK, "audit_staff": OK, "official2": MISSING, "aa_officer_b": MISSING}),
    ("edit", "reviewing", {}, {"audit_staff": OK, "official": MISSING}),
    ("edit", "decided", {}, {"audit_staff": MISSING, "aa_officer": MISSING}),
    ("findings", "reviewing", {}, {"audit_staff": OK, "aa_officer": OK, "official": MISSING, "aa_officer_b": MISSING}),
    ("findings", "decided", {}, {"audit_staff": MISSING}),
    ("decide", "reviewing", {}, {"aa_officer": OK, "audit_staff": OK, "official": MISSING, "hr_officer": MISSING}),
    ("decide", "disciplinary", {}, {"aa_officer": OK, "audit_staff": MISSING, "hr_officer": MISSING}),
    ("withdraw", "applied", {}, {"official": OK, "official2": MISSING, "audit_staff": MISSING}),
    ("withdraw", "reviewing", {}, {"official": MISSING, "audit_staff": MISSING}),
    ("decision_pdf", "decided", {}, {"official": OK, "aa_officer": OK, "official2": MISSING, "aa_officer_b": MISSING}),
    ("decision_pdf", "applied", {}, {"official": MISSING, "aa_officer": MISSING}),
    ("demands", None, {}, {"hr_officer": OK, "aa_officer": OK, "audit_staff": OK, "official": MISSING}),
    ("demand_create", None, {}, {"hr_officer": OK, "official": MISSING, "head": MISSING}),
    ("reports", None, {}, {"aa_officer": OK, "audit_staff": OK, "aa_officer_b": OK, "hr_officer": MISSING}),
    ("report", None, {"year": 2026, "quarter": 1}, {"aa_officer": OK, "official": MISSING, "hr_officer": MISSING}),
    ("report", None, {"year": 2026, "quarter": 5}, {"aa_officer": MISSING}),
    ("report_xlsx", None, {"year": 2026, "quarter": 1}, {"aa_officer": OK, "official": MISSING}),
    ("report_pdf", None, {"year": 2026, "quarter": 1}, {"audit_staff": OK, "official": MISSING}),
]

CASES = [
    pytest.param((name, attr, kwargs), who, status, id=f"{name}-{attr or '-'}-{who}")
    for name, attr, kwargs, expected in TABLE
    for who, status in expected.items()
]


@pytest.mark.parametrize(("page", "who", "status"), CASES)
def test_page_answers_by_role_and_case(client_for, cases, page, who, status) -> None:  # type: ignore[no-untyped-def]
    name, attr, kwargs = page
    if attr is not None:
        kwargs = {**kwargs, "pk": getattr(cases, attr).pk}
    response = client_for(who).get(reverse(f"exemptions:{name}", kwargs=kwargs or None))
    assert response.status_code == status


def test_anonymous_is_sent_to_login(client, cases) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("exemptions:detail", kwargs={"pk": cases.applied.pk}))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_list_shows_an_official_only_the_cases_naming_them(client_for, cases) -> None:  # type: ignore[no-untyped-def]
    page = client_for("official").get(reverse("exemptions:list")).content.decode()
    assert cases.applied.act in page
    assert cases.decided.act in page
    assert "징계 단계 행위" not in page
    assert "다온구 행위" not in page


def test_the_list_shows_hr_only_the_disciplinary_stage(client_for, cases) -> None:  # type: ignore[no-untyped-def]
    page = client_for("hr_officer").get(reverse("exemptions:list")).content.decode()
    assert "징계 단계 행위" in page
    assert cases.applied.act not in page


def test_the_audit_side_sees_every_case_of_its_institution_and_none_of_another(client_for, cases) -> None:  # type: ignore[no-untyped-def]
    page = client_for("audit_staff").get(reverse("exemptions:list")).content.decode()
    for case in (cases.applied, cases.reviewing, cases.decided, cases.disciplinary):
        assert case.act in page
    assert "다온구 행위" not in page


@pytest.mark.parametrize(
    ("name", "who"),
    [("review", "official"), ("review", "aa_officer_b"), ("attach", "official2"), ("attach", "aa_officer_b")],
)
def test_post_actions_on_a_case_one_may_not_see_are_404(client_for, cases, name, who) -> None:  # type: ignore[no-untyped-def]
    url = reverse(f"exemptions:{name}", kwargs={"pk": cases.applied.pk})
    assert client_for(who).post(url).status_code == 404


def test_submitting_a_report_is_for_the_audit_side(client_for, cases) -> None:  # type: ignore[no-untyped-def]
    url = reverse("exemptions:report_submit", kwargs={"year": 2026, "quarter": 1})
    assert client_for("official").post(url, {"reference": "X"}).status_code == 404
    assert client_for("hr_officer").post(url, {"reference": "X"}).status_code == 404
