"""The provider's calendar link on "my tasks": a new link revokes the old one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from volunteers.calendar import reset_calendar_token


@login_required
@require_POST
def calendar_reset(request):
    volunteer = getattr(request.user, "volunteer", None)
    if volunteer is None:
        return redirect("provider-register")
    reset_calendar_token(volunteer)
    messages.success(request, _("A new calendar link was issued; the old one no longer works."))
    return redirect("provider-tasks")
