"""Every statutory due date of a legal aid application, computed in one place.

Pure functions of dates and a ``Rules`` value; ``rules()`` reads them from the settings. A due
date is the last day on which the act is on time: a period starts on the day after the event
(the day of receipt is not counted) and ends at the end of its last day, so an act is overdue
once that day has passed (``is_overdue``).

Counting (``LEGAL_AID_DAY_COUNTING``): ``calendar`` counts every day, the statutory reading of
日; ``working`` counts Monday to Friday only. Public holidays (and the working weekends that
swap with them) are not modelled in either mode.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

CALENDAR = "calendar"
WORKING = "working"
COUNTINGS = (CALENDAR, WORKING)


@dataclass(frozen=True)
class Rules:
    counting: str = CALENDAR
    decision_days: int = 7  # Art. 43: review and decide within 7 days of the application
    assign_days: int = 3  # Art. 43: assign within 3 days of the approval
    notice_assign_days: int = 3  # Art. 36: assign within 3 days of a court's, procuratorate's or police notice
    objection_days: int = 5  # Art. 49: the justice bureau decides an objection within 5 days of receiving it


def rules() -> Rules:
    """The rules of this installation (settings ``LEGAL_AID_*``)."""
    return Rules(
        counting=settings.LEGAL_AID_DAY_COUNTING,
        decision_days=settings.LEGAL_AID_DECISION_DAYS,
        assign_days=settings.LEGAL_AID_ASSIGN_DAYS,
        notice_assign_days=settings.LEGAL_AID_NOTICE_ASSIGN_DAYS,
        objection_days=settings.LEGAL_AID_OBJECTION_DAYS,
    )


def local_day(moment: datetime | date) -> date:
    """The day of ``moment`` where the product is used (``TIME_ZONE``)."""
    if isinstance(moment, datetime):
        return timezone.localdate(moment)
    return moment


def is_counted(day: date, counting: str) -> bool:
    return counting == CALENDAR or day.weekday() < 5


def add_days(start: date, days: int, *, counting: str) -> date:
    """The day on which a period of ``days`` counted days, starting the day after ``start``, ends."""
    if counting == CALENDAR:
        return start + timedelta(days=days)
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_counted(day, counting):
            left -= 1
    return day


def days_between(start: date, end: date, *, counting: str) -> int:
    """Counted days after ``start`` up to and including ``end`` (0 when ``end`` is not later).

    The length of a pause: materials asked for on ``start`` and received on ``end``."""
    if end <= start:
        return 0
    if counting == CALENDAR:
        return (end - start).days
    whole_weeks, rest = divmod((end - start).days, 7)
    counted = whole_weeks * 5
    for offset in range(1, rest + 1):
        if is_counted(start + timedelta(days=whole_weeks * 7 + offset), counting):
            counted += 1
    return counted


def decision_due(received: datetime | date, *, paused_days: int = 0, notice: bool = False, rules: Rules) -> date:
    """Art. 43: the decision within ``decision_days`` of receipt, plus the days the clock stood
    still for missing materials. A notice (Art. 36) must be assigned within ``notice_assign_days``,
    and the decision cannot come after the assignment, so its decision is due by then as well."""
    days = rules.decision_days
    if notice:
        days = min(days, rules.notice_assign_days)
    return add_days(local_day(received), days + paused_days, counting=rules.counting)


def assign_due(start: datetime | date, *, notice: bool = False, rules: Rules) -> date:
    """Art. 43: assignment within ``assign_days`` of the approval (or, Art. 44, of taking an
    urgent matter on before the decision); Art. 36: within ``notice_assign_days`` of a notice."""
    days = rules.notice_assign_days if notice else rules.assign_days
    return add_days(local_day(start), days, counting=rules.counting)


def objection_due(registered: datetime | date, *, rules: Rules) -> date:
    """Art. 49: the justice bureau decides within ``objection_days`` of receiving the objection,
    counted from the day the centre registers it."""
    return add_days(local_day(registered), rules.objection_days, counting=rules.counting)


def shifted(due: date, paused_days: int, *, counting: str) -> date:
    """``due`` moved on by a pause of ``paused_days`` counted days.

    Equal to recomputing from the start with the pause added: a due in working-day counting
    always falls on a working day, from which adding is the same as adding from the start."""
    return add_days(due, paused_days, counting=counting)


def is_overdue(due: date | None, *, today: date) -> bool:
    return due is not None and due < today
