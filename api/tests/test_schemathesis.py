"""Hostile input over the whole API: schemathesis generates requests from /api/openapi.json,
valid and invalid, and sends them in process to the WSGI application.

Every operation is called by a token holder its rule admits, by someone of another
institution, by someone of the home institution without the role, and anonymously. Path
ids are drawn both from rows that exist (seeded for the operation, and whatever earlier
examples created) and from numbers that do not. Every answer must:

- not be a server error (5xx);
- have a status, a content type and a body that the schema declares for the operation;
- refuse invalid input with a 4xx (negative data), and never answer valid input with a
  422 (a domain rule may still refuse it with a 400: a unit that does not exist is
  schema-valid);
- for a row of the home institution, asked by someone of another institution, look
  exactly like a missing row: 404 (or 401/422, which are decided before the row is read).

The bound is small in the normal suite (SCHEMATHESIS_MAX_EXAMPLES, default 6 per operation);
`make trust` runs it larger. The run prints how many cases it sent.
"""

from __future__ import annotations

import datetime
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
import time_machine
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.db.models import Model
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import ignored_auth

from accounts.models import ApiToken
from api.tests.conftest import issue
from applications.models import Application
from committee.models import AdviceRequest, AgendaItem, Challenge, CommitteeMember, Meeting, Opinion
from consultations.models import Consultation
from exemptions.models import ExemptionCase, Presumption
from institutions.models import Institution, Person, Unit
from library.models import BestPractice
from protection.models import Claim, InsurancePolicy, SupportRequest
from recommendations.models import Recommendation
from register.models import WorkItem
from reports.models import Report
from tests.cast import Cast

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "6"))
#: the suite's run is the same every time (a red build names a change, not a lucky draw);
#: `make trust` sets SCHEMATHESIS_MAX_EXAMPLES and explores anew on each run
EXPLORE = "SCHEMATHESIS_MAX_EXAMPLES" in os.environ


class InProcess:
    """Django's WSGI handler for requests inside the test's transaction. Like Django's test
    Client, it keeps the end of a request from closing the test's database connection."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            return list(self.handler(environ, start_response))
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


CONFIG = schemathesis.Config.from_dict(
    {
        # A domain rule may refuse schema-valid input (400: no such unit, wrong state);
        # what valid input must never get is a 422.
        "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404"]}},
    }
)

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", InProcess(), config=CONFIG)

#: who holds each role in the cast (tests/cast.py)
ROLE_HOLDERS = {
    "admin": "admin",
    "supervisor": "supervisor",
    "aa_officer": "aa_officer",
    "audit_staff": "audit_staff",
    "committee_secretary": "secretary",
    "committee_member": "member",
    "dept_head": "dept_head",
    "head": "head",
    "hr_officer": "hr_officer",
    "official": "official",
    "protection_officer": "protection_officer",
}
ANONYMOUS = "anonymous"
#: the other district's official and the home district's user without a role
OUTSIDERS = ["official_b", "no_role"]


def admitted(rule: str) -> list[str]:
    """The cast members an operation's rule (its `x-access`) admits."""
    if rule == "login":
        return ["official"]
    if rule.startswith("roles:"):
        roles = rule.removeprefix("roles:").split("|", maxsplit=1)[0].split(",")
        return [ROLE_HOLDERS[role.strip()] for role in roles if role.strip() in ROLE_HOLDERS]
    return []


#: (path pattern, path parameter) -> the model whose ids the parameter takes
ID_MODELS: list[tuple[str, str, type[Model]]] = [
    (r"^/api/institutions/", "institution_id", Institution),
    (r"^/api/units/", "unit_id", Unit),
    (r"^/api/people/", "person_id", Person),
    (r"^/api/register/", "item_id", WorkItem),
    (r"^/api/consultations/", "consultation_id", Consultation),
    (r"^/api/consultations/", "presumption_id", Presumption),
    (r"^/api/exemptions/", "case_id", ExemptionCase),
    (r"^/api/protection/requests/", "request_id", SupportRequest),
    (r"^/api/protection/insurance/", "policy_id", InsurancePolicy),
    (r"^/api/protection/insurance/", "claim_id", Claim),
    (r"^/api/committee/members/", "member_id", CommitteeMember),
    (r"^/api/committee/meetings/", "meeting_id", Meeting),
    (r"^/api/committee/items/", "item_id", AgendaItem),
    (r"^/api/committee/challenges/", "challenge_id", Challenge),
    (r"^/api/committee/advice-requests/", "request_id", AdviceRequest),
    (r"^/api/committee/opinions/", "opinion_id", Opinion),
    (r"^/api/reports/", "report_id", Report),
    (r"^/api/library/", "case_id", BestPractice),
    (r"^/api/recommendations/", "rec_id", Recommendation),
    (r"^/api/applications/", "application_id", Application),
]


