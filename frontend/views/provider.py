"""Pages for providers: register, claim, withdraw, see the aided person, log hours, my duty."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from duties import services as duty_services
from duties.selectors import entries_of_volunteer, hour_logs_of_claim, progress_for, reviews_of_volunteer
from frontend.charts import progress_rows
from frontend.forms import HourLogForm, ReasonForm, RegisterForm
from frontend.params import query_recent_year
from frontend.views.common import (
    domain_errors_as_http,
    run_action,
    run_into_form,
    signed_in_action,
    signed_in_form,
    submit,
)
from marketplace import services as market
from marketplace.access import access_claim, access_task
from marketplace.models import ClaimStatus
from marketplace.selectors import claims_of_provider, volunteer_of
from volunteers.services import volunteer_register

CLAIM_RESULT = {
    ClaimStatus.ACCEPTED: gettext_lazy("Your claim is accepted. The task is yours."),
    ClaimStatus.REQUESTED: gettext_lazy("Your claim is sent; the organisation will decide."),
    ClaimStatus.WAITLISTED: gettext_lazy("Every seat is taken; you are on the waiting list."),
}


def _own_claim(request, claim_id: int):
    """The signed-in provider's own claim; a coordinator's view of it lives on the desk."""
    claim = access_claim(request.user, claim_id)
    if claim.volunteer.user_id != request.user.pk:
        raise Http404()
    return claim


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    if volunteer_of(request.user) is not None:
        return redirect("provider-tasks")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        volunteer = run_into_form(
            form,
            volunteer_register,
            user=request.user,
            kind=data["kind"],
            region=data["region"],
            licence_number=data["licence_number"],
            specialties=data["specialties"],
            languages=data["languages"],
            phone=data["phone"],
        )
        if volunteer is not None:
            messages.success(request, _("Thank you. A regulator of your region will verify your profile."))
            return redirect("provider-tasks")
    return render(request, "frontend/provider/register.html", {"form": form}, status=400 if form.errors else 200)


@signed_in_action
def claim(request, task_id: int):
    task = access_task(request.user, task_id)
    claim = run_action(
        request,
        market.claim_create,
        success=None,
        task=task,
        volunteer=volunteer_of(request.user),
        by=request.user,
    )
    if claim is None:
        return redirect("task-detail", task_id=task.pk)
    messages.success(request, CLAIM_RESULT.get(claim.status, _("Claim sent.")))
    return redirect("provider-claim", claim_id=claim.pk)


@login_required
def my_tasks(request):
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        return redirect("provider-register")
    claims = claims_of_provider(request.user, volunteer, past_limit=50)
    context = {"volunteer": volunteer, "live": claims.live, "past": claims.past}
    return render(request, "frontend/provider/my_tasks.html", context)


def _claim_context(request, claim, *, hour_form=None, confidential=None):
    return {
        "claim": claim,
        "task": claim.task,
        "logs": hour_logs_of_claim(request.user, claim),
        "hour_form": hour_form or HourLogForm(initial={"date": timezone.localdate()}),
        "confidential": confidential,
    }


@login_required
@domain_errors_as_http
def claim_detail(request, claim_id: int):
    claim = _own_claim(request, claim_id)
    return render(request, "frontend/provider/claim.html", _claim_context(request, claim))


@signed_in_form
def withdraw(request, claim_id: int):
    """Withdraw a claim, or decline an assignment (指派): both with a reason."""
    claim = _own_claim(request, claim_id)
    declining = claim.can_decline_assignment
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = market.claim_decline if declining else market.claim_withdraw
        done = run_into_form(form, service, claim=claim, reason=form.cleaned_data["reason"], by=request.user)
        if done is not None:
            messages.success(
                request,
                _("Your refusal is recorded; the legal aid centre rules on it. You keep the case until it accepts.")
                if declining
                else _("Your claim is withdrawn."),
            )
            return redirect("provider-tasks")
    status = 400 if form.errors else 200
    context = {"claim": claim, "task": claim.task, "form": form, "declining": declining}
    return render(request, "frontend/provider/withdraw.html", context, status=status)


@login_required
@require_POST
@never_cache
@domain_errors_as_http
def confirm_no_conflict(request, claim_id: int):
    """Confirming shows the aided person's details in the answer to this POST, never in a GET
    page, so they do not linger in history or caches; each showing is recorded."""
    claim = _own_claim(request, claim_id)
    details = run_action(
        request, market.claim_confirm_no_conflict, success=_("Thank you for confirming."), claim=claim, by=request.user
    )
    if details is None:
        return redirect("provider-claim", claim_id=claim.pk)
    claim.refresh_from_db()
    context = _claim_context(request, claim, confidential=details if details is not True else {})
    response = render(request, "frontend/provider/claim.html", context)
    response["Cache-Control"] = "no-store"
    return response


@signed_in_action
def log_hours(request, claim_id: int):
    claim = _own_claim(request, claim_id)
    form = HourLogForm(request.POST)
    if form.is_valid():
        success = _("Hours logged; the organisation will confirm them.")
        logged = submit(
            request, form, duty_services.hours_log, success=success, claim=claim, by=request.user, **form.cleaned_data
        )
        if logged is not None:
            return redirect("provider-claim", claim_id=claim.pk)
    return render(request, "frontend/provider/claim.html", _claim_context(request, claim, hour_form=form), status=400)


@login_required
def my_duty(request):
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        return redirect("provider-register")
    year, years = query_recent_year(request)
    progress = progress_for(volunteer, year)
    bars = progress_rows(
        hours=progress.hours,
        required_hours=progress.required_hours,
        cases=progress.cases,
        required_cases=progress.required_cases,
        expected_hours=progress.expected_hours,
    )
    context = {
        "volunteer": volunteer,
        "year": year,
        "years": years,
        "progress": progress,
        "bars": bars,
        "chart_height": len(bars) * 44 + 4,
        "entries": entries_of_volunteer(request.user, volunteer, year=year, newest_first=True, limit=200),
        "reviews": reviews_of_volunteer(request.user, volunteer),
    }
    return render(request, "frontend/provider/my_duty.html", context)
