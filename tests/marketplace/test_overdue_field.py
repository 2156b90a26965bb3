"""``overdue`` as the API shows it for records that wait for an act by a due day (complaints,
evidence requests): the list's annotation where there is one, else worked out for the one record."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from marketplace.core.api.serializers import OverdueField

TODAY = timezone.localdate()


def shown(**record) -> bool:
    return OverdueField(waiting="is_pending").to_representation(SimpleNamespace(**record))


@pytest.mark.parametrize(
    ("is_pending", "due", "overdue"),
    [
        (True, TODAY - timedelta(days=1), True),
        (True, TODAY, False),  # the due day itself is still on time
        (False, TODAY - timedelta(days=9), False),  # answered: never overdue
    ],
)
def test_one_record_works_it_out_from_its_waiting_property_and_due_day(is_pending, due, overdue):
    assert shown(is_pending=is_pending, due=due) is overdue


@pytest.mark.parametrize("annotated", [True, False])
def test_the_lists_annotation_wins(annotated):
    assert shown(overdue=annotated, is_pending=not annotated, due=TODAY - timedelta(days=1)) is annotated
