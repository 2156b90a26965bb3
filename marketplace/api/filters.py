"""Filters of the API's lists; the board's own (``TaskFilter``) lives in ``marketplace.filters``, the
filters every app shares in ``marketplace.core.api.filters``."""

from django_filters import rest_framework as filters

from marketplace.core.api.filters import IdFilter
from marketplace.models import Claim, ClaimStatus


class ClaimFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ClaimStatus.choices)
    task = IdFilter(field_name="task_id")
    volunteer = IdFilter(field_name="volunteer_id")

    class Meta:
        model = Claim
        fields = []
