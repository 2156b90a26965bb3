"""Forms of the evidence pages. They parse and show errors; the rules live in
marketplace.evidence.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.evidence.models import ITEM_MAX, MAX_ITEMS, NOTE_MAX, PURPOSE_MAX


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.region.name}）"


class TaskChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class EvidenceRequestForm(forms.Form):
    task = TaskChoiceField(label=_("Case"), queryset=None, empty_label=_("Choose…"))
    department = DepartmentChoiceField(label=_("Department"), queryset=None, empty_label=_("Choose…"))
    items = forms.CharField(
        label=_("Materials asked for"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One item a line, at most 20."),
    )
    purpose = forms.CharField(
        label=_("What they are needed for"),
        max_length=PURPOSE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, tasks, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks
        self.fields["department"].queryset = departments

    def clean_items(self) -> list[str]:
        items = [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]
        if len(items) > MAX_ITEMS:
            raise forms.ValidationError(_("At most %(n)d items.") % {"n": MAX_ITEMS})
        if any(len(item) > ITEM_MAX for item in items):
            raise forms.ValidationError(_("At most %(n)d characters an item.") % {"n": ITEM_MAX})
        return items


ANSWERS = [("provided", _("Provided")), ("refused", _("Not provided"))]


class RespondForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=ANSWERS, widget=forms.RadioSelect)
    fees = forms.ChoiceField(
        label=_("Fees"),
        choices=[("waived", _("Waived")), ("charged", _("A fee was charged"))],
        initial="waived",
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Art. 53 and the local rule: materials for legal aid are provided free of charge."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was provided, or why it cannot be (required when refusing)."),
    )
