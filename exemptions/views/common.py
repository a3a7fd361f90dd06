"""Helpers shared by the exemption views."""

from __future__ import annotations

from django import forms

from core.errors import DomainError

#: A service's field name -> the form field that shows its error.
FIELD_ALIASES = {"work_item": "work_item_reference", "person": "person_number"}


def apply_error(form: forms.Form, error: DomainError) -> None:
    """Show a refused action next to its field (or at the top of the form)."""
    field = FIELD_ALIASES.get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, str(error.message))
