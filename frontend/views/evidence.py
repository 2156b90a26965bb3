"""Evidence pages: the handler's own requests with the form to ask a department, the
department's queue, and one request (with the answer form for the department). Each form calls
the same service as the API (marketplace.evidence.services)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from frontend.case_forms import DocumentForm
from frontend.evidence_forms import EvidenceRequestForm, RespondForm
from frontend.params import query_choice, query_page
from frontend.views.common import run_into_form, signed_in_action, signed_in_form, signed_in_page, submit
from marketplace.core.ids import parse_id
from marketplace.evidence import selectors, services
from marketplace.evidence.access import access_evidence_request
from marketplace.evidence.models import EvidenceStatus
from marketplace.selectors import volunteer_of
from organizations.roles import roles_of

PAGE_SIZE = 20
# The department's tabs: which requests the queue lists.
QUEUE_TABS = (
    ("pending", gettext_lazy("To answer")),
    ("overdue", gettext_lazy("Overdue")),
    ("answered", gettext_lazy("Answered")),
    ("all", gettext_lazy("All")),
)
QUEUE_FILTERS = tuple(value for value, _label in QUEUE_TABS)


def _visible(request):
    return selectors.with_overdue(selectors.evidence_requests_visible_to(request.user), today=timezone.localdate())


@signed_in_form
def my_requests(request):
    """The handler's own requests, and the form to ask a department for a case they handle."""
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        raise PermissionDenied(_("Evidence requests are asked by the handlers of cases."))
    cases = selectors.cases_handled_by(volunteer)
    wanted = parse_id(request.GET.get("task"))
    initial = {"task": wanted} if wanted and cases.filter(pk=wanted).exists() else {}
    form = EvidenceRequestForm(
        request.POST or None,
        tasks=cases,
        departments=selectors.departments().order_by("region__path", "name"),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        created = run_into_form(
            form,
            services.evidence_request_create,
            task=form.cleaned_data["task"],
            department=form.cleaned_data["department"],
            items=form.cleaned_data["items"],
            purpose=form.cleaned_data["purpose"],
            by=request.user,
        )
        if created is not None:
            messages.success(
                request,
                _("The request %(number)s is sent to %(department)s. Print the letter and take it with you.")
                % {"number": created.number, "department": created.department.name},
            )
            return redirect("evidence-detail", request_id=created.pk)
    mine = _visible(request).filter(handler__user=request.user).order_by("-requested_at", "-id")
    context = {"form": form, "has_cases": cases.exists(), "page": query_page(request, mine, PAGE_SIZE)}
    return render(request, "frontend/evidence/mine.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def queue(request):
    """The queue of the departments the user coordinates: pending first, by due day."""
    departments = selectors.coordinated_departments(request.user)
    if not departments:
        raise PermissionDenied(_("The evidence queue is for government departments."))
    show = query_choice(request, "show", QUEUE_FILTERS, default="pending")
    requests = _visible(request).filter(department__in=departments)
    if show == "pending":
        requests = requests.filter(status=EvidenceStatus.PENDING).order_by("due", "id")
    elif show == "overdue":
        requests = requests.filter(overdue=True).order_by("due", "id")
    elif show == "answered":
        requests = requests.exclude(status=EvidenceStatus.PENDING).order_by("-answered_at", "-id")
    else:
        requests = requests.order_by("-requested_at", "-id")
    context = {
        "departments": departments,
        "page": query_page(request, requests, PAGE_SIZE),
        "show": show,
        "filters": QUEUE_TABS,
    }
    return render(request, "frontend/evidence/queue.html", context)


def _detail(request, evidence, *, form=None, document_form=None, status=200):
    is_department = roles_of(request.user).is_coordinator_of(evidence.department_id)
    context = {
        "evidence": evidence,
        "respond_form": form or (RespondForm() if evidence.is_pending and is_department else None),
        "document_form": document_form or (DocumentForm() if evidence.takes_documents and is_department else None),
        "is_department": is_department,
        "is_handler": evidence.handler.user_id == request.user.pk,
        # The case's documents are the handler's and the centre's to download (marketplace.cases).
        "downloads": not is_department
        or roles_of(request.user).is_coordinator_of(evidence.task.organization_id)
        or evidence.handler.user_id == request.user.pk,
    }
    return render(request, "frontend/evidence/detail.html", context, status=status)


@signed_in_page
def detail(request, request_id: int):
    return _detail(request, access_evidence_request(request.user, request_id))


@signed_in_action
def respond(request, request_id: int):
    evidence = access_evidence_request(request.user, request_id)
    form = RespondForm(request.POST)
    if form.is_valid():
        provided = form.cleaned_data["answer"] == "provided"
        if submit(
            request,
            form,
            services.evidence_request_respond,
            success=_("The answer is recorded; the handler and the centre are told."),
            request=evidence,
            provided=provided,
            note=form.cleaned_data["note"],
            fee_waived={"waived": True, "charged": False}.get(form.cleaned_data["fees"]) if provided else None,
            by=request.user,
        ):
            return redirect("evidence-detail", request_id=evidence.pk)
    return _detail(request, evidence, form=form, status=400)


@signed_in_action
def document(request, request_id: int):
    evidence = access_evidence_request(request.user, request_id)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid() and submit(
        request,
        form,
        services.evidence_document_upload,
        success=_("The copy is filed to the case; the handler and the centre can download it."),
        request=evidence,
        upload=form.cleaned_data["file"],
        by=request.user,
    ):
        return redirect("evidence-detail", request_id=evidence.pk)
    return _detail(request, evidence, document_form=form, status=400)
