"""Subsidy pages (办案补贴, Art. 52): the centre's lines and payment batches, the justice
bureau's schedules. Each form calls the same service as the API (duties.subsidies.services)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from duties.subsidies import access, selectors, services
from duties.subsidies.models import SubsidyStatus
from frontend.params import query_page
from frontend.subsidy_forms import BatchForm, ScheduleForm
from frontend.views.common import run_action, run_into_form, signed_in_action, signed_in_form
from marketplace.core.errors import DomainError
from organizations.models import Organization, OrganizationKind, Region
from organizations.selectors import within_regions

LIST_LIMIT = 200  # priced lines offered for one batch, the oldest first
LINES_PAGE = 50


def _guard(check, user):
    try:
        return check(user)
    except DomainError as exc:
        raise PermissionDenied(exc.detail) from None


@signed_in_form
def lines(request):
    """The lines the caller may read (unpriced ones flagged), the batches, and for a centre the
    form batching its priced lines."""
    roles = _guard(access.require_line_reader, request.user)
    status = request.GET.get("status", "")
    if status not in SubsidyStatus.values:
        status = ""
    listed = selectors.lines_for(request.user).select_related("task").order_by("-created_at", "-id")
    if status:
        listed = listed.filter(status=status)
    page = query_page(request, listed, LINES_PAGE)
    centres = list(Organization.objects.filter(pk__in=roles.centre_ids).order_by("pk"))
    batchable = list(
        selectors.lines_for(request.user)
        .filter(organization_id__in=roles.centre_ids, status=SubsidyStatus.PRICED, batch__isnull=True)
        .order_by("created_at", "id")[:LIST_LIMIT]
    )
    form = None
    if centres:
        centre = centres[0]
        data = request.POST if request.method == "POST" else None
        form = BatchForm(
            data,
            line_ids=[line.pk for line in batchable if line.organization_id == centre.pk],
            initial={"organization": centre.pk},
        )
        if data is not None and form.is_valid():
            batch = run_into_form(
                form,
                services.subsidy_batch_create,
                organization=centre,
                line_ids=form.cleaned_data["lines"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
            if batch is not None:
                messages.success(request, _("Batch %(id)s created.") % {"id": batch.pk})
                return redirect("subsidies")
    context = {
        "page": page,
        "lines": page.object_list,
        "batchable": [line for line in batchable if centres and line.organization_id == centres[0].pk],
        "batches": list(selectors.batches_for(request.user)[:50]),
        "form": form,
        "is_centre": bool(centres),
        "status": status,
        "statuses": SubsidyStatus.choices,
        "unpriced": selectors.lines_for(request.user).filter(status=SubsidyStatus.UNPRICED).count(),
    }
    return render(request, "frontend/subsidies/lines.html", context, status=400 if form and form.errors else 200)


@signed_in_action
def batch_paid(request, batch_id: int):
    _guard(access.require_centre, request.user)
    batch = access.access_batch(request.user, batch_id, for_write=True)
    run_action(request, services.subsidy_batch_paid, success=_("Batch marked paid."), batch=batch, by=request.user)
    return redirect("subsidies")


@signed_in_action
def line_reprice(request, line_id: int):
    _guard(access.require_centre, request.user)
    line = access.access_line(request.user, line_id, for_write=True)
    run_action(request, services.subsidy_reprice, success=_("Line priced again."), line=line, by=request.user)
    return redirect(reverse("subsidies") + f"#line-{line_id}")


@signed_in_form
def schedules(request):
    """Every schedule version; a justice bureau also gets the form of a new version."""
    roles = _guard(access.require_schedule_reader, request.user)
    form = None
    bureau_regions = roles.regions_regulated_as(OrganizationKind.JUSTICE_BUREAU)
    if bureau_regions:
        regions = Region.objects.filter(within_regions(bureau_regions, field=None)).order_by("path")
        data = request.POST if request.method == "POST" else None
        form = ScheduleForm(data, regions=list(regions))
        if data is not None and form.is_valid():
            v = form.cleaned_data
            schedule = run_into_form(
                form,
                services.subsidy_schedule_create,
                year=v["year"],
                region=Region.objects.get(code=v["region"]),
                rates=[services.RateInput(kind, stage, amount) for kind, stage, amount in form.rates()],
                duty_half_day=v["duty_half_day"],
                travel_supplement=v["travel_supplement"],
                multipliers={g: v[f"multiplier_{g}"] for g in ("excellent", "good", "pass", "fail")},
                note=v["note"],
                by=request.user,
            )
            if schedule is not None:
                messages.success(
                    request,
                    _("Schedule %(year)s version %(version)s saved.")
                    % {"year": schedule.year, "version": schedule.version},
                )
                return redirect("subsidy-schedules")
    elif request.method == "POST":
        raise PermissionDenied(_("Only a justice bureau sets subsidy schedules."))
    context = {"schedules": list(access.schedules_visible_to(request.user)[:50]), "form": form}
    return render(request, "frontend/subsidies/schedules.html", context, status=400 if form and form.errors else 200)
