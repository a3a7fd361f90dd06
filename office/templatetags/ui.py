"""Template helpers of the KRDS shell: `{% load ui %}`.

- `field|krds_control` renders a form field's widget with the KRDS class for its kind
  (Django adds aria-describedby and aria-invalid itself);
- `field|field_kind` tells the field include how to lay a field out;
- `form|form_level_errors` the errors shown above a form (non-field and hidden fields');
- `status|status_tone` picks a KRDS badge colour for a workflow status, and
  `{% badge_classes status tone size %}` the classes of a badge;
- `paginator|page_range:number` the elided page numbers of the pagination component;
- `changes|change_rows` the rows of an audit entry's changes for the timeline, and
  `action|action_label` the label of its action code (core.audit.register_action);
- `institution|local_name` its name in the current language;
- `link|is_current:request` whether a menu link is the current page (or its section);
- `{% glyphs %}…{% endglyphs %}` (`{% glyphs bold %}` for Bold) marks user-written text, and
  `{% page_font %}` writes the page's own font faces for it (core/page_fonts.py, ADR 0036).
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.apps import apps
from django.core.paginator import Paginator
from django.forms.boundfield import BoundField
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core import audit, page_fonts
from office.navigation import NavLink

register = template.Library()
logger = logging.getLogger(__name__)

_TEXT_CLASS = "krds-input"
_SELECT_CLASS = "krds-form-select"


def _kind(widget: forms.Widget) -> str:
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if getattr(widget, "use_fieldset", False) and isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choices"
    if isinstance(widget, forms.Select | forms.SelectMultiple | forms.NullBooleanSelect):
        return "select"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.MultiWidget):
        return "multi"
    return "text"


@register.filter
def field_kind(field: BoundField) -> str:
    """hidden, checkbox, choices (radio buttons or check boxes), select, file, multi or text."""
    return _kind(field.field.widget)


@register.filter
def form_level_errors(form: forms.BaseForm) -> list[str]:
    """The errors shown above a form: non-field errors, then hidden fields' errors."""
    errors = [str(error) for error in form.non_field_errors()]
    for hidden in form.hidden_fields():
        errors.extend(f"{hidden.label}: {error}" for error in hidden.errors)
    return errors


@register.filter
def krds_control(field: BoundField) -> SafeString:
    """The field's control with the KRDS class added to any class the widget already has.
    Autofocus is dropped: a page starts at its skip link, so keyboard and screen-reader
    users meet the header and the page title before the form."""
    widget = field.field.widget
    css = {"text": _TEXT_CLASS, "select": _SELECT_CLASS}.get(_kind(widget), "")
    attrs: dict[str, Any] = {"autofocus": False}
    if css:
        existing = str(widget.attrs.get("class", ""))
        attrs["class"] = " ".join(part for part in (css, existing) if part)
    return field.as_widget(attrs=attrs)


#: Badge colours for the usual workflow states; a module may pass `tone=` instead.
STATUS_TONES: dict[str, str] = {
    "draft": "gray",
    "submitted": "information",
    "received": "information",
    "screening": "information",
    "in_review": "primary",
    "reviewing": "primary",
    "referred": "primary",
    "scheduled": "primary",
    "returned": "warning",
    "extended": "warning",
    "on_hold": "warning",
    "overdue": "danger",
    "rejected": "danger",
    "dismissed": "danger",
    "cancelled": "disabled",
    "withdrawn": "disabled",
    "approved": "success",
    "decided": "success",
    "done": "success",
    "closed": "success",
    "completed": "success",
    "published": "success",
}
TONES = frozenset({"primary", "secondary", "gray", "point", "danger", "warning", "success", "information", "disabled"})


@register.filter
def status_tone(status: object, tone: object = "") -> str:
    """The KRDS badge tone of a status code (`tone` overrides); gray when unknown."""
    if isinstance(tone, str) and tone in TONES:
        return tone
    return STATUS_TONES.get(str(status), "gray")


@register.simple_tag
def badge_classes(status: object = "", tone: str = "", size: str = "") -> str:
    """The classes of a KRDS badge: `krds-badge [size] bg-light-<tone>`."""
    sizes = {"small", "medium", "large"}
    parts = ["krds-badge", size if size in sizes else "", f"bg-light-{status_tone(status, tone)}"]
    return " ".join(part for part in parts if part)


@register.filter
def page_range(paginator: Paginator[Any], number: int) -> list[int | str]:
    """Page numbers around the current one, with the paginator's ellipsis for gaps."""
    return list(paginator.get_elided_page_range(number, on_each_side=2, on_ends=1))


@dataclass(frozen=True)
class ChangeRow:
    field: str
    old: Any
    new: Any
    is_pair: bool


