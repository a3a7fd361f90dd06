"""Registrations of the committee's meetings part (visibility, audit labels, navigation, ...),
called from CommitteeConfig.ready()."""

from __future__ import annotations


def ready() -> None:
    pass
