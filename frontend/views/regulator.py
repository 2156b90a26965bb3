"""Regulators' pages: verify providers, quota rules, compliance, the annual review, refusals."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from duties import services as duty_services
from duties.access import access_review, access_rule_for_write
from duties.complaints.selectors import complaints_against
from duties.models import CreditKind, ProgressStatus, ReviewStatus, SatisfiedBy
from duties.selectors import (
    compliance_report,
    compliance_rows_with_status,
    duty_rules,
    entries_of_volunteer,
    jurisdiction_regions,
    progress_for,
    review_rows,
    reviews_in_region,
    reviews_of_volunteer,
    rule_in_use,
    year_has_ended,
)
from frontend.charts import stacked_bars
from frontend.forms import (
    BulkDecisionForm,
    DutyRuleForm,
    ReviewDecisionForm,
    ReviewOpenForm,
    VerifyForm,
    YearRegionForm,
)
from frontend.params import ignore_invalid, query_choice, query_page, query_recent_year
from frontend.views.common import (
    add_domain_error,
    back,
    domain_errors_as_http,
    posted_form,
    regulator_required,
    run_action,
    run_form_action,
    run_into_form,
    signed_in_action,
    signed_in_form,
)
from marketplace.core.errors import Conflict, Invalid
from marketplace.selectors import declined_assignments_for
from organizations.roles import roles_of
from volunteers import assessment
from volunteers.access import access_volunteer
from volunteers.models import VolunteerKind, VolunteerStatus
from volunteers.selectors import volunteers_to_verify
from volunteers.services import volunteer_verify

PROGRESS_KEYS = ProgressStatus.values


def _reviews_url(year: int, region=None) -> str:
    query = {"year": year} if region is None else {"year": year, "region": region.code}
    return f"{reverse('regulator-reviews')}?{urlencode(query)}"


def _year_region(request, *, default_year: int):
    """The year and region the page is about, from the query string, within the jurisdiction."""
    regions = jurisdiction_regions(request.user)
    top = roles_of(request.user).regulated_regions
    form = YearRegionForm(request.GET or None, regions=regions)
    if request.GET and form.is_valid():
        return form.cleaned_data["year"], form.cleaned_data["region"], form
    # Each falls back to its default on its own; a value sent but not valid is said to be ignored.
    chosen = form.cleaned_data if form.is_bound else {}
    for name in form.errors:
        if request.GET.get(name):
            ignore_invalid(request, name, request.GET[name])
    year = chosen.get("year", default_year)
    region = chosen.get("region", top[0] if top else None)
    form = YearRegionForm(initial={"year": year, "region": region.code if region else None}, regions=regions)
    return year, region, form


@login_required
@domain_errors_as_http
@regulator_required
def providers(request):
    status = query_choice(request, "status", [*VolunteerStatus.values, "all"], default=VolunteerStatus.PENDING)
    if status not in VolunteerStatus.values:
        status = ""
    page = query_page(request, volunteers_to_verify(request.user, status=status or None), 50)
    tabs = [*VolunteerStatus.choices, ("all", _("All"))]
    context = {"page": page, "status": status, "tabs": tabs, "tab": status or "all"}
    return render(request, "frontend/regulator/providers.html", context)


@login_required
@domain_errors_as_http
@regulator_required
def provider_detail(request, volunteer_id: int):
    volunteer = access_volunteer(request.user, volunteer_id, for_verify=True)
    year, years = query_recent_year(request)
    context = {
        "volunteer": volunteer,
        "year": year,
        "years": years,
        "progress": progress_for(volunteer, year),
        "entries": entries_of_volunteer(request.user, volunteer, year=year, newest_first=False, limit=500),
        "reviews": reviews_of_volunteer(request.user, volunteer),
        "verify_form": VerifyForm(),
        # Complaints about the provider (Art. 57-59), for every regulator who may see the provider.
        "complaints": list(complaints_against(volunteer)[:50]),
    }
    return render(request, "frontend/regulator/provider.html", context)


@signed_in_action
def provider_verify(request, volunteer_id: int):
    volunteer = access_volunteer(request.user, volunteer_id, for_verify=True)
    form = posted_form(request, VerifyForm, invalid=_("Choose a decision."))
    if form is not None:
        run_action(
            request,
            volunteer_verify,
            success=_("The provider's status is now: %(s)s.")
            % {"s": VolunteerStatus(form.cleaned_data["status"]).label},
            volunteer=volunteer,
            by=request.user,
            **form.cleaned_data,
        )
    return back(request, reverse("regulator-provider", args=[volunteer.pk]))


@signed_in_form
@regulator_required
def rules(request):
    regions = jurisdiction_regions(request.user)
    top = roles_of(request.user).regulated_regions
    initial = {
        "year": timezone.localdate().year,
        "region": top[0].code if top else None,
        "satisfied_by": SatisfiedBy.ANY,
    }
    form = DutyRuleForm(request.POST or None, regions=regions, initial=initial)
    if request.method == "POST" and form.is_valid():
        rule = run_into_form(form, duty_services.rule_create, by=request.user, **form.cleaned_data)
        if rule is not None:
            messages.success(request, _("The rule is saved."))
            return redirect("regulator-rules")
    rule_list = duty_rules(region_codes=roles_of(request.user).jurisdiction_codes())[:300]
    kinds = dict(VolunteerKind.choices)
    context = {"form": form, "rules": rule_list, "kinds": kinds, "credit_kinds": dict(CreditKind.choices)}
    return render(request, "frontend/regulator/rules.html", context, status=400 if form.errors else 200)


@signed_in_form
@regulator_required
def rule_edit(request, rule_id: int):
    """Correct a rule of the jurisdiction until a review recorded it (then the service says 409)."""
    rule = access_rule_for_write(request.user, rule_id)
    initial = {
        "year": rule.year,
        "region": rule.region_id,
        "volunteer_kind": rule.volunteer_kind,
        "min_hours": rule.min_hours,
        "min_cases": rule.min_cases,
        "satisfied_by": rule.satisfied_by,
        "credit_kinds": rule.counted_kinds,
    }
    form = DutyRuleForm(request.POST or None, regions=jurisdiction_regions(request.user), initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            duty_services.rule_update(rule=rule, by=request.user, **form.cleaned_data)
        except (Invalid, Conflict) as exc:
            add_domain_error(form, exc)
            status = exc.status
        else:
            messages.success(request, _("The rule is corrected."))
            return redirect("regulator-rules")
    elif form.errors:
        status = 400
    context = {"form": form, "rule": rule, "in_use": rule_in_use(rule)}
    return render(request, "frontend/regulator/rule_edit.html", context, status=status)


@signed_in_action
@regulator_required
def rule_delete(request, rule_id: int):
    rule = access_rule_for_write(request.user, rule_id)
    run_action(request, duty_services.rule_delete, success=_("The rule is deleted."), rule=rule, by=request.user)
    return redirect("regulator-rules")


@login_required
@domain_errors_as_http
@regulator_required
def compliance(request):
    year, region, form = _year_region(request, default_year=timezone.localdate().year)
    now = timezone.now()
    # Only the kinds of provider the regulator's organisation assesses (volunteers.ASSESSED_BY).
    assessed = assessment.kinds_assessed_by(request.user, region) if region else frozenset()
    report = compliance_report(region=region, year=year, now=now, kinds=assessed) if region else None
    wanted = query_choice(request, "status", PROGRESS_KEYS)
    context = {
        "form": form,
        "report": report,
        "year": year,
        "region": region,
        "keys": PROGRESS_KEYS,
        "year_ended": year_has_ended(year, now),
    }
    if report:
        kinds = dict(VolunteerKind.choices)
        context["district_chart"] = stacked_bars(
            [{"label": d["name"], "counts": d} for d in report["by_district"]], keys=PROGRESS_KEYS
        )
        context["kind_chart"] = stacked_bars(
            [{"label": kinds.get(k["volunteer_kind"], k["volunteer_kind"]), "counts": k} for k in report["by_kind"]],
            keys=PROGRESS_KEYS,
        )
        context["rows"] = compliance_rows_with_status(
            region=region, year=year, now=now, status=wanted, limit=200, kinds=assessed
        )
        context["status"] = wanted
    return render(request, "frontend/regulator/compliance.html", context)


@login_required
@domain_errors_as_http
@regulator_required
def reviews(request):
    year, region, form = _year_region(request, default_year=timezone.localdate().year - 1)
    status = query_choice(request, "status", ReviewStatus.values)
    page = query_page(request, reviews_in_region(request.user, year=year, region=region, status=status), 50)
    now = timezone.now()
    context = {
        "form": form,
        "year": year,
        "region": region,
        "page": page,
        "rows": review_rows(page.object_list, year=year, now=now),
        "status": status,
        # Translated once for the page, not once for each open review's select.
        "decision_choices": [
            (value, str(label)) for value, label in ReviewDecisionForm.base_fields["decision"].choices
        ],
        "year_ended": year_has_ended(year, now),
        "open_form": ReviewOpenForm(auto_id="open_%s"),
    }
    return render(request, "frontend/regulator/reviews.html", context)


def _review_scope(request, form_class, data) -> dict | None:
    """What a review action's form says, valid: the year, a region of the jurisdiction and the
    form's other fields, named as the service's arguments are. None after saying what to choose."""
    form = form_class(data, regions=jurisdiction_regions(request.user))
    if form.is_valid():
        return form.cleaned_data
    messages.error(request, _("Choose a year and a region of your jurisdiction."))
    return None


@signed_in_action
@regulator_required
def reviews_open(request):
    scope = _review_scope(request, ReviewOpenForm, request.POST)
    if scope is None:
        return redirect("regulator-reviews")
    result = run_action(request, duty_services.reviews_open, success=None, by=request.user, **scope)
    if result:
        messages.success(
            request,
            _("Reviews opened: %(opened)s. Open already: %(already)s. Providers without a rule: %(none)s.")
            % {"opened": result["opened"], "already": result["already_open"], "none": result["without_rule"]},
        )
    return redirect(_reviews_url(scope["year"], scope["region"]))


@signed_in_form
@regulator_required
def reviews_decide_compliant(request):
    """GET: the preview (who would be decided compliant, nothing changes). POST: decide; with the
    preview's fingerprint, only if the list is still the one shown."""
    if request.method == "GET":
        return _bulk_preview(request)
    scope = _review_scope(request, BulkDecisionForm, request.POST)
    if scope is None:
        return redirect("regulator-reviews")
    decided = run_action(request, duty_services.reviews_decide_compliant, success=None, by=request.user, **scope)
    if decided is not None:
        n = len(decided)
        messages.success(
            request, ngettext("%(n)s review decided compliant.", "%(n)s reviews decided compliant.", n) % {"n": n}
        )
        for skipped in decided.skipped:
            messages.warning(
                request,
                _("Left open: the review of %(name)s. %(reason)s")
                % {"name": skipped.review.volunteer.display_name, "reason": skipped.detail},
            )
    return redirect(_reviews_url(scope["year"], scope["region"]))


def _bulk_preview(request):
    scope = _review_scope(request, YearRegionForm, request.GET)
    if scope is None:
        return redirect("regulator-reviews")
    year, region = scope["year"], scope["region"]
    preview = duty_services.reviews_decide_compliant(year=year, region=region, by=request.user, dry_run=True)
    confirm = BulkDecisionForm(initial={"year": year, "region": region.code, "preview": preview.preview})
    context = {"year": year, "region": region, "preview": preview, "confirm_form": confirm}
    return render(request, "frontend/regulator/reviews_preview.html", context)


@signed_in_action
def review_decide(request, review_id: int):
    review = access_review(request.user, review_id)
    run_form_action(
        request,
        ReviewDecisionForm,
        duty_services.review_decide,
        success=_("The review of %(name)s is decided.") % {"name": review.volunteer.display_name},
        invalid=_("Choose a decision."),
        review=review,
        by=request.user,
    )
    return back(request, _reviews_url(review.year))


@login_required
@domain_errors_as_http
@regulator_required
def declined(request):
    page = query_page(request, declined_assignments_for(request.user), 50)
    return render(request, "frontend/regulator/declined.html", {"page": page})
