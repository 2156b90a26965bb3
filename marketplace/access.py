"""Permission-checked fetches: the object, or 404 for both "missing" and "not yours"."""

from django.contrib.auth.models import AnonymousUser, User

from marketplace.errors import NotFound
from marketplace.models import AidTask, Claim
from marketplace.selectors import claims_visible_to, tasks_managed_by, tasks_visible_to

_MAX_ID = 2**63 - 1


def _parse_id(value) -> int:
    """Ids come from URLs; anything that is not a positive 64-bit integer cannot exist."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < pk <= _MAX_ID:
        raise NotFound()
    return pk


def access_task(user: User | AnonymousUser, task_id, *, for_write: bool = False) -> AidTask:
    """The task if the caller may see it; with ``for_write``, only if it coordinates the task's
    organisation. Another organisation's coordinator gets 404, as for a missing task."""
    qs = tasks_managed_by(user) if for_write else tasks_visible_to(user)
    try:
        return qs.get(pk=_parse_id(task_id))
    except AidTask.DoesNotExist:
        raise NotFound() from None


def access_claim(user: User | AnonymousUser, claim_id) -> Claim:
    """The claim if the caller is its provider or coordinates the task's organisation; else 404."""
    try:
        return claims_visible_to(user).select_related("task__region", "volunteer__region").get(pk=_parse_id(claim_id))
    except Claim.DoesNotExist:
        raise NotFound() from None
