"""Case pages: the case file (handler, centre, regulators) and the centre's closing queue.

The handler records progress, files documents and the closing report; the centre records the
aided person's reports, reviews the closing, terminates the aid and evaluates quality; a
regulator of the region reads the file and, for a justice bureau, evaluates. Each form calls the
same service as the API (marketplace.cases.services).
"""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from frontend.case_forms import ClosingForm, DocumentForm, EvaluationForm, MilestoneForm, ReviewForm, TerminateForm
from frontend.params import first_and_count, query_page
from frontend.views.common import add_domain_error, signed_in_action, signed_in_page
from marketplace.cases import selectors, services
from marketplace.cases.access import access_case, access_document
from marketplace.core.errors import DomainError, Forbidden, NotFound, OwnRecord
from organizations.roles import Roles, roles_of

# The cases in progress, a page at a time; above them the closings to review, the longest waiting
# first, and the overdue closings, the most overdue first, each up to SHOWN (the headings count
# them all).
CASES_PAGE = 50
SHOWN = 100


def _forms(roles, documents) -> dict:
    """Blank forms for what the user may do on the case now."""
    task = roles.task
    can_add = task.is_case and (roles.is_handler or roles.centre) and task.status in services.OPEN_FILE_STATUSES
    return {
        "milestone_form": MilestoneForm(initial={"date": timezone.localdate()}) if can_add else None,
        "document_form": DocumentForm() if can_add else None,
        "closing_form": ClosingForm(documents=documents) if roles.is_handler and task.case_in_progress else None,
        "review_form": ReviewForm() if roles.centre and task.in_closing_review else None,
        "terminate_form": TerminateForm() if roles.centre and task.is_case and task.is_editable else None,
        "evaluation_form": EvaluationForm() if (roles.centre or roles.bureau) and roles.lead is not None else None,
    }


def _render(request, roles, *, bound: dict | None = None, status: int = 200):
    task = roles.task
    documents = list(selectors.documents_of(task)) if roles.reads_documents else []
    reports = list(selectors.closing_reports_of(task))
    context = {
        "task": task,
        "roles": roles,
        "milestones": list(selectors.milestones_of(task)),
        "documents": documents,
        "reports": reports,
        "termination": getattr(task, "termination", None),
        "evaluations": list(selectors.evaluations_of(task)),
        "filed_ids": {d.pk for r in reports for d in r.documents.all()},
        "closing_due": selectors.closing_due_for(task),
        "today": timezone.localdate(),
        **_forms(roles, documents),
        **(bound or {}),
    }
    return render(request, "frontend/cases/case.html", context, status=status)


@signed_in_page
def case_page(request, task_id: int):
    return _render(request, access_case(request.user, task_id))


def _case_form_action(
    form_name: str,
    form_class: type[forms.Form],
    service: Callable,
    success: Promise | Callable[[dict], str],
    *,
    values: Callable[[dict], dict] = dict,
    form_kwargs: Callable[[Roles], dict] = lambda roles: {},
) -> Callable:
    """The POST view of one form of the case page: validate the form, call ``service`` with the
    case, the user and ``values(cleaned_data)``; on success say ``success`` (or ``success(data)``)
    and go back to the case; on refusal show the case page with the form's errors."""

    @signed_in_action
    def view(request, task_id: int):
        roles = access_case(request.user, task_id)
        form = form_class(request.POST, request.FILES, **form_kwargs(roles))
        if form.is_valid():
            try:
                done = service(task=roles.task, by=request.user, **values(form.cleaned_data))
            except (NotFound, OwnRecord):
                raise
            except Forbidden as exc:
                # A role the user does not hold on this case ("only the centre reviews"): a 403 page.
                raise PermissionDenied(exc.detail) from None
            except DomainError as exc:
                add_domain_error(form, exc)
                done = None
            if done is not None:
                messages.success(request, success(form.cleaned_data) if callable(success) else str(success))
                return redirect("case", task_id=roles.task.pk)
        return _render(request, roles, bound={form_name: form}, status=400)

    return view


milestone = _case_form_action(
    "milestone_form", MilestoneForm, services.milestone_record, gettext_lazy("The progress is recorded.")
)
document = _case_form_action(
    "document_form",
    DocumentForm,
    services.document_upload,
    gettext_lazy("The document is filed to the case."),
    values=lambda data: {"upload": data["file"]},
)
closing = _case_form_action(
    "closing_form",
    ClosingForm,
    services.closing_file,
    gettext_lazy("The closing report is filed; the legal aid centre reviews it."),
    form_kwargs=lambda roles: {"documents": selectors.documents_of(roles.task)},
)
closing_review = _case_form_action(
    "review_form",
    ReviewForm,
    services.closing_review,
    lambda data: (
        _("The closing is accepted: the case is completed and credited to its handler.")
        if data["accepted"]
        else _("The closing is returned to the handler.")
    ),
)
terminate = _case_form_action(
    "terminate_form",
    TerminateForm,
    services.case_terminate,
    gettext_lazy("The legal aid is terminated; the handler is told."),
)
evaluation = _case_form_action(
    "evaluation_form", EvaluationForm, services.evaluation_record, gettext_lazy("The evaluation is recorded.")
)


@signed_in_page
def document_download(request, document_id: int):
    document = access_document(request.user, document_id)
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.name, content_type=document.content_type
    )
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_GET
def closing_queue(request):
    """The centre's desk for closings: reports awaiting review (longest waiting first, filed late
    in red), closings overdue with their handler (in red), and every case in progress with its
    last milestone and the days since."""
    if not roles_of(request.user).is_coordinator:
        raise PermissionDenied(_("Only coordinators of an organisation use the desk."))
    today = timezone.localdate()
    page = query_page(request, selectors.cases_in_progress_for(request.user, today=today), CASES_PAGE)
    overdue = selectors.cases_in_progress_for(request.user, today=today, overdue_only=True).order_by("ended", "id")
    overdue, overdue_count = first_and_count(overdue, SHOWN)
    queue, queue_count = first_and_count(selectors.closing_queue_for(request.user), SHOWN)
    context = {
        "queue": selectors.queue_rows(queue, today=today),
        "queue_count": queue_count,
        "overdue": selectors.case_rows(overdue, today=today),
        "overdue_count": overdue_count,
        "page": page,
        "cases": selectors.case_rows(page.object_list, today=today),
        "today": today,
        "is_centre": roles_of(request.user).is_centre_coordinator,
    }
    return render(request, "frontend/cases/queue.html", context)
