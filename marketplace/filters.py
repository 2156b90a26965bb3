"""The board's filters, one home for the API's task list and the board page.

``TaskFilter`` states every filter of the board once, each delegating to a selector; the API's
``GET /tasks/`` (``marketplace.api.views.TaskViewSet``) runs it as its filter set (a bad value is
a 400 there) and the board page through ``board_tasks`` (a value that is not valid is left out
there). Both start from ``tasks_on_board``.
"""

from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django_filters import rest_framework as filters

from marketplace.core.api.filters import BoundedIsoDateTimeFilter, IdFilter, StrictBooleanFilter
from marketplace.models import CLAIMABLE_TASK_STATUSES, AidTask, BeneficiaryGroup, TaskKind, TaskStatus
from marketplace.selectors import (
    tasks_eligible_for,
    tasks_in_region,
    tasks_matching,
    tasks_on_board,
    tasks_with_seats_left,
    volunteer_of,
)
from volunteers.models import Category


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


def board_tasks(params: QueryDict, *, request: HttpRequest) -> QuerySet[AidTask]:
    """The board: the tasks ``request.user`` may see, narrowed by ``params`` in the API's words
    (values that are not valid are left out)."""
    return TaskFilter(params, queryset=tasks_on_board(request.user), request=request).qs
