"""The audit log's integrity beyond the chain itself (core/tests/test_audit.py):

(a) no code path writes an entry except `core.audit.record`: the model and its manager refuse
    every other ORM write, and no module outside core opens the door `record` uses;
(b) every workflow transition writes exactly one entry in the transaction of its change
    (all transitions through the shared `Workflow.apply`, and five modules' real services);
(c) `manage.py verify_audit_log` exits non-zero on each kind of tampering, and the daily
    erasures of personal data leave the chain valid.

Run on SQLite by default and on PostgreSQL with DATABASE_URL (see the common test notes).
"""

from __future__ import annotations

import datetime
import importlib
import os
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import base as management_base
from django.core.management import load_command_class
from django.db import models, transaction

from core import audit
from core.access import Actor, actor_for
from core.models import AuditChain, AuditEntry, AuditLogIsAppendOnly
from core.workflow import Transition, Workflow
from institutions.models import Institution, Unit
from tests.cast import Cast
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def _rolled_back(change: Callable[[], object]) -> None:
    """Make the change inside a transaction that then fails."""
    with transaction.atomic():
        change()
        raise Boom


def _tamper() -> models.QuerySet[AuditEntry]:
    """The table as someone with the database sees it: past the model's guard."""
    return models.QuerySet(AuditEntry)


def _chain(n: int = 5) -> tuple[Institution, list[AuditEntry]]:
    """`n` entries on the chain of a fresh institution (nothing else writes there)."""
    institution = InstitutionFactory()
    with transaction.atomic():
        entries = [
            audit.record(actor=None, action="test.step", institution_id=institution.pk, changes={"n": i}, reason="시험")
            for i in range(n)
        ]
    assert [e.seq for e in entries] == list(range(1, n + 1))
    return institution, entries


def _head(key: int) -> tuple[int, str]:
    head = AuditChain.objects.filter(key=key).values_list("last_seq", "last_hash").first()
    return head if head is not None else (0, "")


# --- (a) Only record() writes ------------------------------------------------------------


def _forged(entry: AuditEntry) -> AuditEntry:
    forged = AuditEntry(
        chain=entry.chain, seq=entry.seq + 100, created_at=entry.created_at, actor_label="x", action="forged"
    )
    forged.prev_hash = entry.hash
    forged.hash = audit.entry_digest(forged)
    return forged


WRITES: dict[str, Callable[[AuditEntry], object]] = {
    "save a new entry": lambda e: _forged(e).save(),
    "save a new entry, forced insert": lambda e: _forged(e).save(force_insert=True),
    "save an entry again": lambda e: AuditEntry.objects.get(pk=e.pk).save(),
    "save an entry with changed fields": lambda e: AuditEntry.objects.get(pk=e.pk).save(update_fields=["reason"]),
    "delete an entry": lambda e: AuditEntry.objects.get(pk=e.pk).delete(),
    "manager create": lambda e: AuditEntry.objects.create(chain=e.chain, seq=e.seq + 100, action="forged"),
    "get_or_create": lambda e: AuditEntry.objects.get_or_create(chain=e.chain, seq=e.seq + 100),
    "update_or_create": lambda e: AuditEntry.objects.update_or_create(pk=e.pk, defaults={"reason": "x"}),
    "queryset update": lambda e: AuditEntry.objects.filter(pk=e.pk).update(reason="x"),
    "queryset delete": lambda e: AuditEntry.objects.filter(pk=e.pk).delete(),
    "delete all": lambda e: AuditEntry.objects.all().delete(),
    "bulk_create": lambda e: AuditEntry.objects.bulk_create([_forged(e)]),
    "bulk_update": lambda e: AuditEntry.objects.bulk_update([AuditEntry.objects.get(pk=e.pk)], ["reason"]),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_no_orm_write_reaches_the_log_except_record(write: str) -> None:
    _institution, entries = _chain(3)
    rows_before = list(_tamper().order_by("pk").values())
    with pytest.raises(AuditLogIsAppendOnly), transaction.atomic():
        WRITES[write](entries[1])
    assert list(_tamper().order_by("pk").values()) == rows_before
    assert audit.verify_all()[1] is None


def test_an_entry_cannot_be_saved_again_even_inside_the_door() -> None:
    """The door `record` opens only lets a new entry in: not a second save, not a delete."""
    from core.models import appending

    _institution, entries = _chain(2)
    entry = AuditEntry.objects.get(pk=entries[0].pk)
    entry.reason = "고쳐 쓴 사유"
    with appending(), pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with appending(), pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == "시험"


def test_record_still_appends_and_the_door_closes_after_it() -> None:
    institution, entries = _chain(2)
    with pytest.raises(AuditLogIsAppendOnly):
        _forged(entries[-1]).save()  # record() ran just before: the door is shut again
    with transaction.atomic():
        audit.record(actor=None, action="test.after", institution_id=institution.pk)
    assert AuditEntry.objects.filter(chain=institution.pk).count() == 3


#: the doors around the guard; only core/audit.py (and the model itself) may use them
BYPASSES = re.compile(
    r"\bappending\(|_APPENDING|core_auditentry|AuditEntry\._base_manager|QuerySet\(AuditEntry|\bAuditEntry\("
)
ALLOWED = {Path("core/audit.py"), Path("core/models.py")}
SKIPPED_DIRS = {".venv", "node_modules", "var", "static", "tests", "migrations", ".git"}


def _project_sources() -> Iterator[Path]:
    root = Path(settings.BASE_DIR)
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.startswith(".")]
        for name in files:
            if name.endswith(".py") and not name.startswith("test_") and name != "conftest.py":
                yield (Path(folder) / name).relative_to(root)


