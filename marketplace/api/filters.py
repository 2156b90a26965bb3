"""Filters of the board and of the claim list. Each delegates to a selector."""

from django.utils import timezone
from django_filters import rest_framework as filters

from marketplace.models import AidTask, BeneficiaryGroup, Category, Claim, ClaimStatus, TaskKind, TaskStatus
from marketplace.selectors import BOARD_STATUSES, tasks_eligible_for, tasks_in_region, tasks_matching, volunteer_of

_MAX_ID = 2**63 - 1


class IdFilter(filters.NumberFilter):
    """An id: anything but a positive integer in range matches nothing (never a database error)."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        if value != int(value) or not 0 < value <= _MAX_ID:
            return qs.none()
        return qs.filter(**{self.field_name: int(value)})


class TaskFilter(filters.FilterSet):
    status = filters.ChoiceFilter(
        choices=TaskStatus.choices, help_text="Default: open and filled tasks. Drafts only for their organisation."
    )
    kind = filters.ChoiceFilter(choices=TaskKind.choices)
    category = filters.ChoiceFilter(choices=Category.choices)
    beneficiary_group = filters.ChoiceFilter(choices=BeneficiaryGroup.choices)
    region = filters.CharFilter(method="filter_region", help_text="Region code; includes every sub-region.")
    organization = IdFilter(field_name="organization_id")
    starts_after = filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")
    search = filters.CharFilter(
        method="filter_search", max_length=200, help_text="Words of the title and summary, Chinese or English."
    )
    eligible = filters.BooleanFilter(method="filter_eligible", help_text="true: only tasks the caller may claim now.")
    ordering = filters.OrderingFilter(fields=("starts_at", "created_at", "claim_deadline"))

    class Meta:
        model = AidTask
        fields = []

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=BOARD_STATUSES)
        return super().filter_queryset(queryset)

    def filter_region(self, queryset, name, value):
        return tasks_in_region(queryset, value)

    def filter_search(self, queryset, name, value):
        return tasks_matching(queryset, value)

    def filter_eligible(self, queryset, name, value):
        if not value:
            return queryset
        return tasks_eligible_for(queryset, volunteer_of(self.request.user), now=timezone.now())


class ClaimFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ClaimStatus.choices)
    task = IdFilter(field_name="task_id")
    volunteer = IdFilter(field_name="volunteer_id")

    class Meta:
        model = Claim
        fields = []
