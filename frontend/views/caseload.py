"""A legal aid centre's cap on open cases per handler (``marketplace.applications.caseload``)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontend.params import query_int
from frontend.views.common import role_required, run_into_form, signed_in_form
from marketplace.applications import caseload
from marketplace.core.ids import MAX_ID
from organizations.roles import roles_of


class CaseCapForm(forms.Form):
    max_open_cases = forms.IntegerField(
        label=gettext_lazy("Open cases per handler"),
        min_value=1,
        max_value=caseload.MAX_CAP,
        required=False,
        help_text=gettext_lazy("Leave empty for no cap. Handlers above it keep their cases; they get no new ones."),
    )


def _centres(roles) -> list:
    return [org for org in roles.coordinated_organizations if org.pk in roles.centre_ids]


def _require_centre(roles) -> None:
    """Coordinators of a legal aid centre (403 ``not_legal_aid_center`` for anyone else)."""
    roles.require_centre(min(roles.centre_ids, default=None))


@signed_in_form
@role_required(_require_centre)
def case_cap(request):
    """``?centre=`` (one of the centres the user coordinates; the first by default)."""
    centres = _centres(roles_of(request.user))
    centre = caseload.access_centre(
        request.user, query_int(request, "centre", default=centres[0].pk, min_value=1, max_value=MAX_ID)
    )
    current = caseload.case_cap_of(centre.pk)
    form = CaseCapForm(request.POST or None, initial={"max_open_cases": current})
    if request.method == "POST" and form.is_valid():
        cap = form.cleaned_data["max_open_cases"]
        run_into_form(form, caseload.case_cap_set, centre=centre, max_open_cases=cap, by=request.user)
        if not form.errors:
            messages.success(request, _("The cap on open cases is saved."))
            return redirect(f"{request.path}?centre={centre.pk}")
    context = {"centre": centre, "centres": centres, "form": form, "current": current}
    return render(request, "frontend/desk/case_cap.html", context, status=400 if form.errors else 200)
