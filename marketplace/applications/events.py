"""What the applications app publishes, always after the transaction commits."""

from django.db import transaction

from marketplace import events
from marketplace.selectors import coordinator_user_ids


def application_changed(application) -> None:
    """``application.changed`` to the coordinators of the registering organisation and of the
    deciding centre, after commit (they are looked up then, outside any lock). No identities."""
    event = {
        "type": "application.changed",
        "application": {"id": application.pk, "status": application.status, "number": application.number},
    }
    org_ids = {application.organization_id, application.centre_id} - {None}

    def publish() -> None:
        # Outside any transaction now, so to_users delivers at once.
        user_ids = [uid for org_id in sorted(org_ids) for uid in coordinator_user_ids(org_id)]
        if user_ids:
            events.to_users(user_ids, event)

    transaction.on_commit(publish)
