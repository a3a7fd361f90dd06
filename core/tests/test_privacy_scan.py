"""The database holds no trace of the public's client: after every public flow has run
through the real views, no column of any table (the audit log's JSON, the decoded sessions,
the task queue's arguments and the notifications included) holds the client's address (or
its /24 prefix, or the forwarded-for address), its user agent, or - for the anonymous flows -
any e-mail address in clear. Where a person chose to leave a contact (an identified reporter,
a recommender, an applicant), the contact is kept in its own column and nowhere else
(ADR 0026). The cache is out of scope (it only holds keyed hashes, for a window).

The tests run in real transactions (on-commit work such as e-mails and task enqueuing
happens as in production), with the database task backend, so queued tasks are rows to scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from core import audit
from core.access import actor_for
from core.models import AuditEntry, Notification
from portal.tests.public_helpers import code_of, ticket_of, token_of
from reports import receipts
from tests.cast import Cast

ADDRESS = "203.0.113.77"
ADDRESS_PREFIX = "203.0.113."
FORWARDED = "198.51.100.23"
FORWARDED_PREFIX = "198.51.100."
AGENT = "PrivacyProbe/9.9 (distinct)"
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

CLIENT_NEEDLES = [ADDRESS, ADDRESS_PREFIX, FORWARDED, FORWARDED_PREFIX, AGENT, "PrivacyProbe"]


@pytest.fixture
def db_tasks(settings, fresh_cache: None) -> None:  # type: ignore[no-untyped-def]
    """Queued tasks stay in the database (django-tasks-db) instead of running at once; the
    cache starts empty (no rate-limit counter of another test)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def probe() -> Client:
    return Client(REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR=FORWARDED, HTTP_USER_AGENT=AGENT)


def derived_needles() -> list[str]:
    """The keyed hashes the rate limits derive from the address (cache only, never stored)."""
    request = type("R", (), {"META": {"REMOTE_ADDR": ADDRESS, "HTTP_X_FORWARDED_FOR": FORWARDED}})()
    return [receipts.client_key(request)]  # type: ignore[arg-type]


# --- The scan ----------------------------------------------------------------------------


def _text(value: object) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="ignore")
    return "" if value is None else str(value)


def cells() -> Iterator[tuple[str, str]]:
    """("table.column", text) of every cell of every table, and of every decoded session."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - introspected names
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    yield f"{table}.{column}", _text(value)
    for key, data in SessionStore.get_model_class().objects.values_list("session_key", "session_data"):
        yield "django_session.session_data (decoded)", repr(SessionStore(session_key=key).decode(data))


def where(needles: list[str]) -> dict[str, set[str]]:
    """For each needle found anywhere, the columns it is in."""
    found: dict[str, set[str]] = {}
    for location, text in cells():
        for needle in needles:
            if needle in text:
                found.setdefault(needle, set()).add(location)
    return found


def emails() -> set[tuple[str, str]]:
    """Every e-mail address in clear, with its column."""
    return {(location, match.lower()) for location, text in cells() for match in EMAIL.findall(text)}


def test_the_scan_finds_a_planted_address_agent_and_email(cast: Cast) -> None:
    """The scan is not blind: what it looks for, put in a text or a JSON column, is found."""
    Notification.objects.create(recipient=cast.official, title="t", body=f"from {ADDRESS} by {AGENT}")
    with transaction.atomic():
        audit.record(actor=None, action="test.planted", changes={"who": "planted@example.org", "ip": FORWARDED})
    found = where(CLIENT_NEEDLES)
    assert found[ADDRESS] == {"core_notification.body"}
    assert found[AGENT] == {"core_notification.body"}
    assert found[FORWARDED] == {"core_auditentry.changes"}
    assert ("core_auditentry.changes", "planted@example.org") in emails()


# --- The anonymous flows -----------------------------------------------------------------


def _portal_pages(client: Client, cast: Cast) -> None:
    for url in (reverse("portal:home"), reverse("portal:institutions"), reverse("portal:follow")):
        assert client.get(url).status_code == 200
    assert client.get(reverse("portal:institution", args=[cast.district.pk])).status_code == 200
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert client.post(reverse("set_language"), {"language": "ko", "next": "/"}).status_code == 302


def _failed_sign_in(client: Client) -> None:
    """Anyone can reach the staff sign-in page; a failed attempt is recorded (django-axes,
    locking by user name only) without the client's address or agent."""
    from axes.models import AccessAttempt

    response = client.post(reverse("accounts:login"), {"username": "nobody", "password": "wrong"})
    assert response.status_code == 200
    assert AccessAttempt.objects.filter(username="nobody").exists()


