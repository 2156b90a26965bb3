"""Forms of the roster pages. They parse and show errors; the rules live in
marketplace.rosters.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from frontend.forms import IsoDateInput
from marketplace.rosters.models import NOTE_MAX, PEOPLE_MAX, HalfDay, HelpGiven

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class BulkShiftsForm(forms.Form):
    # ISO dates: a date input shows nothing given the language's format (the initial range was blank in zh-Hans)
    first_day = forms.DateField(label=_("From"), widget=IsoDateInput())
    last_day = forms.DateField(label=_("Until"), widget=IsoDateInput())
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=WEEKDAYS,
        coerce=int,
        initial=[0, 1, 2, 3, 4],
        widget=forms.CheckboxSelectMultiple,
    )
    half_days = forms.MultipleChoiceField(
        label=_("Half-days"),
        choices=HalfDay.choices,
        initial=list(HalfDay.values),
        widget=forms.CheckboxSelectMultiple,
    )
    seats = forms.IntegerField(label=_("Lawyers a shift"), min_value=1, max_value=20, initial=1)
    location = forms.CharField(
        label=_("Where"), max_length=255, required=False, help_text=_("The station's address when left empty.")
    )


class ServedForm(forms.Form):
    help_given = forms.MultipleChoiceField(
        label=_("Help given"), choices=HelpGiven.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    people_helped = forms.IntegerField(label=_("People helped"), min_value=0, max_value=PEOPLE_MAX)
    note = forms.CharField(
        label=_("Note"), max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=5,
        decimal_places=2,
        required=False,
        help_text=_("The shift's length when left empty."),
    )


class SwapForm(forms.Form):
    licence_number = forms.CharField(
        label=_("Licence number of the lawyer taking the shift"),
        max_length=64,
        help_text=_("The practice licence number (执业证号) of a verified lawyer."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
