"""What would identify a case, and whether a lesson's text still holds any of it (ADR 0019).

`identifying_terms(report)` gathers every name the case holds: the officials concerned
(name, employee number, e-mail, unit), the report's unit and place, the reporter's name,
e-mail and phone, the handler's and the closer's names, the report number, and of each
transfer its number and the other institution's name. `leaks(texts, terms)` gives the
fields whose text contains one of them - case-insensitive, with invisible format
characters (zero-width space, joiners, soft hyphen: Unicode category Cf) dropped, also
with the spaces removed (a Korean name written "홍 길 동"), and phone numbers also without
separators.

The terms are never put into an error message, a log or the audit trail: a refusal names
the field only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from reports.models import Report

#: shorter terms would match ordinary words
MIN_TERM = 2
#: a term with this many digits is also matched without separators (phone numbers)
MIN_DIGITS = 7
_SPACES = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[\s\-.()/]+")


def normalise(text: str) -> str:
    """NFKC, case-folded, trimmed, without invisible format characters ("홍\u200b길동")."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch) != "Cf").strip()


@dataclass(frozen=True)
class Term:
    plain: str
    compact: str
    digits: str


def _term(value: str) -> Term | None:
    plain = normalise(value)
    compact = _SPACES.sub("", plain)
    if len(compact) < MIN_TERM:
        return None
    digits = re.sub(r"\D", "", plain)
    return Term(plain, compact, digits if len(digits) >= MIN_DIGITS else "")


def _user_names(user: Any) -> list[str]:
    if user is None:
        return []
    names = [str(user), user.get_full_name(), user.get_username()]
    if getattr(user, "person", None) is not None:
        names.append(user.person.name)
    return names


def identifying_terms(report: Report) -> list[Term]:
    """Every name, unit, place, number and contact of the case (deduplicated, normalised).
    A transfer adds its number and the institution it came from or went to - not the
    report's own institution, which the lesson names anyway."""
    values: list[str] = [
        report.number,
        report.place,
        report.reporter_name,
        report.reporter_email,
        report.reporter_phone,
    ]
    if report.unit is not None:
        values.append(report.unit.name)
    for transfer in report.transfers.select_related("from_institution", "to_institution"):
        values.append(transfer.number)
        for institution in (transfer.from_institution, transfer.to_institution):
            if institution.pk != report.institution_id:
                values.append(institution.name)
    for person in report.officials.select_related("unit"):
        values += [person.name, person.employee_number, person.email]
        if person.unit is not None:
            values.append(person.unit.name)
    for user in (report.handler, report.closed_by):
        values += _user_names(user)
    found: dict[str, Term] = {}
    for value in values:
        term = _term(value or "")
        if term is not None:
            found.setdefault(term.compact, term)
    return list(found.values())


def contains(text: str, terms: Iterable[Term]) -> bool:
    plain = normalise(text)
    if not plain:
        return False
    compact = _SPACES.sub("", plain)
    joined = _SEPARATORS.sub("", plain)
    for term in terms:
        if term.plain in plain or term.compact in compact:
            return True
        if term.digits and term.digits in joined:
            return True
    return False


def leaks(texts: Mapping[str, str], terms: Iterable[Term]) -> list[str]:
    """The names of the fields whose text holds an identifying term, in the given order."""
    term_list = list(terms)
    return [name for name, text in texts.items() if contains(text, term_list)]
