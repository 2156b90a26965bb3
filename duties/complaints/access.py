"""Permission-checked fetches: the complaint, or 404 for both "missing" and "not yours"."""

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone
from django.utils.translation import gettext as _

from duties.complaints.models import Complaint
from duties.complaints.selectors import complaints_handled_by, is_complaints_handler, with_overdue
from marketplace.core.access import row_or_404
from marketplace.core.errors import Forbidden


def require_complaints_handler(user: User | AnonymousUser) -> None:
    """The complaints desk is the justice bureaus' (403 ``not_justice_bureau`` for anyone else)."""
    if not is_complaints_handler(user):
        raise Forbidden(_("Only the justice bureau of the region handles complaints."), code="not_justice_bureau")


def access_complaint(user: User | AnonymousUser, complaint_id) -> Complaint:
    """A complaint of the user's bureaus' regions, with ``overdue``; anything else is 404."""
    qs = with_overdue(complaints_handled_by(user), today=timezone.localdate())
    return row_or_404(qs, complaint_id)
