from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from core.models import AuditEntry
from reports import receipts


def test_code_has_twenty_digits_and_is_grouped() -> None:
    codes = {receipts.new_code() for _ in range(200)}
    assert len(codes) == 200
    code = codes.pop()
    assert len(code) == 20
    assert code.isdigit()
    shown = receipts.display(code)
    assert shown.count("-") == 4
    assert shown.replace("-", "") == code


@pytest.mark.parametrize(
    ("typed", "ok"),
    [
        ("1234-5678-9012-3456-7890", True),
        ("1234 5678 9012 3456 7890", True),
        ("１２３４５６７８９０１２３４５６７８９０", True),
        ("1234-5678", False),
        ("abcd-5678-9012-3456-7890", False),
        ("", False),
    ],
)
def test_normalise(typed: str, ok: bool) -> None:
    assert (receipts.normalise(typed) == "12345678901234567890") is ok or (not ok and receipts.normalise(typed) is None)


def test_digest_is_keyed_hmac_not_plain_hash() -> None:
    import hashlib

    code = "12345678901234567890"
    value = receipts.digest(code)
    assert len(value) == 64
    assert value != hashlib.sha256(code.encode()).hexdigest()
    with override_settings(SECRET_KEY="another-key-" + "x" * 50):
        assert receipts.digest(code) != value


def test_client_key_never_contains_the_address() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.23")
    key = receipts.client_key(request)
    assert "198.51.100.23" not in key
    assert len(key) == 32


def test_client_address_behind_trusted_proxies_ignores_what_the_client_typed() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.23"
    )  # "1.1.1.1" was typed by the client; the proxy appended the real address
    assert receipts.client_address(request) == "10.0.0.2"
    with override_settings(TRUSTED_PROXY_HOPS=1):
        assert receipts.client_address(request) == "198.51.100.23"
        other = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5")
        assert receipts.client_key(other) != receipts.client_key(request)
    with override_settings(TRUSTED_PROXY_HOPS=2):
        assert receipts.client_address(request) == "1.1.1.1"
        bare = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")
        assert receipts.client_address(bare) == "10.0.0.2"  # header missing: the socket address


@pytest.mark.django_db
def test_lookup_finds_by_hash_and_wrong_is_like_missing() -> None:
    code = receipts.new_code()
    store = {receipts.digest(code): "record"}
    assert receipts.lookup(client="c", text=receipts.display(code), find=store.get) == "record"
    assert receipts.lookup(client="c", text="0" * 20, find=store.get) is None
    assert receipts.lookup(client="c", text="garbage", find=store.get) is None


@pytest.mark.django_db
def test_client_is_locked_after_repeated_failures_and_audited_without_identifier() -> None:
    code = receipts.new_code()
    store = {receipts.digest(code): "record"}
    for i in range(receipts.CLIENT_LIMIT):
        assert receipts.lookup(client="probe", text=f"{i:020d}", find=store.get, namespace="t") is None
    with pytest.raises(receipts.ReceiptLocked):
        receipts.lookup(client="probe", text=code, find=store.get, namespace="t")  # even the right one
    assert receipts.is_locked(client="probe", namespace="t")
    # another client is not locked
    assert receipts.lookup(client="other", text=code, find=store.get, namespace="t") == "record"
    entries = AuditEntry.objects.filter(action=receipts.AUDIT_ACTION)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.changes == {"service": "t", "scope": "client"}
    assert "probe" not in str(entry.changes)
    assert entry.actor_id is None


@pytest.mark.django_db
def test_prefix_is_limited_across_clients(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(receipts, "PREFIX_LIMIT", 3)
    store: dict[str, str] = {}
    for i in range(3):
        receipts.lookup(client=f"c{i}", text=f"1111{i:016d}", find=store.get, namespace="p")
    with pytest.raises(receipts.ReceiptLocked):
        receipts.lookup(client="fresh", text="1111" + "9" * 16, find=store.get, namespace="p")
    assert receipts.lookup(client="fresh", text="2222" + "9" * 16, find=store.get, namespace="p") is None
    assert AuditEntry.objects.filter(action=receipts.AUDIT_ACTION, changes__scope="prefix").count() == 1
