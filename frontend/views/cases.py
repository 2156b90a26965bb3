"""Case pages: the case file (handler, centre, regulators) and the centre's closing queue.

The handler records progress, files documents and the closing report; the centre records the
aided person's reports, reviews the closing, terminates the aid and evaluates quality; a
regulator of the region reads the file and, for a justice bureau, evaluates. Each form calls the
same service as the API (marketplace.cases.services).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from frontend.case_forms import ClosingForm, DocumentForm, EvaluationForm, MilestoneForm, ReviewForm, TerminateForm
from frontend.views.common import add_domain_error, signed_in_action, signed_in_page
from marketplace.cases import selectors, services
from marketplace.cases.access import access_case, access_document
from marketplace.core.errors import DomainError, Forbidden, NotFound, OwnRecord
from organizations.roles import roles_of


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


def _post(request, task_id: int, *, form_name: str, form, service, success: str, values):
    """Validate ``form``, call ``service``; on refusal show the case page with the form's errors."""
    roles = access_case(request.user, task_id)
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
            messages.success(request, success)
            return redirect("case", task_id=roles.task.pk)
    return _render(request, roles, bound={form_name: form}, status=400)


@signed_in_action
def milestone(request, task_id: int):
    return _post(
        request,
        task_id,
        form_name="milestone_form",
        form=MilestoneForm(request.POST),
        service=services.milestone_record,
        success=_("The progress is recorded."),
        values=lambda data: {"kind": data["kind"], "date": data["date"], "note": data["note"]},
    )


@signed_in_action
def document(request, task_id: int):
    return _post(
        request,
        task_id,
        form_name="document_form",
        form=DocumentForm(request.POST, request.FILES),
        service=services.document_upload,
        success=_("The document is filed to the case."),
        values=lambda data: {"upload": data["file"]},
    )


@signed_in_action
def closing(request, task_id: int):
    roles = access_case(request.user, task_id)
    return _post(
        request,
        task_id,
        form_name="closing_form",
        form=ClosingForm(request.POST, documents=selectors.documents_of(roles.task)),
        service=services.closing_file,
        success=_("The closing report is filed; the legal aid centre reviews it."),
        values=lambda data: {"outcome": data["outcome"], "summary": data["summary"], "documents": data["documents"]},
    )


@signed_in_action
def closing_review(request, task_id: int):
    form = ReviewForm(request.POST)
    accepted = request.POST.get("accepted") == "1"
    return _post(
        request,
        task_id,
        form_name="review_form",
        form=form,
        service=services.closing_review,
        success=_("The closing is accepted: the case is completed and credited to its handler.")
        if accepted
        else _("The closing is returned to the handler."),
        values=lambda data: {"accepted": data["accepted"], "quality": data["quality"], "reasons": data["reasons"]},
    )


@signed_in_action
def terminate(request, task_id: int):
    return _post(
        request,
        task_id,
        form_name="terminate_form",
        form=TerminateForm(request.POST),
        service=services.case_terminate,
        success=_("The legal aid is terminated; the handler is told."),
        values=lambda data: {"ground": data["ground"], "reasons": data["reasons"]},
    )


@signed_in_action
def evaluation(request, task_id: int):
    return _post(
        request,
        task_id,
        form_name="evaluation_form",
        form=EvaluationForm(request.POST),
        service=services.evaluation_record,
        success=_("The evaluation is recorded."),
        values=lambda data: {
            "kind": data["kind"],
            "grade": data["grade"],
            "note": data["note"],
            "evaluated_on": data["evaluated_on"],
        },
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
    cases = selectors.cases_in_progress_for(request.user, today=today)
    context = {
        "queue": selectors.closing_queue_for(request.user, today=today),
        "overdue": [row for row in cases if row.overdue],
        "cases": cases,
        "today": today,
        "is_centre": roles_of(request.user).is_centre_coordinator,
    }
    return render(request, "frontend/cases/queue.html", context)