def _model_field(target_type: str, name: str) -> Any:
    """The model field an audit change names (by name or attname), or None."""
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return None
    for field in model._meta.concrete_fields:
        if name in (field.name, field.attname):
            return field
    return None


def _shown(field: Any, value: Any) -> Any:
    """A stored value as a person reads it: the label of a choice, else the value."""
    if field is not None and field.choices and value is not None:
        return dict(field.flatchoices).get(value, value)
    return value


@register.filter
def change_rows(entry_or_changes: object) -> list[ChangeRow]:
    """An audit entry's changes as rows: {field: [old, new]} pairs, or plain values. Given
    the entry itself, fields show their verbose names and choices their labels."""
    target_type = getattr(entry_or_changes, "target_type", "")
    changes = getattr(entry_or_changes, "changes", entry_or_changes)
    if not isinstance(changes, dict):
        return []
    rows = []
    for name, value in changes.items():
        field = _model_field(target_type, str(name)) if target_type else None
        label = str(field.verbose_name) if field is not None else str(name)
        if isinstance(value, list | tuple) and len(value) == 2:
            rows.append(ChangeRow(label, _shown(field, value[0]), _shown(field, value[1]), True))
        else:
            rows.append(ChangeRow(label, None, _shown(field, value), False))
    return rows


@register.filter
def action_label(action: object) -> str:
    """The label of an audit action code in the current language (the code when unknown)."""
    return audit.action_label(str(action))


@register.filter
def actor_display(label: object) -> str:
    """An audit entry's actor in the current language ("system" and "public" translated)."""
    return audit.actor_display(str(label))


@register.filter
def local_name(obj: object) -> str:
    """An institution's or unit's name in the current language (`name_en` in English)."""
    if obj is None:
        return ""
    english = getattr(obj, "name_en", "")
    if english and (get_language() or "").startswith("en"):
        return str(english)
    return str(getattr(obj, "name", obj))


@register.filter
def is_current(link: NavLink, request: HttpRequest | None) -> bool:
    """True on the link's own page, and below it for links other than a section's root."""
    if request is None:
        return False
    path = request.path
    if path == link.url:
        return True
    return link.url.count("/") > 2 and path.startswith(link.url)


# --- A page's own font for its user-written text (core/page_fonts.py) -------------------------

_TAG = re.compile(r"<[^>]*>")
_GLYPH_WEIGHTS = {"regular": 400, "bold": 700}


def drawn_text(markup: str) -> str:
    """The text a piece of rendered markup shows: tags (and their attributes) dropped,
    entities read."""
    return html.unescape(_TAG.sub(" ", markup))


class GlyphsNode(template.Node):
    def __init__(self, nodelist: template.NodeList, weight: int) -> None:
        self.nodelist, self.weight = nodelist, weight

    def render(self, context: template.Context) -> str:
        output = self.nodelist.render(context)
        glyphs = context.get("page_glyphs")
        if isinstance(glyphs, page_fonts.Glyphs):
            glyphs.add(self.weight, drawn_text(output))
        return output


@register.tag("glyphs")
def glyphs(parser: template.base.Parser, token: template.base.Token) -> GlyphsNode:
    """`{% glyphs %}user-written text{% endglyphs %}`; `{% glyphs bold %}` when it is drawn in
    Bold (a title). Renders its content unchanged."""
    bits = token.split_contents()
    if len(bits) > 2 or (len(bits) == 2 and bits[1] not in _GLYPH_WEIGHTS):
        raise template.TemplateSyntaxError("{% glyphs %} takes nothing, 'regular' or 'bold'")
    nodelist = parser.parse(("endglyphs",))
    parser.delete_first_token()
    return GlyphsNode(nodelist, _GLYPH_WEIGHTS[bits[1] if len(bits) == 2 else "regular"])


@register.simple_tag(takes_context=True)
def page_font(context: template.Context) -> str:
    """The page's own @font-face rules, in a <style> with the CSP nonce; nothing when the
    page marked no text the slices it fetches anyway lack. Goes last in the page: after
    every mark, and after the slices' stylesheet (the later face is tried first)."""
    glyphs = context.get("page_glyphs")
    if not isinstance(glyphs, page_fonts.Glyphs):
        return ""
    try:
        faces = page_fonts.faces_for(glyphs, get_language())
    except Exception:  # a page never fails for its font: the slices draw its text
        logger.exception("page font: no faces for this page")
        return ""
    if not faces:
        return ""
    rules = mark_safe("".join(face.css() for face in faces))  # noqa: S308 - code points and our URLs only
    return format_html('<style nonce="{}" data-page-font>{}</style>', context.get("csp_nonce", ""), rules)
