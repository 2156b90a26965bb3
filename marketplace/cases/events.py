"""What the cases app publishes on /ws/me/, always after the transaction commits."""

from django.db import transaction

from marketplace.core.events import to_users
from marketplace.models import HELD_CLAIM_STATUSES, AidTask, Claim
from marketplace.selectors import coordinator_user_ids


def case_changed(task: AidTask, *, action: str) -> None:
    """``case.changed`` to the providers holding a seat on the case (the handler above all: a
    termination or a returned closing is news to them) and to the centre's coordinators.
    ``action``: ``closing_filed``, ``closing_accepted``, ``closing_returned``, ``terminated``,
    ``evaluated``. Recipients are looked up after commit, outside any lock."""
    event = {"type": "case.changed", "case": {"task": task.pk, "status": task.status, "action": action}}

    def publish() -> None:
        providers = list(
            Claim.objects.filter(task_id=task.pk, status__in=HELD_CLAIM_STATUSES).values_list(
                "volunteer__user_id", flat=True
            )
        )
        user_ids = [*providers, *coordinator_user_ids(task.organization_id)]
        if user_ids:
            to_users(user_ids, event)

    transaction.on_commit(publish)
