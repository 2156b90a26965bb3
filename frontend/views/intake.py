"""Intake pages (受理): a centre's desk of applications, a station's form and list, the justice
bureau's objections, a law firm's assignments, and a regulator's counts.

Every action calls the service the API calls; a refusal comes back as a message on the page it
came from (or beside the field of the registration form). Nothing here decides who may do what:
the services do, and the guards only choose who sees a page at all.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from frontend.forms import ReasonForm
from frontend.intake_forms import (
    ApplicationForm,
    DecideForm,
    FirmForm,
    GroundsForm,
    HandlerForm,
    ItemsForm,
    ObjectionDecideForm,
)
from frontend.params import query_choice, query_page, query_year
from frontend.views.common import (
    domain_errors_as_http,
    posted_form,
    role_required,
    run_action,
    signed_in_action,
    signed_in_form,
)
from frontend.views.coordinator import assign_listed
from marketplace import services as market
from marketplace.access import access_claim
from marketplace.applications import assignment as firm_services
from marketplace.applications import selectors
from marketplace.applications import services as intake
from marketplace.applications.access import access_application
from marketplace.applications.models import (
    DECIDED_STATUSES,
    Application,
    ApplicationStatus,
    AssignmentRefusal,
    Decision,
    FirmAssignment,
    Objection,
)
from marketplace.core.errors import DomainError, Forbidden, NotFound, OwnRecord
from marketplace.models import Claim
from marketplace.selectors import assignment_candidates, region_eligible
from organizations.models import Organization, OrganizationKind
from organizations.roles import roles_of
from volunteers.models import Volunteer, VolunteerKind, VolunteerStatus

QUEUE_PAGE = 50


def _require_intake(roles) -> None:
    if not any(org.kind in selectors.INTAKE_KINDS for org in roles.coordinated_organizations):
        raise Forbidden(_("The intake desk is for legal aid centres and their stations."))


def _require_bureau(roles) -> None:
    roles.require_regulator(
        kind=OrganizationKind.JUSTICE_BUREAU, detail=_("Objections are decided by justice bureaus.")
    )


def _require_regulator(roles) -> None:
    roles.require_regulator(detail=_("The statistics of applications are for regulators."))


def _require_firm(roles) -> None:
    if not any(org.kind == OrganizationKind.LAW_FIRM for org in roles.coordinated_organizations):
        raise Forbidden(_("This page is for the directors of law firms."))


intake_required = role_required(_require_intake)
bureau_required = role_required(_require_bureau)
firm_required = role_required(_require_firm)
stats_required = role_required(_require_regulator)


def _intake_organizations(user):
    return [org for org in roles_of(user).coordinated_organizations if org.kind in selectors.INTAKE_KINDS]


# Refusals of the role itself (a station deciding, a centre deciding an objection): a 403 page, as
# the API answers. Other refusals (not eligible, a conflict, a wrong state) are messages.
ROLE_REFUSALS = frozenset({"permission_denied", "not_legal_aid_center", "not_station", "not_justice_bureau"})


def _guarded(service):
    def call(**kwargs):
        try:
            return service(**kwargs)
        except Forbidden as exc:
            if exc.code in ROLE_REFUSALS:
                raise PermissionDenied(exc.detail) from None
            raise

    return call


def _detail(pk: int):
    return redirect("intake-application", application_id=pk)


# --- the desk --------------------------------------------------------------------------------


@login_required
@intake_required
def queue(request):
    show = query_choice(request, "show", selectors.QUEUE_VIEWS, default="todo")
    today = timezone.localdate()
    page = query_page(request, selectors.intake_queue(request.user, today=today, show=show), QUEUE_PAGE)
    organizations = _intake_organizations(request.user)
    context = {
        "page": page,
        "show": show,
        "views": [
            ("todo", _("To do")),
            ("overdue", _("Overdue")),
            ("materials", _("Waiting for materials")),
            ("assign", _("To assign")),
            ("all", _("All")),
        ],
        "today": today,
        "now": timezone.now(),
        "is_centre": roles_of(request.user).is_centre_coordinator,
        "station_only": not any(o.kind == OrganizationKind.LEGAL_AID_CENTER for o in organizations),
    }
    return render(request, "frontend/intake/queue.html", context)


@signed_in_form
@intake_required
def new(request):
    organizations = Organization.objects.filter(pk__in=[o.pk for o in _intake_organizations(request.user)])
    first = organizations.order_by("id").first()
    initial = {"region": first.region_id, "channel": "walk_in"} if first else {}
    form = ApplicationForm(request.POST or None, organizations=organizations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = intake.application_register(by=request.user, **form.service_arguments())
        except DomainError as exc:
            if isinstance(exc, NotFound | OwnRecord) or (isinstance(exc, Forbidden) and exc.code == Forbidden.code):
                raise
            field = ApplicationForm.field_for(exc.field)
            form.add_error(field if field in form.fields else None, exc.detail)
        else:
            if application.centre_id:
                messages.success(
                    request,
                    _("Registered as %(number)s; the decision is due by %(due)s.")
                    % {"number": application.number, "due": application.decision_due},
                )
            else:
                messages.success(request, _("Registered. Forward it to the legal aid centre."))
            return _detail(application.pk)
    status = 400 if form.errors else 200
    return render(request, "frontend/intake/new.html", {"form": form}, status=status)


def _law_firms(case):
    firms = Organization.objects.filter(kind=OrganizationKind.LAW_FIRM).select_related("region").order_by("name")
    return [firm for firm in firms if region_eligible(case.region, firm.region)]


@login_required
@domain_errors_as_http
def application(request, application_id: int, parties=None):
    today = timezone.localdate()
    application = access_application(request.user, application_id, today=today)
    roles = roles_of(request.user)
    is_centre = roles.coordinates_centre(application.centre_id)
    is_station = (
        roles.is_coordinator_of(application.organization_id)
        and application.organization.kind in selectors.STATION_KINDS
    )
    case = application.case
    firm_assignments = list(case.firm_assignments.all()) if case else []
    awaiting_firm = next((f for f in firm_assignments if f.awaits_handler), None)
    claims = []
    refusals = []
    if case is not None and is_centre:
        claims = list(
            Claim.objects.filter(task=case, is_assignment=True)
            .select_related("volunteer__user", "refusal")
            .order_by("-created_at", "-id")
        )
        refusals = [c for c in claims if _refusal(c) is not None and _refusal(c).awaits_ruling]
    can_assign = (
        is_centre
        and case is not None
        and (case.takes_claims or case.is_draft)
        and case.seats_taken < case.seats
        and awaiting_firm is None
    )
    candidates = assignment_candidates(task=case, now=timezone.now(), for_user=request.user)[:20] if can_assign else []
    context = {
        "application": application,
        "history": application.events.select_related("by").order_by("at", "id"),
        "is_centre": is_centre,
        "is_station": is_station,
        "can_forward": is_station and application.status == ApplicationStatus.RECEIVED,
        "can_review": is_centre and application.status == ApplicationStatus.UNDER_REVIEW,
        "awaiting_materials": is_centre and application.status == ApplicationStatus.MATERIALS_PENDING,
        "can_object": is_centre and application.status == ApplicationStatus.REFUSED,
        "has_letter": (is_centre or bool(selectors.objection_bureau_memberships(request.user, application)))
        and application.status in DECIDED_STATUSES,
        "parties": parties,
        "can_see_parties": selectors.can_see_identity(request.user, application),
        "case": case,
        "claims": claims,
        "refusals": refusals,
        "can_assign": can_assign,
        "candidates": candidates,
        "awaiting_firm": awaiting_firm,
        "firm_assignments": firm_assignments,
        "now": timezone.now(),
        "materials_request": _last(application.materials_requests.all()),
        "items_form": ItemsForm(),
        "decide_form": DecideForm(),
        "grounds_form": GroundsForm(),
        "firm_form": FirmForm(firms=Organization.objects.filter(pk__in=[f.pk for f in _law_firms(case)]))
        if can_assign
        else None,
        "withdraw_form": ReasonForm(),
    }
    return render(request, "frontend/intake/application.html", context)


def _refusal(claim: Claim) -> AssignmentRefusal | None:
    try:
        return claim.refusal
    except AssignmentRefusal.DoesNotExist:
        return None


@login_required
@require_POST
@never_cache
@domain_errors_as_http
def reveal_parties(request, application_id: int):
    """The parties are shown in the answer to this POST only (never in a GET page, so they do not
    linger in history or caches); each showing is recorded."""
    today = timezone.localdate()
    found = access_application(request.user, application_id, today=today)
    parties = intake.application_reveal_identity(
        application=found, by=request.user, via="application_detail", required=True
    )
    return application(request, application_id, parties=parties)


def _application_action(
    service: Callable,
    success: Promise | Callable[[dict], str],
    *,
    form_class: type[forms.Form] | None = None,
) -> Callable:
    """The POST view of one button of the application page: call ``service`` on the application,
    with the fields of ``form_class`` (when the button has a form) as they are named; say
    ``success`` (or ``success(fields)``) or the refusal, and go back to the application."""

    @signed_in_action
    def view(request, application_id: int):
        values = {}
        if form_class is not None:
            form = posted_form(request, form_class)
            if form is None:
                return _detail(application_id)
            values = form.cleaned_data
        found = access_application(request.user, application_id, today=timezone.localdate())
        said = success(values) if callable(success) else str(success)
        run_action(request, _guarded(service), success=said, application=found, by=request.user, **values)
        return _detail(found.pk)

    return view


forward = _application_action(intake.application_forward, gettext_lazy("Forwarded to the legal aid centre."))
request_materials = _application_action(
    intake.application_request_materials,
    gettext_lazy("The list of missing materials is recorded; the clock stops until they arrive."),
    form_class=ItemsForm,
)
materials_received = _application_action(
    intake.application_materials_received, gettext_lazy("The materials arrived; the clock runs again.")
)
decide = _application_action(
    intake.application_decide,
    lambda data: (
        _("Approved: assign the case within the time shown.")
        if data["decision"] == "approve"
        else _("Refused, with reasons.")
    ),
    form_class=DecideForm,
)
objection = _application_action(
    intake.objection_register,
    gettext_lazy("The objection is registered; the justice bureau decides it."),
    form_class=GroundsForm,
)


def _case_of(request, application_id: int):
    found = access_application(request.user, application_id, today=timezone.localdate())
    if found.case is None:
        messages.error(request, _("This application has no case to assign yet."))
        return found, None
    return found, found.case


@signed_in_action
def assign(request, application_id: int):
    """Assign the case to one of the listed providers, or to a law firm."""
    found, case = _case_of(request, application_id)
    if case is None:
        return _detail(found.pk)
    if request.POST.get("law_firm"):
        firms = Organization.objects.filter(kind=OrganizationKind.LAW_FIRM)
        form = posted_form(request, FirmForm, invalid=_("Choose a law firm."), firms=firms)
        if form is None:
            return _detail(found.pk)
        firm = form.cleaned_data["law_firm"]
        run_action(
            request,
            _guarded(firm_services.firm_assign),
            success=_("Assigned to %(firm)s; it names the handler within 24 hours.") % {"firm": firm.name},
            task=case,
            law_firm=firm,
            by=request.user,
        )
        return _detail(found.pk)
    assign_listed(request, case, _guarded(market.task_assign))
    return _detail(found.pk)


@signed_in_action
def firm_withdraw(request, application_id: int):
    found, case = _case_of(request, application_id)
    form = ReasonForm(request.POST)
    if case is not None and not form.is_valid():
        messages.error(request, _("Say why the assignment is withdrawn."))
    elif case is not None:
        run_action(
            request,
            _guarded(firm_services.firm_withdraw),
            success=_("The case is taken back from the law firm; assign it again."),
            task=case,
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    return _detail(found.pk)


@signed_in_action
def ruling(request, application_id: int, claim_id: int):
    """The centre rules on a handler's refusal: ``accepted`` 1 (a good reason) or 0."""
    found = access_application(request.user, application_id, today=timezone.localdate())
    claim = access_claim(request.user, claim_id)
    if claim.task_id != found.case_id:
        messages.error(request, _("That assignment is not this application's."))
        return _detail(found.pk)
    accepted = request.POST.get("accepted") == "1"
    run_action(
        request,
        _guarded(market.claim_refusal_rule),
        success=_("Refusal accepted: assign the case to someone else.")
        if accepted
        else _("Refusal rejected: the handler keeps the case."),
        claim=claim,
        accepted=accepted,
        by=request.user,
    )
    return _detail(found.pk)


