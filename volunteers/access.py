from django.contrib.auth.models import AnonymousUser, User

from marketplace.core.access import row_or_404
from volunteers.models import Volunteer
from volunteers.selectors import volunteers_in_jurisdiction, volunteers_visible_to


def access_volunteer(user: User | AnonymousUser, volunteer_id: int | str, *, for_verify: bool = False) -> Volunteer:
    """The provider if the caller may see it (or verify it, with ``for_verify``); else 404."""
    qs = volunteers_in_jurisdiction(user) if for_verify else volunteers_visible_to(user)
    return row_or_404(qs, volunteer_id)
