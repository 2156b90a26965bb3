"""Permission-checked fetches: the request, or 404 for both "missing" and "not yours"."""

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.core.access import row_or_404
from marketplace.core.errors import Forbidden
from marketplace.evidence.models import EvidenceRequest
from marketplace.evidence.selectors import evidence_requests_visible_to, with_overdue
from marketplace.selectors import volunteer_of
from organizations.roles import roles_of


def access_evidence_request(user: User | AnonymousUser, request_id) -> EvidenceRequest:
    """The request if the caller asked it, is asked (the department) or coordinates the case's
    organisation; with ``overdue``. Another department's request is 404, as a missing one."""
    qs = with_overdue(evidence_requests_visible_to(user), today=timezone.localdate())
    return row_or_404(qs, request_id)


def require_evidence_reader(user: User | AnonymousUser) -> None:
    """Evidence requests are for providers (handlers) and coordinators (departments, centres)."""
    if volunteer_of(user) is None and not roles_of(user).is_coordinator:
        raise Forbidden(
            _("Evidence requests are for handlers of cases, departments and legal aid centres."),
            code="not_evidence_reader",
        )
