"""The append-only audit log with a hash chain.

Every service writes its entry through `record()` inside the transaction of the change.
Each entry carries the hash of the previous entry of its chain (one chain per institution),
so `manage.py verify_audit_log` can find an entry that was altered, inserted or removed.

An entry stores its action as a code (`register.work_item_created`); the code's label for
people (timelines) is registered once with `register_action` (workflow transitions register
themselves; each app registers its services' actions from its AppConfig.ready()), and
`action_label` looks it up, falling back to the code.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.functional import Promise

from core.access import PUBLIC_LABEL, SYSTEM_LABEL, Actor
from core.models import AuditChain, AuditEntry, appending

SYSTEM_CHAIN = 0

_ACTION_LABELS: dict[str, str | Promise] = {}

#: what other modules keep derived from the audited rows (maintained aggregates), by the
#: entry's target type ("institutions.person") or action code ("scale.seeded")
Listener = Callable[[AuditEntry], None]
_BY_TARGET: dict[str, list[Listener]] = {}
_BY_ACTION: dict[str, list[Listener]] = {}


def register_action(action: str, label: str | Promise) -> None:
    """Give an action code its label for people (registering a code again replaces it)."""
    _ACTION_LABELS[action] = label


def register_actions(labels: Mapping[str, str | Promise]) -> None:
    for action, label in labels.items():
        register_action(action, label)


def register_listener(fn: Listener, *, targets: Iterable[str] = (), actions: Iterable[str] = ()) -> None:
    """Call `fn(entry)` inside the transaction of every change recorded on one of the target
    types or with one of the action codes. Every state change is audited in its transaction,
    so a listener sees every write whatever its path (a service, an import, a seed); it must
    be cheap and must not write to the audit log. Registering the same function again is a
    no-op."""
    for table, keys in ((_BY_TARGET, targets), (_BY_ACTION, actions)):
        for key in keys:
            listeners = table.setdefault(key, [])
            if fn not in listeners:
                listeners.append(fn)


def _notify(entry: AuditEntry) -> None:
    by_target = _BY_TARGET.get(entry.target_type, [])
    for fn in by_target:
        fn(entry)
    for fn in _BY_ACTION.get(entry.action, ()):
        if fn not in by_target:
            fn(entry)


def actor_display(label: str) -> str:
    """An entry's actor as shown: the stored label, or a translated word for the system and
    for the public (who never has a name here)."""
    from django.utils.translation import gettext

    if label == SYSTEM_LABEL:
        return gettext("시스템")
    if label == PUBLIC_LABEL:
        return gettext("국민(계정 없음)")
    return label


def action_label(action: str) -> str:
    """The label of an action code in the current language; the code itself when none is
    registered."""
    label = _ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def registered_actions() -> frozenset[str]:
    return frozenset(_ACTION_LABELS)


def _normalise(data: Any) -> Any:
    """JSON-safe values that hash the same after any database round trip: PostgreSQL's
    jsonb rewrites some floats (1e16 comes back as 10000000000000000), so floats are kept
    as their text."""

    def no_floats(value: Any) -> Any:
        if isinstance(value, float):
            return repr(value)
        if isinstance(value, dict):
            return {str(k): no_floats(v) for k, v in value.items()}
        if isinstance(value, list):
            return [no_floats(v) for v in value]
        return value

    return no_floats(json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)))


def target_key(obj: models.Model) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def entry_digest(entry: AuditEntry) -> str:
    payload = {
        "chain": entry.chain,
        "seq": entry.seq,
        "created_at": entry.created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "institution": entry.institution_id,
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target_label": entry.target_label,
        "changes": entry.changes,
        "reason": entry.reason,
        "prev_hash": entry.prev_hash,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def record(
    *,
    actor: Actor | None,
    action: str,
    target: models.Model | None = None,
    institution_id: int | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    target_label: str | None = None,
) -> AuditEntry:
    """Append one entry. Must run inside the transaction of the change it records."""
    if institution_id is None:
        institution_id = _institution_of(target) if target is not None else None
        if institution_id is None and actor is not None:
            institution_id = actor.institution_id
    chain_key = institution_id or SYSTEM_CHAIN
    # No savepoint: nothing here is caught, and a failure must undo the change it records.
    with transaction.atomic(savepoint=False):
        seq, prev_hash = _advance(chain_key)
        user = actor.user if actor is not None else None
        entry = AuditEntry(
            chain=chain_key,
            seq=seq,
            created_at=timezone.now(),
            institution_id=institution_id,
            actor=user,
            actor_label=(actor.label if actor is not None else SYSTEM_LABEL)[:200],
            action=action,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            target_label=(target_label if target_label is not None else (str(target) if target is not None else ""))[
                :300
            ],
            changes=_normalise(changes or {}),
            reason=reason,
            prev_hash=prev_hash,
        )
        # Round the timestamp the way every database stores it, so the digest reproduces.
        entry.created_at = entry.created_at.replace(microsecond=entry.created_at.microsecond)
        entry.hash = entry_digest(entry)
        with appending():
            entry.save(force_insert=True)
        AuditChain.objects.filter(key=chain_key).update(last_hash=entry.hash)
        _notify(entry)
    return entry


def _advance(chain_key: int) -> tuple[int, str]:
    """Take the chain's next sequence number and the hash of its last entry, in one upsert
    that creates the chain at its first entry and locks its head until the transaction ends
    (writers of one institution queue here; other institutions' never wait)."""
    table = connection.ops.quote_name(AuditChain._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, last_seq, last_hash) VALUES (%s, 1, '') "  # noqa: S608
            f"ON CONFLICT (key) DO UPDATE SET last_seq = {table}.last_seq + 1 RETURNING last_seq, last_hash",
            [chain_key],
        )
        row = cursor.fetchone()
    assert row is not None
    return int(row[0]), str(row[1])


