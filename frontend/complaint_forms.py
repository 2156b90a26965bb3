"""Forms of the complaint pages. They parse and show errors; the rules (plain text, a contact for
someone not signed in, the task or the provider) live in duties.complaints.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from duties.complaints.models import ACTION_MAX, CONTACT_MAX, FINDING_MAX, SUBJECT_MAX, TEXT_MAX


class ComplaintForm(forms.Form):
    """The task, when there is one, travels in a hidden ``task`` input beside the form's fields:
    a complaint about no task and no provider is the service's to refuse, above the form."""

    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX, help_text=_("In a few words."))
    licence_number = forms.CharField(
        label=_("Licence number of the provider"),
        required=False,
        max_length=40,
        help_text=_("If the complaint is about a lawyer or another provider: the licence number (执业证号)."),
    )
    text = forms.CharField(
        label=_("What happened"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text, at most 5000 characters. HTML is not accepted."),
    )
    contact = forms.CharField(
        label=_("How to reach you"),
        required=False,
        max_length=CONTACT_MAX,
        help_text=_(
            "A phone number or an address, so that the bureau can tell you the result. Required unless you are "
            "signed in. It is never shown to the public."
        ),
    )


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        help_text=_("The code you were given when you filed the complaint, e.g. ABCD-EFGH-IJKL-MNOP."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class ResolveForm(forms.Form):
    finding = forms.CharField(
        label=_("Finding"),
        max_length=FINDING_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the investigation found. The complainant reads it by the tracking code."),
    )
    action = forms.CharField(label=_("Action taken"), max_length=ACTION_MAX, widget=forms.Textarea(attrs={"rows": 3}))
