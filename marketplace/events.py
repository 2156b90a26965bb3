"""What the marketplace publishes, after commit, through the kernel's delivery (marketplace.core.events)."""

from marketplace.core.events import to_board, to_users


def task_changed(task) -> None:
    """``task.changed`` on the board, after commit. Drafts are private and never announced."""
    if task.is_draft:
        return
    to_board({"type": "task.changed", "task": {"id": task.pk, "status": task.status, "seats_left": task.seats_left}})


def claim_changed(claim, *, coordinator_ids) -> None:
    """``claim.changed`` to the claim's provider and the coordinators of the task's organisation."""
    event = {
        "type": "claim.changed",
        "claim": {"id": claim.pk, "task": claim.task_id, "status": claim.status, "is_assignment": claim.is_assignment},
    }
    to_users([claim.volunteer.user_id, *coordinator_ids], event)
