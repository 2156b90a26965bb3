"""Permission-checked fetches: the object, or 404 for both "missing" and "not yours"."""

from django.contrib.auth.models import AnonymousUser, User

from marketplace.core.access import row_or_404
from marketplace.core.errors import NotFound
from marketplace.core.ids import id_or_404
from marketplace.models import AidTask, Claim
from marketplace.selectors import claims_visible_to, task_visible_to, tasks_managed_by


def access_task(user: User | AnonymousUser, task_id, *, for_write: bool = False) -> AidTask:
    """The task if the caller may see it; with ``for_write``, only if it coordinates the task's
    organisation. Another organisation's coordinator gets 404, as for a missing task."""
    if not for_write:
        task = task_visible_to(user, id_or_404(task_id))
        if task is None:
            raise NotFound()
        return task
    return row_or_404(tasks_managed_by(user), task_id)


def access_claim(user: User | AnonymousUser, claim_id) -> Claim:
    """The claim if the caller is its provider or coordinates the task's organisation; else 404."""
    return row_or_404(claims_visible_to(user).select_related("task__region", "volunteer__region"), claim_id)
