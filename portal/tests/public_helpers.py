"""Test helpers every public service's page tests share (reports, recommendations,
applications): a client with a recognisable address and agent (the privacy tests look for
them in the database), the form token / receipt code / ticket of a page, and the receipt
round trip of a submission form."""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.test import Client
from django.urls import reverse

from reports import receipts


def public_client(address: str, agent: str) -> Client:
    return Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent)


def token_of(page: Any) -> str:
    """The one-time form token of a submission form page."""
    return re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)  # type: ignore[union-attr]


def code_of(response: Any) -> str:
    return re.search(r'data-testid="receipt-code">([0-9-]+)<', response.content.decode()).group(1)  # type: ignore[union-attr]


def ticket_of(body: str) -> str:
    return re.search(r'name="ticket" value="([^"]+)"', body).group(1)  # type: ignore[union-attr]


def receipt_once_then_tick[M: models.Model](
    client: Client, urls: str, model: type[M], data: dict[str, object]
) -> tuple[M, str]:
    """Submit `data` to `<urls>:new`: the receipt is shown (its digest stored), a double
    submission shows the same receipt and makes no second record, the confirmation without
    the tick brings the receipt back with the error, with the tick it goes to `:done`, and
    the same form once more is "already submitted" without the code. Returns the record
    and its code."""
    response = client.post(reverse(f"{urls}:new"), data)
    assert response.status_code == 200
    code = code_of(response)
    record = model._default_manager.get()
    assert getattr(record, "receipt_hash") == receipts.digest(code.replace("-", ""))  # noqa: B009
    again = client.post(reverse(f"{urls}:new"), data)
    assert code_of(again) == code
    assert model._default_manager.count() == 1
    refused = client.post(reverse(f"{urls}:confirm_receipt"), {"form_token": data["form_token"]})
    assert refused.status_code == 200
    assert code_of(refused) == code
    assert "저장했는지 확인" in refused.content.decode()
    ok = client.post(reverse(f"{urls}:confirm_receipt"), {"form_token": data["form_token"], "saved": "on"})
    assert ok.status_code == 302
    assert ok["Location"] == reverse(f"{urls}:done")
    third = client.post(reverse(f"{urls}:new"), data)
    assert code not in third.content.decode()
    assert "이미 접수" in third.content.decode()
    assert client.get(reverse(f"{urls}:done")).status_code == 200
    return record, code
