"""Complaint pages: the public form and the lookup by tracking code (anyone), and the justice
bureau's complaints desk (start the investigation, record the finding). Each form calls the same
service as the API (duties.complaints.services)."""

import math

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from duties.complaints import selectors, services
from duties.complaints.access import access_complaint, require_complaints_handler
from duties.complaints.models import OPEN_COMPLAINT_STATUSES, ComplaintStatus
from duties.complaints.throttles import ComplaintFilingThrottle, ComplaintLookupThrottle
from frontend.complaint_forms import ComplaintForm, ResolveForm, TrackForm
from frontend.params import query_choice, query_page
from frontend.views.common import run_action, run_into_form, signed_in_action, signed_in_page, submit
from marketplace.core.ids import parse_id
from marketplace.selectors import tasks_visible_to

# The desk's tabs: which complaints it lists.
DESK_TABS = (
    ("open", gettext_lazy("Open")),
    ("overdue", gettext_lazy("Overdue")),
    ("resolved", gettext_lazy("Resolved")),
    ("all", gettext_lazy("All")),
)
DESK_FILTERS = tuple(value for value, _label in DESK_TABS)
PAGE_SIZE = 20


def _throttled(request, throttle, template: str, context: dict):
    seconds = max(math.ceil(throttle.wait() or 1), 1)
    context = {
        **context,
        "throttled": _("Too many requests from your address. Try again in %(seconds)d seconds.") % {"seconds": seconds},
    }
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _task(request, raw):
    """The published task the complaint is about (the form carries its id), or None."""
    pk = parse_id(raw)
    return tasks_visible_to(request.user).filter(pk=pk).first() if pk else None


@require_http_methods(["GET", "POST"])
def complaint_new(request):
    """Anyone files a complaint; a link from a task page names the task."""
    task = _task(request, request.POST.get("task") or request.GET.get("task"))
    form = ComplaintForm(request.POST or None)
    context = {"form": form, "task": task}
    if request.method == "POST":
        throttle = ComplaintFilingThrottle()
        if not throttle.allow_request(request, None):
            return _throttled(request, throttle, "frontend/complaints/new.html", context)
        if form.is_valid():
            data = form.cleaned_data
            volunteer = selectors.provider_by_licence(data["licence_number"])
            if request.POST.get("task") and task is None:
                form.add_error(None, _("The task is not found."))
            elif data["licence_number"] and volunteer is None:
                form.add_error("licence_number", _("No provider has this licence number."))
            else:
                complaint = run_into_form(
                    form,
                    services.complaint_file,
                    subject=data["subject"],
                    text=data["text"],
                    contact=data["contact"],
                    task=task,
                    volunteer=volunteer,
                    by=request.user,
                )
                if complaint is not None:
                    messages.success(
                        request,
                        _("Your complaint is filed. Keep its tracking code: %(code)s") % {"code": complaint.code},
                    )
                    return redirect("complaint-status", code=complaint.code)
    return render(request, "frontend/complaints/new.html", context, status=400 if form.errors else 200)


@require_GET
def complaint_track(request):
    form = TrackForm(request.GET or None)
    if form.is_valid():
        code = selectors.normalise_code(form.cleaned_data["code"]) or "-"
        return redirect("complaint-status", code=code)
    return render(request, "frontend/complaints/track.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
@never_cache
def complaint_status(request, code: str):
    """The complainant's view: status, due date, the bureau's finding; never the contact."""
    throttle = ComplaintLookupThrottle()
    context = {"form": TrackForm(initial={"code": code}), "code": code}
    if not throttle.allow_request(request, None):
        return _throttled(request, throttle, "frontend/complaints/track.html", context)
    complaint = selectors.complaint_by_code(code)
    if complaint is None:
        context["not_found"] = True
        return render(request, "frontend/complaints/track.html", context, status=404)
    context |= {"complaint": complaint, "today": timezone.localdate()}
    return render(request, "frontend/complaints/status.html", context)


# --- the bureau's desk -------------------------------------------------------------------------


@signed_in_page
def desk(request):
    require_complaints_handler(request.user)
    today = timezone.localdate()
    show = query_choice(request, "show", DESK_FILTERS, default="open")
    complaints = selectors.with_overdue(selectors.complaints_handled_by(request.user), today=today)
    if show == "open":
        complaints = complaints.filter(status__in=list(OPEN_COMPLAINT_STATUSES)).order_by("due", "id")
    elif show == "overdue":
        complaints = complaints.filter(overdue=True).order_by("due", "id")
    elif show == "resolved":
        complaints = complaints.filter(status=ComplaintStatus.RESOLVED).order_by("-resolved_at", "-id")
    else:
        complaints = complaints.order_by("-filed_at", "-id")
    context = {"page": query_page(request, complaints, PAGE_SIZE), "show": show, "filters": DESK_TABS}
    return render(request, "frontend/complaints/desk.html", context)


def _detail(request, complaint, *, resolve_form=None, status=200):
    context = {
        "complaint": complaint,
        "contact": services.contact_of(complaint),
        "events": complaint.events.select_related("by").order_by("at", "id"),
        "resolve_form": resolve_form or (ResolveForm() if complaint.can_resolve else None),
    }
    return render(request, "frontend/complaints/detail.html", context, status=status)


@signed_in_page
def detail(request, complaint_id: int):
    return _detail(request, access_complaint(request.user, complaint_id))


@signed_in_action
def start(request, complaint_id: int):
    complaint = access_complaint(request.user, complaint_id)
    run_action(
        request,
        services.complaint_start,
        success=_("The investigation has started; the complainant sees it."),
        complaint=complaint,
        by=request.user,
    )
    return redirect("complaints-desk-detail", complaint_id=complaint.pk)


@signed_in_action
def resolve(request, complaint_id: int):
    complaint = access_complaint(request.user, complaint_id)
    form = ResolveForm(request.POST)
    if form.is_valid() and submit(
        request,
        form,
        services.complaint_resolve,
        success=_("The finding is recorded; the complainant reads it by the tracking code."),
        complaint=complaint,
        by=request.user,
        **form.cleaned_data,
    ):
        return redirect(reverse("complaints-desk-detail", args=[complaint.pk]))
    return _detail(request, complaint, resolve_form=form, status=400)
