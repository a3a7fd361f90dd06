"""The only code that writes the committee pool (ADR 0013)."""

from committee.services.members import member_appoint, member_update, normalise_tag
from committee.services.terms import chair_designate, member_dismiss, member_renew, term_end_for

__all__ = [
    "chair_designate",
    "member_appoint",
    "member_dismiss",
    "member_renew",
    "member_update",
    "normalise_tag",
    "term_end_for",
]
