"""Forms of the case pages. They parse and show errors; the rules live in marketplace.cases.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from frontend.forms import IsoDateInput, reasons_area, text_area, yes_no_field
from marketplace.cases.models import ClosingOutcome, EvaluationKind, MilestoneKind, QualityGrade, TerminationGround
from marketplace.cases.services import MAX_TEXT


def _choices(choices, blank):
    return [("", blank), *choices]


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(label=_("Progress"), choices=_choices(MilestoneKind.choices, _("Choose…")))
    date = forms.DateField(label=_("Date"), widget=IsoDateInput())
    note = text_area(_("Note"), max_length=MAX_TEXT, required=False)


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        help_text=_("A PDF, JPEG or PNG copy of a legal document."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )


class ClosingForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=_choices(ClosingOutcome.choices, _("Choose…")))
    summary = forms.CharField(
        label=_("Closing report"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("How the matter ended and what was done for the aided person."),
    )
    documents = forms.TypedMultipleChoiceField(
        label=_("Documents filed with the report"), coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = [(d.pk, d.name) for d in documents]


class ReviewForm(forms.Form):
    accepted = yes_no_field(_("Decision"), yes=_("Accept the closing"), no=_("Return it to the handler"))
    quality = forms.ChoiceField(
        label=_("Quality"), required=False, choices=_choices(QualityGrade.choices, _("Grade it when accepting…"))
    )
    reasons = reasons_area(
        max_length=MAX_TEXT, required=False, help_text=_("Required when returning it: say what is missing.")
    )


class TerminateForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground (Art. 48)"), choices=_choices(TerminationGround.choices, _("Choose…")))
    reasons = reasons_area(max_length=MAX_TEXT)


class EvaluationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of evaluation"), choices=_choices(EvaluationKind.choices, _("Choose…")))
    grade = forms.ChoiceField(label=_("Grade"), choices=_choices(QualityGrade.choices, _("Choose…")))
    evaluated_on = forms.DateField(label=_("Date"), required=False, widget=IsoDateInput())
    note = text_area(_("Note"), max_length=MAX_TEXT, required=False)