def test_no_module_outside_core_audit_writes_entries_another_way() -> None:
    root = Path(settings.BASE_DIR)
    sources = list(_project_sources())
    assert Path("reports/services.py") in sources  # the walk sees the services
    offenders = [
        f"{path}:{line_no}"
        for path in sources
        if path not in ALLOWED
        for line_no, line in enumerate((root / path).read_text(encoding="utf-8").splitlines(), 1)
        if BYPASSES.search(line)
    ]
    assert offenders == []


# --- (b) One entry per transition, in the transaction of the change --------------------


def _workflows() -> list[Workflow]:
    """Every workflow the installed apps declare (in their `workflow` module or package)."""
    found: dict[int, Workflow] = {}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.workflow")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.workflow":
                raise
            continue
        modules = [module]
        if hasattr(module, "__path__"):
            modules += [
                importlib.import_module(info.name)
                for info in pkgutil.iter_modules(module.__path__, f"{module.__name__}.")
            ]
        for mod in modules:
            for value in vars(mod).values():
                if isinstance(value, Workflow):
                    found[id(value)] = value
    return sorted(found.values(), key=lambda w: w.name)


WORKFLOWS = _workflows()


def test_the_workflows_are_found() -> None:
    names = {w.name for w in WORKFLOWS}
    assert {"report", "recommendation", "application", "consultation", "exemption", "contest"} <= names
    assert len(WORKFLOWS) >= 20


