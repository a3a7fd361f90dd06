"""Domain errors: raised by services, shown to the user in the user's language."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule of the domain refused the action. `field` names the form field it concerns."""

    def __init__(self, message: str | Promise, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code


class TransitionNotAllowed(DomainError):
    pass
