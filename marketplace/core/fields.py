"""Fields and field groups that recur across the apps' tables, declared once.

- ``acting_user``: the user who did something to a row (recorded, filed, decided it).
- ``Timestamps``: when a row was created and when it last changed.
- ``Decided``: who decided a row awaiting a decision (a claim, an hour log, a swap, a review), and when.
- ``HistoryEvent``: one line of a record's history: what happened, when, by whom.
- ``Reveal``: one reveal of a record's confidential details: who saw them, when.
- ``done_late``: whether an act came after its due date (a closing report, an evidence answer).
- ``with_overdue``: the ``overdue`` of a list of records that wait for an act by a due day.

Each keeps the columns and options its tables had, so using it changes no migration.
"""

from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone


def acting_user(*, optional: bool = False, on_delete=models.SET_NULL, outlives_user: bool = False) -> models.ForeignKey:
    """The user who did something to the row, with no reverse accessor on the user.

    A required one protects the user's row; with ``outlives_user`` the row is kept when the
    account is deleted, the user set to null. An optional one (the act may not have happened
    yet, or the row outlives the account) is set to null when the user is deleted, unless
    ``on_delete`` says otherwise."""
    if optional:
        return models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=on_delete, related_name="+")
    if outlives_user:
        return models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    return models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


def done_late(done_at: datetime | None, due: date | None) -> bool:
    """Whether an act done at ``done_at`` came after ``due``, the last day on which it was on
    time (in local days). Not done yet, or no due date: not late."""
    return done_at is not None and due is not None and timezone.localdate(done_at) > due


def with_overdue(qs: QuerySet, *, waiting: Q, today: date) -> QuerySet:
    """``qs`` with ``overdue``: true while a record still waits (``waiting``: a complaint's
    finding, a department's answer) and its ``due`` day is before ``today``."""
    overdue = Case(
        When(waiting & Q(due__lt=today), then=Value(True)), default=Value(False), output_field=BooleanField()
    )
    return qs.annotate(overdue=overdue)


class Timestamps(models.Model):
    """Abstract: when the row was created and when it was last saved."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Decided(models.Model):
    """Abstract: who decided the row and when; both empty while it awaits the decision."""

    decided_by = acting_user(optional=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class HistoryEvent(models.Model):
    """Abstract: one line of a record's history, oldest first. The concrete model adds the record
    it belongs to and its ``kind`` (with its own choices)."""

    at = models.DateTimeField()
    by = acting_user(optional=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class Reveal(models.Model):
    """Abstract: one reveal of a record's confidential details (a task's aided person, an
    application's parties), newest first. The concrete model adds the record and ``via``, how
    they came to be shown."""

    user = acting_user()
    accessed_at = models.DateTimeField()

    class Meta:
        abstract = True
        ordering = ["-accessed_at", "-id"]
