"""The coordinator's desk: post and manage tasks, decide claims, assign, confirm hours."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duties import services as duty_services
from duties.access import access_hour_log
from duties.selectors import desk_tasks, hour_logs_on_task, hours_to_confirm
from frontend.forms import DecideHoursForm, OptionalReasonForm, ReasonForm, TaskForm
from frontend.params import first_and_count, posted_ids, query_choice, query_page
from frontend.views.common import (
    back,
    coordinator_required,
    domain_errors_as_http,
    run_action,
    run_form_action,
    run_into_form,
    signed_in_action,
    signed_in_form,
)
from marketplace import services as market
from marketplace.access import access_claim, access_task
from marketplace.core.errors import Forbidden
from marketplace.models import TaskStatus
from marketplace.selectors import assignment_candidates, claims_on_task, listed_candidate
from marketplace.services import TASK_FIELDS
from organizations.roles import roles_of
from organizations.selectors import organizations_visible_to

DESK_FILTERS = tuple(TaskStatus.values)
DESK_PAGE = 50
# The hours page lists the first HOURS_SHOWN logs to confirm, the earliest day first, and counts
# them all: confirming some brings the next ones up.
HOURS_SHOWN = 200
# The desk's tabs: tasks in progress (no filter), or those of one status.
DESK_TABS = (
    ("", gettext_lazy("In progress")),
    (TaskStatus.DRAFT, gettext_lazy("Drafts")),
    (TaskStatus.OPEN, gettext_lazy("Open")),
    (TaskStatus.FILLED, gettext_lazy("Filled")),
    (TaskStatus.COMPLETED, gettext_lazy("Completed")),
    (TaskStatus.CANCELLED, gettext_lazy("Cancelled")),
)


desk_required = coordinator_required(gettext_lazy("Only coordinators of an organisation use the desk."))


def _own_log(user, log_id: int):
    """An hour log the user may see; the confirming service checks that the user coordinates it."""
    return access_hour_log(user, log_id)


@login_required
@desk_required
def desk(request):
    status = query_choice(request, "status", DESK_FILTERS)
    page = query_page(request, desk_tasks(request.user, status=status or None), DESK_PAGE)
    context = {"page": page, "tasks": page.object_list, "status": status, "filters": DESK_TABS}
    return render(request, "frontend/desk/desk.html", context)


def _run_task_service(form: TaskForm, service, **kwargs):
    """``run_into_form`` for the task services; the second value says whether the service refused
    a case posted by an organisation that is not a legal aid centre (``cases_for_centres``): the
    page answers that with the API's 403, the reason beside the kind."""
    refused = []

    def call(**values):
        try:
            return service(**values)
        except Forbidden as exc:
            if exc.code == "cases_for_centres":
                refused.append(exc)
            raise

    return run_into_form(form, call, **kwargs), bool(refused)


def _task_values(form: TaskForm) -> dict:
    return {name: form.cleaned_data[name] for name in TASK_FIELDS}


@signed_in_form
@desk_required
def task_new(request):
    orgs = organizations_visible_to(request.user).filter(pk__in=roles_of(request.user).coordinated_ids)
    form = TaskForm(request.POST or None, organizations=orgs)
    refused = False
    if request.method == "POST" and form.is_valid():
        publish = request.POST.get("publish") == "1"
        task, refused = _run_task_service(
            form,
            market.task_create,
            organization=form.cleaned_data["organization"],
            values=_task_values(form),
            confidential=form.confidential(),
            publish=publish,
            by=request.user,
        )
        if task is not None:
            messages.success(request, _("The task is published.") if publish else _("The task is saved as a draft."))
            return redirect("desk-task", task_id=task.pk)
    status = 403 if refused else 400 if form.errors else 200
    return render(request, "frontend/desk/task_form.html", {"form": form, "task": None}, status=status)


@signed_in_form
def task_edit(request, task_id: int):
    task = access_task(request.user, task_id, for_write=True)
    orgs = organizations_visible_to(request.user).filter(pk=task.organization_id)
    initial = {name: getattr(task, name) for name in TASK_FIELDS}
    initial["organization"] = task.organization_id
    initial["region"] = task.region_id
    form = TaskForm(request.POST or None, organizations=orgs, initial=initial)
    refused = False
    if request.method == "POST" and form.is_valid():
        # Only what the coordinator changed: the start of a task under way stays as stored, and
        # the confidential fields left empty keep the recorded details (merged by the service).
        updated, refused = _run_task_service(
            form,
            market.task_update,
            task=task,
            changes=form.changes_for(task, TASK_FIELDS),
            confidential=form.confidential(),
            by=request.user,
        )
        if updated is not None:
            messages.success(request, _("The task is saved."))
            return redirect("desk-task", task_id=task.pk)
    status = 403 if refused else 400 if form.errors else 200
    return render(request, "frontend/desk/task_form.html", {"form": form, "task": task}, status=status)


