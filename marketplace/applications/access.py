"""Permission-checked fetches: the application, or 404 for both "missing" and "not yours"."""

from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.utils.translation import gettext as _

from marketplace.applications.models import Application
from marketplace.applications.selectors import INTAKE_KINDS, applications_visible_to, for_display
from marketplace.core.access import row_or_404
from marketplace.core.errors import Forbidden
from organizations.roles import roles_of


def access_application(user: User | AnonymousUser, application_id, *, today: date) -> Application:
    """The application if the caller may see it (selectors.applications_visible_to), else 404.

    Another station's, another centre's or another region's application is 404, as a missing one."""
    return row_or_404(for_display(applications_visible_to(user, today=today)), application_id)


def require_applications_reader(user: User | AnonymousUser) -> None:
    """Applications are for coordinators of centres and stations, and for regulators (403 otherwise)."""
    roles = roles_of(user)
    coordinates_intake = any(org.kind in INTAKE_KINDS for org in roles.coordinated_organizations)
    if not (coordinates_intake or roles.is_regulator):
        raise Forbidden(
            _("Applications are for legal aid centres, their stations and regulators."), code="not_applications_reader"
        )
