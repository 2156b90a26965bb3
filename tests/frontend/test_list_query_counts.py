"""Lists cost the same number of queries for a few rows as for many."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.models import ClaimStatus
from tests.factories import AidTaskFactory, AnnualReviewFactory, ClaimFactory, HourLogFactory, VolunteerFactory
from volunteers.models import VolunteerStatus

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _tasks(n, ctx):
    AidTaskFactory.create_batch(n, organization=ctx["legal_aid_center"])


def _claims(n, ctx):
    for _ in range(n):
        ClaimFactory(task__organization=ctx["legal_aid_center"], volunteer=ctx["provider_volunteer"])


def _hours(n, ctx):
    for _ in range(n):
        claim = ClaimFactory(
            task__organization=ctx["legal_aid_center"],
            task__starts_at=timezone.now() - timedelta(days=5),
            volunteer=VolunteerFactory(region=ctx["regions"]["tianning"]),
            status=ClaimStatus.ACCEPTED,
        )
        HourLogFactory(claim=claim, volunteer=claim.volunteer, date=timezone.localdate(), hours=Decimal("2"))


def _pending(n, ctx):
    VolunteerFactory.create_batch(n, region=ctx["regions"]["tianning"], status=VolunteerStatus.PENDING)


def _reviews(n, ctx):
    year = timezone.localdate().year - 1
    for v in VolunteerFactory.create_batch(n, region=ctx["regions"]["tianning"]):
        AnnualReviewFactory(volunteer=v, year=year, region=v.region, opened_at=timezone.now())


CASES = [
    ("coordinator", "/desk/", _tasks),
    ("coordinator", "/desk/hours/", _hours),
    ("provider", "/provider/tasks/", _claims),
    ("regulator", "/regulator/providers/", _pending),
    ("regulator", f"/regulator/reviews/?year={timezone.localdate().year - 1}&region=320400", _reviews),
]


@pytest.mark.parametrize("who,url,make", CASES, ids=[c[1] for c in CASES])
def test_a_list_page_makes_as_many_queries_for_twelve_rows_as_for_two(
    client_as, who, url, make, coordinator, provider_volunteer, regulator, legal_aid_center, regions, request
):
    ctx = {"legal_aid_center": legal_aid_center, "provider_volunteer": provider_volunteer, "regions": regions}
    client = client_as(request.getfixturevalue(who))
    # A first visit may issue what a person gets once (the provider's secret calendar link).
    client.get(url)
    make(2, ctx)
    few = _count(client, url)
    make(10, ctx)
    assert _count(client, url) == few
