"""Template helpers of the pages: the role-aware navigation and small formatting filters."""

from datetime import datetime
from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from duties.complaints.selectors import is_complaints_handler
from duties.models import ReviewStatus
from duties.models import progress_label as duty_progress_label
from duties.selectors import year_has_ended
from marketplace.applications.selectors import INTAKE_KINDS
from marketplace.core.text import choice_label
from marketplace.evidence.selectors import coordinated_departments
from organizations.models import OrganizationKind
from organizations.roles import roles_of
from volunteers.models import VolunteerKind

register = template.Library()


@register.inclusion_tag("frontend/partials/nav.html", takes_context=True)
def site_nav(context):
    request = context["request"]
    user = request.user
    roles = roles_of(user)  # the same object the page's guard and selectors read: no query of its own
    links = [(reverse("home"), _("Open tasks"))]
    if user.is_authenticated:
        if roles.is_provider:
            links += [
                (reverse("provider-tasks"), _("My tasks")),
                (reverse("provider-duty"), _("My duty")),
                (reverse("evidence-mine"), _("Evidence requests")),
            ]
            if roles.provider.kind == VolunteerKind.LAWYER:
                links.append((reverse("provider-shifts"), _("My duty shifts")))
        elif not roles.is_coordinator and not roles.is_regulator:
            links.append((reverse("provider-register"), _("Become a provider")))
        coordinated_kinds = {org.kind for org in roles.coordinated_organizations}
        if coordinated_kinds & set(INTAKE_KINDS):
            links.append((reverse("intake"), _("Applications")))
        if OrganizationKind.LAW_FIRM in coordinated_kinds:
            links.append((reverse("intake-firm"), _("Firm assignments")))
            links.append((reverse("firm-progress"), _("Our lawyers' duty")))
        if roles.is_coordinator:
            links += [(reverse("desk"), _("Desk")), (reverse("desk-hours"), _("Hours to confirm"))]
            links.append((reverse("closing-queue"), _("Cases and closings")))
        if coordinated_kinds & {OrganizationKind.LEGAL_AID_CENTER, OrganizationKind.COMMUNITY_STATION}:
            links.append((reverse("rosters"), _("Duty rosters")))
        if coordinated_departments(user):
            links.append((reverse("evidence-queue"), _("Evidence to provide")))
        if roles.is_regulator:
            links += [
                (reverse("regulator-providers"), _("Providers")),
                (reverse("regulator-compliance"), _("Compliance")),
                (reverse("regulator-reviews"), _("Annual review")),
                (reverse("regulator-rules"), _("Quota rules")),
                (reverse("regulator-declined"), _("Declined assignments")),
                (reverse("intake-stats"), _("Application statistics")),
                # The exports, certificate archives and bulk decisions they start (docs/jobs.md).
                (reverse("jobs"), _("Background jobs")),
            ]
            if any(m.organization.kind == OrganizationKind.JUSTICE_BUREAU for m in roles.regulator_memberships):
                links.append((reverse("intake-objections"), _("Objections")))
        # Case subsidies (Art. 52): the paying centres, and the justice bureaus that set the schedules.
        if roles.is_centre_coordinator or any(
            m.organization.kind == OrganizationKind.JUSTICE_BUREAU for m in roles.regulator_memberships
        ):
            links.append((reverse("subsidies"), _("Case subsidies")))
        if is_complaints_handler(user):
            links.append((reverse("complaints-desk"), _("Complaints")))
    path = request.path
    items = []
    for url, label in links:
        current = path == url if url == "/" else path.startswith(url)
        items.append({"url": url, "label": label, "current": current})
    return {"items": items, "user": user, "request": request}


@register.filter
def percent_of(value, total) -> int:
    """``value`` as a whole percentage of ``total``, capped at 100 (for progress bars)."""
    try:
        if not total:
            return 100 if value else 0
        return max(0, min(100, int(round(float(value) * 100 / float(total)))))
    except (TypeError, ValueError):
        return 0


@register.filter
def progress_label(value: str, year=None) -> str:
    """The words for a progress status code (met, on_track, behind, exempt); with the ``year``
    it is about, an ended year's outcome: 进度滞后 only while the year runs, then 未达标."""
    ended = year not in (None, "") and year_has_ended(int(year), timezone.now())
    return duty_progress_label(value, year_ended=ended)


@register.filter
def kind_label(value: str) -> str:
    """The words for a provider kind code (lawyer, notary, ...)."""
    return choice_label(VolunteerKind, value)


@register.filter
def review_label(value: str) -> str:
    return choice_label(ReviewStatus, value) if value else "—"


def _time(moment: datetime, pattern: str) -> str:
    return format_html('<time datetime="{}">{}</time>', moment.isoformat(), date_format(moment, pattern))


@register.simple_tag
def colon() -> str:
    """What follows a label before its value: ": " in English, the full-width "：" in Chinese."""
    return pgettext("between a label and its value", ": ")


@register.simple_tag
def time_span(starts_at: datetime, ends_at: datetime) -> str:
    """ "2026-05-01 14:00–17:00" on one day; "2026-05-01 09:00 – 2026-05-03 17:00" across days,
    so a task that runs for days never hides its end date. Local time, as the pages speak it."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() == end.date():
        return format_html("{}–{}", _time(start, "Y-m-d H:i"), _time(end, "H:i"))
    return format_html("{} – {}", _time(start, "Y-m-d H:i"), _time(end, "Y-m-d H:i"))


@register.filter
def session_hours(task) -> Decimal | None:
    """How long a task's session lasts, in hours, when it starts and ends on the same day; None
    for a task spread over days (a case runs for months: its length in hours says nothing)."""
    start, end = timezone.localtime(task.starts_at), timezone.localtime(task.ends_at)
    if start.date() != end.date():
        return None
    return (Decimal((end - start).total_seconds()) / 3600).quantize(Decimal("0.01"))


@register.filter
def hours_text(value) -> str:
    """Hours without trailing zeros: 3.00 -> "3", 2.50 -> "2.5"."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    text = format(number.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".")
