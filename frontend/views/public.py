"""Pages for everyone: the board of open tasks, a task, the certificate check, sign in."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from frontend.forms import BoardFilterForm, CertificateCheckForm
from frontend.params import query_page
from frontend.views.common import domain_errors_as_http, is_htmx
from marketplace.access import access_task
from marketplace.filters import board_tasks
from marketplace.selectors import (
    claim_problem,
    live_claim_on,
    volunteer_of,
)
from organizations.roles import roles_of

PAGE_SIZE = 20
# The words of the verify page for a code it does not know.
NO_SUCH_CERTIFICATE = _(
    "No certificate has this code. Check the code and try again; a certificate whose code is not found "
    "here is not genuine."
)
FILTER_NAMES = ("search", "kind", "category", "beneficiary_group", "region", "eligible")


def board_filters(query: QueryDict) -> QueryDict:
    """The board's filters in the API's words, with the board's own default: only tasks with a
    seat left (the API lists filled tasks too unless ``has_seats=true``). The form sends a hidden
    "false" before the checkbox's "true"; the last value wins, and only it is kept."""
    data = query.copy()
    data.setlist("has_seats", [data.get("has_seats") or "true"])
    return data


def board_link_query(data: QueryDict) -> QueryDict:
    """What the board's own links carry: every filter once, the default left out, no page."""
    links = data.copy()
    links.pop("page", None)
    if links.get("has_seats") == "true":
        del links["has_seats"]
    return links


@require_GET
def board(request):
    data = board_filters(request.GET)
    form = BoardFilterForm(data)
    filters = form.cleaned_data if form.is_valid() else {}
    tasks = board_tasks(data, request=request)
    page = query_page(request, tasks, PAGE_SIZE, count_cap=settings.BOARD_COUNT_CAP)
    context = {
        "form": form,
        "page": page,
        "query": board_link_query(data),
        "filtered": any(filters.get(k) for k in FILTER_NAMES),
        "seats_only": bool(filters.get("has_seats")),
        "is_provider": volunteer_of(request.user) is not None,
    }
    template = "frontend/partials/board_results.html" if is_htmx(request) else "frontend/board.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@domain_errors_as_http
def task_detail(request, task_id: int):
    task = access_task(request.user, task_id)
    volunteer = volunteer_of(request.user)
    my_claim = None
    problem = None
    if volunteer is not None:
        my_claim = live_claim_on(request.user, task, volunteer)
        if my_claim is None:
            problem = claim_problem(task=task, volunteer=volunteer, now=timezone.now())
    context = {
        "task": task,
        "volunteer": volunteer,
        "my_claim": my_claim,
        "problem": problem,
        "can_claim": volunteer is not None and my_claim is None and problem is None and task.takes_claims,
        "manages": roles_of(request.user).is_coordinator_of(task.organization_id),
    }
    return render(request, "frontend/task_detail.html", context)


def certificate_check(request):
    form = CertificateCheckForm(request.GET or None)
    if form.is_valid():
        try:
            return redirect("verify-certificate", code=form.cleaned_data["code"])
        except NoReverseMatch:  # a "/" is in no certificate code and cannot be part of one's address
            form.add_error("code", NO_SUCH_CERTIFICATE)
    return render(request, "frontend/certificate_check.html", {"form": form})


def landing_url(user) -> str:
    """Where a person's own work is, for the page after signing in: a regulator's dashboard, a
    coordinator's desk, a provider's tasks, the site administration; the board for anyone else.
    Someone with several roles gets the first in that order (a bureau's administrator is also
    a "coordinator" of the bureau, but its work is regulating)."""
    roles = roles_of(user)
    if roles.is_regulator:
        return reverse("regulator-compliance")
    if roles.is_coordinator:
        return reverse("desk")
    if roles.is_provider:
        return reverse("provider-tasks")
    if roles.is_admin:
        return reverse("admin:index")
    return reverse("home")


class LoginView(auth_views.LoginView):
    """A safe ``next`` wins; without one, each person lands on their own work."""

    template_name = "frontend/registration/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return landing_url(self.request.user)


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): the sign-out button is a form."""

    def get_success_url(self):
        return reverse("home")