def id_model(path: str, name: str) -> type[Model] | None:
    for pattern, parameter, model in ID_MODELS:
        if parameter == name and re.match(pattern, path):
            return model
    return None


def home_ids(model: type[Model], cast: Cast) -> list[int]:
    """Ids of the model's rows in the home district (or of the district itself)."""
    if model is Institution:
        return [cast.district.pk]
    names = {f.name for f in model._meta.get_fields()}
    rows = model._default_manager.filter(institution=cast.district) if "institution" in names else None
    if rows is None:
        return []
    return list(rows.order_by("-pk").values_list("pk", flat=True)[:20])


def seed(path: str, cast: Cast) -> None:
    """Rows of the home district for the operation's path to find (a few states)."""
    from tests.factories import WorkItemFactory

    if path.startswith("/api/register"):
        WorkItemFactory(institution=cast.district, unit=cast.building, reference="BLD-1")
    elif path.startswith("/api/consultations"):
        from consultations.tests.factories import acted, draft

        draft(cast)
        acted(cast)
    elif path.startswith("/api/exemptions"):
        from exemptions.tests.factories import applied, decided

        applied(cast)
        decided(cast)
    elif path.startswith("/api/protection/requests"):
        from protection.tests.factories import approved, file

        file(cast)
        approved(cast)
    elif path.startswith("/api/protection/insurance"):
        from protection.tests.factories import claim_for, enrol, policy

        claim_for(cast, enrol(cast, policy(cast)))
    elif path.startswith("/api/committee"):
        from committee.tests.factories import AgendaItemFactory, MeetingFactory, appoint

        appoint(cast)
        AgendaItemFactory(meeting=MeetingFactory(institution=cast.district))
    elif path.startswith("/api/reports"):
        from reports.tests.factories import submit

        submit(cast.district)
    elif path.startswith("/api/library"):
        from library.tests.factories import published, write

        write(cast)
        published(cast)
    elif path.startswith("/api/recommendations"):
        from recommendations.tests.factories import submit as recommend

        recommend(cast.district)
    elif path.startswith("/api/applications"):
        from applications.tests.factories import reviewing

        reviewing(cast)


@dataclass
class Tally:
    cases: int = 0
    operations: set[str] = field(default_factory=set)
    statuses: dict[int, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)


TALLY = Tally()


@pytest.fixture(scope="module", autouse=True)
def _report(pytestconfig: pytest.Config) -> Iterator[None]:
    """Print how many cases the run sent (on the terminal, past pytest's capture)."""
    yield
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None or not TALLY.cases:
        return
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(TALLY.statuses.items()))
    with capture.global_and_fixture_disabled():
        reporter.write_line(
            f"\nschemathesis: {TALLY.cases} cases over {len(TALLY.operations)} operations "
            f"in {time.monotonic() - TALLY.started:.0f} s (max_examples={MAX_EXAMPLES}; statuses {statuses})"
        )


@pytest.fixture
def tokens(cast: Cast) -> Callable[[str], str]:
    """A read-write token per cast member, made on first use."""
    made: dict[str, str] = {}

    def token(name: str) -> str:
        if name not in made:
            made[name] = issue(cast.users[name], scope=ApiToken.Scope.READ_WRITE, name="schemathesis")
        return made[name]

    return token


@pytest.fixture
def seeded(cast: Cast, request: pytest.FixtureRequest) -> Cast:
    with time_machine.travel(datetime.datetime(2026, 6, 15, 1, tzinfo=datetime.UTC), tick=False):
        seed(_operation_path(request), cast)
    return cast


def _operation_path(request: pytest.FixtureRequest) -> str:
    # The node is named "test_api[METHOD /api/path]".
    match = re.search(r"\[[A-Z]+ (/[^\]]*)\]", request.node.name)
    return match.group(1) if match else ""