# --- the justice bureau: objections ----------------------------------------------------------


@dataclass(frozen=True)
class ObjectionRow:
    application: Application
    refusal: Decision | None
    objection: Objection | None


def _last(items):
    items = list(items)
    return items[-1] if items else None


@login_required
@bureau_required
def objections(request):
    today = timezone.localdate()
    pending = (
        selectors.with_next_due(
            selectors.applications_visible_to(request.user, today=today).filter(
                status=ApplicationStatus.OBJECTION_PENDING
            )
        )
        .select_related("centre", "region")
        .prefetch_related("objections", "decisions")
        .order_by("objection_due", "id")
    )
    rows = [
        ObjectionRow(application=a, refusal=_last(a.decisions.all()), objection=_last(a.objections.all()))
        for a in pending
        if selectors.objection_bureau_memberships(request.user, a)
    ]
    context = {"rows": rows, "form": ObjectionDecideForm(), "today": today}
    return render(request, "frontend/intake/objections.html", context)


@signed_in_action
def objection_decide(request, application_id: int):
    form = posted_form(request, ObjectionDecideForm)
    if form is None:
        return redirect("intake-objections")
    found = access_application(request.user, application_id, today=timezone.localdate())
    run_action(
        request,
        _guarded(intake.objection_decide),
        success=_("The objection of %(number)s is decided.") % {"number": found.number},
        application=found,
        upheld=form.cleaned_data["upheld"],
        reasons=form.cleaned_data["reasons"],
        by=request.user,
    )
    return redirect("intake-objections")