def _stand_in(workflow: Workflow, t: Transition) -> Workflow:
    """The workflow's transition on a stand-in row (a Unit's `kind` holds the state), as
    declared but without its guards (they read fields of the real model)."""
    bare = Transition(t.action, t.label, t.sources, t.target, roles=t.roles, requires_reason=t.requires_reason)
    return Workflow(workflow.name, workflow.states, [bare], field_name="kind")


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_every_transition_writes_one_entry_in_its_transaction(
    workflow: Workflow, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    actor = actor_for(cast.aa_officer)
    unit = Unit.objects.create(institution=cast.district, code="STANDIN", name="stand-in", kind="")
    real_record = audit.record
    for t in workflow.transitions:
        flow = _stand_in(workflow, t)
        code = workflow.audit_action(t.action)
        role = sorted(t.roles)[0]
        for source in sorted(t.sources):
            Unit.objects.filter(pk=unit.pk).update(kind=source)
            unit.refresh_from_db()
            count, head = AuditEntry.objects.count(), _head(cast.district.pk)
            # a rollback removes both the change and its entry
            with pytest.raises(Boom):
                _rolled_back(lambda: flow.apply(unit, t.action, actor=actor, roles={role}, reason="사유"))  # noqa: B023
            assert Unit.objects.get(pk=unit.pk).kind == source
            assert (AuditEntry.objects.count(), _head(cast.district.pk)) == (count, head)
            # an entry that cannot be written undoes the change
            monkeypatch.setattr(audit, "record", _failing(real_record, code))
            unit.refresh_from_db()
            with pytest.raises(Boom):
                flow.apply(unit, t.action, actor=actor, roles={role}, reason="사유")
            monkeypatch.setattr(audit, "record", real_record)
            assert Unit.objects.get(pk=unit.pk).kind == source
            assert AuditEntry.objects.count() == count
            # and done: exactly one entry, with the transition's code and the change
            unit.refresh_from_db()
            flow.apply(unit, t.action, actor=actor, roles={role}, reason="사유")
            new = list(AuditEntry.objects.filter(seq__gt=head[0], chain=cast.district.pk))
            assert [(e.action, e.target_id, e.changes) for e in new] == [
                (code, str(unit.pk), {"kind": [source, t.target]})
            ]
            assert audit.action_label(code) == str(t.label)
    assert audit.verify_all()[1] is None


def _failing(real: Callable[..., AuditEntry], action: str) -> Callable[..., AuditEntry]:
    def record(**kwargs: Any) -> AuditEntry:
        if kwargs.get("action") == action:
            raise Boom("the audit log is unavailable")
        return real(**kwargs)

    return record


@dataclass(frozen=True)
class Sample:
    """One module's real service that runs a transition."""

    workflow: str
    action: str
    make: Callable[[Cast], models.Model]
    run: Callable[[Cast, Actor, Any], object]
    actor: str = "aa_officer"


def _report(cast: Cast) -> models.Model:
    from reports.tests.factories import submit

    return submit(cast.district)[0]


def _recommendation(cast: Cast) -> models.Model:
    from recommendations.tests.factories import submit

    return submit(cast.district)[0]


def _application(cast: Cast) -> models.Model:
    from applications.tests.factories import submit

    return submit(cast.district)[0]


def _case(cast: Cast) -> models.Model:
    from library.tests.factories import write

    return write(cast)


def _contest(cast: Cast) -> models.Model:
    from contests.tests.factories import contest

    return contest(cast)


def _investigate(cast: Cast, actor: Actor, obj: Any) -> object:
    from reports import services

    return services.investigate(actor=actor, report=obj)


def _start_recommendation(cast: Cast, actor: Actor, obj: Any) -> object:
    from recommendations import services

    return services.start(actor=actor, rec=obj)


def _start_application(cast: Cast, actor: Actor, obj: Any) -> object:
    from applications import services

    return services.start(actor=actor, application=obj)


def _submit_case(cast: Cast, actor: Actor, obj: Any) -> object:
    from library import services

    return services.case_submit(actor=actor, case=obj)


def _open_entries(cast: Cast, actor: Actor, obj: Any) -> object:
    from contests import services

    return services.contest_act(actor=actor, contest=obj, action="open_entries")


SAMPLES = {
    "reports": Sample("report", "investigate", _report, _investigate),
    "recommendations": Sample("recommendation", "start", _recommendation, _start_recommendation),
    "applications": Sample("application", "start", _application, _start_application),
    "library": Sample("library", "submit", _case, _submit_case, actor="official"),
    "contests": Sample("contest", "open_entries", _contest, _open_entries),
}


@pytest.mark.parametrize("module", list(SAMPLES))
def test_a_modules_service_writes_its_transition_entry_in_the_same_transaction(
    module: str, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = SAMPLES[module]
    workflow = next(w for w in WORKFLOWS if w.name == sample.workflow)
    code = workflow.audit_action(sample.action)
    actor = actor_for(cast.users[sample.actor])
    obj = sample.make(cast)
    model = type(obj)
    state = workflow.state_of(obj)

    def now() -> tuple[str, int, int]:
        return (
            workflow.state_of(model._default_manager.get(pk=obj.pk)),
            AuditEntry.objects.count(),
            AuditEntry.objects.filter(action=code).count(),
        )

    before = now()

    def change() -> None:
        sample.run(cast, actor, obj)
        assert now()[0] != state  # the change happened inside ...

    with pytest.raises(Boom):
        _rolled_back(change)  # ... and is rolled back with its entry
    assert now() == before
    monkeypatch.setattr(audit, "record", _failing(audit.record, code))
    with pytest.raises(Boom):
        sample.run(cast, actor, model._default_manager.get(pk=obj.pk))
    monkeypatch.undo()
    assert now() == before  # no entry, no change
    sample.run(cast, actor, model._default_manager.get(pk=obj.pk))
    after_state, _total, transition_entries = now()
    assert after_state != state
    assert transition_entries == before[2] + 1
    entry = AuditEntry.objects.filter(action=code).latest("pk")
    assert (entry.target_type, entry.target_id) == (model._meta.label_lower, str(obj.pk))
    assert entry.changes[workflow.field_name] == [state, after_state]
    assert audit.verify_all()[1] is None


# --- (c) The command finds each kind of tampering ----------------------------------------


def _verify_exit(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """Run `manage.py verify_audit_log` as from the command line: (exit status, output)."""
    monkeypatch.setattr(management_base.connections, "close_all", lambda: None)  # keep the test's connection
    command = load_command_class("core", "verify_audit_log")
    try:
        command.run_from_argv(["manage.py", "verify_audit_log", "--skip-checks"])
    except SystemExit as exc:
        status = int(exc.code or 0)
    else:
        status = 0
    out = capsys.readouterr()
    return status, out.out + out.err


def _swap_seq(a: AuditEntry, b: AuditEntry) -> None:
    _tamper().filter(pk=a.pk).update(seq=-1)
    _tamper().filter(pk=b.pk).update(seq=a.seq)
    _tamper().filter(pk=a.pk).update(seq=b.seq)


def _insert_middle(entries: list[AuditEntry]) -> None:
    """A forged entry with a valid hash of its own, linked to its predecessor, the later ones
    shifted up and the head moved on: only the next link gives it away."""
    forged = AuditEntry(
        chain=entries[0].chain,
        seq=entries[2].seq,
        created_at=entries[2].created_at,
        institution_id=entries[0].institution_id,
        actor_label="forger",
        action="test.forged",
        prev_hash=entries[1].hash,
    )
    forged.hash = audit.entry_digest(forged)
    for e in reversed(entries[2:]):
        _tamper().filter(pk=e.pk).update(seq=e.seq + 1)
    _tamper().bulk_create([forged])
    AuditChain.objects.filter(key=entries[0].chain).update(last_seq=entries[-1].seq + 1)


def _insert_end(entries: list[AuditEntry]) -> None:
    last = entries[-1]
    forged = AuditEntry(
        chain=last.chain,
        seq=last.seq + 1,
        created_at=last.created_at,
        institution_id=last.institution_id,
        actor_label="forger",
        action="test.forged",
        prev_hash=last.hash,
    )
    forged.hash = audit.entry_digest(forged)
    _tamper().bulk_create([forged])


def _rehash(entry: AuditEntry, **values: Any) -> None:
    """Alter an entry and give it a hash that matches its new content."""
    altered = _tamper().get(pk=entry.pk)
    for name, value in values.items():
        setattr(altered, name, value)
    altered.hash = audit.entry_digest(altered)
    _tamper().filter(pk=entry.pk).update(hash=altered.hash, **values)


def _other_user(entries: list[AuditEntry]) -> int:
    from accounts.models import User

    return User.objects.exclude(pk=entries[2].actor_id).order_by("pk").values_list("pk", flat=True)[0]


#: kind -> (tamper, the index of the entry named in the problem (None: none), words of it)
TAMPERS: dict[str, tuple[Callable[[list[AuditEntry]], object], int | None, str]] = {
    "alter data": (lambda es: _tamper().filter(pk=es[2].pk).update(changes={"n": 99}), 2, "altered"),
    "alter reason": (lambda es: _tamper().filter(pk=es[2].pk).update(reason="다른 사유"), 2, "altered"),
    "alter action": (lambda es: _tamper().filter(pk=es[2].pk).update(action="test.other"), 2, "altered"),
    "alter actor": (lambda es: _tamper().filter(pk=es[2].pk).update(actor_id=_other_user(es)), 2, "altered"),
    "alter actor label": (lambda es: _tamper().filter(pk=es[2].pk).update(actor_label="다른 사람"), 2, "altered"),
    "alter timestamp": (
        lambda es: _tamper().filter(pk=es[2].pk).update(created_at=es[2].created_at - datetime.timedelta(hours=1)),
        2,
        "altered",
    ),
    "alter target": (lambda es: _tamper().filter(pk=es[2].pk).update(target_id="999999"), 2, "altered"),
    "alter and re-hash": (lambda es: _rehash(es[2], reason="다른 사유"), 3, "previous-hash"),
    "alter the last and re-hash": (lambda es: _rehash(es[-1], reason="다른 사유"), 4, "chain head"),
    "delete first": (lambda es: _tamper().filter(pk=es[0].pk).delete(), 1, "removed"),
    "delete middle": (lambda es: _tamper().filter(pk=es[2].pk).delete(), 3, "removed"),
    "delete last": (lambda es: _tamper().filter(pk=es[-1].pk).delete(), None, "end of the chain"),
    "delete all": (lambda es: _tamper().filter(chain=es[0].chain).delete(), None, "end of the chain"),
    "insert in the middle": (_insert_middle, 2, "previous-hash"),
    "insert at the end": (_insert_end, None, "inserted at the end"),
    "reorder": (lambda es: _swap_seq(es[1], es[2]), 2, "previous-hash"),
    "delete the chain head": (lambda es: AuditChain.objects.filter(key=es[0].chain).delete(), 4, "head is missing"),
}


def test_the_command_passes_an_intact_log(
    cast: Cast, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _chain()
    status, out = _verify_exit(capsys, monkeypatch)
    assert (status, "intact" in out) == (0, True)


@pytest.mark.parametrize("kind", list(TAMPERS))
def test_the_command_exits_non_zero_on_each_kind_of_tampering(
    kind: str, cast: Cast, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tamper, named, words = TAMPERS[kind]
    actor = actor_for(cast.aa_officer)
    institution = InstitutionFactory()
    with transaction.atomic():
        entries = [
            audit.record(
                actor=actor, action="test.step", institution_id=institution.pk, changes={"n": i}, reason="시험"
            )
            for i in range(5)
        ]
    tamper(entries)
    status, out = _verify_exit(capsys, monkeypatch)
    assert status == 1
    assert "Audit log verification FAILED" in out
    assert f"chain {institution.pk}," in out
    assert words in out
    if named is not None:
        assert f"entry id {entries[named].pk})" in out, out


# --- Erasing personal data keeps the chain ----------------------------------------------


def test_erasing_recommenders_contacts_keeps_the_chain_and_the_timeline(cast: Cast) -> None:
    from recommendations import services
    from recommendations.models import Recommendation
    from recommendations.tests.factories import submit

    rec, _code = submit(cast.district, recommender_phone="010-1111-2222")
    services.reject(actor=actor_for(cast.aa_officer), rec=rec, reason="감사 인사입니다.")
    history = [(e.pk, e.hash) for e in audit.timeline(rec)]
    assert services.erase_expired_contacts(datetime.date(2040, 1, 1)) == 1
    rec = Recommendation.objects.get(pk=rec.pk)
    assert (rec.recommender_name, rec.recommender_email, rec.recommender_phone) == ("", "", "")
    assert rec.status == Recommendation.Status.NOT_VERIFIED
    after = [(e.pk, e.hash) for e in audit.timeline(rec)]
    assert after[:-1] == history  # the earlier entries untouched
    assert AuditEntry.objects.get(pk=after[-1][0]).action == services.ERASE_ACTION
    count, problem = audit.verify_all()
    assert problem is None
    assert count == AuditEntry.objects.count()
