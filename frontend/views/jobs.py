"""Background jobs' pages: the owner's list, one job's progress (htmx polls it every 2 s until it
ends) with its file when ready, and the regulators' buttons that start them (docs/jobs.md)."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from duties import jobs as duty_jobs
from duties.selectors import jurisdiction_regions
from frontend.forms import YearRegionForm
from frontend.params import query_page
from frontend.views.common import (
    back,
    is_htmx,
    posted_form,
    regulator_required,
    run_action,
    signed_in_action,
    signed_in_page,
)
from marketplace.core import jobs
from marketplace.core.errors import NotFound


@signed_in_page
def job_list(request):
    page = query_page(request, jobs.jobs_of(request.user), 50)
    duty_jobs.described(page.object_list)
    return render(request, "frontend/jobs/list.html", {"page": page})


@signed_in_page
def job_detail(request, job_id: int):
    job = jobs.access_job(request.user, job_id)
    template = "frontend/jobs/_progress.html" if is_htmx(request) else "frontend/jobs/detail.html"
    duty_jobs.described([job])
    return render(request, template, {"job": job, "kind_label": job.kind_label})


@signed_in_action
@regulator_required
def job_start(request, kind: str):
    """A regulator's button: start ``kind`` for the posted year and region (and format), then
    follow it on its page; a refusal goes back to the page with the reason."""
    if kind not in duty_jobs.KINDS:
        raise NotFound()
    form = posted_form(
        request,
        YearRegionForm,
        invalid=_("Choose a year and a region of your jurisdiction."),
        regions=jurisdiction_regions(request.user),
    )
    if form is None:
        return back(request, "/")
    job = run_action(
        request,
        duty_jobs.regulator_job_start,
        success=_("Started in the background: this page shows its progress."),
        kind=kind,
        year=form.cleaned_data["year"],
        region=form.cleaned_data["region"],
        format=request.POST.get("format", ""),
        by=request.user,
    )
    if job is None:
        return back(request, "/")
    return redirect("job", job_id=job.pk)
