"""The provider's calendar feed (``GET /calendar/{token}.ics``): the shifts, sessions and cases
whose claim they hold (accepted or completed), and the hearings recorded on the cases they
handle, as iCalendar (RFC 5545) that common calendar apps subscribe to.

Times are in Asia/Shanghai with its VTIMEZONE; a hearing milestone carries a date only, so it is
an all-day event. The feed names no aided person: a task's title, kind and place only.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from marketplace.cases.models import Milestone, MilestoneKind
from marketplace.models import HELD_CLAIM_STATUSES, AidTask, TaskStatus
from volunteers.calendar import volunteer_for_calendar_token
from volunteers.models import Volunteer

# How far back the feed reaches; calendar apps keep what they imported before.
HISTORY = timedelta(days=180)
_DOMAIN = "legalaid.calendar"


def _event(
    *, uid: str, stamp: datetime, summary: str, start: date | datetime, end: date | datetime, location: str
) -> Event:
    """One event of the feed: a held task (times) or a hearing (a date: all day)."""
    event = Event()
    event.add("uid", f"{uid}@{_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", end)
    if location:
        event.add("location", location)
    return event


def calendar_for(volunteer: Volunteer, *, now: datetime | None = None) -> Calendar:
    now = now or timezone.now()
    zone = timezone.get_default_timezone()
    since = now - HISTORY
    cal = Calendar()
    cal.add("prodid", "-//Legal aid marketplace//calendar//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "法律援助日程")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    tasks = (
        AidTask.objects.filter(claims__volunteer=volunteer, claims__status__in=HELD_CLAIM_STATUSES, ends_at__gte=since)
        .exclude(status=TaskStatus.CANCELLED)
        .order_by("starts_at", "id")
        .distinct()
    )
    for task in tasks:
        cal.add_component(
            _event(
                uid=f"task-{task.pk}",
                stamp=task.updated_at,
                summary=f"{task.get_kind_display()}：{task.title}",
                start=timezone.localtime(task.starts_at, zone),
                end=timezone.localtime(task.ends_at, zone),
                location=task.location,
            )
        )
    hearings = (
        Milestone.objects.filter(
            kind=MilestoneKind.HEARING,
            task__claims__volunteer=volunteer,
            task__claims__status__in=HELD_CLAIM_STATUSES,
            date__gte=timezone.localdate(since),
        )
        .select_related("task")
        .order_by("date", "id")
        .distinct()
    )
    for milestone in hearings:
        cal.add_component(
            _event(
                uid=f"hearing-{milestone.pk}",
                stamp=milestone.recorded_at,
                summary=f"开庭：{milestone.task.title}",
                start=milestone.date,
                end=milestone.date + timedelta(days=1),
                location=milestone.task.location,
            )
        )
    cal.add_missing_timezones()
    return cal


@require_GET
def calendar_feed(request, token: str):
    """The secret link: anyone holding it reads the feed; any other token is a plain 404."""
    volunteer = volunteer_for_calendar_token(token)
    if volunteer is None:
        raise Http404
    response = HttpResponse(calendar_for(volunteer).to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="legalaid.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
