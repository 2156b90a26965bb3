"""The notification centre, the channel preferences and the email's unsubscribe link."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from duties.notices import selectors, services
from duties.notices.models import NoticeKind
from duties.notices.services import LinkUsed
from frontend.params import query_page
from frontend.views.common import domain_errors_as_http
from marketplace.core.errors import NotFound


@require_GET
@login_required
def centre(request):
    page = query_page(request, selectors.notifications_of(request.user), 50)
    return render(request, "frontend/notices/centre.html", {"page": page})


@require_POST
@login_required
@domain_errors_as_http
def mark_read(request, notification_id: int):
    notification = services.notification_mark_read(user=request.user, notification_id=notification_id)
    if request.POST.get("go") and notification.url.startswith("/"):
        return redirect(notification.url)
    return redirect("notices")


@require_POST
@login_required
def mark_all_read(request):
    services.notifications_mark_all_read(user=request.user)
    return redirect("notices")


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request):
    rows = selectors.preferences_of(request.user)
    if request.method == "POST":
        chosen = [
            {
                "kind": r["kind"],
                "email": f"email-{r['kind']}" in request.POST,
                "sms": f"sms-{r['kind']}" in request.POST,
            }
            for r in rows
        ]
        services.preferences_set(user=request.user, rows=chosen)
        return redirect("notice-preferences")
    return render(request, "frontend/notices/preferences.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET shows what the link turns off (mail scanners fetch links); POST does it, once."""
    try:
        if request.method == "POST":
            user, kind = services.unsubscribe_apply(token=token)
            done = True
        else:
            user, kind = services.unsubscribe_peek(token=token)
            done = False
    except LinkUsed as exc:
        return render(request, "frontend/notices/unsubscribe.html", {"error": exc.detail}, status=410)
    except NotFound:
        return render(request, "frontend/notices/unsubscribe.html", {"error": None, "bad": True}, status=404)
    label = NoticeKind(kind).label
    return render(request, "frontend/notices/unsubscribe.html", {"label": label, "done": done, "token": token})
