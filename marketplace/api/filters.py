"""Filters of the board and of the claim list. Each delegates to a selector."""

from datetime import UTC

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

from marketplace.core.ids import parse_id
from marketplace.models import (
    CLAIMABLE_TASK_STATUSES,
    AidTask,
    BeneficiaryGroup,
    Claim,
    ClaimStatus,
    TaskKind,
    TaskStatus,
)
from marketplace.selectors import (
    tasks_eligible_for,
    tasks_in_region,
    tasks_matching,
    tasks_with_seats_left,
    volunteer_of,
)
from volunteers.models import Category


class IdFilter(filters.NumberFilter):
    """An id: anything but a positive integer in range matches nothing (never a database error)."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        pk = parse_id(value)
        if pk is None:
            return qs.none()
        return qs.filter(**{self.field_name: pk})


class StrictBooleanField(forms.Field):
    """``true``/``false`` (or 1/0); empty means "not given"; any other word is a field error."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise ValidationError(_("Use true or false."), code="invalid")


class StrictBooleanFilter(filters.BooleanFilter):
    """A boolean that answers 400 for a mistyped value instead of silently ignoring it."""

    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


class _BoundedIsoDateTimeField(IsoDateTimeField):
    """An ISO time that the database can take: one whose UTC value exists (not 0001-01-01+14:00,
    which SQLite's adapter cannot convert: it was a 500)."""

    def clean(self, value):
        value = super().clean(value)
        if value is not None:
            try:
                value.astimezone(UTC)
            except OverflowError:
                raise ValidationError(_("Enter a time between the years 1 and 9999."), code="invalid") from None
        return value


class BoundedIsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = _BoundedIsoDateTimeField


class TaskFilter(filters.FilterSet):
    status = filters.ChoiceFilter(
        choices=TaskStatus.choices, help_text="Default: open and filled tasks. Drafts only for their organisation."
    )
    kind = filters.ChoiceFilter(choices=TaskKind.choices)
    category = filters.ChoiceFilter(choices=Category.choices)
    beneficiary_group = filters.ChoiceFilter(choices=BeneficiaryGroup.choices)
    region = filters.CharFilter(method="filter_region", help_text="Region code; includes every sub-region.")
    organization = IdFilter(field_name="organization_id")
    starts_after = BoundedIsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = BoundedIsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")
    search = filters.CharFilter(
        method="filter_search", max_length=200, help_text="Words of the title and summary, Chinese or English."
    )
    eligible = filters.BooleanFilter(method="filter_eligible", help_text="true: only tasks the caller may claim now.")
    has_seats = StrictBooleanFilter(
        method="filter_has_seats",
        help_text=(
            "true: only tasks with a seat left. Default (and false): filled tasks are listed too, "
            "since they still take waiting-list claims."
        ),
    )
    ordering = filters.OrderingFilter(fields=("starts_at", "created_at", "claim_deadline"))

    class Meta:
        model = AidTask
        fields = []

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            # The board lists the tasks that take claims: a filled one still takes the waiting list.
            queryset = queryset.filter(status__in=CLAIMABLE_TASK_STATUSES)
        return super().filter_queryset(queryset)

    def filter_region(self, queryset, name, value):
        return tasks_in_region(queryset, value)

    def filter_search(self, queryset, name, value):
        return tasks_matching(queryset, value)

    def filter_eligible(self, queryset, name, value):
        if not value:
            return queryset
        return tasks_eligible_for(queryset, volunteer_of(self.request.user), now=timezone.now())

    def filter_has_seats(self, queryset, name, value):
        return tasks_with_seats_left(queryset) if value else queryset


class ClaimFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ClaimStatus.choices)
    task = IdFilter(field_name="task_id")
    volunteer = IdFilter(field_name="volunteer_id")

    class Meta:
        model = Claim
        fields = []
