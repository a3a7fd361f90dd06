"""Form helpers every module shares."""

from __future__ import annotations

from typing import Any

from django import forms

from core.errors import DomainError

#: a refused upload is shown next to the form's file field, whatever the service called it
FILE_FIELDS = ("file", "files")


def add_domain_error(form: forms.BaseForm, error: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's refusal next to the field it names (through `aliases` when the form
    calls it otherwise), or above the form when no field of the form matches."""
    field = (aliases or {}).get(error.field or "", error.field)
    if field in FILE_FIELDS and field not in form.fields:
        field = next((name for name in ("attachments", "files", "file") if name in form.fields), field)
    form.add_error(field if field in form.fields else None, str(error.message))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (an empty list when none)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []
