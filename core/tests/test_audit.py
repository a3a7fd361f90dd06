from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import models, transaction

from core import audit
from core.access import actor_for
from core.models import AuditChain, AuditEntry
from tests.cast import Cast


def _tamper() -> models.QuerySet[AuditEntry]:
    """The table as someone with the database sees it: past the model's append-only guard."""
    return models.QuerySet(AuditEntry)


def _write(cast: Cast, n: int = 3) -> list[AuditEntry]:
    actor = actor_for(cast.aa_officer)
    with transaction.atomic():
        return [
            audit.record(actor=actor, action="test.touch", target=cast.building, changes={"n": i}, reason="시험")
            for i in range(n)
        ]


def test_entries_chain_to_the_previous_hash(cast: Cast) -> None:
    entries = _write(cast)
    assert [e.seq for e in entries][-3:] == [entries[0].seq, entries[0].seq + 1, entries[0].seq + 2]
    assert entries[1].prev_hash == entries[0].hash
    assert entries[2].prev_hash == entries[1].hash
    assert audit.verify_all()[1] is None


def test_entries_of_different_institutions_use_separate_chains(cast: Cast) -> None:
    with transaction.atomic():
        a = audit.record(actor=None, action="t", target=cast.building)
        b = audit.record(actor=None, action="t", target=cast.other_unit)
    assert a.chain == cast.district.pk
    assert b.chain == cast.other.pk


def test_altered_entry_is_found(cast: Cast) -> None:
    entries = _write(cast)
    _tamper().filter(pk=entries[1].pk).update(reason="고쳐 쓴 사유")
    _, problem = audit.verify_all()
    assert problem is not None
    assert problem.entry_id == entries[1].pk
    assert "altered" in problem.problem
    with pytest.raises(CommandError, match=f"entry id {entries[1].pk}"):
        call_command("verify_audit_log")


def test_removed_entry_is_found(cast: Cast) -> None:
    entries = _write(cast)
    _tamper().filter(pk=entries[1].pk).delete()
    _, problem = audit.verify_all()
    assert problem is not None
    assert problem.seq == entries[1].seq
    assert "removed" in problem.problem


def test_removed_last_entry_is_found(cast: Cast) -> None:
    entries = _write(cast)
    _tamper().filter(pk=entries[-1].pk).delete()
    _, problem = audit.verify_all()
    assert problem is not None
    assert "end of the chain" in problem.problem


def test_inserted_entry_is_found(cast: Cast) -> None:
    entries = _write(cast)
    # Forge an entry in the middle: shift the later ones and insert a fake with a valid own hash.
    forged = AuditEntry(
        chain=entries[0].chain,
        seq=entries[1].seq,
        created_at=entries[1].created_at,
        actor_label="forger",
        action="test.forged",
        prev_hash=entries[0].hash,
    )
    forged.hash = audit.entry_digest(forged)
    last_seq = entries[-1].seq
    for e in reversed(entries[1:]):
        _tamper().filter(pk=e.pk).update(seq=e.seq + 1)
    _tamper().bulk_create([forged])
    AuditChain.objects.filter(key=entries[0].chain).update(last_seq=last_seq + 1)
    _, problem = audit.verify_all()
    assert problem is not None
    assert problem.seq == entries[1].seq + 1
    assert "previous-hash" in problem.problem


def test_verify_command_passes_on_intact_log(cast: Cast, capsys: pytest.CaptureFixture[str]) -> None:
    _write(cast)
    call_command("verify_audit_log")
    assert "intact" in capsys.readouterr().out


def test_timeline_lists_entries_of_one_object(cast: Cast) -> None:
    _write(cast, 2)
    with transaction.atomic():
        audit.record(actor=None, action="other", target=cast.planning)
    assert [e.action for e in audit.timeline(cast.building)] == ["test.touch", "test.touch"]


def test_floats_hash_the_same_after_a_database_round_trip(cast: Cast) -> None:
    with transaction.atomic():
        audit.record(actor=None, action="t.float", target=cast.building, changes={"x": 1e16, "y": [0.1]})
    assert audit.verify_all()[1] is None


def test_a_user_who_acted_cannot_be_deleted(cast: Cast) -> None:
    from django.db.models import ProtectedError

    _write(cast, 1)
    with pytest.raises(ProtectedError):
        cast.aa_officer.delete()