def _institution_of(obj: models.Model) -> int | None:
    from institutions.models import Institution

    if isinstance(obj, Institution):
        return obj.pk
    value = getattr(obj, "institution_id", None)
    return int(value) if value is not None else None


def diff(instance: models.Model, before: dict[str, Any], fields: list[str]) -> dict[str, list[Any]]:
    """The changed fields as {field: [old, new]}."""
    changes: dict[str, list[Any]] = {}
    for name in fields:
        old, new = before.get(name), getattr(instance, name)
        if old != new:
            changes[name] = [old, new]
    return changes


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in fields}


def save_changes(
    obj: models.Model,
    values: Mapping[str, Any],
    *,
    fields: list[str],
    actor: Actor,
    action: str,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The usual update of a service: set `values` on a (locked) object and, when any of the
    audited `fields` changed (or `extra` has other changes to record), save it and write one
    entry with the changes. Must run inside the service's transaction. Returns the changes."""
    before = snapshot(obj, fields)
    for name, value in values.items():
        setattr(obj, name, value)
    changes: dict[str, Any] = {**diff(obj, before, fields), **(extra or {})}
    if changes:
        obj.save()
        record(actor=actor, action=action, target=obj, changes=changes)
    return changes


def timeline(obj: models.Model) -> models.QuerySet[AuditEntry]:
    """Every entry about one object, oldest first (the case page's timeline)."""
    kind, pk = target_key(obj)
    return (
        AuditEntry.objects.filter(target_type=kind, target_id=pk).select_related("actor").order_by("created_at", "seq")
    )


@dataclass(frozen=True)
class ChainProblem:
    chain: int
    seq: int
    entry_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"entry id {self.entry_id}" if self.entry_id is not None else "no entry"
        return f"chain {self.chain}, seq {self.seq} ({where}): {self.problem}"


def verify_chain(chain_key: int) -> ChainProblem | None:
    expected_seq = 1
    prev_hash = ""
    last: AuditEntry | None = None
    entries: Iterator[AuditEntry] = AuditEntry.objects.filter(chain=chain_key).order_by("seq").iterator(chunk_size=2000)
    for entry in entries:
        if entry.seq != expected_seq:
            kind = "removed" if entry.seq > expected_seq else "inserted"
            return ChainProblem(chain_key, expected_seq, entry.pk, f"sequence gap: an entry was {kind} before this one")
        if entry.prev_hash != prev_hash:
            return ChainProblem(
                chain_key, entry.seq, entry.pk, "previous-hash link broken: an entry was inserted, removed or altered"
            )
        if entry_digest(entry) != entry.hash:
            return ChainProblem(
                chain_key, entry.seq, entry.pk, "content does not match its hash: this entry was altered"
            )
        prev_hash = entry.hash
        expected_seq += 1
        last = entry
    head = AuditChain.objects.filter(key=chain_key).first()
    if head is None and last is not None:
        # record() creates the head with the chain's first entry: entries without one were forged
        return ChainProblem(chain_key, last.seq, last.pk, "the chain head is missing: entries were forged")
    if head is not None and last is not None and last.seq > head.last_seq:
        first_extra = AuditEntry.objects.filter(chain=chain_key, seq=head.last_seq + 1).values_list("pk", flat=True)
        return ChainProblem(
            chain_key,
            head.last_seq + 1,
            first_extra.first(),
            "entries past the chain head: an entry was inserted at the end",
        )
    if head is not None and head.last_seq != (last.seq if last else 0):
        return ChainProblem(
            chain_key, (last.seq if last else 0) + 1, None, "entries at the end of the chain were removed"
        )
    if head is not None and last is not None and head.last_hash != last.hash:
        return ChainProblem(chain_key, last.seq, last.pk, "the last entry does not match the chain head")
    return None


def verify_all() -> tuple[int, ChainProblem | None]:
    """Verify every chain. Returns (entries checked, first problem or None)."""
    keys = set(AuditChain.objects.values_list("key", flat=True)) | set(
        AuditEntry.objects.values_list("chain", flat=True).distinct()
    )
    for key in sorted(keys):
        problem = verify_chain(key)
        if problem is not None:
            return AuditEntry.objects.count(), problem
    return AuditEntry.objects.count(), None
