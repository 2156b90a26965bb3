"""Template helpers of the pages: the role-aware navigation and small formatting filters."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duties.models import ReviewStatus
from organizations.selectors import coordinated_organization_ids, is_regulator
from volunteers.models import VolunteerKind

register = template.Library()


def user_roles(user) -> dict[str, bool]:
    """Which parts of the site the user works in; one place for the nav and the home page."""
    if not user.is_authenticated:
        return {"provider": False, "coordinator": False, "regulator": False}
    return {
        "provider": hasattr(user, "volunteer"),
        "coordinator": bool(coordinated_organization_ids(user)),
        "regulator": is_regulator(user),
    }


@register.inclusion_tag("frontend/partials/nav.html", takes_context=True)
def site_nav(context):
    request = context["request"]
    user = request.user
    roles = user_roles(user)
    links = [(reverse("home"), _("Open tasks"))]
    if user.is_authenticated:
        if roles["provider"]:
            links += [
                (reverse("provider-tasks"), _("My tasks")),
                (reverse("provider-duty"), _("My duty")),
            ]
        elif not roles["coordinator"] and not roles["regulator"]:
            links.append((reverse("provider-register"), _("Become a provider")))
        if roles["coordinator"]:
            links += [(reverse("desk"), _("Desk")), (reverse("desk-hours"), _("Hours to confirm"))]
        if roles["regulator"]:
            links += [
                (reverse("regulator-providers"), _("Providers")),
                (reverse("regulator-compliance"), _("Compliance")),
                (reverse("regulator-reviews"), _("Annual review")),
                (reverse("regulator-rules"), _("Quota rules")),
                (reverse("regulator-declined"), _("Declined assignments")),
            ]
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


PROGRESS_LABELS = {
    "met": gettext_lazy("Met"),
    "on_track": gettext_lazy("On track"),
    "behind": gettext_lazy("Behind"),
    "exempt": gettext_lazy("Exempt"),
}


@register.filter
def progress_label(value: str) -> str:
    """The words for a progress status code (met, on_track, behind, exempt)."""
    return PROGRESS_LABELS.get(value, value)


@register.filter
def kind_label(value: str) -> str:
    """The words for a provider kind code (lawyer, notary, ...)."""
    return dict(VolunteerKind.choices).get(value, value)


@register.filter
def review_label(value: str) -> str:
    return dict(ReviewStatus.choices).get(value, value) if value else "—"
