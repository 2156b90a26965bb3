"""What the complaints app publishes, always after the transaction commits."""

from django.db import transaction

from marketplace.core import events
from organizations.models import Membership, OrganizationKind
from organizations.roles import REGULATING_ROLES


def bureau_user_ids(complaint) -> list[int]:
    """Reviewers (and admins) of the justice bureaus over the complaint's region."""
    codes = [code for code in complaint.region.path.split("/") if code]
    return list(
        Membership.objects.filter(
            organization__kind=OrganizationKind.JUSTICE_BUREAU,
            organization__region_id__in=codes,
            role__in=list(REGULATING_ROLES),
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def complaint_changed(complaint) -> None:
    """``complaint.changed`` to the bureau's reviewers, after commit (looked up then, outside any
    lock). The complaint's id, code-free, and its status: no text, no contact."""
    event = {"type": "complaint.changed", "complaint": {"id": complaint.pk, "status": complaint.status}}

    def publish() -> None:
        user_ids = bureau_user_ids(complaint)
        if user_ids:
            events.to_users(user_ids, event)

    transaction.on_commit(publish)
