"""Forms of the intake pages. They parse and show errors; the rules live in
marketplace.applications.services and marketplace.services (assignment)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from frontend.forms import IsoDateTimeInput, RegionChoiceField, reasons_area, text_area, yes_no_field
from marketplace.applications.models import Channel, DecisionChoice, HardshipBasis, MatterKind, MaxPenalty
from marketplace.applications.services import APPLICANT_FIELDS, MAX_TEXT, OPPOSING_FIELDS
from marketplace.models import BeneficiaryGroup
from organizations.models import Region
from volunteers.models import Category


def _choices(choices, blank):
    return [("", blank), *choices]


# The parties of the registration form: ``applicant_name`` is the service's ``applicant["name"]``,
# with the service's length limits.
PARTIES = {"applicant": ("applicant", APPLICANT_FIELDS), "opposing_party": ("opposing", OPPOSING_FIELDS)}


class ItemLinesField(forms.CharField):
    """Named items, one a line (身份证复印件 ...); blank lines dropped."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class ApplicationForm(forms.Form):
    """Registration (受理登记). Fields named as the service's: its errors on ``applicant.name``
    and the like land beside ``applicant_name`` (``field_for``)."""

    organization = forms.ModelChoiceField(label=_("Registered at"), queryset=None, empty_label=None)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        widget=IsoDateTimeInput(),
        help_text=_("Leave empty for now. A notice counts from the day it arrived."),
    )
    matter_kind = forms.ChoiceField(label=_("Form of aid"), choices=MatterKind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    beneficiary_group = forms.ChoiceField(label=_("Beneficiary group"), choices=BeneficiaryGroup.choices)
    region = RegionChoiceField(label=_("Region of the matter"), queryset=Region.objects.all(), empty_label=None)
    summary = text_area(_("Summary of the matter"), max_length=MAX_TEXT, rows=4)
    court_or_agency = forms.CharField(label=_("Court or agency"), max_length=200, required=False)
    hardship_basis = forms.ChoiceField(label=_("Hardship basis"), choices=HardshipBasis.choices)
    urgent = forms.BooleanField(label=_("Urgent: a limitation period ends within 7 days (Art. 44)"), required=False)
    max_penalty = forms.ChoiceField(
        label=_("Heaviest possible sentence (criminal defence)"),
        required=False,
        choices=_choices(MaxPenalty.choices, _("Neither death nor life imprisonment")),
    )
    applicant_name = forms.CharField(label=_("Applicant's name"), max_length=APPLICANT_FIELDS["name"])
    applicant_id_number = forms.CharField(
        label=_("Applicant's ID number"),
        max_length=APPLICANT_FIELDS["id_number"],
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    applicant_phone = forms.CharField(
        label=_("Applicant's phone"),
        max_length=APPLICANT_FIELDS["phone"],
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    applicant_address = forms.CharField(
        label=_("Applicant's address"), max_length=APPLICANT_FIELDS["address"], required=False
    )
    opposing_name = forms.CharField(
        label=_("Opposing party"),
        max_length=OPPOSING_FIELDS["name"],
        required=False,
        help_text=_("A person or an employer; used for the conflict check, never shown to regulators."),
    )
    opposing_id_number = forms.CharField(
        label=_("Opposing party's ID number or credit code"),
        max_length=OPPOSING_FIELDS["id_number"],
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    attachments = ItemLinesField(
        label=_("Materials received, one a line"),
        required=False,
        help_text=_("For example: ID card copy, labour contract copy."),
    )

    # The service names fields by the API's keys.
    FIELDS = {
        "applicant.name": "applicant_name",
        "applicant.id_number": "applicant_id_number",
        "applicant.phone": "applicant_phone",
        "applicant.address": "applicant_address",
        "applicant": "applicant_name",
        "opposing_party.name": "opposing_name",
        "opposing_party.id_number": "opposing_id_number",
        "opposing_party": "opposing_name",
    }

    SECTIONS = (
        (
            _("The application"),
            (
                "organization",
                "channel",
                "received_at",
                "matter_kind",
                "category",
                "beneficiary_group",
                "region",
                "hardship_basis",
                "max_penalty",
                "urgent",
            ),
        ),
        (_("Applicant"), ("applicant_name", "applicant_id_number", "applicant_phone", "applicant_address")),
        (_("The matter"), ("summary", "court_or_agency", "opposing_name", "opposing_id_number", "attachments")),
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations

    def sections(self):
        """The fields in their fieldsets, as the page shows them."""
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    @classmethod
    def field_for(cls, name: str | None) -> str | None:
        return cls.FIELDS.get(name, name) if name else None

    def service_arguments(self) -> dict:
        """The service's arguments: the organisation; each party's fields as the service names them
        (``applicant_name`` is the applicant's ``name``); every other field is a value of the application."""
        values = dict(self.cleaned_data)
        organization = values.pop("organization")
        parties = {
            party: {key: values.pop(f"{prefix}_{key}") for key in fields} for party, (prefix, fields) in PARTIES.items()
        }
        return {"organization": organization, "values": values, **parties}


class ItemsForm(forms.Form):
    items = ItemLinesField(
        label=_("Missing materials, one a line"), help_text=_("Ask for everything at once: one list per review.")
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DecisionChoice.choices, widget=forms.RadioSelect)
    reasons = reasons_area(
        max_length=MAX_TEXT, required=False, help_text=_("Required for a refusal; the letter quotes them.")
    )


class GroundsForm(forms.Form):
    grounds = text_area(_("The applicant's grounds"), max_length=MAX_TEXT)


class ObjectionDecideForm(forms.Form):
    upheld = yes_no_field(
        _("Decision"), yes=_("Uphold: the centre corrects its decision"), no=_("Reject: the refusal stands")
    )
    reasons = reasons_area(max_length=MAX_TEXT)


class FirmForm(forms.Form):
    law_firm = forms.ModelChoiceField(label=_("Law firm"), queryset=None, empty_label=_("Choose a law firm…"))

    def __init__(self, *args, firms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["law_firm"].queryset = firms


class HandlerForm(forms.Form):
    volunteer = forms.ModelChoiceField(label=_("Handler"), queryset=None, empty_label=_("Choose a lawyer…"))

    def __init__(self, *args, lawyers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = lawyers
        self.fields["volunteer"].label_from_instance = lambda v: v.display_name
