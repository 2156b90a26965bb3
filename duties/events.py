"""What the duties app publishes, always after commit (marketplace.core.events delivers it)."""

from duties.models import AnnualReview, HourLog
from marketplace.core.events import to_users
from organizations.models import Membership, Role


def _coordinator_ids(organization_id: int) -> list[int]:
    return list(
        Membership.objects.filter(organization_id=organization_id, role__in=[Role.COORDINATOR, Role.ADMIN]).values_list(
            "user_id", flat=True
        )
    )


def hours_changed(log: HourLog, *, organization_id: int, provider_user_id: int) -> None:
    """``hours.changed`` to the provider and the coordinators of the task's organisation."""
    to_users(
        [provider_user_id, *_coordinator_ids(organization_id)],
        {
            "type": "hours.changed",
            "hour_log": {
                "id": log.pk,
                "claim": log.claim_id,
                "date": log.date.isoformat(),
                "status": log.status,
                "hours": f"{log.hours:.2f}",
                "confirmed_hours": None if log.confirmed_hours is None else f"{log.confirmed_hours:.2f}",
            },
        },
    )


def review_decided(review: AnnualReview, *, provider_user_id: int) -> None:
    """``review.decided`` to the provider whose year was decided."""
    to_users(
        [provider_user_id],
        {
            "type": "review.decided",
            "review": {"id": review.pk, "year": review.year, "status": review.status},
        },
    )
