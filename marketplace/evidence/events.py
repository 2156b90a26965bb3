"""What the evidence app publishes, always after the transaction commits."""

from django.db import transaction

from marketplace import events
from marketplace.selectors import coordinator_user_ids


def evidence_changed(request) -> None:
    """``evidence.changed`` to the department's coordinators, the handler and the coordinators of
    the case's organisation, after commit (looked up then). Ids and status only."""
    event = {"type": "evidence.changed", "evidence_request": {"id": request.pk, "status": request.status}}
    org_ids = sorted({request.department_id, request.task.organization_id})
    handler_user = request.handler.user_id

    def publish() -> None:
        user_ids = [uid for org_id in org_ids for uid in coordinator_user_ids(org_id)] + [handler_user]
        events.to_users(user_ids, event)

    transaction.on_commit(publish)
