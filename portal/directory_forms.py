"""The institutions directory's search form (a GET form: bad values are shown as errors next
to their fields and ignored, never a 500)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from institutions.models import Institution
from portal.forms import InstitutionSearchForm
from portal.selectors import DirectoryFilters


def _name(institution: Institution) -> str:
    if institution.name_en and (get_language() or "").startswith("en"):
        return institution.name_en
    return institution.name


class DirectoryForm(InstitutionSearchForm):
    kind = forms.ChoiceField(label=_("기관 유형"), required=False, choices=[("", _("전체")), *Institution.Kind.choices])
    parent = forms.TypedChoiceField(label=_("상급기관"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, parents: list[Institution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].help_text = _("기관 이름(한글 또는 영문)의 일부를 입력하고 찾기를 누르십시오.")
        self.fields["parent"].choices = [("", _("전체")), *((str(p.pk), _name(p)) for p in parents)]  # type: ignore[attr-defined]

    def filters(self) -> DirectoryFilters:
        """The valid part of the search (an invalid field counts as not given)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return DirectoryFilters(q=data.get("q") or "", kind=data.get("kind") or "", parent=data.get("parent"))
