"""Duty lawyers are lawyers only (Legal Aid Law Art. 14, 30): one home for the rule, asked by the
claim and assignment services of the marketplace, the board's eligibility filter and the roster.

Imports nothing of the roster's models, so ``marketplace.services`` and ``marketplace.selectors``
may ask it without a cycle."""

from django.utils.translation import gettext_lazy as _

from marketplace.core.errors import Forbidden
from marketplace.models import TaskKind
from volunteers.models import VolunteerKind

# Task kinds only lawyers hold, whatever a task's eligible_kinds says.
LAWYERS_ONLY_KINDS = frozenset({TaskKind.DUTY_SHIFT})
DUTY_LAWYER_KINDS = [VolunteerKind.LAWYER.value]

LAWYERS_ONLY = _("Duty-lawyer shifts are for lawyers only (Legal Aid Law Art. 14 and 30).")


class LawyersOnly(Forbidden):
    code = "lawyers_only"
    default_detail = LAWYERS_ONLY


def lawyers_only(kind: str | None) -> bool:
    """Tasks of ``kind`` are held by lawyers only."""
    return kind in LAWYERS_ONLY_KINDS


def lawyer_problem(task, volunteer) -> str | None:
    """Why ``volunteer`` may not hold ``task`` by this rule, or None."""
    if volunteer is not None and lawyers_only(task.kind) and volunteer.kind != VolunteerKind.LAWYER:
        return str(LAWYERS_ONLY)
    return None


def require_lawyer(task, volunteer) -> None:
    """403 ``lawyers_only`` when ``volunteer`` is not a lawyer and ``task`` is a duty shift."""
    if lawyer_problem(task, volunteer):
        raise LawyersOnly()
