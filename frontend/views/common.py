"""What every page view shares: the role guards, and turning domain errors into page answers.

Services raise ``marketplace.core.errors`` exceptions. A page answers them the way a person expects:
bad input goes beside the field of the form that was sent; a conflict ("the task is full") is a
message on the page it came from; "not found or not yours" is a 404; "not allowed" a 403.

The guards ask the user's ``Roles`` (organizations.roles), the same object the API permissions,
access helpers and services ask, loaded once per request.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marketplace.core.errors import DomainError, Forbidden, NotFound, OwnRecord
from organizations.roles import Roles, roles_of


def role_required(require: Callable[[Roles], None]) -> Callable:
    """A page for one role: ``require(roles)`` raises Forbidden, which answers 403 with its words.
    Put it under ``login_required``, so a signed-out visitor is sent to sign in instead."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                require(roles_of(request.user))
            except Forbidden as exc:
                raise PermissionDenied(exc.detail) from None
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def coordinator_required(detail: str) -> Callable:
    """A page for coordinators of some organisation; anyone else gets 403 saying ``detail``."""
    return role_required(lambda roles: roles.require_coordinator(detail=str(detail)))


regulator_required = role_required(Roles.require_regulator)


def domain_errors_as_http(view: Callable) -> Callable:
    """NotFound becomes 404 and Forbidden 403, whatever the view was doing. A refusal of one's
    own record (separation of duties) is a 403 page that says why and carries its code."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.detail) from None
        except OwnRecord as exc:
            context = {"detail": exc.detail, "code": exc.code, "back_url": _same_site_referer(request)}
            return render(request, "frontend/refused.html", context, status=403)
        except Forbidden as exc:
            raise PermissionDenied(exc.detail) from None

    return wrapper


def signed_in_page(view: Callable) -> Callable:
    """A page read with GET by a signed-in user (others are sent to sign in), whose domain
    refusals answer 404/403 (``domain_errors_as_http``)."""
    return login_required(require_GET(domain_errors_as_http(view)))


def signed_in_action(view: Callable) -> Callable:
    """A button's POST by a signed-in user (others are sent to sign in; GET is 405), whose
    domain refusals answer 404/403 (``domain_errors_as_http``)."""
    return login_required(require_POST(domain_errors_as_http(view)))


def signed_in_form(view: Callable) -> Callable:
    """A page with its form by a signed-in user (others are sent to sign in): GET shows it, POST
    sends it, anything else is 405; domain refusals answer 404/403 (``domain_errors_as_http``)."""
    return login_required(require_http_methods(["GET", "POST"])(domain_errors_as_http(view)))


def _same_site_referer(request) -> str:
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure()):
        return referer
    return "/"


def add_domain_error(form, exc: DomainError) -> None:
    """Put the service's complaint beside the field it names, or above the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.detail)


def _is_plain_refusal(exc: DomainError) -> bool:
    """A missing object, a bare "you may not" and one's own record end the page (404, 403). A
    refusal with another code ("not eligible: the task is in another region") is an answer to
    show the person instead."""
    return isinstance(exc, NotFound | OwnRecord) or (isinstance(exc, Forbidden) and exc.code == Forbidden.code)


def run_into_form(form, service: Callable, **kwargs):
    """Call ``service``; on bad input or a conflict, attach the error to ``form`` and return None.

    Plain NotFound and Forbidden pass through to ``domain_errors_as_http``.
    """
    try:
        return service(**kwargs)
    except DomainError as exc:
        if _is_plain_refusal(exc):
            raise
        add_domain_error(form, exc)
        return None


def posted_form(request, form_class, *, invalid: str | None = None, **kwargs):
    """The button's form bound to the POST, or None when it does not validate: its errors then
    go up as one message on the page the person returns to (``invalid``, when given, says it
    instead: "Choose a decision.")."""
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        return form
    messages.error(request, invalid or " ".join(e for errors in form.errors.values() for e in errors))
    return None


def submit(request, form, service: Callable, /, *, success: str, **kwargs):
    """Call ``service`` for a form that validated: on success say ``success`` and return the
    result; on bad input or a conflict the error stays on ``form`` and None is returned. Its own
    arguments are positional, so that a service may take one named ``request``."""
    result = run_into_form(form, service, **kwargs)
    if result is not None:
        messages.success(request, success)
    return result


def run_action(request, service: Callable, *, success: str | None, **kwargs):
    """Call ``service`` for a button press; report success or the refusal as a message."""
    try:
        result = service(**kwargs)
    except DomainError as exc:
        if _is_plain_refusal(exc):
            raise
        messages.error(request, exc.detail)
        return None
    if success:
        messages.success(request, success)
    return result if result is not None else True


def run_form_action(request, form_class, service: Callable, /, *, success: str, invalid: str | None = None, **kwargs):
    """A button with a small form: bind it to the POST (``posted_form``: its errors, or
    ``invalid``, go up as one message), then ``run_action`` with the form's fields by name. None
    when it does not validate."""
    form = posted_form(request, form_class, invalid=invalid)
    if form is None:
        return None
    return run_action(request, service, success=success, **kwargs, **form.cleaned_data)


def back(request, fallback: str) -> HttpResponseRedirect:
    """Redirect to the form's ``next`` (same site only) or to ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"