def access_holds(caller: str, rule: str, home_row: bool) -> Callable[..., None]:
    """Nobody without a token gets past a non-public operation (401), and a row of the home
    institution looks missing (404) to another institution's caller (401, 422 and the
    refusals of unstorable text and of a body that is not JSON are decided before the row is
    read: they tell nothing)."""

    def check(ctx: Any, response: Any, case: Any) -> None:
        routed = all(re.fullmatch(r"\d+", str(value)) for value in (case.path_parameters or {}).values())
        if caller == ANONYMOUS and rule != "public" and routed:
            # (A path that names no operation, `/api/units/-1`, is a 404 for everybody.)
            assert response.status_code == 401, f"no token, but the answer was {response.status_code}"
        if caller == "official_b" and home_row and rule != "public":
            # (An unstorable body is refused with a 400 before the row is read, too.)
            # So is a body that is not JSON at all: the parser refuses it before any row.
            before_the_row = {401, 422, 400} if unstorable(case.body) or unreadable(response) else {401, 422}
            assert response.status_code in {404, *before_the_row}, (
                f"another institution's caller got {response.status_code} for a home row: "
                "forbidden must look like missing (404)"
            )

    return check


def unreadable(response: Any) -> bool:
    """The API's answer to a body that is not JSON (api/errors.py), the same for any row."""
    if response.status_code != 400:
        return False
    try:
        detail = response.json().get("detail", "")
    except ValueError:
        return False
    return isinstance(detail, str) and detail.startswith("요청 본문을 읽을 수 없습니다.")


def unstorable(value: Any) -> bool:
    """Text with a NUL or a lone surrogate somewhere in a JSON body."""
    if isinstance(value, str):
        return "\x00" in value or any(0xD800 <= ord(char) <= 0xDFFF for char in value)
    if isinstance(value, dict):
        return any(unstorable(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(unstorable(item) for item in value)
    return False


def refused_as_unstorable(ctx: Any, response: Any, case: Any) -> None:
    """Unstorable text gets a 4xx; never reaches the database (a 2xx, or a 5xx on PostgreSQL)."""
    assert 400 <= response.status_code < 500, f"unstorable text was answered {response.status_code}"


@schema.parametrize()
@schema.given(data=st.data())
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=not EXPLORE)
def test_api(case: Any, data: st.DataObject, seeded: Cast, tokens: Callable[[str], str]) -> None:
    cast = seeded
    operation = case.operation
    rule = operation.definition.raw.get("x-access", {}).get("rule", "public")
    caller = data.draw(st.sampled_from([*admitted(rule), *OUTSIDERS, ANONYMOUS]), label="caller")

    home_row = False
    for name in list(case.path_parameters or {}):
        model = id_model(operation.path, name)
        if model is None:
            continue
        ids = home_ids(model, cast)
        if ids and data.draw(st.booleans(), label=f"existing {name}"):
            case.path_parameters[name] = data.draw(st.sampled_from(ids), label=name)
            home_row = True
    # Edited in place, so schemathesis re-decides whether the case is still valid input.
    case.headers = case.headers or {}
    case.headers.pop("Authorization", None)
    if caller != ANONYMOUS:
        case.headers["Authorization"] = f"Bearer {tokens(caller)}"
    # schemathesis's WSGI transport asks for gzip and does not decode it; the compression
    # itself is core/tests/test_compression.py's
    case.headers["Accept-Encoding"] = "identity"
    if case.meta is not None and case.meta.generation.mode.is_positive and case.query:
        # A cursor is opaque: only one the server issued is valid, whatever the schema allows.
        case.query.pop("cursor", None)

    checks: list[Any] = [access_holds(caller, rule, home_row)]
    # The token is set on the case (so schemathesis re-decides whether the case is valid),
    # which makes schemathesis take it for a generated one; `access_holds` checks auth.
    excluded: list[Any] = [ignored_auth]
    if unstorable(case.body):
        # The one rule the schema does not state: text must be storable (no NUL, no lone
        # surrogate); such a body is refused (400) before any row is written.
        checks.append(refused_as_unstorable)
    if not TALLY.cases:
        TALLY.started = time.monotonic()
    TALLY.cases += 1
    TALLY.operations.add(operation.label)
    response = case.call_and_validate(additional_checks=checks, excluded_checks=excluded)
    TALLY.statuses[response.status_code] = TALLY.statuses.get(response.status_code, 0) + 1