def _anonymous_report(client: Client, cast: Cast) -> None:
    """Report anonymously (typing a name and an address anyway: the form has the fields),
    follow it, write, read the answer's file, ask for a review; and fail lookups until
    the rate limit is reached (which is audited)."""
    from reports import services
    from reports.models import Report

    assert client.get(reverse("portal_reports:start"), {"q": "새솔"}).status_code == 200
    page = client.get(reverse("portal_reports:new"), {"institution": cast.district.pk})
    token = token_of(page)
    data = {
        "form_token": token,
        "institution": cast.district.pk,
        "unit": cast.building.name,
        "kind": "neglect",
        "what": "민원을 석 달째 처리하지 않습니다.",
        "place": "민원실",
        "anonymous": "1",
        "reporter_name": "익명희망",
        "reporter_email": "anon.reporter@example.net",
        "reporter_phone": "010-9999-0000",
        "attachments": SimpleUploadedFile("evidence.txt", "증거".encode(), content_type="text/plain"),
    }
    response = client.post(reverse("portal_reports:new"), data)
    code = code_of(response)
    confirmed = client.post(reverse("portal_reports:confirm_receipt"), {"form_token": token, "saved": "on"})
    assert confirmed.status_code == 302
    assert client.get(reverse("portal_reports:done")).status_code == 200
    report = Report.objects.get()
    assert report.anonymous
    officer = actor_for(cast.aa_officer)
    services.investigate(actor=officer, report=report)
    answer = SimpleUploadedFile("answer.txt", "답변".encode(), content_type="text/plain")
    services.send_message(actor=officer, report=report, body="자료를 더 보내 주십시오.", uploads=[answer])
    body = client.post(reverse("portal:follow"), {"receipt": code}).content.decode()
    ticket = ticket_of(body)
    file_pk = re.search(r'name="file" value="(\d+)"', body).group(1)  # type: ignore[union-attr]
    assert client.post(reverse("portal_reports:follow_file"), {"ticket": ticket, "file": file_pk}).status_code == 200
    reply = SimpleUploadedFile("reply.txt", "보냅니다".encode(), content_type="text/plain")
    token = re.search(r'name="form_token" value="([^"]+)"', body).group(1)  # type: ignore[union-attr]
    sent = client.post(
        reverse("portal_reports:follow_message"),
        {"ticket": ticket, "form_token": token, "body": "보냈습니다", "attachments": reply},
    )
    assert "메시지를 보냈습니다" in sent.content.decode()
    services.close(
        actor=officer,
        report=report,
        outcome="corrected",
        result_text="바로잡았습니다.",
        officials=[cast.official.person],
    )
    reviewed = client.post(reverse("portal_reports:follow_review"), {"ticket": ticket, "reason": "동의하지 않습니다"})
    assert "재검토를 요청했습니다" in reviewed.content.decode()
    for _ in range(receipts.CLIENT_LIMIT + 1):
        client.post(reverse("portal:follow"), {"receipt": "9" * 20})
    assert AuditEntry.objects.filter(action=receipts.AUDIT_ACTION).exists()


def _library(client: Client, cast: Cast) -> None:
    from library.models import BestPractice
    from library.tests.factories import published

    case = published(cast, title="주차장 공유 사업")
    assert client.get(reverse("portal_library:list"), {"q": "주차장"}).status_code == 200
    assert client.get(reverse("portal_library:detail", args=[case.pk])).status_code == 200
    assert BestPractice.objects.get(pk=case.pk).view_count == 1  # the visit was counted (a write)


def _contest_vote(client: Client, cast: Cast) -> None:
    """Vote in a contest with an e-mailed code: the address is typed, used and not kept."""
    from contests.models import Vote
    from contests.tests.factories import code_from_mail, voting_open

    contest, entries = voting_open(cast)
    assert client.get(reverse("portal_contests:list")).status_code == 200
    assert client.get(reverse("portal_contests:detail", args=[contest.pk])).status_code == 200
    page = client.post(reverse("portal_contests:request_code", args=[contest.pk]), {"email": "voter.probe@example.org"})
    assert page.status_code == 200
    assert mail.outbox[-1].to == ["voter.probe@example.org"]
    ticket = page.context["form"].initial["ticket"]
    code = code_from_mail(mail.outbox[-1].body)
    voted = client.post(
        reverse("portal_contests:vote", args=[contest.pk]), {"ticket": ticket, "entry": entries[0].pk, "code": code}
    )
    assert voted.status_code == 302
    assert Vote.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_anonymous_flows_leave_no_address_agent_or_email(cast: Cast, db_tasks: None, settings) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.sessions.models import Session
    from django_tasks_db.models import DBTaskResult

    settings.TRUSTED_PROXY_HOPS = 1  # behind a proxy: the forwarded address is read (and hashed)
    settings.AXES_ENABLED = True  # as in production: failed sign-ins are recorded
    before = emails()
    client = probe()
    _portal_pages(client, cast)
    _failed_sign_in(client)
    _anonymous_report(client, cast)
    _library(client, cast)
    _contest_vote(client, cast)

    # the flows wrote what the scan must read: public audit entries, queued tasks, notifications
    assert AuditEntry.objects.filter(actor__isnull=True, action="report.reporter_message").exists()
    assert DBTaskResult.objects.exists()
    assert Notification.objects.exists()
    assert Session.objects.count() == 0  # no session is ever opened for the public
    assert where(CLIENT_NEEDLES + derived_needles()) == {}
    assert emails() - before == set()