@login_required
@domain_errors_as_http
def task_manage(request, task_id: int):
    task = access_task(request.user, task_id, for_write=True)
    can_assign = roles_of(request.user).coordinates_centre(task.organization_id) and task.takes_claims
    context = {
        "task": task,
        "claims": claims_on_task(request.user, task),
        "logs": hour_logs_on_task(request.user, task),
        "candidates": assignment_candidates(task=task, now=timezone.now(), for_user=request.user)[:20]
        if can_assign
        else [],
        "can_assign": can_assign,
        "cancel_form": ReasonForm(),
    }
    return render(request, "frontend/desk/task.html", context)


def _task_button(service, success: str):
    """A button of the desk's task page that calls ``service`` on the task alone, says how it
    went and shows the task again."""

    @login_required
    @require_POST
    @domain_errors_as_http
    def view(request, task_id: int):
        task = access_task(request.user, task_id, for_write=True)
        run_action(request, service, success=success, task=task, by=request.user)
        return redirect("desk-task", task_id=task.pk)

    return view


task_publish = _task_button(market.task_publish, gettext_lazy("The task is published."))
task_complete = _task_button(market.task_complete, gettext_lazy("The task is completed."))


@signed_in_form
def task_cancel(request, task_id: int):
    task = access_task(request.user, task_id, for_write=True)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_into_form(form, market.task_cancel, task=task, reason=form.cleaned_data["reason"], by=request.user)
        if done is not None:
            messages.success(request, _("The task is cancelled; its providers are told."))
            return redirect("desk-task", task_id=task.pk)
    status = 400 if form.errors else 200
    return render(request, "frontend/desk/task_cancel.html", {"task": task, "form": form}, status=status)


def assign_listed(request, task, service: Callable = market.task_assign) -> None:
    """Assign ``task`` to the provider the button names, if they are one of its listed candidates;
    say to whom, or why not. The desk's task page and the intake page both list them."""
    chosen = listed_candidate(task=task, volunteer_id=request.POST.get("volunteer", ""), now=timezone.now())
    if chosen is None:
        messages.error(request, _("Choose one of the listed providers."))
        return
    success = _("Assigned to %(name)s.") % {"name": chosen.display_name}
    run_action(request, service, success=success, task=task, volunteer=chosen, by=request.user)


@signed_in_action
def task_assign(request, task_id: int):
    task = access_task(request.user, task_id, for_write=True)
    assign_listed(request, task)
    return redirect("desk-task", task_id=task.pk)


@signed_in_action
def claim_accept(request, claim_id: int):
    claim = access_claim(request.user, claim_id)
    run_action(request, market.claim_accept, success=_("The claim is accepted."), claim=claim, by=request.user)
    return back(request, reverse("desk-task", args=[claim.task_id]))


@signed_in_action
def claim_decline(request, claim_id: int):
    claim = access_claim(request.user, claim_id)
    # the reason is optional here: a missing one is the service's to refuse, in the words the API uses
    success = _("The claim is declined.")
    run_form_action(request, OptionalReasonForm, market.claim_decline, success=success, claim=claim, by=request.user)
    return back(request, reverse("desk-task", args=[claim.task_id]))


@login_required
@coordinator_required(gettext_lazy("Only coordinators of an organisation confirm hours."))
def hours(request):
    ids = roles_of(request.user).coordinated_ids
    logs, count = first_and_count(hours_to_confirm(request.user, organization_ids=ids), HOURS_SHOWN)
    return render(request, "frontend/desk/hours.html", {"logs": logs, "count": count})


@signed_in_action
def hours_confirm(request, log_id: int):
    log = _own_log(request.user, log_id)
    success = _("Hours confirmed and credited.")
    run_form_action(request, DecideHoursForm, duty_services.hours_confirm, success=success, log=log, by=request.user)
    return back(request, reverse("desk-hours"))


@signed_in_action
def hours_decline(request, log_id: int):
    log = _own_log(request.user, log_id)
    form = DecideHoursForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    run_action(
        request, duty_services.hours_decline, success=_("Hours declined."), log=log, comment=comment, by=request.user
    )
    return back(request, reverse("desk-hours"))


@signed_in_action
def hours_bulk(request):
    if not roles_of(request.user).is_coordinator:
        raise Http404()
    ids = posted_ids(request)
    if request.POST.get("action") == "decline":
        run_action(
            request,
            duty_services.hours_bulk_decline,
            success=_("The selected hours are declined."),
            ids=ids,
            comment=request.POST.get("comment", ""),
            by=request.user,
        )
    else:
        run_action(
            request,
            duty_services.hours_bulk_confirm,
            success=_("The selected hours are confirmed and credited."),
            ids=ids,
            by=request.user,
        )
    return back(request, reverse("desk-hours"))
