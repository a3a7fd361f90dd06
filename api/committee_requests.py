"""The committee's requests over the API (ADR 0014)."""

from ninja import Router

router = Router(tags=["committee"])