# --- The identified flows ----------------------------------------------------------------


REPORTER = {
    "reporter_name": "신고인홍길",
    "reporter_email": "named.reporter@example.net",
    "reporter_phone": "010-5555-0001",
}
RECOMMENDER = {"recommender_name": "추천인서다", "recommender_email": "named.recommender@example.net"}
APPLICANT = {"applicant_name": "신청인김하", "applicant_email": "named.applicant@example.net"}


def _submit(client: Client, urls: str, data: dict[str, object]) -> str:
    response = client.post(reverse(f"{urls}:new"), data)
    assert response.status_code == 200, response.content.decode()[:500]
    code = code_of(response)
    client.post(reverse(f"{urls}:confirm_receipt"), {"form_token": data["form_token"], "saved": "on"})
    return code


def _form(client: Client, urls: str, cast: Cast, **values: object) -> dict[str, object]:
    page = client.get(reverse(f"{urls}:new"), {"institution": cast.district.pk})
    return {"form_token": token_of(page), "institution": cast.district.pk, **values}


@pytest.mark.django_db(transaction=True)
def test_identified_contacts_are_kept_in_their_own_columns_only(cast: Cast, db_tasks: None) -> None:
    """An identified reporter, a recommender and an applicant leave a contact on purpose (it
    is needed to answer them): it is kept in its own column, and nowhere else - not in the
    audit log, the notifications, the task queue or a session. The client still leaves
    nothing."""
    from applications import services as applications
    from applications.models import Application
    from recommendations import services as recommendations
    from recommendations.models import Recommendation
    from reports import services as reports
    from reports.models import Report

    client = probe()
    officer = actor_for(cast.aa_officer)
    report_code = _submit(
        client,
        "portal_reports",
        _form(client, "portal_reports", cast, kind="neglect", what="처리가 늦습니다.", anonymous="0", **REPORTER),
    )
    rec_code = _submit(
        client,
        "portal_recommendations",
        _form(
            client,
            "portal_recommendations",
            cast,
            nominee_kind="person",
            nominee_name="최유진",
            unit_name="건축과",
            what="노후 주택을 주말에 점검했습니다.",
            effect="12가구가 보수를 마쳤습니다.",
            **RECOMMENDER,
        ),
    )
    app_code = _submit(
        client,
        "portal_applications",
        _form(
            client,
            "portal_applications",
            cast,
            unit_name="건축과",
            refused_request="옥상 온실 설치 신고",
            refusal_reason="증축으로 볼지 기준이 없음",
            request="설비로 보아 신고를 받아 주십시오.",
            **APPLICANT,
        ),
    )
    report, rec, application = Report.objects.get(), Recommendation.objects.get(), Application.objects.get()
    assert not report.anonymous
    # staff act on each, so the contact is e-mailed (on commit) and the timelines grow
    reports.investigate(actor=officer, report=report)
    recommendations.start(actor=officer, rec=rec)
    recommendations.ask(actor=officer, rec=rec, question="점검 날짜를 아시나요?")
    applications.start(actor=officer, application=application)
    for code in (report_code, rec_code, app_code):
        assert client.post(reverse("portal:follow"), {"receipt": code}).status_code == 200
    page = client.post(reverse("portal:follow"), {"receipt": rec_code}).content.decode()
    answered = client.post(
        reverse("portal_recommendations:follow_answer"), {"ticket": ticket_of(page), "body": "6월 1일입니다."}
    )
    assert answered.status_code == 200
    assert {m.to[0] for m in mail.outbox} >= {REPORTER["reporter_email"], RECOMMENDER["recommender_email"]}

    found = where([*REPORTER.values(), *RECOMMENDER.values(), *APPLICANT.values()])
    assert found == {
        REPORTER["reporter_name"]: {"reports_report.reporter_name"},
        REPORTER["reporter_email"]: {"reports_report.reporter_email"},
        REPORTER["reporter_phone"]: {"reports_report.reporter_phone"},
        RECOMMENDER["recommender_name"]: {"recommendations_recommendation.recommender_name"},
        RECOMMENDER["recommender_email"]: {"recommendations_recommendation.recommender_email"},
        APPLICANT["applicant_name"]: {"applications_application.applicant_name"},
        APPLICANT["applicant_email"]: {"applications_application.applicant_email"},
    }
    assert where(CLIENT_NEEDLES + derived_needles()) == {}
