"""Domain errors. Services raise them; one API exception handler turns them into responses.

Each carries a stable ``code`` that clients and tests rely on, and the HTTP status it maps to.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    code = "invalid"
    default_detail = _("The request is not valid.")

    def __init__(self, detail: str | None = None, *, code: str | None = None, field: str | None = None):
        self.detail = str(detail or self.default_detail)
        if code:
            self.code = code
        self.field = field
        super().__init__(self.detail)


class Invalid(DomainError):
    """Bad input that only a service can judge (400). ``field`` names the offending field."""

    status = 400
    code = "invalid"


class NotFound(DomainError):
    """The object does not exist, or the caller may not see it (404): the two look the same."""

    status = 404
    code = "not_found"
    default_detail = _("Not found.")


class Forbidden(DomainError):
    """The caller may see the object but not do this (403)."""

    status = 403
    code = "permission_denied"
    default_detail = _("You may not do this.")


class Conflict(DomainError):
    """The object's state forbids the change (409)."""

    status = 409
    code = "conflict"
    default_detail = _("The current state forbids this change.")


class OwnRecord(Forbidden):
    """Separation of duties: the record credits or certifies the caller themself (403)."""

    code = "own_record"
    default_detail = _(
        "You cannot act on a record that credits or certifies yourself; another coordinator or regulator must do it."
    )


def ensure_not_own_record(actor, volunteer) -> None:
    """The one rule of separation of duties: nobody accepts, assigns, confirms, verifies, decides,
    reverses or revokes a record whose provider profile (``volunteer``) is their own.

    ``actor`` is the acting user (None when the system acts: no one to conflict); ``volunteer``
    anything with a ``user_id``. Every service that acts on another person's record calls this, so
    the API and the pages refuse alike with 403 ``own_record``.
    """
    if actor is not None and volunteer is not None and volunteer.user_id == actor.pk:
        raise OwnRecord()
