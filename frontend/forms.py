"""Forms of the pages. They parse and show errors; the rules live in the services.

A form's ``clean()`` checks nothing of the domain: the service raises
``marketplace.core.errors.Invalid(field=...)`` and the view puts it beside that field.
"""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from duties.models import DECISION_CHOICES, LEGAL_AID_CREDIT_KINDS, CreditKind
from marketplace import confidential as confidential_schema
from marketplace.models import AidTask, BeneficiaryGroup, TaskKind
from organizations.models import Region
from volunteers.models import VERIFY_CHOICES, Category, VolunteerKind

# Django's forms end every label with _(":"). Named here so that the product's catalog, which
# comes before Django's own, gives it the full-width colon in Chinese ("日期：").
gettext_noop(":")

ORDERINGS = [
    ("starts_at", _("Starting soonest")),
    ("-created_at", _("Newest first")),
    ("claim_deadline", _("Claim deadline")),
]


def _blank(label):
    return [("", label)]


def text_area(label, *, max_length: int, required: bool = True, help_text="", rows: int = 3) -> forms.CharField:
    """A free text written in a box ``rows`` lines high: reasons, notes, grounds."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def reasons_area(*, max_length: int, required: bool = True, help_text="") -> forms.CharField:
    """The reasons of a decision (a return, a refusal, a termination, a ruling on an objection)."""
    return text_area(_("Reasons"), max_length=max_length, required=required, help_text=help_text)


def yes_no_field(label, *, yes, no) -> forms.TypedChoiceField:
    """A decision between two answers, as radio buttons: ``yes`` sends "1" and cleans to True,
    ``no`` sends "0" and cleans to False."""
    return forms.TypedChoiceField(
        label=label, choices=[("1", yes), ("0", no)], coerce=lambda value: value == "1", widget=forms.RadioSelect
    )


class IsoDateInput(forms.DateInput):
    """``<input type=date>`` takes only ISO dates (2027-01-10), never the language's format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class IsoDateTimeInput(forms.DateTimeInput):
    """``<input type=datetime-local>`` takes only ISO minutes (2027-01-10T14:00); Chinese
    formatting (2027/01/10 14:00) would leave it blank."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class ListSelect(forms.Select):
    """A select whose options are written in place (frontend/widgets/select.html): the same
    markup as Django's, without two template includes per option."""

    template_name = "frontend/widgets/select.html"


class _PlainQueryChoices(forms.models.ModelChoiceIterator):
    """Options from one plain query: Django's ``iterator()`` opens a server-side cursor on
    PostgreSQL (DECLARE, FETCH, CLOSE: three round trips for a list of ~100 regions)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class RegionChoiceField(forms.ModelChoiceField):
    iterator = _PlainQueryChoices

    def label_from_instance(self, obj):
        return obj.name


class BoardFilterForm(forms.Form):
    search = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                # Typing narrows the board in place; the form's own trigger covers the other filters.
                "hx-get": reverse_lazy("home"),
                "hx-include": "#board-filters",
                "hx-target": "#board-results",
                "hx-swap": "outerHTML",
                "hx-push-url": "true",
                "hx-trigger": "input changed delay:400ms",
                "hx-indicator": "#board-results",
            }
        ),
    )
    kind = forms.ChoiceField(
        label=_("Form of aid"), required=False, choices=_blank(_("Any")) + TaskKind.choices, widget=ListSelect
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=_blank(_("Any")) + Category.choices, widget=ListSelect
    )
    beneficiary_group = forms.ChoiceField(
        label=_("Who is helped"),
        required=False,
        choices=_blank(_("Anyone")) + BeneficiaryGroup.choices,
        widget=ListSelect,
    )
    region = RegionChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.order_by("path"),
        empty_label=_("Anywhere"),
        to_field_name="code",
        widget=ListSelect,
    )
    ordering = forms.ChoiceField(label=_("Order"), required=False, choices=ORDERINGS, widget=ListSelect)
    # Ticked by default on the board (the view supplies "true" when the URL says nothing); the
    # template puts a hidden "false" before it, so an unticked box still says so in the URL.
    has_seats = forms.BooleanField(
        label=_("Only tasks with seats left"),
        label_suffix="",
        required=False,
        widget=forms.CheckboxInput(attrs={"value": "true"}),
    )
    # "true", as the API's ``eligible`` filter reads it.
    eligible = forms.BooleanField(
        label=_("Only tasks I can claim"),
        label_suffix="",
        required=False,
        widget=forms.CheckboxInput(attrs={"value": "true"}),
    )


class ReasonForm(forms.Form):
    reason = text_area(_("Reason"), max_length=500)


class OptionalReasonForm(forms.Form):
    reason = text_area(_("Reason"), max_length=500, required=False)


class RegisterForm(forms.Form):
    kind = forms.ChoiceField(label=_("I am a"), choices=VolunteerKind.choices)
    licence_number = forms.CharField(
        label=_("Licence number"),
        required=False,
        max_length=40,
        help_text=_("Required for lawyers, notaries and grassroots legal service workers."),
    )
    region = RegionChoiceField(label=_("Region"), queryset=Region.objects.order_by("path"), to_field_name="code")
    specialties = forms.MultipleChoiceField(
        label=_("Specialties"), required=False, choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.CharField(
        label=_("Languages"), required=False, max_length=200, help_text=_("Separate with commas, e.g. zh, en.")
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)

    def clean_languages(self):
        return [part.strip() for part in self.cleaned_data["languages"].replace("，", ",").split(",") if part.strip()]


class HourLogForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=IsoDateInput())
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
    )
    note = text_area(
        _("Note"),
        max_length=1000,
        required=False,
        help_text=_("More than 8 hours on one day needs an explanation here."),
    )


def _max_length(name: str) -> int:
    return AidTask._meta.get_field(name).max_length


def _same_minute(a, b) -> bool:
    """The page shows times to the minute: a value sent back unchanged is the stored one."""
    return a is not None and b is not None and a.replace(second=0, microsecond=0) == b.replace(second=0, microsecond=0)


class TaskForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=_max_length("title"))
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=_max_length("summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    kind = forms.ChoiceField(label=_("Form of aid"), choices=TaskKind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    beneficiary_group = forms.ChoiceField(label=_("Who is helped"), choices=BeneficiaryGroup.choices)
    region = RegionChoiceField(label=_("Region"), queryset=Region.objects.order_by("path"), to_field_name="code")
    location = forms.CharField(label=_("Location"), required=False, max_length=_max_length("location"))
    is_remote = forms.BooleanField(label=_("Can be done remotely"), required=False)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=IsoDateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=IsoDateTimeInput())
    claim_deadline = forms.DateTimeField(label=_("Claim deadline"), required=False, widget=IsoDateTimeInput())
    # The API's bounds (marketplace/api/serializers.py): within PostgreSQL's 32-bit integer columns.
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=10000, initial=1)
    estimated_hours = forms.DecimalField(
        label=_("Estimated hours"), max_digits=6, decimal_places=2, widget=forms.NumberInput(attrs={"step": "0.5"})
    )
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Who may claim"),
        required=False,
        choices=VolunteerKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to accept every kind of provider."),
    )
    requires_approval = forms.BooleanField(label=_("Claims need my approval"), required=False)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if organizations is not None and len(organizations) == 1:
            self.fields["organization"].initial = organizations[0].pk
        # The aided person's details: one field per key of the schema the API uses too.
        for field in confidential_schema.FIELDS:
            self.fields[f"aided_{field.key}"] = forms.CharField(
                label=field.label,
                required=False,
                max_length=field.max_length,
                widget=forms.Textarea(attrs={"rows": 3}) if field.multiline else forms.TextInput(),
            )

    @property
    def task_fields(self):
        return [field for field in self.visible_fields() if not field.name.startswith("aided_")]

    @property
    def aided_fields(self):
        """The confidential fields, shown apart from the task's public ones."""
        return [field for field in self.visible_fields() if field.name.startswith("aided_")]

    def confidential(self) -> dict:
        """The details filled in, by schema key; an empty field is not sent, so it changes nothing."""
        data = self.cleaned_data
        details = {field.key: data.get(f"aided_{field.key}", "").strip() for field in confidential_schema.FIELDS}
        return {key: text for key, text in details.items() if text}

    def changes_for(self, task, fields) -> dict:
        """The values of ``fields`` that differ from ``task``: an edit changes only what it changes,
        and a start sent back to the minute is the stored start, seconds and all."""
        changes = {}
        for name in fields:
            value, stored = self.cleaned_data[name], getattr(task, name)
            if name in ("starts_at", "ends_at", "claim_deadline") and _same_minute(value, stored):
                continue
            if value != stored:
                changes[name] = value
        return changes


class DecideHoursForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Hours to confirm"),
        required=False,
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25"}),
        help_text=_("Leave empty to confirm all the hours logged."),
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=1000)


class VerifyForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=VERIFY_CHOICES,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class YearRegionForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    region = RegionChoiceField(label=_("Region"), queryset=Region.objects.none(), to_field_name="code")

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if regions is not None:
            self.fields["region"].queryset = regions


class DutyRuleForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    region = RegionChoiceField(label=_("Region"), queryset=Region.objects.none(), to_field_name="code")
    volunteer_kind = forms.ChoiceField(label=_("Provider kind"), choices=VolunteerKind.choices)
    # The API's bounds (duties/api/serializers.py): within PostgreSQL's 32-bit integer columns.
    min_hours = forms.DecimalField(
        label=_("Minimum hours"), max_digits=6, decimal_places=2, min_value=0, max_value=2000
    )
    min_cases = forms.IntegerField(label=_("Minimum cases"), min_value=0, max_value=1000)
    satisfied_by = forms.ChoiceField(
        label=_("Met by"), choices=[("any", _("Hours or cases")), ("all", _("Hours and cases"))]
    )
    credit_kinds = forms.MultipleChoiceField(
        label=_("Kinds of work that count"),
        choices=CreditKind.choices,
        initial=list(LEGAL_AID_CREDIT_KINDS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The forms of legal aid count by default. Public legal education and community mediation are "
            "public legal service: they count only if ticked."
        ),
    )

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if regions is not None:
            self.fields["region"].queryset = regions

    def clean_credit_kinds(self) -> list[str]:
        # None ticked (or a form posted without them): the default, the forms of legal aid.
        return self.cleaned_data["credit_kinds"] or list(LEGAL_AID_CREDIT_KINDS)


class ReviewOpenForm(YearRegionForm):
    """Open a year's reviews; a year that has not ended needs ``early`` and a reason."""

    early = forms.BooleanField(label=_("Review this year before it ends"), required=False)
    reason = forms.CharField(
        label=_("Why review it early"),
        required=False,
        max_length=500,
        help_text=_("Recorded on every review opened and shown with it."),
    )


class BulkDecisionForm(YearRegionForm):
    """Decide the previewed reviews: ``preview`` is the fingerprint of the list that was shown."""

    preview = forms.RegexField(regex=r"^[0-9a-f]{64}$", required=False, widget=forms.HiddenInput)


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=DECISION_CHOICES,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        help_text=_(
            "Required for every exemption and deficiency, and for a compliant decision when the ledger "
            "does not meet the rule."
        ),
    )


class CertificateCheckForm(forms.Form):
    code = forms.CharField(label=_("Certificate code"), max_length=32)