# --- law firms: naming the handler -----------------------------------------------------------

FIRM_DONE_SHOWN = 100


def _firm_lawyers(firm_ids):
    return (
        Volunteer.objects.filter(
            practice_org_id__in=firm_ids, kind=VolunteerKind.LAWYER, status=VolunteerStatus.VERIFIED
        )
        .select_related("user")
        .order_by("user__first_name", "id")
    )


@login_required
@firm_required
def firm(request):
    firm_ids = [o.pk for o in roles_of(request.user).coordinated_organizations if o.kind == OrganizationKind.LAW_FIRM]
    desk = firm_services.firm_desk(request.user, firm_ids=firm_ids, done_limit=FIRM_DONE_SHOWN)
    context = {
        "awaiting": desk.awaiting,
        "done": desk.done,
        "lawyers": list(_firm_lawyers(firm_ids)),
        "now": timezone.now(),
    }
    return render(request, "frontend/intake/firm.html", context)


@signed_in_action
def name_handler(request, task_id: int):
    assignment: FirmAssignment = firm_services.access_directed_assignment(request.user, task_id)
    lawyers = Volunteer.objects.filter(practice_org_id=assignment.law_firm_id)
    form = posted_form(request, HandlerForm, invalid=_("Choose one of the firm's lawyers."), lawyers=lawyers)
    if form is None:
        return redirect("intake-firm")
    volunteer = form.cleaned_data["volunteer"]
    run_action(
        request,
        firm_services.firm_name_handler,
        success=_("%(name)s handles the case.") % {"name": volunteer.display_name},
        task_id=task_id,
        volunteer=volunteer,
        by=request.user,
    )
    return redirect("intake-firm")


# --- regulators: counts ----------------------------------------------------------------------


@login_required
@stats_required
def stats(request):
    roles = roles_of(request.user)
    today = timezone.localdate()
    year = query_year(request, default=today.year)
    rows = []
    for region in roles.regulated_regions:
        rows.append(selectors.application_stats(region=region, year=year, today=today))
    context = {"rows": rows, "year": year, "years": range(today.year, today.year - 5, -1)}
    return render(request, "frontend/intake/stats.html", context)
