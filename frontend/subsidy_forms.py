"""Forms of the subsidy pages; they parse, the services decide (duties.subsidies.services)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from duties.subsidies.models import RATE_KEYS
from marketplace.models import TaskKind

ZERO = Decimal("0.00")
RATE_LABELS = {
    # The case kinds other than criminal defence are named as the task kinds are.
    **{(kind, ""): TaskKind(kind).label for kind, stage in RATE_KEYS if kind != TaskKind.CRIMINAL_DEFENSE},
    ("criminal_defense", "investigation"): _("Criminal defence: investigation"),
    ("criminal_defense", "prosecution"): _("Criminal defence: review for prosecution"),
    ("criminal_defense", "trial"): _("Criminal defence: trial"),
    ("criminal_defense", ""): _("Criminal defence: stage not recorded"),
}


def money(label) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=12, decimal_places=2, min_value=ZERO)


def multiplier(label) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=4, decimal_places=2, min_value=ZERO, max_value=Decimal("9.99"))


class ScheduleForm(forms.Form):
    """A new version of a year and region's schedule. Every rate is optional: a kind left empty
    is not priced by this schedule."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    region = forms.ChoiceField(label=_("Region"))
    duty_half_day = money(_("Per duty half-day (yuan)"))
    travel_supplement = money(_("Travel supplement (yuan)"))
    multiplier_excellent = multiplier(_("Multiplier: excellent"))
    multiplier_good = multiplier(_("Multiplier: good"))
    multiplier_pass = multiplier(_("Multiplier: pass"))
    multiplier_fail = multiplier(_("Multiplier: fail"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, f"{r.name} ({r.code})") for r in regions]
        for kind, stage in RATE_KEYS:
            self.fields[f"rate_{kind}_{stage or 'none'}"] = forms.DecimalField(
                label=RATE_LABELS[(kind, stage)], max_digits=12, decimal_places=2, min_value=ZERO, required=False
            )

    def rates(self) -> list[tuple[str, str, Decimal]]:
        out = []
        for kind, stage in RATE_KEYS:
            value = self.cleaned_data.get(f"rate_{kind}_{stage or 'none'}")
            if value is not None:
                out.append((kind, stage, value))
        return out


class BatchForm(forms.Form):
    organization = forms.IntegerField(widget=forms.HiddenInput)
    lines = forms.TypedMultipleChoiceField(label=_("Lines"), coerce=int, widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, line_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].choices = [(pk, str(pk)) for pk in line_ids]
